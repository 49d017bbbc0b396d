// Exact (Garwood 1936) confidence interval of a Poisson rate, as R poisson.test(x, T)$conf.int:
//   lower = qgamma(a/2, x) / T        (0 when x = 0)
//   upper = qgamma(1 - a/2, x + 1) / T,   a = 1 - conf_level,
// the gamma quantiles with shape x (or x + 1) and scale 1 (Boost.Math gamma_p_inv, and
// gamma_q_inv for the upper limit so that 1 - a/2 is not rounded). Used for exposure-adjusted
// incidence rates: x subjects with an event, T patient-years of exposure. Input: T > 0 (NaN
// otherwise).
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>

#include "hazard/safety.hpp"
#include "response/detail.hpp"

namespace hazard {

RateCi poisson_exact(std::size_t x, double exposure, double conf_level) {
  detail::check_conf_level(conf_level);
  RateCi r{.events = x, .exposure = exposure};
  if (!(exposure > 0) || !std::isfinite(exposure)) {
    r.estimate = r.lower = r.upper = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  const double a = 1 - conf_level, dx = static_cast<double>(x);
  r.estimate = dx / exposure;
  r.lower = x == 0 ? 0.0 : boost::math::gamma_p_inv(dx, a / 2) / exposure;
  r.upper = boost::math::gamma_q_inv(dx + 1, a / 2) / exposure;
  return r;
}

}  // namespace hazard
