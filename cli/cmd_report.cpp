// `hazard report`: the efficacy readout of a trial (docs/cli/report.md). Parses flags, reads the
// data once per cohort exactly as `hazard km/logrank/cox --where BY=LEVEL` do, calls the library
// (hazard::report::analyse_cohort, subgroup_forest_row, write_report) and prints where the report
// is. No math here.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "data_options.hpp"
#include "output_options.hpp"
#include "readout_analyses.hpp"
#include "hazard/adam.hpp"
#include "hazard/cox.hpp"
#include "hazard/design_file.hpp"
#include "hazard/read.hpp"
#include "hazard/digest.hpp"
#include "hazard/error.hpp"
#include "hazard/crossover.hpp"
#include "hazard/km.hpp"
#include "hazard/report.hpp"
#include "hazard/version.hpp"

namespace hazard::cli {
namespace {

struct ReportCliOptions {
  DataOptions data;
  std::string by;
  std::vector<std::string> subgroups;
  std::vector<std::string> cuts;  ///< --cut COL=VALUE
  bool subgroups_within_cohort = false;
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
  bool csv_raw = false;
  std::string design;             ///< --design FILE (hazard design --json)
  std::size_t look = 0;           ///< --look K
  std::string command;
  // readout sections (docs/cli/report.md, "Readout sections")
  std::string adae, adex, safety_group = "TRT01A";
  double ae_min_percent = 0;
  std::string adrs, response_param = "PARAMCD=BOR", dor;
  std::string adqs, qol_param = "PARAMCD=GHS", qol_rule = "first", qol_direction = "higher-better";
  double qol_mid = 10;
  // crossover section (docs/cli/report.md, "Crossover section")
  std::string switch_flag, switch_time, censor_time, progression_flag, progression_time;
};

// The name of a PARAMCD the report knows, else "".
std::string endpoint_name(const std::string& code) {
  if (code == "PFS") return "Progression-free survival";
  if (code == "OS") return "Overall survival";
  if (code == "DFS") return "Disease-free survival";
  if (code == "EFS") return "Event-free survival";
  if (code == "TTP") return "Time to progression";
  return "";
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

// The readout sections: the analyses `hazard safety`, `hazard response` and `hazard deterioration`
// make, with the report's --adsl, --group/--ref (safety: --safety-group), --by, --strata
// (response), --population (response, QoL), --conf-level, --conf-type and the --where clauses
// that are not on PARAMCD (PARAMCD picks each file's parameter: --response-param, --qol-param).
// The crossover section: `hazard crossover --method rpsftm` (and two-stage with progression) on
// the report's rows, every cohort pooled, stratified as the report.
std::optional<report::CrossoverSection> crossover(const ReportCliOptions& o) {
  const bool any = !o.switch_flag.empty() || !o.switch_time.empty() || !o.censor_time.empty() ||
                   !o.progression_flag.empty() || !o.progression_time.empty();
  if (!any) return std::nullopt;
  if (o.switch_flag.empty() || o.switch_time.empty())
    throw UsageError("the crossover section needs --switch-flag COL and --switch-time COL");
  if (o.progression_flag.empty() != o.progression_time.empty())
    throw UsageError("--progression-flag and --progression-time go together (the two-stage method)");
  if (o.data.group.empty()) throw UsageError("the crossover section needs --group (the randomized arm)");
  Roles roles = make_roles(o.data);
  SwitchRoles sr{.switch_flag = o.switch_flag, .switch_time = o.switch_time, .censor_time = o.censor_time,
                 .progression_flag = o.progression_flag, .progression_time = o.progression_time};
  std::vector<std::string> extra = {o.switch_flag, o.switch_time};
  for (const auto& c : {o.censor_time, o.progression_flag, o.progression_time})
    if (!c.empty()) extra.push_back(c);
  Table table;
  const SurvData sd = load_surv_data(o.data, roles, &table, extra);
  if (!o.data.units.empty() && !o.data.display_units.empty()) {
    const TimeUnit from = *parse_time_unit(o.data.units), to = *parse_time_unit(o.data.display_units);
    for (const auto& c : {o.switch_time, o.censor_time, o.progression_time})
      if (!c.empty()) convert_time_column(table, c, from, to);
  }
  const SwitchData data = build_switch_data(table, sd, sr);
  const bool recensor = !o.censor_time.empty();
  const RpsftmResult r = rpsftm(data, {.recensor = recensor, .conf_level = o.conf_level});
  if (!std::isfinite(r.psi))
    throw NumericalError(fmt::format("crossover section: no root of Z(psi) = 0 in [-3, 3] (Z = {:.4g} at -3, "
                                     "{:.4g} at 3); run hazard crossover with --psi-min/--psi-max",
                                     r.grid_z.front(), r.grid_z.back()));
  for (const auto& w : r.warnings) fmt::print(stderr, "hazard: warning: crossover: {}\n", printable(w));
  std::optional<TwoStageResult> ts;
  if (!o.progression_flag.empty()) {
    ts = two_stage(data, {.recensor = recensor, .conf_level = o.conf_level});
    for (const auto& w : ts->warnings) fmt::print(stderr, "hazard: warning: crossover (two-stage): {}\n", printable(w));
  }
  return report::crossover_section(data, r, ts, sd.group_name, sd.group_levels, o.switch_flag, o.switch_time,
                                   recensor ? "column " + o.censor_time : "", analysis_units(o.data));
}

report::Readout readout(const ReportCliOptions& o) {
  report::Readout out;
  if (o.adae.empty() && o.adrs.empty() && o.adqs.empty()) {
    if (!o.adex.empty()) throw UsageError("--adex needs --adae (the safety section)");
    if (!o.dor.empty()) throw UsageError("--dor needs --adrs (the response section)");
    return out;
  }
  ReadoutOptions base;
  base.data.adsl = o.data.adsl;
  base.data.group = o.data.group;
  base.data.encoding = o.data.encoding;
  base.data.population = o.data.population;
  const std::string ref = ref_for(o.data, o.data.group);
  if (!ref.empty()) base.data.ref = {ref};
  base.by = o.by;
  for (const auto& w : o.data.where)
    if (parse_where(w).column != "PARAMCD") base.data.where.push_back(w);
  if (!o.adae.empty()) {
    SafetyRequest q;
    q.in = base;
    q.in.data.data = o.adae;
    q.in.data.group = o.safety_group;
    q.in.data.population.clear();  // the safety population: SAFFL = Y
    q.adex = o.adex;
    q.options = {.conf_level = o.conf_level, .min_percent = o.ae_min_percent};
    if (!(o.ae_min_percent >= 0 && o.ae_min_percent <= 100))
      throw UsageError("--ae-min-percent must be between 0 and 100");
    const SafetyRun r = run_safety(q);
    out.safety = report::safety_section(r.population, r.ae, r.result, r.population_flag);
  } else if (!o.adex.empty()) {
    throw UsageError("--adex needs --adae (the safety section)");
  }
  const ConfType conf_type = parse_conf_type(o.conf_type);
  if (!o.adrs.empty()) {
    ResponseRequest q;
    q.in = base;
    q.in.data.data = o.adrs;
    q.in.data.strata = o.data.strata;
    if (!o.response_param.empty()) {
      parse_clause(o.response_param, "--response-param");
      q.in.data.where.push_back(o.response_param);
    }
    q.options = {.conf_level = o.conf_level};
    q.adtte = o.dor;
    q.conf_type = conf_type;
    const ResponseRun r = run_response(q);
    out.response = report::response_section(r.data, r.result, r.dor, o.response_param);
  } else if (!o.dor.empty()) {
    throw UsageError("--dor needs --adrs (the response section)");
  }
  if (!o.adqs.empty()) {
    if (!(o.qol_mid > 0))
      throw UsageError("--qol-mid must be a number > 0 (the minimal important difference, in points)");
    QolRequest q;
    q.in = base;
    q.in.data.data = o.adqs;
    q.in.data.strata = o.data.strata;  // carried to the derived rows only
    q.param = o.qol_param;
    q.options.mid = o.qol_mid;
    q.options.rule = o.qol_rule == "confirmed"    ? DeteriorationRule::confirmed
                     : o.qol_rule == "definitive" ? DeteriorationRule::definitive
                                                  : DeteriorationRule::first;
    q.options.higher_is_worse = o.qol_direction == "higher-worse";
    // the derived times in the report's units when they are a unit of time, else days
    std::string units = "days";
    if (const auto u = parse_time_unit(analysis_units(o.data))) {
      q.options.days_per_unit = days_per(*u);
      units = time_unit_name(*u);
    }
    q.km = {.conf_type = conf_type, .conf_level = o.conf_level};
    const QolRun r = run_deterioration(q);
    out.qol = report::qol_section(r.data, r.result, r.analyses, o.qol_param, units);
  }
  return out;
}

void run(ReportCliOptions o) {
  if (o.out.empty()) throw UsageError("--out DIR is required");
  // Text drawn into the report (HTML, RTF, figures) must be text: refused before anything is read
  // or written, rather than failing after part of the output.
  for (const auto& [flag, value] : {std::pair{"--title", &o.title}, {"--endpoint", &o.endpoint},
                                    {"--notice", &o.notice}})
    if (!is_utf8(*value))
      throw UsageError(fmt::format("{} '{}': not UTF-8 text (give the text in UTF-8)", flag, printable(*value)));
  // --design/--look: read and checked before the data, so that a bad design fails at once.
  if (o.design.empty() != (o.look == 0))
    throw UsageError(o.design.empty() ? "--look needs --design FILE (the design as hazard design --json writes it)"
                                      : "--design needs --look K (the look this report's data are)");
  std::optional<SavedDesign> design;
  std::string design_bytes;
  if (!o.design.empty()) {
    if (o.design == "-" && (o.data.data == "-" || o.data.adsl == "-"))
      throw UsageError("--design - and --data/--adsl -: standard input holds one file");
    design_bytes = read_bytes(o.design);
    design = parse_design_json(design_bytes, input_name(o.design));
    if (o.look > design->boundaries.info.size())
      throw UsageError(fmt::format("--look {}: the design {} has {} look{}: expected 1 to {}", o.look, o.design,
                                   design->boundaries.info.size(), design->boundaries.info.size() == 1 ? "" : "s",
                                   design->boundaries.info.size()));
  }
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
  // The file is read once (with the strata columns); each cohort and subgroup is then built from
  // the table as `hazard km/cox/logrank --where ...` would build it. Two views of each: every
  // randomized patient (N, KM, unstratified HR: the --strata columns are not roles, so a missing
  // stratification factor drops nobody) and the patients with every stratification factor (the
  // stratified Cox model and log-rank tests).
  const Roles roles = make_roles(o.data);
  Roles descriptive = roles;
  descriptive.strata.clear();
  for (const auto& s : o.data.strata) extra.push_back(s);
  Table table;
  // All rows: errors in the data as a whole (missing --ref level, bad columns) are errors.
  load_surv_data(o.data, roles, &table, extra);
  // --cut COL=VALUE: a numeric subgroup column as two levels, <VALUE and >=VALUE.
  for (const auto& cut : o.cuts) {
    const auto eq = cut.find('=');
    const std::string col = eq == std::string::npos ? cut : cut.substr(0, eq);
    if (std::find(o.subgroups.begin(), o.subgroups.end(), col) == o.subgroups.end())
      throw UsageError(fmt::format("--cut {}: {} is not a --subgroups column", cut, col));
    double value = 0;
    const std::string v = eq == std::string::npos ? "" : cut.substr(eq + 1);
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(value))
      throw UsageError(fmt::format("--cut {}: expected COL=NUMBER, e.g. --cut AGE=65", cut));
    report::cut_column(table, col, value);
  }
  const SurvData all = build_surv_data(table, descriptive);
  for (const auto& var : o.subgroups) report::check_subgroup_column(table, all, var);
  if (o.subgroups_within_cohort && o.by.empty())
    throw UsageError(
        "--subgroups-within-cohort needs --by (the cohorts to compute the subgroups in)");

  report::ReportModel m;
  std::string code;
  for (const auto& w : o.data.where)
    if (w.rfind("PARAMCD=", 0) == 0) code = w.substr(8);
  m.endpoint_code = code.empty() ? "TTE" : code;
  // Labels follow the endpoint when it is named (--endpoint, or a PARAMCD the report knows):
  // "Progression-free survival (%)" on the axis, "PFS rate at 12 months"; else neutral wording.
  const std::string known = endpoint_name(code);
  if (!o.endpoint.empty()) {
    m.endpoint = o.endpoint;
    m.rate_name = o.endpoint;
    m.y_label = o.endpoint + " (%)";
  } else if (!known.empty()) {
    m.endpoint = known;
    m.rate_name = code;
    m.y_label = known + " (%)";
  } else {
    m.endpoint = code.empty() ? "Time to event" : code;
  }
  m.conf_level = o.conf_level;
  m.strata = o.data.strata;
  m.title = o.title.empty() ? m.endpoint : o.title;
  m.notice = o.notice;
  m.units = analysis_units(o.data);
  if (!all.time_label.empty()) m.time_label = all.time_label;
  m.csv_raw = o.csv_raw;
  m.by = o.by;
  m.landmark_times = o.times;
  m.methods = report::describe_methods(ao, o.data.strata);
  m.km_options.x_step = o.x_step;
  m.km_options.events_censored = o.kmunicate;

  // One cohort: the rows of `extra_where` (plus the command's own filters), as km/cox/logrank
  // would read them with the same --where; data problems of the cohort go into its messages.
  auto with_where = [](Roles r, const std::vector<WhereClause>& extra_where) {
    for (const auto& w : extra_where) r.where.push_back(w);
    // a cohort or subgroup is a subset: the level limit's half-the-rows rule applies to all the
    // rows, and a small cohort may legitimately have few rows per stratum
    if (!extra_where.empty()) r.level_limit.half_rows = false;
    return r;
  };
  auto subset = [&](const std::vector<WhereClause>& extra_where) {
    return build_surv_data(table, with_where(descriptive, extra_where));
  };
  auto cohort = [&](const std::string& name, const std::vector<WhereClause>& extra_where) {
    try {
      const SurvData d = subset(extra_where);
      if (o.data.strata.empty()) return report::analyse_cohort(d, name, ao);
      const SurvData s = build_surv_data(table, with_where(roles, extra_where));
      return report::analyse_cohort(d, name, ao, &s);
    } catch (const DataError& e) {
      // A cohort without the control arm: its other arm is still described (KM), without a comparison.
      if (std::string(e.what()).find("reference group has no rows") != std::string::npos) {
        try {
          Roles r = with_where(descriptive, extra_where);
          r.ref.clear();
          report::CohortResult c = report::analyse_cohort(build_surv_data(table, r), name, ao);
          c.comparisons.clear();
          c.global = {};
          c.control.clear();
          c.note = "no " + ref_for(o.data, o.data.group) + " arm: no comparison";
          c.messages.insert(c.messages.begin(),
                            fmt::format("no patients in the reference arm {}", ref_for(o.data, o.data.group)));
          return c;
        } catch (const DataError&) {
        }
      }
      report::CohortResult c;
      c.name = name;
      c.note = "not analysable";
      c.messages.push_back(fmt::format("not analysable: {}", e.what()));
      return c;
    }
  };

  if (!o.by.empty())
    for (const auto& level : levels_in(table, all, o.by))
      m.cohorts.push_back(cohort(level, {WhereClause{.column = o.by, .value = level}}));
  if (o.by.empty() || !o.no_overall) m.cohorts.push_back(cohort("Overall", {}));

  if (design) {
    if (all.group_levels.size() > 2)
      throw UsageError(fmt::format("--design: the design compares two arms, and {} has {} levels; select two "
                                   "with --where",
                                   o.data.group, all.group_levels.size()));
    m.after_stop = report::after_stop_analysis(
        m, {.design = *design, .design_file = input_name(o.design), .look = o.look,
            .last_is_pooled = !o.by.empty() && !o.no_overall});
  }
  m.forest = report::cohort_forest_rows(m);
  // Subgroup blocks: all cohorts pooled, or within each cohort (--subgroups-within-cohort).
  auto blocks = [&](const SurvData& d, const std::string& cohort_name) {
    for (const auto& var : o.subgroups) {
      const std::string heading =
          cohort_name.empty() ? var : fmt::format("{} ({}={})", var, o.by, cohort_name);
      for (auto& row : report::subgroup_block(d, table, var, heading, ao)) {
        row.cohort = cohort_name;
        m.forest.push_back(std::move(row));
      }
    }
  };
  if (o.subgroups_within_cohort) {
    for (const auto& level : levels_in(table, all, o.by)) {
      try {
        blocks(subset({WhereClause{.column = o.by, .value = level}}), level);
      } catch (const DataError& e) {
        m.forest.push_back({.label = fmt::format("{}={}", o.by, level),
                            .heading = true,
                            .note = "not analysable",
                            .cohort = level});
      }
    }
  } else {
    blocks(all, "");
  }

  // Footnotes: every method and choice not in m.methods.
  if (!o.data.strata.empty()) {
    m.footnotes.push_back(fmt::format("Strata (stratified Cox model and log-rank test): {}.",
                                      fmt::join(o.data.strata, ", ")));
    double excluded = 0;
    for (const auto& c : m.cohorts)
      if (c.name == "Overall" || o.by.empty()) excluded = c.n_excluded_stratified;
    if (excluded > 0)
      m.footnotes.push_back(
          fmt::format("N is every randomized patient: {} with a missing stratification factor are "
                      "in N, the Kaplan–Meier "
                      "estimates and the unstratified hazard ratios, but not in the stratified Cox "
                      "model and log-rank tests "
                      "(row \"Not in the stratified analyses\").",
                      excluded));
  }
  if (all.group_levels.size() > 2) {
    std::vector<std::string> others(all.group_levels.begin() + 1, all.group_levels.end());
    m.footnotes.push_back(
        fmt::format("{} arms: each of {} against {} (reference). Hazard ratios from one Cox model "
                    "with an indicator per "
                    "non-reference arm (as R coxph(Surv ~ arm{})); ties: {}. Log-rank p per arm "
                    "from the rows of that arm and "
                    "the reference (as survdiff on the two-arm subset); the all-arms p is the "
                    "{}-group log-rank test "
                    "(survdiff on all arms).",
                    all.group_levels.size(), fmt::join(others, ", "), all.group_levels[0],
                    o.data.strata.empty() ? "" : " + strata(...)", report::ties_text(ao.ties),
                    all.group_levels.size()));
  } else {
    m.footnotes.push_back(fmt::format(
        "Cox ties: {}; hazard ratio = {} vs {} (reference).", report::ties_text(ao.ties),
        all.group_levels.size() > 1 ? all.group_levels[1] : "-", all.group_levels[0]));
  }
  m.footnotes.push_back(fmt::format(
      "One-sided p-value: {}log-rank z, alternative hazard ratio < 1 (experimental better).",
      o.data.strata.empty() ? "" : "stratified "));
  if (!o.subgroups.empty()) {
    m.footnotes.push_back(
        fmt::format("Subgroup hazard ratios ({}) are from unstratified Cox models within each "
                    "subgroup level, {}.",
                    fmt::join(o.subgroups, ", "),
                    o.subgroups_within_cohort ? "within each cohort" : "all cohorts pooled"));
    m.footnotes.push_back(
        "Interaction p: likelihood-ratio test of the treatment-by-subgroup interaction, Cox model "
        "with arm, "
        "subgroup and their interaction against arm and subgroup alone (as R anova(coxph(Surv ~ "
        "arm + sub), "
        "coxph(Surv ~ arm * sub))), unstratified, patients with a known subgroup value.");
    for (const auto& cut : o.cuts)
      m.footnotes.push_back(fmt::format("Subgroup cut: {} (levels below and at or above).", cut));
  }
  if (!o.by.empty() && !o.no_overall)
    m.footnotes.push_back(fmt::format("Overall: all levels of {} pooled{}.", o.by,
                                      o.data.strata.empty() ? "" : ", stratified as above"));
  if (!o.data.where.empty())
    m.footnotes.push_back(fmt::format("Rows analysed: {}; {}.", fmt::join(o.data.where, " and "), exclusions_text(all)));
  else
    m.footnotes.push_back(fmt::format("Rows analysed: {}.", exclusions_text(all)));

  m.readout = readout(o);
  m.readout.crossover = crossover(o);
  for (const std::string& p : {o.data.data, o.data.adsl, o.adae, o.adex, o.adrs, o.dor, o.adqs}) {
    if (p.empty()) continue;
    if (auto bytes = stream_bytes(o.data, p))  // standard input or a pipe: the bytes that were read
      m.inputs.push_back({.path = input_name(p), .sha256 = sha256_hex(*bytes), .bytes = bytes->size()});
    else
      m.inputs.push_back({.path = p, .sha256 = sha256_file(p),
                          .bytes = static_cast<std::uint64_t>(std::filesystem::file_size(p))});
  }
  if (design)
    m.inputs.push_back({.path = input_name(o.design), .sha256 = sha256_hex(design_bytes), .bytes = design_bytes.size()});
  m.software = version_text();
  m.created = now_utc();
  m.command = o.command;
  for (const auto& f : m.inputs) m.footnotes.push_back(fmt::format("Input {}: SHA-256 {}.", f.path, f.sha256));
  m.footnotes.push_back(fmt::format("Software: hazard {}; created {}.", version(), m.created));

  const auto written = report::write_report(m, o.out);
  for (const auto& c : m.cohorts)
    for (const auto& msg : c.messages) fmt::print(stderr, "hazard: note: {}: {}\n", printable(c.name), printable(msg));
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
  cmd->add_option("--subgroups", o->subgroups,
                  "Subgroup columns COL[,COL] for the forest plot (categorical)")
      ->delimiter(',');
  cmd->add_option(
         "--cut", o->cuts,
         "COL=VALUE: a numeric --subgroups column as two levels, <VALUE and >=VALUE (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--subgroups-within-cohort", o->subgroups_within_cohort,
                "Subgroup hazard ratios within each cohort of --by (default: all cohorts pooled)");
  cmd->add_option("--times", o->times, "Landmark times t1,t2,...: event-free rates with CIs")->delimiter(',');
  cmd->add_option("--conf-type", o->conf_type, "KM confidence interval type: log-log (default), log or plain")
      ->check(CLI::IsMember({"log-log", "log", "plain"}));
  cmd->add_option("--conf-level", o->conf_level, "Confidence level of every interval (default 0.95)");
  cmd->add_option("--ties", o->ties, "Cox ties: efron (default, as R), breslow (as SAS) or exact");
  cmd->add_option("--out", o->out, "Directory to write the report into (created)")->required();
  add_csv_raw_flag(cmd, o->csv_raw);
  cmd->add_option("--title", o->title, "Report title (default: the endpoint)");
  cmd->add_option("--endpoint", o->endpoint, "Endpoint name (default from --where PARAMCD=: PFS, OS, ...)");
  cmd->add_option("--notice", o->notice, "Notice shown on every output, e.g. \"SIMULATED DATA - not trial data\"");
  cmd->add_option("--design", o->design,
                  "Group-sequential design as JSON (hazard design --json > FILE): with --look, the "
                  "stage-wise p-value, median-unbiased HR, final CI and repeated p-value/CI next to the "
                  "naive estimates");
  cmd->add_option("--look", o->look, "With --design: the look (1..K) of the design this report's data are")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--no-overall", o->no_overall, "With --by: no pooled \"Overall\" analysis");
  cmd->add_flag("--kmunicate", o->kmunicate, "KM figures: events and censored under the number at risk");
  cmd->add_option("--x-step", o->x_step, "KM figures: x-axis tick spacing (default automatic: 3, 6, 12, ...)");
  cmd->add_option("--adae", o->adae,
                  "Safety section: ADAE file (with --adsl: the safety population SAFFL = Y)");
  cmd->add_option("--adex", o->adex,
                  "Safety section: ADEX file, exposure in days (PARAMCD = TRTDURD) for the rates "
                  "(default: ADSL TRTSDT/TRTEDT)");
  cmd->add_option("--safety-group", o->safety_group,
                  "Safety section: arm column (default TRT01A, the actual treatment)");
  cmd->add_option("--ae-min-percent", o->ae_min_percent,
                  "Safety section: SOC/PT table terms with at least this percentage in some arm "
                  "(default 0: all)");
  cmd->add_option("--adrs", o->adrs, "Response section: ADRS file (best overall response)");
  cmd->add_option("--response-param", o->response_param,
                  "Response section: the rows of ADRS analysed, COL=VALUE (default PARAMCD=BOR)");
  cmd->add_option("--dor", o->dor,
                  "Response section: ADTTE-shaped file with the duration of response (PARAMCD = "
                  "DOR)");
  cmd->add_option("--switch-flag", o->switch_flag,
                  "Crossover section: column flagging control patients who switched (Y/N); with --switch-time");
  cmd->add_option("--switch-time", o->switch_time, "Crossover section: column of the switch time (units of --time)");
  cmd->add_option("--censor-time", o->censor_time,
                  "Crossover section: administrative censoring time column (re-censoring; off without it)");
  cmd->add_option("--progression-flag", o->progression_flag,
                  "Crossover section: progression flag column (adds the simple two-stage method)");
  cmd->add_option("--progression-time", o->progression_time, "Crossover section: progression time column");
  cmd->add_option("--adqs", o->adqs, "Quality-of-life section: ADQS file");
  cmd->add_option("--qol-param", o->qol_param,
                  "Quality-of-life section: the score, COL=VALUE (default PARAMCD=GHS)");
  cmd->add_option("--qol-mid", o->qol_mid,
                  "Quality-of-life section: minimal important difference in points (default 10)");
  cmd->add_option("--qol-rule", o->qol_rule,
                  "Quality-of-life section: first (default), confirmed or definitive deterioration")
      ->check(CLI::IsMember({"first", "confirmed", "definitive"}));
  cmd->add_option("--qol-direction", o->qol_direction,
                  "Quality-of-life section: higher-better (default) or higher-worse")
      ->check(CLI::IsMember({"higher-better", "higher-worse"}));
  cmd->callback([o, cmd]() {
    ReportCliOptions opts = *o;
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
