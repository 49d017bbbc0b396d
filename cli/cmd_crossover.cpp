// hazard crossover: overall survival adjusted for treatment switching (control -> experimental):
// RPSFTM, IPCW, simple two-stage (docs/cli/crossover.md, docs/methods/crossover.md). Parses
// flags, reads the tables, builds the switching data (hazard::build_switch_data,
// build_switch_intervals), calls hazard::rpsftm / ipcw / two_stage and prints; no math here.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "data_options.hpp"
#include "hazard/adam.hpp"
#include "hazard/calendar_cut.hpp"
#include "hazard/crossover.hpp"
#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "hazard/output.hpp"
#include "hazard/version.hpp"
#include "output_options.hpp"

namespace hazard::cli {
namespace {

using ojson = nlohmann::ordered_json;

struct CrossoverCliOptions {
  DataOptions data;
  std::string method;
  std::string switch_flag, switch_time;
  std::string censor_time, cutoff_date, rand_date;
  bool no_recensor = false;
  std::vector<std::string> covariates;
  std::string test = "logrank";
  double psi_min = -3, psi_max = 3;
  int grid = 200;
  double conf_level = 0.95;
  std::string ties = "efron";
  int boot = 0;
  std::uint64_t seed = 1;
  std::vector<double> times;
  // ipcw
  std::string long_data, id = "USUBJID", interval_start, interval_end, switch_eligible;
  std::vector<std::string> tv_covariates, time_terms;
  bool unstabilised = false;
  std::vector<double> truncate;
  // two-stage
  std::string progression_flag, progression_time;
  std::vector<std::string> aft_covariates;
  double pps_offset = 0;
  bool json = false;
};

std::string f4(double x) {
  if (std::isnan(x)) return "NA";
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  return fmt::format("{:.4f}", x);
}

std::string fp(double p) {
  if (std::isnan(p)) return "NA";
  if (p < 1e-4) return fmt::format("{:.2e}", p);
  return fmt::format("{:.4f}", p);
}

ojson jnum(double x) { return std::isfinite(x) ? ojson(x) : ojson(nullptr); }

ojson jnums(const std::vector<double>& v) {
  ojson a = ojson::array();
  for (double x : v) a.push_back(jnum(x));
  return a;
}

Ties parse_ties(const std::string& s) {
  if (s == "efron") return Ties::efron;
  if (s == "breslow") return Ties::breslow;
  if (s == "exact" || s == "discrete") return Ties::exact;
  throw UsageError(fmt::format("--ties {}: expected efron, breslow or exact", s));
}

std::vector<DesignSpec> specs_of(const DataOptions& d, const std::vector<std::string>& cols) {
  std::vector<DesignSpec> out;
  for (const auto& c : cols) {
    const std::string ref = ref_for(d, c);
    out.push_back({.column = c, .ref = ref, .factor = !ref.empty()});
  }
  return out;
}

// Everything the analysis read and built, for the outputs.
struct Input {
  SurvData surv;
  SwitchData data;
  std::optional<IntervalsBuild> intervals;
  std::size_t switchers = 0, control = 0, experimental = 0;
  std::string censor_source;  // how the administrative censoring time was found
};

void check_flags(const CrossoverCliOptions& o) {
  if (o.method != "rpsftm" && o.method != "ipcw" && o.method != "two-stage")
    throw UsageError(fmt::format("--method {}: expected rpsftm, ipcw or two-stage", o.method));
  if (o.data.group.empty()) throw UsageError("--group COL (the randomized arm) is required");
  if (!o.data.weights.empty())
    throw UsageError(
        "--weights: the crossover methods weight the subjects themselves (IPCW) and take no case "
        "weights");
  if (!o.censor_time.empty() && !o.cutoff_date.empty())
    throw UsageError("give either --censor-time COL or --cutoff-date (with --rand-date), not both");
  if (!o.cutoff_date.empty() && o.rand_date.empty())
    throw UsageError(
        "--cutoff-date needs --rand-date COL (censor time = cut-off - randomization date + 1 day)");
  if (!o.rand_date.empty() && o.cutoff_date.empty())
    throw UsageError("--rand-date goes with --cutoff-date");
  if (o.test != "logrank" && o.test != "cox")
    throw UsageError(fmt::format("--test {}: expected logrank or cox", o.test));
  if (o.boot < 0 || o.boot > 100000)
    throw UsageError(fmt::format("--boot {}: expected 0 to 100000 replicates", o.boot));
  if (!(o.conf_level > 0 && o.conf_level < 1))
    throw UsageError(fmt::format("--conf-level {}: expected a level in (0, 1)", o.conf_level));
  const bool ipcw = o.method == "ipcw", ts = o.method == "two-stage", rp = o.method == "rpsftm";
  auto only = [&](bool ok, bool given, const char* flag, const char* method) {
    if (given && !ok) throw UsageError(fmt::format("{} applies to --method {} only", flag, method));
  };
  only(ipcw, !o.long_data.empty(), "--long", "ipcw");
  only(ipcw, !o.interval_start.empty() || !o.interval_end.empty(),
       "--interval-start/--interval-end", "ipcw");
  only(ipcw, !o.tv_covariates.empty(), "--tv-covariates", "ipcw");
  only(ipcw, !o.time_terms.empty(), "--time-terms", "ipcw");
  only(ipcw, !o.switch_eligible.empty(), "--switch-eligible", "ipcw");
  only(ipcw, o.unstabilised, "--unstabilised", "ipcw");
  only(ipcw, !o.truncate.empty(), "--truncate", "ipcw");
  only(ts, !o.progression_flag.empty() || !o.progression_time.empty(),
       "--progression-flag/--progression-time", "two-stage");
  only(ts, !o.aft_covariates.empty(), "--aft-covariates", "two-stage");
  only(ts, o.pps_offset != 0, "--pps-offset", "two-stage");
  only(rp, o.test != "logrank", "--test", "rpsftm");
  only(!ipcw, o.no_recensor, "--no-recensor", "rpsftm and two-stage (IPCW does not re-censor)");
  if (ipcw && (o.long_data.empty() || o.interval_start.empty() || o.interval_end.empty()))
    throw UsageError(
        "--method ipcw needs the long data: --long FILE --interval-start COL --interval-end COL");
  if (ipcw && !o.truncate.empty() && o.truncate.size() != 2)
    throw UsageError("--truncate LO,HI: two percentiles, e.g. 0.01,0.99");
  if (ts && (o.progression_flag.empty() || o.progression_time.empty()))
    throw UsageError("--method two-stage needs --progression-flag COL and --progression-time COL");
  if (!ipcw && !o.no_recensor && o.censor_time.empty() && o.cutoff_date.empty())
    throw UsageError(
        "re-censoring (on by default) needs the administrative censoring time: --censor-time COL, "
        "or --cutoff-date DATE|COL with --rand-date COL; or turn it off with --no-recensor");
  for (double t : o.times)
    if (!(t >= 0) || !std::isfinite(t))
      throw UsageError(fmt::format("--times {}: expected finite times >= 0", t));
}

Input load(const CrossoverCliOptions& o) {
  Input in;
  Roles roles = make_roles(o.data);
  roles.covariates =
      o.covariates;  // baseline covariates: a missing value excludes the row (counted)
  SwitchRoles sr;
  sr.switch_flag = o.switch_flag;
  sr.switch_time = o.switch_time;
  sr.censor_time = o.censor_time;
  sr.covariates = o.covariates;
  sr.covariate_specs = specs_of(o.data, o.covariates);
  sr.progression_flag = o.progression_flag;
  sr.progression_time = o.progression_time;
  sr.aft_specs = specs_of(o.data, o.aft_covariates);
  std::vector<std::string> extra = {o.switch_flag, o.switch_time};
  // time columns besides --time, converted as it is by --units/--display-units
  std::vector<std::string> time_cols = {o.switch_time};
  if (!o.censor_time.empty()) {
    extra.push_back(o.censor_time);
    time_cols.push_back(o.censor_time);
  }
  if (!o.cutoff_date.empty()) {
    sr.rand_date = o.rand_date;
    extra.push_back(o.rand_date);
    if (const auto d = parse_iso_date(o.cutoff_date)) {
      sr.cutoff_date = *d;
    } else {
      sr.cutoff_column = o.cutoff_date;
      extra.push_back(o.cutoff_date);
    }
    const std::string u = analysis_units(o.data);
    if (u.empty())
      throw UsageError(
          "--cutoff-date: state the unit of the times (--units days|weeks|months|years) so that "
          "the "
          "days from randomization to the cut-off can be converted");
    sr.days_per_unit = days_per(*parse_time_unit(u));
  }
  if (!o.progression_flag.empty()) {
    extra.push_back(o.progression_flag);
    extra.push_back(o.progression_time);
    time_cols.push_back(o.progression_time);
  }
  for (const auto& c : o.aft_covariates) extra.push_back(c);
  if (!o.long_data.empty()) extra.push_back(o.id);
  Table table;
  in.surv = load_surv_data(o.data, roles, &table, extra);
  if (!o.data.units.empty() && !o.data.display_units.empty()) {
    const TimeUnit from = *parse_time_unit(o.data.units),
                   to = *parse_time_unit(o.data.display_units);
    for (const auto& c : time_cols) convert_time_column(table, c, from, to);
  }
  in.censor_source = !o.censor_time.empty() ? fmt::format("column {}", o.censor_time)
                     : !o.cutoff_date.empty()
                         ? fmt::format("(cut-off {} - {} + 1 day) / {:g} days", o.cutoff_date,
                                       o.rand_date, sr.days_per_unit)
                         : std::string();
  in.data = build_switch_data(table, in.surv, sr);
  for (std::size_t i = 0; i < in.data.size(); ++i) {
    in.switchers += in.data.switched[i];
    (in.data.arm[i] == 0 ? in.control : in.experimental) += 1;
  }
  if (!o.long_data.empty()) {
    IntervalRoles ir;
    ir.id = o.id;
    ir.start = o.interval_start;
    ir.stop = o.interval_end;
    ir.covariates = specs_of(o.data, o.tv_covariates);
    ir.time_terms = specs_of(o.data, o.time_terms);
    ir.eligible = o.switch_eligible;
    std::vector<std::string> cols = {o.id, o.interval_start, o.interval_end};
    for (const auto& c : o.tv_covariates) cols.push_back(c);
    for (const auto& c : o.time_terms) cols.push_back(c);
    if (!o.switch_eligible.empty()) cols.push_back(o.switch_eligible);
    std::sort(cols.begin(), cols.end());
    cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
    Table lng = read_input(o.data, o.long_data, read_options(o.data, cols));
    if (!o.data.units.empty() && !o.data.display_units.empty()) {
      const TimeUnit from = *parse_time_unit(o.data.units),
                     to = *parse_time_unit(o.data.display_units);
      convert_time_column(lng, o.interval_start, from, to);
      convert_time_column(lng, o.interval_end, from, to);
    }
    if (!table.find(o.id))
      throw DataError(
          {.file = table.source, .column = o.id},
          fmt::format("the subject identifier {} (--id) is needed to match the long data", o.id));
    in.intervals = build_switch_intervals(lng, ir, table, in.surv, o.id, in.data);
  }
  return in;
}

// ---- shared output pieces --------------------------------------------------------------------

ojson hr_json(const AdjustedHr& h) {
  return {{"log_hr", jnum(h.log_hr)}, {"se", jnum(h.se)},       {"robust", h.robust},
          {"hr", jnum(h.hr)},         {"lower", jnum(h.lower)}, {"upper", jnum(h.upper)},
          {"z", jnum(h.z)},           {"p", jnum(h.p)}};
}

ojson curve_json(const KmCurve& c) {
  return {{"time", jnums(c.time)}, {"n_risk", jnums(c.n_risk)}, {"n_event", jnums(c.n_event)},
          {"surv", jnums(c.surv)}, {"lower", jnums(c.lower)},   {"upper", jnums(c.upper)}};
}

ojson boot_json(const std::optional<BootstrapSummary>& b, bool with_psi) {
  if (!b) return nullptr;
  ojson j = {
      {"replicates", b->replicates},
      {"failed", b->failed},
      {"seed", b->seed},
      {"method", "percentile (R quantile type 7); subjects resampled within arm; Philox4x64-10"},
      {"hr_lower", jnum(b->hr_lower)},
      {"hr_upper", jnum(b->hr_upper)},
      {"sd_log_hr", jnum(b->sd_log_hr)}};
  if (with_psi) {
    j["psi_lower"] = jnum(b->psi_lower);
    j["psi_upper"] = jnum(b->psi_upper);
  }
  return j;
}

std::vector<double> landmark_times(const CrossoverCliOptions& o, const SwitchData& d) {
  if (!o.times.empty()) return o.times;
  double tmax = 0;
  for (double t : d.time) tmax = std::max(tmax, t);
  std::vector<double> out;
  for (double f : {0.25, 0.5, 0.75}) {
    const double t = tmax * f;
    const double mag = std::pow(10.0, std::floor(std::log10(t > 0 ? t : 1.0)));
    out.push_back(std::round(t / mag * 2) / 2 * mag);  // a round number near the fraction
  }
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ojson landmarks_json(const KmCurve& c, const std::vector<double>& times) {
  ojson a = ojson::array();
  for (double t : times) {
    const KmLandmark l = km_landmark(c, t);
    a.push_back({{"time", t},
                 {"n_risk", l.n_risk},
                 {"surv", jnum(l.surv)},
                 {"lower", jnum(l.lower)},
                 {"upper", jnum(l.upper)}});
  }
  return a;
}

ojson median_json(const KmCurve& c) {
  const KmQuantile q = km_quantile(c, 0.5);
  return {{"estimate", jnum(q.estimate)}, {"lower", jnum(q.lower)}, {"upper", jnum(q.upper)}};
}

ojson common_json(const CrossoverCliOptions& o, const Input& in) {
  ojson j;
  j["command"] = "crossover";
  j["hazard_version"] = version();
  j["method"] = o.method;
  j["data"] = o.data.data;
  j["n_read"] = in.surv.n_read;
  j["n_filtered"] = in.surv.n_filtered;
  j["n"] = in.data.size();
  j["excluded"] = exclusions_json(in.surv.excluded);
  j["time_units"] = analysis_units(o.data).empty() ? ojson(nullptr) : ojson(analysis_units(o.data));
  j["arms"] = {{"control", in.surv.group_levels[0]}, {"experimental", in.surv.group_levels[1]}};
  j["n_control"] = in.control;
  j["n_experimental"] = in.experimental;
  j["switchers"] = in.switchers;
  j["switch_flag"] = o.switch_flag;
  j["switch_time"] = o.switch_time;
  j["strata"] = in.surv.strata_levels;
  j["covariates"] = in.data.names;
  j["conf_level"] = o.conf_level;
  j["ties"] = o.ties;
  return j;
}

void print_header(const CrossoverCliOptions& o, const Input& in, const char* title) {
  fmt::print("{} (hazard {})\n", title, version());
  fmt::print("  data: {}  ({})\n", printable(o.data.data), exclusions_text(in.surv));
  if (!units_text(o.data).empty()) fmt::print("  {}\n", units_text(o.data));
  fmt::print(
      "  arms: control {} (n = {}), experimental {} (n = {}); {} control patients switched ({}, "
      "{})\n",
      printable(in.surv.group_levels[0]), in.control, printable(in.surv.group_levels[1]),
      in.experimental, in.switchers, printable(o.switch_flag), printable(o.switch_time));
  if (!in.surv.strata_levels.empty()) fmt::print("  strata: {}\n", in.surv.strata_levels.size());
  if (!in.data.names.empty()) {
    std::string s;
    for (const auto& n : in.data.names) s += (s.empty() ? "" : ", ") + printable(n);
    fmt::print("  baseline covariates: {}\n", s);
  }
}

void print_hr(const CrossoverCliOptions& o, const AdjustedHr& h, const char* label) {
  const int pct = static_cast<int>(std::lround(o.conf_level * 100));
  fmt::print("  {}: HR {} ({}% CI {} to {}{}), p = {}\n", label, f4(h.hr), pct, f4(h.lower),
             f4(h.upper), h.robust ? ", robust SE" : "", fp(h.p));
}

void print_boot(const CrossoverCliOptions& o, const std::optional<BootstrapSummary>& b, bool psi) {
  if (!b) return;
  const int pct = static_cast<int>(std::lround(o.conf_level * 100));
  fmt::print("  bootstrap ({} replicates, seed {}, {} failed; percentile): HR {}% CI {} to {}",
             b->replicates, b->seed, b->failed, pct, f4(b->hr_lower), f4(b->hr_upper));
  if (psi) fmt::print("; psi {}% CI {} to {}", pct, f4(b->psi_lower), f4(b->psi_upper));
  fmt::print("\n");
}

void print_curves(const std::vector<double>& times, const KmCurve& control, const KmCurve& exper,
                  const Input& in, const std::string& control_label) {
  fmt::print("\nSurvival (Kaplan-Meier, log-log CI): {} vs observed {}\n", control_label,
             printable(in.surv.group_levels[1]));
  fmt::print("  {:>10} {:>26} {:>26}\n", "time", "counterfactual control", "experimental");
  for (double t : times) {
    const KmLandmark a = km_landmark(control, t), b = km_landmark(exper, t);
    fmt::print("  {:>10g} {:>8} ({:>7}, {:>7}) {:>8} ({:>7}, {:>7})\n", t, f4(a.surv), f4(a.lower),
               f4(a.upper), f4(b.surv), f4(b.lower), f4(b.upper));
  }
  const KmQuantile mc = km_quantile(control, 0.5), me = km_quantile(exper, 0.5);
  fmt::print("  {:>10} {:>8} ({:>7}, {:>7}) {:>8} ({:>7}, {:>7})\n", "median", f4(mc.estimate),
             f4(mc.lower), f4(mc.upper), f4(me.estimate), f4(me.lower), f4(me.upper));
}

void print_warnings(const std::vector<std::string>& w) {
  for (const auto& s : w) fmt::print(stderr, "hazard: warning: {}\n", printable(s));
}

// ---- the three methods -----------------------------------------------------------------------

void run_rpsftm(const CrossoverCliOptions& o, const Input& in) {
  RpsftmOptions ro{.test = o.test == "cox" ? GTest::cox : GTest::logrank,
                   .recensor = !o.no_recensor,
                   .psi_min = o.psi_min,
                   .psi_max = o.psi_max,
                   .grid = o.grid,
                   .conf_level = o.conf_level,
                   .ties = parse_ties(o.ties),
                   .boot = {.replicates = o.boot, .seed = o.seed}};
  const RpsftmResult r = rpsftm(in.data, ro);
  print_warnings(r.warnings);
  if (!std::isfinite(r.psi))
    throw NumericalError(
        fmt::format("no root of Z(psi) = 0 in [{}, {}] (Z = {:.4g} at {}, {:.4g} at {}): widen "
                    "--psi-min/--psi-max",
                    o.psi_min, o.psi_max, r.grid_z.front(), o.psi_min, r.grid_z.back(), o.psi_max));
  const auto times = landmark_times(o, in.data);
  const std::string test =
      o.test == "cox" ? "Wald z of the arm in coxph(U ~ arm + covariates + strata), ties " + o.ties
                      : "log-rank (O - E)/sqrt(V) of the experimental arm (survdiff)";
  if (o.json) {
    ojson j = common_json(o, in);
    j["test"] = o.test;
    j["test_method"] = test + (in.surv.strata_levels.empty() ? "" : ", stratified");
    j["recensor"] = ro.recensor;
    j["censor_time"] = in.censor_source.empty() ? ojson(nullptr) : ojson(in.censor_source);
    j["psi"] = jnum(r.psi);
    j["psi_lower"] = jnum(r.lower);
    j["psi_upper"] = jnum(r.upper);
    j["psi_ci_method"] =
        "test inversion: the roots of Z(psi) = +z and -z, z = qnorm(1 - (1 - conf_level)/2)";
    j["psi_roots"] = jnums(r.psi_roots);
    j["psi_evaluated"] = jnum(r.psi_evaluated);
    j["acceleration_factor"] = jnum(std::exp(-r.psi));
    j["search"] = {{"psi_min", o.psi_min},
                   {"psi_max", o.psi_max},
                   {"grid", o.grid},
                   {"tol", ro.tol},
                   {"monotone", r.monotone}};
    j["z_itt"] = jnum(r.z_itt);
    j["z_grid"] = {{"psi", jnums(r.grid_psi)}, {"z", jnums(r.grid_z)}};
    ojson h = hr_json(r.hr);
    h["method"] =
        "coxph(Surv(t*, d*) ~ arm + covariates + strata): observed experimental times vs "
        "counterfactual "
        "control times at psi; Wald CI from the model SE (ignores the uncertainty in psi)";
    h["lower_itt"] = jnum(r.hr_lower_itt);
    h["upper_itt"] = jnum(r.hr_upper_itt);
    h["itt_ci_method"] = "SE = |log HR / Z(0)|: keeps the intention-to-treat test's p-value";
    j["hr"] = h;
    j["bootstrap"] = boot_json(r.boot, true);
    std::size_t ev = 0, cens = 0;
    for (std::size_t i = 0; i < in.data.size(); ++i)
      if (in.data.arm[i] == 0) {
        ev += r.unswitched.status[i];
        cens += in.data.status[i] && !r.unswitched.status[i];
      }
    j["counterfactual_control"] = {{"events", ev},
                                   {"events_recensored", cens},
                                   {"median", median_json(r.control_km)},
                                   {"landmarks", landmarks_json(r.control_km, times)},
                                   {"curve", curve_json(r.control_km)}};
    j["experimental"] = {{"median", median_json(r.experimental_km)},
                         {"landmarks", landmarks_json(r.experimental_km, times)},
                         {"curve", curve_json(r.experimental_km)}};
    j["warnings"] = r.warnings;
    fmt::print("{}\n", json_text(nlohmann::json(j)));
    return;
  }
  print_header(o, in, "Rank-preserving structural failure time model (RPSFTM, g-estimation)");
  fmt::print("  counterfactual untreated time U = T_off + exp(psi) T_on; test: {}{}\n", test,
             in.surv.strata_levels.empty() ? "" : ", stratified");
  fmt::print("  re-censoring: {}\n",
             ro.recensor ? fmt::format("on, C* = min(C, C exp(psi)), C = {}", in.censor_source)
                         : "off (--no-recensor)");
  const int pct = static_cast<int>(std::lround(o.conf_level * 100));
  fmt::print(
      "\n  psi = {} ({}% CI {} to {}, by test inversion); acceleration factor exp(-psi) = {}\n",
      f4(r.psi), pct, f4(r.lower), f4(r.upper), f4(std::exp(-r.psi)));
  fmt::print("  Z at psi = 0 (intention to treat): {}\n", f4(r.z_itt));
  print_hr(o, r.hr, "adjusted HR (Cox, counterfactual control)");
  fmt::print("  adjusted HR, CI keeping the ITT p-value: {} to {}\n", f4(r.hr_lower_itt),
             f4(r.hr_upper_itt));
  print_boot(o, r.boot, true);
  print_curves(times, r.control_km, r.experimental_km, in, "counterfactual control");
}

void run_ipcw(const CrossoverCliOptions& o, const Input& in) {
  IpcwOptions io{.stabilised = !o.unstabilised,
                 .ties = parse_ties(o.ties),
                 .conf_level = o.conf_level,
                 .boot = {.replicates = o.boot, .seed = o.seed}};
  if (!o.truncate.empty()) io.truncate = std::make_pair(o.truncate[0], o.truncate[1]);
  const IpcwResult r = ipcw(in.data, in.intervals->intervals, io);
  print_warnings(r.warnings);
  auto fit_json = [](const LogisticFit& f) {
    ojson c = ojson::array();
    for (std::size_t k = 0; k < f.names.size(); ++k) {
      const auto e = static_cast<Eigen::Index>(k);
      c.push_back({{"term", f.names[k]},
                   {"coef", jnum(f.coef[e])},
                   {"se", jnum(f.se[e])},
                   {"z", jnum(f.z[k])},
                   {"p", jnum(f.p[k])}});
    }
    return ojson{{"rows", f.n},
                 {"switches", f.events},
                 {"deviance", jnum(f.deviance)},
                 {"null_deviance", jnum(f.null_deviance)},
                 {"iterations", f.iterations},
                 {"converged", f.converged},
                 {"coefficients", c}};
  };
  auto w_json = [](const WeightSummary& w) {
    return ojson{{"rows", w.rows},
                 {"subjects", w.subjects},
                 {"mean", jnum(w.mean)},
                 {"min", jnum(w.min)},
                 {"max", jnum(w.max)},
                 {"p01", jnum(w.p01)},
                 {"p05", jnum(w.p05)},
                 {"p25", jnum(w.p25)},
                 {"p50", jnum(w.p50)},
                 {"p75", jnum(w.p75)},
                 {"p95", jnum(w.p95)},
                 {"p99", jnum(w.p99)},
                 {"truncated_low", w.truncated_low},
                 {"truncated_high", w.truncated_high}};
  };
  // the control arm's weighted curve is not a KM of counterfactual times: the weighted KM of the
  // control rows censored at the switch is left out; the report shows the HR and the weights.
  if (o.json) {
    ojson j = common_json(o, in);
    j["long_data"] = o.long_data;
    j["long_rows_read"] = in.intervals->rows_read;
    j["long_rows_other_subjects"] = in.intervals->rows_other_subjects;
    j["stabilised"] = io.stabilised;
    j["truncate"] = o.truncate.empty() ? ojson(nullptr) : ojson(o.truncate);
    j["switchers_censored"] = r.switchers_censored;
    j["rows_after_end"] = r.rows_after_end;
    j["subjects_extended"] = r.subjects_extended;
    j["switching_model"] =
        "pooled logistic regression of switching at the end of each interval (glm binomial)";
    j["denominator"] = fit_json(r.denominator);
    j["numerator"] = io.stabilised ? fit_json(r.numerator) : ojson(nullptr);
    j["weights"] = {{"control", w_json(r.weights_control)},
                    {"experimental", w_json(r.weights_experimental)}};
    ojson h = hr_json(r.hr);
    h["naive_se"] = jnum(std::sqrt(r.hr.fit.var(0, 0)));
    h["method"] =
        "coxph(Surv(start, stop, event) ~ arm + covariates + strata, weights = w, cluster = id): "
        "robust "
        "(sandwich) SE";
    j["hr"] = h;
    j["bootstrap"] = boot_json(r.boot, false);
    j["warnings"] = r.warnings;
    fmt::print("{}\n", json_text(nlohmann::json(j)));
    return;
  }
  print_header(o, in, "Inverse probability of censoring weights (IPCW)");
  fmt::print(
      "  switchers censored at the switch: {}; long data {} ({} rows, {} of other subjects)\n",
      r.switchers_censored, printable(o.long_data), in.intervals->rows_read,
      in.intervals->rows_other_subjects);
  fmt::print("  weights: {}{}\n", io.stabilised ? "stabilised" : "unstabilised",
             o.truncate.empty() ? ""
                                : fmt::format(", truncated at the {:g} and {:g} quantiles",
                                              o.truncate[0], o.truncate[1]));
  auto print_fit = [](const LogisticFit& f, const char* what) {
    fmt::print(
        "\n  {} switching model (pooled logistic; {} rows, {} switches, deviance {:.4f}{})\n", what,
        f.n, f.events, f.deviance, f.converged ? "" : ", did not converge");
    for (std::size_t k = 0; k < f.names.size(); ++k)
      fmt::print("    {:<24} {:>10} (SE {:>8}) p = {}\n", printable(f.names[k]),
                 f4(f.coef[static_cast<Eigen::Index>(k)]), f4(f.se[static_cast<Eigen::Index>(k)]),
                 fp(f.p[k]));
  };
  print_fit(r.denominator, "denominator");
  if (io.stabilised) print_fit(r.numerator, "numerator");
  const WeightSummary& w = r.weights_control;
  fmt::print(
      "\n  control weights ({} rows, {} subjects): mean {}, min {}, 1% {}, median {}, 99% {}, max "
      "{}\n",
      w.rows, w.subjects, f4(w.mean), f4(w.min), f4(w.p01), f4(w.p50), f4(w.p99), f4(w.max));
  if (!o.truncate.empty())
    fmt::print("  truncated: {} low, {} high\n", w.truncated_low, w.truncated_high);
  fmt::print("\n");
  print_hr(o, r.hr, "adjusted HR (weighted Cox)");
  print_boot(o, r.boot, false);
}

void run_two_stage(const CrossoverCliOptions& o, const Input& in) {
  TwoStageOptions to{.recensor = !o.no_recensor,
                     .pps_offset = o.pps_offset,
                     .ties = parse_ties(o.ties),
                     .conf_level = o.conf_level,
                     .boot = {.replicates = o.boot, .seed = o.seed}};
  const TwoStageResult r = two_stage(in.data, to);
  print_warnings(r.warnings);
  const auto times = landmark_times(o, in.data);
  if (o.json) {
    ojson j = common_json(o, in);
    j["recensor"] = to.recensor;
    j["censor_time"] = in.censor_source.empty() ? ojson(nullptr) : ojson(in.censor_source);
    j["pps_offset"] = o.pps_offset;
    j["progressed"] = r.progressed;
    j["switch_before_progression"] = r.switch_before_progression;
    ojson c = ojson::array();
    for (std::size_t k = 0; k < r.aft.names.size(); ++k)
      c.push_back({{"term", r.aft.names[k]},
                   {"coef", jnum(r.aft.coef[static_cast<Eigen::Index>(k)])},
                   {"se", jnum(r.aft.se[k])},
                   {"z", jnum(r.aft.z[k])},
                   {"p", jnum(r.aft.p[k])}});
    j["aft"] = {{"model", "survreg(Surv(pps, status) ~ switched + covariates, dist = 'weibull')"},
                {"n", r.aft.n},
                {"events", r.aft.events},
                {"loglik", jnum(r.aft.loglik)},
                {"scale", jnum(r.aft.scale)},
                {"iterations", r.aft.iterations},
                {"converged", r.aft.converged},
                {"coefficients", c}};
    j["psi"] = jnum(r.psi);
    j["psi_lower"] = jnum(r.psi_lower);
    j["psi_upper"] = jnum(r.psi_upper);
    j["psi_ci_method"] = "Wald, from the AFT model";
    j["time_ratio"] = jnum(r.time_ratio);
    ojson h = hr_json(r.hr);
    h["method"] =
        "coxph(Surv(t*, d*) ~ arm + covariates + strata) on the counterfactual control times; Wald "
        "CI "
        "from the model SE";
    j["hr"] = h;
    j["bootstrap"] = boot_json(r.boot, true);
    j["counterfactual_control"] = {{"median", median_json(r.control_km)},
                                   {"landmarks", landmarks_json(r.control_km, times)},
                                   {"curve", curve_json(r.control_km)}};
    j["experimental"] = {{"median", median_json(r.experimental_km)},
                         {"landmarks", landmarks_json(r.experimental_km, times)},
                         {"curve", curve_json(r.experimental_km)}};
    j["warnings"] = r.warnings;
    fmt::print("{}\n", json_text(nlohmann::json(j)));
    return;
  }
  print_header(o, in, "Simple two-stage adjustment for treatment switching");
  fmt::print(
      "  secondary baseline: progression ({}), or the switch when earlier; {} control patients, {} "
      "of "
      "whom switched before progression\n",
      printable(o.progression_time), r.progressed, r.switch_before_progression);
  fmt::print("  re-censoring: {}\n",
             to.recensor ? fmt::format("on, C* = C min(1, exp(psi)), C = {}", in.censor_source)
                         : "off (--no-recensor)");
  fmt::print(
      "\n  Weibull AFT model of post-progression survival (as survreg; n = {}, events = {}, "
      "log-lik {:.4f})\n",
      r.aft.n, r.aft.events, r.aft.loglik);
  for (std::size_t k = 0; k < r.aft.names.size(); ++k)
    fmt::print("    {:<24} {:>10} (SE {:>8}) p = {}\n", printable(r.aft.names[k]),
               f4(r.aft.coef[static_cast<Eigen::Index>(k)]), f4(r.aft.se[k]), fp(r.aft.p[k]));
  const int pct = static_cast<int>(std::lround(o.conf_level * 100));
  fmt::print(
      "\n  psi = {} ({}% CI {} to {}, Wald); switchers' post-progression time ratio exp(-psi) = "
      "{}\n",
      f4(r.psi), pct, f4(r.psi_lower), f4(r.psi_upper), f4(r.time_ratio));
  print_hr(o, r.hr, "adjusted HR (Cox, counterfactual control)");
  print_boot(o, r.boot, true);
  print_curves(times, r.control_km, r.experimental_km, in, "counterfactual control");
}

void run_crossover(const CrossoverCliOptions& o) {
  check_flags(o);
  const Input in = load(o);
  if (o.method == "rpsftm")
    run_rpsftm(o, in);
  else if (o.method == "ipcw")
    run_ipcw(o, in);
  else
    run_two_stage(o, in);
}

}  // namespace

void register_crossover(CLI::App& app) {
  auto o = std::make_shared<CrossoverCliOptions>();
  CLI::App* cmd = app.add_subcommand("crossover",
                                     "Overall survival adjusted for control patients switching to "
                                     "the experimental treatment (RPSFTM, IPCW, two-stage)");
  add_data_options(cmd, o->data, true);
  cmd->add_option("--method", o->method, "rpsftm, ipcw or two-stage")->required();
  cmd->add_option("--switch-flag", o->switch_flag,
                  "Column flagging control patients who switched (Y/N, 1/0)")
      ->required();
  cmd->add_option("--switch-time", o->switch_time, "Column of the switch time (units of --time)")
      ->required();
  cmd->add_option("--censor-time", o->censor_time,
                  "Column of the administrative censoring time (re-censoring)");
  cmd->add_option(
      "--cutoff-date", o->cutoff_date,
      "Data cut-off as YYYY-MM-DD or a date column: censor time = cut-off - --rand-date + 1 day");
  cmd->add_option("--rand-date", o->rand_date,
                  "Randomization date column (SAS date), with --cutoff-date");
  cmd->add_flag("--no-recensor", o->no_recensor,
                "Turn re-censoring off (on by default for rpsftm and two-stage)");
  cmd->add_option("--covariates", o->covariates,
                  "Baseline covariates of the Cox models (and IPCW's switching models)")
      ->delimiter(',');
  cmd->add_option("--test", o->test, "rpsftm: g-estimation test, logrank (default) or cox");
  cmd->add_option("--psi-min", o->psi_min,
                  "rpsftm: lower end of the psi search interval (default -3)");
  cmd->add_option("--psi-max", o->psi_max,
                  "rpsftm: upper end of the psi search interval (default 3)");
  cmd->add_option("--grid", o->grid, "rpsftm: subintervals of the psi scan (default 200)");
  cmd->add_option("--conf-level", o->conf_level, "Confidence level (default 0.95)");
  cmd->add_option("--ties", o->ties, "Cox models' ties: efron (default), breslow or exact");
  cmd->add_option("--boot", o->boot,
                  "Bootstrap replicates for the adjusted HR's CI (e.g. 1000; default 0 = none)");
  cmd->add_option("--seed", o->seed, "Bootstrap seed (default 1)");
  cmd->add_option("--times", o->times, "Times at which to print the survival curves")
      ->delimiter(',');
  cmd->add_option("--long", o->long_data,
                  "ipcw: long data file, one row per interval (start, end] per subject");
  cmd->add_option("--id", o->id, "ipcw: subject identifier column in both files (default USUBJID)");
  cmd->add_option("--interval-start", o->interval_start,
                  "ipcw: interval start column of the long data");
  cmd->add_option("--interval-end", o->interval_end, "ipcw: interval end column of the long data");
  cmd->add_option("--tv-covariates", o->tv_covariates,
                  "ipcw: time-varying covariates (denominator model)")
      ->delimiter(',');
  cmd->add_option("--time-terms", o->time_terms,
                  "ipcw: long-data columns of functions of time (both models)")
      ->delimiter(',');
  cmd->add_option("--switch-eligible", o->switch_eligible,
                  "ipcw: long-data flag: switching possible in the interval");
  cmd->add_flag("--unstabilised", o->unstabilised,
                "ipcw: unstabilised weights (default stabilised)");
  cmd->add_option("--truncate", o->truncate,
                  "ipcw: truncate the weights at these quantiles, e.g. 0.01,0.99")
      ->delimiter(',');
  cmd->add_option("--progression-flag", o->progression_flag, "two-stage: progression flag column");
  cmd->add_option("--progression-time", o->progression_time, "two-stage: progression time column");
  cmd->add_option("--aft-covariates", o->aft_covariates,
                  "two-stage: covariates at progression (AFT model)")
      ->delimiter(',');
  cmd->add_option("--pps-offset", o->pps_offset,
                  "two-stage: added to post-progression times (default 0)");
  cmd->add_flag("--json", o->json, "Write the results as JSON (docs/cli/crossover.md)");
  cmd->callback([o] { run_crossover(*o); });
}

}  // namespace hazard::cli
