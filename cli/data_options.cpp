#include "data_options.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"

namespace hazard::cli {

void add_data_options(CLI::App* cmd, DataOptions& o, bool group_required) {
  cmd->add_option("--data", o.data, "Input data file (CSV)")->required();
  cmd->add_option("--time", o.time, "Column with the event or censoring time")->required();
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
  return read_csv(path, {.columns = columns});
}

SurvData load_surv_data(const DataOptions& o, const Roles& roles, Table* table_out,
                        const std::vector<std::string>& extra_columns) {
  std::vector<std::string> cols = roles.columns();
  for (const auto& c : extra_columns)
    if (!c.empty() && std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
  Table table = read_table(o.data, cols);
  SurvData data = build_surv_data(table, roles);
  if (table_out) *table_out = std::move(table);
  return data;
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
