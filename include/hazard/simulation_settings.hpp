// A trial simulation as a user states it — the flags of `hazard simulate` and an optional
// scenario (docs/cli/simulate.md), the arguments of the R and Python simulate functions — and
// the scenario with its boundaries that it stands for (hazard/simulate.hpp, hazard/design.hpp):
//   * settings override the scenario's keys; the control hazard is log(2) / median, the
//     experimental one the control's times the HR (or from its own median);
//   * looks by cumulative events or by calendar times; information fractions events / last
//     events (or equally spaced calendar looks) unless given; the last must be 1;
//   * boundaries from GroupSequentialDesign (alpha, power, spending, futility, binding), the
//     scenario's "design" object giving the defaults;
//   * boundaries: the design's at its planned fractions for logrank and cox, each trial's own from
//     its statistic's information for the other analyses (unless --boundaries says otherwise);
//   * dropout: the probability of dropping out by dropout_time, as an exponential hazard.
//
// Example:
//   auto setup = hazard::simulation_setup({.n = 600, .median_control = 12, .hr = 0.7,
//                                          .accrual_time = {24}, .events = {200, 300}});
//   auto r = hazard::simulate_trials(setup.scenario, {.reps = 10000, .seed = 1});
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hazard/design.hpp"
#include "hazard/simulate.hpp"

namespace hazard {

struct SimulationSettings {
  nlohmann::json scenario_json;          ///< a scenario object (--scenario FILE's content), or null
  std::optional<std::size_t> n;          ///< --n
  std::optional<double> ratio;           ///< --ratio
  std::optional<double> median_control;  ///< --median-control
  std::optional<double> median_experimental;  ///< --median-experimental
  std::optional<double> hr;                   ///< --hr
  std::vector<double> accrual_time;           ///< --accrual-time
  std::vector<double> accrual_rate;           ///< --accrual-rate
  std::optional<double> dropout;              ///< --dropout
  double dropout_time = 12;                   ///< --dropout-time
  std::vector<double> events;                 ///< --events
  std::vector<double> times;                  ///< --times
  std::optional<int> looks;                   ///< --looks (checked against events/times)
  std::vector<double> info;                   ///< --info
  std::optional<std::string> spending;        ///< --spending
  std::optional<std::string> futility;        ///< --futility
  std::optional<double> alpha;                ///< --alpha
  std::optional<double> power;                ///< --power
  bool binding = false;                       ///< --binding
  bool random_accrual = false;                ///< --random-accrual
  bool random_allocation = false;             ///< --random-allocation
  std::string hr_estimator = "pike";          ///< --hr-estimator pike|cox
  std::optional<std::string> analysis;        ///< --analysis (else the scenario's, else logrank)
  /// --boundaries design|information (else the scenario design's "boundaries", else information
  /// for fh, maxcombo, rmst and milestone and design for logrank and cox)
  std::optional<std::string> boundaries;
};

struct SimulationSetup {
  SimulationScenario scenario;   ///< with its z boundaries
  GroupSequentialDesign design;  ///< the boundaries' design
  std::string spending;          ///< the efficacy spending as given ("obf")
  std::string futility;          ///< the futility spending as given ("" = none)
  double alpha = 0.025;
};

/// The scenario and boundaries `settings` describe (see the file comment). Throws UsageError,
/// naming the flag or scenario key, for missing or inconsistent settings.
SimulationSetup simulation_setup(const SimulationSettings& settings);

}  // namespace hazard
