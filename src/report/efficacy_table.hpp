// The efficacy table's layout, built once from a ReportModel and rendered by both the HTML and the
// RTF writer (so the two cannot show different numbers).
//
// Columns: a row label, then for each cohort its arms. Header: cohort names spanning their arms,
// then "Arm (N=n)". Body: events and censored n (%), median and quartiles with CIs, landmark
// event-free rates, then per cohort the between-arm rows (stratified and unstratified HR, log-rank
// p two- and one-sided) spanning the cohort's arm columns.
#pragma once

#include <string>
#include <vector>

#include "hazard/report.hpp"

namespace hazard::report::detail {

struct Cell {
  std::string text{};
  int span = 1;                 ///< number of columns the cell covers
  // Machine-readable identity of the number (HTML data-* attributes); empty for labels.
  std::string cohort{}, arm{}, stat{}, timepoint{};
  double value = na;
};

struct Row {
  std::vector<Cell> cells{};      ///< first cell is the row label
  bool section = false;         ///< a label-only heading row
  int indent = 0;
};

struct Table {
  std::size_t columns = 0;      ///< including the label column
  std::vector<Row> header{};
  std::vector<Row> body{};
};

Table efficacy_table(const ReportModel& model);

/// The footnotes stating each method of the table (units, KM and quantiles, landmark rates, hazard
/// ratios, p-values), worded for the analysis (stratified only with strata); HTML and RTF print
/// them.
std::vector<std::string> method_notes(const ReportModel& model);

/// "6 months" / "6" for landmark labels.
std::string timepoint_text(double t);

}  // namespace hazard::report::detail
