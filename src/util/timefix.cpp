// R's aeqSurv (timefix): see util/timefix.hpp for the rule and its source.
#include "util/timefix.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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

}  // namespace hazard::detail
