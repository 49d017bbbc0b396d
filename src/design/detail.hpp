// Internals shared by the design kernels: a bracketed root finder with rpact-like clamping.
#pragma once

#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "hazard/design.hpp"
#include "hazard/error.hpp"

namespace hazard::detail {

/// Root of a monotone function f on [lo, hi] by TOMS 748 to an absolute tolerance `tol` on x.
/// When f has the same sign at both ends, returns the end where |f| is smaller (rpact's bisection
/// converges to that end too: a boundary of 8 means "no stop possible at this look").
template <class F>
double solve_monotone(F&& f, double lo, double hi, double tol) {
  double flo = f(lo);
  double fhi = f(hi);
  if (flo == 0) return lo;
  if (fhi == 0) return hi;
  if ((flo > 0) == (fhi > 0)) return std::fabs(flo) < std::fabs(fhi) ? lo : hi;
  std::uintmax_t max_iter = 200;
  auto stop = [tol](double a, double b) { return std::fabs(b - a) <= tol; };
  auto r = boost::math::tools::toms748_solve(f, lo, hi, flo, fhi, stop, max_iter);
  return 0.5 * (r.first + r.second);
}

/// z_{1-p}: the upper-tail standard normal quantile.
double z_upper(double p);

/// Efficacy bound at look k (0-based) such that the cumulative probability under H0 of crossing
/// upper[0..k] (with lower[0..k] as lower stopping bounds) is `target`; searched in [0, 8].
/// `two_sided`: the lower bounds are -upper (symmetric) and `target` is spent on both sides.
double solve_critical(std::span<const double> info, std::vector<double> upper,
                      const std::vector<double>& lower, std::size_t k, double target, double tol,
                      bool two_sided = false);

/// The constant C of the Wang–Tsiatis boundary c_k = C t_k^(delta - 1/2) with total `alpha`
/// crossing over the looks `info` (rpact getDesignGroupSequentialDeltaWTCpp), searched in [0, 8].
double wang_tsiatis_constant(std::span<const double> info, double delta, double alpha, int sided,
                             double tol);

/// `s` with its planned looks (user-defined spending) set to `planned` when not yet set.
Spending with_looks(Spending s, std::span<const double> planned);

/// Futility bound at look k such that the cumulative probability under drift theta of crossing
/// futility[0..k] is `target` (rpact getFutilityBoundOneSided); searched in [-6, 5].
double futility_bound_at(std::span<const double> info, const std::vector<double>& upper,
                         std::vector<double> futility, std::size_t k, double theta,
                         double target, double tol);

/// Efficacy and futility bounds of the design `o` recomputed at information fractions `info`
/// (interim monitoring): efficacy by the design's spending (Haybittle–Peto: z_{1-p} at interims),
/// the last look spending all alpha when `final_last`; futility by the design's beta spending
/// under drift `theta` (none at a final look). Internal values: 8 = no stop, -inf = no futility.
struct Bounds {
  std::vector<double> upper, lower;
};
Bounds bounds_at(const BoundaryOptions& o, std::span<const double> info, bool final_last,
                 double theta);

}  // namespace hazard::detail
