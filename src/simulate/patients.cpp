// Patient generation of one simulated trial from its own counter-based random stream.
//
// Random123 Philox4x64-10 (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"):
// key = (seed, 0), counter = (trial, patient, block, 0). One call gives four 64-bit words, turned
// into uniforms on (0, 1) by (w >> 11) * 2^-53 + 2^-54. Block 0 feeds, per patient, the stratum
// (u0), the event time (u1), the dropout time (u2) and a random entry time (u3); block 1 the
// random arm. Each patient's values depend only on (seed, trial, patient), so any thread may
// simulate any trial.
//
// Event time: T = H^{-1}(-log u1) with H the arm's piecewise cumulative hazard times the stratum's
// multiplier; dropout: -log(u2) / hazard (none when the hazard is 0).
#include <algorithm>
#include <cmath>
#include <limits>

#include <Random123/philox.h>

#include "detail.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace detail {

namespace {

inline double to_uniform(std::uint64_t w) {
  return static_cast<double>(w >> 11) * 0x1.0p-53 + 0x1.0p-54;
}

}  // namespace

void generate_patients(const SimulationScenario& s, const ScenarioPlan& plan, std::uint64_t seed,
                       std::uint64_t trial, std::vector<SimulatedPatient>& out) {
  using Rng = r123::Philox4x64;
  Rng rng;
  const Rng::key_type key = {{seed, 0}};
  constexpr double inf = std::numeric_limits<double>::infinity();
  out.resize(s.n);
  const std::uint64_t block = static_cast<std::uint64_t>(plan.block_exp + plan.block_ctl);
  const double p_exp = s.ratio / (1 + s.ratio);
  // Two passes: first the random words of every patient (the Philox calls are independent, so
  // the processor overlaps them), held as uniforms in the fields they will become; then the
  // transformations (logarithms, quantiles). The same values as one pass.
  std::uint64_t in_block = 0;  // i mod block, without a division per patient
  for (std::size_t i = 0; i < s.n; ++i) {
    Rng::ctr_type ctr = {{trial, static_cast<std::uint64_t>(i), 0, 0}};
    auto r = rng(ctr, key);
    SimulatedPatient& p = out[i];
    if (s.random_allocation) {
      Rng::ctr_type ctr2 = {{trial, static_cast<std::uint64_t>(i), 1, 0}};
      p.arm = to_uniform(rng(ctr2, key)[0]) < p_exp ? 1 : 0;
    } else {
      p.arm = in_block < static_cast<std::uint64_t>(plan.block_exp) ? 1 : 0;
    }
    in_block = in_block + 1 == block ? 0 : in_block + 1;
    p.stratum = 0;
    if (!plan.stratum_cum.empty()) {
      double u = to_uniform(r[0]);
      auto it = std::lower_bound(plan.stratum_cum.begin(), plan.stratum_cum.end(), u);
      p.stratum = static_cast<std::int32_t>(std::min<std::ptrdiff_t>(
          it - plan.stratum_cum.begin(), static_cast<std::ptrdiff_t>(plan.stratum_cum.size()) - 1));
    }
    p.survival = to_uniform(r[1]);
    p.dropout = to_uniform(r[2]);
    p.entry = to_uniform(r[3]);
  }
  for (std::size_t i = 0; i < s.n; ++i) {
    SimulatedPatient& p = out[i];
    const double multiplier = plan.stratum_cum.empty()
                                  ? 1.0
                                  : s.strata[static_cast<std::size_t>(p.stratum)].hazard_multiplier;
    const PiecewiseHazard& h = p.arm ? s.experimental : s.control;
    double e = -std::log(p.survival);
    p.survival = h.rate.size() == 1 ? (h.rate[0] > 0 ? e / (h.rate[0] * multiplier) : inf)
                                    : piecewise_quantile(h, e, multiplier);
    double drop = p.arm ? s.dropout_experimental : s.dropout_control;
    p.dropout = drop > 0 ? -std::log(p.dropout) / drop : inf;
    if (s.random_accrual) {
      // inverse of the piecewise-uniform accrual distribution
      double u = p.entry;
      auto it = std::lower_bound(plan.accrual_cum.begin(), plan.accrual_cum.end(), u);
      std::size_t j = std::min<std::size_t>(static_cast<std::size_t>(it - plan.accrual_cum.begin()),
                                            plan.accrual_cum.size() - 1);
      double c0 = j ? plan.accrual_cum[j - 1] : 0.0, t0 = j ? plan.accrual_end[j - 1] : 0.0;
      double c1 = plan.accrual_cum[j], t1 = plan.accrual_end[j];
      p.entry = c1 > c0 ? t0 + (u - c0) / (c1 - c0) * (t1 - t0) : t1;
    } else {
      p.entry = plan.entry_grid[i];
    }
  }
}

}  // namespace detail

void generate_patients(const SimulationScenario& s, std::uint64_t seed, std::uint64_t trial,
                       std::vector<SimulatedPatient>& out) {
  validate_scenario(s);
  detail::generate_patients(s, detail::plan_scenario(s), seed, trial, out);
}

}  // namespace hazard
