// What a published hazard ratio and its confidence interval imply.
//
// The interval is taken as Wald on the log scale, log HR ± z se, so
//   se = (log upper - log lower) / (2 z),  z = Phi^{-1}(1 - (1 - conf_level) / 2);
//   Wald statistic log(HR) / se, two-sided p = 2 (1 - Phi(|log HR| / se));
//   events D (Schoenfeld 1983, Biometrika 70:681): var(log HR) ~ (1 + r)^2 / (r D) for allocation
//   r:1, so D = (1 + r)^2 / (r se^2) (= 4 / se^2 at 1:1).
// The published HR is usually not the exact midpoint of its rounded log interval; `asymmetry`
// reports the gap in units of se and a warning is given when it is larger than rounding explains.
// Example: HR 0.23 (0.12–0.42) at 2:1 (CABINET pNET): se = 0.3196, D = 44.1, p = 4.2e-6.
#include <fmt/format.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "hazard/error.hpp"
#include "hazard/reconstruct.hpp"

namespace hazard {

PublishedHr published_hr(double hr, double lower, double upper, const PublishedHrOptions& options) {
  if (!(std::isfinite(hr) && std::isfinite(lower) && std::isfinite(upper)) || lower <= 0.0 ||
      hr <= 0.0 || upper <= 0.0) {
    throw UsageError("the hazard ratio and its confidence limits must be positive numbers");
  }
  if (!(lower < upper)) {
    throw UsageError(
        fmt::format("lower confidence limit {} must be below the upper {}", lower, upper));
  }
  if (hr < lower || hr > upper) {
    throw UsageError(
        fmt::format("hazard ratio {} lies outside its interval ({}, {})", hr, lower, upper));
  }
  if (!(options.conf_level > 0.0 && options.conf_level < 1.0)) {
    throw UsageError(
        fmt::format("confidence level {} must lie strictly between 0 and 1", options.conf_level));
  }
  if (!(options.ratio > 0.0) || !std::isfinite(options.ratio)) {
    throw UsageError(fmt::format("allocation ratio {} must be positive", options.ratio));
  }

  const boost::math::normal_distribution<double> normal;
  PublishedHr out;
  out.hr = hr;
  out.lower = lower;
  out.upper = upper;
  out.conf_level = options.conf_level;
  out.ratio = options.ratio;
  out.z_crit =
      boost::math::quantile(boost::math::complement(normal, (1.0 - options.conf_level) / 2));
  out.log_hr = std::log(hr);
  out.se_log_hr = (std::log(upper) - std::log(lower)) / (2.0 * out.z_crit);
  out.z = out.log_hr / out.se_log_hr;
  out.p_value = 2.0 * boost::math::cdf(boost::math::complement(normal, std::fabs(out.z)));
  const double r = options.ratio;
  out.events = (1.0 + r) * (1.0 + r) / (r * out.se_log_hr * out.se_log_hr);
  const double mid = 0.5 * (std::log(lower) + std::log(upper));
  out.asymmetry = (out.log_hr - mid) / out.se_log_hr;
  if (std::fabs(out.asymmetry) > 0.25) {
    out.warnings.push_back(fmt::format(
        "the hazard ratio is {:.2f} standard errors from the centre of its log interval: the "
        "interval may not be a Wald interval on the log scale (or the numbers are mistyped)",
        out.asymmetry));
  }
  return out;
}

}  // namespace hazard
