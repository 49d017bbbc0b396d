#include "data_options.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "hazard/adam.hpp"
#include "hazard/read.hpp"
#include "hazard/error.hpp"

namespace hazard::cli {

void add_data_options(CLI::App* cmd, DataOptions& o, bool group_required) {
  cmd->add_option("--data", o.data,
                  "Input data file: CSV, SAS transport (.xpt, v5/v8), SAS data set (.sas7bdat) or CDISC "
                  "Dataset-JSON (.json/.ndjson); the format is recognised from the content")
      ->required();
  cmd->add_option("--time", o.time,
                  "Column with the event or censoring time (or derive it with --time-from/--time-to)");
  cmd->add_option("--event", o.event,
                  "Event indicator column (1/0 or true/false), or COL=VALUE: event when COL equals VALUE");
  cmd->add_option("--cnsr", o.cnsr, "CDISC ADaM censoring column: 0 = event, positive integer = censored");
  auto* g = cmd->add_option("--group", o.group, "Column with the arm (treatment group)");
  if (group_required) g->required();
  cmd->add_option("--ref", o.ref,
                  "Reference (control) level of --group; COL=LEVEL for another categorical column")
      ->allow_extra_args(false);
  cmd->add_option("--strata", o.strata, "Stratification column(s), comma-separated")->delimiter(',');
  cmd->add_option("--where", o.where, "Keep rows where COL equals VALUE (COL=VALUE); repeatable, all must hold")
      ->allow_extra_args(false);
  cmd->add_option("--weights", o.weights, "Column with case weights (as R's weights=)");
  cmd->add_option("--adsl", o.adsl,
                  "Subject-level data set (ADSL) joined on STUDYID and USUBJID: columns not in --data "
                  "(arm, strata, population flags) are taken from it");
  cmd->add_option("--population", o.population,
                  "Population flag column (e.g. ITTFL, SAFFL): keep rows where it equals \"Y\"");
  cmd->add_option("--time-from", o.time_from,
                  "Start date column (SAS date, days since 1960-01-01): time = (--time-to - --time-from)");
  cmd->add_option("--time-to", o.time_to, "End date column (e.g. ADT) for the derived time");
  cmd->add_option("--units", o.units, "Units of the derived time: days, months (30.4375 days) or years (365.25)")
      ->check(CLI::IsMember({"days", "months", "years"}));
  cmd->add_option("--encoding", o.encoding,
                  "Text encoding of CSV files and SAS transport text: utf8 (default) or latin1 (ISO 8859-1)")
      ->check(CLI::IsMember({"utf8", "latin1"}));
}

std::string derived_time_name(const DataOptions& o) { return o.time_to + "-" + o.time_from; }

ReadOptions read_options(const DataOptions& o, std::vector<std::string> columns) {
  ReadOptions r;
  r.columns = std::move(columns);
  if (o.encoding == "latin1") r.encoding = Encoding::latin1;
  else if (o.encoding != "utf8" && !o.encoding.empty())
    throw UsageError(fmt::format("--encoding {}: expected utf8 or latin1", o.encoding));
  return r;
}

namespace {
std::pair<std::string, std::string> split_eq(const std::string& s) {
  auto p = s.find('=');
  if (p == std::string::npos) return {s, {}};
  return {s.substr(0, p), s.substr(p + 1)};
}
}  // namespace

Roles make_roles(const DataOptions& o) {
  Roles r;
  r.time = o.time;
  if (!o.time_from.empty() || !o.time_to.empty()) {
    if (o.time_from.empty() || o.time_to.empty())
      throw UsageError("--time-from and --time-to go together (the time is --time-to minus --time-from)");
    if (!o.time.empty())
      throw UsageError("give either --time or --time-from/--time-to, not both");
    r.time = derived_time_name(o);
  } else if (o.time.empty()) {
    throw UsageError("--time is required (or derive the time with --time-from and --time-to)");
  }
  if (o.units != "days" && o.units != "months" && o.units != "years")
    throw UsageError(fmt::format("--units {}: expected days, months or years", o.units));
  if (o.units != "days" && o.time_from.empty())
    throw UsageError("--units applies to the time derived with --time-from/--time-to");
  if (!o.event.empty() && !o.cnsr.empty()) throw UsageError("give either --event or --cnsr, not both");
  if (o.event.empty() && o.cnsr.empty())
    throw UsageError("the event is required: --event COL, --event COL=VALUE or --cnsr COL");
  if (!o.cnsr.empty()) {
    r.event = o.cnsr;
    r.coding = EventCoding::cnsr;
  } else if (o.event.find('=') != std::string::npos) {
    auto [col, val] = split_eq(o.event);
    if (col.empty()) throw UsageError(fmt::format("--event {}: the column name is missing", o.event));
    r.event = col;
    r.coding = EventCoding::equals;
    r.event_value = val;
  } else {
    r.event = o.event;
  }
  r.group = o.group;
  r.ref = ref_for(o, o.group);
  if (!r.ref.empty() && r.group.empty()) throw UsageError("--ref names the control arm of --group: give --group too");
  for (const auto& s : o.strata)
    if (!s.empty()) r.strata.push_back(s);
  for (const auto& w : o.where) {
    auto p = w.find('=');
    if (p == std::string::npos || p == 0)
      throw UsageError(fmt::format("--where {}: expected COL=VALUE", w));
    r.where.push_back({w.substr(0, p), w.substr(p + 1)});
  }
  if (!o.population.empty()) r.where.push_back({o.population, "Y"});
  r.weights = o.weights;
  return r;
}

std::string ref_for(const DataOptions& o, const std::string& column) {
  if (column.empty()) return {};
  std::string bare;
  for (const auto& r : o.ref) {
    auto p = r.find('=');
    if (p == std::string::npos) {
      bare = r;  // a bare LEVEL is the group's reference
    } else if (r.compare(0, p, column) == 0) {
      return r.substr(p + 1);  // COL=LEVEL
    }
  }
  return column == o.group ? bare : std::string();
}

Table read_table(const std::string& path, const std::vector<std::string>& columns) {
  return read_data(path, {.columns = columns});
}

SurvData load_surv_data(const DataOptions& o, const Roles& roles, Table* table_out,
                        const std::vector<std::string>& extra_columns) {
  Table table = load_table(o, roles, extra_columns);
  SurvData data = build_surv_data(table, roles);
  if (table_out) *table_out = std::move(table);
  return data;
}

Table load_table(const DataOptions& o, const Roles& roles, const std::vector<std::string>& extra_columns) {
  std::vector<std::string> cols = roles.columns();
  auto add = [](std::vector<std::string>& v, const std::string& c) {
    if (!c.empty() && std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
  };
  for (const auto& c : extra_columns) add(cols, c);
  const bool derive = !o.time_from.empty() && roles.time == derived_time_name(o);
  if (derive) {
    cols.erase(std::remove(cols.begin(), cols.end(), roles.time), cols.end());
    add(cols, o.time_from);
    add(cols, o.time_to);
  }
  // ADaM identifiers, read when present: for the join and the one-row-per-subject check.
  const std::vector<std::string> ids = {"STUDYID", "USUBJID", "PARAMCD"};

  Table table;
  if (!o.adsl.empty()) {
    ReadOptions ro = read_options(o, {});
    ro.optional_columns = cols;
    for (const auto& c : ids) add(ro.optional_columns, c);
    Table adtte = read_data(o.data, ro);
    std::vector<std::string> missing;
    for (const auto& c : cols)
      if (!adtte.find(c)) missing.push_back(c);
    ReadOptions so = read_options(o, missing);
    add(so.columns, "USUBJID");
    so.optional_columns = {"STUDYID"};
    Table adsl = read_data(o.adsl, so);
    table = join_subject_level(adtte, adsl, missing);
  } else {
    ReadOptions ro = read_options(o, cols);
    ro.optional_columns = {"USUBJID", "PARAMCD"};
    table = read_data(o.data, ro);
  }
  if (derive) {
    TimeUnit unit = o.units == "months" ? TimeUnit::months : o.units == "years" ? TimeUnit::years : TimeUnit::days;
    derive_time(table, {.from = o.time_from, .to = o.time_to, .unit = unit, .name = roles.time});
  }
  // ADaM data: one row per subject and parameter among the rows analysed (counting-process data
  // with --start legitimately has several).
  if (roles.start.empty() && table.find("USUBJID") && (!o.adsl.empty() || table.find("PARAMCD")))
    check_one_row_per_subject(table, where_mask(table, roles.where), "USUBJID",
                              table.find("PARAMCD") ? "PARAMCD" : "");
  return table;
}

nlohmann::json exclusions_json(const Exclusions& excluded) {
  nlohmann::json reasons = nlohmann::json::object();
  for (const auto& [reason, count] : excluded.reasons) reasons[reason] = count;
  return {{"count", excluded.count}, {"reasons", reasons}};
}

nlohmann::json num(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}

std::string exclusions_text(const SurvData& data) {
  std::string out = fmt::format("rows read: {}", data.n_read);
  if (data.n_filtered) out += fmt::format(", removed by --where: {}", data.n_filtered);
  out += fmt::format(", excluded: {}", data.excluded.count);
  if (data.excluded.count) {
    std::string why;
    for (const auto& [r, c] : data.excluded.reasons) why += fmt::format("{}{}: {}", why.empty() ? "" : ", ", r, c);
    out += " (" + why + ")";
  }
  out += fmt::format(", analysed: {}", data.size());
  return out;
}

}  // namespace hazard::cli
