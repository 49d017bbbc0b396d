// Monitoring a group-sequential survival trial at an interim (or final) analysis: Lan–DeMets
// boundaries recomputed at the observed numbers of events, the decision, conditional power under
// the design's hazard ratio and under the current trend, and repeated confidence intervals for the
// hazard ratio (Jennison & Turnbull 1989). docs/methods/group_sequential.md gives the formulas.
//
// Example:
//   auto r = hazard::monitor_interim({.design = {.alpha = 0.025, .beta = 0.1,
//                                                .info = {1.0 / 3, 2.0 / 3, 1.0},
//                                                .efficacy = hazard::parse_spending("obf")},
//                                     .max_events = 183.35, .hr = 0.6, .ratio = 2,
//                                     .events = {64}, .z = {2.9}});
//   // r.decision == Decision::continue_trial; r.z_efficacy[0] == 3.618...
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hazard/design.hpp"

namespace hazard {

enum class Decision { reject_h0, stop_futility, continue_trial, accept_h0 };

/// "reject H0", "stop for futility", "continue", "do not reject H0".
std::string decision_name(Decision d);

// ---------------------------------------------------------------- inference after a stop

struct StagewiseOrderingOptions {
  std::vector<double> info;   ///< information at looks 1..s (any increasing scale, e.g. events)
  std::vector<double> upper;  ///< efficacy bounds at looks 1..s-1 (+inf: no stop possible)
  std::vector<double> lower;  ///< lower stopping bounds at looks 1..s-1 (binding futility; -inf)
  double z = 0;               ///< statistic at the stopping look s (efficacy orientation)
  double alpha = 0.025;       ///< the final CI has level 1 - 2 alpha
  double tolerance = 1e-13;   ///< root tolerance on theta
};

/// theta is the drift per unit of sqrt(information): E Z_j = theta sqrt(I_j).
struct StagewiseOrdering {
  double p_value = 0;       ///< P_0(a result at least as extreme in the stage-wise ordering)
  double theta_median = 0;  ///< median-unbiased estimate of theta
  double theta_lower = 0, theta_upper = 0;  ///< final confidence interval for theta
};

/// Stage-wise ordering p-value, median-unbiased estimate and final confidence interval after a
/// stop at look s = info.size() (Tsiatis, Rosner & Mehta 1984; rpact getFinalPValue and
/// getFinalConfidenceInterval); src/design/stagewise_ordering.cpp gives the formulas.
StagewiseOrdering stagewise_ordering(const StagewiseOrderingOptions& options);

struct RepeatedPValueOptions {
  BoundaryOptions design;    ///< the design: spending, futility, binding (alpha is replaced)
  std::vector<double> info;  ///< information fractions t_1..t_j of the looks so far (j = this one)
  double z = 0;              ///< efficacy z at look j
  bool final_analysis = false;  ///< look j is the final analysis (spends all of the level)
};

/// Repeated p-value at look j (Jennison & Turnbull 1989; rpact getRepeatedPValues): the level at
/// which look j's bound equals z, in [1e-12, 0.5] (0.5: >= 0.5). NaN at a Haybittle–Peto interim.
double repeated_p_value(const RepeatedPValueOptions& options);

// ---------------------------------------------------------------- monitoring

struct InterimOptions {
  BoundaryOptions design;        ///< the planned design (spending, alpha, beta, planned fractions)
  double max_events = 0;         ///< planned maximum number of events D_K
  double hr = 0.6;               ///< the design's hazard ratio (H1)
  double ratio = 1;              ///< allocation ratio experimental:control
  double hr0 = 1;                ///< null hazard ratio (margin; rpact thetaH0): H0 is HR >= hr0
                                 ///< for a design HR < hr0 (HR <= hr0 otherwise)
  std::vector<double> events;    ///< cumulative events at each analysis so far (last = current)
  std::vector<double> z;         ///< efficacy-oriented log-rank z (against HR = 1) at each
                                 ///< analysis (same length as events)
  bool final_analysis = false;   ///< the current analysis is the last: it spends all alpha left
  /// The z of the earlier analyses (all but the last) may be NaN: not known, the trial went on past
  /// those looks (neither bound crossed). Their bounds are still computed at their events; their
  /// HR, repeated CI and repeated p-value are NaN. `hazard report --design` uses this: it has the
  /// data of the current look only.
  bool earlier_z_unknown = false;
};

/// Why the after-stop inference is taken at its look.
enum class StopReason { efficacy, binding_futility, final_analysis };

/// "efficacy bound crossed", "binding futility bound crossed", "final analysis".
std::string stop_reason_name(StopReason reason);

/// Inference at the look where the trial stopped (stage-wise ordering).
struct AfterStop {
  std::size_t look = 0;  ///< 1-based look of the stop
  StopReason reason = StopReason::final_analysis;
  bool overrun = false;               ///< looks after the stop were given (they are not used)
  double z = 0;                       ///< test statistic (against hr0) at the stop
  double p_value = 0;                 ///< stage-wise ordering p-value (one-sided)
  double hr_median_unbiased = 0;      ///< median-unbiased estimate of the HR
  double ci_lower = 0, ci_upper = 0;  ///< final confidence interval for the HR
  double ci_level = 0.95;             ///< 1 - 2 alpha
  double hr_naive = 0;                ///< the naive (fixed-sample) HR at the stop
  double naive_ci_lower = 0, naive_ci_upper = 0;  ///< naive CI at the same level
  double p_naive = 0;                             ///< naive one-sided p, 1 - Phi(z)
};

struct InterimResult {
  std::vector<double> info;        ///< observed information fractions d_j / D_K
  std::vector<double> z_efficacy;  ///< efficacy bounds recomputed at the observed fractions
  std::vector<double> z_futility;  ///< futility bounds (beta spending at the observed fractions,
                                   ///< design drift); -inf when the design has none
  std::vector<double> p_nominal;   ///< 1 - Phi(z_efficacy)
  std::vector<double> cum_alpha;   ///< cumulative alpha spent at the observed fractions
  std::vector<double> hr_boundary; ///< the HR on each efficacy bound
  std::vector<double> hr;          ///< HR estimates exp(-+ z (1 + r) / sqrt(r d))
  std::vector<double> rci_lower, rci_upper;  ///< repeated confidence intervals for the HR
  std::vector<double> z_test;                ///< z against hr0 (= the input z when hr0 = 1)
  std::vector<double> repeated_p;  ///< repeated p-values (NaN: not defined, Haybittle–Peto interim)
  std::optional<AfterStop> after_stop;  ///< set when a bound was crossed or at the final analysis
  std::string after_stop_note;          ///< why after_stop is empty
  double z = 0;                         ///< current z (against hr0)
  double p_value = 0;              ///< nominal one-sided p of the current z
  bool final_analysis = false;
  Decision decision = Decision::continue_trial;
  double cp_h1 = 0;                ///< conditional power under the design HR
  double cp_trend = 0;             ///< conditional power under the current estimate
  std::vector<double> future_info; ///< planned fractions of the remaining looks (used for CP)
  std::vector<double> future_z_efficacy;  ///< their efficacy bounds
};

/// Throws UsageError for inconsistent inputs (no analyses, decreasing events, ...).
InterimResult monitor_interim(const InterimOptions& options);

}  // namespace hazard
