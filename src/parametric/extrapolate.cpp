// Extrapolation of a fitted parametric model: S(t), h(t), the median, restricted and
// unrestricted means and the RMST, with delta-method intervals (hazard::extrapolate).
//
// theta at covariates (x, z): theta_k = beta_k + [k = location] x' beta_x + [k ancillary] z' delta_k;
// J = d theta / d beta. For a function g(theta) with gradient in theta d, Var = (J'd)' V (J'd).
//   S(t):    interval on u = log(-log S) (as survfit's log-log): du = d log S / log S;
//            S = exp(-exp(u -/+ z se))
//   h(t):    interval on log h = log f - log S
//   median:  t with S(t) = 1/2 (Family::quantile); dt/dtheta = S d log S / f at t; interval on
//            log t
//   RMST(tau) = int_0^tau S dt: Gauss–Legendre (16 points) on 200 panels in u = log t between the
//            time where 1 - S = 1e-15 (below it S = 1 to double precision: that part is t_lo) and
//            tau (or the time where S = 1e-16 if earlier); gradient int S d log S/dtheta dt on the
//            same nodes; Wald interval. The restricted mean is the RMST to the horizon.
//   mean:    the family's closed form where it has one (exponential, Weibull, log-normal,
//            log-logistic, gengamma), else the same quadrature to the time where S = 1e-17 plus the
//            family's tail integral beyond (rp-*); infinite where the family says so. Gradient by
//            central differences with Richardson extrapolation (steps 1e-4 and 5e-5 times
//            max(1, |beta_j|)); interval on log(mean) (a positive, often skewed quantity; the
//            restricted mean and RMST keep the Wald interval of hazard km / survRM2).
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/quadrature/gauss.hpp>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "hazard/error.hpp"
#include "hazard/parametric.hpp"
#include "parametric/extrapolate.hpp"
#include "parametric/family.hpp"

namespace hazard {

namespace dp = detail::parametric;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
}  // namespace

namespace detail::parametric {

CurveTheta curve_theta(const ParametricFit& fit, const Eigen::VectorXd& beta,
                       const CurveCovariates& at) {
  const int m = static_cast<int>(fit.parameters.size());
  const int p = static_cast<int>(fit.x_names.size()), q = static_cast<int>(fit.z_names.size());
  if (at.x.size() != 0 && at.x.size() != p)
    throw UsageError(fmt::format("extrapolation: {} covariate values given, {} expected", at.x.size(), p));
  if (at.z.size() != 0 && at.z.size() != q)
    throw UsageError(fmt::format("extrapolation: {} ancillary covariate values given, {} expected", at.z.size(), q));
  const int P = static_cast<int>(beta.size());
  CurveTheta c;
  c.th.assign(static_cast<std::size_t>(m), 0.0);
  c.jac = Eigen::MatrixXd::Zero(m, P);
  for (int k = 0; k < m; ++k) {
    c.th[k] = beta[k];
    c.jac(k, k) = 1;
  }
  for (int j = 0; j < p; ++j) {
    const double xv = at.x.size() ? at.x[j] : 0.0;
    c.th[fit.location] += xv * beta[m + j];
    c.jac(fit.location, m + j) = xv;
  }
  for (std::size_t a = 0; a < fit.ancillary.size(); ++a)
    for (int j = 0; j < q; ++j) {
      const double zv = at.z.size() ? at.z[j] : 0.0;
      const int r = m + p + static_cast<int>(a) * q + j;
      c.th[fit.ancillary[a]] += zv * beta[r];
      c.jac(fit.ancillary[a], r) = zv;
    }
  return c;
}

double integrate_survival(const Family& fam, const double* th, double tau, int order, int m,
                          double* grad) {
  if (grad)
    for (int k = 0; k < m; ++k) grad[k] = 0;
  if (!(tau > 0)) return 0;
  const double t_lo = std::min(fam.quantile(th, 1 - 1e-15), tau);
  double t_hi = std::min(tau, fam.quantile(th, std::isinf(tau) ? 1e-17 : 1e-16));
  double tail = 0;
  if (std::isinf(tau)) {
    tail = fam.tail_integral(th, t_hi);
    if (std::isnan(tail)) {
      // the quadrature must reach the closed-form tail: rp-* beyond its last knot
      t_hi = std::max(t_hi, 2 * t_lo);
      for (int k = 0; k < 200 && std::isnan(tail); ++k) {
        t_hi *= 2;
        tail = fam.tail_integral(th, t_hi);
      }
    }
    if (std::isinf(tail)) return inf;
    if (std::isnan(tail)) tail = 0;
  }
  if (!(t_lo > 0) || !std::isfinite(t_hi)) return nan_v;
  double total = t_lo;  // S = 1 below t_lo to double precision
  if (t_hi > t_lo) {
    using Gauss = boost::math::quadrature::gauss<double, 16>;
    const auto& x = Gauss::abscissa();
    const auto& w = Gauss::weights();
    constexpr int panels = 200;
    const double u0 = std::log(t_lo), u1 = std::log(t_hi), width = (u1 - u0) / panels;
    std::vector<double> t, wt;
    t.reserve(panels * 16);
    for (int k = 0; k < panels; ++k) {
      const double mid = u0 + (k + 0.5) * width, half = 0.5 * width;
      for (std::size_t j = 0; j < x.size(); ++j) {
        for (int sgn : {-1, 1}) {
          if (x[j] == 0 && sgn > 0) continue;
          const double u = mid + sgn * half * x[j];
          t.push_back(std::exp(u));
          wt.push_back(w[j] * half * t.back());  // dt = t du
        }
      }
    }
    std::vector<double> ls(t.size());
    std::vector<Deriv> d(order >= 1 ? t.size() : 0);
    fam.log_s(th, t, order, ls.data(), order >= 1 ? d.data() : nullptr);
    for (std::size_t i = 0; i < t.size(); ++i) {
      const double s = std::exp(ls[i]);
      total += wt[i] * s;
      if (grad)
        for (int k = 0; k < m; ++k) grad[k] += wt[i] * s * d[i].g[k];
    }
  }
  return total + tail;
}

}  // namespace detail::parametric

namespace {

double z_value(double level) {
  const boost::math::normal n;
  return boost::math::quantile(boost::math::complement(n, (1 - level) / 2));
}

Estimate wald(double est, const Eigen::VectorXd& grad, const Eigen::MatrixXd& V, double z) {
  Estimate e;
  e.estimate = est;
  e.se = std::sqrt(grad.dot(V * grad));
  e.lower = est - z * e.se;
  e.upper = est + z * e.se;
  return e;
}

// The unrestricted mean at beta: closed form or quadrature (NaN on failure, inf when infinite).
double mean_at(const ParametricFit& fit, const dp::Family& fam, const Eigen::VectorXd& beta,
               const CurveCovariates& at) {
  const dp::CurveTheta c = dp::curve_theta(fit, beta, at);
  const double closed = fam.mean(c.th.data());
  if (!std::isnan(closed)) return closed;
  return dp::integrate_survival(fam, c.th.data(), std::numeric_limits<double>::infinity(), 0,
                                fam.m(), nullptr);
}

}  // namespace

Extrapolation extrapolate(const ParametricFit& fit, const CurveCovariates& at,
                          const ExtrapolationOptions& options) {
  if (!(options.conf_level > 0 && options.conf_level < 1))
    throw UsageError("extrapolation: the confidence level must be in (0, 1)");
  if (!(options.horizon > 0) || !std::isfinite(options.horizon))
    throw UsageError("extrapolation: the horizon must be a positive number");
  for (std::size_t i = 0; i < options.times.size(); ++i)
    if (!(options.times[i] >= 0) || !std::isfinite(options.times[i]) ||
        (i > 0 && options.times[i] <= options.times[i - 1]))
      throw UsageError("extrapolation: times must be finite, >= 0 and increasing");
  if (options.rmst_tau && !(*options.rmst_tau > 0 && std::isfinite(*options.rmst_tau)))
    throw UsageError("extrapolation: the RMST time must be a positive number");

  const auto fam = dp::make_family(fit.distribution, fit.knots);
  const int m = fam->m();
  const dp::CurveTheta c = dp::curve_theta(fit, fit.estimate, at);
  const Eigen::MatrixXd& V = fit.vcov;
  const double z = z_value(options.conf_level);
  auto to_beta = [&](const double* g) {
    Eigen::VectorXd gt(m);
    for (int k = 0; k < m; ++k) gt[k] = g[k];
    return Eigen::VectorXd(c.jac.transpose() * gt);
  };

  Extrapolation e;
  e.label = at.label;
  e.time = options.times;
  const std::size_t nt = e.time.size();
  e.surv.assign(nt, 1.0);
  e.lower.assign(nt, 1.0);
  e.upper.assign(nt, 1.0);
  e.hazard.assign(nt, nan_v);
  e.hazard_lower.assign(nt, nan_v);
  e.hazard_upper.assign(nt, nan_v);
  e.cumhaz.assign(nt, 0.0);
  std::vector<double> tpos;
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < nt; ++i)
    if (e.time[i] > 0) {
      tpos.push_back(e.time[i]);
      idx.push_back(i);
    }
  if (!tpos.empty()) {
    std::vector<double> ls(tpos.size()), lf(tpos.size());
    std::vector<dp::Deriv> ds(tpos.size()), df(tpos.size());
    fam->log_s(c.th.data(), tpos, 1, ls.data(), ds.data());
    fam->log_f(c.th.data(), tpos, 1, lf.data(), df.data());
    for (std::size_t k = 0; k < tpos.size(); ++k) {
      const std::size_t i = idx[k];
      const double S = std::exp(ls[k]);
      e.surv[i] = S;
      e.cumhaz[i] = -ls[k];
      // S: log(-log S)
      if (ls[k] < 0 && std::isfinite(ls[k])) {
        const Eigen::VectorXd g = to_beta(ds[k].g) / ls[k];
        const double se = std::sqrt(g.dot(V * g));
        const double u = std::log(-ls[k]);
        e.lower[i] = std::exp(-std::exp(u + z * se));
        e.upper[i] = std::exp(-std::exp(u - z * se));
      } else {
        e.lower[i] = e.upper[i] = S;
      }
      // h: log f - log S
      const double lh = lf[k] - ls[k];
      e.hazard[i] = std::exp(lh);
      if (std::isfinite(lh)) {
        double gh[dp::max_par];
        for (int j = 0; j < m; ++j) gh[j] = df[k].g[j] - ds[k].g[j];
        const Eigen::VectorXd g = to_beta(gh);
        const double se = std::sqrt(g.dot(V * g));
        e.hazard_lower[i] = std::exp(lh - z * se);
        e.hazard_upper[i] = std::exp(lh + z * se);
      }
    }
  }

  // median
  {
    const double tm = fam->quantile(c.th.data(), 0.5);
    e.median = {tm, nan_v, nan_v, nan_v};
    if (std::isfinite(tm) && tm > 0) {
      double ls, lf;
      dp::Deriv ds;
      fam->log_s(c.th.data(), {tm}, 1, &ls, &ds);
      fam->log_f(c.th.data(), {tm}, 0, &lf, nullptr);
      double g[dp::max_par];
      const double ratio = std::exp(ls - lf);  // S / f
      for (int k = 0; k < m; ++k) g[k] = ratio * ds.g[k];
      const Eigen::VectorXd gb = to_beta(g);
      const double se = std::sqrt(gb.dot(V * gb));
      e.median.se = se;
      e.median.lower = tm * std::exp(-z * se / tm);
      e.median.upper = tm * std::exp(z * se / tm);
    }
  }

  // restricted mean and RMST: analytic gradient
  auto restricted = [&](double tau) {
    double g[dp::max_par];
    const double v = dp::integrate_survival(*fam, c.th.data(), tau, 1, m, g);
    return wald(v, to_beta(g), V, z);
  };
  e.mean_restricted = restricted(options.horizon);
  if (options.rmst_tau) {
    e.rmst = restricted(*options.rmst_tau);
    e.rmst_tau = *options.rmst_tau;
  }

  // unrestricted mean: closed form or quadrature; gradient by Richardson central differences
  e.mean_note = fam->infinite_mean(c.th.data());
  const double mean = mean_at(fit, *fam, fit.estimate, at);
  if (!e.mean_note.empty() || std::isinf(mean)) {
    e.mean_finite = false;
    e.mean = {inf, nan_v, nan_v, nan_v};
    if (e.mean_note.empty()) e.mean_note = "the mean is infinite";
  } else if (std::isnan(mean)) {
    e.mean_finite = false;
    e.mean = {nan_v, nan_v, nan_v, nan_v};
    e.mean_note = "the mean could not be computed";
  } else {
    const Eigen::Index P = fit.estimate.size();
    Eigen::VectorXd grad(P);
    for (Eigen::Index j = 0; j < P; ++j) {
      const double h = 1e-4 * std::max(1.0, std::fabs(fit.estimate[j]));
      auto diff = [&](double step) {
        Eigen::VectorXd bp = fit.estimate, bm = fit.estimate;
        bp[j] += step;
        bm[j] -= step;
        return (mean_at(fit, *fam, bp, at) - mean_at(fit, *fam, bm, at)) / (2 * step);
      };
      const double d1 = diff(h), d2 = diff(h / 2);
      grad[j] = (4 * d2 - d1) / 3;
    }
    // a positive quantity that can be far from normal (heavy tails): interval on log(mean)
    e.mean = wald(mean, grad, V, z);
    e.mean.lower = mean * std::exp(-z * e.mean.se / mean);
    e.mean.upper = mean * std::exp(z * e.mean.se / mean);
  }
  return e;
}

ParametricCurve parametric_curve(const ParametricFit& fit, const CurveCovariates& at,
                                 const std::vector<double>& times) {
  const auto fam = dp::make_family(fit.distribution, fit.knots);
  const dp::CurveTheta c = dp::curve_theta(fit, fit.estimate, at);
  ParametricCurve out;
  out.surv.assign(times.size(), 1.0);
  out.hazard.assign(times.size(), nan_v);
  out.cumhaz.assign(times.size(), 0.0);
  std::vector<double> tpos;
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < times.size(); ++i)
    if (times[i] > 0) {
      tpos.push_back(times[i]);
      idx.push_back(i);
    }
  if (tpos.empty()) return out;
  std::vector<double> ls(tpos.size()), lf(tpos.size());
  fam->log_s(c.th.data(), tpos, 0, ls.data(), nullptr);
  fam->log_f(c.th.data(), tpos, 0, lf.data(), nullptr);
  for (std::size_t k = 0; k < tpos.size(); ++k) {
    out.surv[idx[k]] = std::exp(ls[k]);
    out.cumhaz[idx[k]] = -ls[k];
    out.hazard[idx[k]] = std::exp(lf[k] - ls[k]);
  }
  return out;
}

double parametric_log_survival(const ParametricFit& fit, const Eigen::VectorXd& beta,
                               const CurveCovariates& at, double t) {
  if (t == 0) return 0;
  const auto fam = dp::make_family(fit.distribution, fit.knots);
  const dp::CurveTheta c = dp::curve_theta(fit, beta, at);
  double v;
  fam->log_s(c.th.data(), {t}, 0, &v, nullptr);
  return v;
}

double parametric_log_hazard(const ParametricFit& fit, const Eigen::VectorXd& beta,
                             const CurveCovariates& at, double t) {
  const auto fam = dp::make_family(fit.distribution, fit.knots);
  const dp::CurveTheta c = dp::curve_theta(fit, beta, at);
  double s, f;
  fam->log_s(c.th.data(), {t}, 0, &s, nullptr);
  fam->log_f(c.th.data(), {t}, 0, &f, nullptr);
  return f - s;
}

}  // namespace hazard
