// Wilson (1927) score interval of a binomial proportion without continuity correction, as R
// prop.test(x, n, correct = FALSE)$conf.int: with p = x / n and z = qnorm(1 - a/2),
//   centre = (p + z^2 / (2n)) / (1 + z^2 / n)
//   half   = z sqrt(p (1 - p) / n + z^2 / (4 n^2)) / (1 + z^2 / n),
// limits centre -/+ half, exactly 0 when x = 0 and 1 when x = n as in R. The building block of
// Newcombe's hybrid score interval for a difference (newcombe.cpp). Input: x <= n; n = 0 gives NaN.
#include <algorithm>
#include <cmath>
#include <limits>

#include "hazard/response.hpp"
#include "response/detail.hpp"

namespace hazard {

ProportionCi wilson(std::size_t x, std::size_t n, double conf_level) {
  const double z = detail::z_two_sided(conf_level);
  detail::check_count(x, n, "wilson");
  ProportionCi r{.x = x, .n = n};
  if (n == 0) {
    r.estimate = r.lower = r.upper = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  const double dn = static_cast<double>(n);
  const double p = static_cast<double>(x) / dn;
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * dn)) / (1 + z2 / dn);
  const double half = z * std::sqrt(p * (1 - p) / dn + z2 / (4 * dn * dn)) / (1 + z2 / dn);
  r.estimate = p;
  // As R: exactly 0 when x = 0 and 1 when x = n (the formula gives them up to rounding).
  r.lower = x == 0 ? 0.0 : std::max(0.0, centre - half);
  r.upper = x == n ? 1.0 : std::min(1.0, centre + half);
  return r;
}

}  // namespace hazard
