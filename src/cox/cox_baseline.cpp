// The baseline cumulative hazard of a Cox fit at the covariate means, as R's basehaz(fit)
// (survfit.coxph with se.fit = FALSE): per stratum, at each distinct time t,
//   dLambda(t) = sum_{events at t} w / sum_{at risk} w r          (Breslow)
//   dLambda(t) = sum_k wbar / (sum_R w r - (k/m) sum_D w r)        (Efron fits, m tied events)
// with r = exp(lp) and lp centred at fit$means, so that this is the hazard of a subject at the
// means; S = exp(-Lambda). n_risk and n_event are weighted counts (as survfit). At risk: start < t <= stop.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "cox/cox_detail.hpp"
#include "hazard/cox.hpp"

namespace hazard {

CoxBaseline cox_baseline(const CoxData& in, const CoxResult& fit) {
  CoxData data = in;
  detail::aeq_surv(data.time, data.start);
  detail::CoxSorted d = detail::prepare(data, Ties::efron);
  const std::size_t n = d.n;
  const bool efron = fit.ties == Ties::efron;
  CoxBaseline out;
  std::size_t b = 0;
  while (b < n) {
    std::size_t e = b;
    while (e < n && d.stratum[e] == d.stratum[b]) ++e;
    std::vector<std::size_t> by_stop(e - b), by_start;
    std::iota(by_stop.begin(), by_stop.end(), b);
    std::stable_sort(by_stop.begin(), by_stop.end(), [&](std::size_t a1, std::size_t a2) { return d.time[a1] > d.time[a2]; });
    if (d.counting) {
      by_start = by_stop;
      std::stable_sort(by_start.begin(), by_start.end(), [&](std::size_t a1, std::size_t a2) { return d.start[a1] > d.start[a2]; });
    }
    const std::size_t m = e - b;
    std::vector<double> t_desc, h_desc, nr_desc, ne_desc;
    double denom = 0, nrisk = 0;
    std::size_t ia = 0, ir = 0;
    while (ia < m) {
      const double t = d.time[by_stop[ia]];
      double e_denom = 0, wsum = 0, nev = 0;
      for (; ia < m && d.time[by_stop[ia]] == t; ++ia) {
        const std::size_t r = by_stop[ia];
        const double wr = d.weight[r] * std::exp(fit.linear_predictor[d.order[r]]);
        denom += wr;
        nrisk += d.weight[r];
        if (d.status[r]) {
          e_denom += wr;
          wsum += d.weight[r];
          nev += 1;
        }
      }
      if (d.counting)
        for (; ir < m && d.start[by_start[ir]] >= t; ++ir) {
          const std::size_t r = by_start[ir];
          denom -= d.weight[r] * std::exp(fit.linear_predictor[d.order[r]]);
          nrisk -= d.weight[r];
        }
      double h = 0;
      if (nev > 0) {
        if (!efron || nev == 1) {
          h = wsum / denom;
        } else {
          const double wbar = wsum / nev;
          for (int k = 0; k < static_cast<int>(nev); ++k) h += wbar / (denom - (k / nev) * e_denom);
        }
      }
      t_desc.push_back(t);
      h_desc.push_back(h);
      nr_desc.push_back(nrisk);
      ne_desc.push_back(wsum);
    }
    double cum = 0;
    for (std::size_t q = t_desc.size(); q-- > 0;) {
      cum += h_desc[q];
      out.stratum.push_back(d.stratum[b]);
      out.time.push_back(t_desc[q]);
      out.n_risk.push_back(nr_desc[q]);
      out.n_event.push_back(ne_desc[q]);
      out.cumhaz.push_back(cum);
      out.surv.push_back(std::exp(-cum));
    }
    b = e;
  }
  return out;
}

}  // namespace hazard
