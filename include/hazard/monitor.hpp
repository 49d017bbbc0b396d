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

#include <string>
#include <vector>

#include "hazard/design.hpp"

namespace hazard {

enum class Decision { reject_h0, stop_futility, continue_trial, accept_h0 };

/// "reject H0", "stop for futility", "continue", "do not reject H0".
std::string decision_name(Decision d);

struct InterimOptions {
  BoundaryOptions design;        ///< the planned design (spending, alpha, beta, planned fractions)
  double max_events = 0;         ///< planned maximum number of events D_K
  double hr = 0.6;               ///< the design's hazard ratio (H1)
  double ratio = 1;              ///< allocation ratio experimental:control
  std::vector<double> events;    ///< cumulative events at each analysis so far (last = current)
  std::vector<double> z;         ///< efficacy-oriented z at each analysis (same length as events)
  bool final_analysis = false;   ///< the current analysis is the last: it spends all alpha left
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
  double z = 0;                    ///< current z
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
