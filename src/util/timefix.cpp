// R's aeqSurv (timefix): see util/timefix.hpp for the rule and its source.
#include "util/timefix.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "util/two_threads.hpp"

namespace hazard::detail {

std::vector<double> aeq_cuts(std::span<const double> y) {
  if (y.size() < 2) return {};
  double meanabs = 0;
  for (double v : y) meanabs += std::fabs(v);
  meanabs /= static_cast<double>(y.size());
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  auto merges = [&](std::size_t i) {
    const double dy = y[i] - y[i - 1];
    return dy <= tol || dy / meanabs <= tol;
  };
  // nothing is allocated unless some value merges (the common case: none)
  std::size_t first = 1;
  while (first < y.size() && !merges(first)) ++first;
  if (first == y.size()) return {};
  std::vector<double> cuts;  // every distinct value before the first merge, then the non-merging
  reserve_huge(cuts, y.size());
  cuts.assign(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(first));
  for (std::size_t i = first + 1; i < y.size(); ++i)
    if (!merges(i)) cuts.push_back(y[i]);
  return cuts;
}

double aeq_fix(const std::vector<double>& cuts, double v) {  // findInterval: largest cut <= v
  auto it = std::upper_bound(cuts.begin(), cuts.end(), v);
  return *(it - 1);
}

bool aeq_surv(std::vector<double>& time, std::vector<double>& start) {
  std::vector<double> y(time);
  y.insert(y.end(), start.begin(), start.end());
  sort_values(y);
  y.erase(std::unique(y.begin(), y.end()), y.end());
  const std::vector<double> cuts = aeq_cuts(y);
  if (cuts.empty()) return false;
  for (double& v : time) v = aeq_fix(cuts, v);
  for (double& v : start) v = aeq_fix(cuts, v);
  return true;
}

bool aeq_merges(const HugeVector<KeyedRow>& rows) {
  return aeq_merges_sorted(std::span<const KeyedRow>(rows.data(), rows.size()));
}

bool aeq_merges(const std::vector<std::span<const double>>& lists) {
  return aeq_merges_lists(
      lists.size(), [&](std::size_t k) { return lists[k].size(); },
      [&](std::size_t k, std::size_t i) { return lists[k][i]; });
}

namespace {

/// The ascending scan of the distinct times of the rows [from[k], to[k]) of each list k (sorted by
/// time; keys compare as the times): AeqScan's numbers and the first and last value.
struct RangeScan {
  double first = 0, last = 0, sum = 0, min_gap = std::numeric_limits<double>::infinity();
  std::size_t m = 0;
};
RangeScan scan_range(std::span<const std::vector<PackedRow>> lists,
                     const std::vector<std::size_t>& from, const std::vector<std::size_t>& to) {
  RangeScan r;
  if (lists.size() <= 2) {
    // one or two lists: a merge without branches on the data (a time is new or a repeat, from
    // either list, in no predictable pattern); a repeat adds 0 to the sum and an infinite gap
    const PackedRow* a = lists[0].data() + from[0];
    const PackedRow* const a_end = lists[0].data() + to[0];
    const PackedRow *b = a_end, *b_end = a_end;
    if (lists.size() == 2) {
      b = lists[1].data() + from[1];
      b_end = lists[1].data() + to[1];
    }
    constexpr double inf = std::numeric_limits<double>::infinity();
    std::uint64_t prev = ~std::uint64_t{0};  // (no time's bits: they are below 2^63)
    double last = -inf, min_gap = inf, sum = 0;
    std::size_t m = 0;
    auto take = [&](std::uint64_t v) {
      const double t = PackedRow(v << 1).time();
      const bool fresh = v != prev;
      min_gap = std::min(min_gap, fresh ? t - last : inf);
      sum += fresh ? std::fabs(t) : 0.0;
      m += fresh ? 1 : 0;
      if (m == 1 && fresh) r.first = t;
      last = t;
      prev = v;
    };
    while (a < a_end && b < b_end) {
      const std::uint64_t x = a->time_bits(), y = b->time_bits();
      const std::uint64_t v = std::min(x, y);
      a += x == v ? 1 : 0;
      b += y == v ? 1 : 0;
      take(v);
    }
    for (; a < a_end; ++a) take(a->time_bits());
    for (; b < b_end; ++b) take(b->time_bits());
    r.last = last;
    r.min_gap = min_gap;
    r.sum = sum;
    r.m = m;
    return r;
  }
  std::vector<std::size_t> at(from);
  for (;;) {
    bool any = false;
    std::uint64_t y = 0;
    for (std::size_t k = 0; k < lists.size(); ++k)
      if (at[k] < to[k] && (!any || lists[k][at[k]].time_bits() < y)) {
        y = lists[k][at[k]].time_bits();
        any = true;
      }
    if (!any) break;
    const double t = PackedRow(y << 1).time();
    if (r.m == 0)
      r.first = t;
    else
      r.min_gap = std::min(r.min_gap, t - r.last);
    r.sum += std::fabs(t);
    r.last = t;
    ++r.m;
    for (std::size_t k = 0; k < lists.size(); ++k)
      while (at[k] < to[k] && lists[k][at[k]].time_bits() == y) ++at[k];
  }
  return r;
}

}  // namespace

bool aeq_merges_packed_lists(std::span<const std::vector<PackedRow>> lists) {
  std::size_t n = 0, longest = 0;
  for (std::size_t k = 0; k < lists.size(); ++k) {
    n += lists[k].size();
    if (lists[k].size() > lists[longest].size()) longest = k;
  }
  if (n == 0) return false;
  // the cut: the middle row's time of the longest list; each list's rows below it in half 0
  const std::uint64_t cut = lists[longest][lists[longest].size() / 2].time_bits();
  std::vector<std::size_t> zero(lists.size(), 0), mid(lists.size()), end(lists.size());
  for (std::size_t k = 0; k < lists.size(); ++k) {
    end[k] = lists[k].size();
    mid[k] = static_cast<std::size_t>(
        std::partition_point(lists[k].begin(), lists[k].end(),
                             [&](const PackedRow& r) { return r.time_bits() < cut; }) -
        lists[k].begin());
  }
  RangeScan half[2];
  two_halves(n, [&](int h) {
    half[h] = h == 0 ? scan_range(lists, zero, mid) : scan_range(lists, mid, end);
  });
  double min_gap = std::min(half[0].min_gap, half[1].min_gap);
  if (half[0].m > 0 && half[1].m > 0) min_gap = std::min(min_gap, half[1].first - half[0].last);
  const std::optional<bool> sure =
      aeq_merges_within_margin(min_gap, half[0].sum + half[1].sum, half[0].m + half[1].m);
  if (sure) return *sure;
  return aeq_merges_lists(
      lists.size(), [&](std::size_t k) { return lists[k].size(); },
      [&](std::size_t k, std::size_t i) { return lists[k][i].time(); });
}

}  // namespace hazard::detail
