// Internals of the trial simulator shared by its source files (not part of the public API).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "hazard/logrank.hpp"
#include "hazard/simulate.hpp"

namespace hazard::detail {

/// Scratch memory of one worker thread: reused for every trial it simulates, so that the hot
/// loop does not allocate once the vectors have grown to the trial size.
struct TrialWorkspace {
  std::vector<SimulatedPatient> patients;
  std::vector<double> event_calendar;  ///< calendar time of each patient's event (inf: none)
  std::vector<double> sorted_events;   ///< finite event calendar times (selected per look)
  struct Exit {
    double exit;      ///< min(event, dropout) from randomization
    double calendar;  ///< entry + exit
    double entry;
    std::int32_t arm, stratum;
    bool event;  ///< the exit is an event
  };
  std::vector<Exit> by_exit;                                 ///< patients by exit ascending
  std::vector<Exit> by_entry;                                ///< patients by entry descending
  std::vector<std::pair<double, std::uint32_t>> exit_order;  ///< (exit, index into by_entry) sorted
  std::vector<double> time;                                  ///< analysis rows at one look
  std::vector<std::uint8_t> status;
  std::vector<std::int32_t> group;
  std::vector<std::int32_t> stratum;
  std::vector<double> scratch;  ///< the two-arm log-rank kernel's accumulators
};

/// The compact outcome of one trial written by the workers; `z`, `hr`, `time`, `events` point to
/// this trial's row of K values in the runner's flat arrays (NaN for looks not performed).
struct TrialRecord {
  int looks_done = 0;
  int stop_look = 0;
  bool reject = false;
  bool futility = false;
  bool events_not_achieved = false;
  double events = 0, subjects = 0, duration = 0, z = 0, hr = 0;
};

/// Analyses the patients in `ws.patients` at the scenario's looks.
void analyse_trial(const SimulationScenario& s, TrialWorkspace& ws, TrialRecord& rec, double* z,
                   double* hr, double* time, double* events);

/// Precomputed per-scenario constants (entry grid of the deterministic accrual, allocation
/// block, cumulative stratum prevalences).
struct ScenarioPlan {
  std::vector<double> entry_grid;    ///< deterministic entry times (rpact), size n
  std::vector<double> accrual_end;   ///< piece ends
  std::vector<double> accrual_cum;   ///< cumulative probability at each piece end
  int block_exp = 1, block_ctl = 1;  ///< allocation block a:b
  std::vector<double> stratum_cum;   ///< cumulative normalised prevalences
};
ScenarioPlan plan_scenario(const SimulationScenario& s);

void generate_patients(const SimulationScenario& s, const ScenarioPlan& plan, std::uint64_t seed,
                       std::uint64_t trial, std::vector<SimulatedPatient>& out);

}  // namespace hazard::detail
