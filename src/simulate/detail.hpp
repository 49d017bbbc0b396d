// Internals of the trial simulator shared by its source files (not part of the public API).
#pragma once

#include <cstdint>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/logrank.hpp"
#include "hazard/simulate.hpp"

namespace hazard::detail {

/// Scratch memory of one worker thread: reused for every trial it simulates, so that the hot
/// loop does not allocate once the vectors have grown to the trial size. Patients are held as
/// structures of arrays; `flag` packs arm (bit 0), event before dropout (bit 1) and stratum
/// (bits 2 and up).
struct TrialWorkspace {
  std::vector<SimulatedPatient> patients;
  std::vector<double> event_calendar;          ///< calendar times of the events, by bucket
  std::vector<std::uint32_t> calendar_bucket;  ///< their bucket ends
  std::vector<double> key;                     ///< sort keys
  std::vector<std::uint32_t> order;            ///< permutation from the key sort
  std::vector<std::uint32_t> bucket;           ///< bucket counts of the key sort
  std::vector<double> sort_buffer;             ///< keys scattered by bucket
  std::vector<std::uint32_t> order_buffer;
  // patients by exit (min(event, dropout) from randomization) ascending
  std::vector<double> a_exit, a_calendar;  ///< exit and entry + exit
  std::vector<std::uint32_t> a_flag;
  // patients by entry descending
  std::vector<double> b_entry, b_calendar;
  std::vector<std::uint32_t> b_flag;
  // one look: the two lists cut at the look time (rows 1..k, sentinels -inf and +inf around)
  std::vector<double> a_time, b_time;
  std::vector<std::uint32_t> a_row_flag, b_row_flag;
  std::vector<std::uint32_t> b_arm1;  ///< experimental patients among B's first rows
  // one look, one stratum: the distinct event times (deaths, numbers at risk), backward
  std::vector<double> ev_deaths, ev_deaths1, ev_at_risk, ev_at_risk1;
  // one look, several strata: the merged rows, ascending
  std::vector<double> time;
  std::vector<std::uint8_t> status;
  std::vector<std::int32_t> group;
  std::vector<std::int32_t> stratum;
  std::vector<double> scratch;  ///< the two-arm log-rank kernel's accumulators
  std::vector<TwoArmTally> tallies;  ///< per event time, for the Cox HR (HrEstimator::cox)
  std::vector<double> arm_time[2];   ///< one look's rows by arm (analyses rmst, milestone)
  std::vector<std::uint8_t> arm_status[2];
  // BoundaryRule::information: per look performed
  std::vector<double> look_info;      ///< the statistic's information
  std::vector<double> look_subjects;  ///< patients randomized by the look
  std::vector<double> look_cov;       ///< MaxCombo: 4 x 4 covariance of the FH scores per look
  std::vector<double> fh_weight[4];   ///< MaxCombo: the FH weights of one look
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
