// Inference after a group-sequential stop in the trial report (`hazard report --design FILE --look
// K`, docs/cli/report.md): for each cohort's comparison, the stratified log-rank z and its events
// are taken as look K of the design and passed to hazard::monitor_interim, the function behind
// `hazard monitor`, so the stage-wise ordering p-value, the median-unbiased hazard ratio, the
// final confidence interval, the repeated p-value and the repeated confidence interval are those
// `hazard monitor --events ... --z ...` prints for the same numbers. No statistic is computed here.
//
// Example:
//   auto design = hazard::read_design_json("design.json");
//   model.after_stop = hazard::report::after_stop_analysis(
//       model, {.design = design, .design_file = "design.json", .look = 1});
//   // model.after_stop.cohorts[0].p_stagewise, .hr_median_unbiased, .ci_lower, ...
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "hazard/design_file.hpp"

namespace hazard::report {

struct ReportModel;

/// One cohort's comparison at look K.
struct AfterStopResult {
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::string cohort{};             ///< CohortResult::name
  std::string comparison{};         ///< Comparison::label(), "Cabozantinib vs Placebo"
  bool computed = false;            ///< false: see `note` (nothing below is set)
  double events = nan;              ///< events of the log-rank test at look K
  double info = nan;                ///< events / the design's maximum
  double z = nan;                   ///< efficacy-oriented z against hr0 (> 0 favours the
                                    ///< experimental arm in the direction of the design HR)
  double z_bound = nan;             ///< efficacy bound at look K, recomputed at these events
  bool boundary_crossed = false;    ///< the efficacy bound (or a binding futility bound) crossed
  bool final_look = false;          ///< K is the design's last look
  std::string decision{};           ///< decision_name: "reject H0", "continue", ...
  std::string reason{};             ///< stop_reason_name when after-stop values are given
  bool after_stop = false;          ///< stage-wise values given (a bound crossed or final look)
  double p_stagewise = nan;         ///< stage-wise ordering p-value (sided as the design)
  double hr_median_unbiased = nan;  ///< median-unbiased HR
  double ci_lower = nan, ci_upper = nan;  ///< final confidence interval
  double ci_level = nan;                  ///< 1 - 2 alpha (one-sided alpha)
  double repeated_p = nan;  ///< repeated p-value at look K (NaN: Haybittle–Peto interim)
  double rci_lower = nan, rci_upper = nan;  ///< repeated confidence interval for the HR
  double hr_naive = nan;  ///< exp(-+ z se), the log-rank HR the adjusted ones correct
  double p_naive = nan;   ///< naive p of z (sided as the design)
  std::string note{};     ///< why values are missing ("the trial continues: ...")
};

/// The design and look of the section, and one result per cohort (empty when not requested).
struct AfterStopAnalysis {
  bool requested = false;
  std::string design_file{};
  SavedDesign design{};
  std::size_t look = 0;     ///< K, 1-based
  bool stratified = false;  ///< the log-rank tests are stratified (the report has --strata)
  std::vector<double> earlier_events{};  ///< events taken at looks 1..K-1 (the design's planned)
  std::vector<AfterStopResult> cohorts{};
};

struct AfterStopRequest {
  SavedDesign design{};
  std::string design_file{};
  std::size_t look = 0;  ///< 1-based; UsageError outside 1..number of looks
  /// The last cohort of the model pools the others (--by without --no-overall): it is not a trial
  /// run by the design and gets a note instead.
  bool last_is_pooled = false;
};

/// For each cohort with exactly one comparison and a finite stratified log-rank z: look K of the
/// design, with the earlier looks at the design's planned events and unknown z (the trial went on
/// past them: InterimOptions::earlier_z_unknown), the final analysis when K is the last look.
/// Cohorts without a comparison, with several, or whose events do not fit the design at look K
/// (not above the planned events of look K - 1; at or above the maximum at an interim) get a note.
AfterStopAnalysis after_stop_analysis(const ReportModel& model, const AfterStopRequest& request);

/// The method of the adjusted estimates, for footnotes and results (one sentence).
std::string after_stop_method(const AfterStopAnalysis& analysis);

}  // namespace hazard::report
