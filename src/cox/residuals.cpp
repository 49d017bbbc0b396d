// Residuals of a fitted Cox model, as R survival's residuals.coxph (survival 3.5):
//
//   martingale  M_i = delta_i - r_i * (Lambda(stop_i) - Lambda(start_i)), with the hazard
//               increments dLambda(t) = wbar sum_k 1/(denom - (k/m) edenom) (Efron; Breslow:
//               wdead/denom); a death at a tied time is charged only sum_k (1 - k/m) wbar/denom_k
//               of its own step (R's coxmart / agmart3). Exact fits use the Breslow form, as
//               coxexact.fit's coxmart2. Unweighted, as R.
//   deviance    sign(M) sqrt(-2 (M + delta log(delta - M))).
//   score       Lin–Wei score residuals (coxscore2 / agscore2; src/cox/score_residuals.cpp,
//               shared with the robust variance), unweighted.
//   schoenfeld  per death: x_i - xbar(t_i), xbar the Efron mean (1/m) sum_k a_k / denom_k
//               (coxscho); rows in R's order: stratum, time, then input order; unweighted.
//   scaledsch   d * schoenfeld %*% V + beta (d = number of deaths, V the model-based variance,
//               NA coefficients taken as 0), as R.
//   dfbeta      w_i * score_i %*% V; dfbetas divides column j by sqrt(V_jj) (R's defaults:
//               weighted = TRUE for these two).
// Input contract: `data` is the CoxData the fit was computed from (same rows, same order).
// Times are merged as R's aeqSurv first (coxph's timefix), exactly as the fit did.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "cox/cox_detail.hpp"
#include "cox/diag_detail.hpp"
#include "hazard/cox_diagnostics.hpp"
#include "hazard/error.hpp"

namespace hazard {

std::string to_string(CoxResidualType type) {
  switch (type) {
    case CoxResidualType::martingale: return "martingale";
    case CoxResidualType::deviance: return "deviance";
    case CoxResidualType::score: return "score";
    case CoxResidualType::schoenfeld: return "schoenfeld";
    case CoxResidualType::scaledsch: return "scaledsch";
    case CoxResidualType::dfbeta: return "dfbeta";
    case CoxResidualType::dfbetas: return "dfbetas";
  }
  return "martingale";
}

CoxResidualType parse_residual_type(const std::string& name) {
  for (auto t : {CoxResidualType::martingale, CoxResidualType::deviance, CoxResidualType::score,
                 CoxResidualType::schoenfeld, CoxResidualType::scaledsch, CoxResidualType::dfbeta,
                 CoxResidualType::dfbetas})
    if (to_string(t) == name) return t;
  std::string msg = "--residuals ";
  msg.append(name).append(": expected martingale, deviance, score, schoenfeld, scaledsch, dfbeta or dfbetas");
  throw UsageError(msg);
}

namespace {

void check_fit(const CoxData& data, const CoxResult& fit) {
  if (fit.linear_predictor.size() != data.time.size() || fit.coef.size() != data.x.cols())
    throw UsageError("the Cox fit does not belong to these data (number of rows or coefficients differ)");
}

std::vector<std::string> coef_names(const CoxData& data, const CoxResult& fit) {
  std::vector<std::string> names;
  for (std::size_t j = 0; j < static_cast<std::size_t>(data.x.cols()); ++j)
    names.push_back(j < fit.terms.size() ? fit.terms[j].term
                    : j < data.names.size() ? data.names[j] : std::string(1, 'x').append(std::to_string(j + 1)));
  return names;
}

std::vector<double> martingale(const detail::DiagData& d, bool efron) {
  const detail::EventSums es = detail::event_sums(d, false);
  const detail::HazardSteps h = detail::hazard_steps(es, efron);
  std::vector<double> cum(es.size() + 1, 0.0);
  for (std::size_t q = 0; q < es.size(); ++q) cum[q + 1] = cum[q] + h.full[q];
  std::vector<double> m(d.n);
  for (std::size_t i = 0; i < d.n; ++i) {
    std::size_t lo = 0, hi = 0;
    detail::event_range(es, d.stratum[i], d.counting ? d.start[i] : 0.0, d.time[i], d.counting, lo, hi);
    double expected = hi > lo ? d.risk[i] * (cum[hi] - cum[lo]) : 0.0;
    if (d.status[i] && hi > lo) expected -= d.risk[i] * (h.full[hi - 1] - h.dead[hi - 1]);
    m[i] = static_cast<double>(d.status[i]) - expected;
  }
  return m;
}

}  // namespace

CoxResiduals cox_residuals(const CoxData& data, const CoxResult& fit, const CoxResidualOptions& options) {
  check_fit(data, fit);
  const CoxResidualType type = options.type;
  const bool efron = fit.ties == Ties::efron;
  const std::size_t n = data.time.size();
  const std::size_t p = static_cast<std::size_t>(data.x.cols());
  const auto N = static_cast<Eigen::Index>(n);
  const auto P = static_cast<Eigen::Index>(p);
  CoxResiduals out;
  out.type = type;

  if (type == CoxResidualType::martingale || type == CoxResidualType::deviance) {
    const detail::DiagData d = detail::diag_data(data, fit);
    std::vector<double> m = martingale(d, efron);
    out.columns = {"resid"};
    out.values.resize(N, 1);
    for (std::size_t i = 0; i < n; ++i) {
      double v = m[i];
      if (type == CoxResidualType::deviance) {
        const double s = static_cast<double>(d.status[i]);
        const double inner = -2 * (v + (s == 0 ? 0.0 : s * std::log(s - v)));
        v = (v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0) * std::sqrt(inner);
      }
      out.values(static_cast<Eigen::Index>(i), 0) = v;
    }
    out.row.resize(n);
    std::iota(out.row.begin(), out.row.end(), std::size_t{0});
    return out;
  }

  if (fit.ties == Ties::exact)
    throw UsageError(to_string(type).append(" residuals are not available for the exact method (as R)"));
  out.columns = coef_names(data, fit);

  if (type == CoxResidualType::schoenfeld || type == CoxResidualType::scaledsch) {
    const detail::DiagData d = detail::diag_data(data, fit);
    const detail::EventSums es = detail::event_sums(d, false);
    std::vector<std::size_t> dead;
    for (std::size_t i = 0; i < n; ++i)
      if (d.status[i]) dead.push_back(i);
    std::stable_sort(dead.begin(), dead.end(), [&](std::size_t i, std::size_t j) {
      if (d.stratum[i] != d.stratum[j]) return d.stratum[i] < d.stratum[j];
      return d.time[i] < d.time[j];
    });
    const auto nd = static_cast<Eigen::Index>(dead.size());
    out.values.resize(nd, P);
    std::vector<double> xbar(p);
    for (std::size_t k = 0; k < dead.size(); ++k) {
      const std::size_t i = dead[k];
      std::size_t lo = 0, hi = 0;
      detail::event_range(es, d.stratum[i], 0.0, d.time[i], false, lo, hi);
      const std::size_t q = hi - 1;  // the death's own event time
      const double m = es.ndead[q];
      std::fill(xbar.begin(), xbar.end(), 0.0);
      if (!efron || m < 2) {
        for (std::size_t j = 0; j < p; ++j) xbar[j] = es.a[q * p + j] / es.denom[q];
      } else {
        for (double kk = 0; kk < m; kk += 1) {
          const double down = kk / m;
          const double den = m * (es.denom[q] - down * es.edenom[q]);
          for (std::size_t j = 0; j < p; ++j) xbar[j] += (es.a[q * p + j] - down * es.a2[q * p + j]) / den;
        }
      }
      for (std::size_t j = 0; j < p; ++j)
        out.values(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) = d.x[i * p + j] - xbar[j];
      out.row.push_back(i);
      out.time.push_back(d.time[i]);
      out.stratum.push_back(d.stratum_code[static_cast<std::size_t>(d.stratum[i])]);
    }
    if (type == CoxResidualType::scaledsch) {
      Eigen::RowVectorXd coef(P);
      for (Eigen::Index j = 0; j < P; ++j) coef[j] = std::isnan(fit.coef[j]) ? 0.0 : fit.coef[j];
      Eigen::MatrixXd scaled = (out.values * fit.var) * static_cast<double>(nd);
      scaled.rowwise() += coef;
      out.values = scaled;
    }
    return out;
  }

  // score, dfbeta, dfbetas: the score residuals of the fit's kernel (score_residuals.cpp)
  CoxData fixed;
  fixed.time = data.time;
  fixed.start = data.start;
  detail::aeq_surv(fixed.time, fixed.start);
  fixed.status = data.status;
  fixed.weight = data.weight;
  fixed.stratum = data.stratum;
  fixed.x = data.x;
  const detail::CoxSorted ks = detail::prepare(fixed, fit.ties);
  std::vector<double> x0(n * p), risk(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = ks.order[k];
    for (std::size_t j = 0; j < p; ++j) x0[k * p + j] = data.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    risk[k] = std::exp(fit.linear_predictor[i]);
  }
  const std::vector<double> sk = detail::score_residuals(ks, x0, risk, efron);
  Eigen::MatrixXd sc(N, P);
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t j = 0; j < p; ++j)
      sc(static_cast<Eigen::Index>(ks.order[k]), static_cast<Eigen::Index>(j)) = sk[k * p + j];
  if (type == CoxResidualType::score) {
    out.values = sc;
  } else {
    Eigen::MatrixXd dfb = sc * fit.var;
    if (type == CoxResidualType::dfbetas)
      for (Eigen::Index j = 0; j < P; ++j) dfb.col(j) /= std::sqrt(fit.var(j, j));
    if (!data.weight.empty())
      for (Eigen::Index i = 0; i < N; ++i) dfb.row(i) *= data.weight[static_cast<std::size_t>(i)];
    out.values = dfb;
  }
  out.row.resize(n);
  std::iota(out.row.begin(), out.row.end(), std::size_t{0});
  return out;
}

}  // namespace hazard
