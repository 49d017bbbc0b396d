// The report's rendering of the inference after a group-sequential stop (`--design FILE --look K`,
// hazard/report_after_stop.hpp): rows of the efficacy table under each comparison (HTML and RTF
// share them), the footnotes, the rows of results.csv/json and results.json's `after_stop` key.
// Nothing is rendered when the model has no after-stop analysis.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hazard/report.hpp"
#include "report/efficacy_table.hpp"

namespace hazard::report::detail {

/// Appends to `t` the after-stop rows of comparison `vs` (one cell per cohort spanning its arms):
/// the look (events, z against the bound), the median-unbiased HR with the final CI, the
/// stage-wise p-value, the repeated p-value and the log-rank HR with its repeated CI.
void append_after_stop_rows(const ReportModel& model, const std::string& vs, Table& t);

/// The footnotes of the section: the design and look, the methods, the bias of naive estimates.
std::vector<std::string> after_stop_notes(const ReportModel& model);

/// results.csv/json rows of every cohort computed (arm = the comparison).
void append_after_stop_results(const ReportModel& model, std::vector<ResultRow>& rows);

/// results.json's `after_stop`: null without --design, else the design, the look and one object
/// per cohort (docs/cli/report.md).
nlohmann::json after_stop_json(const ReportModel& model);

}  // namespace hazard::report::detail
