// Designing group-sequential time-to-event trials: spending functions, boundaries by recursive
// numerical integration, the number of events (Schoenfeld, Freedman, Hsieh), and the sample size and
// calendar time of each look under exponential survival, piecewise-uniform accrual and exponential
// dropout. The conventions follow rpact 3.3 (getDesignGroupSequential, getDesignCharacteristics,
// getSampleSizeSurvival); docs/methods/group_sequential.md gives the formulas and sources.
//
// All tests are one-sided: the efficacy statistic Z is oriented so that large values favour the
// experimental arm (for a design HR < 1, Z = -log(HR_hat) / se).
//
// Example:
//   auto d = hazard::GroupSequentialDesign::compute({
//       .alpha = 0.025, .beta = 0.1, .info = {1.0 / 3, 2.0 / 3, 1.0},
//       .efficacy = hazard::parse_spending("obf")});
//   // d.z_efficacy == {3.7103, 2.5114, 1.9930}; d.inflation == 1.01185...
#pragma once

#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hazard {

// ---------------------------------------------------------------- spending functions

enum class SpendingType {
  obrien_fleming,  ///< Lan–DeMets O'Brien–Fleming type (rpact "asOF" / "bsOF")
  pocock,          ///< Lan–DeMets Pocock type (rpact "asP" / "bsP")
  hsd,             ///< Hwang–Shih–DeCani, parameter gamma (rpact "asHSD" / "bsHSD")
  kim_demets,      ///< Kim–DeMets power family t^rho (rpact "asKD" / "bsKD")
  haybittle_peto,  ///< fixed nominal one-sided p at each interim, the rest at the final look
  wang_tsiatis,    ///< Wang–Tsiatis boundary c_k = C t_k^(delta - 1/2) (rpact "WT", deltaWT)
  user,            ///< user-defined cumulative alpha at each look (rpact "asUser")
};

struct Spending {
  SpendingType type = SpendingType::obrien_fleming;
  double parameter = 0;  ///< gamma (hsd), rho (kd), nominal interim p (haybittle_peto), delta (wt)
  std::vector<double> values;  ///< user: cumulative alpha at each planned look (the last = alpha)
  std::vector<double> at;      ///< user: the planned information fractions of `values` (set by
                               ///< the design; GroupSequentialDesign::compute fills it when empty)
};

/// Parses "obf", "pocock", "hsd:GAMMA", "kd:RHO", "hp:P", "wt:DELTA", "user:A1,A2,...,AK"
/// (throws UsageError otherwise).
Spending parse_spending(std::string_view text);

/// The text parse_spending accepts for `s` ("hsd:-4").
std::string spending_name(const Spending& s);

/// Cumulative error spent by information fraction t in [0, 1] of a total `total`; `sided` = 2
/// for the total of a two-sided design (changes the O'Brien–Fleming type only, as rpact:
/// 2 sided (1 - Phi(z_{1 - total / (2 sided)} / sqrt(t)))). User-defined spending: the given
/// values at the planned fractions scaled to `total`, linear in between (from 0 at t = 0).
/// Not defined for haybittle_peto and wang_tsiatis (throws std::logic_error).
double spending_value(const Spending& s, double total, double t, int sided = 1);

// ---------------------------------------------------------------- crossing probabilities

/// Stage-wise crossing probabilities of the canonical joint normal (Z_1..Z_K with
/// cov(Z_j, Z_k) = sqrt(t_j / t_k), E Z_k = drift * sqrt(t_k)).
struct CrossingProbabilities {
  std::vector<double> upper;  ///< P(continue to k, Z_k >= upper_k)
  std::vector<double> lower;  ///< P(continue to k, Z_k <= lower_k)
};

/// Recursive numerical integration (Armitage, McPherson & Rowe 1969; Jennison & Turnbull 2000,
/// ch. 19) on rpact's grid: 91 points between the previous stage's bounds, composite 7-point
/// Newton–Cotes weights. `lower` may hold -infinity (no futility stop). `info` need only be
/// increasing: the recursion depends on ratios of information only.
CrossingProbabilities crossing_probabilities(std::span<const double> info,
                                             std::span<const double> upper,
                                             std::span<const double> lower, double drift = 0);

/// The nominal one-sided p of a z bound, 1 - Phi(z) (rpact's stageLevels); 0 for z = +inf (a look
/// where no stop is possible).
double nominal_p(double z);

// ---------------------------------------------------------------- boundaries

struct BoundaryOptions {
  double alpha = 0.025;          ///< type I error (one-sided; two-sided total when sided = 2)
  int sided = 1;                 ///< 1: one-sided test; 2: two-sided, symmetric bounds +-c_k
                                 ///< (rpact sided = 2; power is that of the upper side)
  double beta = 0.2;             ///< type II error (1 - power)
  std::vector<double> info;      ///< information fractions, increasing, last == 1
  Spending efficacy{};           ///< alpha spending (or Haybittle–Peto)
  std::optional<Spending> futility;  ///< beta spending for futility bounds (none: no futility)
  bool binding = false;          ///< binding futility bounds (the efficacy bounds account for them)
  double tolerance = 1e-12;      ///< root-finding tolerance on the z scale
};

/// A group-sequential design with its operating characteristics under H0 and H1 (the drift for
/// which power is 1 - beta). A reusable value: simulation and monitoring use its boundaries.
struct GroupSequentialDesign {
  BoundaryOptions options;
  std::vector<double> info;          ///< information fractions
  std::vector<double> z_efficacy;    ///< efficacy critical values (+inf: no stop possible)
  std::vector<double> z_futility;    ///< futility bounds (-inf: none; the last equals z_efficacy
                                     ///< when futility is requested)
  std::vector<double> alpha_spent;   ///< cumulative alpha under H0 (with binding futility bounds
                                     ///< if binding, else ignoring them)
  std::vector<double> beta_spent;    ///< cumulative beta under H1 (futility designs), else NaN
  double drift = 0;                  ///< theta: E Z_K = theta under H1 (sqrt of rpact's shift)
  double fixed_drift = 0;            ///< z_{1-alpha} + z_{1-beta}, the drift of a fixed design
  double inflation = 1;              ///< (drift / fixed_drift)^2: the maximum-information inflation
  std::vector<double> reject_h1;     ///< stage-wise efficacy crossing probability under H1
  std::vector<double> futility_h1;   ///< stage-wise futility crossing probability under H1
  std::vector<double> cum_power;     ///< cumulative efficacy crossing probability under H1
  std::vector<double> reject_h0;     ///< stage-wise efficacy crossing under H0 (futility honoured)
  std::vector<double> futility_h0;   ///< stage-wise futility crossing under H0
  double asn_h0 = 0, asn_h01 = 0, asn_h1 = 0;  ///< expected information / fixed information
                                               ///< under H0, drift / 2 and H1 (rpact's ASN)

  static GroupSequentialDesign compute(const BoundaryOptions& options);
  std::size_t looks() const { return info.size(); }

  /// Stage-wise crossing probabilities under drift `theta` (E Z_K = theta) with the conventions
  /// of the characteristics (efficacy bounds capped at 7.5; futility stops honoured, and where
  /// there is none `lower` is the tiny mass below -6; two-sided: `lower` is the crossing of
  /// -c_k), as rpact getPowerAndAverageSampleNumber.
  CrossingProbabilities at_drift(double theta) const;
};

/// Critical values for given information fractions and alpha spending (no futility): the
/// Lan–DeMets boundaries recomputed at actually observed fractions. `spend_all_at_last` makes the
/// last look spend all of `alpha` whatever its fraction (a final analysis).
std::vector<double> efficacy_bounds(std::span<const double> info, const Spending& spending,
                                    double alpha, bool spend_all_at_last = false,
                                    double tolerance = 1e-12, int sided = 1);

// ---------------------------------------------------------------- events

enum class EventMethod { schoenfeld, freedman, hsieh };

/// "schoenfeld" | "freedman" | "hsieh" (throws UsageError).
EventMethod parse_event_method(std::string_view text);

/// Events of a fixed design (rpact .getEventsFixed, one-sided level alpha):
///   Schoenfeld: (z_a + z_b)^2 (1 + r)^2 / (r (log(hr) - log(hr0))^2)
///   Freedman:   (z_a + z_b)^2 (1 + r hr)^2 / (r (1 - hr)^2)            (hr0 = 1 only)
///   Hsieh:      (z_a + z_b)^2 (1 + hr)^2 (1 + r)^2 / (4 r (1 - hr)^2)   (hr0 = 1 only)
/// with r the allocation ratio experimental:control (a two-sided design passes alpha / 2).
double fixed_events(EventMethod method, double hr, double alpha, double beta, double ratio,
                    double hr0 = 1);

/// The hazard ratio at a z boundary with `events` events and allocation ratio r:
/// exp(-sign * z (1 + r) / sqrt(r events)), sign = +1 for a design HR < 1.
double hr_at_boundary(double z, double events, double ratio, bool hr_below_one = true);

// ---------------------------------------------------------------- sample size and timing

/// Accrual: piecewise-constant intensity. `end` holds the end of each piece (the first starts at
/// 0); `rate` has as many entries as `end` (accrual ends at end.back()) or one more (the last
/// piece is open-ended: its end is solved for). Rates all < 1 are relative (rpact's "auto").
struct Accrual {
  std::vector<double> end;
  std::vector<double> rate;
};

struct SurvivalPlanOptions {
  double hr = 0.6;                ///< hazard ratio experimental / control
  double ratio = 1;               ///< allocation experimental:control
  double lambda_control = 0;      ///< exponential hazard in the control arm
  Accrual accrual;                ///< accrual pieces
  double follow_up = std::nan(""); ///< follow-up after the end of accrual; NaN: solved for
                                   ///< (absolute rates) or rpact's default 6 (relative rates)
  double dropout_rate = 0;        ///< probability of dropping out by dropout_time (both arms)
  double dropout_time = 12;       ///< rpact's dropoutTime
};

struct SurvivalPlan {
  double sample_size = 0;           ///< maximum number of subjects
  double accrual_end = 0;           ///< end of accrual
  double follow_up = 0;             ///< follow-up after the end of accrual
  std::vector<double> accrual_rate; ///< absolute accrual intensities
  std::vector<double> time;         ///< expected calendar time of each look
  std::vector<double> subjects;     ///< subjects accrued at each look
  double expected_duration_h1 = 0;  ///< sum of look times weighted by stopping probabilities
  double expected_subjects_h1 = 0;
};

/// Probability that a subject randomized over the accrual (normalised to the accrual's total)
/// has had an event by calendar time t (rpact .getEventProbabilities, in closed form).
double event_probability(double t, std::span<const double> accrual_end,
                         std::span<const double> accrual_rate, double lambda_control, double hr,
                         double ratio, double dropout_hazard);

/// Sample size and look times for the given cumulative events per look (rpact
/// getSampleSizeSurvival with accountForObservationTimes = TRUE). `stop_prob` are the stage-wise
/// stopping probabilities under H1 (for the expected duration); may be empty.
SurvivalPlan plan_survival(const SurvivalPlanOptions& options, std::span<const double> events,
                           std::span<const double> stop_prob);

// ---------------------------------------------------------------- the whole survival design

struct SurvivalDesignOptions {
  BoundaryOptions boundaries;  ///< alpha, beta, looks, spending, sided
  EventMethod method = EventMethod::schoenfeld;
  double hr = 0.6;                 ///< hazard ratio experimental / control under H1
  double hr0 = 1;                  ///< hazard ratio under H0 (margin; rpact thetaH0)
  double ratio = 1;                ///< allocation experimental:control
  /// Sample size and timing (needs plan->lambda_control > 0); hr and ratio are taken from above.
  std::optional<SurvivalPlanOptions> plan;
  /// Power mode (rpact getPowerSurvival): the maximum number of events is given, the power is
  /// computed. Without it the events are those giving power 1 - beta (getSampleSizeSurvival).
  std::optional<double> max_events;
  /// The maximum number of subjects is given (rpact maxNumberOfSubjects; needs `plan`): the
  /// accrual is made absolute (relative intensities scaled to it, or its end found from a rate)
  /// and the follow-up is computed. Without max_events, the events are then N P(end of study),
  /// with the end at the end of accrual + plan->follow_up, and the power is computed.
  std::optional<double> max_subjects;
};

struct SurvivalDesign {
  GroupSequentialDesign boundaries;
  double events_fixed = 0;          ///< events of the fixed design
  double max_events = 0;            ///< events_fixed * inflation
  std::vector<double> events;       ///< cumulative events at each look
  std::vector<double> hr_efficacy;  ///< HR on each efficacy bound
  std::vector<double> hr_futility;  ///< HR on each futility bound (NaN: none)
  std::vector<double> hr_efficacy_other;  ///< two-sided: HR on the other bound -c_k (else NaN)
  double expected_events_h0 = 0, expected_events_h01 = 0, expected_events_h1 = 0;
  std::optional<SurvivalPlan> plan; ///< sample size and look times, when requested
  bool power_mode = false;          ///< the events (or subjects) were given, the power computed
  double power = 0;                 ///< overall power at max_events (two-sided: either side in
                                    ///< power mode, as rpact getPowerSurvival)
  std::vector<double> reject_h1;    ///< stage-wise rejection probability under H1
  std::vector<double> futility_h1;  ///< stage-wise futility stop probability under H1
  double drift_h1 = 0;              ///< E Z_K under H1 at these events
};

/// Boundaries, events per look and (optionally) sample size and look times: rpact's
/// getDesignGroupSequential + getSampleSizeSurvival (or getPowerSurvival in power mode).
SurvivalDesign design_survival(const SurvivalDesignOptions& options);

/// The design `d` (computed from `options`) at whole numbers: ceil(D_max) events and, with a
/// sample size, ceil(N r / (1 + r)) + ceil(N / (1 + r)) subjects, the power and look times
/// recomputed there (power mode; the accrual keeps its shape, the follow-up is solved).
SurvivalDesign round_up(const SurvivalDesignOptions& options, const SurvivalDesign& d);

}  // namespace hazard
