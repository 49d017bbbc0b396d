// The readout sections of the report (ReportModel::readout: safety, tumour response, quality of
// life) rendered for each output: HTML sections, the readout RTF, rows of results.csv/json and the
// `safety`, `response` and `qol` objects of results.json. Tables are built once (detail::Table)
// and rendered by the HTML and RTF writers of the efficacy table, so the two cannot disagree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hazard/plot.hpp"
#include "hazard/report.hpp"
#include "report/efficacy_table.hpp"

namespace hazard::report::detail {

/// The tables of each section (in the order shown), each with its caption.
struct CaptionedTable {
  std::string caption{};
  Table table{};
};
std::vector<CaptionedTable> safety_tables(const ReportModel& model);
std::vector<CaptionedTable> response_tables(const ReportModel& model);
std::vector<CaptionedTable> qol_tables(const ReportModel& model);
// The crossover section (crossover_section.cpp).
std::vector<CaptionedTable> crossover_tables(const ReportModel& model);
/// The KM figure of the counterfactual control arm against the observed arms.
plot::KmPlot crossover_plot(const ReportModel& model);
nlohmann::json crossover_json(const ReportModel& model);
void append_crossover_rows(const ReportModel& model, std::vector<ResultRow>& rows);

/// <section id="safety">, <section id="response">, <section id="qol"> ("" without readout).
std::string readout_html(const ReportModel& model);
/// readout.rtf: the readout tables with their methods (and the QoL KM figures).
std::string render_readout_rtf(const ReportModel& model);
/// Appends the readout numbers to results.csv/json's rows (after the efficacy rows).
void append_readout_rows(const ReportModel& model, std::vector<ResultRow>& rows);
/// Adds the keys `safety`, `response`, `qol` to results.json, each only when its section is present
/// (a report without readout inputs is unchanged).
void add_readout_json(const ReportModel& model, nlohmann::json& out);

// Shared with the efficacy writers (html.cpp, rtf.cpp).
std::string html_table(const Table& t);
std::string html_text(std::string_view s);
std::string html_figure(const std::string& svg, const std::string& alt, const std::string& caption,
                        const std::string& id);
std::string rtf_table(const Table& t);
std::string rtf_text(std::string_view s);
std::string rtf_picture(const std::string& png, double dpi);

}  // namespace hazard::report::detail
