// Score residuals of a Cox model (R survival's residuals.coxph(type = "score"): coxscore2.c for
// right-censored data, agscore for (start, stop]), Breslow or Efron. They are the building block
// of the robust (sandwich) variance: dfbeta = score residuals %*% var.
//
//   L_i = sum_t [i dies at t] (x_i - xbar(t)) - sum_t Y_i(t) r_i (x_i - xbar(t)) dLambda(t)
// with xbar(t) = sum_R w r x / sum_R w r and dLambda(t) = sum of event weights / sum_R w r.
// Efron: with m tied events the event time counts as m sub-steps; at sub-step k (k = 0..m-1) the
// events carry weight (1 - k/m) in the denominator and in xbar, each event gets (x_i - xbar_k)/m
// and is charged (1 - k/m) of the hazard increment (coxscore2's "downwt").
//
// Implementation: one descending pass per stratum builds the risk-set sums at each event time
// (rows join at their stop, leave at their start); the hazard and xbar*hazard increments are then
// accumulated over time so that each row's charge is a difference of two cumulative sums found
// by binary search: O(n log n + n p).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "cox/cox_detail.hpp"

namespace hazard::detail {

std::vector<double> score_residuals(const CoxSorted& d, const std::vector<double>& x0,
                                    const std::vector<double>& risk, bool efron) {
  const std::size_t n = d.n, p = d.p;
  std::vector<double> resid(n * p, 0.0);
  std::size_t b = 0;
  while (b < n) {
    std::size_t e = b;
    while (e < n && d.stratum[e] == d.stratum[b]) ++e;
    const StratumOrder order = stratum_order(d, b, e);
    const std::vector<std::size_t>& by_stop = order.by_stop;
    const bool counting = d.counting;
    RiskSetSums rs(d, order, x0, risk);
    const std::vector<double>& a = rs.s1;
    // event times, descending, with their hazard increments
    std::vector<double> etime, dH;      // per event time
    std::vector<double> dXH;            // per event time, p
    std::vector<double> a2(p), xbar(p);
    const std::size_t m_rows = e - b;
    std::size_t k = 0;
    while (k < m_rows) {
      // next event time (descending)
      while (k < m_rows && d.status[by_stop[k]] == 0) ++k;
      if (k == m_rows) break;
      const double t = d.time[by_stop[k]];
      rs.advance(t);  // rows with stop >= t in, rows with start >= t out
      const double denom = rs.s0;
      // the events at t
      double e_denom = 0, meanwt = 0;
      int deaths = 0;
      std::fill(a2.begin(), a2.end(), 0.0);
      std::size_t k2 = k;
      for (; k2 < m_rows && d.time[by_stop[k2]] == t; ++k2) {
        const std::size_t r = by_stop[k2];
        if (d.status[r] == 0) continue;
        ++deaths;
        const double wr = d.weight[r] * risk[r];
        e_denom += wr;
        meanwt += d.weight[r];
        for (std::size_t j = 0; j < p; ++j) a2[j] += wr * x0[r * p + j];
      }
      double hsum = 0;
      std::vector<double> xh(p, 0.0);
      if (!efron || deaths == 1) {
        const double hazard = meanwt / denom;
        hsum = hazard;
        for (std::size_t j = 0; j < p; ++j) {
          xbar[j] = a[j] / denom;
          xh[j] = xbar[j] * hazard;
        }
        for (std::size_t q = k; q < k2; ++q) {
          const std::size_t r = by_stop[q];
          if (d.status[r] == 0) continue;
          for (std::size_t j = 0; j < p; ++j) resid[r * p + j] += x0[r * p + j] - xbar[j];
        }
      } else {
        // Per event, sum over the m sub-steps k of (x_i - xbar_k)/m + (k/m) r_i (x_i - xbar_k) h_k
        // = x_i (1 + r_i A) - B - r_i C with A = sum (k/m) h_k, B = sum xbar_k / m,
        // C = sum (k/m) h_k xbar_k: O(m p) per event time, however many events are tied.
        meanwt /= deaths;
        double A = 0;
        std::vector<double> B(p, 0.0), Cv(p, 0.0);
        for (int dd = 0; dd < deaths; ++dd) {
          const double downwt = static_cast<double>(dd) / deaths;
          const double temp = denom - downwt * e_denom;
          const double hazard = meanwt / temp;
          hsum += hazard;
          A += downwt * hazard;
          for (std::size_t j = 0; j < p; ++j) {
            xbar[j] = (a[j] - downwt * a2[j]) / temp;
            xh[j] += xbar[j] * hazard;
            B[j] += xbar[j] / deaths;
            Cv[j] += downwt * hazard * xbar[j];
          }
        }
        for (std::size_t q = k; q < k2; ++q) {
          const std::size_t r = by_stop[q];
          if (d.status[r] == 0) continue;
          for (std::size_t j = 0; j < p; ++j)
            resid[r * p + j] += x0[r * p + j] * (1 + risk[r] * A) - B[j] - risk[r] * Cv[j];
        }
      }
      etime.push_back(t);
      dH.push_back(hsum);
      dXH.insert(dXH.end(), xh.begin(), xh.end());
      k = k2;
    }
    // cumulative sums in ascending time: C[q] = sum of increments at the q smallest event times
    const std::size_t ne = etime.size();
    std::vector<double> tasc(ne), C(ne + 1, 0.0), XC((ne + 1) * p, 0.0);
    for (std::size_t q = 0; q < ne; ++q) {
      const std::size_t src = ne - 1 - q;
      tasc[q] = etime[src];
      C[q + 1] = C[q] + dH[src];
      for (std::size_t j = 0; j < p; ++j) XC[(q + 1) * p + j] = XC[q * p + j] + dXH[src * p + j];
    }
    for (std::size_t r = b; r < e; ++r) {
      // event times t with start < t <= stop
      const std::size_t hi = static_cast<std::size_t>(
          std::upper_bound(tasc.begin(), tasc.end(), d.time[r]) - tasc.begin());
      std::size_t lo = 0;
      if (counting)
        lo = static_cast<std::size_t>(
            std::upper_bound(tasc.begin(), tasc.end(), d.start[r]) - tasc.begin());
      if (hi <= lo) continue;
      const double ch = C[hi] - C[lo];
      for (std::size_t j = 0; j < p; ++j)
        resid[r * p + j] -= risk[r] * (x0[r * p + j] * ch - (XC[hi * p + j] - XC[lo * p + j]));
    }
    b = e;
  }
  return resid;
}

}  // namespace hazard::detail
