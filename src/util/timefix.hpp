// R's timefix (survival's aeqSurv): event and censoring times that differ by a few ulps are made
// equal before any estimator sees them, so that 7.6 and 7.6000000000076 (the same day written by
// two programs) form one risk set. coxph, survfit and survdiff all do it by default
// (timefix = TRUE); hazard's cox, km and logrank share this one implementation.
//
// Rule (aeqSurv, survival 3.5-3): y = sorted distinct finite values of every time (start and
// stop); a value is tied to the distinct value before it when their difference dy satisfies
// dy <= tol or dy / mean(|y|) <= tol, tol = sqrt(machine epsilon) ~ 1.49e-8; the cut points are the
// values not tied to their predecessor (and the first); each time becomes the largest cut point <=
// it (findInterval), i.e. a run of tied values takes its smallest value.
// Internal (namespace detail).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "util/huge_pages.hpp"
#include "util/time_order.hpp"

namespace hazard::detail {

/// The cut points of aeqSurv from the sorted distinct values y; empty when nothing merges (no
/// allocation then).
std::vector<double> aeq_cuts(std::span<const double> y);

/// The time that v becomes: the largest cut <= v (cuts from aeq_cuts, non-empty, v >= cuts[0]).
double aeq_fix(const std::vector<double>& cuts, double v);

/// R's aeqSurv on (start, stop] or right-censored times: modifies time (and start) in place;
/// returns whether any value changed. O(n log n) (one sort of a copy).
bool aeq_surv(std::vector<double>& time, std::vector<double>& start);

/// aeq_cuts' decision from the distinct values fed in ascending order, in one pass and without
/// storing them: whether some gap dy to the previous value has dy <= tol or dy / mean(|y|) <= tol.
/// Only the smallest gap needs testing (a correctly rounded quotient by a positive mean does not
/// decrease as dy grows), and the mean is summed in aeq_cuts' order, so the answer is aeq_cuts'.
class AeqScan {
 public:
  void add(double y) {
    if (m_ > 0) min_gap_ = std::min(min_gap_, y - prev_);
    sum_ += std::fabs(y);
    prev_ = y;
    ++m_;
  }
  bool merges() const {
    if (m_ < 2) return false;
    const double meanabs = sum_ / static_cast<double>(m_);
    const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
    return min_gap_ <= tol || min_gap_ / meanabs <= tol;
  }

 private:
  double sum_ = 0, prev_ = 0, min_gap_ = std::numeric_limits<double>::infinity();
  std::size_t m_ = 0;
};

/// aeq_cuts' decision from the smallest gap between m distinct values and a sum of their |y|
/// made in another order than aeq_cuts' (ascending): each of two sums of m non-negative terms is
/// within (m - 1) u of the exact sum (u = 2^-53; Higham, Accuracy and Stability of Numerical
/// Algorithms, 2002, sec. 4.2), so they differ by at most ~2 (m - 1) u relative, and the decision
/// is certain unless min gap / mean is within (4 m + 16) u of tol: std::nullopt there (the caller
/// scans in ascending order), and for a sum out of the normal range.
inline std::optional<bool> aeq_merges_within_margin(double min_gap, double sum, std::size_t m) {
  if (m < 2) return false;
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  if (min_gap <= tol) return true;
  const double meanabs = sum / static_cast<double>(m);
  if (!(meanabs >= std::numeric_limits<double>::min() &&
        meanabs <= std::numeric_limits<double>::max()))
    return std::nullopt;
  const double q = min_gap / meanabs;
  const double margin =
      (4.0 * static_cast<double>(m) + 16.0) * (std::numeric_limits<double>::epsilon() / 2);
  if (q <= tol * (1 - margin)) return true;
  if (q > tol * (1 + margin)) return false;
  return std::nullopt;
}

/// AeqScan fed the distinct values in descending order (a backward pass): the gaps are the same
/// differences, but the mean of |y| is summed in the other order: merges() is
/// aeq_merges_within_margin (std::nullopt near tol; the caller then scans in ascending order).
class AeqScanDescending {
 public:
  void add(double y) {
    if (m_ > 0) min_gap_ = std::min(min_gap_, prev_ - y);
    sum_ += std::fabs(y);
    prev_ = y;
    ++m_;
  }
  std::optional<bool> merges() const { return aeq_merges_within_margin(min_gap_, sum_, m_); }

 private:
  double sum_ = 0, prev_ = 0, min_gap_ = std::numeric_limits<double>::infinity();
  std::size_t m_ = 0;
};

/// Whether aeq_surv would change any of the times of `rows` [begin, end), sorted by ascending
/// time key (any row type with a `key` member made by time_key, e.g. KeyedRow or
/// LogrankWorkspace::Row): one pass over the rows, no allocation, no sort.
template <class Row>
bool aeq_merges_sorted(std::span<const Row> rows) {
  AeqScan scan;
  for (std::size_t k = 0; k < rows.size(); ++k)
    if (k == 0 || rows[k].key != rows[k - 1].key) scan.add(key_time(rows[k].key));
  return scan.merges();
}

/// Whether aeq_surv would change any of the times of `rows` (sorted by sort_rows_by_time).
bool aeq_merges(const HugeVector<KeyedRow>& rows);

/// Whether aeq_surv would change any time, given the distinct times of each block of the data
/// (each list sorted ascending and without repeats, e.g. one per group or stratum, together every
/// distinct time): the lists are walked in step (O(m K) for m distinct times in K lists), no sort
/// and no allocation.
bool aeq_merges(const std::vector<std::span<const double>>& distinct_by_block);

/// Whether aeq_surv would change any time of the rows of `lists` (each sorted by time, as
/// sort_packed_rows leaves them): aeq_merges_lists' answer, made in two halves of the time range
/// on two threads (two_halves; the halves cut at the middle row's time of the longest list). Each
/// half scans its distinct values in ascending order (the lists merged by key); the smallest gap
/// is exact (the gap across the cut added), the sum of |y| is the halves' sums added
/// (aeq_merges_within_margin; near tol the lists are scanned again as one, aeq_merges_lists).
bool aeq_merges_packed_lists(std::span<const std::vector<PackedRow>> lists);

/// aeq_merges on `lists` lists read through `size(k)` and `time(k, i)`, each list ascending (a
/// time may repeat, e.g. the sorted rows of a group): the distinct values of all lists in
/// ascending order (the smallest head, then every list past it) fed to AeqScan.
template <class Size, class Time>
bool aeq_merges_lists(std::size_t lists, Size&& size, Time&& time) {
  std::vector<std::size_t> at(lists, 0);
  AeqScan scan;
  for (;;) {
    bool any = false;
    double y = 0;
    for (std::size_t k = 0; k < lists; ++k)
      if (at[k] < size(k) && (!any || time(k, at[k]) < y)) {
        y = time(k, at[k]);
        any = true;
      }
    if (!any) break;
    scan.add(y);
    for (std::size_t k = 0; k < lists; ++k)
      while (at[k] < size(k) && time(k, at[k]) == y) ++at[k];
  }
  return scan.merges();
}

}  // namespace hazard::detail
