// Internals shared by the Cox diagnostics (residuals.cpp, baseline.cpp): the data
// of a fit after R's timefix, and the risk-set sums at every event time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "hazard/cox.hpp"

namespace hazard::detail {

/// The data of a fit, in input order, as the diagnostics need it.
struct DiagData {
  std::size_t n = 0, p = 0;
  bool counting = false;
  std::vector<double> time, start;        ///< after aeq_surv (start empty unless counting)
  std::vector<std::uint8_t> status;
  std::vector<double> weight;             ///< 1 when unweighted
  std::vector<std::int32_t> stratum;      ///< dense codes 0.. in sorted order of CoxData::stratum
  std::vector<std::int32_t> stratum_code; ///< dense code -> original CoxData::stratum code
  std::vector<double> risk;               ///< exp(linear predictor of the fit)
  std::vector<double> x;                  ///< n*p row-major, centred by the column mean (for accuracy)
  std::vector<double> xmean;              ///< the column means removed from x
};

/// `keep` selects coefficient columns (empty = all).
DiagData diag_data(const CoxData& data, const CoxResult& fit, const std::vector<std::size_t>& keep = {});

/// Risk-set sums at each distinct event time of each stratum, ascending by (stratum, time).
/// Risk set at t: rows of the stratum with start < t <= stop. Deaths: rows with stop == t and
/// status 1. All sums weight a row by weight * risk except `wdead` (case weights only).
struct EventSums {
  std::size_t p = 0;
  bool second = false;
  std::vector<std::int32_t> stratum;
  std::vector<double> time;
  std::vector<double> ndead;    ///< number of deaths (unweighted count)
  std::vector<double> wdead;    ///< sum of the deaths' case weights
  std::vector<double> denom;    ///< sum over the risk set of w r
  std::vector<double> edenom;   ///< sum over the deaths of w r
  std::vector<double> a, a2;    ///< p per time: sums of w r x over the risk set / the deaths
  std::vector<double> c, c2;    ///< p*p per time (only with `second`): sums of w r x x'
  std::vector<std::size_t> strat_begin;  ///< per stratum code s: first index; size nstrata + 1
  std::size_t size() const { return time.size(); }
};

/// The state at one event time, handed to the visitor of walk_event_times.
struct EventState {
  std::int32_t stratum = 0;
  double time = 0;
  double ndead = 0, wdead = 0, denom = 0, edenom = 0;
  const double* a = nullptr;   ///< p
  const double* a2 = nullptr;  ///< p
  const double* c = nullptr;   ///< p*p (lower triangle filled, j <= i at c[i*p+j]), or null
  const double* c2 = nullptr;  ///< p*p, or null
  const std::vector<std::size_t>* deaths = nullptr;  ///< rows dying at `time`
};

/// Calls visit(const EventState&) at every event time: strata ascending, time descending within
/// a stratum. Rows join the sums at their stop time and leave at their start (agfit4's scheme);
/// rows never at risk are never added. With `second`, also the sums of w r x x'.
void walk_event_times(const DiagData& d, bool second, const std::function<void(const EventState&)>& visit);

/// The first-order sums (and with `second` the second-order ones), stored ascending.
EventSums event_sums(const DiagData& d, bool second);

/// Hazard increments at each event time: `full` for a row at risk that did not die there,
/// `dead` for a death at that time (Efron: sum_k (1 - k/m) wbar / (denom - k/m edenom); Breslow:
/// the same as `full`).
struct HazardSteps {
  std::vector<double> full, dead;
};
HazardSteps hazard_steps(const EventSums& es, bool efron);

/// Index range [lo, hi) of the event times of stratum s with start < t <= stop.
void event_range(const EventSums& es, std::int32_t s, double start, double stop, bool counting,
                 std::size_t& lo, std::size_t& hi);

}  // namespace hazard::detail
