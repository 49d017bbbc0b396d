// Internals shared by the design kernels: a bracketed root finder with rpact-like clamping.
#pragma once

#include <cmath>
#include <cstdint>
#include <utility>

#include <boost/math/tools/roots.hpp>

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

}  // namespace hazard::detail
