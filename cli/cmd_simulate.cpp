// `hazard simulate`: Monte-Carlo operating characteristics of a group-sequential two-arm survival
// trial (docs/cli/simulate.md). Parses flags and the scenario file, computes the boundaries with
// hazard::GroupSequentialDesign, calls hazard::simulate_trials and prints.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "text_format.hpp"
#include "hazard/output.hpp"
#include "output_options.hpp"
#include "data_options.hpp"
#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "hazard/cluster.hpp"
#include "hazard/simulate.hpp"
#include "hazard/simulation_settings.hpp"

namespace hazard::cli {

namespace {

// The settings of the simulation (hazard/simulation_settings.hpp), then this command's own flags.
struct SimulateFlags : SimulationSettings {
  std::string scenario;  ///< --scenario FILE
  std::string scenarios;  ///< --scenarios FILE: one scenario per line (a grid)
  std::string reps = "1000";  ///< --reps, parsed by parse_reps (accepts 1e6)
  std::uint64_t seed = 1;
  unsigned threads = 0;
  bool json = false;
  std::string trials_out, patients;
  std::size_t patients_trial = 0;
  bool csv_raw = false;
};

std::string fmt_num(double x, int digits = 4) { return fixed_or_dash(x, digits); }

// --reps: a whole number of trials from 1 to max_simulation_reps, written as digits or in
// scientific notation (1e6).
std::size_t parse_reps(const std::string& text) {
  double v = 0;
  std::size_t used = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const double max = static_cast<double>(max_simulation_reps);
  if (used == 0 || used != text.size() || !(v >= 1 && v <= max) || v != std::floor(v))
    throw UsageError(fmt::format("--reps {}: expected a whole number of trials from 1 to {} (1e9)", text,
                                 max_simulation_reps));
  return static_cast<std::size_t>(v);
}

using Setup = SimulationSetup;

// The scenario file is read here; the rules are the library's (hazard::simulation_setup).
Setup make_setup(const SimulateFlags& f) {
  SimulationSettings settings = f;
  if (!f.scenario.empty()) {
    std::ifstream in(f.scenario);
    if (!in) throw IoError("cannot open scenario file " + f.scenario);
    try {
      settings.scenario_json = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw UsageError("scenario " + f.scenario + ": " + e.what());
    }
  }
  return simulation_setup(settings);
}

// The boundary rule is stated unless the analysis is the log-rank or Cox test with the design's
// bounds, whose output stays as it was before the rule existed.
bool shows_boundary_rule(const SimulationScenario& s) {
  const bool events_info = s.analysis.test == AnalysisTest::logrank || s.analysis.test == AnalysisTest::cox;
  return !(events_info && s.boundary_rule == BoundaryRule::design);
}

nlohmann::json result_json(const SimulateFlags& f, const Setup& setup, const SimulationResult& r) {
  const auto& s = setup.scenario;
  nlohmann::json j;
  j["power"] = num(r.power);
  j["mc_se"] = num(r.mc_se);
  j["stagewise_rejection"] = r.stagewise_rejection;
  j["stagewise_futility"] = r.stagewise_futility;
  j["stop_probability"] = r.stop_probability;
  j["expected_events"] = num(r.expected_events);
  j["expected_n"] = num(r.expected_n);
  j["expected_duration"] = num(r.expected_duration);
  j["events_not_achieved"] = num(r.events_not_achieved);
  j["reps"] = r.reps;
  j["seed"] = f.seed;
  j["n"] = s.n;
  j["ratio"] = num(s.ratio);
  j["alpha"] = num(setup.alpha);
  j["spending"] = setup.spending;
  j["futility"] = setup.futility.empty() ? nlohmann::json(nullptr) : nlohmann::json(setup.futility);
  j["analysis"] = analysis_name(s.analysis);
  if (shows_boundary_rule(s)) j["boundaries"] = boundary_rule_name(s.boundary_rule);
  j["look_type"] = s.look_type == LookType::events ? "events" : "calendar";
  j["looks"] = s.looks;
  j["info"] = setup.design.info;
  j["z_efficacy"] = setup.design.z_efficacy;
  nlohmann::json zf = nlohmann::json::array();
  for (double x : s.z_futility) zf.push_back(num(x));
  j["z_futility"] = zf;
  nlohmann::json t = nlohmann::json::array(), e = nlohmann::json::array();
  for (double x : r.mean_look_time) t.push_back(num(x));
  for (double x : r.mean_look_events) e.push_back(num(x));
  j["mean_look_time"] = t;
  j["mean_look_events"] = e;
  const bool cox = setup.scenario.hr_estimator == HrEstimator::cox;
  j["hr_estimate"] = {{"estimator", cox ? "cox" : "pike"},
                      {"mean", num(r.hr.mean)},
                      {"sd", num(r.hr.sd)},
                      {"q025", num(r.hr.q025)},
                      {"q25", num(r.hr.q25)},
                      {"median", num(r.hr.median)},
                      {"q75", num(r.hr.q75)},
                      {"q975", num(r.hr.q975)}};
  return j;
}

void print_result(const Setup& setup, const SimulationResult& r) {
  const auto& s = setup.scenario;
  fmt::print("Simulated group-sequential survival trial: {} trials, N = {}, ratio {}:1, {} spending\n",
             r.reps, s.n, s.ratio, setup.spending);
  if (s.analysis.test != AnalysisTest::logrank)
    fmt::print("Analysis per look: {}\n", analysis_name(s.analysis));
  if (shows_boundary_rule(s))
    fmt::print("Boundaries: {}\n",
               s.boundary_rule == BoundaryRule::information
                   ? "information (each trial's own, from the spending function at its "
                     "statistic's information fractions; z_eff and z_fut below are the design's)"
                   : "design (the same for every trial, at the design's information fractions)");
  fmt::print("Rejection probability {} (Monte-Carlo SE {})\n", fmt_num(r.power), fmt_num(r.mc_se));
  fmt::print("Expected events {}, patients {}, duration {}\n", fmt_num(r.expected_events, 2),
             fmt_num(r.expected_n, 2), fmt_num(r.expected_duration, 2));
  if (r.events_not_achieved > 0)
    fmt::print("Trials whose planned events never occurred: {}\n", fmt_num(r.events_not_achieved));
  fmt::print("HR estimate at the last analysis ({}): mean {}, median {}, 95% range {} to {}\n",
             s.hr_estimator == HrEstimator::cox ? "Cox, Efron ties" : "Pike", fmt_num(r.hr.mean),
             fmt_num(r.hr.median), fmt_num(r.hr.q025), fmt_num(r.hr.q975));
  fmt::print("\n{:>4} {:>10} {:>9} {:>9} {:>10} {:>10} {:>10} {:>10}\n", "look",
             s.look_type == LookType::events ? "events" : "time", "z_eff", "z_fut", "reject",
             "futility", "mean_time", "mean_evts");
  for (std::size_t k = 0; k < s.looks.size(); ++k) {
    fmt::print("{:>4} {:>10} {:>9} {:>9} {:>10} {:>10} {:>10} {:>10}\n", k + 1, fmt_num(s.looks[k], 2),
               fmt_num(s.z_efficacy[k]), s.z_futility.empty() ? "-" : fmt_num(s.z_futility[k]),
               fmt_num(r.stagewise_rejection[k]), fmt_num(r.stagewise_futility[k]),
               fmt_num(r.mean_look_time[k], 2), fmt_num(r.mean_look_events[k], 2));
  }
}

void write_trials(OutputFile& file, const SimulationResult& r, std::size_t K, bool raw) {
  CsvWriter out(file, {.raw = raw});
  for (const char* h : {"trial", "stop_look", "reject", "futility", "events_not_achieved", "events", "subjects",
                        "duration", "z", "hr"})
    out.text(h);
  for (std::size_t k = 1; k <= K; ++k)
    for (const char* h : {"z_", "hr_", "time_", "events_"}) out.text(fmt::format("{}{}", h, k));
  out.row();
  constexpr int g = 10;  // significant digits
  const double na = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < r.trials.size(); ++i) {
    const auto& t = r.trials[i];
    out.integer(static_cast<std::int64_t>(i + 1)).integer(t.stop_look).integer(t.reject).integer(t.futility)
        .integer(t.events_not_achieved).general(t.events, g).general(t.subjects, g).general(t.duration, g)
        .general(t.z, g).general(t.hr, g);
    for (std::size_t k = 0; k < K; ++k) {
      bool d = k < t.z_look.size();
      out.general(d ? t.z_look[k] : na, g).general(d ? t.hr_look[k] : na, g).general(d ? t.time_look[k] : na, g)
          .general(d ? t.events_look[k] : na, g);
    }
    out.row();
  }
  out.finish();
  file.commit();
}

// One trial's patients in ADaM form (ADSL-like columns joined with the ADTTE overall-survival
// parameter), as analysed at the trial's last analysis.
void write_patients(OutputFile& file, const Setup& setup, std::uint64_t seed, std::size_t trial, bool raw) {
  const auto& s = setup.scenario;
  std::vector<SimulatedPatient> pts;
  generate_patients(s, seed, trial, pts);
  TrialOutcome o = analyse_trial(s, pts);
  double cutoff = o.stop_look > 0 ? o.duration : std::numeric_limits<double>::infinity();
  CsvWriter out(file, {.raw = raw});
  for (const char* h : {"STUDYID", "USUBJID", "SUBJID", "TRT01P", "TRT01PN", "RANDFL", "STRAT1R", "RANDT", "DCUTDT",
                        "PARAMCD", "PARAM", "AVAL", "CNSR", "EVNTDESC", "CNSDTDSC"})
    out.text(h);
  out.row();
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const auto& p = pts[i];
    if (p.entry > cutoff) continue;
    double follow = cutoff - p.entry;
    double t = std::min(std::min(p.survival, p.dropout), follow);
    bool event = p.survival < p.dropout && p.survival <= follow;
    bool drop = !event && p.dropout < p.survival && p.dropout <= follow;
    std::string strat = s.strata.empty() ? "ALL" : s.strata[static_cast<std::size_t>(p.stratum)].name;
    out.text(s.study_id).text(fmt::format("{}-{:05d}", s.study_id, i + 1)).text(fmt::format("{:05d}", i + 1))
        .text(p.arm ? "Experimental" : "Control").integer(p.arm ? 1 : 2).text("Y").text(strat).fixed(p.entry, 6)
        .fixed(cutoff, 6).text("OS").text("Overall Survival (time units)").fixed(t, 6).integer(event ? 0 : 1)
        .text(event ? "DEATH" : "").text(event ? "" : drop ? "LOST TO FOLLOW-UP" : "DATA CUTOFF").row();
  }
  out.finish();
  file.commit();
}

// --scenarios FILE: one JSON object per non-blank line, each in the --scenario format with an
// optional "name"; the command's flags apply to every line (as to a --scenario file). Errors name
// the file and the line.
struct GridLine {
  std::uint64_t line = 0;
  std::string name;
  Setup setup;
};

std::vector<GridLine> read_grid(const SimulateFlags& f) {
  std::ifstream in(f.scenarios);
  if (!in) throw IoError("cannot open scenario grid " + f.scenarios);
  std::vector<GridLine> grid;
  std::string text;
  std::uint64_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    // the content of a scenario is an option (exit 2), as for --scenario
    auto at = [&](const std::string& why) { return UsageError(fmt::format("{}:{}: {}", f.scenarios, line, why)); };
    SimulationSettings settings = f;
    try {
      settings.scenario_json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      throw at(fmt::format("not a JSON object: {}", e.what()));
    }
    if (!settings.scenario_json.is_object()) throw at("a scenario line must be a JSON object");
    GridLine g;
    g.line = line;
    if (auto it = settings.scenario_json.find("name"); it != settings.scenario_json.end()) {
      if (!it->is_string()) throw at("\"name\" must be a string");
      g.name = it->get<std::string>();
      settings.scenario_json.erase(it);
    } else {
      g.name = fmt::format("line {}", line);
    }
    try {
      g.setup = simulation_setup(settings);
    } catch (const UsageError& e) {
      throw at(e.what());
    }
    grid.push_back(std::move(g));
  }
  if (grid.empty()) throw UsageError(fmt::format("{}: the scenario grid has no scenario lines", f.scenarios));
  return grid;
}

void print_grid(const std::vector<GridLine>& grid, const std::vector<SimulationResult>& results) {
  fmt::print("Simulated scenarios: {} ({} trials each)\n\n", grid.size(), results.front().reps);
  fmt::print("{:<24} {:>6} {:>6} {:>9} {:>8} {:>10} {:>10} {:>10} {:>8}\n", "scenario", "N", "looks", "power",
             "mc_se", "exp_events", "exp_n", "exp_dur", "hr_med");
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const SimulationResult& r = results[i];
    fmt::print("{:<24} {:>6} {:>6} {:>9} {:>8} {:>10} {:>10} {:>10} {:>8}\n", printable(grid[i].name),
               grid[i].setup.scenario.n, grid[i].setup.scenario.looks.size(), fmt_num(r.power), fmt_num(r.mc_se),
               fmt_num(r.expected_events, 2), fmt_num(r.expected_n, 2), fmt_num(r.expected_duration, 2),
               fmt_num(r.hr.median));
  }
}

}  // namespace

void register_simulate(CLI::App& app, const Cluster& cluster) {
  auto* cmd = app.add_subcommand("simulate", "Simulate a group-sequential two-arm survival trial: "
                                             "power, stopping, expected events, duration");
  auto f = std::make_shared<SimulateFlags>();
  cmd->add_option("--scenario", f->scenario, "Scenario file (JSON, docs/cli/simulate.md); flags override it");
  cmd->add_option("--scenarios", f->scenarios,
                  "Scenario grid: one scenario (JSON object, as --scenario, optional \"name\") per line; "
                  "one table of results")
      ->excludes("--scenario");
  cmd->add_option("--n", f->n, "Number of patients");
  cmd->add_option("--ratio", f->ratio, "Allocation ratio experimental:control (default 1)");
  cmd->add_option("--median-control", f->median_control, "Median survival, control arm (exponential)");
  cmd->add_option("--hr", f->hr, "Hazard ratio experimental/control (proportional hazards)");
  cmd->add_option("--median-experimental", f->median_experimental, "Median survival, experimental arm");
  cmd->add_option("--accrual-time", f->accrual_time, "End of accrual, or ends of accrual pieces t1,...,tm")->delimiter(',');
  cmd->add_option("--accrual-rate", f->accrual_rate, "Accrual intensity per piece (relative; default uniform)")->delimiter(',');
  cmd->add_option("--dropout", f->dropout, "Probability of dropping out by --dropout-time, both arms (exponential)");
  cmd->add_option("--dropout-time", f->dropout_time, "Time at which --dropout applies (default 12)");
  cmd->add_option("--events", f->events, "Cumulative events triggering each look E1,...,EK")->delimiter(',');
  cmd->add_option("--times", f->times, "Calendar times of the looks T1,...,TK (instead of --events)")->delimiter(',');
  cmd->add_option("--looks", f->looks, "Number of looks (checked against --events/--times)");
  cmd->add_option("--info", f->info, "Information fractions for the boundaries (default events / last events)")->delimiter(',');
  cmd->add_option("--spending", f->spending, "Efficacy boundary: obf (default), pocock, hsd:GAMMA, kd:RHO, hp:P");
  cmd->add_option("--futility", f->futility, "Futility bounds by beta spending: obf, pocock, hsd:GAMMA, kd:RHO");
  cmd->add_flag("--binding", f->binding, "Futility bounds are binding");
  cmd->add_option("--alpha", f->alpha, "One-sided significance level (default 0.025)");
  cmd->add_option("--power", f->power, "Design power, for beta-spending futility bounds (default 0.8)");
  cmd->add_flag("--random-accrual", f->random_accrual, "Random entry times (default: rpact's fixed grid)");
  cmd->add_flag("--random-allocation", f->random_allocation, "Random arm per patient (default: rpact's fixed blocks)");
  cmd->add_option(
      "--hr-estimator", f->hr_estimator,
      "HR estimate per look: pike (exp((O-E)/V), default) or cox (Cox model, Efron ties)");
  cmd->add_option("--analysis", f->analysis,
                  "Test per look: logrank (default), fh:RHO,GAMMA, maxcombo, rmst:TAU, milestone:T, cox");
  cmd->add_option("--boundaries", f->boundaries,
                  "Bounds: design (the design's, at its fractions) or information (each trial's, "
                  "at its statistic's information fractions; default for fh, maxcombo, rmst, "
                  "milestone)");
  cmd->add_option("--reps", f->reps,
                  "Number of simulated trials, 1 to 1e9 (default 1000); memory stays bounded");
  cmd->add_option("--seed", f->seed, "Random seed (default 1)");
  cmd->add_option("--threads", f->threads, "Worker threads (default: all cores)");
  cmd->add_flag("--json", f->json, "Print JSON instead of a table");
  cmd->add_option("--trials-out", f->trials_out, "Write one CSV row per simulated trial");
  cmd->add_option("--patients", f->patients, "Write one simulated trial's patients (ADaM ADSL+ADTTE CSV)");
  cmd->add_option("--patients-trial", f->patients_trial, "Trial written by --patients (1-based; default 1)");
  add_csv_raw_flag(cmd, f->csv_raw);
  cmd->callback([f, &cluster]() {
    // Under mpirun every rank simulates its share of the trials (simulate_trials); rank 0 alone
    // opens the output files and prints, so the output is that of one process.
    const bool writer = cluster.rank() == 0;
    refuse_overwrite(f->trials_out, {f->scenario}, "--trials-out");
    refuse_overwrite(f->patients, {f->scenario}, "--patients");
    if (!f->trials_out.empty() && f->trials_out == f->patients)
      throw UsageError(fmt::format("--trials-out and --patients name the same file {}", f->patients));
    const std::size_t reps = parse_reps(f->reps);
    if (!f->scenarios.empty()) {
      if (!f->trials_out.empty() || !f->patients.empty())
        throw UsageError("--scenarios writes one table: --trials-out and --patients need a single --scenario");
      const std::vector<GridLine> grid = read_grid(*f);
      std::vector<SimulationResult> results;
      for (const GridLine& g : grid)
        results.push_back(simulate_trials(
            g.setup.scenario,
            SimulationOptions{.reps = reps, .seed = f->seed, .threads = f->threads, .cluster = &cluster}));
      if (!writer) return;
      if (f->json) {
        nlohmann::json all = nlohmann::json::array();
        for (std::size_t i = 0; i < grid.size(); ++i) {
          nlohmann::json j = result_json(*f, grid[i].setup, results[i]);
          j["name"] = grid[i].name;
          j["line"] = grid[i].line;
          all.push_back(std::move(j));
        }
        fmt::print("{}\n", json_text(nlohmann::json{{"scenarios", all}}));
      } else {
        print_grid(grid, results);
      }
      return;
    }
    Setup setup = make_setup(*f);
    // The output files are opened (as temporaries) before the simulation: a path that cannot be
    // written fails now, not after the run.
    std::optional<OutputFile> trials_file, patients_file;
    if (writer && !f->trials_out.empty()) trials_file.emplace(f->trials_out);
    if (writer && !f->patients.empty()) patients_file.emplace(f->patients);
    SimulationOptions opt{.reps = reps, .seed = f->seed, .threads = f->threads, .progress = {},
                          .keep_trials = writer && !f->trials_out.empty(), .cluster = &cluster};
    if (writer && isatty(fileno(stderr)) && reps >= 2000) {
      opt.progress = [](std::size_t done, std::size_t total) {
        int width = 40;
        auto filled = static_cast<int>(static_cast<double>(width) * static_cast<double>(done) /
                                       static_cast<double>(total));
        std::fprintf(stderr, "\r[%s%s] %zu/%zu", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), done, total);
        if (done == total) std::fprintf(stderr, "\r%*s\r", width + 30, "");
        std::fflush(stderr);
      };
    }
    SimulationResult r = simulate_trials(setup.scenario, opt);
    if (!writer) return;
    if (trials_file) write_trials(*trials_file, r, setup.scenario.looks.size(), f->csv_raw);
    if (patients_file) {
      std::size_t trial = f->patients_trial ? f->patients_trial - 1 : 0;
      write_patients(*patients_file, setup, f->seed, trial, f->csv_raw);
    }
    if (f->json) {
      fmt::print("{}\n", json_text(result_json(*f, setup, r)));
    } else {
      print_result(setup, r);
    }
  });
}

}  // namespace hazard::cli
