#include "readout_analyses.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "hazard/error.hpp"
#include "hazard/read.hpp"

namespace hazard::cli {

namespace {

void add(std::vector<std::string>& v, const std::string& c) {
  if (!c.empty() && std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
}

}  // namespace

std::string readout_ref(const DataOptions& d) {
  std::string ref;
  for (const auto& r : d.ref) {
    if (r.find('=') != std::string::npos)
      throw UsageError(fmt::format("--ref {}: give the level of --group", r));
    ref = r;
  }
  return ref;
}

SafetyRun run_safety(const SafetyRequest& q) {
  const DataOptions& d = q.in.data;
  const AeColumns& ae = q.columns;
  if (d.adsl.empty())
    throw UsageError("--adsl is required: the safety population and its arms come from ADSL");
  SafetyColumns cols;
  cols.group = d.group;
  cols.by = q.in.by;
  cols.ref = readout_ref(d);
  SafetyRun run;
  run.population_flag = d.population.empty() ? "SAFFL" : d.population;
  std::vector<WhereClause> where;
  for (const auto& w : d.where) where.push_back(parse_where(w));  // the shared --where grammar

  ReadOptions so = read_options(d, {"USUBJID", d.group, run.population_flag});
  add(so.columns, q.in.by);
  so.optional_columns = {"STUDYID", q.start, q.end};
  for (const auto& w : where) add(so.optional_columns, w.column);
  const Table adsl = read_data(d.adsl, so);

  ReadOptions ao =
      read_options(d, {"USUBJID", ae.emergent, ae.soc, ae.pt, ae.grade, ae.serious, ae.action});
  ao.optional_columns = {"STUDYID", ae.outcome, ae.death};
  for (const auto& w : where) add(ao.optional_columns, w.column);
  const Table adae = read_data(d.data, ao);

  std::vector<WhereClause> on_adsl{{run.population_flag, "Y"}}, on_adae;
  for (const auto& w : where) {
    const bool s = adsl.find(w.column) != nullptr, a = adae.find(w.column) != nullptr;
    if (!s && !a)
      throw UsageError(fmt::format("--where {}: no column {} in the ADAE file nor in the ADSL file",
                                   to_string(w), w.column));
    if (s) on_adsl.push_back(w);
    if (a) on_adae.push_back(w);
  }
  run.population = safety_population(adsl, where_mask(adsl, on_adsl), cols);
  if (!q.no_rates) {
    if (!q.adex.empty()) {
      ReadOptions xo = read_options(d, {"USUBJID", "PARAMCD", "AVAL"});
      xo.optional_columns = {"STUDYID", "AVALU"};
      const Table adex = read_data(q.adex, xo);
      exposure_from_adex(run.population, adex, where_mask(adex, {{"PARAMCD", q.exposure_param}}));
    } else if (adsl.find(q.start) && adsl.find(q.end)) {
      exposure_from_dates(run.population, adsl, q.start, q.end);
    }
  }
  run.ae = ae_data(adae, where_mask(adae, on_adae), run.population, ae, adsl);
  run.result = summarize_safety(run.population, run.ae, q.options);
  return run;
}

ResponseRun run_response(const ResponseRequest& q) {
  const std::vector<WhereClause> where = where_clauses(q.in.data);
  ResponseColumns cols;
  cols.response = q.response;
  cols.group = q.in.data.group;
  cols.strata = q.in.data.strata;
  cols.by = q.in.by;
  cols.ref = readout_ref(q.in.data);
  std::vector<std::string> subject_cols = {cols.group, cols.by};
  for (const auto& s : cols.strata) subject_cols.push_back(s);
  subject_cols.erase(std::remove(subject_cols.begin(), subject_cols.end(), std::string()),
                     subject_cols.end());
  ReadoutInput in =
      read_readout(q.in, {q.response}, {"PARAMCD"}, subject_cols, subject_cols, where);
  ResponseRun run;
  run.data =
      build_response_data(in.records, in.keep, cols, in.adsl ? &*in.adsl : nullptr, in.adsl_keep);
  run.result = analyze_response(run.data, q.options);
  if (!q.adtte.empty()) {
    const Table t = read_data(
        q.adtte, read_options(q.in.data, {"USUBJID", q.dor_time, q.dor_cnsr, "PARAMCD"}));
    const std::vector<char> keep = where_mask(t, {{"PARAMCD", q.dor_param}});
    run.dor = duration_of_response(run.data, t, keep, {.time = q.dor_time, .cnsr = q.dor_cnsr},
                                   {.conf_type = q.conf_type, .conf_level = q.options.conf_level});
  }
  return run;
}

QolRun run_deterioration(const QolRequest& q) {
  std::vector<WhereClause> where = where_clauses(q.in.data);
  if (!q.param.empty()) where.push_back(parse_clause(q.param, "--param"));
  QolColumns cols;
  cols.value = q.value;
  cols.time = q.time;
  cols.baseline_flag = q.baseline_flag;
  cols.group = q.in.data.group;
  cols.by = q.in.by;
  cols.carry = q.in.data.strata;
  cols.ref = readout_ref(q.in.data);
  std::vector<std::string> subject_cols = {cols.group};
  if (!cols.by.empty()) subject_cols.push_back(cols.by);
  for (const auto& s : cols.carry) subject_cols.push_back(s);
  ReadoutInput in = read_readout(q.in, {"USUBJID", q.value, q.time, q.baseline_flag}, {},
                                 subject_cols, subject_cols, where);
  QolRun run;
  run.data =
      build_qol_data(in.records, in.keep, cols, in.adsl ? &*in.adsl : nullptr, in.adsl_keep);
  run.result = derive_deterioration(run.data, q.options);
  run.analyses = deterioration_km(run.data, run.result, q.km);
  return run;
}

}  // namespace hazard::cli
