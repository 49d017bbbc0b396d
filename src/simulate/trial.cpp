// The analyses of one simulated trial: at each look, the stratified log-rank test of the data
// available at that calendar time, and the stopping rule.
//
// Look time: by events, the calendar time of the d-th event (d = ceil(planned events)), as rpact's
// findObservationTime; a trial with fewer than d events in total ends without that analysis
// (rpact's "events not achieved"). By calendar, the given time.
// Data at calendar time t: patients with entry <= t; time = min(event, dropout, t - entry),
// event indicator = event before dropout and entry + event <= t.
// Statistic: Z = -(O_1 - E_1) / sqrt(V_11), O, E, V of the experimental arm (code 1) from
// hazard::logrank_two_arm_sorted stratified by stratum (rows already in time order), so Z > 0
// favours the experimental arm (rpact's directionUpper = FALSE for HR < 1). HR estimate: Pike's
// exp((O_1 - E_1) / V_11). Stopping: reject when Z >= efficacy bound; else, before the last look,
// stop for futility when Z <= futility bound.
#include <algorithm>
#include <cmath>
#include <limits>

#include "detail.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace detail {

void analyse_trial(const SimulationScenario& s, TrialWorkspace& ws, TrialRecord& rec, double* z,
                   double* hr, double* time, double* events) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  const auto& pts = ws.patients;
  const std::size_t n = pts.size();
  const std::size_t K = s.looks.size();
  rec = TrialRecord{};
  for (std::size_t k = 0; k < K; ++k) {
    z[k] = hr[k] = time[k] = events[k] = std::nan("");
  }
  ws.event_calendar.resize(n);
  ws.sorted_events.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = pts[i];
    double c = p.survival < p.dropout ? p.entry + p.survival : inf;
    ws.event_calendar[i] = c;
    if (c < inf) ws.sorted_events.push_back(c);
  }
  if (s.look_type == LookType::events) {
    // Only the d_k-th smallest event times are needed: selection from the last look down, each
    // within the prefix left by the previous one, is O(n) in all (a full sort was 12% of the time).
    auto& ev = ws.sorted_events;
    std::size_t limit = ev.size();
    for (std::size_t k = K; k-- > 0;) {
      auto d = static_cast<std::size_t>(std::ceil(s.looks[k]));
      if (d == 0 || d > limit) continue;
      std::nth_element(ev.begin(), ev.begin() + static_cast<std::ptrdiff_t>(d - 1),
                       ev.begin() + static_cast<std::ptrdiff_t>(limit));
      limit = d - 1;
    }
  }
  // by entry descending: the reversed patient order for the deterministic grid
  ws.by_entry.resize(n);
  ws.exit_order.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = pts[i];
    double x = std::min(p.survival, p.dropout);
    ws.by_entry[n - 1 - i] = {x, p.entry + x, p.entry, p.arm, p.stratum, p.survival < p.dropout};
    ws.exit_order[i] = {x, static_cast<std::uint32_t>(n - 1 - i)};
  }
  // by exit ascending: sort (key, index) pairs, then one gather (cheaper than moving records)
  std::sort(ws.exit_order.begin(), ws.exit_order.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  ws.by_exit.resize(n);
  for (std::size_t k = 0; k < n; ++k) ws.by_exit[k] = ws.by_entry[ws.exit_order[k].second];
  if (s.random_accrual)
    std::sort(ws.by_entry.begin(), ws.by_entry.end(),
              [](const auto& x, const auto& y) { return x.entry > y.entry; });
  ws.time.resize(n);
  ws.status.resize(n);
  ws.group.resize(n);
  ws.stratum.resize(n);
  const bool stratified = s.strata.size() > 1;
  for (std::size_t k = 0; k < K; ++k) {
    double t;
    if (s.look_type == LookType::events) {
      auto d = static_cast<std::size_t>(std::ceil(s.looks[k]));
      if (d > ws.sorted_events.size()) {
        rec.events_not_achieved = true;
        break;
      }
      t = ws.sorted_events[d - 1];  // the d-th smallest (selected above)
    } else {
      t = s.looks[k];
    }
    // Rows already in time order, so that the log-rank kernel's sort runs on sorted input: those
    // who exited (event or dropout) by t, by exit time, merged with those still under observation,
    // censored at t - entry (ascending as entry descends). One sort per trial instead of per look.
    std::size_t m = 0, ev = 0;
    std::size_t a = 0, b = 0;
    const auto* A = ws.by_exit.data();
    const auto* B = ws.by_entry.data();
    auto next_a = [&]() {
      while (a < n && !(A[a].calendar <= t)) ++a;
      return a < n;
    };
    auto next_b = [&]() {
      while (b < n && (B[b].entry > t || B[b].calendar <= t)) ++b;
      return b < n;
    };
    bool has_a = next_a(), has_b = next_b();
    while (has_a || has_b) {
      const detail::TrialWorkspace::Exit* r;
      double ti;
      bool event;
      if (has_a && (!has_b || A[a].exit <= t - B[b].entry)) {
        r = &A[a++];
        ti = r->exit;
        event = r->event;
        has_a = next_a();
      } else {
        r = &B[b++];
        ti = t - r->entry;
        event = false;
        has_b = next_b();
      }
      ws.time[m] = ti;
      ws.status[m] = event ? 1 : 0;
      ws.group[m] = r->arm;
      ws.stratum[m] = r->stratum;
      ev += event;
      ++m;
    }
    // the rows are in ascending time order: the two-arm kernel needs no sort
    const TwoArmLogrank lr =
        logrank_two_arm_sorted(std::span<const double>(ws.time.data(), m),
                               std::span<const std::uint8_t>(ws.status.data(), m),
                               std::span<const std::int32_t>(ws.group.data(), m),
                               stratified ? std::span<const std::int32_t>(ws.stratum.data(), m)
                                          : std::span<const std::int32_t>(),
                               s.strata.size(), ws.scratch);
    double oe = lr.o_minus_e;
    double v = lr.var;
    double zk = v > 0 ? -oe / std::sqrt(v) : 0.0;
    double hrk = v > 0 ? std::exp(oe / v) : std::nan("");
    z[k] = zk;
    hr[k] = hrk;
    time[k] = t;
    events[k] = static_cast<double>(ev);
    rec.looks_done = static_cast<int>(k + 1);
    rec.stop_look = rec.looks_done;
    rec.events = static_cast<double>(ev);
    rec.subjects = static_cast<double>(m);
    rec.duration = t;
    rec.z = zk;
    rec.hr = hrk;
    if (zk >= s.z_efficacy[k]) {
      rec.reject = true;
      break;
    }
    if (k + 1 < K && !s.z_futility.empty() && zk <= s.z_futility[k]) {
      rec.futility = true;
      break;
    }
  }
}

}  // namespace detail

TrialOutcome analyse_trial(const SimulationScenario& s,
                           std::span<const SimulatedPatient> patients) {
  validate_scenario(s);
  detail::TrialWorkspace ws;
  ws.patients.assign(patients.begin(), patients.end());
  const std::size_t K = s.looks.size();
  std::vector<double> z(K), hr(K), time(K), events(K);
  detail::TrialRecord rec;
  detail::analyse_trial(s, ws, rec, z.data(), hr.data(), time.data(), events.data());
  TrialOutcome o{.looks_done = rec.looks_done,
                 .stop_look = rec.stop_look,
                 .reject = rec.reject,
                 .futility = rec.futility,
                 .events_not_achieved = rec.events_not_achieved,
                 .events = rec.events,
                 .subjects = rec.subjects,
                 .duration = rec.duration,
                 .z = rec.z,
                 .hr = rec.hr};
  auto done = static_cast<std::size_t>(rec.looks_done);
  o.z_look.assign(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(done));
  o.hr_look.assign(hr.begin(), hr.begin() + static_cast<std::ptrdiff_t>(done));
  o.time_look.assign(time.begin(), time.begin() + static_cast<std::ptrdiff_t>(done));
  o.events_look.assign(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(done));
  return o;
}

}  // namespace hazard
