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

#include <cmath>
#include <cstddef>
#include <limits>
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

/// Whether aeq_surv would change any of the times of `rows` [begin, end), sorted by ascending
/// time key (any row type with a `key` member made by time_key, e.g. KeyedRow or
/// LogrankWorkspace::Row): two passes over the rows, no allocation, no sort.
template <class Row>
bool aeq_merges_sorted(std::span<const Row> rows) {
  const std::size_t n = rows.size();
  double sum = 0;
  std::size_t m = 0;  // distinct times
  for (std::size_t k = 0; k < n; ++k)
    if (k == 0 || rows[k].key != rows[k - 1].key) {
      sum += std::fabs(key_time(rows[k].key));
      ++m;
    }
  if (m < 2) return false;
  const double meanabs = sum / static_cast<double>(m);
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  double prev = key_time(rows[0].key);
  for (std::size_t k = 1; k < n; ++k)
    if (rows[k].key != rows[k - 1].key) {
      const double t = key_time(rows[k].key), dy = t - prev;
      if (dy <= tol || dy / meanabs <= tol) return true;
      prev = t;
    }
  return false;
}

/// Whether aeq_surv would change any of the times of `rows` (sorted by sort_rows_by_time).
bool aeq_merges(const HugeVector<KeyedRow>& rows);

/// Whether aeq_surv would change any time, given the distinct times of each block of the data
/// (each list sorted ascending and without repeats, e.g. one per group or stratum, together every
/// distinct time): the lists are merged (O(m log K) for m distinct times in K lists), no sort.
bool aeq_merges(const std::vector<std::span<const double>>& distinct_by_block);

}  // namespace hazard::detail
