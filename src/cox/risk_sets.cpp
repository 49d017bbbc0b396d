// Risk-set sums of a fitted Cox model at every event time, the common ground of the residuals,
// the baseline hazard (and, with `second`, the information sums a cox.zph-type test needs).
//
// At an event time t of stratum s the risk set is {i in s: start_i < t <= stop_i} (start = -inf
// for right-censored data); with risk r_i = exp(eta_i) and case weight w_i:
//   denom = sum_R w r,  a = sum_R w r x,  c = sum_R w r x x',
// and the same over the deaths at t (edenom, a2, c2), their count m and weight sum wdead.
// Efron's approximation treats the m tied deaths as m sub-steps k = 0..m-1 in which the deaths
// carry weight (1 - k/m): denom_k = denom - (k/m) edenom, a_k = a - (k/m) a2 (R's coxmart,
// agmart3, coxscho, agsurv5, zph1/zph2); Breslow uses denom and a throughout.
//
// One sort per stratum by descending stop (and by descending start for (start, stop] data);
// one pass adds rows at their stop and removes them at their start, as R's agfit4/agmart3.
// A row whose start is not below the current event time is never at risk again and is never
// added (R's `keep`), which avoids adding and subtracting the same large risk score.
// Covariates are centred by their column mean first, as zph1 does, to keep c well conditioned.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "cox/cox_detail.hpp"
#include "cox/diag_detail.hpp"

namespace hazard::detail {

DiagData diag_data(const CoxData& data, const CoxResult& fit, const std::vector<std::size_t>& keep_in) {
  DiagData d;
  const std::size_t n = data.time.size();
  std::vector<std::size_t> keep = keep_in;
  if (keep.empty()) {
    keep.resize(static_cast<std::size_t>(data.x.cols()));
    std::iota(keep.begin(), keep.end(), std::size_t{0});
  }
  d.n = n;
  d.p = keep.size();
  d.counting = !data.start.empty();
  d.time = data.time;
  d.start = data.start;
  aeq_surv(d.time, d.start);
  d.status.resize(n);
  for (std::size_t i = 0; i < n; ++i) d.status[i] = data.status[i] ? 1 : 0;
  d.weight = data.weight.empty() ? std::vector<double>(n, 1.0) : data.weight;
  // dense stratum codes in sorted order, as R's factor levels
  d.stratum.assign(n, 0);
  if (!data.stratum.empty()) {
    d.stratum_code = data.stratum;
    std::sort(d.stratum_code.begin(), d.stratum_code.end());
    d.stratum_code.erase(std::unique(d.stratum_code.begin(), d.stratum_code.end()), d.stratum_code.end());
    for (std::size_t i = 0; i < n; ++i)
      d.stratum[i] = static_cast<std::int32_t>(
          std::lower_bound(d.stratum_code.begin(), d.stratum_code.end(), data.stratum[i]) - d.stratum_code.begin());
  } else {
    d.stratum_code = {0};
  }
  d.risk.resize(n);
  for (std::size_t i = 0; i < n; ++i) d.risk[i] = std::exp(fit.linear_predictor[i]);
  const std::size_t p = d.p;
  d.x.resize(n * p);
  d.xmean.assign(p, 0.0);
  for (std::size_t j = 0; j < p; ++j) {
    const auto J = static_cast<Eigen::Index>(keep[j]);
    double m = 0;
    for (std::size_t i = 0; i < n; ++i) m += data.x(static_cast<Eigen::Index>(i), J);
    m /= static_cast<double>(n);
    d.xmean[j] = m;
    for (std::size_t i = 0; i < n; ++i) d.x[i * p + j] = data.x(static_cast<Eigen::Index>(i), J) - m;
  }
  return d;
}

void walk_event_times(const DiagData& d, bool second, const std::function<void(const EventState&)>& visit) {
  const std::size_t n = d.n, p = d.p;
  std::vector<std::size_t> by_stop(n), by_start;
  std::iota(by_stop.begin(), by_stop.end(), std::size_t{0});
  std::sort(by_stop.begin(), by_stop.end(), [&](std::size_t i, std::size_t j) {
    if (d.stratum[i] != d.stratum[j]) return d.stratum[i] < d.stratum[j];
    if (d.time[i] != d.time[j]) return d.time[i] > d.time[j];
    return i < j;
  });
  if (d.counting) {
    by_start.resize(n);
    std::iota(by_start.begin(), by_start.end(), std::size_t{0});
    std::sort(by_start.begin(), by_start.end(), [&](std::size_t i, std::size_t j) {
      if (d.stratum[i] != d.stratum[j]) return d.stratum[i] < d.stratum[j];
      if (d.start[i] != d.start[j]) return d.start[i] > d.start[j];
      return i < j;
    });
  }
  std::vector<std::uint8_t> in(n, 0);  // 1 = in the risk-set sums
  std::vector<double> a(p), a2(p), c(second ? p * p : 0), c2(second ? p * p : 0);
  std::vector<std::size_t> deaths;
  EventState st;
  st.a = a.data();
  st.a2 = a2.data();
  st.c = second ? c.data() : nullptr;
  st.c2 = second ? c2.data() : nullptr;
  st.deaths = &deaths;

  auto accumulate = [&](std::size_t r, double sign, double* sa, double* sc) {
    const double wr = sign * d.weight[r] * d.risk[r];
    const double* xr = &d.x[r * p];
    for (std::size_t i = 0; i < p; ++i) {
      sa[i] += wr * xr[i];
      if (sc)
        for (std::size_t j = 0; j <= i; ++j) sc[i * p + j] += wr * xr[i] * xr[j];
    }
  };

  std::size_t b = 0, b2 = 0;
  while (b < n) {
    const std::int32_t s = d.stratum[by_stop[b]];
    std::size_t e = b;
    while (e < n && d.stratum[by_stop[e]] == s) ++e;
    std::size_t e2 = b2;
    if (d.counting)
      while (e2 < n && d.stratum[by_start[e2]] == s) ++e2;
    std::fill(a.begin(), a.end(), 0.0);
    std::fill(c.begin(), c.end(), 0.0);
    double denom = 0;
    std::size_t ia = b, ir = b2;
    std::size_t k = b;
    while (k < e) {
      while (k < e && d.status[by_stop[k]] == 0) ++k;
      if (k == e) break;
      const double t = d.time[by_stop[k]];
      if (d.counting) {
        for (; ir < e2 && d.start[by_start[ir]] >= t; ++ir) {
          const std::size_t r = by_start[ir];
          if (in[r] != 1) continue;
          in[r] = 2;
          denom -= d.weight[r] * d.risk[r];
          accumulate(r, -1, a.data(), second ? c.data() : nullptr);
        }
      }
      deaths.clear();
      double edenom = 0, wdead = 0;
      std::fill(a2.begin(), a2.end(), 0.0);
      std::fill(c2.begin(), c2.end(), 0.0);
      for (; ia < e && d.time[by_stop[ia]] >= t; ++ia) {
        const std::size_t r = by_stop[ia];
        if (d.counting && d.start[r] >= t) continue;  // never at risk from here on
        in[r] = 1;
        denom += d.weight[r] * d.risk[r];
        accumulate(r, 1, a.data(), second ? c.data() : nullptr);
        if (d.status[r] && d.time[r] == t) {
          deaths.push_back(r);
          edenom += d.weight[r] * d.risk[r];
          wdead += d.weight[r];
          accumulate(r, 1, a2.data(), second ? c2.data() : nullptr);
        }
      }
      std::sort(deaths.begin(), deaths.end());
      st.stratum = s;
      st.time = t;
      st.ndead = static_cast<double>(deaths.size());
      st.wdead = wdead;
      st.denom = denom;
      st.edenom = edenom;
      visit(st);
      k = ia;
    }
    b = e;
    b2 = e2;
  }
}

EventSums event_sums(const DiagData& d, bool second) {
  EventSums es;
  const std::size_t p = d.p;
  es.p = p;
  es.second = second;
  walk_event_times(d, second, [&](const EventState& st) {
    es.stratum.push_back(st.stratum);
    es.time.push_back(st.time);
    es.ndead.push_back(st.ndead);
    es.wdead.push_back(st.wdead);
    es.denom.push_back(st.denom);
    es.edenom.push_back(st.edenom);
    es.a.insert(es.a.end(), st.a, st.a + p);
    es.a2.insert(es.a2.end(), st.a2, st.a2 + p);
    if (second) {
      es.c.insert(es.c.end(), st.c, st.c + p * p);
      es.c2.insert(es.c2.end(), st.c2, st.c2 + p * p);
    }
  });
  // each stratum was visited in descending time: reverse within strata
  const std::size_t m = es.size();
  const std::size_t nstrata = d.stratum_code.size();
  es.strat_begin.assign(nstrata + 1, 0);
  std::size_t q = 0;
  while (q < m) {
    std::size_t e = q;
    while (e < m && es.stratum[e] == es.stratum[q]) ++e;
    auto rev = [&](auto& v, std::size_t w) {
      for (std::size_t i = q, j = e - 1; i < j; ++i, --j)
        for (std::size_t c = 0; c < w; ++c) std::swap(v[i * w + c], v[j * w + c]);
    };
    rev(es.time, 1);
    rev(es.ndead, 1);
    rev(es.wdead, 1);
    rev(es.denom, 1);
    rev(es.edenom, 1);
    rev(es.a, p);
    rev(es.a2, p);
    if (second) {
      rev(es.c, p * p);
      rev(es.c2, p * p);
    }
    q = e;
  }
  // strata boundaries
  for (std::size_t s = 0; s <= nstrata; ++s)
    es.strat_begin[s] = static_cast<std::size_t>(
        std::lower_bound(es.stratum.begin(), es.stratum.end(), static_cast<std::int32_t>(s)) - es.stratum.begin());
  return es;
}

HazardSteps hazard_steps(const EventSums& es, bool efron) {
  HazardSteps h;
  const std::size_t m = es.size();
  h.full.resize(m);
  h.dead.resize(m);
  for (std::size_t q = 0; q < m; ++q) {
    const double nd = es.ndead[q];
    if (!efron || nd < 2) {
      h.full[q] = h.dead[q] = es.wdead[q] / es.denom[q];
      continue;
    }
    const double wbar = es.wdead[q] / nd;
    double full = 0, dead = 0;
    for (double k = 0; k < nd; k += 1) {
      const double down = k / nd;
      const double den = es.denom[q] - down * es.edenom[q];
      full += wbar / den;
      dead += wbar * (1 - down) / den;
    }
    h.full[q] = full;
    h.dead[q] = dead;
  }
  return h;
}

void event_range(const EventSums& es, std::int32_t s, double start, double stop, bool counting,
                 std::size_t& lo, std::size_t& hi) {
  const auto S = static_cast<std::size_t>(s);
  const auto first = es.time.begin() + static_cast<std::ptrdiff_t>(es.strat_begin[S]);
  const auto last = es.time.begin() + static_cast<std::ptrdiff_t>(es.strat_begin[S + 1]);
  hi = static_cast<std::size_t>(std::upper_bound(first, last, stop) - es.time.begin());
  lo = counting ? static_cast<std::size_t>(std::upper_bound(first, last, start) - es.time.begin()) : es.strat_begin[S];
}

}  // namespace hazard::detail
