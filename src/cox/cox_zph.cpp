// The Grambsch–Therneau test of proportional hazards, as R survival 3.x's cox.zph() (zph1.c for
// right-censored data, zph2.c for (start, stop]).
//
// For each covariate x_j add the time-varying term x_j g(t), g a transform of time centred at
// its mean over the events. The score test of gamma = 0 at (beta-hat, 0) uses
//   U_gamma = sum_t g(t) [sum_{events at t} w_i x_i - sum_k wbar xbar_k(t)]
//   I = sum_t sum_k wbar V_k(t) (x) [[1, g], [g, g^2]]   (2p x 2p)
// with V_k(t) the weighted covariance of x over the risk set at the k-th Efron sub-step (one step
// for Breslow). U_beta is set to 0 (it is 0 at beta-hat). Per term: u' I^-1 u over the rows and
// columns of every beta and that term's gammas, df = the term's columns; global: all.
// g: km = 1 - S(t-) of the pooled, unweighted Kaplan–Meier; identity = t; rank = rank of t among
// all rows (average for ties); log = log t.
// One sort; O((n + d) p^2).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>

#include "hazard/cox.hpp"
#include "hazard/error.hpp"

namespace hazard {

std::string to_string(ZphTransform t) {
  switch (t) {
    case ZphTransform::km: return "km";
    case ZphTransform::identity: return "identity";
    case ZphTransform::rank: return "rank";
    case ZphTransform::log: return "log";
  }
  return "km";
}

PhTest cox_zph(const CoxData& data, const CoxResult& fit, ZphTransform transform,
               const std::vector<std::size_t>& term_in, const std::vector<std::string>& names_in) {
  const std::size_t n = data.time.size();
  const std::size_t p_all = static_cast<std::size_t>(data.x.cols());
  const bool counting = !data.start.empty();
  // columns kept (non-NA coefficients)
  std::vector<std::size_t> keep;
  for (std::size_t j = 0; j < p_all; ++j)
    if (!std::isnan(fit.coef[static_cast<Eigen::Index>(j)])) keep.push_back(j);
  const std::size_t p = keep.size();
  if (p == 0) throw NumericalError("no estimated coefficients: no proportional-hazards test");
  auto w = [&](std::size_t i) { return data.weight.empty() ? 1.0 : data.weight[i]; };
  auto strat = [&](std::size_t i) { return data.stratum.empty() ? 0 : data.stratum[i]; };
  auto start = [&](std::size_t i) { return counting ? data.start[i] : -HUGE_VAL; };

  // g(t) per row
  std::vector<double> g(n);
  switch (transform) {
    case ZphTransform::identity:
      g = data.time;
      break;
    case ZphTransform::log:
      for (std::size_t i = 0; i < n; ++i) g[i] = std::log(data.time[i]);
      break;
    case ZphTransform::rank: {
      std::vector<std::size_t> o(n);
      std::iota(o.begin(), o.end(), std::size_t{0});
      std::sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) { return data.time[a] < data.time[b]; });
      for (std::size_t k = 0; k < n;) {
        std::size_t e = k;
        while (e < n && data.time[o[e]] == data.time[o[k]]) ++e;
        const double avg = (static_cast<double>(k + 1) + static_cast<double>(e)) / 2;
        for (std::size_t q = k; q < e; ++q) g[o[q]] = avg;
        k = e;
      }
      break;
    }
    case ZphTransform::km: {
      // pooled unweighted KM at event times (risk set start < t <= stop)
      std::vector<double> et;
      for (std::size_t i = 0; i < n; ++i)
        if (data.status[i]) et.push_back(data.time[i]);
      std::sort(et.begin(), et.end());
      et.erase(std::unique(et.begin(), et.end()), et.end());
      std::vector<double> stops(data.time), starts;
      std::sort(stops.begin(), stops.end());
      if (counting) {
        starts = data.start;
        std::sort(starts.begin(), starts.end());
      }
      std::vector<double> deaths(et.size(), 0.0);
      for (std::size_t i = 0; i < n; ++i)
        if (data.status[i])
          deaths[static_cast<std::size_t>(std::lower_bound(et.begin(), et.end(), data.time[i]) - et.begin())] += 1;
      std::vector<double> surv_before(et.size() + 1, 1.0);  // S just after et[k-1]; [0] = 1
      double s = 1;
      for (std::size_t k = 0; k < et.size(); ++k) {
        double nrisk = static_cast<double>(stops.end() - std::lower_bound(stops.begin(), stops.end(), et[k]));
        if (counting)
          nrisk -= static_cast<double>(starts.end() - std::lower_bound(starts.begin(), starts.end(), et[k]));
        s *= 1 - deaths[k] / nrisk;
        surv_before[k + 1] = s;
      }
      for (std::size_t i = 0; i < n; ++i) {
        const auto idx = static_cast<std::size_t>(std::lower_bound(et.begin(), et.end(), data.time[i]) - et.begin());
        g[i] = 1 - surv_before[idx];  // S(t-): product over event times < t
      }
      break;
    }
  }
  double gm = 0, ne = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (data.status[i]) {
      gm += g[i];
      ne += 1;
    }
  gm /= ne;
  for (double& v : g) v -= gm;

  // covariates (kept columns), centred by their mean for stability
  std::vector<double> x(n * p);
  for (std::size_t j = 0; j < p; ++j) {
    double m = 0;
    for (std::size_t i = 0; i < n; ++i) m += data.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(keep[j]));
    m /= static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i)
      x[i * p + j] = data.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(keep[j])) - m;
  }
  const bool efron = fit.ties == Ties::efron;
  // rows by stratum, descending stop (events after censored does not matter); and by start
  std::vector<std::size_t> by_stop(n), by_start(n);
  std::iota(by_stop.begin(), by_stop.end(), std::size_t{0});
  std::stable_sort(by_stop.begin(), by_stop.end(), [&](std::size_t a, std::size_t b) {
    return strat(a) != strat(b) ? strat(a) < strat(b) : data.time[a] > data.time[b];
  });
  by_start = by_stop;
  if (counting)
    std::stable_sort(by_start.begin(), by_start.end(), [&](std::size_t a, std::size_t b) {
      return strat(a) != strat(b) ? strat(a) < strat(b) : data.start[a] > data.start[b];
    });
  const std::size_t P2 = 2 * p;
  Eigen::VectorXd U = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(P2));
  Eigen::MatrixXd I = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(P2), static_cast<Eigen::Index>(P2));
  std::vector<double> a(p), a2(p), cmat(p * p), cmat2(p * p);
  double denom = 0;
  std::size_t ir = 0;
  std::int32_t cs = n ? strat(by_stop[0]) : 0;
  auto add = [&](std::size_t r, double sign) {
    const double risk = sign * std::exp(fit.linear_predictor[r]) * w(r);
    denom += risk;
    for (std::size_t j = 0; j < p; ++j) {
      a[j] += risk * x[r * p + j];
      for (std::size_t l = 0; l <= j; ++l) cmat[j * p + l] += risk * x[r * p + j] * x[r * p + l];
    }
  };
  std::size_t k = 0;
  while (k < n) {
    const std::size_t r0 = by_stop[k];
    if (strat(r0) != cs) {  // new stratum
      cs = strat(r0);
      denom = 0;
      std::fill(a.begin(), a.end(), 0.0);
      std::fill(cmat.begin(), cmat.end(), 0.0);
      while (ir < n && strat(by_start[ir]) != cs) ++ir;
    }
    const double t = data.time[r0];
    std::size_t k2 = k;
    while (k2 < n && strat(by_stop[k2]) == cs && data.time[by_stop[k2]] == t) ++k2;
    // remove rows whose start >= t (their interval lies after t)
    // (such a row has stop > start >= t, so it was added at its stop time already)
    if (counting)
      for (; ir < n && strat(by_start[ir]) == cs && start(by_start[ir]) >= t; ++ir) add(by_start[ir], -1.0);
    // add this time's censored rows; collect events
    double ndead = 0, deadwt = 0, denom2 = 0, gt = 0;
    std::fill(a2.begin(), a2.end(), 0.0);
    std::fill(cmat2.begin(), cmat2.end(), 0.0);
    for (std::size_t q = k; q < k2; ++q) {
      const std::size_t r = by_stop[q];
      if (!data.status[r]) {
        add(r, 1.0);
        continue;
      }
      const double risk = std::exp(fit.linear_predictor[r]) * w(r);
      ndead += 1;
      deadwt += w(r);
      denom2 += risk;
      gt = g[r];
      for (std::size_t j = 0; j < p; ++j) {
        U[static_cast<Eigen::Index>(j + p)] += gt * w(r) * x[r * p + j];
        a2[j] += risk * x[r * p + j];
        for (std::size_t l = 0; l <= j; ++l) cmat2[j * p + l] += risk * x[r * p + j] * x[r * p + l];
      }
    }
    if (ndead > 0) {
      const int steps = efron ? static_cast<int>(ndead) : 1;
      const double wt = deadwt / steps;
      for (int s = 0; s < steps; ++s) {
        denom += denom2 / steps;
        for (std::size_t j = 0; j < p; ++j) {
          a[j] += a2[j] / steps;
          const double mean = a[j] / denom;
          U[static_cast<Eigen::Index>(j + p)] -= gt * wt * mean;
          for (std::size_t l = 0; l <= j; ++l) {
            cmat[j * p + l] += cmat2[j * p + l] / steps;
            const double v = wt * (cmat[j * p + l] - mean * a[l]) / denom;
            const auto J = static_cast<Eigen::Index>(j), L = static_cast<Eigen::Index>(l);
            const auto Pp = static_cast<Eigen::Index>(p);
            I(L, J) += v;
            I(L, J + Pp) += v * gt;
            I(L + Pp, J + Pp) += v * gt * gt;
          }
        }
      }
    }
    k = k2;
  }
  const auto Pp = static_cast<Eigen::Index>(p);
  for (Eigen::Index j = 0; j < Pp; ++j)
    for (Eigen::Index l = 0; l < j; ++l) {
      I(j, l) = I(l, j);
      I(j, l + Pp) = I(l, j + Pp);
      I(j + Pp, l + Pp) = I(l + Pp, j + Pp);
    }
  for (Eigen::Index j = 0; j < Pp; ++j)
    for (Eigen::Index l = 0; l < Pp; ++l) I(j + Pp, l) = I(l, j + Pp);

  // terms
  std::vector<std::size_t> term = term_in;
  std::vector<std::string> tnames = names_in;
  if (term.empty()) {
    for (std::size_t j = 0; j < p_all; ++j) term.push_back(j);
    tnames.clear();
    for (std::size_t j = 0; j < p_all; ++j)
      tnames.push_back(j < fit.terms.size() ? fit.terms[j].term : "x" + std::to_string(j + 1));
  }
  auto test = [&](const std::vector<Eigen::Index>& gam) {
    std::vector<Eigen::Index> kk;
    for (Eigen::Index j = 0; j < Pp; ++j) kk.push_back(j);
    for (auto gidx : gam) kk.push_back(gidx + Pp);
    const auto m = static_cast<Eigen::Index>(kk.size());
    Eigen::MatrixXd im(m, m);
    Eigen::VectorXd u(m);
    for (Eigen::Index i2 = 0; i2 < m; ++i2) {
      u[i2] = i2 < Pp ? 0.0 : U[kk[static_cast<std::size_t>(i2)]];
      for (Eigen::Index j2 = 0; j2 < m; ++j2) im(i2, j2) = I(kk[static_cast<std::size_t>(i2)], kk[static_cast<std::size_t>(j2)]);
    }
    const double chisq = u.dot(im.partialPivLu().solve(u));
    PhTestTerm t;
    t.chisq = chisq;
    t.df = static_cast<double>(gam.size());
    t.p = chisq > 0 ? boost::math::cdf(boost::math::complement(boost::math::chi_squared(t.df), chisq)) : 1.0;
    return t;
  };
  PhTest out;
  out.transform = transform;
  std::size_t nterm = tnames.size();
  for (std::size_t t = 0; t < nterm; ++t) {
    std::vector<Eigen::Index> gam;
    for (std::size_t j = 0; j < p; ++j)
      if (term[keep[j]] == t) gam.push_back(static_cast<Eigen::Index>(j));
    if (gam.empty()) continue;
    PhTestTerm r = test(gam);
    r.term = tnames[t];
    out.terms.push_back(r);
  }
  std::vector<Eigen::Index> all(p);
  std::iota(all.begin(), all.end(), Eigen::Index{0});
  out.global = test(all);
  out.global.term = "GLOBAL";
  return out;
}

}  // namespace hazard
