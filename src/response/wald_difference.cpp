// Wald interval of a difference of two independent proportions, as R
// prop.test(c(x1, x0), c(n1, n0), correct = FALSE)$conf.int:
//   d = p1 - p0,  SE = sqrt(p1 (1 - p1) / n1 + p0 (1 - p0) / n0),
//   limits max(-1, d - z SE), min(1, d + z SE),  z = qnorm(1 - a/2).
// p1 is the experimental arm, p0 the reference. Input: x1 <= n1, x0 <= n0; NaN when an arm is
// empty.
#include <algorithm>
#include <cmath>
#include <limits>

#include "hazard/response.hpp"
#include "response/detail.hpp"

namespace hazard {

DifferenceCi wald_difference(const TwoByTwo& t, double conf_level) {
  const double z = detail::z_two_sided(conf_level);
  detail::check_count(t.x1, t.n1, "wald_difference");
  detail::check_count(t.x0, t.n0, "wald_difference");
  if (t.n1 == 0 || t.n0 == 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan, nan};
  }
  const double n1 = static_cast<double>(t.n1), n0 = static_cast<double>(t.n0);
  const double p1 = static_cast<double>(t.x1) / n1, p0 = static_cast<double>(t.x0) / n0;
  DifferenceCi r;
  r.estimate = p1 - p0;
  r.std_err = std::sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
  r.lower = std::max(-1.0, r.estimate - z * r.std_err);
  r.upper = std::min(1.0, r.estimate + z * r.std_err);
  return r;
}

}  // namespace hazard
