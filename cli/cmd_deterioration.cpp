// `hazard deterioration`: time to (confirmed or definitive) deterioration of a patient-reported
// score from an ADaM ADQS data set, one derived ADTTE-like row per subject (--out ttd.csv, for km,
// logrank and cox), with the rule stated and the Kaplan–Meier medians per arm
// (docs/cli/deterioration.md). Parses flags, reads the data, calls the library, prints; no math.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hazard/adam.hpp"
#include "hazard/csv.hpp"
#include "hazard/output.hpp"
#include "hazard/deterioration.hpp"
#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "readout_analyses.hpp"

namespace hazard::cli {

namespace {

struct DeteriorationCliOptions {
  ReadoutOptions in;
  std::string param;  ///< COL=VALUE
  double mid = 0;
  bool confirmed = false;
  bool definitive = false;
  std::string direction = "higher-better";
  std::string value = "AVAL";
  std::string time = "ADY";
  std::string baseline_flag = "ABLFL";
  double origin = 1;
  std::string units = "days";
  std::string out;
  std::string conf_type = "log-log";
  double conf_level = 0.95;
  bool json = false;
  bool csv = false;
};

using json = nlohmann::ordered_json;

double days_per_unit(const std::string& u) {
  if (u == "days") return 1;
  if (u == "weeks") return 7;
  if (u == "months") return days_per(TimeUnit::months);
  if (u == "years") return days_per(TimeUnit::years);
  throw UsageError(fmt::format("--units {}: expected days, weeks, months or years", u));
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

struct Names {
  std::string paramcd, param, unit;
};

Names names(const DeteriorationCliOptions& o, const DeteriorationOptions& d) {
  const std::string code = o.param.empty() ? std::string() : o.param.substr(o.param.find('=') + 1);
  const char* prefix = d.rule == DeteriorationRule::first       ? "TTD"
                       : d.rule == DeteriorationRule::confirmed ? "TTCD"
                                                                : "TUDD";
  Names n;
  n.paramcd = (std::string(prefix) + code).substr(0, 8);
  const char* what = d.rule == DeteriorationRule::first       ? "Time to deterioration"
                     : d.rule == DeteriorationRule::confirmed ? "Time to confirmed deterioration"
                                                              : "Time to definitive deterioration";
  n.unit = upper(o.units);
  n.param =
      fmt::format("{}{}{} (MID {:g}) ({})", what, code.empty() ? "" : " of ", code, d.mid, o.units);
  return n;
}

std::string csv_num(double x) { return std::isfinite(x) ? fmt::format("{}", x) : ""; }

std::string rows_csv(const QolData& q, const DeteriorationResult& r, const Names& n) {
  const bool study =
      std::any_of(q.study.begin(), q.study.end(), [](const std::string& s) { return !s.empty(); });
  std::vector<std::string> head;
  if (study) head.push_back("STUDYID");
  head.push_back("USUBJID");
  head.push_back(q.group_name);
  if (!q.by_name.empty()) head.push_back(q.by_name);
  for (const auto& c : q.carry_names) head.push_back(c);
  for (const char* c : {"PARAMCD", "PARAM", "AVAL", "AVALU", "CNSR", "EVNTDESC", "CNSDTDSC", "ADY",
                        "BASE", "AVALSCR", "CHG", "NASSESS"})
    head.push_back(c);
  std::string out;
  auto line = [&out](const std::vector<std::string>& fields) {
    for (std::size_t k = 0; k < fields.size(); ++k) {
      if (k) out.push_back(',');
      out.append(csv_text(fields[k]));
    }
    out.push_back('\n');
  };
  line(head);
  for (const TtdRow& row : r.rows) {
    const std::size_t s = row.subject;
    std::vector<std::string> f;
    if (study) f.push_back(q.study[s]);
    f.push_back(q.subject[s]);
    f.push_back(q.group_levels[static_cast<std::size_t>(q.group[s])]);
    if (!q.by_name.empty()) f.push_back(q.by_levels[static_cast<std::size_t>(q.by[s])]);
    for (const auto& v : q.carried[s]) f.push_back(v);
    f.push_back(n.paramcd);
    f.push_back(n.param);
    f.push_back(csv_num(ttd_aval(row, r.options)));
    f.push_back(n.unit);
    f.push_back(row.event ? "0" : "1");
    f.push_back(row.event ? row.description : std::string());
    f.push_back(row.event ? std::string() : row.description);
    f.push_back(csv_num(row.time));
    f.push_back(csv_num(row.base));
    f.push_back(csv_num(row.value));
    f.push_back(csv_num(row.change));
    f.push_back(fmt::format("{}", row.n_assessments));
    line(f);
  }
  return out;
}

json to_json(const QolData& q, const DeteriorationResult& r, const std::vector<TtdAnalysis>& km,
             const Names& n, const DeteriorationCliOptions& o) {
  json out;
  out["n"] = q.size();
  out["n_read"] = q.n_read;
  out["n_filtered"] = q.n_filtered;
  out["n_without_record"] = q.n_without_record;
  out["excluded"] = json::parse(exclusions_json(q.excluded).dump());
  out["skipped"] = {{"missing_value", q.n_missing_value},
                    {"missing_time", q.n_missing_time},
                    {"not_after_baseline", r.n_not_after_baseline}};
  out["censored_at_origin"] = {{"no_baseline", r.no_baseline}, {"no_post_baseline", r.no_post}};
  out["param"] = o.param.empty() ? json(nullptr) : json(o.param);
  out["paramcd"] = n.paramcd;
  out["mid"] = r.options.mid;
  out["rule"] = rule_name(r.options.rule);
  out["direction"] = r.options.higher_is_worse ? "higher-worse" : "higher-better";
  out["rule_text"] = r.rule_text;
  out["time_column"] = o.time;
  out["origin"] = r.options.origin;
  out["units"] = o.units;
  out["group_column"] = q.group_name;
  out["reference"] = q.group_levels.front();
  out["by"] = q.by_name.empty() ? json(nullptr) : json(q.by_name);
  out["out"] = o.out.empty() ? json(nullptr) : json(o.out);
  out["km_method"] = fmt::format(
      "Kaplan-Meier per arm of AVAL ({}), event CNSR = 0; median with {:g}% {} CI, as R "
      "survfit",
      o.units, o.conf_level * 100, o.conf_type);
  json analyses = json::array();
  for (const auto& a : km) {
    json arms = json::array();
    for (std::size_t k = 0; k < a.n.size(); ++k) {
      json med = {{"estimate", nullptr}, {"lower", nullptr}, {"upper", nullptr}};
      if (a.km_group[k] >= 0) {
        const auto& g = a.km.groups[static_cast<std::size_t>(a.km_group[k])];
        med = {{"estimate", num(g.median.estimate)},
               {"lower", num(g.median.lower)},
               {"upper", num(g.median.upper)}};
      }
      arms.push_back(
          {{"group", q.group_levels[k]}, {"n", a.n[k]}, {"events", a.events[k]}, {"median", med}});
    }
    analyses.push_back({{"label", a.label}, {"arms", arms}});
  }
  out["analyses"] = analyses;
  json rows = json::array();
  for (const auto& row : r.rows)
    rows.push_back({{"USUBJID", q.subject[row.subject]},
                    {"group", q.group_levels[static_cast<std::size_t>(q.group[row.subject])]},
                    {"AVAL", num(ttd_aval(row, r.options))},
                    {"CNSR", row.event ? 0 : 1},
                    {"description", row.description},
                    {"time", num(row.time)},
                    {"BASE", num(row.base)},
                    {"value", num(row.value)},
                    {"CHG", num(row.change)},
                    {"n_assessments", row.n_assessments}});
  out["rows"] = rows;
  return out;
}

std::string t_(double x) { return std::isfinite(x) ? fmt::format("{:.4g}", x) : "NE"; }

void print_text(const QolData& q, const DeteriorationResult& r, const std::vector<TtdAnalysis>& km,
                const Names& n, const DeteriorationCliOptions& o) {
  fmt::print("hazard deterioration: {}{}\n", q.source,
             o.param.empty() ? "" : fmt::format(" ({})", o.param));
  fmt::print("rows read: {}, removed by --where/--param: {}; subjects: {}", q.n_read, q.n_filtered,
             q.size());
  if (q.n_without_record) fmt::print(" ({} from ADSL without a questionnaire)", q.n_without_record);
  if (q.excluded.count) fmt::print(", excluded: {}", q.excluded.count);
  fmt::print(
      "\nskipped assessments: {} without a score, {} without a time, {} not after the baseline\n",
      q.n_missing_value, q.n_missing_time, r.n_not_after_baseline);
  fmt::print("Rule ({}): {}\n", n.paramcd, r.rule_text);
  fmt::print(
      "censored at the origin: {} without a baseline, {} without a post-baseline assessment\n",
      r.no_baseline, r.no_post);
  if (!o.out.empty()) fmt::print("derived rows (AVAL in {}, CNSR): {}\n", o.units, o.out);
  for (const auto& a : km) {
    fmt::print("\n== {} ==\n", a.label);
    fmt::print("{:<20} {:>5} {:>7}  median {} ({:g}% CI, {})\n", q.group_name, "N", "events",
               o.units, o.conf_level * 100, o.conf_type);
    for (std::size_t k = 0; k < a.n.size(); ++k) {
      double est = std::nan(""), lo = est, hi = est;
      if (a.km_group[k] >= 0) {
        const auto& g = a.km.groups[static_cast<std::size_t>(a.km_group[k])];
        est = g.median.estimate, lo = g.median.lower, hi = g.median.upper;
      }
      fmt::print("{:<20} {:>5} {:>7}  {} ({}, {})\n", q.group_levels[k], a.n[k], a.events[k],
                 t_(est), t_(lo), t_(hi));
    }
  }
}

void run(const DeteriorationCliOptions& o) {
  if (o.json && o.csv) throw UsageError("give at most one of --json, --csv");
  if (o.confirmed && o.definitive)
    throw UsageError("give either --confirmed or --definitive, not both");
  if (!(o.mid > 0))
    throw UsageError("--mid must be a number > 0 (the minimal important difference, in points)");
  if (!(o.conf_level > 0 && o.conf_level < 1)) throw UsageError("--conf-level must be in (0, 1)");
  DeteriorationOptions d;
  d.mid = o.mid;
  d.rule = o.confirmed    ? DeteriorationRule::confirmed
           : o.definitive ? DeteriorationRule::definitive
                          : DeteriorationRule::first;
  if (o.direction != "higher-better" && o.direction != "higher-worse")
    throw UsageError(
        fmt::format("--direction {}: expected higher-better or higher-worse", o.direction));
  d.higher_is_worse = o.direction == "higher-worse";
  d.origin = o.origin;
  d.days_per_unit = days_per_unit(o.units);
  const KmOptions km{.conf_type = parse_conf_type(o.conf_type), .conf_level = o.conf_level};

  const QolRun run = run_deterioration({.in = o.in,
                                        .param = o.param,
                                        .value = o.value,
                                        .time = o.time,
                                        .baseline_flag = o.baseline_flag,
                                        .options = d,
                                        .km = km});
  const QolData& q = run.data;
  const DeteriorationResult& r = run.result;
  const std::vector<TtdAnalysis>& analyses = run.analyses;
  const Names n = names(o, d);
  if (!o.out.empty()) write_text_file(o.out, rows_csv(q, r, n));
  if (o.json)
    std::cout << to_json(q, r, analyses, n, o).dump(2) << "\n";
  else if (o.csv)
    std::cout << rows_csv(q, r, n);
  else
    print_text(q, r, analyses, n, o);
}

}  // namespace

void register_deterioration(CLI::App& app) {
  auto o = std::make_shared<DeteriorationCliOptions>();
  CLI::App* cmd =
      app.add_subcommand("deterioration",
                         "Time to (confirmed or definitive) deterioration of a patient-reported "
                         "score from ADQS: one ADTTE-like row per "
                         "subject (--out) and KM medians per arm (docs/cli/deterioration.md)");
  add_readout_options(cmd, o->in, /*group_required=*/true);
  cmd->add_option("--param", o->param, "The parameter, COL=VALUE (e.g. PARAMCD=GHS)");
  cmd->add_option(
         "--mid", o->mid,
         "Minimal important difference in points (e.g. 10): a deterioration is a worsening "
         "of at least MID from baseline")
      ->required();
  cmd->add_flag("--confirmed", o->confirmed, "Deterioration confirmed at the next assessment");
  cmd->add_flag("--definitive", o->definitive,
                "Definitive deterioration: no later assessment better than MID");
  cmd->add_option("--direction", o->direction,
                  "higher-better (default: functional scales, global health status) or "
                  "higher-worse (symptom scales)")
      ->check(CLI::IsMember({"higher-better", "higher-worse"}));
  cmd->add_option("--value", o->value, "Score column (default AVAL)");
  cmd->add_option("--time", o->time,
                  "Assessment time column, in days with day 1 = the origin (default ADY)");
  cmd->add_option("--baseline-flag", o->baseline_flag, "Baseline record flag, Y (default ABLFL)");
  cmd->add_option("--origin", o->origin,
                  "The origin on the --time scale (default 1: ADY's day of randomization)");
  cmd->add_option("--units", o->units,
                  "Units of AVAL in the output: days (default), weeks, months, years")
      ->check(CLI::IsMember({"days", "weeks", "months", "years"}));
  cmd->add_option("--out", o->out,
                  "Write the derived rows (one per subject, AVAL/CNSR) to this CSV file");
  cmd->add_option("--conf-type", o->conf_type, "KM median CI: log-log (default), log or plain")
      ->check(CLI::IsMember({"log-log", "log", "plain"}));
  cmd->add_option("--conf-level", o->conf_level, "Confidence level (default 0.95)");
  cmd->add_flag("--json", o->json, "Print one JSON document (summary and the derived rows)");
  cmd->add_flag("--csv", o->csv, "Print the derived rows as CSV");
  cmd->callback([o]() { run(*o); });
}

}  // namespace hazard::cli
