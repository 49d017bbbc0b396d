// Exact (Clopper–Pearson 1934) confidence interval of a binomial proportion, as R binom.test:
//   lower = qbeta(a/2, x, n - x + 1)      (0 when x = 0)
//   upper = qbeta(1 - a/2, x + 1, n - x)  (1 when x = n),  a = 1 - conf_level,
// i.e. the limits p at which P(X >= x | p) = a/2 and P(X <= x | p) = a/2. The beta quantiles
// are Boost.Math's ibeta_inv / ibetac_inv (the upper limit from the upper tail, so that 1 - a/2
// is not rounded). Input: x <= n; n = 0 gives NaN (R refuses it).
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <limits>

#include "hazard/response.hpp"
#include "response/detail.hpp"

namespace hazard {

ProportionCi clopper_pearson(std::size_t x, std::size_t n, double conf_level) {
  detail::check_conf_level(conf_level);
  detail::check_count(x, n, "clopper_pearson");
  ProportionCi r{.x = x, .n = n};
  if (n == 0) {
    r.estimate = r.lower = r.upper = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  const double a = 1 - conf_level;
  const double dx = static_cast<double>(x), dn = static_cast<double>(n);
  r.estimate = dx / dn;
  r.lower = x == 0 ? 0.0 : boost::math::ibeta_inv(dx, dn - dx + 1, a / 2);
  r.upper = x == n ? 1.0 : boost::math::ibetac_inv(dx + 1, dn - dx, a / 2);
  return r;
}

}  // namespace hazard
