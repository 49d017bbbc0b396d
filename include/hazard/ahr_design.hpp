// Fixed (one-look) or group-sequential (analyses at calendar times; efficacy bounds by alpha
// spending, futility bounds by beta spending, or two-sided bounds) design of a two-arm survival
// trial under non-proportional hazards by the
// average hazard ratio (AHR) method (Mukhopadhyay et al. 2020; gsDesign2's ahr() and
// gs_design_ahr() with one analysis and the H0 information): piecewise exponential control
// hazards and piecewise hazard ratios on intervals of time since randomisation, piecewise-constant
// enrolment and exponential dropout. docs/methods/ahr_design.md gives the formulas.
//
// Example (a delayed effect: no difference for 4 months, HR 0.6 after):
//   hazard::AhrDesignOptions o{.start = {0, 4}, .hazard_control = {0.0578, 0.0578},
//                              .hr = {1, 0.6}, .accrual = {.end = {6, 18}, .rate = {10, 25}}};
//   auto d = hazard::design_ahr(o);   // d.events, d.sample_size, d.ahr, d.study_duration
#pragma once

#include <cmath>
#include <optional>
#include <vector>

#include "hazard/design.hpp"

namespace hazard {

struct AhrDesignOptions {
  double alpha = 0.025;  ///< one-sided level (the two-sided total with sided = 2)
  int sided = 1;
  double beta = 0.2;  ///< 1 - power
  double ratio = 1;   ///< allocation experimental:control
  /// Starts of the pieces of time since randomisation (first 0, increasing; the last piece is
  /// open-ended).
  std::vector<double> start;
  std::vector<double> hazard_control;  ///< control hazard per piece (> 0)
  std::vector<double> hr;              ///< hazard ratio experimental/control per piece (> 0)
  std::vector<double> dropout_hazard;  ///< per piece, both arms (>= 0); empty: none
  /// Enrolment: ends of the pieces and an intensity for each (no open-ended piece).
  Accrual accrual;
  /// Calendar time of the analysis. Given: the enrolment rates give the shape only and are scaled
  /// to the events needed (gsDesign2 gs_design_ahr). Not given: the rates are absolute and the
  /// study duration is the time when the expected events reach the events needed.
  std::optional<double> study_duration;
  /// Group-sequential design: calendar times of the analyses t_1 < ... < t_K (the last is the
  /// study duration; instead of study_duration; the rates are scaled as with a study duration).
  /// Efficacy bounds by `efficacy` spending at the information fractions E(t_k) / E(t_K); the
  /// scale solves the power (gs_design_ahr with the H0 information at every look). One-sided, or
  /// with sided = 2 symmetric bounds +-b_k (the power that of the upper side, stopping at either).
  std::vector<double> analysis_times;
  Spending efficacy{};
  /// Group-sequential, one-sided: futility bounds by beta spending under H1 (the AHR means at the
  /// looks) at the same information fractions; the scale is then the one at which the last
  /// futility bound meets the last efficacy bound (power 1 - beta with the futility stops honoured,
  /// gs_design_ahr with a beta-spending lower bound). Spending obf, pocock, hsd:G or kd:R.
  std::optional<Spending> futility{};
  /// Binding futility: the efficacy bounds account for the futility bounds under H0. Non-binding
  /// (default): the type I error is computed ignoring them.
  bool binding = false;
};

/// Expected events and the AHR at one calendar time.
struct AhrAtTime {
  std::vector<double> control;       ///< expected control events per piece
  std::vector<double> experimental;  ///< expected experimental events per piece
  std::vector<double> events;        ///< both arms per piece
  double total = 0;
  double ahr = 1;   ///< exp(sum_j E_j log HR_j / sum_j E_j)
  double info = 0;  ///< total p (1 - p), p = r / (1 + r)
};

/// One analysis of a group-sequential AHR design.
struct AhrLook {
  double time = 0;           ///< calendar time
  double events = 0;         ///< expected events (scaled enrolment)
  double info_fraction = 0;  ///< E(t_k) / E(t_K)
  double ahr = 1;            ///< AHR at t_k
  double z_efficacy = 0;     ///< efficacy bound (+inf: no stop possible; two-sided: +-)
  double reject_h1 = 0;      ///< probability of stopping for efficacy here under H1
  double cum_power = 0;
  double z_futility = -INFINITY;  ///< futility bound (-inf: none; always none at the last look)
  double futility_h1 = 0;         ///< probability of stopping for futility here under H1
  double beta_spent = NAN;        ///< cumulative beta spent (futility designs; else NaN)
  double hr_futility = NAN;       ///< exp(-z_futility / sqrt(I_k)): the HR estimate on the bound
};

struct AhrDesign {
  double events = 0;       ///< required events D
  double sample_size = 0;  ///< N (the enrolment total)
  double ahr = 1;
  double study_duration = 0;         ///< calendar time of the analysis
  std::vector<double> accrual_rate;  ///< absolute enrolment intensities
  AhrAtTime at_end;                  ///< expected events per piece at the study duration
  double z_alpha = 0, z_beta = 0;
  double events_fixed = 0;     ///< D of the fixed design at the AHR of the last analysis
  double power = 0;            ///< power (1 - beta; the group-sequential power found)
  std::vector<AhrLook> looks;  ///< group-sequential: one per analysis (empty for a fixed design)
};

/// Expected events per piece of time since randomisation by calendar time `t` for one arm with
/// enrolment intensities `rate` on pieces ending at `accrual_end`, hazards `hazard` and dropout
/// hazards `dropout` on pieces starting at `start` (closed form).
std::vector<double> ahr_arm_events(double t, const std::vector<double>& accrual_end,
                                   const std::vector<double>& rate,
                                   const std::vector<double>& start,
                                   const std::vector<double>& hazard,
                                   const std::vector<double>& dropout);

/// Both arms' expected events per piece and the AHR at calendar time t (enrolment rates as given,
/// split r : 1 between the arms). Validates the options (UsageError).
AhrAtTime ahr_at(const AhrDesignOptions& options, double t);

/// Events, sample size, AHR and study duration of the fixed design (UsageError for inconsistent
/// options; NumericalError when the enrolment can never reach the events needed).
AhrDesign design_ahr(const AhrDesignOptions& options);

}  // namespace hazard
