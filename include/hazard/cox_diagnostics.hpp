// What is computed from a fitted Cox model: residuals (R's residuals.coxph) and the baseline
// cumulative hazard and survival curves (R's survfit.coxph / basehaz). The Grambsch–Therneau
// test of proportional hazards (R's cox.zph) is hazard::cox_zph in hazard/cox.hpp.
//
// Every function takes the data the model was fitted to (the same CoxData, in the same row
// order) and the CoxResult of hazard::cox_fit on it, and follows the fit's tie method: Efron
// fits give Efron residuals, hazard increments and score terms (R's coxmart/agmart3, coxscho,
// coxscore2/agscore2, agsurv5), Breslow and exact fits the Breslow forms (as R).
// Cost: one sort per stratum and one pass over the event times, O(n log n + (n + d) p^2).
//
// Example:
//   hazard::CoxResult fit = hazard::cox_fit(d);
//   auto mart = hazard::cox_residuals(d, fit, {.type = hazard::CoxResidualType::martingale});
//   auto base = hazard::cox_baseline(d, fit);  // at the covariate means, per stratum
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "hazard/cox.hpp"

namespace hazard {

// ---------------------------------------------------------------- residuals

enum class CoxResidualType {
  martingale,  ///< status - expected events (one per row)
  deviance,    ///< sign(m) sqrt(-2 (m + status log(status - m)))
  score,       ///< score (Lin–Wei) residuals, one column per coefficient, unweighted (as R)
  schoenfeld,  ///< x_i - xbar(t_i) per event, unweighted (as R's default)
  scaledsch,   ///< n_events * schoenfeld %*% var + beta (R's scaledsch)
  dfbeta,      ///< weight * score %*% var: the approximate change in beta when the row is dropped
  dfbetas,     ///< dfbeta scaled by the coefficients' standard errors
};

/// "martingale", ...; and the reverse (throws UsageError for an unknown name).
std::string to_string(CoxResidualType type);
CoxResidualType parse_residual_type(const std::string& name);

struct CoxResidualOptions {
  CoxResidualType type = CoxResidualType::martingale;
};

struct CoxResiduals {
  CoxResidualType type = CoxResidualType::martingale;
  std::vector<std::string> columns;   ///< "resid" (martingale, deviance) or the coefficient names
  Eigen::MatrixXd values;             ///< rows x columns
  /// Per result row: the input row (of CoxData). Schoenfeld residuals have one row per event,
  /// in R's order (stratum, time, then input order); the others one row per input row, in order.
  std::vector<std::size_t> row;
  std::vector<double> time;           ///< schoenfeld/scaledsch: the event time (else empty)
  std::vector<std::int32_t> stratum;  ///< schoenfeld/scaledsch: the row's stratum code (else empty)
};

/// Residuals of `fit` (fitted by cox_fit to `data`), as R's residuals(fit, type). Score-based
/// types (score, schoenfeld, scaledsch, dfbeta, dfbetas) are not defined for ties = exact and
/// throw UsageError (as R).
CoxResiduals cox_residuals(const CoxData& data, const CoxResult& fit, const CoxResidualOptions& options = {});

// ---------------------------------------------------------------- baseline curves

/// Confidence interval of the survival curve (R's survfit conf.type).
enum class CoxConfType { log, log_log, plain, none };

struct CoxBaselineOptions {
  double conf_level = 0.95;
  CoxConfType conf_type = CoxConfType::log;  ///< R's default for survfit.coxph
  /// Covariate values (rows x p, same columns as CoxData::x) of the curves wanted; empty = one
  /// curve at the fit's means per stratum (R's survfit(fit) and basehaz(fit, centered = TRUE)).
  Eigen::MatrixXd newdata;
  std::vector<double> new_offset;          ///< per newdata row; empty = 0
  /// Per newdata row: its stratum code (as CoxData::stratum); empty = a curve in every stratum
  /// for each row (R when newdata has no strata variables).
  std::vector<std::int32_t> new_stratum;
};

/// One curve: one point per distinct time (events and censorings) of its stratum, as survfit.
struct CoxCurve {
  std::int32_t stratum = 0;      ///< stratum code (as CoxData::stratum; 0 without strata)
  std::size_t newdata_row = 0;   ///< row of options.newdata (0 for the curve at the means)
  std::vector<double> time, n_risk, n_event, n_censor;  ///< n_risk, n_event, n_censor weighted
  std::vector<double> cumhaz;    ///< cumulative hazard at the covariate values
  std::vector<double> surv;      ///< exp(-cumhaz)
  std::vector<double> std_err;   ///< SE of the cumulative hazard (= of log survival), incl. beta's variance
  std::vector<double> lower, upper;  ///< CI of surv (empty with CoxConfType::none)
};

struct CoxBaseline {
  bool at_means = true;          ///< no newdata: curves at the fit's means (R's fit$means)
  std::vector<CoxCurve> curves;  ///< by newdata row, then by stratum
};

/// Baseline cumulative hazard and survival (Breslow/Nelson–Aalen increments for Breslow and
/// exact fits, Efron's for Efron fits, as survfit.coxph's default ctype) with R's standard
/// errors (Tsiatis' variance including the variance of beta; the robust variance for robust fits
/// as survfit.coxph) and CI.
CoxBaseline cox_baseline(const CoxData& data, const CoxResult& fit, const CoxBaselineOptions& options = {});

}  // namespace hazard
