// The Grambsch–Therneau test of proportional hazards, as R survival 3.x's cox.zph (zph1.c for
// right-censored data, zph2.c for (start, stop]).
//
// Model beta(t) = beta + theta g(t) with g a transform of time centred over the deaths:
// g(t) = f(t) - mean of f over the event rows, f = 1 - KM(t-) (unweighted, strata pooled; R's
// transform "km"), t, rank(t) (average ranks over all rows) or log(t). At the fitted beta
// (theta = 0) the score for (beta, theta) is (0, U) with
//   U = sum_t g(t) [sum_{deaths at t} w_i x_i - sum_k wbar xbar_k(t)],
// and the 2p x 2p information is sum_t sum_k wbar V_k(t) (x) [[1, g], [g, g^2]], V_k the
// weighted covariance of x over the (Efron sub-step k) risk set. The test of term T (its columns
// J) is the score statistic (0, U_J)' I[(all, J+p), (all, J+p)]^{-1} (0, U_J) on |J| df; the
// global test uses all 2p. This is 3.x's exact score test; the pre-3.0 approximation through
// scaled Schoenfeld residuals is not used. Efron fits use Efron's sub-steps, Breslow and exact
// fits Breslow's (as R: fit$method == "efron").
// Aliased (NA) coefficients are dropped first; a term left without columns disappears.
#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/chi_squared.hpp>

#include "cox/cox_detail.hpp"
#include "cox/diag_detail.hpp"
#include "hazard/cox_diagnostics.hpp"
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

ZphTransform parse_zph_transform(const std::string& name) {
  for (auto t : {ZphTransform::km, ZphTransform::identity, ZphTransform::rank, ZphTransform::log})
    if (to_string(t) == name) return t;
  std::string msg = "--ph-test ";
  msg.append(name).append(": expected km, identity, rank or log");
  throw UsageError(msg);
}

namespace {

double chisq_upper(double stat, double df) {
  if (!(df > 0) || !std::isfinite(stat)) return std::nan("");
  if (stat <= 0) return 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), stat));
}

/// f(t) for every row (only event rows are used), R's ttimes.
std::vector<double> transformed_times(const detail::DiagData& d, ZphTransform tr) {
  const std::size_t n = d.n;
  std::vector<double> f(n, 0.0);
  switch (tr) {
    case ZphTransform::identity:
      f = d.time;
      break;
    case ZphTransform::log:
      for (std::size_t i = 0; i < n; ++i) f[i] = std::log(d.time[i]);
      break;
    case ZphTransform::rank: {
      std::vector<double> s = d.time;
      std::sort(s.begin(), s.end());
      for (std::size_t i = 0; i < n; ++i) {
        const auto lo = std::lower_bound(s.begin(), s.end(), d.time[i]) - s.begin();
        const auto hi = std::upper_bound(s.begin(), s.end(), d.time[i]) - s.begin();
        f[i] = static_cast<double>(lo + hi + 1) / 2.0;  // average of ranks lo+1 .. hi
      }
      break;
    }
    case ZphTransform::km: {
      // unweighted Kaplan–Meier of all rows (strata pooled), left-continuous: 1 - S(t-)
      std::vector<double> stops = d.time, starts = d.start, etimes;
      std::sort(stops.begin(), stops.end());
      std::sort(starts.begin(), starts.end());
      for (std::size_t i = 0; i < n; ++i)
        if (d.status[i]) etimes.push_back(d.time[i]);
      std::sort(etimes.begin(), etimes.end());
      std::vector<double> ut, sbefore;  // distinct event times, S just before each
      double s = 1;
      for (std::size_t q = 0; q < etimes.size();) {
        std::size_t e = q;
        while (e < etimes.size() && etimes[e] == etimes[q]) ++e;
        const double t = etimes[q];
        double atrisk = static_cast<double>(stops.end() - std::lower_bound(stops.begin(), stops.end(), t));
        if (d.counting)
          atrisk -= static_cast<double>(starts.end() - std::lower_bound(starts.begin(), starts.end(), t));
        ut.push_back(t);
        sbefore.push_back(s);
        s *= 1 - static_cast<double>(e - q) / atrisk;
        q = e;
      }
      for (std::size_t i = 0; i < n; ++i) {
        if (!d.status[i]) continue;
        const auto q = std::lower_bound(ut.begin(), ut.end(), d.time[i]) - ut.begin();
        f[i] = 1 - sbefore[static_cast<std::size_t>(q)];
      }
      break;
    }
  }
  return f;
}

}  // namespace

CoxZph cox_zph(const CoxData& data, const CoxResult& fit, const CoxZphOptions& options) {
  if (fit.linear_predictor.size() != data.time.size() || fit.coef.size() != data.x.cols())
    throw UsageError("the Cox fit does not belong to these data (number of rows or coefficients differ)");
  const std::size_t p0 = static_cast<std::size_t>(data.x.cols());
  if (!options.term.empty() && options.term.size() != p0)
    throw UsageError("cox_zph: `term` needs one entry per coefficient");

  // terms (R's assign), then drop aliased columns
  std::vector<std::size_t> term0 = options.term;
  std::vector<std::string> tnames = options.term_names;
  if (term0.empty()) {
    term0.resize(p0);
    std::iota(term0.begin(), term0.end(), std::size_t{0});
  }
  const std::size_t nterm0 = p0 == 0 ? 0 : *std::max_element(term0.begin(), term0.end()) + 1;
  if (tnames.empty())
    for (std::size_t t = 0; t < nterm0; ++t) {
      std::size_t j = static_cast<std::size_t>(std::find(term0.begin(), term0.end(), t) - term0.begin());
      tnames.push_back(j < fit.terms.size() ? fit.terms[j].term : j < data.names.size() ? data.names[j] : std::string(1, 'x').append(std::to_string(j + 1)));
    }
  if (tnames.size() < nterm0) throw UsageError("cox_zph: `term_names` needs one name per term");
  std::vector<std::size_t> keep;
  for (std::size_t j = 0; j < p0; ++j)
    if (!std::isnan(fit.coef[static_cast<Eigen::Index>(j)])) keep.push_back(j);
  const std::size_t p = keep.size();
  if (p == 0) throw NumericalError("cox.zph: no estimated coefficients");
  std::vector<std::vector<std::size_t>> cols(nterm0);  // kept column indices per term
  for (std::size_t k = 0; k < p; ++k) cols[term0[keep[k]]].push_back(k);

  const detail::DiagData d = detail::diag_data(data, fit, keep);
  const bool efron = fit.ties == Ties::efron;
  std::vector<double> f = transformed_times(d, options.transform);
  double fmean = 0, nev = 0;
  for (std::size_t i = 0; i < d.n; ++i)
    if (d.status[i]) {
      fmean += f[i];
      nev += 1;
    }
  fmean /= nev;

  const std::size_t p2 = 2 * p;
  Eigen::VectorXd u2 = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(p));
  Eigen::MatrixXd imat = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p2), static_cast<Eigen::Index>(p2));
  Eigen::MatrixXd it(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p));
  std::vector<double> ak(p), xbar(p);
  detail::walk_event_times(d, true, [&](const detail::EventState& st) {
    const double g = f[st.deaths->front()] - fmean;
    for (std::size_t r : *st.deaths)
      for (std::size_t j = 0; j < p; ++j) u2[static_cast<Eigen::Index>(j)] += g * d.weight[r] * d.x[r * p + j];
    const double m = st.ndead;
    const bool breslow = !efron || m < 2;
    const double wt = breslow ? st.wdead : st.wdead / m;
    it.setZero();
    const double nsteps = breslow ? 1 : m;
    for (double k = 0; k < nsteps; k += 1) {
      const double down = breslow ? 0.0 : k / m;
      const double den = st.denom - down * st.edenom;
      for (std::size_t j = 0; j < p; ++j) {
        ak[j] = st.a[j] - down * st.a2[j];
        xbar[j] = ak[j] / den;
        u2[static_cast<Eigen::Index>(j)] -= g * wt * xbar[j];
      }
      for (std::size_t i = 0; i < p; ++i)
        for (std::size_t j = 0; j <= i; ++j) {
          const double cij = st.c[i * p + j] - down * st.c2[i * p + j];
          const double v = wt * (cij - xbar[i] * ak[j]) / den;
          it(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) += v;
          if (j != i) it(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) += v;
        }
    }
    const auto P = static_cast<Eigen::Index>(p);
    imat.topLeftCorner(P, P) += it;
    imat.topRightCorner(P, P) += g * it;
    imat.bottomLeftCorner(P, P) += g * it;
    imat.bottomRightCorner(P, P) += g * g * it;
  });

  CoxZph out;
  out.transform = options.transform;
  auto score_test = [&](const std::vector<std::size_t>& jj) {
    std::vector<Eigen::Index> kk;
    for (std::size_t j = 0; j < p; ++j) kk.push_back(static_cast<Eigen::Index>(j));
    for (std::size_t j : jj) kk.push_back(static_cast<Eigen::Index>(p + j));
    const auto K = static_cast<Eigen::Index>(kk.size());
    Eigen::MatrixXd im(K, K);
    Eigen::VectorXd u = Eigen::VectorXd::Zero(K);
    for (Eigen::Index a = 0; a < K; ++a)
      for (Eigen::Index b = 0; b < K; ++b) im(a, b) = imat(kk[static_cast<std::size_t>(a)], kk[static_cast<std::size_t>(b)]);
    for (std::size_t q = 0; q < jj.size(); ++q)
      u[static_cast<Eigen::Index>(p + q)] = u2[static_cast<Eigen::Index>(jj[q])];
    Eigen::FullPivLU<Eigen::MatrixXd> lu(im);
    if (!lu.isInvertible())
      throw NumericalError("cox.zph: the information matrix of the time-varying test is singular");
    return u.dot(lu.solve(u));
  };
  for (std::size_t t = 0; t < nterm0; ++t) {
    if (cols[t].empty()) continue;
    ZphTest z;
    z.term = tnames[t];
    z.chisq = score_test(cols[t]);
    z.df = static_cast<double>(cols[t].size());
    z.p = chisq_upper(z.chisq, z.df);
    out.terms.push_back(z);
  }
  if (options.global) {
    std::vector<std::size_t> all(p);
    std::iota(all.begin(), all.end(), std::size_t{0});
    out.global.term = "GLOBAL";
    out.global.chisq = score_test(all);
    out.global.df = static_cast<double>(p);
    out.global.p = chisq_upper(out.global.chisq, out.global.df);
  }
  return out;
}

}  // namespace hazard
