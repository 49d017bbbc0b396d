// Simulating group-sequential two-arm survival trials (docs/methods/simulation.md).
//
// A scenario describes the trial: piecewise-exponential hazards per arm (proportional, delayed or
// crossing effects), the allocation ratio, strata with prevalences and hazard multipliers,
// piecewise-constant accrual, exponential dropout, the looks (by cumulative event counts or by
// calendar times) and the efficacy (and futility) z boundaries, usually taken from a
// hazard::GroupSequentialDesign. Each simulated trial is analysed at each look by the stratified
// log-rank test (hazard::logrank_stats), or by the SimulationAnalysis chosen (FH, MaxCombo, RMST,
// milestone, Cox), and stops when a boundary is crossed.
//
// Conventions follow rpact 3.3's getSimulationSurvival where it has one: patients enter at
// deterministic, equally spaced times within each accrual piece (patient i of N at i * A / N for
// uniform accrual over [0, A]) and are allocated in fixed blocks (a experimental then b control,
// a:b the ratio in lowest terms); a look by events happens at the calendar time of the d-th event
// (that event included); a trial whose planned events never occur ends without that analysis.
// Random entry times and random allocation are options.
//
// Random numbers: Random123 Philox4x64-10, key = (seed, 0), counter = (trial index, patient
// index, 0, 0): every trial has its own counter-based stream, so results do not depend on the
// number of threads or the order in which trials are run.
//
// Example:
//   auto scenario = hazard::SimulationScenario{ ... };
//   auto result = hazard::simulate_trials(scenario, {.reps = 10000, .seed = 1});
//   // result.power, result.mc_se, result.stagewise_rejection ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hazard/design.hpp"

namespace hazard {

class Cluster;

/// A piecewise-constant hazard: rate[j] on [start[j], start[j + 1]), the last piece open-ended.
/// start[0] must be 0 and start increasing; rate >= 0 (the last > 0 unless a cure is intended:
/// then survival times may be infinite, i.e. no event).
struct PiecewiseHazard {
  std::vector<double> start{0.0};
  std::vector<double> rate;
};

/// The hazard `base` multiplied by the piecewise hazard ratio `hr` (on its own pieces `hr_start`).
PiecewiseHazard multiply_hazard(const PiecewiseHazard& base, std::span<const double> hr_start,
                                std::span<const double> hr);

/// Inverse of the cumulative hazard: the time t with H(t) = e (infinity when H stays below e).
double piecewise_quantile(const PiecewiseHazard& h, double e, double multiplier = 1.0);

struct SimulationStratum {
  std::string name;
  double prevalence = 1.0;         ///< relative; normalised over strata
  double hazard_multiplier = 1.0;  ///< multiplies both arms' hazards
};

enum class LookType { events, calendar };

/// The hazard ratio estimate reported per look: Pike's exp((O - E) / V) from the log-rank sums
/// (free), or the Cox model with the arm as its only covariate, stratified as the log-rank test
/// (coxph's estimate, Efron ties; NaN when the fit does not converge, e.g. no events in one arm).
enum class HrEstimator { pike, cox };

/// The test of each look (--analysis; docs/methods/simulation.md): the stratified log-rank test
/// (default), a Fleming–Harrington weighted log-rank FH(rho, gamma), MaxCombo of FH(0,0), FH(0,1),
/// FH(1,0), FH(1,1), the RMST difference to tau, the difference of survival at a milestone time,
/// or the Wald test of the Cox model (arm, stratified as the log-rank). Every analysis gives a z
/// with Z > 0 favouring the experimental arm, compared with the design's z boundaries (MaxCombo:
/// z = Phi^{-1}(1 - p) of its one-sided p-value from the correlation of its FH statistics) or,
/// with BoundaryRule::information, with the trial's own bounds (MaxCombo: z = max of its oriented
/// FH z statistics).
enum class AnalysisTest { logrank, fh, maxcombo, rmst, milestone, cox };

struct SimulationAnalysis {
  AnalysisTest test = AnalysisTest::logrank;
  double rho = 0.0, gamma = 0.0;  ///< fh
  double time = 0.0;              ///< rmst: tau; milestone: the milestone time
};

/// Parses "logrank", "fh:RHO,GAMMA", "maxcombo", "rmst:TAU", "milestone:T" or "cox" (UsageError
/// naming `what` and the value otherwise).
SimulationAnalysis parse_simulation_analysis(const std::string& text,
                                             const std::string& what = "--analysis");
/// The canonical text of an analysis ("fh:0,1", "rmst:12", ...).
std::string analysis_name(const SimulationAnalysis& a);

/// How each look's z is compared with a bound (--boundaries; docs/methods/simulation.md):
/// `design`, the design's bounds at its planned information fractions (events / final events),
/// the same for every trial; `information`, each trial's bounds from the spending functions at
/// the statistic's own information fractions I_k / I_L in that trial (include/hazard/
/// information_bounds.hpp; MaxCombo: the joint distribution of its FH statistics over the looks).
enum class BoundaryRule { design, information };

/// "design" or "information" (UsageError naming `what` otherwise).
BoundaryRule parse_boundary_rule(const std::string& text, const std::string& what = "--boundaries");
/// "design" or "information".
std::string boundary_rule_name(BoundaryRule rule);

struct SimulationScenario {
  std::size_t n = 0;                    ///< maximum number of patients
  double ratio = 1.0;                   ///< allocation experimental:control
  PiecewiseHazard control;              ///< hazard of the control arm (arm code 0)
  PiecewiseHazard experimental;         ///< hazard of the experimental arm (arm code 1)
  std::vector<SimulationStratum> strata;  ///< empty: one stratum
  Accrual accrual;                      ///< piece ends and intensities (relative or absolute;
                                        ///< only the shape matters: n patients are accrued)
  bool random_accrual = false;          ///< entry times iid from the accrual density (else rpact's
                                        ///< deterministic grid)
  bool random_allocation = false;       ///< arm drawn with P(exp) = ratio / (1 + ratio) (else
                                        ///< rpact's fixed blocks)
  double dropout_control = 0.0;         ///< exponential dropout hazard, control
  double dropout_experimental = 0.0;    ///< exponential dropout hazard, experimental
  LookType look_type = LookType::events;
  std::vector<double> looks;            ///< cumulative events (or calendar times) per look
  std::vector<double> z_efficacy;       ///< efficacy bound per look (Z > 0 favours experimental)
  std::vector<double> z_futility;       ///< futility bound per look (-inf or empty: none)
  HrEstimator hr_estimator = HrEstimator::pike;  ///< the HR estimate of each look
  SimulationAnalysis analysis{};        ///< the test of each look (default log-rank)
  BoundaryRule boundary_rule = BoundaryRule::design;  ///< design bounds or per-trial ones
  /// BoundaryRule::information: the spending functions, alpha, beta, futility and binding from
  /// which each trial's bounds are computed (`info` unused); z_efficacy / z_futility are then the
  /// design's planned bounds, reported but not applied.
  BoundaryOptions boundary_options{};
  std::string study_id = "SIM";         ///< STUDYID of --patients output
};

/// rpact's allocation blocks: the ratio in lowest terms a:b (denominators up to 1000).
std::pair<int, int> allocation_fraction(double ratio);

/// Checks a scenario (throws UsageError with a message naming the offending field).
void validate_scenario(const SimulationScenario& s);

/// One simulated patient.
struct SimulatedPatient {
  double entry = 0;         ///< calendar time of randomization
  double survival = 0;      ///< latent event time from randomization (may be infinite)
  double dropout = 0;       ///< latent dropout time from randomization (infinite: none)
  std::int32_t arm = 0;     ///< 0 control, 1 experimental
  std::int32_t stratum = 0; ///< index into strata
};

/// Generates the patients of trial `trial` (deterministic in seed and trial index).
void generate_patients(const SimulationScenario& s, std::uint64_t seed, std::uint64_t trial,
                       std::vector<SimulatedPatient>& out);

/// The outcome of one simulated trial.
struct TrialOutcome {
  int looks_done = 0;             ///< analyses performed
  int stop_look = 0;              ///< 1-based look at which the trial ended (0: no analysis)
  bool reject = false;            ///< efficacy bound crossed
  bool futility = false;          ///< futility bound crossed
  bool events_not_achieved = false;  ///< planned events of some look never occurred
  double events = 0;              ///< events at the last analysis
  double subjects = 0;            ///< patients randomized by the last analysis
  double duration = 0;            ///< calendar time of the last analysis
  double z = 0;                   ///< efficacy statistic at the last analysis
  double hr = 0;                  ///< HR estimate at the last analysis (see HrEstimator)
  std::vector<double> z_look;     ///< z per look performed
  std::vector<double> hr_look;    ///< HR estimate per look performed
  std::vector<double> time_look;  ///< calendar time per look performed
  std::vector<double> events_look;
};

/// Analyses one trial's patients at the scenario's looks, applying the boundaries.
TrialOutcome analyse_trial(const SimulationScenario& s, std::span<const SimulatedPatient> patients);

/// The largest number of simulated trials (--reps) accepted: 1e9 (hours of computing; memory does
/// not grow with the number of trials unless every trial is kept).
inline constexpr std::size_t max_simulation_reps = 1'000'000'000;

struct SimulationOptions {
  std::size_t reps = 1000;  ///< 1 to max_simulation_reps
  std::uint64_t seed = 1;
  unsigned threads = 0;  ///< 0: all hardware threads
  /// Called from the calling thread about every 0.1 s with (trials done, total); may be empty.
  std::function<void(std::size_t, std::size_t)> progress;
  bool keep_trials = false;  ///< keep every TrialOutcome (for --trials-out; memory grows with reps)
  /// The processes sharing the trials (cluster.hpp; nullptr = this process alone). Every rank
  /// calls simulate_trials with the same scenario and options; rank 0's result is the result
  /// (bit-identical for any number of ranks and threads), the others' is empty.
  const Cluster* cluster = nullptr;
};

struct Summary {
  double mean = 0, sd = 0, q025 = 0, q25 = 0, median = 0, q75 = 0, q975 = 0;
};

struct SimulationResult {
  std::size_t reps = 0;
  double power = 0;                       ///< P(reject at some look)
  double mc_se = 0;                       ///< sqrt(power (1 - power) / reps)
  std::vector<double> stagewise_rejection;  ///< P(reject at look k)
  std::vector<double> stagewise_futility;   ///< P(stop for futility at look k)
  std::vector<double> stop_probability;     ///< P(trial ends at look k)
  double events_not_achieved = 0;         ///< fraction of trials where a look's events never came
  double expected_events = 0, expected_n = 0, expected_duration = 0;  ///< means at the last analysis
  std::vector<double> mean_look_time;     ///< mean calendar time of look k among trials reaching it
  std::vector<double> mean_look_events;   ///< mean events at look k among trials reaching it
  Summary hr;                             ///< HR estimate at the last analysis (finite ones)
  std::vector<TrialOutcome> trials;       ///< when keep_trials
};

/// Simulates `reps` trials over `threads` threads; results identical for any thread count.
SimulationResult simulate_trials(const SimulationScenario& s, const SimulationOptions& options);

/// Reads a scenario from the JSON format of docs/cli/simulate.md. Design keys ("alpha",
/// "spending", "futility", "binding", "info", "beta") are returned in `design` when present.
struct ScenarioFile {
  SimulationScenario scenario;
  nlohmann::json design;  ///< the "design" object (or null)
};
ScenarioFile scenario_from_json(const nlohmann::json& j);

}  // namespace hazard
