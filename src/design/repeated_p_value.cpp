// Repeated p-value at a look of a group-sequential test (Jennison & Turnbull 1989; 2000, section
// 9.3), as rpact's getRepeatedPValues (.getRepeatedPValuesGroupSequential).
//
// The repeated p-value at look j is the smallest overall level a at which the design, with the
// same spending function and information fractions, would reject H0 at look j:
//   p_j = a  such that  c_j(a) = z_j,
// where c_j(a) is the efficacy bound at look j of the design run at total level a (the bounds at
// looks 1..j depend only on t_1..t_j; at the final analysis the last look spends all of a). It is
// found by TOMS 748 on log a in [1e-12, 0.5] (binding futility: [1e-6, 0.5]); values >= 0.5 are
// reported as 0.5 (rpact searches (0, 0.5] and returns 0.5 as well), values below the lower end
// as that end. Like the repeated confidence interval, it is valid whatever
// the later course of the trial (it does not rely on the stopping rule being followed).
//
// As rpact: non-binding futility bounds are ignored; binding ones (beta spending) are recomputed
// for each level a (the whole design is rerun, so this is slower). Haybittle–Peto: the interim
// bounds z_{1-p} do not depend on a, so the repeated p-value is defined at the final analysis
// only (a ranges above the alpha spent by the interims); at an interim it is NaN (rpact returns the
// end point of its bisection there, 0.5 or its tolerance, which carries no information).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "design/detail.hpp"
#include "hazard/error.hpp"
#include "hazard/monitor.hpp"

namespace hazard {

double repeated_p_value(const RepeatedPValueOptions& o) {
  const std::size_t j = o.info.size();
  if (j == 0) throw UsageError("repeated p-value: no looks");
  if (!std::isfinite(o.z)) throw UsageError("repeated p-value: z must be finite");
  const bool hp = o.design.efficacy.type == SpendingType::haybittle_peto;
  if (hp && !o.final_analysis) return std::nan("");
  const bool binding = o.design.binding && o.design.futility.has_value();

  auto bound_at_level = [&](double level) {
    BoundaryOptions b = o.design;
    b.alpha = level;
    double theta = 0;
    if (binding) {
      // The futility bounds depend on the level through the beta-spending drift (a design needs
      // alpha < 0.5: the end of the search is taken just inside).
      b.alpha = std::min(level, 0.5 - 1e-9);
      theta = GroupSequentialDesign::compute(b).drift;
    } else {
      b.futility.reset();
      b.binding = false;
    }
    return detail::bounds_at(b, o.info, o.final_analysis, theta).upper[j - 1];
  };

  constexpr double kHigh = 0.5;
  // Binding beta-spending designs exist only down to ~1e-6 (the drift search of
  // group_sequential.cpp stops at 10); elsewhere the search starts at 1e-12.
  double low = binding ? 1e-6 : 1e-12;
  if (hp && j > 1) {
    // The interims spend a fixed amount whatever the level: the level must exceed it.
    BoundaryOptions b = o.design;
    double theta = binding ? GroupSequentialDesign::compute(b).drift : 0;
    if (!binding) b.futility.reset();
    auto bounds = detail::bounds_at(b, o.info, o.final_analysis, theta);
    std::vector<double> up(bounds.upper.begin(), bounds.upper.end() - 1);
    std::vector<double> lo(j - 1, -std::numeric_limits<double>::infinity());
    if (binding) std::copy(bounds.lower.begin(), bounds.lower.end() - 1, lo.begin());
    std::span<const double> info(o.info.data(), j - 1);
    auto p = crossing_probabilities(info, up, lo, 0);
    low += std::accumulate(p.upper.begin(), p.upper.end(), 0.0);
    if (low >= kHigh) return kHigh;
  }
  // g(u) = c_j(exp(u)) - z decreases in u.
  auto g = [&](double u) { return bound_at_level(std::exp(u)) - o.z; };
  const double ulo = std::log(low), uhi = std::log(kHigh);
  if (g(uhi) >= 0) return kHigh;
  if (g(ulo) <= 0) return low;
  return std::exp(detail::solve_monotone(g, ulo, uhi, 1e-13));
}

}  // namespace hazard
