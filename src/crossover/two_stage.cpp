// The simple two-stage method for treatment switching (Latimer, Abrams, Lambert et al. 2017,
// "Adjusting for treatment switching in randomised controlled trials - a simulation study and a
// simplified two-stage method", Stat Methods Med Res 26(2)), with trtswitch::tsesimp's conventions:
//
//   1. secondary baseline b_i of a control patient: progression, or the switch when it comes
//      first or without a recorded progression;
//   2. post-progression survival of the control patients with a secondary baseline,
//      pps_i = T_i - b_i + offset, in a Weibull AFT model (weibull_aft.cpp) on the switch
//      indicator and the covariates at the secondary baseline:
//        log pps = a + g * switched + x2' c + sigma W,   psi = -g  (exp(-psi) = time ratio);
//   3. counterfactual control times: switchers U = (b - offset) + (T - (b - offset)) exp(psi),
//      others U = T; re-censoring of every control patient at C* = C min(1, exp(psi));
//   4. coxph(Surv(t*, d*) ~ arm + x + strata(s)) of the observed experimental arm against the
//      counterfactual control arm; psi's CI is the AFT model's Wald interval, the HR's from the
//      Cox model (ignores psi's uncertainty) or the bootstrap (both stages re-run per sample).
// Input contract: check_switch_data holds, progressed/progression_time filled (NaN when none).
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "crossover/detail.hpp"
#include "hazard/crossover.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

TwoStageResult two_stage_core(const SwitchData& d, const TwoStageOptions& o, bool full) {
  const std::size_t n = d.size();
  if (d.progressed.size() != n || d.progression_time.size() != n)
    throw std::invalid_argument("two_stage: progression data missing");
  if (d.x2.rows() != static_cast<Eigen::Index>(n) && d.x2.cols() > 0)
    throw std::invalid_argument("two_stage: x2 rows differ");
  TwoStageResult r;
  r.options = o;
  std::vector<double> base(n, nan_v);
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < n; ++i) {
    if (d.arm[i] != 0) continue;
    double b = d.progressed[i] ? d.progression_time[i] : nan_v;
    if (d.switched[i] && !(b <= d.switch_time[i])) {
      b = d.switch_time[i];
      ++r.switch_before_progression;
    }
    if (std::isfinite(b)) {
      base[i] = b;
      rows.push_back(i);
    }
  }
  r.progressed = rows.size();
  std::vector<double> pps(rows.size());
  std::vector<std::uint8_t> st(rows.size());
  const Eigen::Index q = d.x2.cols();
  Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), 1 + q);
  std::size_t switchers = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::size_t i = rows[k];
    pps[k] = d.time[i] - base[i] + o.pps_offset;
    if (!(pps[k] > 0))
      throw NumericalError(fmt::format(
          "post-progression survival is {} for a control patient (time {}, secondary baseline {}): the "
          "AFT model needs times > 0; add --pps-offset (e.g. one day in the time's units)",
          pps[k], d.time[i], base[i]));
    st[k] = d.status[i];
    x(static_cast<Eigen::Index>(k), 0) = d.switched[i] ? 1.0 : 0.0;
    switchers += d.switched[i] ? 1 : 0;
    if (q) x.row(static_cast<Eigen::Index>(k)).tail(q) = d.x2.row(static_cast<Eigen::Index>(i));
  }
  if (switchers == 0 || switchers == rows.size())
    throw NumericalError(fmt::format("the AFT model needs switchers and non-switchers among the {} control patients "
                                     "with a secondary baseline ({} switched)", rows.size(), switchers));
  std::vector<std::string> names{"switched"};
  for (const auto& s : d.names2) names.push_back(s);
  r.aft = weibull_aft(pps, st, x, names, o.aft);
  if (!r.aft.converged) r.warnings.push_back("the AFT model did not converge");
  const double zc = detail::z_two_sided(o.conf_level);
  r.psi = -r.aft.coef[1];
  r.psi_lower = r.psi - zc * r.aft.se[1];
  r.psi_upper = r.psi + zc * r.aft.se[1];
  r.time_ratio = std::exp(-r.psi);

  const double a = std::exp(r.psi), c0 = std::min(1.0, a);
  Counterfactual& cf = r.unswitched;
  cf.time = d.time;
  cf.status = d.status;
  for (std::size_t i = 0; i < n; ++i) {
    if (d.arm[i] != 0) continue;
    double u = d.time[i];
    if (d.switched[i]) {
      const double b2 = base[i] - o.pps_offset;
      u = b2 + (d.time[i] - b2) * a;
    }
    cf.time[i] = u;
    if (o.recensor && !d.censor_time.empty()) {
      const double c = d.censor_time[i] * c0;
      if (c < u) {
        cf.time[i] = c;
        cf.status[i] = 0;
      }
    }
  }
  detail::ArmCoxInput in{.time = cf.time, .status = cf.status, .arm = d.arm, .stratum = d.stratum,
                         .x = &d.x, .names = &d.names};
  r.hr = detail::arm_cox(in, o.ties, o.conf_level);
  for (const auto& w : r.hr.fit.warnings) r.warnings.push_back("HR model: " + w);
  if (full) {
    r.control_km = detail::arm_km(cf.time, cf.status, d.arm, 0, o.conf_level);
    r.experimental_km = detail::arm_km(cf.time, cf.status, d.arm, 1, o.conf_level);
  }
  return r;
}

}  // namespace

TwoStageResult two_stage(const SwitchData& data, const TwoStageOptions& o) {
  check_switch_data(data);
  if (!(o.conf_level > 0 && o.conf_level < 1)) throw UsageError("the confidence level must be in (0, 1)");
  if (!(o.pps_offset >= 0) || !std::isfinite(o.pps_offset)) throw UsageError("--pps-offset must be >= 0");
  if (o.recensor && data.censor_time.empty())
    throw UsageError("re-censoring needs the administrative censoring time (--censor-time or --cutoff-date), "
                     "or turn it off with --no-recensor");
  if (o.boot.replicates < 0) throw UsageError("the number of bootstrap replicates must be >= 0");
  TwoStageResult r = two_stage_core(data, o, true);
  if (o.boot.replicates > 0) {
    std::vector<double> log_hr(static_cast<std::size_t>(o.boot.replicates)), psi(log_hr.size());
    for (std::size_t b = 0; b < log_hr.size(); ++b) {
      const SwitchData s = detail::subset(data, detail::bootstrap_indices(data.arm, o.boot.seed, b));
      try {
        const TwoStageResult rb = two_stage_core(s, o, false);
        log_hr[b] = rb.hr.log_hr;
        psi[b] = rb.psi;
      } catch (const NumericalError&) {
        log_hr[b] = psi[b] = nan_v;
      }
    }
    r.boot = detail::summarise_bootstrap(o.boot, o.conf_level, log_hr, psi);
    if (r.boot->failed > 0)
      r.warnings.push_back(fmt::format("{} of {} bootstrap replicates could not be fitted and are left out",
                                       r.boot->failed, o.boot.replicates));
  }
  return r;
}

}  // namespace hazard
