// Tests of two arms that keep their validity when hazards are not proportional (delayed effects,
// crossing curves): the MaxCombo test (the largest of several Fleming–Harrington statistics, its
// p-value from their joint normal distribution), the Magirr–Burman modestly weighted log-rank
// test, and the differences of restricted mean survival time and of survival at a milestone
// time. Methods: docs/methods/nph.md; command line: hazard logrank --test (docs/cli/logrank.md).
//
// Sign convention (as hazard logrank): log-rank-type z = U / sqrt(V), U = O_1 - E_1 of the
// non-reference arm (code 1), negative when that arm has fewer events than expected; RMST and
// milestone z = (arm 1 - reference) / SE, positive when arm 1 survives longer. Every
// p_one_sided is small when arm 1 does better than the reference.
//
// Example:
//   auto r = hazard::maxcombo(data, {});                // FH(0,0), FH(0,1), FH(1,0), FH(1,1)
//   auto mb = hazard::modestly_weighted_logrank(data, {.t_star = 12});
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "hazard/km.hpp"
#include "hazard/logrank.hpp"
#include "hazard/mvnorm.hpp"
#include "hazard/survdata.hpp"

namespace hazard {

/// The distinct event times of a two-arm comparison (group codes 0 and 1), stratum by stratum
/// (strata ascending, times ascending within each): the (case-weighted) counts, the pooled
/// Kaplan–Meier of the stratum just before the time, and each time's terms of the weighted
/// log-rank statistic, U = sum_t w(t) score(t) and Cov(U_a, U_b) = sum_t w_a(t) w_b(t) var(t).
struct TwoArmEventTimes {
  std::vector<double> time;
  std::vector<std::int32_t> stratum;  ///< stratum code of the row
  std::vector<double> deaths, deaths1, at_risk, at_risk1;
  std::vector<double> surv_before;  ///< pooled KM of the stratum at t- (1 at its first time)
  std::vector<double> score;        ///< d_1 - d n_1 / n
  std::vector<double> var;  ///< c d (n_1 / n)(1 - n_1 / n), c = (n - d) / (n - 1) (1 with weights)
  bool weighted = false;
  std::size_t size() const { return time.size(); }
};

/// Builds the table from plain spans (any row order; input.n_groups must be 0 or 2, group codes 0
/// or 1). Times compare exactly (logrank_stats' contract). Throws std::invalid_argument otherwise.
TwoArmEventTimes two_arm_event_times(const LogrankInput& input);

/// The table of validated two-arm data, after R's timefix when `timefix` (sets *merged when
/// some times were merged). Throws UsageError unless the data have exactly two groups.
TwoArmEventTimes two_arm_event_times(const SurvData& data, bool timefix, bool* merged = nullptr);

/// A Fleming–Harrington G(rho, gamma) weight: S(t-)^rho (1 - S(t-))^gamma.
struct FhWeight {
  double rho = 0.0;
  double gamma = 0.0;
};

/// One weighted log-rank statistic.
struct WeightedLogrank {
  double u = 0.0;            ///< sum_t w score (O_1 - E_1, weighted)
  double var = 0.0;          ///< sum_t w^2 var
  double z = 0.0;            ///< u / sqrt(var); NaN when var = 0
  double p = 1.0;            ///< two-sided 2 Phi(-|z|)
  double p_one_sided = 0.5;  ///< Phi(z)
};

/// The statistic with weight w[i] at event time i of `table`.
WeightedLogrank weighted_logrank(const TwoArmEventTimes& table, const std::vector<double>& w);

/// FH weights at each event time of `table`.
std::vector<double> fh_weights(const TwoArmEventTimes& table, FhWeight fh);

// ---- MaxCombo -----------------------------------------------------------------------------------

struct MaxComboOptions {
  /// The statistics combined (at least one; distinct). Default: FH(0,0), FH(0,1), FH(1,0), FH(1,1).
  std::vector<FhWeight> fh = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  bool timefix = true;  ///< SurvData form only, as LogrankOptions::timefix
  MvnOptions mvn{};
};

struct MaxComboResult {
  std::vector<FhWeight> fh;
  std::vector<WeightedLogrank> stats;  ///< one per fh, in its order
  std::vector<double> corr;            ///< correlation of the z's, k x k row-major
  double max_abs_z = 0.0;              ///< max_i |z_i|
  double p = 1.0;                      ///< P(max |Z_i| >= max_abs_z) under H0 (two-sided)
  double p_error = 0.0;                ///< its integration error bound (MvnProbability::error)
  double min_z = 0.0;                  ///< min_i z_i (the arm-1-better direction)
  double p_one_sided = 1.0;            ///< P(min_i Z_i <= min_z) under H0
  double p_one_sided_error = 0.0;
  std::size_t n = 0;          ///< rows analysed (SurvData form)
  bool times_merged = false;  ///< timefix changed some times
  bool weighted = false;      ///< case weights were used
};

/// MaxCombo on an event table. Throws UsageError for an empty or repeated list or an invalid
/// (rho, gamma), NumericalError when some statistic has variance 0.
MaxComboResult maxcombo(const TwoArmEventTimes& table, const MaxComboOptions& options = {});
MaxComboResult maxcombo(const SurvData& data, const MaxComboOptions& options = {});

// ---- Magirr–Burman ------------------------------------------------------------------------------

struct ModestlyWeightedOptions {
  double t_star = 0.0;  ///< > 0: weights 1 / max(S(t-), S(t*)), S the pooled KM of the stratum
  bool timefix = true;
};

struct ModestlyWeightedResult {
  double t_star = 0.0;
  WeightedLogrank test;
  std::vector<double> surv_t_star;  ///< S(t*) per stratum present, in stratum order
  double max_weight = 1.0;          ///< the largest weight used, 1 / min S(t*)
  std::size_t n = 0;
  bool times_merged = false;
  bool weighted = false;
};

/// Weights 1 / max(S(t-), S(t*)) at each event time of `table` (S(t*) of the time's stratum);
/// `s_star` gets S(t*) per stratum. Throws UsageError for t_star not finite and > 0.
std::vector<double> modestly_weights(const TwoArmEventTimes& table, double t_star,
                                     std::vector<double>* s_star = nullptr);

ModestlyWeightedResult modestly_weighted_logrank(const TwoArmEventTimes& table,
                                                 const ModestlyWeightedOptions& options);
ModestlyWeightedResult modestly_weighted_logrank(const SurvData& data,
                                                 const ModestlyWeightedOptions& options);

// ---- RMST and milestone differences -------------------------------------------------------------

/// RMST to tau per arm (survmean) and their difference (arm 1 - reference), z and p.
struct RmstTest {
  double tau = 0.0;
  Rmst reference, comparison;
  RmstDifference difference;
  double p_one_sided = 0.5;  ///< 1 - Phi(z): small when arm 1 has the longer RMST
  std::size_t n = 0;
  bool times_merged = false;
};
/// Unstratified (with strata: stratified_rmst_test); `km` gives conf_level, timefix and robust.
/// Throws UsageError for --strata or
/// not exactly two groups, NumericalError when the SE of the difference is 0.
RmstTest rmst_test(const SurvData& data, double tau, const KmOptions& km = {});

/// Survival at the milestone time per arm (summary.survfit(times =), Greenwood SE) and the
/// difference S_1(t) - S_0(t), SE sqrt(se_0^2 + se_1^2), z, p and a Wald CI.
struct MilestoneTest {
  double time = 0.0;
  KmLandmark reference, comparison;
  double difference = 0.0, std_err = 0.0, lower = 0.0, upper = 0.0, z = 0.0;
  double p = 1.0;            ///< two-sided
  double p_one_sided = 0.5;  ///< 1 - Phi(z)
  std::size_t n = 0;
  bool times_merged = false;
};
MilestoneTest milestone_test(const SurvData& data, double at, const KmOptions& km = {});

// ---- Stratified RMST and milestone differences --------------------------------------------------

/// How the strata's differences are combined (hazard logrank --stratum-weights).
enum class StratumWeights {
  inverse_variance,  ///< "ivw": w_s proportional to 1 / se_s^2, the fixed-effect combination
  size,              ///< "size": w_s = n_s / N, the strata's shares of the analysed rows
};
/// "ivw", "size".
const char* stratum_weights_name(StratumWeights weights);
/// Parses "ivw" or "size"; throws UsageError otherwise.
StratumWeights parse_stratum_weights(const std::string& text);

/// One stratum's two-arm difference, the input of combine_stratum_differences.
struct StratumDifference {
  std::string stratum;      ///< label, for messages
  std::size_t n = 0;        ///< analysed rows of the stratum (both arms)
  double difference = 0.0;  ///< arm 1 - reference
  double std_err = 0.0;     ///< >= 0
};

/// The combined difference: D = sum_s w_s D_s (weights summing to 1), SE = sqrt(sum_s w_s^2 se_s^2),
/// z = D / SE, p = 2 Phi(-|z|), p_one_sided = Phi(-z), CI D -/+ z_{1-alpha/2} SE.
struct CombinedDifference {
  StratumWeights weighting = StratumWeights::inverse_variance;
  std::vector<double> weights;  ///< w_s, in the order of the strata given
  double difference = 0.0, std_err = 0.0, lower = 0.0, upper = 0.0, z = 0.0;
  double p = 1.0;
  double p_one_sided = 0.5;
};

/// Combines the strata's differences (at least one). `what` names the difference in messages
/// ("RMST difference"). Throws NumericalError naming the stratum when an inverse-variance weight
/// is not defined (a stratum with SE 0) or when the combined SE is 0, UsageError for a
/// conf_level outside (0, 1), std::invalid_argument for no strata or a negative or non-finite SE.
CombinedDifference combine_stratum_differences(const std::vector<StratumDifference>& strata,
                                               StratumWeights weighting, double conf_level,
                                               const char* what);

/// One arm of a stratum: its RMST (or S(t)) and SE.
struct StratumArm {
  std::size_t n = 0;        ///< rows
  double estimate = 0.0;    ///< RMST(tau), or S(t)
  double std_err = 0.0;     ///< survmean's SE, or Greenwood (robust with non-integer weights)
  double n_risk = 0.0;      ///< milestone: at risk at t (as KmLandmark::n_risk); RMST: 0
  double last_time = 0.0;   ///< the arm's last time (event or censoring) in the stratum
};

/// One stratum of a stratified RMST or milestone test.
struct StratifiedStratum {
  std::string stratum;  ///< label as R's strata(): "ph.ecog=1"
  std::size_t n = 0;
  StratumArm reference, comparison;
  double difference = 0.0;  ///< comparison - reference
  double std_err = 0.0;     ///< sqrt(se_0^2 + se_1^2)
  double weight = 0.0;      ///< w_s of the combination
  /// tau (or t) lies past an arm's last time: that curve is extended flat at its last value, as
  /// the unstratified test does (survmean; summary.survfit(extend = TRUE)).
  bool beyond_last_time = false;
};

/// The stratified RMST difference (tau) or milestone difference (at t).
struct StratifiedTest {
  double time = 0.0;  ///< tau, or the milestone time
  std::vector<StratifiedStratum> strata;
  CombinedDifference combined;
  std::size_t n = 0;
  bool times_merged = false;
  bool weighted = false;  ///< case weights were used
  bool robust = false;    ///< milestone: the robust (infinitesimal jackknife) SE was used
};

struct StratifiedTestOptions {
  KmOptions km{};  ///< conf_level, timefix, robust
  StratumWeights weights = StratumWeights::inverse_variance;
};

/// Per stratum of `data` (SurvData::stratum), the two arms' RMST to tau and their difference as
/// rmst_test; combined by `options.weights`. Throws UsageError without strata or for tau not
/// finite and > 0, DataError when the data have not exactly two groups or a stratum lacks an arm
/// (naming it), NumericalError as combine_stratum_differences.
StratifiedTest stratified_rmst_test(const SurvData& data, double tau, const StratifiedTestOptions& options = {});

/// The same for the survival difference at `at` (>= 0), per stratum as milestone_test.
StratifiedTest stratified_milestone_test(const SurvData& data, double at,
                                         const StratifiedTestOptions& options = {});

}  // namespace hazard
