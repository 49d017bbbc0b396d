// Digitized Kaplan–Meier points made into a monotone step function.
//
// A digitizer's clicks are unsorted, noisy, sometimes above the previous step (a click a pixel
// too high) and sometimes percentages. Guyot's algorithm (guyot.cpp) needs time strictly
// increasing and survival non-increasing: a click above the previous one would give a negative
// event count. This file:
//   1. reads survival as a percentage when asked, or (automatic) when its largest value > 1.5;
//   2. clamps time to >= 0 and survival to [0, 1] (clicks a hair outside the axes);
//   3. sorts by time, points at one time by decreasing survival (top, then bottom of a drop);
//   4. isotonic regression: the non-increasing sequence closest in least squares to the points in
//      that order, by pool-adjacent-violators (Barlow et al. 1972; R: -isoreg(-y)$yf). Violators
//      are pooled into blocks holding their mean. One pass, amortised O(n);
//   5. of points sharing a time keeps the last, i.e. the lowest (the value after the drop).
// Input contract: equal-length spans of finite values. Output: see CleanedCurve.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/reconstruct.hpp"

namespace hazard {

namespace {

void check_finite(std::span<const double> v, const char* column) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      throw DataError(
          Location{
              .file = {}, .column = column, .value = fmt::format("{}", v[i]), .has_value = true},
          fmt::format("digitized point {} is not a finite number", i + 1));
    }
  }
}

}  // namespace

CleanedCurve clean_curve(std::span<const double> time, std::span<const double> surv,
                         const CleanCurveOptions& options) {
  if (time.size() != surv.size()) {
    throw DataError(
        Location{.file = {}, .column = "surv"},
        fmt::format("{} digitized times but {} survival values", time.size(), surv.size()));
  }
  if (time.empty()) throw UsageError("no digitized points");
  check_finite(time, "time");
  check_finite(surv, "surv");

  CleanedCurve out;
  const std::size_t n = time.size();
  out.n_input = n;

  const double smax = *std::max_element(surv.begin(), surv.end());
  out.percent =
      options.scale == SurvScale::percent || (options.scale == SurvScale::automatic && smax > 1.5);
  // Divide (not multiply by 0.01): 90 / 100 is the double nearest 0.9, as in R.
  const double divisor = out.percent ? 100.0 : 1.0;

  std::vector<double> t(n), s(n);
  for (std::size_t i = 0; i < n; ++i) {
    double ti = time[i];
    double si = surv[i] / divisor;
    if (ti < 0.0 || si < 0.0 || si > 1.0) ++out.n_clamped;
    t[i] = std::max(ti, 0.0);
    s[i] = std::clamp(si, 0.0, 1.0);
  }

  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (t[a] != t[b]) return t[a] < t[b];
    return s[a] > s[b];
  });

  // Pool-adjacent-violators for a non-increasing fit: blocks (sum, count); a block whose mean
  // exceeds its predecessor's is merged into it.
  std::vector<double> block_sum;
  std::vector<std::size_t> block_n;
  block_sum.reserve(n);
  block_n.reserve(n);
  for (std::size_t idx : order) {
    block_sum.push_back(s[idx]);
    block_n.push_back(1);
    while (block_sum.size() > 1) {
      std::size_t b = block_sum.size() - 1;
      double mean_b = block_sum[b] / static_cast<double>(block_n[b]);
      double mean_a = block_sum[b - 1] / static_cast<double>(block_n[b - 1]);
      if (mean_b <= mean_a) break;
      block_sum[b - 1] += block_sum[b];
      block_n[b - 1] += block_n[b];
      block_sum.pop_back();
      block_n.pop_back();
    }
  }
  std::vector<double> fitted;
  fitted.reserve(n);
  for (std::size_t b = 0; b < block_sum.size(); ++b) {
    double mean = block_sum[b] / static_cast<double>(block_n[b]);
    fitted.insert(fitted.end(), block_n[b], mean);
  }
  for (std::size_t j = 0; j < n; ++j) {
    double change = std::fabs(fitted[j] - s[order[j]]);
    if (change > 1e-12) ++out.n_adjusted;
    out.max_adjustment = std::max(out.max_adjustment, change);
  }

  // Keep the last (lowest) point of each run of equal times.
  out.time.reserve(n);
  out.surv.reserve(n);
  for (std::size_t j = 0; j < n; ++j) {
    double tj = t[order[j]];
    if (!out.time.empty() && out.time.back() == tj) {
      out.surv.back() = fitted[j];
      ++out.n_merged;
    } else {
      out.time.push_back(tj);
      out.surv.push_back(fitted[j]);
    }
  }
  return out;
}

}  // namespace hazard
