// Maximum-likelihood fit of a parametric survival model (hazard::fit_parametric).
//
// Input contract: time > 0 and finite, 0 <= start < time, status 0/1, weights > 0, covariate
// matrices with one row per observation; at least one event. Checked here (UsageError naming the
// row); the command line reports the file line before calling.
//
// Starting values (every family then runs newton_maximise, newton.hpp):
//   lambda0 = events / time at risk (the exponential MLE without covariates);
//   exponential log(lambda0); Weibull (0, -log lambda0); Gompertz (0, log lambda0); log-normal
//   (log(log 2 / lambda0), 0); log-logistic (0, -log lambda0); covariate effects 0;
//   gengamma: the better (higher log-likelihood) of the log-normal fit (mu, log sigma, Q = 0) and
//   the Weibull fit (log b, -log a, Q = 1), both fitted with the same covariates; the other one is
//   tried when Newton fails from the first;
//   rp-hazard:K from the Weibull fit (gamma0 = -a log b, gamma1 = a, effects -a beta), rp-odds:K
//   from the log-logistic fit (the same map), the other gammas 0: the spline model with K knots
//   nests these, so the start is valid (s' > 0 everywhere).
// Covariance: the inverse of the observed information -H at the maximum (LDLT); NaN with a
// message when -H is not positive definite.
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include <fmt/format.h>

#include "hazard/error.hpp"
#include "hazard/parametric.hpp"
#include "parametric/family.hpp"
#include "parametric/model.hpp"
#include "parametric/newton.hpp"

namespace hazard {

namespace dp = detail::parametric;

namespace detail::parametric {

void check_data(const ParametricData& d) {
  const std::size_t n = d.time.size();
  if (n == 0) throw UsageError("parametric fit: no observations");
  if (d.status.size() != n) throw UsageError("parametric fit: time and status differ in length");
  if (!d.start.empty() && d.start.size() != n)
    throw UsageError("parametric fit: time and start differ in length");
  if (!d.weight.empty() && d.weight.size() != n)
    throw UsageError("parametric fit: time and weights differ in length");
  if (d.x.cols() > 0 && static_cast<std::size_t>(d.x.rows()) != n)
    throw UsageError("parametric fit: the covariate matrix does not have one row per observation");
  if (d.z.cols() > 0 && static_cast<std::size_t>(d.z.rows()) != n)
    throw UsageError("parametric fit: the ancillary covariate matrix does not have one row per observation");
  if (static_cast<std::size_t>(d.x.cols()) != d.x_names.size() ||
      static_cast<std::size_t>(d.z.cols()) != d.z_names.size())
    throw UsageError("parametric fit: covariate names do not match the covariate columns");
  double events = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(d.time[i] > 0) || !std::isfinite(d.time[i]))
      throw UsageError(fmt::format("parametric fit: row {}: time {} is not a positive finite number", i + 1, d.time[i]));
    if (d.status[i] > 1) throw UsageError(fmt::format("parametric fit: row {}: status must be 0 or 1", i + 1));
    if (!d.start.empty() && (!(d.start[i] >= 0) || !(d.start[i] < d.time[i])))
      throw UsageError(fmt::format("parametric fit: row {}: entry time {} is not in [0, time)", i + 1, d.start[i]));
    const double w = d.weight.empty() ? 1.0 : d.weight[i];
    if (!(w > 0) || !std::isfinite(w))
      throw UsageError(fmt::format("parametric fit: row {}: weight {} is not positive", i + 1, w));
    events += d.status[i] * w;
  }
  if (!(events > 0)) throw UsageError("parametric fit: no events: no parametric model can be fitted");
  if (!d.x.allFinite() || !d.z.allFinite())
    throw UsageError("parametric fit: a covariate value is not finite");
}

ModelData::ModelData(const ParametricData& d, const FamilySpec& spec, int m,
                     const std::vector<double>* shared_log_time) {
  const std::size_t n = d.time.size();
  if (!shared_log_time) {
    log_time.resize(n);
    for (std::size_t i = 0; i < n; ++i) log_time[i] = std::log(d.time[i]);
  }
  model.n = n;
  model.time = d.time.data();
  model.log_time = shared_log_time ? shared_log_time->data() : log_time.data();
  if (!d.start.empty()) {
    log_start.resize(n);
    for (std::size_t i = 0; i < n; ++i)
      log_start[i] = d.start[i] > 0 ? std::log(d.start[i]) : -std::numeric_limits<double>::infinity();
    model.start = d.start.data();
    model.log_start = log_start.data();
  }
  model.status = d.status.data();
  model.weight = d.weight.empty() ? nullptr : d.weight.data();
  model.x = d.x.cols() > 0 ? &d.x : nullptr;
  model.z = d.z.cols() > 0 ? &d.z : nullptr;
  model.m = m;
  model.loc = spec.location;
  if (d.z.cols() > 0)
    for (int k = 0; k < m; ++k)
      if (k != spec.location) model.anc.push_back(k);
}

}  // namespace detail::parametric

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

double exposure_rate(const ParametricData& d) {
  double ev = 0, at = 0;
  for (std::size_t i = 0; i < d.time.size(); ++i) {
    const double w = d.weight.empty() ? 1.0 : d.weight[i];
    ev += w * d.status[i];
    at += w * (d.time[i] - (d.start.empty() ? 0.0 : d.start[i]));
  }
  return ev / at;
}

// The full parameter vector from distribution parameters and location effects (z effects 0).
Eigen::VectorXd full(const std::vector<double>& theta, const Eigen::VectorXd& loc_effects,
                     const dp::Model& model) {
  Eigen::VectorXd b = Eigen::VectorXd::Zero(model.npar());
  for (std::size_t k = 0; k < theta.size(); ++k) b[static_cast<Eigen::Index>(k)] = theta[k];
  for (int j = 0; j < model.p(); ++j) b[model.m + j] = loc_effects.size() ? loc_effects[j] : 0.0;
  return b;
}

std::string term_name(const std::string& par, const std::string& transform) {
  return transform == "log" ? "log(" + par + ")" : par;
}

/// One coefficient row from its estimate and SE on the estimation scale: a Wald interval there;
/// a non-effect parameter estimated on the log scale is reported back on its natural scale (SE by
/// the delta method), an effect also as exp(effect) with its limits.
ParametricCoefficient coefficient(const std::string& term, const std::string& par, bool effect,
                                  const std::string& transform, double estimate_t, double se_t, double z) {
  ParametricCoefficient c;
  c.term = term;
  c.parameter = par;
  c.effect = effect;
  c.transform = transform;
  c.estimate_t = estimate_t;
  c.se_t = se_t;
  const double lo = c.estimate_t - z * c.se_t, hi = c.estimate_t + z * c.se_t;
  if (!effect && transform == "log") {
    c.estimate = std::exp(c.estimate_t);
    c.se = c.estimate * c.se_t;
    c.lower = std::exp(lo);
    c.upper = std::exp(hi);
  } else {
    c.estimate = c.estimate_t;
    c.se = c.se_t;
    c.lower = lo;
    c.upper = hi;
  }
  c.exp_estimate = effect ? std::exp(c.estimate_t) : nan_v;
  c.exp_lower = effect ? std::exp(lo) : nan_v;
  c.exp_upper = effect ? std::exp(hi) : nan_v;
  return c;
}

}  // namespace

namespace detail::parametric {

ParametricFit finish_fit(const ParametricData& data, const Distribution& dist,
                         const ParametricOptions& options, const std::vector<double>& knots,
                         const Model& model, const NewtonResult& nr) {
  ParametricFit f;
  const FamilySpec spec = family_spec(dist);
  f.distribution = dist;
  f.dist = distribution_name(dist);
  f.parameters = spec.names;
  f.transforms = spec.transforms;
  f.location = spec.location;
  f.knots = knots;
  f.x_names = data.x_names;
  f.z_names = data.z_names;
  f.ancillary = model.anc;
  f.conf_level = options.conf_level;
  f.estimate = nr.beta;
  f.loglik = nr.at.loglik;
  f.converged = nr.converged;
  f.iterations = nr.iterations;
  f.message = nr.message;
  f.n = data.time.size();
  for (std::size_t i = 0; i < f.n; ++i) f.events += data.status[i] * (data.weight.empty() ? 1.0 : data.weight[i]);
  const int P = model.npar();
  f.npar = P;
  f.aic = -2 * f.loglik + 2 * P;
  f.bic = -2 * f.loglik + P * std::log(static_cast<double>(f.n));

  // terms
  for (int k = 0; k < model.m; ++k) f.terms.push_back(term_name(spec.names[k], spec.transforms[k]));
  for (const auto& nm : data.x_names) f.terms.push_back(nm);
  for (int k : model.anc)
    for (const auto& nm : data.z_names) f.terms.push_back(spec.names[k] + "(" + nm + ")");

  // covariance
  const Eigen::MatrixXd info = -nr.at.hess;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(info);
  const bool pd = info.allFinite() && ldlt.info() == Eigen::Success && ldlt.isPositive() &&
                  (ldlt.vectorD().array() > 0).all();
  if (pd) {
    f.vcov = ldlt.solve(Eigen::MatrixXd::Identity(P, P));
    f.vcov = 0.5 * (f.vcov + f.vcov.transpose());
  } else {
    f.vcov = Eigen::MatrixXd::Constant(P, P, nan_v);
    if (!f.message.empty()) f.message += "; ";
    f.message += "the observed information is not positive definite: no standard errors";
  }

  const boost::math::normal norm;
  const double z = boost::math::quantile(boost::math::complement(norm, (1 - options.conf_level) / 2));
  auto row = [&](int r, const std::string& term, const std::string& par, bool effect,
                 const std::string& transform) {
    f.coefficients.push_back(coefficient(term, par, effect, transform, nr.beta[r], std::sqrt(f.vcov(r, r)), z));
  };
  for (int k = 0; k < model.m; ++k) row(k, spec.names[k], spec.names[k], false, spec.transforms[k]);
  for (int j = 0; j < model.p(); ++j)
    row(model.m + j, data.x_names[j], spec.names[spec.location], true, spec.transforms[spec.location]);
  for (std::size_t a = 0; a < model.anc.size(); ++a)
    for (int j = 0; j < model.q(); ++j)
      row(model.m + model.p() + static_cast<int>(a) * model.q() + j,
          spec.names[model.anc[a]] + "(" + data.z_names[j] + ")", spec.names[model.anc[a]], true,
          spec.transforms[model.anc[a]]);

  // Weibull's PH form (weibullPH): shape a, log m = -a log b, effects -a beta.
  if (dist.family == ParametricFamily::weibull && model.anc.empty()) {
    const double a = std::exp(nr.beta[0]);
    Eigen::VectorXd est(P);
    Eigen::MatrixXd J = Eigen::MatrixXd::Zero(P, P);
    est[0] = nr.beta[0];
    J(0, 0) = 1;
    est[1] = -a * nr.beta[1];
    J(1, 0) = -a * nr.beta[1];
    J(1, 1) = -a;
    for (int j = 0; j < model.p(); ++j) {
      est[2 + j] = -a * nr.beta[2 + j];
      J(2 + j, 0) = -a * nr.beta[2 + j];
      J(2 + j, 2 + j) = -a;
    }
    const Eigen::MatrixXd V = J * f.vcov * J.transpose();
    auto ph_row = [&](int r, const std::string& term, const std::string& par, bool effect) {
      f.ph.push_back(coefficient(term, par, effect, "log", est[r], std::sqrt(V(r, r)), z));
    };
    ph_row(0, "shape", "shape", false);
    ph_row(1, "scale", "scale", false);
    for (int j = 0; j < model.p(); ++j) ph_row(2 + j, data.x_names[j], "scale", true);
  }
  return f;
}

}  // namespace detail::parametric

namespace {

struct Fitter {
  const ParametricData& data;
  const ParametricOptions& options;
  std::map<std::string, ParametricFit> done;  // by distribution name (also internal helper fits)
  bool subsample_ = false;                    // this fitter works on a subsample (no further one)
  const ParametricOptions* options_override = nullptr;
  const ParametricOptions& opts() const { return options_override ? *options_override : options; }
  std::vector<double> log_time{};  // log of every time, computed once for all the fits

  const std::vector<double>& log_times() {
    if (log_time.empty()) {
      log_time.resize(data.time.size());
      for (std::size_t i = 0; i < data.time.size(); ++i) log_time[i] = std::log(data.time[i]);
    }
    return log_time;
  }

  // Fits `dist` from the start `b0`; a failed start (non-finite likelihood) returns nullopt.
  std::optional<ParametricFit> run(const Distribution& dist, const std::vector<double>& knots,
                                   const dp::ModelData& md, const dp::Family& fam,
                                   const Eigen::VectorXd& b0) {
    const dp::Objective obj = [&](const Eigen::VectorXd& b, int order) {
      return fam.evaluate(md.model, b, order);
    };
    try {
      const dp::NewtonResult nr = dp::newton_maximise(obj, b0, opts().max_iter, opts().tolerance);
      return dp::finish_fit(data, dist, opts(), knots, md.model, nr);
    } catch (const NumericalError&) {
      return std::nullopt;
    }
  }

  const ParametricFit& get(const Distribution& dist) {
    const std::string name = distribution_name(dist);
    auto it = done.find(name);
    if (it != done.end()) return it->second;
    ParametricFit f = fit(dist);
    return done.emplace(name, std::move(f)).first->second;
  }

  ParametricFit fit(const Distribution& dist) {
    const dp::FamilySpec spec = dp::family_spec(dist);
    std::vector<double> knots;
    if (dist.family == ParametricFamily::rp_hazard || dist.family == ParametricFamily::rp_odds) {
      if (!opts().knots.empty()) {
        knots = opts().knots;
        if (static_cast<int>(knots.size()) != dist.knots + 2)
          throw UsageError(fmt::format("{}: {} knots given, {} expected (boundary knots included)",
                                       distribution_name(dist), knots.size(), dist.knots + 2));
      } else {
        knots = spline_knots(data.time, data.status, data.weight, dist.knots);
      }
      for (std::size_t j = 1; j < knots.size(); ++j)
        if (!(knots[j] > knots[j - 1]))
          throw UsageError(fmt::format(
              "{}: the knots are not increasing (the log event times have too few distinct values "
              "for {} internal knots)",
              distribution_name(dist), dist.knots));
    }
    const int m = static_cast<int>(spec.names.size());
    if (m + data.x.cols() + (m - 1) * data.z.cols() > 64)
      throw UsageError("parametric fit: too many parameters (at most 64)");
    const auto fam = dp::make_family(dist, knots);
    dp::ModelData md(data, spec, m, &log_times());
    const double l0 = exposure_rate(data);
    const double ll0 = std::log(l0);
    std::vector<Eigen::VectorXd> starts;
    const Eigen::VectorXd none;
    switch (dist.family) {
      case ParametricFamily::exponential: starts.push_back(full({ll0}, none, md.model)); break;
      case ParametricFamily::weibull: starts.push_back(full({0, -ll0}, none, md.model)); break;
      case ParametricFamily::gompertz: starts.push_back(full({0, ll0}, none, md.model)); break;
      case ParametricFamily::lognormal:
        starts.push_back(full({std::log(std::log(2.0) / l0), 0}, none, md.model));
        break;
      case ParametricFamily::loglogistic: starts.push_back(full({0, -ll0}, none, md.model)); break;
      case ParametricFamily::gengamma: {
        const ParametricFit& ln = get({ParametricFamily::lognormal});
        const ParametricFit& wb = get({ParametricFamily::weibull});
        const Eigen::VectorXd lx = ln.estimate.segment(2, md.model.p());
        const Eigen::VectorXd wx = wb.estimate.segment(2, md.model.p());
        Eigen::VectorXd s_ln = full({ln.estimate[0], ln.estimate[1], 0.0}, lx, md.model);
        Eigen::VectorXd s_wb = full({wb.estimate[1], -wb.estimate[0], 1.0}, wx, md.model);
        const double v_ln = fam->evaluate(md.model, s_ln, 0).loglik;
        const double v_wb = fam->evaluate(md.model, s_wb, 0).loglik;
        if (v_wb > v_ln) {
          starts.push_back(s_wb);
          starts.push_back(s_ln);
        } else {
          starts.push_back(s_ln);
          starts.push_back(s_wb);
        }
        break;
      }
      case ParametricFamily::rp_hazard:
      case ParametricFamily::rp_odds: {
        const bool odds = dist.family == ParametricFamily::rp_odds;
        const ParametricFit& b =
            get({odds ? ParametricFamily::loglogistic : ParametricFamily::weibull});
        const double a = std::exp(b.estimate[0]);
        std::vector<double> th(static_cast<std::size_t>(m), 0.0);
        th[0] = -a * b.estimate[1];
        th[1] = a;
        const Eigen::VectorXd bx = -a * b.estimate.segment(2, md.model.p());
        starts.push_back(full(th, bx, md.model));
        break;
      }
    }
    // Large data: the first start is refined on a systematic subsample of ~20000 rows (every k-th
    // row) first, so that the full data need only the last few Newton steps. Only the start
    // changes; the fit and its convergence rule are those of the full data.
    const bool nested = dist.family == ParametricFamily::gengamma ||
                        dist.family == ParametricFamily::rp_hazard ||
                        dist.family == ParametricFamily::rp_odds;  // started from full-data fits
    if (data.time.size() > 100000 && !subsample_ && !nested) {
      const std::size_t k = data.time.size() / 20000;
      ParametricData sub;
      for (std::size_t i = 0; i < data.time.size(); i += k) {
        sub.time.push_back(data.time[i]);
        sub.status.push_back(data.status[i]);
        if (!data.weight.empty()) sub.weight.push_back(data.weight[i]);
        if (!data.start.empty()) sub.start.push_back(data.start[i]);
      }
      auto rows_of = [&](const Eigen::MatrixXd& mat) {
        Eigen::MatrixXd r(static_cast<Eigen::Index>(sub.time.size()), mat.cols());
        for (Eigen::Index j = 0; j < r.rows(); ++j) r.row(j) = mat.row(j * static_cast<Eigen::Index>(k));
        return r;
      };
      if (data.x.cols()) sub.x = rows_of(data.x);
      if (data.z.cols()) sub.z = rows_of(data.z);
      sub.x_names = data.x_names;
      sub.z_names = data.z_names;
      double events = 0;
      for (auto st : sub.status) events += st;
      if (events > 0) {
        Fitter inner{sub, options, {}, true, nullptr, {}};
        // the subsample's own nested fits start from this fit's starts (its knots are this fit's)
        ParametricOptions o2 = options;
        if (!knots.empty()) o2.knots = knots;
        inner.options_override = &o2;
        try {
          const ParametricFit f = inner.fit(dist);
          if (f.estimate.size() == starts.front().size() && f.estimate.allFinite())
            starts.insert(starts.begin(), f.estimate);
        } catch (const std::exception&) {
          // no start from the subsample: the usual starts remain
        }
      }
    }
    std::optional<ParametricFit> best;
    for (const auto& s : starts) {
      std::optional<ParametricFit> f = run(dist, knots, md, *fam, s);
      if (f && (!best || (f->converged && !best->converged) ||
                (f->converged == best->converged && f->loglik > best->loglik)))
        best = std::move(f);
      if (best && best->converged) break;
    }
    if (!best)
      throw NumericalError(fmt::format("{}: the log-likelihood is not finite at any starting value",
                                       distribution_name(dist)));
    return *best;
  }
};

}  // namespace

ParametricFit fit_parametric(const ParametricData& data, const Distribution& dist,
                             const ParametricOptions& options) {
  return fit_parametric(data, std::vector<Distribution>{dist}, options).front();
}

std::vector<ParametricFit> fit_parametric(const ParametricData& data,
                                          const std::vector<Distribution>& dists,
                                          const ParametricOptions& options) {
  dp::check_data(data);
  if (!(options.conf_level > 0 && options.conf_level < 1))
    throw UsageError("parametric fit: the confidence level must be in (0, 1)");
  Fitter fitter{data, options, {}, false, nullptr, {}};
  std::vector<ParametricFit> out;
  for (const auto& d : dists) {
    try {
      out.push_back(fitter.get(d));
    } catch (const NumericalError& e) {
      if (dists.size() == 1) throw;
      ParametricFit f;
      const dp::FamilySpec spec = dp::family_spec(d);
      f.distribution = d;
      f.dist = distribution_name(d);
      f.parameters = spec.names;
      f.transforms = spec.transforms;
      f.location = spec.location;
      f.n = data.time.size();
      f.loglik = f.aic = f.bic = nan_v;
      f.converged = false;
      f.message = e.what();
      out.push_back(std::move(f));
    }
  }
  return out;
}

double parametric_log_likelihood(const ParametricData& data, const ParametricFit& fit,
                                 const Eigen::VectorXd& beta) {
  dp::check_data(data);
  const dp::FamilySpec spec = dp::family_spec(fit.distribution);
  const auto fam = dp::make_family(fit.distribution, fit.knots);
  const dp::ModelData md(data, spec, static_cast<int>(spec.names.size()));
  if (beta.size() != md.model.npar())
    throw UsageError("parametric_log_likelihood: the parameter vector has the wrong length");
  return fam->evaluate(md.model, beta, 0).loglik;
}

}  // namespace hazard
