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
                  "Dataset-JSON (.json/.ndjson); the format is recognised from the content. '-' reads "
                  "standard input; a pipe or FIFO is read once, to its end")
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
  cmd->add_option("--where", o.where,
                  "Keep rows where the clause holds: COL=VALUE, COL!=VALUE, COL<VALUE, COL<=VALUE, "
                  "COL>VALUE, COL>=VALUE (numeric columns) or 'COL in V1,V2,...'; repeatable, all must hold")
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
  cmd->add_option(
         "--units", o.units,
         "Units of the time column (days, weeks, months or years; default: not stated, shown as "
         "\"Time\"); of the derived time with --time-from/--time-to (default days)")
      ->check(CLI::IsMember({"days", "weeks", "months", "years"}));
  cmd->add_option(
         "--display-units", o.display_units,
         "Convert the time from --units to days, weeks (7 days), months (30.4375 days) or years "
         "(365.25 days) before the analysis: times, medians, landmarks in these units")
      ->check(CLI::IsMember({"days", "weeks", "months", "years"}));
  cmd->add_option("--encoding", o.encoding,
                  "Text encoding of CSV files and SAS transport text: utf8 (default) or latin1 (ISO 8859-1)")
      ->check(CLI::IsMember({"utf8", "latin1"}));
  cmd->add_option("--max-levels", o.max_levels,
                  "Most levels allowed in --group and each --strata column (default: 1000, and no more than "
                  "half the analysed rows when above 10); a guard against a subject identifier given by mistake");
}

std::string byte_size(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.3g} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.3g} MB", bytes / 1e6);
  return fmt::format("{:.3g} kB", bytes / 1e3);
}

std::string derived_time_name(const DataOptions& o) { return o.time_to + "-" + o.time_from; }

std::string units_text(const DataOptions& o) {
  const std::string to = analysis_units(o);
  if (to.empty()) return {};
  const std::string from = o.time_from.empty() ? o.units : std::string("days");
  if (from.empty() || from == to) return "times in " + to;
  const TimeUnit f = *parse_time_unit(from), t = *parse_time_unit(to);
  const TimeUnit per =
      days_per(f) > days_per(t) ? f : t;  // "30.4375 days a month", "7 days a week"
  const std::string singular =
      std::string(time_unit_name(per)).substr(0, std::string(time_unit_name(per)).size() - 1);
  std::string how = (f == TimeUnit::days || t == TimeUnit::days)
                        ? fmt::format("{:g} days a {}", days_per(per), singular)
                        : fmt::format("{:g} and {:g} days", days_per(f), days_per(t));
  return fmt::format("times in {} (converted from {}: {})", to, from, how);
}

std::string analysis_units(const DataOptions& o) {
  if (!o.display_units.empty()) return o.display_units;
  if (!o.units.empty()) return o.units;
  return o.time_from.empty() ? std::string() : std::string("days");
}

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
  if (!o.units.empty() && !parse_time_unit(o.units))
    throw UsageError(fmt::format("--units {}: expected days, weeks, months or years", o.units));
  if (!o.display_units.empty() && !parse_time_unit(o.display_units))
    throw UsageError(
        fmt::format("--display-units {}: expected days, weeks, months or years", o.display_units));
  if (!o.display_units.empty() && o.units.empty() && o.time_from.empty())
    throw UsageError(
        fmt::format("--display-units {} converts from the units of the time column: state them "
                    "with --units (e.g. --units days --display-units {})",
                    o.display_units, o.display_units));
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
  for (const auto& w : o.where) r.where.push_back(parse_where(w));
  if (!o.population.empty()) r.where.push_back({o.population, "Y"});
  r.weights = o.weights;
  if (o.max_levels) {
    if (*o.max_levels < 1)
      throw UsageError(fmt::format("--max-levels {}: expected a whole number >= 1", *o.max_levels));
    r.level_limit = {.max_levels = static_cast<std::size_t>(*o.max_levels), .half_rows = false};
  }
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

std::shared_ptr<const std::string> stream_bytes(const DataOptions& o, const std::string& path) {
  if (!is_stream(path)) return nullptr;
  auto& kept = o.streams->bytes[path];
  if (!kept) kept = std::make_shared<const std::string>(read_bytes(path));
  return kept;
}

Table read_input(const DataOptions& o, const std::string& path, const ReadOptions& ro) {
  if (auto bytes = stream_bytes(o, path)) return parse_data(*bytes, input_name(path), ro);
  return read_data(path, ro);
}
namespace {
Table load_table_unguarded(const DataOptions& o, const Roles& roles, const std::vector<std::string>& extra_columns);
}  // namespace

SurvData load_surv_data(const DataOptions& o, const Roles& roles, Table* table_out,
                        const std::vector<std::string>& extra_columns) {
  return within_memory(
      [&] {
        return fmt::format("reading {}{}: the data set is too large for the memory available", o.data,
                           o.adsl.empty() ? "" : " and " + o.adsl);
      },
      [&] {
        Table table = load_table_unguarded(o, roles, extra_columns);
        // a table the caller does not keep gives its time column to the SurvData (no copy)
        SurvData data = table_out ? build_surv_data(table, roles) : build_surv_data(std::move(table), roles);
        for (const auto& w : data.warnings) fmt::print(stderr, "hazard: warning: {}\n", printable(w));
        if (table_out) *table_out = std::move(table);
        return data;
      });
}

Table load_table(const DataOptions& o, const Roles& roles, const std::vector<std::string>& extra_columns) {
  return within_memory(
      [&] {
        return fmt::format("reading {}{}: the data set is too large for the memory available", o.data,
                           o.adsl.empty() ? "" : " and " + o.adsl);
      },
      [&] { return load_table_unguarded(o, roles, extra_columns); });
}

namespace {
Table load_table_unguarded(const DataOptions& o, const Roles& roles, const std::vector<std::string>& extra_columns) {
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

  if (o.data == "-" && o.adsl == "-")
    throw UsageError("--data - and --adsl -: standard input holds one file; give the other by name");
  Table table;
  if (!o.adsl.empty()) {
    ReadOptions ro = read_options(o, {});
    ro.optional_columns = cols;
    for (const auto& c : ids) add(ro.optional_columns, c);
    Table adtte = read_input(o, o.data, ro);
    std::vector<std::string> missing;
    for (const auto& c : cols)
      if (!adtte.find(c)) missing.push_back(c);
    ReadOptions so = read_options(o, missing);
    add(so.columns, "USUBJID");
    so.optional_columns = {"STUDYID"};
    Table adsl = read_input(o, o.adsl, so);
    table = join_subject_level(adtte, adsl, missing);
  } else {
    ReadOptions ro = read_options(o, cols);
    ro.optional_columns = {"USUBJID", "PARAMCD"};
    table = read_input(o, o.data, ro);
  }
  if (derive) {
    const TimeUnit unit = parse_time_unit(analysis_units(o)).value_or(TimeUnit::days);
    derive_time(table, {.from = o.time_from, .to = o.time_to, .unit = unit, .name = roles.time});
  } else if (!o.display_units.empty() && !o.units.empty()) {
    // --units states the time column's unit; --display-units converts (the same for --start).
    const TimeUnit from = *parse_time_unit(o.units), to = *parse_time_unit(o.display_units);
    convert_time_column(table, roles.time, from, to);
    if (!roles.start.empty()) convert_time_column(table, roles.start, from, to);
  }
  // ADaM data: one row per subject and parameter among the rows analysed (counting-process data
  // with --start legitimately has several).
  if (roles.start.empty() && table.find("USUBJID") && (!o.adsl.empty() || table.find("PARAMCD")))
    check_one_row_per_subject(table, where_mask(table, roles.where), "USUBJID",
                              table.find("PARAMCD") ? "PARAMCD" : "");
  return table;
}
}  // namespace

nlohmann::json exclusions_json(const Exclusions& excluded) {
  nlohmann::json reasons = nlohmann::json::object();
  for (const auto& [reason, count] : excluded.reasons) reasons[reason] = count;
  return {{"count", excluded.count}, {"reasons", reasons}};
}

nlohmann::json num(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}

std::string exclusions_text(const SurvData& data, std::optional<std::size_t> analysed) {
  std::string out = fmt::format("rows read: {}", data.n_read);
  if (data.n_filtered) out += fmt::format(", removed by --where: {}", data.n_filtered);
  out += fmt::format(", excluded: {}", data.excluded.count);
  if (data.excluded.count) {
    std::string why;
    for (const auto& [r, c] : data.excluded.reasons) why += fmt::format("{}{}: {}", why.empty() ? "" : ", ", r, c);
    out += " (" + why + ")";
  }
  // (a Cox model's data has moved the times out: the analysed rows are then counted by data.row)
  out += fmt::format(", analysed: {}", analysed ? *analysed : data.time.empty() ? data.row.size() : data.rows());
  return out;
}

}  // namespace hazard::cli
