// Per-stratum risk-set orders and running risk-set sums, shared by what is computed from a
// fitted Cox model one stratum at a time (residuals, score residuals).
//
// Walking time downwards, a row joins the risk set at its stop time and leaves it once t falls
// to its start time or below (R(t) = {start < t <= stop}); with the rows sorted by descending
// stop and by descending start, two indices do this in one pass.
#include <algorithm>
#include <numeric>

#include "cox/cox_detail.hpp"

namespace hazard::detail {

StratumOrder stratum_order(const CoxSorted& d, std::size_t b, std::size_t e) {
  StratumOrder o;
  o.by_stop.resize(e - b);
  std::iota(o.by_stop.begin(), o.by_stop.end(), b);
  std::stable_sort(o.by_stop.begin(), o.by_stop.end(),
                   [&](std::size_t a1, std::size_t a2) { return d.time[a1] > d.time[a2]; });
  if (d.counting) {
    o.by_start = o.by_stop;
    std::stable_sort(o.by_start.begin(), o.by_start.end(),
                     [&](std::size_t a1, std::size_t a2) { return d.start[a1] > d.start[a2]; });
  }
  return o;
}

RiskSetSums::RiskSetSums(const CoxSorted& d, const StratumOrder& order,
                         const std::vector<double>& x0, const std::vector<double>& risk)
    : s1(d.p, 0.0), d_(d), o_(order), x0_(x0), risk_(risk) {}

void RiskSetSums::advance(double t) {
  const std::size_t p = d_.p, m = o_.by_stop.size();
  for (; joined_ < m && d_.time[o_.by_stop[joined_]] >= t; ++joined_) {
    const std::size_t r = o_.by_stop[joined_];
    const double wr = d_.weight[r] * risk_[r];
    s0 += wr;
    for (std::size_t j = 0; j < p; ++j) s1[j] += wr * x0_[r * p + j];
  }
  if (!d_.counting) return;
  for (; left_ < m && d_.start[o_.by_start[left_]] >= t; ++left_) {
    const std::size_t r = o_.by_start[left_];
    const double wr = d_.weight[r] * risk_[r];
    s0 -= wr;
    for (std::size_t j = 0; j < p; ++j) s1[j] -= wr * x0_[r * p + j];
  }
}

}  // namespace hazard::detail
