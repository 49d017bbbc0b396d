// The trial report: a plain model of every number a report shows, and the writers that render it
// (self-contained HTML, RTF efficacy table, SVG/PNG/PDF figures, analysis results data as
// CSV/JSON).
//
// The model holds results, not data: the caller (`hazard report`) fills it from the Kaplan–Meier,
// log-rank and Cox estimators; the writers only format. Every writer reads the same model and the
// HTML and RTF tables are built from one table layout, so they cannot disagree, and results.csv /
// results.json carry the unrounded values of every number shown.
//
// Conventions:
//   * Not estimable (median not reached, CI bound undefined) is NaN; it prints as "NE".
//   * Rates are proportions (0..1) in the model and printed as percentages.
//   * Arms are listed in display order (experimental arms first, as efficacy tables do, the control
//     last); each comparison names its experimental arm and the control (the --ref level). With K
//     arms there are K - 1 comparisons, each arm against the control.
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
#include "hazard/report_readout.hpp"
#include "hazard/report_after_stop.hpp"
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
  Estimate followup{};  ///< median follow-up, reverse Kaplan–Meier (hazard::km_followup)
  plot::KmCurve curve{};             ///< for the KM figure; its label is replaced by `arm`
};

/// One arm against the control within a cohort. The HRs come from one Cox model of all arms
/// (K - 1 arm indicators, as coxph(Surv ~ arm + strata(...))); the log-rank test from the two arms
/// alone (survdiff on the subset of the experimental and the control arm).
struct Comparison {
  std::string experimental{}, control{};
  Estimate hr_stratified{};          ///< Cox, stratified by the randomization factors
  Estimate hr_unstratified{};        ///< Cox, no strata
  double p_two_sided = na;         ///< stratified log-rank test, two-sided
  double p_one_sided = na;         ///< one-sided, alternative: experimental better (HR < 1)
  double z_logrank = na;           ///< the log-rank z of that test, (O - E) / sqrt(V) of the
                                   ///< experimental arm (negative: fewer events than expected)
  double events_logrank = na;      ///< events in the log-rank test's rows (both arms)
  std::string note{};              ///< why something is missing, e.g. "no events in Placebo: ..."
  /// "Cabozantinib vs Placebo": the `arm` of its results rows and the data-arm of its table cells.
  std::string label() const { return experimental + " vs " + control; }
};

/// The K-group log-rank test over all arms (survdiff(Surv ~ arm + strata(...))), three or more
/// arms.
struct GlobalTest {
  double chisq = na, df = na, p = na;
};

struct CohortResult {
  std::string name{};                ///< level of --by (e.g. "pNET"), or "Overall"
  std::vector<ArmResult> arms{};
  std::string control{};                  ///< the control (--ref) arm; "" when the cohort has none
  std::vector<Comparison> comparisons{};  ///< each other arm against the control, in arm order
  GlobalTest global{};                    ///< NaN unless the cohort has three or more arms
  std::string note{};  ///< why there is no comparison at all, e.g. "one arm only: no comparison"
  /// Patients of the cohort (in N and the KM columns) left out of the stratified Cox model and
  /// log-rank tests, and why ("missing stratification factor (STRAT1R): 3"); 0 / "" without.
  double n_excluded_stratified = 0;
  std::string excluded_stratified{};
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
  std::string followup = "reverse Kaplan–Meier (censoring as the event)";
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
  std::string units{};  ///< unit of every time ("days", "months", ...); empty = not stated
  std::string time_label =
      "Time";  ///< what the time is: "Time", or the time column's variable label
  std::string y_label =
      "Survival probability (%)";  ///< KM axis: "<endpoint> (%)" when the endpoint is named
  std::string rate_name =
      "Survival";            ///< landmark rows "<rate_name> rate at 12 months" (e.g. "PFS")
  double conf_level = 0.95;  ///< of every interval shown: labels say "95% CI", "90% CI", ...
  std::vector<std::string> strata{};  ///< --strata columns; empty = no "stratified" rows or wording
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
  Readout readout{};  ///< safety, response and quality-of-life sections (report_readout.hpp)
  AfterStopAnalysis after_stop{};    ///< --design/--look: inference after a group-sequential stop
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
/// arm; hazard::cox_fit with one 0/1 column per non-control arm (as `hazard cox --group`),
/// stratified (when there are strata) and without strata; per arm against the control,
/// hazard::logrank with the strata on the rows of the two arms; with three or more arms the
/// K-group hazard::logrank of all arms. The control is d.group_levels[0] (the --ref level).
///
/// `stratified`, when given, is the same cohort read with the --strata columns: the rows with
/// every stratification factor (a patient with a missing one is excluded there). The stratified
/// Cox model and the log-rank tests use it; N, the KM estimates and the unstratified HR use `d`
/// (every randomized patient), and the difference is counted (n_excluded_stratified). Without it,
/// `d` serves both (stratified by d's strata when it has them).
///
/// Problems are reported, not thrown: one arm only, an arm without events (HRs not estimable), a
/// stratum with one subject, no events, Cox warnings (messages / notes).
CohortResult analyse_cohort(const SurvData& d, const std::string& name,
                            const AnalysisOptions& options, const SurvData* stratified = nullptr);

/// Forest rows for a subgroup level: n and events per arm and the unstratified Cox HRs (one model,
/// K - 1 arm indicators) of the rows `d`. Two arms: one row labelled `label`; three or more: a
/// heading row `label` and one row per arm against the control, indented one more. A note instead
/// of the HR when not estimable (an arm without events or patients in the level).
std::vector<plot::ForestRow> subgroup_forest_rows(const SurvData& d, const std::string& label,
                                                  int indent, const AnalysisOptions& options);

// ---- subgroups (src/report/subgroups.cpp) ----

/// `--cut COL=VALUE`: replaces the numeric column COL of `table` by a categorical one with the
/// levels "<VALUE" and ">=VALUE" (missing stays missing). UsageError when COL is not numeric.
void cut_column(Table& table, const std::string& column, double cut);

/// A subgroup column must be categorical: UsageError, with the --cut hint, for a numeric column
/// with more than `max_levels` distinct values among the rows of `d` (e.g. age in years).
void check_subgroup_column(const Table& table, const SurvData& d, const std::string& column,
                           std::size_t max_levels = 10);

/// Treatment-by-subgroup interaction, likelihood-ratio test as R's
/// anova(coxph(Surv ~ arm + sub), coxph(Surv ~ arm * sub)): chisq = 2 (l1 - l0), df = the number of
/// estimable coefficients added (NA, aliased, ones do not count), p its upper chi-square tail.
/// Unstratified; the rows with a subgroup code (>= 0) only. NaN with a note when not computable.
struct InteractionTest {
  double chisq = na, df = na, p = na;
  std::string note{};
};
/// `subgroup`: one code per row of `d` (-1 = missing), `levels` their names.
InteractionTest interaction_test(const SurvData& d, const std::vector<std::int32_t>& subgroup,
                                 const std::vector<std::string>& levels,
                                 const AnalysisOptions& options);

/// The forest rows of subgroup column `column` within the rows `d` (one cohort, or all): a heading
/// row `heading` with the interaction test, then per level present (in the column's level order)
/// subgroup_forest_rows(level rows) — the unstratified HR(s) within the level. Rows carry
/// `subgroup` = column and `level`.
std::vector<plot::ForestRow> subgroup_block(const SurvData& d, const Table& table,
                                            const std::string& column, const std::string& heading,
                                            const AnalysisOptions& options);

/// Method texts (ReportModel::methods) for the options and strata names.
Methods describe_methods(const AnalysisOptions& options, const std::vector<std::string>& strata);

/// "Efron", "Breslow", "exact (discrete)".
std::string ties_text(Ties ties);

// ---- figures ----

/// The KM figure of a cohort: curves labelled by arm, annotation with the stratified HR and p,
/// the report's notice as footnote.
plot::KmPlot km_plot(const ReportModel& model, const CohortResult& cohort);
/// Forest rows of the cohorts, from their arms and stratified HRs (a note when an HR is missing):
/// two arms, one row per cohort; three or more, a heading row per cohort and a row per comparison.
/// `hazard report` appends subgroup rows (a heading row per variable, indented level rows).
std::vector<plot::ForestRow> cohort_forest_rows(const ReportModel& model);
/// The forest plot of model.forest, headed by the first cohort's arm names (two arms) or by
/// "Experimental" and the control (three or more).
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

/// A level name as a file-name part: letters, digits, '-', '_' kept, anything else '_', at most
/// 40 bytes (never empty). Not unique ("X Y" and "X_Y" give the same): file names carry an index.
std::string file_stem(const std::string& level);

/// The KM figure's file name of cohort number `index` (0-based) without extension:
/// "km_<index + 1>_<file_stem(name)>", e.g. "km_1_pNET", "km_3_Overall". The index makes it
/// unique whatever the level names (a level "X Y" next to "X_Y", or a level named "Overall").
std::string km_file_stem(std::size_t index, const std::string& name);

/// The manifest write_report leaves in `dir`: the names of the files it wrote.
inline constexpr const char* manifest_name = "report_manifest.json";

/// Writes into `dir` (created if missing): report.html, efficacy.rtf, results.csv, results.json,
/// km_<i>_<cohort>.{svg,png,pdf} per cohort and forest.{svg,png,pdf} when model.forest is not
/// empty, and last report_manifest.json listing them. A rerun into the same folder first removes
/// the files the previous manifest lists that this run does not write (figures of cohorts that are
/// gone), and nothing else: files the report did not write are never touched.
/// Atomic as a whole (OutputSet, output.hpp): every file is rendered and written to a temporary
/// first and renamed only when all are, so a failure leaves no file (and no folder it created).
/// Returns the paths written. Throws IoError naming the path on failure, UsageError when a file
/// to write is one of model.inputs.
std::vector<std::string> write_report(const ReportModel& model, const std::string& dir);

// ---- number formatting shared by every writer ----

/// The time axis and heading: the model's time label with its units when they are stated,
/// "Time (months)", "Time" (units not stated: never assumed).
std::string time_heading(const ReportModel& model);
/// "95% CI" for the model's conf_level (0.9: "90% CI", 0.975: "97.5% CI").
std::string ci_text(double conf_level);
/// " months" after a time, or "" when the units are not stated.
std::string units_suffix(const ReportModel& model);

/// "12.8"; "NE" when not estimable.
std::string format_time(double v);
/// "12.8 (7.9, 21.0)", bounds "NE" when not estimable.
std::string format_estimate(const Estimate& e, int decimals = 1);
/// "0.33 (0.19, 0.56)"; values below 0.005 print as "<0.01"; a hazard ratio that is not
/// estimable (NaN: no events in an arm, a fit that did not converge) prints as "NE" alone.
std::string format_hr(const Estimate& e);
/// "0.0123", "<0.0001"; "NE" when NaN.
std::string format_p(double p);
/// "39 (60.9)": count with percentage of n.
std::string format_count_pct(double count, double n);

}  // namespace hazard::report
