// Residuals of a Cox fit, as R survival's residuals.coxph() (coxmart.c / agmart3.c for
// martingale, coxscore2.c / agscore for score, coxscho.c for Schoenfeld), with R's default
// weighting.
//
//   martingale  M_i = d_i - r_i [Lambda(stop_i) - Lambda(start_i)], r_i = exp(lp_i), Lambda the
//               Breslow (or Efron) cumulative hazard; Efron: an event at its own time is charged
//               sum_k (1 - k/m) h_k instead of sum_k h_k (coxmart's "temp").
//   deviance    sign(M) sqrt(-2 (M + d log(d - M)))
//   score       detail::score_residuals (unweighted)
//   dfbeta      w_i * score_i %*% V (V the model-based variance)
//   schoenfeld  per event: x_i - xbar(t), Efron: xbar averaged over the m sub-steps (unweighted)
//   scaledsch   schoenfeld %*% V * (number of events) + beta
// Per-stratum passes with cumulative sums and a binary search per row: O(n log n + n p).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "cox/cox_detail.hpp"
#include "hazard/cox.hpp"
#include "hazard/error.hpp"

namespace hazard {

std::string to_string(ResidualType t) {
  switch (t) {
    case ResidualType::martingale: return "martingale";
    case ResidualType::deviance: return "deviance";
    case ResidualType::score: return "score";
    case ResidualType::schoenfeld: return "schoenfeld";
    case ResidualType::scaledsch: return "scaledsch";
    case ResidualType::dfbeta: return "dfbeta";
  }
  return "martingale";
}

CoxResiduals cox_residuals(const CoxData& in, const CoxResult& fit, ResidualType type) {
  const std::size_t n = in.time.size();
  const std::size_t p = static_cast<std::size_t>(in.x.cols());
  const bool efron = fit.ties == Ties::efron;
  if (fit.ties == Ties::exact && type != ResidualType::martingale && type != ResidualType::deviance)
    throw UsageError(to_string(type) + " residuals are not available for the exact method (as R)");
  CoxData data = in;
  detail::aeq_surv(data.time, data.start);
  // any kernel order works here: by stratum and ascending time
  detail::CoxSorted d = detail::prepare(data, Ties::efron);
  std::vector<double> risk(n), x0(n * p);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = d.order[k];
    risk[k] = std::exp(fit.linear_predictor[i]);
    for (std::size_t j = 0; j < p; ++j) x0[k * p + j] = in.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  }
  CoxResiduals out;
  out.type = type;
  auto names = [&] {
    std::vector<std::string> v;
    for (const auto& t : fit.terms) v.push_back(t.term);
    return v;
  };
  auto per_row = [&](const std::vector<double>& vals, std::size_t cols) {
    out.values.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(cols));
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t j = 0; j < cols; ++j)
        out.values(static_cast<Eigen::Index>(d.order[k]), static_cast<Eigen::Index>(j)) = vals[k * cols + j];
    out.row.resize(n);
    std::iota(out.row.begin(), out.row.end(), std::size_t{0});
    out.time = in.time;
    out.stratum = in.stratum;
  };

  if (type == ResidualType::score || type == ResidualType::dfbeta) {
    std::vector<double> sc = detail::score_residuals(d, x0, risk, efron);
    if (type == ResidualType::dfbeta) {
      std::vector<double> db(n * p, 0.0);
      for (std::size_t k = 0; k < n; ++k)
        for (std::size_t j = 0; j < p; ++j) {
          double s = 0;
          for (std::size_t l = 0; l < p; ++l) s += sc[k * p + l] * fit.var(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(j));
          db[k * p + j] = s * d.weight[k];
        }
      sc.swap(db);
    }
    out.columns = names();
    per_row(sc, p);
    return out;
  }

  // one pass per stratum over the event times: hazard increments and (Schoenfeld) means
  std::vector<double> mart(n, 0.0);
  std::vector<double> sch;            // per event, p
  std::vector<std::size_t> sch_pos;   // kernel position of each event
  std::size_t b = 0;
  while (b < n) {
    std::size_t e = b;
    while (e < n && d.stratum[e] == d.stratum[b]) ++e;
    const detail::StratumOrder order = detail::stratum_order(d, b, e);
    const std::vector<std::size_t>& by_stop = order.by_stop;
    detail::RiskSetSums rs(d, order, x0, risk);
    const std::vector<double>& a = rs.s1;
    std::vector<double> et, dH;
    std::vector<double> a2(p), mean(p);
    std::size_t k = 0;
    const std::size_t m_rows = e - b;
    std::vector<std::pair<std::size_t, std::vector<double>>> stratum_sch;
    while (k < m_rows) {
      while (k < m_rows && d.status[by_stop[k]] == 0) ++k;
      if (k == m_rows) break;
      const double t = d.time[by_stop[k]];
      rs.advance(t);
      const double denom = rs.s0;
      double e_denom = 0, wsum = 0;
      int deaths = 0;
      std::fill(a2.begin(), a2.end(), 0.0);
      std::size_t k2 = k;
      for (; k2 < m_rows && d.time[by_stop[k2]] == t; ++k2) {
        const std::size_t r = by_stop[k2];
        if (!d.status[r]) continue;
        ++deaths;
        e_denom += d.weight[r] * risk[r];
        wsum += d.weight[r];
        for (std::size_t j = 0; j < p; ++j) a2[j] += d.weight[r] * risk[r] * x0[r * p + j];
      }
      double hazard = 0, death_hazard = 0;
      std::fill(mean.begin(), mean.end(), 0.0);
      if (!efron || deaths == 1) {
        hazard = death_hazard = wsum / denom;
        for (std::size_t j = 0; j < p; ++j) mean[j] = a[j] / denom;
      } else {
        const double wbar = wsum / deaths;
        for (int dd = 0; dd < deaths; ++dd) {
          const double downwt = static_cast<double>(dd) / deaths;
          const double den = denom - downwt * e_denom;
          hazard += wbar / den;
          death_hazard += wbar * (1 - downwt) / den;
          for (std::size_t j = 0; j < p; ++j) mean[j] += (a[j] - downwt * a2[j]) / den / deaths;
        }
      }
      for (std::size_t q = k; q < k2; ++q) {
        const std::size_t r = by_stop[q];
        if (!d.status[r]) continue;
        mart[r] += risk[r] * (hazard - death_hazard);  // refund: the event carries death_hazard only
        std::vector<double> s(p);
        for (std::size_t j = 0; j < p; ++j) s[j] = x0[r * p + j] - mean[j];
        stratum_sch.emplace_back(r, std::move(s));
      }
      et.push_back(t);
      dH.push_back(hazard);
      k = k2;
    }
    // cumulative hazard in ascending time
    const std::size_t ne = et.size();
    std::vector<double> tasc(ne), C(ne + 1, 0.0);
    for (std::size_t q = 0; q < ne; ++q) {
      tasc[q] = et[ne - 1 - q];
      C[q + 1] = C[q] + dH[ne - 1 - q];
    }
    for (std::size_t r = b; r < e; ++r) {
      const auto hi = static_cast<std::size_t>(std::upper_bound(tasc.begin(), tasc.end(), d.time[r]) - tasc.begin());
      std::size_t lo = 0;
      if (d.counting) lo = static_cast<std::size_t>(std::upper_bound(tasc.begin(), tasc.end(), d.start[r]) - tasc.begin());
      mart[r] += d.status[r] - (hi > lo ? risk[r] * (C[hi] - C[lo]) : 0.0);
    }
    // Schoenfeld rows in ascending time within the stratum (ties: input order)
    std::stable_sort(stratum_sch.begin(), stratum_sch.end(), [&](const auto& u1, const auto& u2) {
      if (d.time[u1.first] != d.time[u2.first]) return d.time[u1.first] < d.time[u2.first];
      return d.order[u1.first] < d.order[u2.first];
    });
    for (auto& [r, s] : stratum_sch) {
      sch_pos.push_back(r);
      sch.insert(sch.end(), s.begin(), s.end());
    }
    b = e;
  }

  if (type == ResidualType::martingale || type == ResidualType::deviance) {
    if (type == ResidualType::deviance)
      for (std::size_t k = 0; k < n; ++k) {
        const double m = mart[k];
        const double st = d.status[k];
        const double v = -2 * (m + (st == 0 ? 0.0 : st * std::log(st - m)));
        mart[k] = (m > 0 ? 1.0 : (m < 0 ? -1.0 : 0.0)) * std::sqrt(v);
      }
    out.columns = {"residual"};
    per_row(mart, 1);
    return out;
  }

  // Schoenfeld types
  const std::size_t ne = sch_pos.size();
  out.columns = names();
  out.values.resize(static_cast<Eigen::Index>(ne), static_cast<Eigen::Index>(p));
  for (std::size_t q = 0; q < ne; ++q) {
    const std::size_t r = sch_pos[q];
    out.row.push_back(d.order[r]);
    out.time.push_back(in.time[d.order[r]]);
    if (!in.stratum.empty()) out.stratum.push_back(in.stratum[d.order[r]]);
    for (std::size_t j = 0; j < p; ++j) out.values(static_cast<Eigen::Index>(q), static_cast<Eigen::Index>(j)) = sch[q * p + j];
  }
  if (type == ResidualType::scaledsch) {
    Eigen::VectorXd coef = fit.coef;
    for (Eigen::Index j = 0; j < coef.size(); ++j)
      if (std::isnan(coef[j])) coef[j] = 0;
    Eigen::MatrixXd scaled = out.values * fit.var * static_cast<double>(ne);
    scaled.rowwise() += coef.transpose();
    out.values = scaled;
  }
  return out;
}

}  // namespace hazard
