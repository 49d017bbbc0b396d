// The rows of a Kaplan–Meier curve that its summaries read, picked as the rows stream past.
//
// Source: the readers themselves. km_quantiles is R's findq (quantile.cpp) on the points (0, 0),
// (t_i, 1 - v_i) for v = S, lower, upper: with y non-decreasing apart from NaN, its answer for p
// uses only x at the first index with y + tol >= p and at the first with y - tol >= p (a NaN point
// is never chosen), the range of the non-NaN y (0 and the last value), y at the last point kept
// after dropping repeats (the first NaN point or the first point of the last value, whichever is
// later) and x at the last point. km_landmark(t) reads the last row with time <= t and the first
// with time >= t; km_rmst(tau) the rows with time <= tau. A curve made of those rows, in order,
// gives every one of these the same index and so the same answer.
// A curve cut in two at a row: each part reduced on its own (the later part's reducer also keeps
// each band's first non-NaN row), the two parts' kept rows in order are a superset of the rows the
// whole curve's summaries read, and reduced again they give the whole curve's summaries; a band
// falls across the cut exactly when it falls between the first part's last value and the later
// part's first one, both kept (join_reduced_parts).
// Input contract: rows in ascending time, as km_curve_sorted makes them; the needs' times
// ascending. When a band's non-NaN values decrease somewhere (findq's general path, which
// compares every kept point), exact() is false and the whole curve must be used.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "km/km_detail.hpp"

namespace hazard::detail {

KmRow row_of(const KmCurve& c, std::size_t i) {
  return {.time = c.time[i],
          .n_risk = c.n_risk[i],
          .n_event = c.n_event[i],
          .n_censor = c.n_censor[i],
          .surv = c.surv[i],
          .se_log = c.se_log[i],
          .std_err = c.std_err[i],
          .lower = c.lower[i],
          .upper = c.upper[i],
          .cumhaz = c.cumhaz[i]};
}

KmCurveReducer::KmCurveReducer(const KmSummaryNeeds& needs, bool later_part)
    : probs_(needs.probs), times_(needs.times), tau_(needs.tau), later_part_(later_part) {
  std::sort(probs_.begin(), probs_.end());
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());  // findq's
  shift_[0] = tol;
  shift_[1] = -tol;
  // the first point (0, 0) reaches every p with 0 + shift >= p
  for (Band& b : band_)
    for (int s = 0; s < 2; ++s)
      while (b.next[s] < probs_.size() && 0.0 + shift_[s] >= probs_[b.next[s]]) ++b.next[s];
}

void KmCurveReducer::add(const KmRow& row) {
  const std::size_t i = rows_;
  bool keep = false;
  const double values[3] = {row.surv, row.lower, row.upper};
  bool changed[3] = {false, false, false};
  for (int k = 0; k < 3; ++k) {
    Band& b = band_[k];
    const double y = 1 - values[k];  // as km_quantiles
    if (std::isnan(y)) {
      keep = keep || !b.seen_nan;
      b.seen_nan = true;
      continue;
    }
    keep = keep || (later_part_ && !b.seen_value);
    b.seen_value = true;
    if (y < b.prev) b.monotone = false;
    changed[k] = y != b.prev;
    b.prev = y;
    for (int s = 0; s < 2; ++s)
      while (b.next[s] < probs_.size() && y + shift_[s] >= probs_[b.next[s]]) {
        ++b.next[s];
        keep = true;
      }
  }
  if (changed[0] || changed[1] || changed[2]) {
    // one copy of the row, in a slot no band that keeps its last change holds
    unsigned held = 0;
    for (int k = 0; k < 3; ++k)
      if (!changed[k] && band_[k].change_slot >= 0) held |= 1u << band_[k].change_slot;
    const int slot = std::countr_one(held);  // (at most 3 of the 4 slots are held)
    change_rows_[static_cast<std::size_t>(slot)] = row;
    for (int k = 0; k < 3; ++k)
      if (changed[k]) {
        band_[k].change_slot = slot;
        band_[k].change_index = i;
      }
  }
  // landmarks t < this time whose last row <= t is the previous row
  bool keep_prev = false;
  for (; le_ < times_.size() && times_[le_] < row.time; ++le_) keep_prev = i > 0;
  if (keep_prev && (kept_.empty() || kept_.back().first != i - 1))
    kept_.emplace_back(i - 1, prev_row_);
  // landmarks t <= this time not reached before: this is their first row >= t
  for (; ge_ < times_.size() && times_[ge_] <= row.time; ++ge_) keep = true;
  if (tau_ && row.time <= *tau_) keep = true;
  if (keep) kept_.emplace_back(i, row);
  prev_row_ = row;
  events_ += row.n_event;
  ++rows_;
}

bool KmCurveReducer::exact() const {
  return std::all_of(std::begin(band_), std::end(band_), [](const Band& b) { return b.monotone; });
}

KmCurve KmCurveReducer::finish() {
  if (rows_ > 0 && (kept_.empty() || kept_.back().first != rows_ - 1))
    kept_.emplace_back(rows_ - 1, prev_row_);
  for (const Band& b : band_)
    if (b.change_slot >= 0)
      kept_.emplace_back(b.change_index, change_rows_[static_cast<std::size_t>(b.change_slot)]);
  std::stable_sort(kept_.begin(), kept_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  KmCurve c;
  for (std::size_t k = 0; k < kept_.size(); ++k)
    if (k == 0 || kept_[k].first != kept_[k - 1].first) push_row(c, kept_[k].second);
  kept_.clear();
  return c;
}

ReducedCurve finish_reduced(KmCurveReducer& r) {
  ReducedCurve out{.exact = r.exact(), .rows = r.rows(), .events = r.events()};
  out.curve = r.finish();
  return out;
}

ReducedCurve join_reduced_parts(const ReducedCurve& first, const ReducedCurve& second,
                                const KmSummaryNeeds& needs) {
  KmCurveReducer r(needs);
  for (const ReducedCurve* part : {&first, &second})
    for (std::size_t i = 0; i < part->curve.size(); ++i) r.add(row_of(part->curve, i));
  ReducedCurve out = finish_reduced(r);
  out.exact = out.exact && first.exact && second.exact;
  out.rows = first.rows + second.rows;
  out.events = first.events + second.events;  // whole counts: exact in any order
  return out;
}

}  // namespace hazard::detail
