// The trial report: a plain model of every number a report shows, and the writers that render it
// (self-contained HTML, RTF efficacy table, SVG/PNG/PDF figures, analysis results data as CSV/JSON).
//
// The model holds results, not data: the caller (`hazard report`) fills it from the Kaplan–Meier,
// log-rank and Cox estimators; the writers only format. Every writer reads the same model and the
// HTML and RTF tables are built from one table layout, so they cannot disagree, and results.csv /
// results.json carry the unrounded values of every number shown.
//
// Conventions:
//   * Not estimable (median not reached, CI bound undefined) is NaN; it prints as "NE".
//   * Rates are proportions (0..1) in the model and printed as percentages.
//   * Arms are listed in display order (experimental first, as efficacy tables do); the comparison
//     names which arm is the control (the --ref level).
//
// Example:
//   hazard::report::ReportModel m;
//   m.title = "CABINET-SIM: progression-free survival";
//   m.cohorts.push_back({.name = "pNET", .arms = {...}, .comparison = {...}});
//   auto written = hazard::report::write_report(m, "out/");  // report.html, efficacy.rtf, ...
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hazard/km.hpp"
#include "hazard/plot.hpp"
#include "hazard/survdata.hpp"

namespace hazard {
enum class Ties;  // hazard/cox.hpp (efron, breslow, exact)
}

namespace hazard::report {

inline constexpr double na = plot::not_available;

/// A point estimate with its confidence interval; NaN = not estimable.
struct Estimate {
  double value = na, lower = na, upper = na;
};

/// One arm of one cohort.
struct ArmResult {
  std::string arm{};                 ///< level of the group variable, e.g. "Cabozantinib"
  double n = 0, events = 0, censored = 0;
  Estimate median{};                 ///< time to event, in the report's units
  Estimate q25{};                    ///< time by which 25% had an event (S(t) = 0.75)
  Estimate q75{};                    ///< time by which 75% had an event (S(t) = 0.25)
  std::vector<Estimate> landmarks{}; ///< event-free proportion at ReportModel::landmark_times
  plot::KmCurve curve{};             ///< for the KM figure; its label is replaced by `arm`
};

/// Between-arm comparison within a cohort (experimental vs the control / --ref arm).
struct Comparison {
  std::string experimental{}, control{};
  Estimate hr_stratified{};          ///< Cox, stratified by the randomization factors
  Estimate hr_unstratified{};        ///< Cox, no strata
  double p_two_sided = na;         ///< stratified log-rank test, two-sided
  double p_one_sided = na;         ///< one-sided, alternative: experimental better (HR < 1)
  std::string note{};                ///< why something is missing, e.g. "one arm only: no comparison"
};

struct CohortResult {
  std::string name{};                ///< level of --by (e.g. "pNET"), or "Overall"
  std::vector<ArmResult> arms{};
  Comparison comparison{};
  std::vector<std::string> messages{};  ///< data problems shown with the cohort (never silently dropped)
};

/// Text naming each method; printed in the footnotes and in results.csv's `method` column.
struct Methods {
  std::string km = "Kaplan–Meier";                  ///< incl. CI type, e.g. "...; 95% CI log-log"
  std::string quantiles = "Brookmeyer–Crowley 95% CI";
  std::string landmarks = "Kaplan–Meier estimate; 95% CI log-log (Greenwood variance)";
  std::string hr_stratified = "Cox proportional hazards, stratified";
  std::string hr_unstratified = "Cox proportional hazards, unstratified";
  std::string logrank = "log-rank test, stratified";
};

struct InputFile {
  std::string path{};
  std::string sha256{};              ///< hex digest (hazard::sha256_file)
  std::uint64_t bytes = 0;
};

struct ReportModel {
  std::string title{};               ///< e.g. "CABINET-SIM: progression-free survival"
  std::string notice{};              ///< shown prominently on every output, e.g. "SIMULATED DATA ..."
  std::string endpoint = "Progression-free survival";
  std::string endpoint_code = "PFS";   ///< PARAMCD; the `endpoint` column of results.csv
  std::string units = "months";
  std::string by{};                  ///< the --by variable, e.g. "COHORT" (empty: single cohort)
  std::vector<double> landmark_times{};
  std::vector<CohortResult> cohorts{};
  std::vector<plot::ForestRow> forest{};   ///< cohort and subgroup rows; empty = no forest plot
  Methods methods{};
  std::vector<std::string> footnotes{};    ///< further notes (strata, ties, exclusions...)
  std::vector<InputFile> inputs{};
  std::string software{};            ///< hazard version and build (hazard::version_text())
  std::string created{};             ///< date and time of the run, ISO 8601 UTC
  std::string command{};             ///< the command line that made the report
  plot::KmPlotOptions km_options{};  ///< shared by all KM figures (labels, x step, KMunicate, ...)
  plot::ForestPlotOptions forest_options{};
  bool csv_raw = false;              ///< --csv-raw: results.csv without the formula guard (output.hpp)
};

// ---- filling the model from the estimators ----

/// An arm from hazard::kaplan_meier's group: n, events, censored (sum of the curve's censorings),
/// the quantiles p = 0.5, 0.25, 0.75 (NaN where not requested), the landmarks in `group.at` (the
/// caller passes KmOptions::times = ReportModel::landmark_times) and the figure's curve.
ArmResult arm_from_km(const KmGroup& group, const std::string& arm);

/// The figure input of a KM curve (label, counts, surv, CI limits; median left NaN).
plot::KmCurve plot_curve_from_km(const KmGroup& group, const std::string& label);

// ---- the analyses of one cohort (src/report/assemble.cpp) ----

/// The options of every estimator the report calls: the same structs `hazard km`, `hazard cox`
/// and `hazard logrank` fill from the same flags, so the numbers are theirs.
struct AnalysisOptions {
  KmOptions km{};                    ///< conf_type, conf_level, times = landmark times
  Ties ties{};                       ///< Cox ties (value-initialised = efron)
};

/// One cohort (the analysis rows `d` of one level of --by, or all rows): hazard::kaplan_meier per
/// arm, hazard::cox_fit stratified by d's strata (when it has strata) and without strata (the arm
/// as a 0/1 column, as `hazard cox --group`), hazard::logrank with d's strata. The experimental
/// arm is d.group_levels[1], the control d.group_levels[0] (the --ref level). Problems are
/// reported, not thrown: one arm only, more than two arms, an arm without events (HRs not
/// estimable), a stratum with one subject, no events, Cox warnings (messages / comparison.note).
CohortResult analyse_cohort(const SurvData& d, const std::string& name, const AnalysisOptions& options);

/// A forest row for a subgroup level: n and events per arm and the unstratified Cox HR of the
/// rows `d` (a note instead when not estimable).
plot::ForestRow subgroup_forest_row(const SurvData& d, const std::string& label, int indent,
                                    const AnalysisOptions& options);

/// Method texts (ReportModel::methods) for the options and strata names.
Methods describe_methods(const AnalysisOptions& options, const std::vector<std::string>& strata);

/// "Efron", "Breslow", "exact (discrete)".
std::string ties_text(Ties ties);

// ---- figures ----

/// The KM figure of a cohort: curves labelled by arm, annotation with the stratified HR and p,
/// the report's notice as footnote.
plot::KmPlot km_plot(const ReportModel& model, const CohortResult& cohort);
/// One forest row per cohort, from its arms and stratified HR (a note when the HR is missing);
/// `hazard report` appends subgroup rows (a heading row per variable, indented level rows).
std::vector<plot::ForestRow> cohort_forest_rows(const ReportModel& model);
/// The forest plot of model.forest, headed by the first cohort's arm names.
plot::ForestPlot forest_plot(const ReportModel& model);

// ---- writers (each returns the file's content) ----

/// One self-contained HTML page: inline CSS, figures as data: URIs, no scripts, no external
/// requests, printable. Table cells carry data-cohort/data-arm/data-stat/data-value attributes
/// with the unrounded value, so that tests can read numbers off the page.
std::string render_html(const ReportModel& model);
/// The efficacy table as RTF (landscape), KM figures embedded as PNG (\pngblip).
std::string render_rtf(const ReportModel& model);

/// Analysis results data: one row per number.
struct ResultRow {
  std::string endpoint{}, cohort{}, arm{}, statistic{};
  std::string timepoint{};           ///< landmark time for rates, else empty
  double value = na;
  std::string method{};
};
std::vector<ResultRow> result_rows(const ReportModel& model);
/// results.csv: endpoint,cohort,arm,statistic,timepoint,value,method (value in shortest
/// round-trip form, NA when not estimable), written by CsvWriter (quoted, formula-guarded unless
/// model.csv_raw).
std::string render_results_csv(const ReportModel& model);
/// results.json: the metadata (title, notice, inputs with SHA-256, software, created, command,
/// footnotes) and the same rows as results.csv (NaN as null).
std::string render_results_json(const ReportModel& model);

/// A level name as a file-name part: letters, digits, '-', '_' kept, anything else '_'.
std::string file_stem(const std::string& level);

/// Writes into `dir` (created if missing): report.html, efficacy.rtf, results.csv, results.json,
/// km_<cohort>.{svg,png,pdf} per cohort and forest.{svg,png,pdf} when model.forest is not empty.
/// Returns the paths written. Atomic as a whole (OutputSet, output.hpp): every file is rendered
/// and written to a temporary first and renamed only when all are, so a failure leaves no file
/// (and no folder it created). Throws IoError naming the path on failure, UsageError when a file
/// to write is one of model.inputs.
std::vector<std::string> write_report(const ReportModel& model, const std::string& dir);

// ---- number formatting shared by every writer ----

/// "12.8"; "NE" when not estimable.
std::string format_time(double v);
/// "12.8 (7.9, 21.0)", bounds "NE" when not estimable.
std::string format_estimate(const Estimate& e, int decimals = 1);
/// "0.33 (0.19, 0.56)"; values below 0.005 print as "<0.01".
std::string format_hr(const Estimate& e);
/// "0.0123", "<0.0001"; "NE" when NaN.
std::string format_p(double p);
/// "39 (60.9)": count with percentage of n.
std::string format_count_pct(double count, double n);

}  // namespace hazard::report
