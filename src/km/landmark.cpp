// Survival at a landmark time (e.g. 12-month PFS).
//
// Source: R survival, summary.survfit(fit, times = t, extend = TRUE) on survfit0(fit):
//   * the curve gets a row at time 0 (S = 1, SE 0, limits 1, n_risk = the first n_risk) unless
//     its first time is 0;
//   * S, SE and limits are those of the last row with time <= t (findInterval), the time-0 row
//     when t precedes every time;
//   * n_risk is that of the first row with time >= t (the risk set the next event will see), or
//     0 when t is after the last time;
//   * the SE reported is the SE of S (R's std.err * surv), NaN once S = 0 as in R.
// Input: a curve from km_curve (ascending distinct times). O(log m).
#include <algorithm>
#include <cmath>

#include "hazard/error.hpp"
#include "hazard/km.hpp"

namespace hazard {

KmLandmark km_landmark(const KmCurve& curve, double t) {
  if (!std::isfinite(t) || t < 0) throw UsageError("a landmark time must be a finite number >= 0");
  KmLandmark out;
  out.time = t;
  const auto& time = curve.time;
  // rows with time <= t, and the first row with time >= t
  const auto le =
      static_cast<std::size_t>(std::upper_bound(time.begin(), time.end(), t) - time.begin());
  const auto ge =
      static_cast<std::size_t>(std::lower_bound(time.begin(), time.end(), t) - time.begin());
  out.n_risk = ge < time.size() ? curve.n_risk[ge] : 0.0;
  if (le == 0) return out;  // the time-0 row: S = 1, SE 0, limits 1
  const std::size_t i = le - 1;
  out.surv = curve.surv[i];
  out.std_err = curve.std_err[i];
  out.lower = curve.lower[i];
  out.upper = curve.upper[i];
  return out;
}

}  // namespace hazard
