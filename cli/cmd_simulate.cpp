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
#include "data_options.hpp"
#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "hazard/simulate.hpp"
#include "hazard/simulation_settings.hpp"

namespace hazard::cli {

namespace {

// The settings of the simulation (hazard/simulation_settings.hpp), then this command's own flags.
struct SimulateFlags : SimulationSettings {
  std::string scenario;  ///< --scenario FILE
  std::size_t reps = 1000;
  std::uint64_t seed = 1;
  unsigned threads = 0;
  bool json = false;
  std::string trials_out, patients;
  std::size_t patients_trial = 0;
};

std::string fmt_num(double x, int digits = 4) {
  if (std::isnan(x)) return "-";
  return fmt::format("{:.{}f}", x, digits);
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

void write_trials(const std::string& path, const SimulationResult& r, std::size_t K) {
  std::ofstream out(path);
  if (!out) throw IoError("cannot write " + path);
  out << "trial,stop_look,reject,futility,events_not_achieved,events,subjects,duration,z,hr";
  for (std::size_t k = 1; k <= K; ++k) out << ",z_" << k << ",hr_" << k << ",time_" << k << ",events_" << k;
  out << "\n";
  auto v = [](double x) { return std::isfinite(x) ? fmt::format("{:.10g}", x) : std::string("NA"); };
  for (std::size_t i = 0; i < r.trials.size(); ++i) {
    const auto& t = r.trials[i];
    out << i + 1 << ',' << t.stop_look << ',' << int(t.reject) << ',' << int(t.futility) << ','
        << int(t.events_not_achieved) << ',' << v(t.events) << ',' << v(t.subjects) << ','
        << v(t.duration) << ',' << v(t.z) << ',' << v(t.hr);
    for (std::size_t k = 0; k < K; ++k) {
      bool d = k < t.z_look.size();
      out << ',' << (d ? v(t.z_look[k]) : "NA") << ',' << (d ? v(t.hr_look[k]) : "NA") << ','
          << (d ? v(t.time_look[k]) : "NA") << ',' << (d ? v(t.events_look[k]) : "NA");
    }
    out << "\n";
  }
  if (!out) throw IoError("error writing " + path);
}

// One trial's patients in ADaM form (ADSL-like columns joined with the ADTTE overall-survival
// parameter), as analysed at the trial's last analysis.
void write_patients(const std::string& path, const Setup& setup, std::uint64_t seed, std::size_t trial) {
  const auto& s = setup.scenario;
  std::vector<SimulatedPatient> pts;
  generate_patients(s, seed, trial, pts);
  TrialOutcome o = analyse_trial(s, pts);
  double cutoff = o.stop_look > 0 ? o.duration : std::numeric_limits<double>::infinity();
  std::ofstream out(path);
  if (!out) throw IoError("cannot write " + path);
  out << "STUDYID,USUBJID,SUBJID,TRT01P,TRT01PN,RANDFL,STRAT1R,RANDT,DCUTDT,PARAMCD,PARAM,AVAL,CNSR,EVNTDESC,CNSDTDSC\n";
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const auto& p = pts[i];
    if (p.entry > cutoff) continue;
    double follow = cutoff - p.entry;
    double t = std::min(std::min(p.survival, p.dropout), follow);
    bool event = p.survival < p.dropout && p.survival <= follow;
    bool drop = !event && p.dropout < p.survival && p.dropout <= follow;
    std::string strat = s.strata.empty() ? "ALL" : s.strata[static_cast<std::size_t>(p.stratum)].name;
    out << s.study_id << ',' << s.study_id << '-' << fmt::format("{:05d}", i + 1) << ','
        << fmt::format("{:05d}", i + 1) << ',' << (p.arm ? "Experimental" : "Control") << ','
        << (p.arm ? 1 : 2) << ",Y," << strat << ',' << fmt::format("{:.6f}", p.entry) << ','
        << fmt::format("{:.6f}", cutoff) << ",OS,Overall Survival (time units)," << fmt::format("{:.6f}", t)
        << ',' << (event ? 0 : 1) << ',' << (event ? "DEATH" : "") << ','
        << (event ? "" : drop ? "LOST TO FOLLOW-UP" : "DATA CUTOFF") << "\n";
  }
  if (!out) throw IoError("error writing " + path);
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
  cmd->add_option("--reps", f->reps, "Number of simulated trials (default 1000)");
  cmd->add_option("--seed", f->seed, "Random seed (default 1)");
  cmd->add_option("--threads", f->threads, "Worker threads (default: all cores)");
  cmd->add_flag("--json", f->json, "Print JSON instead of a table");
  cmd->add_option("--trials-out", f->trials_out, "Write one CSV row per simulated trial");
  cmd->add_option("--patients", f->patients, "Write one simulated trial's patients (ADaM ADSL+ADTTE CSV)");
  cmd->add_option("--patients-trial", f->patients_trial, "Trial written by --patients (1-based; default 1)");
  cmd->callback([f]() {
    Setup setup = make_setup(*f);
    SimulationOptions opt{.reps = f->reps, .seed = f->seed, .threads = f->threads,
                          .progress = {}, .keep_trials = !f->trials_out.empty()};
    if (isatty(fileno(stderr)) && f->reps >= 2000) {
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
    if (!f->trials_out.empty()) write_trials(f->trials_out, r, setup.scenario.looks.size());
    if (!f->patients.empty()) {
      std::size_t trial = f->patients_trial ? f->patients_trial - 1 : 0;
      write_patients(f->patients, setup, f->seed, trial);
    }
    if (f->json) {
      fmt::print("{}\n", result_json(*f, setup, r).dump(2));
    } else {
      print_result(setup, r);
    }
  });
}

}  // namespace hazard::cli
