// The distinct event times of a two-arm comparison, per stratum: the sufficient statistics of
// every weighted log-rank test of the two arms (TwoArmEventTimes, include/hazard/nph.hpp).
//
// Formula. Within a stratum, at each distinct time t with events: n, n_1 the (case-weighted)
// numbers at risk (time >= t) in all and in arm 1, d, d_1 the events, and S(t-) the pooled
// Kaplan–Meier of the stratum just before t (prod over earlier event times of 1 - d / n). The
// terms of a weighted log-rank statistic with weight w(t):
//     U = sum_t w(t) [d_1 - d n_1 / n],   Var U = sum_t w(t)^2 c d (n_1 / n)(1 - n_1 / n),
// c = (n - d) / (n - 1) the hypergeometric correction for ties (0 for n = 1), as survdiff2.c;
// with case weights c = 1 (the Breslow score test of the weighted Cox model, as logrank_stats).
// Two statistics with weights w_a, w_b have Cov(U_a, U_b) = sum_t w_a w_b c d (n_1/n)(1 - n_1/n)
// (the same martingale, Fleming & Harrington 1991, ch. 7): the table holds these terms once, so
// any number of weightings cost O(D) each.
//
// Source: the sums of R's survdiff (survdiff2.c) and of src/logrank/logrank.cpp, restricted to
// two groups and kept per time instead of summed.
//
// Input contract: spans of equal length, any order; status 1/0; group codes 0/1; stratum codes
// >= 0 (empty = one stratum); weights >= 0 (empty = unweighted). Times compare exactly.
// Cost: one sort of the row indices by (stratum, time), then two linear passes per stratum
// (backward for the risk sets, which are built up, never subtracted down; forward for S).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"
#include "util/timefix.hpp"

namespace hazard {

TwoArmEventTimes two_arm_event_times(const LogrankInput& in) {
  const std::size_t n = in.time.size();
  if (in.status.size() != n || in.group.size() != n ||
      (!in.stratum.empty() && in.stratum.size() != n) ||
      (!in.weight.empty() && in.weight.size() != n))
    throw std::invalid_argument("two_arm_event_times: spans of unequal length");
  if (in.n_groups != 0 && in.n_groups != 2)
    throw std::invalid_argument("two_arm_event_times: two groups only");
  for (std::size_t i = 0; i < n; ++i) {
    if (in.group[i] != 0 && in.group[i] != 1)
      throw std::invalid_argument("two_arm_event_times: group codes must be 0 or 1");
    if (!in.stratum.empty() && in.stratum[i] < 0)
      throw std::invalid_argument("two_arm_event_times: negative stratum code");
    if (!in.weight.empty() && !(in.weight[i] >= 0.0))
      throw std::invalid_argument("two_arm_event_times: weights must be >= 0");
  }
  const bool weighted = !in.weight.empty();
  auto code = [&](std::size_t i) { return in.stratum.empty() ? 0 : in.stratum[i]; };
  auto w = [&](std::size_t i) { return weighted ? in.weight[i] : 1.0; };
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto ca = code(a), cb = code(b);
    return ca != cb ? ca < cb : in.time[a] < in.time[b];
  });

  TwoArmEventTimes out;
  // frequencies (whole numbers) stand for identical rows: the unweighted statistic of those rows
  out.weighted = weighted && !in.frequency;
  for (std::size_t b = 0; b < n;) {
    std::size_t e = b;  // the stratum is order[b, e)
    while (e < n && code(order[e]) == code(order[b])) ++e;
    const std::size_t first = out.time.size();
    // backward over blocks of equal time: risk sets grow
    double risk = 0.0, risk1 = 0.0;
    for (std::size_t i = e; i > b;) {
      const double t = in.time[order[i - 1]];
      double d = 0.0, d1 = 0.0;
      std::size_t j = i;
      for (; j > b && in.time[order[j - 1]] == t; --j) {
        const std::size_t r = order[j - 1];
        const double wr = w(r);
        const bool g1 = in.group[r] == 1;
        risk += wr;
        if (g1) risk1 += wr;
        if (in.status[r] != 0) {
          d += wr;
          if (g1) d1 += wr;
        }
      }
      if (d > 0.0) {
        out.time.push_back(t);
        out.stratum.push_back(code(order[b]));
        out.deaths.push_back(d);
        out.deaths1.push_back(d1);
        out.at_risk.push_back(risk);
        out.at_risk1.push_back(risk1);
      }
      i = j;
    }
    // this stratum's times were appended last-first
    const auto off = static_cast<std::ptrdiff_t>(first);
    std::reverse(out.time.begin() + off, out.time.end());
    std::reverse(out.deaths.begin() + off, out.deaths.end());
    std::reverse(out.deaths1.begin() + off, out.deaths1.end());
    std::reverse(out.at_risk.begin() + off, out.at_risk.end());
    std::reverse(out.at_risk1.begin() + off, out.at_risk1.end());
    double S = 1.0;
    for (std::size_t k = first; k < out.time.size(); ++k) {
      const double d = out.deaths[k], nr = out.at_risk[k], n1 = out.at_risk1[k];
      out.surv_before.push_back(S);
      S *= 1.0 - d / nr;
      const double share = n1 / nr;
      out.score.push_back(out.deaths1[k] - d * share);
      double c = 1.0;
      if (!out.weighted) c = nr > 1.0 ? (nr - d) / (nr - 1.0) : 0.0;
      out.var.push_back(c * d * share * (1.0 - share));
    }
    b = e;
  }
  return out;
}

TwoArmEventTimes two_arm_event_times(const SurvData& data, bool timefix, bool* merged) {
  if (data.group.empty()) throw UsageError("a group (--group) is required");
  check_group_levels(data, 2, 2, "this test compares two groups");
  if (!data.start.empty())
    throw UsageError("this test takes right-censored data (time, status), not (start, stop] rows");
  LogrankInput in{.time = data.time,
                  .status = data.status,
                  .group = data.group,
                  .stratum = data.stratum,
                  .weight = data.weight,
                  .n_groups = 2,
                  .frequency = data.frequency};
  std::vector<double> fixed;
  bool changed = false;
  if (timefix) {
    fixed = data.time;
    std::vector<double> no_start;
    changed = detail::aeq_surv(fixed, no_start);
    if (changed) in.time = fixed;
  }
  if (merged) *merged = changed;
  return two_arm_event_times(in);
}

}  // namespace hazard
