// Pointwise confidence limits for a Kaplan–Meier survival estimate.
//
// Source: R survival, survfit_confint(p, se, logse = TRUE, conf.type, conf.int). `se_log` is the
// Greenwood SE of log S (R's fit$std.err), z = qnorm(1 - (1 - conf_level) / 2):
//   plain:   S -/+ z * se_log * S, clipped to [0, 1]
//   log:     exp(log S -/+ z * se_log), the upper limit capped at 1; NA when S = 0
//   log-log: exp(-exp(log(-log S) -/+ z * se_log / log S)); NA when S = 0 or S = 1
// R's "log-log" is the interval symmetric on log(-log S) (SAS's CONFTYPE=LOGLOG is the same
// interval). NA is returned as NaN. The plain and log limits are R's operations in R's order (they
// agree to rounding); the log-log limits are R's rewritten with one logarithm and three
// exponentials instead of R's two and four (the curves of a large trial spend most of their time
// here): with L = log S < 0 and e = exp(z * se_log / L),
//   exp(-exp(log(-L) - z se_log / L)) = exp(-(-L) / e) = exp(L / e),   upper: exp(L * e),
// which agree with R's to a few units in the last place of the exponent (relative differences
// ~1e-15 on R's reference curves; tests/unit/km compare at tol::closed_form).
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

#include "hazard/km.hpp"
#include "km/km_detail.hpp"

namespace hazard {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// R's pmax/pmin propagate NaN; std::max/min do not portably.
double clip_low(double x, double low) { return std::isnan(x) ? x : std::max(x, low); }
double clip_high(double x, double high) { return std::isnan(x) ? x : std::min(x, high); }
}  // namespace

namespace detail {

double km_z(double conf_level) {
  // the upper (1 - level) / 2 tail by its complement: 1 - (1 - level) / 2 rounds to 1 for a
  // level within 1e-16 of 1, where the quantile overflows
  return boost::math::quantile(
      boost::math::complement(boost::math::normal_distribution<double>(), (1 - conf_level) / 2));
}

ConfLimits km_conf_limits_z(double surv, double se_log, ConfType type, double z) {
  switch (type) {
    case ConfType::plain: {
      const double se2 = se_log * surv * z;
      return {clip_low(surv - se2, 0.0), clip_high(surv + se2, 1.0)};
    }
    case ConfType::log: {
      if (surv == 0) return {nan, nan};
      const double se2 = z * se_log, log_s = std::log(surv);
      return {std::exp(log_s - se2), clip_high(std::exp(log_s + se2), 1.0)};
    }
    case ConfType::log_log: {
      if (surv == 0 || surv == 1) return {nan, nan};
      const double log_s = std::log(surv);  // once: a call that may set errno is not merged
      const double e = std::exp(z * se_log / log_s);
      return {std::exp(log_s / e), std::exp(log_s * e)};
    }
  }
  return {nan, nan};
}

}  // namespace detail

ConfLimits km_conf_limits(double surv, double se_log, ConfType type, double conf_level) {
  return detail::km_conf_limits_z(surv, se_log, type, detail::km_z(conf_level));
}

}  // namespace hazard
