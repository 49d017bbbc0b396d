// Simulation from the normal approximation of the estimates, for probabilistic sensitivity
// analysis (hazard::draw_parameters, hazard::simulate_extrapolation).
//
// beta_r = estimate + L e_r, L L' = vcov (Cholesky; when vcov is only positive semi-definite, the
// symmetric square root from its eigen-decomposition with negative eigenvalues set to 0),
// e_r ~ N(0, I). Deviates: Random123 Philox4x64-10, key (seed, 0), counter (r, j, 0, 0), word 0
// turned into a uniform on (0, 1) by (w >> 11) 2^-53 + 2^-54 and then into a normal deviate by the
// inverse normal CDF: the same seed gives the same draws on every platform and thread count.
// Summaries over the draws: pointwise percentile intervals (R's quantile type 7) of S(t) and
// h(t); for the median, restricted mean, mean and RMST the mean over draws (estimate), the SD
// (se) and the percentile interval.
#include <Random123/philox.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

#include "hazard/error.hpp"
#include "hazard/parametric.hpp"
#include "parametric/extrapolate.hpp"
#include "parametric/family.hpp"

namespace hazard {

namespace dp = detail::parametric;

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

inline double to_uniform(std::uint64_t w) {
  return static_cast<double>(w >> 11) * 0x1.0p-53 + 0x1.0p-54;
}

// R's quantile type 7 of a sorted vector (infinities sort last; NaN removed by the caller).
double quantile7(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return nan_v;
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  if (sorted[lo] == sorted[hi]) return sorted[lo];
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Estimate summarise(std::vector<double> v, double level) {
  Estimate e;
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return {nan_v, nan_v, nan_v, nan_v};
  double sum = 0;
  for (double x : v) sum += x;
  const double n = static_cast<double>(v.size());
  e.estimate = sum / n;
  double ss = 0;
  for (double x : v) ss += (x - e.estimate) * (x - e.estimate);
  e.se = v.size() > 1 ? std::sqrt(ss / (n - 1)) : nan_v;
  std::sort(v.begin(), v.end());
  e.lower = quantile7(v, (1 - level) / 2);
  e.upper = quantile7(v, (1 + level) / 2);
  return e;
}

}  // namespace

Eigen::MatrixXd draw_parameters(const ParametricFit& fit, int draws, std::uint64_t seed) {
  if (draws < 1) throw UsageError("--draws must be at least 1");
  const Eigen::Index P = fit.estimate.size();
  if (!fit.vcov.allFinite())
    throw NumericalError(fit.dist + ": the covariance of the estimates is not available, no draws");
  Eigen::MatrixXd L;
  Eigen::LLT<Eigen::MatrixXd> llt(fit.vcov);
  if (llt.info() == Eigen::Success) {
    L = llt.matrixL();
  } else {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(fit.vcov);
    const Eigen::VectorXd ev = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
    L = es.eigenvectors() * ev.asDiagonal() * es.eigenvectors().transpose();
  }
  using Rng = r123::Philox4x64;
  Rng rng;
  const Rng::key_type key = {{seed, 0}};
  const boost::math::normal n01;
  Eigen::MatrixXd out(draws, P);
  Eigen::VectorXd e(P);
  for (int r = 0; r < draws; ++r) {
    for (Eigen::Index j = 0; j < P; ++j) {
      const Rng::ctr_type ctr = {{static_cast<std::uint64_t>(r), static_cast<std::uint64_t>(j), 0, 0}};
      e[j] = boost::math::quantile(n01, to_uniform(rng(ctr, key)[0]));
    }
    out.row(r) = (fit.estimate + L * e).transpose();
  }
  return out;
}

SimulatedCurve simulate_extrapolation(const ParametricFit& fit, const CurveCovariates& at,
                                      const ExtrapolationOptions& options,
                                      const Eigen::MatrixXd& draws) {
  const auto fam = dp::make_family(fit.distribution, fit.knots);
  const int m = fam->m();
  const Eigen::Index R = draws.rows();
  const std::size_t nt = options.times.size();
  std::vector<double> tpos;
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < nt; ++i)
    if (options.times[i] > 0) {
      tpos.push_back(options.times[i]);
      idx.push_back(i);
    }
  std::vector<std::vector<double>> surv(nt), haz(nt);
  SimulatedCurve out;
  std::vector<double> ls(tpos.size()), lf(tpos.size());
  for (Eigen::Index r = 0; r < R; ++r) {
    const Eigen::VectorXd beta = draws.row(r).transpose();
    const dp::CurveTheta c = dp::curve_theta(fit, beta, at);
    const double* th = c.th.data();
    if (!tpos.empty()) {
      fam->log_s(th, tpos, 0, ls.data(), nullptr);
      fam->log_f(th, tpos, 0, lf.data(), nullptr);
    }
    for (std::size_t i = 0; i < nt; ++i)
      if (options.times[i] == 0) {
        surv[i].push_back(1.0);
        haz[i].push_back(nan_v);
      }
    for (std::size_t k = 0; k < tpos.size(); ++k) {
      surv[idx[k]].push_back(std::exp(ls[k]));
      haz[idx[k]].push_back(std::exp(lf[k] - ls[k]));
    }
    out.draw_median.push_back(fam->quantile(th, 0.5));
    out.draw_mean_restricted.push_back(
        dp::integrate_survival(*fam, th, options.horizon, 0, m, nullptr));
    if (options.rmst_tau)
      out.draw_rmst.push_back(dp::integrate_survival(*fam, th, *options.rmst_tau, 0, m, nullptr));
    double mean = fam->mean(th);
    if (std::isnan(mean))
      mean = dp::integrate_survival(*fam, th, std::numeric_limits<double>::infinity(), 0, m, nullptr);
    out.draw_mean.push_back(mean);
  }
  const double level = options.conf_level;
  for (std::size_t i = 0; i < nt; ++i) {
    const Estimate s = summarise(surv[i], level), h = summarise(haz[i], level);
    out.lower.push_back(s.lower);
    out.upper.push_back(s.upper);
    out.hazard_lower.push_back(h.lower);
    out.hazard_upper.push_back(h.upper);
  }
  out.median = summarise(out.draw_median, level);
  out.mean_restricted = summarise(out.draw_mean_restricted, level);
  out.mean = summarise(out.draw_mean, level);
  if (options.rmst_tau) out.rmst = summarise(out.draw_rmst, level);
  return out;
}

}  // namespace hazard
