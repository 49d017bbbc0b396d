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
#include "hazard/output.hpp"
#include "output_options.hpp"
#include "data_options.hpp"
#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "hazard/simulate.hpp"

namespace hazard::cli {

namespace {

struct SimulateFlags {
  std::string scenario;
  std::optional<std::size_t> n;
  std::optional<double> ratio;
  std::optional<double> median_control, median_experimental, hr;
  std::vector<double> accrual_time, accrual_rate;
  std::optional<double> dropout;
  double dropout_time = 12;
  std::vector<double> events, times;
  std::optional<int> looks;
  std::vector<double> info;
  std::optional<std::string> spending, futility;
  std::optional<double> alpha, power;
  bool binding = false;
  bool random_accrual = false, random_allocation = false;
  std::string hr_estimator = "pike";
  std::string reps = "1000";  // parsed by parse_reps (accepts 1e6)
  std::uint64_t seed = 1;
  unsigned threads = 0;
  bool json = false;
  std::string trials_out, patients;
  std::size_t patients_trial = 0;
  bool csv_raw = false;
};

std::string fmt_num(double x, int digits = 4) {
  if (std::isnan(x)) return "-";
  return fmt::format("{:.{}f}", x, digits);
}

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

struct Setup {
  SimulationScenario scenario;
  GroupSequentialDesign design;
  std::string spending, futility;
  double alpha = 0.025;
};

Setup make_setup(const SimulateFlags& f) {
  Setup out;
  SimulationScenario& s = out.scenario;
  nlohmann::json design = nlohmann::json::object();
  if (!f.scenario.empty()) {
    std::ifstream in(f.scenario);
    if (!in) throw IoError("cannot open scenario file " + f.scenario);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw UsageError("scenario " + f.scenario + ": " + e.what());
    }
    auto file = scenario_from_json(j);
    s = file.scenario;
    if (file.design.is_object()) design = file.design;
  } else {
    s.accrual = {};
  }
  // flags override the scenario file
  if (f.n) s.n = *f.n;
  if (f.ratio) s.ratio = *f.ratio;
  if (f.median_control) {
    if (!(*f.median_control > 0)) throw UsageError("--median-control must be > 0");
    s.control = PiecewiseHazard{.start = {0.0}, .rate = {std::log(2.0) / *f.median_control}};
  }
  if (f.hr && f.median_experimental) throw UsageError("give either --hr or --median-experimental");
  if (f.hr || f.median_experimental) {
    if (s.control.rate.empty()) throw UsageError("--hr needs --median-control (or a scenario control arm)");
    if (f.median_experimental) {
      if (!(*f.median_experimental > 0)) throw UsageError("--median-experimental must be > 0");
      s.experimental = PiecewiseHazard{.start = {0.0}, .rate = {std::log(2.0) / *f.median_experimental}};
    } else {
      if (!(*f.hr > 0)) throw UsageError("--hr must be > 0");
      std::vector<double> st{0.0}, hr{*f.hr};
      s.experimental = multiply_hazard(s.control, st, hr);
    }
  }
  if (s.control.rate.empty()) throw UsageError("the control hazard is required: --median-control or a scenario file");
  if (s.experimental.rate.empty()) throw UsageError("the effect is required: --hr, --median-experimental or a scenario file");
  if (!f.accrual_time.empty()) {
    s.accrual.end = f.accrual_time;
    s.accrual.rate = f.accrual_rate.empty() ? std::vector<double>(f.accrual_time.size(), 1.0) : f.accrual_rate;
  } else if (!f.accrual_rate.empty()) {
    throw UsageError("--accrual-rate needs --accrual-time");
  }
  if (s.accrual.end.empty()) throw UsageError("accrual is required: --accrual-time T (or a scenario file)");
  if (f.random_accrual) s.random_accrual = true;
  if (f.random_allocation) s.random_allocation = true;
  if (f.hr_estimator == "cox")
    s.hr_estimator = HrEstimator::cox;
  else if (f.hr_estimator != "pike")
    throw UsageError(fmt::format("--hr-estimator {}: expected pike or cox", f.hr_estimator));
  if (f.dropout) {
    if (!(*f.dropout >= 0 && *f.dropout < 1) || !(f.dropout_time > 0))
      throw UsageError("--dropout must be in [0, 1) and --dropout-time > 0");
    s.dropout_control = s.dropout_experimental = -std::log1p(-*f.dropout) / f.dropout_time;
  }
  if (!f.events.empty() && !f.times.empty()) throw UsageError("give either --events or --times");
  if (!f.events.empty()) {
    s.look_type = LookType::events;
    s.looks = f.events;
  } else if (!f.times.empty()) {
    s.look_type = LookType::calendar;
    s.looks = f.times;
  }
  if (s.looks.empty()) throw UsageError("the looks are required: --events E1,...,EK or --times T1,...,TK");
  const std::size_t K = s.looks.size();
  if (f.looks && static_cast<std::size_t>(*f.looks) != K)
    throw UsageError(fmt::format("--looks {} but {} looks given by --events/--times", *f.looks, K));

  // boundaries from the design library
  BoundaryOptions b;
  b.alpha = f.alpha ? *f.alpha : design.value("alpha", 0.025);
  b.beta = 1 - (f.power ? *f.power : 1 - design.value("beta", 0.2));
  out.spending = f.spending ? *f.spending : design.value("spending", std::string("obf"));
  out.futility = f.futility ? *f.futility : design.value("futility", std::string());
  b.efficacy = parse_spending(out.spending);
  if (!out.futility.empty() && out.futility != "none") b.futility = parse_spending(out.futility);
  b.binding = f.binding || design.value("binding", false);
  if (!f.info.empty()) {
    b.info = f.info;
  } else if (design.contains("info")) {
    b.info = design["info"].get<std::vector<double>>();
  } else if (s.look_type == LookType::events) {
    for (double e : s.looks) b.info.push_back(e / s.looks.back());
  } else {
    for (std::size_t k = 1; k <= K; ++k) b.info.push_back(static_cast<double>(k) / static_cast<double>(K));
  }
  if (b.info.size() != K) throw UsageError("one information fraction per look (--info)");
  if (!(b.alpha > 0 && b.alpha < 0.5)) throw UsageError("--alpha must be in (0, 0.5)");
  if (!(b.beta > 0 && b.beta < 1 - b.alpha)) throw UsageError("--power must be in (alpha, 1)");
  if (std::fabs(b.info.back() - 1) > 1e-9) throw UsageError("the last information fraction must be 1");
  b.info.back() = 1;
  out.alpha = b.alpha;
  out.design = GroupSequentialDesign::compute(b);
  s.z_efficacy = out.design.z_efficacy;
  if (b.futility) s.z_futility = out.design.z_futility;
  validate_scenario(s);
  return out;
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

}  // namespace

void register_simulate(CLI::App& app) {
  auto* cmd = app.add_subcommand("simulate", "Simulate a group-sequential two-arm survival trial: "
                                             "power, stopping, expected events, duration");
  auto f = std::make_shared<SimulateFlags>();
  cmd->add_option("--scenario", f->scenario, "Scenario file (JSON, docs/cli/simulate.md); flags override it");
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
  cmd->add_option("--reps", f->reps,
                  "Number of simulated trials, 1 to 1e9 (default 1000); memory does not grow with it");
  cmd->add_option("--seed", f->seed, "Random seed (default 1)");
  cmd->add_option("--threads", f->threads, "Worker threads (default: all cores)");
  cmd->add_flag("--json", f->json, "Print JSON instead of a table");
  cmd->add_option("--trials-out", f->trials_out, "Write one CSV row per simulated trial");
  cmd->add_option("--patients", f->patients, "Write one simulated trial's patients (ADaM ADSL+ADTTE CSV)");
  cmd->add_option("--patients-trial", f->patients_trial, "Trial written by --patients (1-based; default 1)");
  add_csv_raw_flag(cmd, f->csv_raw);
  cmd->callback([f]() {
    refuse_overwrite(f->trials_out, {f->scenario}, "--trials-out");
    refuse_overwrite(f->patients, {f->scenario}, "--patients");
    if (!f->trials_out.empty() && f->trials_out == f->patients)
      throw UsageError(fmt::format("--trials-out and --patients name the same file {}", f->patients));
    Setup setup = make_setup(*f);
    const std::size_t reps = parse_reps(f->reps);
    // The output files are opened (as temporaries) before the simulation: a path that cannot be
    // written fails now, not after the run.
    std::optional<OutputFile> trials_file, patients_file;
    if (!f->trials_out.empty()) trials_file.emplace(f->trials_out);
    if (!f->patients.empty()) patients_file.emplace(f->patients);
    SimulationOptions opt{.reps = reps, .seed = f->seed, .threads = f->threads,
                          .progress = {}, .keep_trials = !f->trials_out.empty()};
    if (isatty(fileno(stderr)) && reps >= 2000) {
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
