// Re-analysing published trials: patient-level data rebuilt from a published Kaplan–Meier figure
// (Guyot et al., BMC Med Res Methodol 2012;12:9), and what a published hazard ratio with its
// confidence interval implies (standard error, number of events, p-value).
//
// Method, guards and conventions: docs/methods/guyot.md. Command line: docs/cli/reconstruct.md,
// docs/cli/published.md.
//
// Example:
//   hazard::ArmCurve arm{.arm = "nivolumab", .time = clicks_t, .surv = clicks_s,
//                        .risk_time = {0, 3, 6}, .n_risk = {80, 79, 75}};
//   hazard::ArmReconstruction r = hazard::reconstruct_guyot(arm);
//   // r.time / r.event: one row per patient; r.fit.max_distance: largest |S_digitized -
//   KM_rebuilt|
//
//   auto p = hazard::published_hr(0.23, 0.12, 0.42, {.ratio = 2.0});  // p.events ≈ 44.1
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hazard {

// ---------------------------------------------------------------------------------------------
// Cleaning digitized points (src/reconstruct/clean_curve.cpp)

/// How the survival column of digitized points is scaled.
enum class SurvScale {
  automatic,  ///< percent when the largest value exceeds 1.5, else fraction
  fraction,   ///< 0..1
  percent,    ///< 0..100
};

struct CleanCurveOptions {
  SurvScale scale = SurvScale::automatic;
};

/// Digitized points made into a step function: time strictly increasing, survival non-increasing
/// in [0, 1].
struct CleanedCurve {
  std::vector<double> time;     ///< strictly increasing, >= 0
  std::vector<double> surv;     ///< non-increasing, in [0, 1]
  std::size_t n_input = 0;      ///< points given
  std::size_t n_clamped = 0;    ///< points moved into range (time < 0, survival < 0 or > 1)
  std::size_t n_merged = 0;     ///< points removed because they shared a time with another
  std::size_t n_adjusted = 0;   ///< points whose survival isotonic regression changed
  double max_adjustment = 0.0;  ///< largest change made by isotonic regression (fraction scale)
  bool percent = false;         ///< the input was read as a percentage
};

/// Sorts the points by time, converts a percentage to a fraction, clamps time to >= 0 and survival
/// to [0, 1], fits the non-increasing step function closest in least squares to the points
/// (isotonic regression, pool-adjacent-violators, in time order; points at one time are ordered
/// by decreasing survival first, as the top and bottom of a vertical drop) and keeps, of points
/// sharing a time, the lowest (the value after the drop).
/// Throws DataError for a non-finite value or when the lengths differ; UsageError for no points.
CleanedCurve clean_curve(std::span<const double> time, std::span<const double> surv,
                         const CleanCurveOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Guyot's algorithm (src/reconstruct/guyot.cpp)

/// The largest number at risk, and total of events, that reconstruct takes per arm: 10 million,
/// fifty times the largest published trials (the rebuilt data have one row per patient, and a
/// count of 1e15 would never finish). Larger counts are refused with a message that states it.
inline constexpr double max_patients_per_arm = 1e7;

/// One arm of a published figure: the digitized clicks, as read (any order, noisy, fraction or
/// percent), and the number-at-risk table printed under the figure.
struct ArmCurve {
  std::string arm;                     ///< label written to the output
  std::vector<double> time;            ///< digitized x
  std::vector<double> surv;            ///< digitized y
  std::vector<double> risk_time;       ///< times of the at-risk table (any order, distinct)
  std::vector<double> n_risk;          ///< numbers at risk (non-negative whole numbers)
  std::optional<double> total_events;  ///< total number of events, when published
};

struct GuyotOptions {
  CleanCurveOptions clean;
  /// Cap on the adjustment iterations of one interval (the paper's loops have none; a cycle is
  /// also detected and broken, so this only bounds pathological inputs).
  int max_iterations = 1000;
  /// A fit with a larger largest distance between digitized and rebuilt curve gets a warning.
  double warn_max_distance = 0.05;
};

/// One interval [start, end) between consecutive at-risk times (the last one ends at the end of
/// the curve).
struct RiskInterval {
  double start = 0.0;
  double end = 0.0;
  double n_risk_published = 0.0;  ///< at `start`, from the table
  double n_risk_rebuilt = 0.0;    ///< at `start`, in the rebuilt data (time >= start)
  std::int64_t events = 0;        ///< rebuilt events in [start, end)
  std::int64_t censored = 0;      ///< rebuilt censorings in [start, end) (last: to the end)
  std::size_t n_points = 0;       ///< cleaned digitized points in [start, end)
};

/// How well the rebuilt data reproduce the published figure.
struct ReconstructionFit {
  double max_distance = 0.0;        ///< max over cleaned points |S_digitized(t) - KM_rebuilt(t)|
  double rms_distance = 0.0;        ///< root mean square of the same differences
  std::size_t n_points = 0;         ///< cleaned digitized points compared
  std::size_t at_risk_matched = 0;  ///< at-risk times where rebuilt == published
  std::size_t at_risk_total = 0;    ///< at-risk times used
  std::int64_t n = 0;               ///< patients (= number at risk at the first at-risk time)
  std::int64_t events = 0;
  std::int64_t censored = 0;
  std::optional<double> total_events;  ///< as given
  double median =
      0.0;  ///< KM median of the rebuilt rows (R's quantile.survfit); NaN if not reached
};

struct ArmReconstruction {
  std::string arm;
  std::vector<double> time;         ///< one row per patient, ascending
  std::vector<std::uint8_t> event;  ///< 1 event, 0 censored
  std::vector<RiskInterval> intervals;
  ReconstructionFit fit;
  CleanedCurve curve;                        ///< the cleaned digitized points the algorithm used
  std::vector<std::int64_t> point_events;    ///< events at each cleaned+anchor point (diagnostics)
  std::vector<std::int64_t> point_censored;  ///< censorings after each point
  std::vector<double> point_time;            ///< the points (cleaned clicks and at-risk anchors)
  std::vector<std::string> warnings;         ///< input too sparse, counts not matched, ...
};

/// Rebuilds patient-level data of one arm with Guyot's algorithm (see docs/methods/guyot.md for
/// the guards added to the published algorithm: cleaning, anchor points at the at-risk times,
/// events clamped to [0, n at risk], bounded and cycle-free adjustment loops).
/// Throws DataError for an invalid at-risk table (negative, not whole, increasing over time,
/// duplicate times), UsageError for an empty input.
ArmReconstruction reconstruct_guyot(const ArmCurve& input, const GuyotOptions& options = {});

// ---------------------------------------------------------------------------------------------
// What a published hazard ratio implies (src/reconstruct/published.cpp)

struct PublishedHrOptions {
  double conf_level = 0.95;  ///< of the published interval
  double ratio = 1.0;        ///< allocation ratio r (r:1); the event count is symmetric in r, 1/r
};

struct PublishedHr {
  double hr = 0.0, lower = 0.0, upper = 0.0;
  double conf_level = 0.95, ratio = 1.0;
  double z_crit = 0.0;  ///< normal quantile of the interval, 1.959964 for 95%
  double log_hr = 0.0;
  double se_log_hr = 0.0;  ///< (log upper - log lower) / (2 z_crit)
  double z = 0.0;          ///< log_hr / se_log_hr
  double p_value = 0.0;    ///< two-sided Wald, 2 (1 - Phi(|z|))
  double events = 0.0;     ///< Schoenfeld: (1 + r)^2 / (r se^2)
  double asymmetry = 0.0;  ///< (log hr - midpoint of log interval) / se; rounding makes it small
  std::vector<std::string> warnings;
};

/// Throws UsageError unless 0 < lower <= hr <= upper, lower < upper, 0 < conf_level < 1, ratio > 0.
PublishedHr published_hr(double hr, double lower, double upper,
                         const PublishedHrOptions& options = {});

}  // namespace hazard
