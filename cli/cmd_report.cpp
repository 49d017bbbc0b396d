// `hazard report`: the efficacy readout of a trial (docs/cli/report.md). Parses flags, reads the
// data once per cohort exactly as `hazard km/logrank/cox --where BY=LEVEL` do, calls the library
// (hazard::report::analyse_cohort, subgroup_forest_row, write_report) and prints where the report
// is. No math here.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "data_options.hpp"
#include "hazard/cox.hpp"
#include "hazard/digest.hpp"
#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "hazard/report.hpp"
#include "hazard/version.hpp"

namespace hazard::cli {
namespace {

struct ReportCliOptions {
  DataOptions data;
  std::string by;
  std::vector<std::string> subgroups;
  std::vector<double> times;
  std::string conf_type = "log-log";
  double conf_level = 0.95;
  std::string ties = "efron";
  std::string out;
  std::string title;
  std::string endpoint;
  std::string notice;
  bool no_overall = false;
  bool kmunicate = false;
  double x_step = 0;
  std::string units_label;  ///< the --units text when it labels (not derives) the time
  std::string command;
};

std::string endpoint_name(const std::string& code) {
  if (code == "PFS") return "Progression-free survival";
  if (code == "OS") return "Overall survival";
  if (code == "DFS") return "Disease-free survival";
  if (code == "EFS") return "Event-free survival";
  if (code == "TTP") return "Time to progression";
  return code.empty() ? "Time to event" : code;
}

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  // Reproducible reports: SOURCE_DATE_EPOCH fixes the date, as for the PDF figures.
  if (const char* e = std::getenv("SOURCE_DATE_EPOCH")) t = static_cast<std::time_t>(std::atoll(e));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The roles of one cohort (a subset of the rows): the level limit's half-the-rows rule was checked
// on all the rows, and a small cohort may legitimately have few rows per stratum.
Roles cohort_roles(const DataOptions& d) {
  Roles r = make_roles(d);
  r.level_limit.half_rows = false;
  return r;
}

// The distinct values of `column` among the analysed rows, in the column's sorted level order.
std::vector<std::string> levels_in(const Table& table, const SurvData& d, const std::string& column) {
  const Factor f = make_factor(table.at(column));
  std::vector<bool> seen(f.levels.size(), false);
  for (std::size_t r : d.row)
    if (f.codes[r] >= 0) seen[static_cast<std::size_t>(f.codes[r])] = true;
  std::vector<std::string> out;
  for (std::size_t k = 0; k < f.levels.size(); ++k)
    if (seen[k]) out.push_back(f.levels[k]);
  return out;
}

void run(ReportCliOptions o) {
  if (o.out.empty()) throw UsageError("--out DIR is required");
  report::AnalysisOptions ao;
  ao.km.conf_type = parse_conf_type(o.conf_type);
  ao.km.conf_level = o.conf_level;
  ao.km.times = o.times;
  check_km_options(ao.km);
  if (o.ties == "efron") ao.ties = Ties::efron;
  else if (o.ties == "breslow") ao.ties = Ties::breslow;
  else if (o.ties == "exact" || o.ties == "discrete") ao.ties = Ties::exact;
  else throw UsageError(fmt::format("--ties {}: expected efron, breslow or exact", o.ties));

  std::vector<std::string> extra;
  if (!o.by.empty()) extra.push_back(o.by);
  for (const auto& s : o.subgroups) extra.push_back(s);
  const Roles roles = make_roles(o.data);
  Table table;
  // All rows: errors in the data as a whole (missing --ref level, bad columns) are errors.
  const SurvData all = load_surv_data(o.data, roles, &table, extra);

  report::ReportModel m;
  std::string code;
  for (const auto& w : o.data.where)
    if (w.rfind("PARAMCD=", 0) == 0) code = w.substr(8);
  m.endpoint_code = code.empty() ? "TTE" : code;
  m.endpoint = o.endpoint.empty() ? endpoint_name(code) : o.endpoint;
  m.title = o.title.empty() ? m.endpoint : o.title;
  m.notice = o.notice;
  m.units = o.units_label;
  m.by = o.by;
  m.landmark_times = o.times;
  m.methods = report::describe_methods(ao, o.data.strata);
  m.km_options.x_label = fmt::format("Time ({})", m.units);
  m.km_options.units = m.units;
  m.km_options.x_step = o.x_step;
  m.km_options.events_censored = o.kmunicate;
  m.km_options.y_label = fmt::format("{} (%)", m.endpoint);

  // One cohort: the rows of `extra_where` (plus the command's own filters), read as km/cox/logrank
  // would read them with the same --where; data problems of the cohort go into its messages.
  auto subset = [&](const std::vector<std::string>& extra_where) {
    DataOptions d = o.data;
    for (const auto& w : extra_where) d.where.push_back(w);
    return load_surv_data(d, cohort_roles(d));
  };
  auto cohort = [&](const std::string& name, const std::vector<std::string>& extra_where) {
    try {
      const SurvData d = extra_where.empty() ? all : subset(extra_where);
      return report::analyse_cohort(d, name, ao);
    } catch (const DataError& e) {
      // A cohort without the control arm: its other arm is still described (KM), without a comparison.
      if (std::string(e.what()).find("reference group has no rows") != std::string::npos) {
        try {
          DataOptions d = o.data;
          for (const auto& w : extra_where) d.where.push_back(w);
          d.ref.clear();
          report::CohortResult c = report::analyse_cohort(load_surv_data(d, cohort_roles(d)), name, ao);
          c.comparison.note = "no " + ref_for(o.data, o.data.group) + " arm: no comparison";
          c.messages.insert(c.messages.begin(),
                            fmt::format("no patients in the reference arm {}", ref_for(o.data, o.data.group)));
          return c;
        } catch (const DataError&) {
        }
      }
      report::CohortResult c;
      c.name = name;
      c.comparison.note = "not analysable";
      c.messages.push_back(fmt::format("not analysable: {}", e.what()));
      return c;
    }
  };

  if (!o.by.empty())
    for (const auto& level : levels_in(table, all, o.by))
      m.cohorts.push_back(cohort(level, {o.by + "=" + level}));
  if (o.by.empty() || !o.no_overall) m.cohorts.push_back(cohort("Overall", {}));

  m.forest = report::cohort_forest_rows(m);
  for (const auto& var : o.subgroups) {
    m.forest.push_back({.label = var, .heading = true});
    for (const auto& level : levels_in(table, all, var)) {
      try {
        m.forest.push_back(report::subgroup_forest_row(subset({var + "=" + level}), level, 1, ao));
      } catch (const DataError& e) {
        m.forest.push_back({.label = level, .indent = 1, .note = "not analysable"});
      }
    }
  }

  // Footnotes: every method and choice not in m.methods.
  if (!o.data.strata.empty())
    m.footnotes.push_back(fmt::format("Strata (stratified Cox model and log-rank test): {}.",
                                      fmt::join(o.data.strata, ", ")));
  else
    m.footnotes.push_back("No --strata given: the \"stratified\" hazard ratio and log-rank test are unstratified.");
  m.footnotes.push_back(fmt::format("Cox ties: {}; hazard ratio = {} vs {} (reference).", report::ties_text(ao.ties),
                                    all.group_levels.size() > 1 ? all.group_levels[1] : "-", all.group_levels[0]));
  m.footnotes.push_back("One-sided p-value: stratified log-rank z, alternative hazard ratio < 1 (experimental better).");
  if (!o.subgroups.empty())
    m.footnotes.push_back(fmt::format("Subgroup hazard ratios ({}) are from unstratified Cox models within each "
                                      "subgroup level, all cohorts pooled.",
                                      fmt::join(o.subgroups, ", ")));
  if (!o.by.empty() && !o.no_overall)
    m.footnotes.push_back(fmt::format("Overall: all levels of {} pooled, stratified as above.", o.by));
  if (!o.data.where.empty())
    m.footnotes.push_back(fmt::format("Rows analysed: {}; {}.", fmt::join(o.data.where, " and "), exclusions_text(all)));
  else
    m.footnotes.push_back(fmt::format("Rows analysed: {}.", exclusions_text(all)));

  for (const std::string& p : {o.data.data, o.data.adsl}) {
    if (p.empty()) continue;
    m.inputs.push_back({.path = p, .sha256 = sha256_file(p),
                        .bytes = static_cast<std::uint64_t>(std::filesystem::file_size(p))});
  }
  m.software = version_text();
  m.created = now_utc();
  m.command = o.command;
  for (const auto& f : m.inputs) m.footnotes.push_back(fmt::format("Input {}: SHA-256 {}.", f.path, f.sha256));
  m.footnotes.push_back(fmt::format("Software: hazard {}; created {}.", version(), m.created));

  const auto written = report::write_report(m, o.out);
  for (const auto& c : m.cohorts)
    for (const auto& msg : c.messages) fmt::print(stderr, "hazard: note: {}: {}\n", c.name, msg);
  fmt::print("hazard report: {} files written to {}\n", written.size(), o.out);
  fmt::print("  open {}\n", (std::filesystem::path(o.out) / "report.html").string());
}

}  // namespace

void register_report(CLI::App& app) {
  auto o = std::make_shared<ReportCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Efficacy report per cohort: KM tables and figures, stratified Cox HR and log-rank, "
                "forest plot; HTML, RTF, SVG/PNG/PDF, results.json/csv (docs/cli/report.md)");
  add_data_options(cmd, o->data, /*group_required=*/true);
  cmd->add_option("--by", o->by, "Cohort column: one analysis per level (and overall)");
  cmd->add_option("--subgroups", o->subgroups, "Subgroup columns COL[,COL] for the forest plot")->delimiter(',');
  cmd->add_option("--times", o->times, "Landmark times t1,t2,...: event-free rates with CIs")->delimiter(',');
  cmd->add_option("--conf-type", o->conf_type, "KM confidence interval type: log-log (default), log or plain")
      ->check(CLI::IsMember({"log-log", "log", "plain"}));
  cmd->add_option("--conf-level", o->conf_level, "Confidence level of every interval (default 0.95)");
  cmd->add_option("--ties", o->ties, "Cox ties: efron (default, as R), breslow (as SAS) or exact");
  cmd->add_option("--out", o->out, "Directory to write the report into (created)")->required();
  cmd->add_option("--title", o->title, "Report title (default: the endpoint)");
  cmd->add_option("--endpoint", o->endpoint, "Endpoint name (default from --where PARAMCD=: PFS, OS, ...)");
  cmd->add_option("--notice", o->notice, "Notice shown on every output, e.g. \"SIMULATED DATA - not trial data\"");
  cmd->add_flag("--no-overall", o->no_overall, "With --by: no pooled \"Overall\" analysis");
  cmd->add_flag("--kmunicate", o->kmunicate, "KM figures: events and censored under the number at risk");
  cmd->add_option("--x-step", o->x_step, "KM figures: x-axis tick spacing (default automatic: 3, 6, 12, ...)");
  cmd->callback([o, cmd]() {
    ReportCliOptions opts = *o;
    // --units is the data layer's flag (it converts the time derived by --time-from/--time-to);
    // without --time-from it only labels the report's time, so it is taken out of the data options.
    if (opts.data.time_from.empty()) {
      opts.units_label = cmd->count("--units") > 0 ? opts.data.units : "months";
      opts.data.units = "days";
    } else {
      opts.units_label = opts.data.units;
    }
    std::string line = "hazard report";
    for (const CLI::Option* opt : cmd->get_options()) {
      if (opt->count() == 0 || opt->get_name() == "--help") continue;
      const auto& res = opt->results();
      if (res.empty() || !opt->get_expected_min()) {
        line += " " + opt->get_name();
        continue;
      }
      for (const auto& v : res)
        line += " " + opt->get_name() + " " + (v.find_first_of(" \"'") == std::string::npos ? v : "\"" + v + "\"");
    }
    opts.command = line;
    run(std::move(opts));
  });
}

}  // namespace hazard::cli
