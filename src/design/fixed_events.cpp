// Number of events of a fixed (single-look) design comparing two exponential arms, one-sided,
// as rpact's .getEventsFixed (r = allocation ratio experimental:control; a = alpha / sided):
//   Schoenfeld (1981):           D = (z_{1-a} + z_{1-b})^2 (1 + r)^2 / (r (log(hr) - log(hr0))^2)
//   Freedman (1982):             D = (z_{1-a} + z_{1-b})^2 (1 + r hr)^2 / (r (1 - hr)^2)
//   Hsieh (1992) for Freedman:   D = (z_{1-a} + z_{1-b})^2 (1 + hr)^2 (1 + r)^2 / (4 r (1 - hr)^2)
// (Freedman and Hsieh only for hr0 = 1, as rpact), and the hazard ratio on a z boundary (rpact's
// criticalValuesEffectScale): hr = hr0 exp(-z (1 + r) / sqrt(r D)) for a design HR < hr0 (the
// caller multiplies by hr0; the sign flips for HR > hr0).
#include <cmath>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "hazard/design.hpp"
#include "hazard/error.hpp"

namespace hazard {

EventMethod parse_event_method(std::string_view text) {
  if (text == "schoenfeld") return EventMethod::schoenfeld;
  if (text == "freedman") return EventMethod::freedman;
  if (text == "hsieh") return EventMethod::hsieh;
  throw UsageError(fmt::format("unknown method '{}' (expected schoenfeld, freedman or hsieh)", text));
}

double fixed_events(EventMethod method, double hr, double alpha, double beta, double ratio,
                    double hr0) {
  if (!(hr0 > 0) || !std::isfinite(hr0)) throw UsageError("the null hazard ratio must be positive");
  if (!(hr > 0) || hr == hr0) {
    throw UsageError("the hazard ratio must be positive and differ from the null hazard ratio");
  }
  if (!(ratio > 0)) throw UsageError("the allocation ratio must be positive");
  if (hr0 != 1 && method != EventMethod::schoenfeld) {
    throw UsageError(
        "a null hazard ratio other than 1 (non-inferiority or superiority margin) "
        "needs the Schoenfeld formula (rpact: Freedman and Hsieh test HR = 1 only)");
  }
  boost::math::normal n;
  double z = boost::math::quantile(boost::math::complement(n, alpha)) +
             boost::math::quantile(boost::math::complement(n, beta));
  double z2 = z * z;
  switch (method) {
    case EventMethod::schoenfeld: {
      double l = std::log(hr) - std::log(hr0);
      return z2 / (l * l) * (1 + ratio) * (1 + ratio) / ratio;
    }
    case EventMethod::freedman:
      return z2 * (1 + hr * ratio) * (1 + hr * ratio) / ((1 - hr) * (1 - hr)) / ratio;
    case EventMethod::hsieh:
      return z2 * (1 + hr) * (1 + hr) / ((1 - hr) * (1 - hr)) * (1 + ratio) * (1 + ratio) /
             (4 * ratio);
  }
  return std::nan("");
}

double hr_at_boundary(double z, double events, double ratio, bool hr_below_one) {
  double s = (1 + ratio) / std::sqrt(ratio * events);
  return std::exp((hr_below_one ? -1.0 : 1.0) * z * s);
}

}  // namespace hazard
