// Counterfactual survival times of the switching methods (rpsftm's untreated(), trtswitch's
// unswitched()), for one-way switching from the control arm to the experimental treatment.
//
// Time on treatment: T_on = T in the experimental arm (treated throughout: rx = 1), T - S for a
// control patient who switched at S, 0 otherwise. Untreated time: U = (T - T_on) + exp(psi) T_on.
// Re-censoring (Robins & Tsiatis 1991; White et al. 1999): the administrative censoring time C
// maps to C* = min(C, C exp(psi)), the smallest counterfactual censoring time any treatment
// history could give, and U > C* becomes (C*, censored). As rpsftm's autoswitch, an arm in
// which every subject has the same treatment (rx all 1 in the experimental arm, all 0 in the
// control arm) is not re-censored: its counterfactual times are a monotone map of the observed
// ones, so censoring stays non-informative there.
//
// Input contract: check_switch_data holds.
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "crossover/detail.hpp"
#include "hazard/crossover.hpp"

namespace hazard {

void check_switch_data(const SwitchData& d) {
  const std::size_t n = d.time.size();
  auto same = [n](std::size_t m, const char* what) {
    if (m != n) throw std::invalid_argument(fmt::format("switch data: {} has {} entries, time {}", what, m, n));
  };
  same(d.status.size(), "status");
  same(d.arm.size(), "arm");
  same(d.switched.size(), "switched");
  same(d.switch_time.size(), "switch_time");
  if (!d.censor_time.empty()) same(d.censor_time.size(), "censor_time");
  if (!d.stratum.empty()) same(d.stratum.size(), "stratum");
  if (d.x.size() > 0) same(static_cast<std::size_t>(d.x.rows()), "x");
  if (static_cast<std::size_t>(d.x.cols()) != d.names.size())
    throw std::invalid_argument("switch data: x and names differ in columns");
  bool arms[2] = {false, false};
  for (std::size_t i = 0; i < n; ++i) {
    if (!(d.time[i] >= 0) || !std::isfinite(d.time[i]))
      throw std::invalid_argument(fmt::format("switch data: row {}: time {} is not a finite time >= 0", i, d.time[i]));
    if (d.status[i] > 1) throw std::invalid_argument(fmt::format("switch data: row {}: status is not 0/1", i));
    if (d.arm[i] != 0 && d.arm[i] != 1)
      throw std::invalid_argument(fmt::format("switch data: row {}: arm {} is not 0/1", i, d.arm[i]));
    arms[d.arm[i]] = true;
    if (d.switched[i]) {
      if (d.arm[i] != 0)
        throw std::invalid_argument(fmt::format("switch data: row {}: a switch in the experimental arm", i));
      if (!(d.switch_time[i] >= 0 && d.switch_time[i] <= d.time[i]))
        throw std::invalid_argument(
            fmt::format("switch data: row {}: switch time {} outside [0, {}]", i, d.switch_time[i], d.time[i]));
    }
    if (!d.censor_time.empty() && !(d.censor_time[i] >= d.time[i] && std::isfinite(d.censor_time[i])))
      throw std::invalid_argument(
          fmt::format("switch data: row {}: censor time {} below the time {}", i, d.censor_time[i], d.time[i]));
  }
  if (!arms[0] || !arms[1]) throw std::invalid_argument("switch data: both arms need subjects");
}

namespace {

double time_on(const SwitchData& d, std::size_t i) {
  if (d.arm[i] == 1) return d.time[i];
  return d.switched[i] ? d.time[i] - d.switch_time[i] : 0.0;
}

// Whether arm a is re-censored (autoswitch): some subject's rx differs from the arm's own
// treatment (1 experimental, 0 control).
bool arm_varies(const SwitchData& d, std::int32_t a) {
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d.arm[i] != a) continue;
    const double on = time_on(d, i);
    if (a == 0 ? on > 0 : on < d.time[i]) return true;
  }
  return false;
}

void fill(const SwitchData& d, double psi, bool recensor, bool observed_experimental,
          Counterfactual& out) {
  const std::size_t n = d.size();
  const double a = std::exp(psi);
  out.time.resize(n);
  out.status.resize(n);
  const bool rc = recensor && !d.censor_time.empty();
  const bool rc_arm[2] = {rc && arm_varies(d, 0), rc && !observed_experimental && arm_varies(d, 1)};
  for (std::size_t i = 0; i < n; ++i) {
    if (observed_experimental && d.arm[i] == 1) {
      out.time[i] = d.time[i];
      out.status[i] = d.status[i];
      continue;
    }
    const double on = time_on(d, i);
    const double u = (d.time[i] - on) + a * on;
    out.time[i] = u;
    out.status[i] = d.status[i];
    if (rc_arm[d.arm[i]]) {
      const double c = std::min(d.censor_time[i], d.censor_time[i] * a);
      if (c < u) {
        out.time[i] = c;
        out.status[i] = 0;
      }
    }
  }
}

}  // namespace

Counterfactual untreated_times(const SwitchData& data, double psi, bool recensor) {
  Counterfactual out;
  fill(data, psi, recensor, false, out);
  return out;
}

Counterfactual unswitched_times(const SwitchData& data, double psi, bool recensor) {
  Counterfactual out;
  fill(data, psi, recensor, true, out);
  return out;
}

}  // namespace hazard
