// Survival curves of a fitted Cox model with standard errors and confidence intervals, as R's
// survfit.coxph: at the covariate means (its cumhaz is basehaz(fit, centered = TRUE)) or at given
// covariate values (survfit(fit, newdata = )). (Residuals, cox.zph and the SE-less baseline at
// the means are hazard::cox_residuals, hazard::cox_zph, hazard::cox_baseline in hazard/cox.hpp.)
//
// cox_survfit takes the data the model was fitted to (the same CoxData, in the same row order)
// and the CoxResult of hazard::cox_fit on it, and follows the fit's tie method: Efron hazard
// increments for Efron fits (R's agsurv5), Breslow's for Breslow and exact fits (as R).
// Cost: one sort per stratum and one pass, O(n log n + n p), then O(T p^2) per curve.
//
// Example:
//   hazard::CoxResult fit = hazard::cox_fit(d);
//   auto base = hazard::cox_survfit(d, fit);  // at the covariate means, per stratum
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "hazard/cox.hpp"

namespace hazard {


/// Confidence interval of the survival curve (R's survfit conf.type).
enum class CoxConfType { log, log_log, plain, none };

struct CoxSurvfitOptions {
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
struct CoxSurvCurve {
  std::int32_t stratum = 0;      ///< stratum code (as CoxData::stratum; 0 without strata)
  std::size_t newdata_row = 0;   ///< row of options.newdata (0 for the curve at the means)
  std::vector<double> time, n_risk, n_event, n_censor;  ///< n_risk, n_event, n_censor weighted
  std::vector<double> cumhaz;    ///< cumulative hazard at the covariate values
  std::vector<double> surv;      ///< exp(-cumhaz)
  std::vector<double> std_err;   ///< SE of the cumulative hazard (= of log survival), incl. beta's variance
  std::vector<double> lower, upper;  ///< CI of surv (empty with CoxConfType::none)
};

struct CoxSurvfit {
  bool at_means = true;          ///< no newdata: curves at the fit's means (R's fit$means)
  std::vector<CoxSurvCurve> curves;  ///< by newdata row, then by stratum
};

/// Baseline cumulative hazard and survival (Breslow/Nelson–Aalen increments for Breslow and
/// exact fits, Efron's for Efron fits, as survfit.coxph's default ctype) with R's standard
/// errors (Tsiatis' variance including the variance of beta; the robust variance for robust fits
/// as survfit.coxph) and CI.
CoxSurvfit cox_survfit(const CoxData& data, const CoxResult& fit, const CoxSurvfitOptions& options = {});

/// The same curves, handed one at a time to `each` in the order of CoxSurvfit::curves and not
/// kept (the reference is valid during the call only): memory O(T p) for any number of newdata
/// rows, so that a caller can write each curve as it is computed.
void cox_survfit(const CoxData& data, const CoxResult& fit, const CoxSurvfitOptions& options,
                 const std::function<void(const CoxSurvCurve&)>& each);

}  // namespace hazard
