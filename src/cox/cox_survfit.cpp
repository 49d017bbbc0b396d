// Baseline cumulative hazard and survival of a fitted Cox model, as R survival's survfit.coxph
// (agsurv, agsurv5; survival 3.5) with its default ctype: Breslow/Nelson–Aalen increments for
// Breslow and exact fits, Efron's for Efron fits. basehaz(fit, centered = TRUE) is the curve at
// the means.
//
// Per stratum, at every distinct stop time t (events and censorings), with risk
// r_i = exp(x_i'beta + offset_i - means'beta - mean offset) (NA coefficients as 0; the offset mean
// weighted by the case weights), the risk set R(t) = {start < t <= stop}, D(t) its deaths (m of
// them, unweighted count), e = sum_D w (weighted events):
//   Breslow: dL = e / S0,  var increment e / S0^2,  xbar increment (S1 / S0) dL
//   Efron:   dL = e (1/m) sum_k 1/S0_k,  var increment e (1/m) sum_k 1/S0_k^2,
//            xbar increment e (1/m) sum_k S1_k / S0_k^2,  S._k = S. - (k/m) sum_D w r (.)
// with S0 = sum_R w r, S1 = sum_R w r x. For covariate values z (row of newdata, or the means):
//   Lambda_z(t) = exp(z'beta + offset_z - xcenter) Lambda(t),  S_z(t) = exp(-Lambda_z(t)),
//   se(Lambda_z) = risk_z sqrt( sum var increments + dt' V dt ),  dt = Lambda(t) z - Xbar(t),
// (Tsiatis' variance; V = the fit's variance, the robust one for robust fits, as survfit.coxph
// which uses fit$var). Confidence intervals as survfit: "log" S exp(+-z se) (upper capped at 1),
// "log-log", "plain" (S +- z se S, clipped to [0, 1]).
// Covariates are centred by their column mean internally; dt does not change.
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include <boost/math/distributions/normal.hpp>

#include "cox/cox_detail.hpp"
#include "hazard/cox_survfit.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

/// The data of the fit in input order, after R's timefix (aeqSurv), as the curves need it.
struct CurveData {
  std::size_t n = 0, p = 0;
  bool counting = false;
  std::vector<double> time, start;
  std::vector<std::uint8_t> status;
  std::vector<double> weight;             ///< 1 when unweighted
  std::vector<std::int32_t> stratum;      ///< dense codes 0.. in sorted order of CoxData::stratum
  std::vector<std::int32_t> stratum_code; ///< dense code -> original CoxData::stratum code
  std::vector<double> risk;
  std::vector<double> x;                  ///< n*p row-major, centred by the column mean (accuracy)
  std::vector<double> xmean;
};

CurveData curve_data(const CoxData& data) {
  CurveData d;
  const std::size_t n = data.time.size(), p = static_cast<std::size_t>(data.x.cols());
  d.n = n;
  d.p = p;
  d.counting = !data.start.empty();
  d.time = data.time;
  d.start = data.start;
  detail::aeq_surv(d.time, d.start);
  d.status.resize(n);
  for (std::size_t i = 0; i < n; ++i) d.status[i] = data.status[i] ? 1 : 0;
  d.weight = data.weight.empty() ? std::vector<double>(n, 1.0) : data.weight;
  d.stratum.assign(n, 0);
  d.stratum_code = {0};
  if (!data.stratum.empty()) {
    d.stratum_code = data.stratum;
    std::sort(d.stratum_code.begin(), d.stratum_code.end());
    d.stratum_code.erase(std::unique(d.stratum_code.begin(), d.stratum_code.end()), d.stratum_code.end());
    for (std::size_t i = 0; i < n; ++i)
      d.stratum[i] = static_cast<std::int32_t>(
          std::lower_bound(d.stratum_code.begin(), d.stratum_code.end(), data.stratum[i]) - d.stratum_code.begin());
  }
  d.risk.assign(n, 1.0);
  d.x.resize(n * p);
  d.xmean.assign(p, 0.0);
  for (std::size_t j = 0; j < p; ++j) {
    const auto J = static_cast<Eigen::Index>(j);
    double m = 0;
    for (std::size_t i = 0; i < n; ++i) m += data.x(static_cast<Eigen::Index>(i), J);
    m /= static_cast<double>(n);
    d.xmean[j] = m;
    for (std::size_t i = 0; i < n; ++i) d.x[i * p + j] = data.x(static_cast<Eigen::Index>(i), J) - m;
  }
  return d;
}

/// The per-stratum step functions of agsurv: one entry per distinct stop time.
struct StratumSteps {
  std::vector<double> time, nrisk, nevent, ncens, haz, varhaz;
  std::vector<double> xbar;  ///< p per time: increments of Xbar (centred covariates)
};

}  // namespace

CoxSurvfit cox_survfit(const CoxData& data, const CoxResult& fit, const CoxSurvfitOptions& opt) {
  CoxSurvfit out;
  out.at_means = opt.newdata.size() == 0;
  cox_survfit(data, fit, opt, [&out](const CoxSurvCurve& c) { out.curves.push_back(c); });
  return out;
}

void cox_survfit(const CoxData& data, const CoxResult& fit, const CoxSurvfitOptions& opt,
                 const std::function<void(const CoxSurvCurve&)>& each) {
  if (fit.linear_predictor.size() != data.time.size() || fit.coef.size() != data.x.cols())
    throw UsageError("the Cox fit does not belong to these data (number of rows or coefficients differ)");
  if (!(opt.conf_level > 0 && opt.conf_level < 1)) throw UsageError("--conf-level must be in (0, 1)");
  CurveData d = curve_data(data);
  const std::size_t n = d.n, p = d.p;
  const auto P = static_cast<Eigen::Index>(p);
  const bool efron = fit.ties == Ties::efron;

  Eigen::VectorXd beta(P);
  for (Eigen::Index j = 0; j < P; ++j) beta[j] = std::isnan(fit.coef[j]) ? 0.0 : fit.coef[j];
  double offmean = 0;
  if (!data.offset.empty()) {
    double sw = 0;
    for (std::size_t i = 0; i < n; ++i) {
      offmean += d.weight[i] * data.offset[i];
      sw += d.weight[i];
    }
    offmean /= sw;
  }
  const double xcenter = beta.dot(fit.means) + offmean;
  for (std::size_t i = 0; i < n; ++i) {
    double lp = data.offset.empty() ? 0.0 : data.offset[i];
    for (std::size_t j = 0; j < p; ++j) lp += data.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) * beta[static_cast<Eigen::Index>(j)];
    d.risk[i] = std::exp(lp - xcenter);
  }

  // risk sets at every distinct stop time, per stratum: one descending pass (add at stop,
  // remove at start)
  const std::size_t nstrata = d.stratum_code.size();
  std::vector<StratumSteps> steps(nstrata);
  {
    std::vector<std::size_t> by_stop(n), by_start;
    std::iota(by_stop.begin(), by_stop.end(), std::size_t{0});
    std::sort(by_stop.begin(), by_stop.end(), [&](std::size_t i, std::size_t j) {
      if (d.stratum[i] != d.stratum[j]) return d.stratum[i] < d.stratum[j];
      if (d.time[i] != d.time[j]) return d.time[i] > d.time[j];
      return i < j;
    });
    if (d.counting) {
      by_start = by_stop;
      std::sort(by_start.begin(), by_start.end(), [&](std::size_t i, std::size_t j) {
        if (d.stratum[i] != d.stratum[j]) return d.stratum[i] < d.stratum[j];
        if (d.start[i] != d.start[j]) return d.start[i] > d.start[j];
        return i < j;
      });
    }
    std::vector<std::uint8_t> in(n, 0);
    std::vector<double> xsum(p), xsum2(p), xb(p);
    std::size_t b = 0, b2 = 0;
    while (b < n) {
      const std::int32_t s = d.stratum[by_stop[b]];
      StratumSteps& ss = steps[static_cast<std::size_t>(s)];
      std::size_t e = b, e2 = b2;
      while (e < n && d.stratum[by_stop[e]] == s) ++e;
      if (d.counting)
        while (e2 < n && d.stratum[by_start[e2]] == s) ++e2;
      std::fill(xsum.begin(), xsum.end(), 0.0);
      double nrisk = 0, irisk = 0;
      std::size_t ir = b2;
      for (std::size_t k = b; k < e;) {
        const double t = d.time[by_stop[k]];
        if (d.counting)
          for (; ir < e2 && d.start[by_start[ir]] >= t; ++ir) {
            const std::size_t r = by_start[ir];
            if (in[r] != 1) continue;
            in[r] = 2;
            const double wr = d.weight[r] * d.risk[r];
            nrisk -= wr;
            irisk -= d.weight[r];
            for (std::size_t j = 0; j < p; ++j) xsum[j] -= wr * d.x[r * p + j];
          }
        double nevent = 0, ncens = 0, ndeath = 0, erisk = 0;
        std::fill(xsum2.begin(), xsum2.end(), 0.0);
        for (; k < e && d.time[by_stop[k]] == t; ++k) {
          const std::size_t r = by_stop[k];
          if (d.status[r]) {
            nevent += d.weight[r];
            ndeath += 1;
          } else {
            ncens += d.weight[r];
          }
          if (d.counting && d.start[r] >= t) continue;  // cannot happen for valid rows
          in[r] = 1;
          const double wr = d.weight[r] * d.risk[r];
          nrisk += wr;
          irisk += d.weight[r];
          for (std::size_t j = 0; j < p; ++j) xsum[j] += wr * d.x[r * p + j];
          if (d.status[r]) {
            erisk += wr;
            for (std::size_t j = 0; j < p; ++j) xsum2[j] += wr * d.x[r * p + j];
          }
        }
        double haz = 0, varhaz = 0;
        std::fill(xb.begin(), xb.end(), 0.0);
        if (ndeath > 0) {
          if (!efron || ndeath == 1) {
            haz = nevent / nrisk;
            varhaz = nevent / (nrisk * nrisk);
            for (std::size_t j = 0; j < p; ++j) xb[j] = xsum[j] / nrisk * haz;
          } else {
            double s1 = 0, s2 = 0;
            for (double k2 = 0; k2 < ndeath; k2 += 1) {
              const double tmp = 1 / (nrisk - erisk * k2 / ndeath);
              s1 += tmp / ndeath;
              s2 += tmp * tmp / ndeath;
              for (std::size_t j = 0; j < p; ++j) xb[j] += (xsum[j] - xsum2[j] * k2 / ndeath) * tmp * tmp / ndeath;
            }
            haz = nevent * s1;
            varhaz = nevent * s2;
            for (std::size_t j = 0; j < p; ++j) xb[j] *= nevent;
          }
        }
        ss.time.push_back(t);
        ss.nrisk.push_back(irisk);
        ss.nevent.push_back(nevent);
        ss.ncens.push_back(ncens);
        ss.haz.push_back(haz);
        ss.varhaz.push_back(varhaz);
        ss.xbar.insert(ss.xbar.end(), xb.begin(), xb.end());
      }
      // ascending time
      const std::size_t m = ss.time.size();
      std::reverse(ss.time.begin(), ss.time.end());
      std::reverse(ss.nrisk.begin(), ss.nrisk.end());
      std::reverse(ss.nevent.begin(), ss.nevent.end());
      std::reverse(ss.ncens.begin(), ss.ncens.end());
      std::reverse(ss.haz.begin(), ss.haz.end());
      std::reverse(ss.varhaz.begin(), ss.varhaz.end());
      for (std::size_t i = 0, j = m - 1; i < j; ++i, --j)
        for (std::size_t c = 0; c < p; ++c) std::swap(ss.xbar[i * p + c], ss.xbar[j * p + c]);
      b = e;
      b2 = e2;
    }
  }

  // the curves
  const Eigen::MatrixXd& V = (fit.robust && fit.robust_var.size() > 0) ? fit.robust_var : fit.var;
  // by the complement: finite for any level below 1 (as cox_fit)
  const double zq = boost::math::quantile(boost::math::complement(boost::math::normal(), (1 - opt.conf_level) / 2));
  const bool at_means = opt.newdata.size() == 0;
  const std::size_t nnew = at_means ? 1 : static_cast<std::size_t>(opt.newdata.rows());
  if (!at_means && opt.newdata.cols() != P)
    throw UsageError("newdata must have one column per coefficient");
  if (!opt.new_offset.empty() && opt.new_offset.size() != nnew) throw UsageError("new_offset has the wrong length");
  if (!opt.new_stratum.empty() && opt.new_stratum.size() != nnew) throw UsageError("new_stratum has the wrong length");
  Eigen::VectorXd xm = Eigen::Map<const Eigen::VectorXd>(d.xmean.data(), P);
  for (std::size_t r = 0; r < nnew; ++r) {
    Eigen::VectorXd z = at_means ? Eigen::VectorXd(fit.means) : Eigen::VectorXd(opt.newdata.row(static_cast<Eigen::Index>(r)).transpose());
    double risk2 = 1;
    if (!at_means) risk2 = std::exp(z.dot(beta) + (opt.new_offset.empty() ? 0.0 : opt.new_offset[r]) - xcenter);
    const Eigen::VectorXd zc = z - xm;
    std::vector<std::size_t> strata;
    if (opt.new_stratum.empty() || at_means) {
      strata.resize(nstrata);
      std::iota(strata.begin(), strata.end(), std::size_t{0});
    } else {
      auto it = std::lower_bound(d.stratum_code.begin(), d.stratum_code.end(), opt.new_stratum[r]);
      if (it == d.stratum_code.end() || *it != opt.new_stratum[r] || (data.stratum.empty() && opt.new_stratum[r] != 0))
        throw UsageError(std::string("newdata row ").append(std::to_string(r + 1)).append(": a stratum not found in the fitted data"));
      strata.push_back(static_cast<std::size_t>(it - d.stratum_code.begin()));
    }
    CoxSurvCurve c;  // reused: one curve's memory whatever the number of curves
    for (std::size_t s : strata) {
      const StratumSteps& ss = steps[s];
      c.cumhaz.clear();
      c.surv.clear();
      c.std_err.clear();
      c.lower.clear();
      c.upper.clear();
      c.stratum = data.stratum.empty() ? 0 : d.stratum_code[s];
      c.newdata_row = r;
      c.time = ss.time;
      c.n_risk = ss.nrisk;
      c.n_event = ss.nevent;
      c.n_censor = ss.ncens;
      const std::size_t m = ss.time.size();
      double cum = 0, cumvar = 0;
      Eigen::VectorXd xbar = Eigen::VectorXd::Zero(P);
      for (std::size_t q = 0; q < m; ++q) {
        cum += ss.haz[q];
        cumvar += ss.varhaz[q];
        for (std::size_t j = 0; j < p; ++j) xbar[static_cast<Eigen::Index>(j)] += ss.xbar[q * p + j];
        const Eigen::VectorXd dt = cum * zc - xbar;
        const double var = (cumvar + dt.dot(V * dt)) * risk2 * risk2;
        const double H = cum * risk2;
        const double S = std::exp(-H);
        const double se = std::sqrt(var);
        c.cumhaz.push_back(H);
        c.surv.push_back(S);
        c.std_err.push_back(se);
        const double nan = std::nan("");
        switch (opt.conf_type) {
          case CoxConfType::none: break;
          case CoxConfType::log:
            c.lower.push_back(S == 0 ? nan : std::exp(std::log(S) - zq * se));
            c.upper.push_back(S == 0 ? nan : std::min(std::exp(std::log(S) + zq * se), 1.0));
            break;
          case CoxConfType::log_log: {
            if (S == 0 || S == 1) {
              c.lower.push_back(nan);
              c.upper.push_back(nan);
            } else {
              const double se2 = zq * se / std::log(S);
              c.lower.push_back(std::exp(-std::exp(std::log(-std::log(S)) - se2)));
              c.upper.push_back(std::exp(-std::exp(std::log(-std::log(S)) + se2)));
            }
            break;
          }
          case CoxConfType::plain:
            c.lower.push_back(std::max(S - se * S * zq, 0.0));
            c.upper.push_back(std::min(S + se * S * zq, 1.0));
            break;
        }
      }
      each(c);
    }
  }
}

}  // namespace hazard
