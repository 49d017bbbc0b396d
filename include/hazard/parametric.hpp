// Parametric survival models and their extrapolation, for health-technology assessment (NICE DSU
// TSD 14 and 21): flexsurv's distributions and parametrisations, fitted by maximum likelihood.
//
// Families (flexsurv::flexsurvreg / flexsurvspline names and parameters; docs/methods/parametric.md):
//   exponential  rate                          S = exp(-rate t)
//   weibull      shape a, scale b              S = exp(-(t/b)^a)             (AFT; PH form reported)
//   gompertz     shape a (real), rate b        h = b exp(a t)
//   lognormal    meanlog mu, sdlog sigma       S = 1 - Phi((log t - mu)/sigma)
//   loglogistic  shape a, scale b              S = 1 / (1 + (t/b)^a)
//   gengamma     mu, sigma, Q                  Prentice (1975), flexsurv's gengamma; Q = 0 is the
//                                              log-normal, Q = 1 the Weibull, Q = sigma the gamma
//   rp-hazard:K  gamma0..gamma(K+1)            log H(t) = s(log t), Royston–Parmar natural cubic
//   rp-odds:K    gamma0..gamma(K+1)            log((1 - S)/S) = s(log t)   spline, K internal knots
// Covariates act on the location parameter (rate, scale, meanlog, mu, gamma0) through its
// transform (log for positive parameters): PH for exponential, Gompertz and rp-hazard, AFT for
// Weibull, log-normal, log-logistic and gengamma, PO for rp-odds. Covariates in `z` act in the same
// way on every ancillary parameter (flexsurv's anc = / shape(x), the --strata-shape flag).
//
// Likelihood (right censoring, delayed entry, case weights):
//   l = sum_i w_i [ d_i log f(t_i) + (1 - d_i) log S(t_i) - log S(t0_i) ],
// the density on the time scale, as flexsurv and survreg (both include the Jacobian of log t).
// Maximised by Newton–Raphson with analytic gradients and Hessians (Levenberg damping where the
// Hessian is not negative definite, step halving); covariance = inverse observed information.
//
// Example:
//   hazard::ParametricData d{.time = t, .status = s};
//   hazard::ParametricFit f = hazard::fit_parametric(d, hazard::parse_distribution("weibull"));
//   hazard::Extrapolation e = hazard::extrapolate(f, {}, {.times = {0, 12, 24}, .horizon = 240});
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Dense>

namespace hazard {

enum class ParametricFamily {
  exponential,
  weibull,
  gompertz,
  lognormal,
  loglogistic,
  gengamma,
  rp_hazard,
  rp_odds,
};

struct Distribution {
  ParametricFamily family = ParametricFamily::weibull;
  int knots = 0;  ///< internal knots K of rp_hazard / rp_odds (0..10)
};

/// Parses "exponential", "weibull", "gompertz", "lognormal", "loglogistic", "gengamma",
/// "rp-hazard:K", "rp-odds:K" (K = 0..10); also the aliases "exp", "lnorm", "llogis". Throws
/// UsageError naming the text otherwise.
Distribution parse_distribution(std::string_view text);
/// "weibull", "rp-hazard:2", ...
std::string distribution_name(const Distribution& dist);

/// The data of a fit, one entry per row in any order.
struct ParametricData {
  std::vector<double> time{};           ///< event or censoring time, > 0
  std::vector<double> start{};          ///< entry time (delayed entry), 0 <= start < time; empty = 0
  std::vector<std::uint8_t> status{};   ///< 1 = event, 0 = censored
  std::vector<double> weight{};         ///< case weights (> 0); empty = all 1
  Eigen::MatrixXd x{};                  ///< n x p covariates on the location parameter
  std::vector<std::string> x_names{};   ///< p names, e.g. "arm[B]"
  Eigen::MatrixXd z{};                  ///< n x q covariates on every ancillary parameter
  std::vector<std::string> z_names{};   ///< q names
};

struct ParametricOptions {
  int max_iter = 200;         ///< Newton iterations
  /// converged when the Newton decrement g' (-H)^-1 g / 2 (the predicted gain of the
  /// log-likelihood) is below this; that last Newton step is still taken, so the estimates are
  /// converged quadratically beyond it
  double tolerance = 1e-6;
  double conf_level = 0.95;   ///< Wald intervals of the coefficient table
  /// rp-*: knots (log time, boundary knots first and last) instead of flexsurvspline's default
  /// (internal knots at quantiles of the log event times, boundary knots at their extremes).
  std::vector<double> knots{};
};

/// One row of the coefficient table, as flexsurv's `res` (natural scale) and `res.t` (estimation
/// scale).
struct ParametricCoefficient {
  std::string term{};          ///< "shape", "scale", "arm[B]" (location effect), "shape(arm[B])"
  std::string parameter{};     ///< the distribution parameter the row belongs to
  bool effect = false;         ///< a covariate effect (on the parameter's transformed scale)
  std::string transform{};     ///< "log" or "identity": how the row is estimated
  double estimate = 0;         ///< natural scale: exp(estimate_t) for a log-transformed parameter
  double se = 0;               ///< natural scale (delta method: estimate * se_t for log)
  double lower = 0, upper = 0; ///< Wald interval on the estimation scale, transformed back
  double estimate_t = 0;       ///< estimation scale (log(shape), covariate effects as they are)
  double se_t = 0;
  /// effects only: exp(effect) and its interval (a hazard ratio for PH families, a time ratio for
  /// AFT families, an odds ratio for rp-odds); NaN for parameters
  double exp_estimate = 0, exp_lower = 0, exp_upper = 0;
};

struct ParametricFit {
  Distribution distribution{};
  std::string dist{};                         ///< distribution_name(distribution)
  std::vector<std::string> parameters{};      ///< the distribution's parameters, flexsurv order
  std::vector<std::string> transforms{};      ///< per parameter: "log" or "identity"
  int location = 0;                           ///< index of the location parameter
  std::vector<double> knots{};                ///< rp-*: log-time knots, boundary first and last

  // The estimated vector, on the estimation scale: the parameters (transformed), then the
  // location's covariate effects (p), then for every ancillary parameter its effects (q each).
  Eigen::VectorXd estimate{};
  Eigen::MatrixXd vcov{};                     ///< inverse observed information (estimation scale)
  std::vector<std::string> terms{};           ///< names of `estimate` ("log(shape)", "arm[B]", ...)
  std::vector<std::string> x_names{}, z_names{};
  std::vector<int> ancillary{};               ///< parameters that carry the z effects

  std::vector<ParametricCoefficient> coefficients{};
  /// weibull only: the PH parametrisation (flexsurv's weibullPH: shape a, scale m = b^-a, effects
  /// -a * AFT effect on log m), by the delta method from the same fit.
  std::vector<ParametricCoefficient> ph{};

  double loglik = 0;
  double aic = 0;        ///< -2 loglik + 2 k
  double bic = 0;        ///< -2 loglik + k log(n), n = rows (as flexsurv and survreg's nobs)
  int npar = 0;          ///< k
  std::size_t n = 0;
  double events = 0;     ///< weighted number of events
  bool converged = false;
  int iterations = 0;
  std::string message{}; ///< why the fit stopped, or warnings (empty when clean)
  double conf_level = 0.95;
};

/// Fits one distribution. Throws DataError-free UsageError for invalid input (lengths, time <= 0,
/// start >= time, weight <= 0, no events), NumericalError when no finite likelihood can be found.
ParametricFit fit_parametric(const ParametricData& data, const Distribution& dist,
                             const ParametricOptions& options = {});

/// Fits several distributions; fits already done start the ones nesting them (gengamma from the
/// best of the log-normal and Weibull; rp-* from the Weibull or log-logistic). A distribution
/// that cannot be fitted (no finite likelihood at any start) is returned with converged = false,
/// an empty estimate and the reason in `message`; the others are still fitted.
std::vector<ParametricFit> fit_parametric(const ParametricData& data,
                                          const std::vector<Distribution>& dists,
                                          const ParametricOptions& options = {});

/// flexsurvspline's default knots: K internal knots at the quantiles k/(K+1) (R's type 7) of the
/// log event times, boundary knots at their minimum and maximum. Weights as flexsurv (each event
/// repeated round(n 100 w / sum w) times) when given.
std::vector<double> spline_knots(const std::vector<double>& time,
                                 const std::vector<std::uint8_t>& status,
                                 const std::vector<double>& weight, int internal);

/// Royston–Parmar basis at x = log t: 1, x, v_j(x) = (x - k_j)^3_+ - l_j (x - k_min)^3_+
/// - (1 - l_j) (x - k_max)^3_+, l_j = (k_max - k_j)/(k_max - k_min), and its derivative in x.
void spline_basis(const std::vector<double>& knots, double x, double* basis, double* derivative);

/// Covariate values at which a curve is extrapolated (empty vectors = all zero).
struct CurveCovariates {
  std::string label{};
  Eigen::VectorXd x{};
  Eigen::VectorXd z{};
};

struct ExtrapolationOptions {
  std::vector<double> times{};          ///< output grid (>= 0, increasing)
  double horizon = 0;                   ///< restricted mean to this time (> 0)
  std::optional<double> rmst_tau{};     ///< RMST to tau
  double conf_level = 0.95;
};

/// An estimate with its delta-method SE and interval (NaN where not defined).
struct Estimate {
  double estimate = 0, se = 0, lower = 0, upper = 0;
};

struct Extrapolation {
  std::string label{};
  std::vector<double> time{};
  std::vector<double> surv{}, lower{}, upper{};                ///< S(t), CI on log(-log S)
  std::vector<double> hazard{}, hazard_lower{}, hazard_upper{};///< h(t), CI on log h
  std::vector<double> cumhaz{};                                ///< H(t) = -log S(t)
  Estimate median{};          ///< time S = 1/2 (NaN if never reached); CI on log t
  Estimate mean_restricted{}; ///< integral of S from 0 to the horizon; Wald CI
  Estimate mean{};            ///< integral of S from 0 to infinity; NaN when infinite
  bool mean_finite = true;
  std::string mean_note{};    ///< why the mean is infinite (e.g. "log-logistic shape <= 1")
  std::optional<Estimate> rmst{};
  double rmst_tau = 0;
};

/// S(t), h(t) with delta-method intervals, the median, restricted and unrestricted means and the
/// RMST, at the covariate values `at`. Derivatives of S and h in the parameters are analytic;
/// those of the median, means and RMST are central differences (Richardson) of the quadratures.
Extrapolation extrapolate(const ParametricFit& fit, const CurveCovariates& at,
                          const ExtrapolationOptions& options);

/// Parameter vectors drawn from the normal distribution of the estimates, N(estimate, vcov):
/// draws x k, estimation scale. Random123 Philox4x64-10 with key (seed, 0), counter (draw, j, 0, 0);
/// normal deviates by the inverse normal CDF, so the draws are the same on every platform.
Eigen::MatrixXd draw_parameters(const ParametricFit& fit, int draws, std::uint64_t seed);

/// The extrapolation recomputed for every drawn parameter vector (rows of `draws`).
struct SimulatedCurve {
  std::vector<double> lower{}, upper{};                   ///< percentile interval of S(t)
  std::vector<double> hazard_lower{}, hazard_upper{};     ///< of h(t)
  Estimate median{}, mean_restricted{}, mean{};           ///< estimate = mean over draws; se = SD
  std::optional<Estimate> rmst{};
  std::vector<double> draw_median{}, draw_mean_restricted{}, draw_mean{}, draw_rmst{};  ///< per draw
};
SimulatedCurve simulate_extrapolation(const ParametricFit& fit, const CurveCovariates& at,
                                      const ExtrapolationOptions& options,
                                      const Eigen::MatrixXd& draws);

/// S(t), h(t) and H(t) of a fit (at its estimates) at many times, for figures: no intervals.
/// t = 0 gives S = 1, H = 0 and h = NaN.
struct ParametricCurve {
  std::vector<double> surv{}, hazard{}, cumhaz{};
};
ParametricCurve parametric_curve(const ParametricFit& fit, const CurveCovariates& at,
                                 const std::vector<double>& times);

/// log S(t) and log h(t) of a fit with parameters `beta` (estimation scale), at covariates `at`.
double parametric_log_survival(const ParametricFit& fit, const Eigen::VectorXd& beta,
                               const CurveCovariates& at, double t);
double parametric_log_hazard(const ParametricFit& fit, const Eigen::VectorXd& beta,
                             const CurveCovariates& at, double t);

/// The log-likelihood of `data` under `fit`'s model at parameters `beta` (estimation scale).
double parametric_log_likelihood(const ParametricData& data, const ParametricFit& fit,
                                 const Eigen::VectorXd& beta);

}  // namespace hazard
