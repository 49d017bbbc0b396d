// Inference after a group-sequential test stops, by the stage-wise ordering of the sample space
// (Armitage 1957; Tsiatis, Rosner & Mehta 1984; Jennison & Turnbull 2000, sections 8.4 and 8.5),
// as rpact's getFinalPValue, getFinalConfidenceInterval (group-sequential designs).
//
// Input contract: the trial stopped at look s (1-based) with statistic z (efficacy orientation,
// already against the null margin) after continuing at looks 1..s-1; `upper` holds the efficacy
// bounds c_1..c_{s-1} (+inf: no stop possible), `lower` the lower stopping bounds l_1..l_{s-1}
// (binding futility bounds; -inf: none), `info` the information I_1..I_s on any increasing scale.
// The parameter theta is the drift per unit of sqrt(information): E Z_j = theta sqrt(I_j)
// (with I = events, theta = -log(HR / HR0) sqrt(r) / (1 + r) for a design HR < 1).
//
// Stage-wise ordering: (j, z_j) is "more extreme" than (s, z) when j < s and the trial stopped for
// efficacy at j, or j = s and z_j >= z. So
//   P(theta) = sum_{j<s} P_theta(continue to j, Z_j >= c_j) + P_theta(continue to s, Z_s >= z),
// increasing in theta, computed by crossing_probabilities (recursive integration) with the bounds
// shifted by theta sqrt(I_j). Then:
//   p-value                     P(0)
//   median-unbiased estimate    theta with P(theta) = 1/2
//   final CI (level 1 - 2a)     theta_L with P(theta_L) = a, theta_U with P(theta_U) = 1 - a.
// At s = 1 these are the fixed-sample quantities 1 - Phi(z), z / sqrt(I_1) and
// (z -+ z_{1-a}) / sqrt(I_1).
//
// rpact conventions kept (docs/methods/group_sequential.md): the statistic is taken to stop below
// -6 at every look (rpact's decision matrix has -6 where there is no futility bound, shifted with
// the other bounds), and z >= 8 gives no estimate (NaN), as rpact's NA.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "design/detail.hpp"
#include "hazard/error.hpp"
#include "hazard/monitor.hpp"

namespace hazard {

namespace {

constexpr double kNoLower = -6;  // rpact C_FUTILITY_BOUNDS_DEFAULT

double Phi_upper(double x) { return 0.5 * std::erfc(x / std::sqrt(2.0)); }

}  // namespace

StagewiseOrdering stagewise_ordering(const StagewiseOrderingOptions& o) {
  const std::size_t s = o.info.size();
  if (s == 0) throw UsageError("stage-wise ordering: no looks");
  if (o.upper.size() + 1 < s || o.lower.size() + 1 < s) {
    throw UsageError("stage-wise ordering: bounds are needed at every look before the stop");
  }
  double prev = 0;
  for (double t : o.info) {
    if (!(t > prev)) throw UsageError("stage-wise ordering: information must increase");
    prev = t;
  }
  if (!std::isfinite(o.z)) throw UsageError("stage-wise ordering: z must be finite");
  if (!(o.alpha > 0 && o.alpha < 0.5)) throw UsageError("stage-wise ordering: alpha in (0, 0.5)");

  StagewiseOrdering r;
  const double za = detail::z_upper(o.alpha);
  const double sq_s = std::sqrt(o.info[s - 1]);
  if (s == 1) {
    r.p_value = Phi_upper(o.z);
    r.theta_median = o.z / sq_s;
    r.theta_lower = (o.z - za) / sq_s;
    r.theta_upper = (o.z + za) / sq_s;
    return r;
  }

  std::vector<double> up(s), low(s), sq(s);
  for (std::size_t j = 0; j < s; ++j) sq[j] = std::sqrt(o.info[j]);
  // P(theta): the bounds are shifted as rpact's decision matrix (row - theta sqrt(I_j)).
  auto tail = [&](double theta) {
    for (std::size_t j = 0; j < s; ++j) {
      const bool last = j + 1 == s;
      const double c = last ? o.z : o.upper[j];
      const double l = last || !(o.lower[j] > kNoLower) ? kNoLower : o.lower[j];
      up[j] = c - theta * sq[j];
      low[j] = l - theta * sq[j];
    }
    auto p = crossing_probabilities(o.info, up, low, 0);
    return std::accumulate(p.upper.begin(), p.upper.end(), 0.0);
  };
  r.p_value = tail(0);
  if (o.z >= 8) {
    r.theta_median = r.theta_lower = r.theta_upper = std::nan("");
    return r;
  }
  // Bracket: near theta = (z - 12) / sqrt(I_s) the last shifted bound is above 8, so P is
  // small; near (z + 12) / sqrt(I_s) it is below -6, so P ~ 1. Widened until the target is inside.
  auto solve = [&](double target) {
    double lo = (std::min(o.z, 0.0) - 12) / sq_s;
    double hi = (std::max(o.z, 0.0) + 12) / sq_s;
    for (int i = 0; i < 40 && tail(lo) > target; ++i) lo -= 12 / sq[0];
    for (int i = 0; i < 40 && tail(hi) < target; ++i) hi += 12 / sq[0];
    return detail::solve_monotone([&](double th) { return tail(th) - target; }, lo, hi,
                                  o.tolerance);
  };
  r.theta_median = solve(0.5);
  r.theta_lower = solve(o.alpha);
  r.theta_upper = solve(1 - o.alpha);
  return r;
}

}  // namespace hazard
