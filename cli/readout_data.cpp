#include "readout_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "hazard/adam.hpp"
#include "hazard/error.hpp"
#include "hazard/output.hpp"
#include "hazard/read.hpp"

namespace hazard::cli {

void add_readout_options(CLI::App* cmd, ReadoutOptions& o, bool group_required) {
  DataOptions& d = o.data;
  cmd->add_option(
         "--data", d.data,
         "Input data file: CSV, SAS transport (.xpt, v5/v8), SAS data set (.sas7bdat) or CDISC "
         "Dataset-JSON (.json/.ndjson); the format is recognised from the content")
      ->required();
  auto* g = cmd->add_option("--group", d.group, "Column with the arm (treatment group)");
  if (group_required) g->required();
  cmd->add_option("--ref", d.ref, "Reference (control) level of --group")->allow_extra_args(false);
  cmd->add_option("--strata", d.strata, "Stratification column(s), comma-separated")
      ->delimiter(',');
  cmd->add_option("--where", d.where,
                  "Keep rows where the clause holds: COL=VALUE, COL!=VALUE, COL<VALUE, COL<=VALUE, "
                  "COL>VALUE, COL>=VALUE (numeric columns) or 'COL in V1,V2,...'; repeatable, all "
                  "must hold")
      ->allow_extra_args(false);
  cmd->add_option(
      "--adsl", d.adsl,
      "Subject-level data set (ADSL) joined on STUDYID and USUBJID: columns not in --data "
      "(arm, strata, population flags) are taken from it");
  cmd->add_option(
      "--population", d.population,
      "Population flag column (e.g. ITTFL, SAFFL): keep subjects where it equals \"Y\"");
  cmd->add_option("--by", o.by,
                  "Cohort column: one analysis per level, then all subjects (\"Overall\")");
  cmd->add_option(
         "--encoding", d.encoding,
         "Text encoding of CSV files and SAS transport text: utf8 (default) or latin1 (ISO 8859-1)")
      ->check(CLI::IsMember({"utf8", "latin1"}));
}

WhereClause parse_clause(const std::string& text, const char* flag) {
  const auto p = text.find('=');
  if (p == std::string::npos || p == 0)
    throw UsageError(fmt::format("{} {}: expected COL=VALUE", flag, text));
  return {text.substr(0, p), text.substr(p + 1)};
}

std::vector<WhereClause> where_clauses(const DataOptions& o) {
  std::vector<WhereClause> out;
  // the shared --where grammar of every command (=, !=, <, <=, >, >=, in; docs/cli/data.md)
  for (const auto& w : o.where) out.push_back(parse_where(w));
  if (!o.population.empty()) out.push_back({o.population, "Y"});
  return out;
}

namespace {
void add(std::vector<std::string>& v, const std::string& c) {
  if (!c.empty() && std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
}
}  // namespace

ReadoutInput read_readout(const ReadoutOptions& o, const std::vector<std::string>& required,
                          const std::vector<std::string>& optional,
                          const std::vector<std::string>& subject_columns,
                          const std::vector<std::string>& adsl_columns,
                          const std::vector<WhereClause>& where) {
  ReadoutInput in;
  std::vector<std::string> wanted = subject_columns;  // may come from ADSL
  for (const auto& w : where) add(wanted, w.column);
  if (o.data.adsl.empty()) {
    ReadOptions ro = read_options(o.data, required);
    for (const auto& c : wanted) add(ro.columns, c);
    for (const auto& c : optional) add(ro.optional_columns, c);
    for (const auto& c : {"USUBJID", "STUDYID"})
      if (std::find(ro.columns.begin(), ro.columns.end(), c) == ro.columns.end())
        add(ro.optional_columns, c);
    in.records = read_data(o.data.data, ro);
    in.keep = where_mask(in.records, where);
    return in;
  }
  ReadOptions ro = read_options(o.data, required);
  add(ro.columns, "USUBJID");
  for (const auto& c : optional) add(ro.optional_columns, c);
  for (const auto& c : wanted) add(ro.optional_columns, c);
  add(ro.optional_columns, "STUDYID");
  Table data = read_data(o.data.data, ro);
  std::vector<std::string> missing;
  for (const auto& c : wanted)
    if (!data.find(c)) missing.push_back(c);
  ReadOptions so = read_options(o.data, missing);
  add(so.columns, "USUBJID");
  for (const auto& c : wanted) add(so.optional_columns, c);
  for (const auto& c : adsl_columns) add(so.optional_columns, c);
  add(so.optional_columns, "STUDYID");
  Table adsl = read_data(o.data.adsl, so);
  in.records = join_subject_level(data, adsl, missing);
  in.keep = where_mask(in.records, where);
  std::vector<WhereClause> on_adsl;
  for (const auto& w : where)
    if (adsl.find(w.column)) on_adsl.push_back(w);
  in.adsl_keep = where_mask(adsl, on_adsl);
  in.adsl = std::move(adsl);
  return in;
}

void write_text_file(const std::string& path, const std::string& text) {
  // atomic: a temporary in the target's folder, renamed when complete (output.hpp)
  OutputFile f(path);
  f.write(text);
  f.commit();
}

}  // namespace hazard::cli
