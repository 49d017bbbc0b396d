// Quantiles of a Kaplan–Meier curve and their confidence limits.
//
// Source: R survival, quantile.survfit -> doquant -> findq (tolerance sqrt(.Machine$double.eps)).
// The quantile p is the time at which the curve falls to 1 - p; the limits invert the pointwise
// band: the lower limit is where the lower band falls to 1 - p, the upper where the upper band
// does. With x = (0, t_1..t_m) and y = (0, 1 - S_1..1 - S_m) (or 1 - lower, 1 - upper), findq:
//   * returns NA when max(y) < p;
//   * drops repeated y values (keeping the first) and NA values;
//   * i1 = the point with the smallest y + tol >= p, i2 = the point with the smallest y - tol >= p
//     (approx(method = "constant", f = 1)); NA when p is outside the range of y -/+ tol;
//   * quantile = (x[i1] + x[i2]) / 2: when S is flat at exactly 1 - p (within tol) this is the
//     midpoint of the flat segment, otherwise x[i1] = x[i2], the first time S <= 1 - p;
//   * when the flat segment is the last one (|p - y_last| < tol), the midpoint uses the last time
//     of the curve (a censoring time) as its right end.
// NA is returned as NaN ("not estimable").
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "km/km_detail.hpp"

namespace hazard {

namespace detail {

namespace {

/// R's findq for each p on the n >= 1 points (x(i), y(i)), read through the functions x and y
/// (so that a curve's columns serve without copies); y may be NaN.
template <class X, class Y>
std::vector<double> findq_of(std::size_t n, X&& x, Y&& y, const std::vector<double>& probs) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());

  // The usual case: y non-decreasing with no NaN (1 - S of a curve, and its limits while they are
  // defined); then max(y) is the last y.
  bool sorted_finite = n > 0;
  for (std::size_t i = 0; i < n && sorted_finite; ++i)
    sorted_finite = !std::isnan(y(i)) && (i == 0 || y(i) >= y(i - 1));
  double ymax = -std::numeric_limits<double>::infinity();
  if (sorted_finite)
    ymax = y(n - 1);
  else
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isnan(y(i))) ymax = std::max(ymax, y(i));
  const double xmax = x(n - 1);

  // The answer for each p, given `locate(p, shift)`: the index of the point with the smallest
  // y + shift >= p among the kept, non-missing points (approx(y + shift, index, p, method =
  // "constant", f = 1, rule = 1)), NaN outside [lo, hi] + shift; ylast is R's y[last] (NaN when
  // the last kept value is NA).
  auto answer = [&](auto&& locate, double lo, double hi, double ylast) {
    std::vector<double> out;
    out.reserve(probs.size());
    for (const double p : probs) {
      if (ymax < p) {
        out.push_back(nan);
        continue;
      }
      auto at = [&](double shift) {
        return p < lo + shift || p > hi + shift ? nan : locate(p, shift);
      };
      const double i1 = at(tol);
      const double i2 = at(-tol);
      auto xat = [&](double i) { return std::isnan(i) ? nan : x(static_cast<std::size_t>(i)); };
      double q = (xat(i1) + xat(i2)) / 2;
      if (p == 0) q = x(0);
      if (!std::isnan(ylast) && std::fabs(p - ylast) < tol) q = (xat(i1) + xmax) / 2;
      out.push_back(q);
    }
    return out;
  };

  // In the usual case the point with the smallest y + shift >= p is the first index where
  // y + shift >= p (adding a constant keeps the order, duplicates are the later points of a run),
  // found by binary search; the result equals the general path below.
  if (sorted_finite) {
    auto first_at_least = [&](double p, double shift) -> double {
      std::size_t lo = 0, hi = n;  // first i in [lo, hi) with y(i) + shift >= p
      while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (y(mid) + shift >= p)
          hi = mid;
        else
          lo = mid + 1;
      }
      return lo == n ? nan : static_cast<double>(lo);
    };
    return answer(first_at_least, y(0), y(n - 1), y(n - 1));
  }

  // duplicated(y): a value seen before (NaN counts as equal to NaN). The usual case, y
  // non-decreasing apart from NaN (1 - S and 1 - the limits of a KM curve), takes one pass;
  // otherwise positions are sorted by value and the first of each run is kept.
  std::vector<char> keep(n, 0);
  bool monotone = true;
  {
    bool seen_nan = false, seen_num = false;
    double prev = 0;
    for (std::size_t i = 0; i < n && monotone; ++i) {
      if (std::isnan(y(i))) {
        keep[i] = !seen_nan;
        seen_nan = true;
      } else {
        if (seen_num && y(i) < prev) monotone = false;
        keep[i] = !seen_num || y(i) != prev;
        seen_num = true;
        prev = y(i);
      }
    }
  }
  if (!monotone) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (std::isnan(y(a)) || std::isnan(y(b))) return !std::isnan(y(a)) && std::isnan(y(b));
      return y(a) < y(b);
    });
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = order[k];
      const bool dup =
          k > 0 && (std::isnan(y(i)) ? std::isnan(y(order[k - 1])) : y(i) == y(order[k - 1]));
      keep[i] = !dup;
    }
  }
  std::size_t last = 0;  // R's y[n] after removing duplicates
  for (std::size_t i = 0; i < n; ++i)
    if (keep[i]) last = i;

  // Range of the kept, non-missing points (approx's rule = 1 bounds).
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t i = 0; i < n; ++i)
    if (keep[i] && !std::isnan(y(i))) {
      lo = std::min(lo, y(i));
      hi = std::max(hi, y(i));
    }

  if (monotone) {
    // The non-missing values never decrease (NaN holes aside, e.g. limits undefined once S = 0):
    // the smallest kept y + shift >= p is at the first non-missing index where y + shift >= p
    // (every later one is no smaller, and an earlier equal y would satisfy too, so that index is
    // kept), found by binary search within the runs of non-missing points.
    std::vector<std::pair<std::size_t, std::size_t>> runs;  // [begin, end) of non-NaN points
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isnan(y(i))) {
        if (runs.empty() || runs.back().second != i)
          runs.emplace_back(i, i + 1);
        else
          ++runs.back().second;
      }
    auto first_at_least = [&](double p, double shift) -> double {
      for (const auto& run : runs) {
        if (!(y(run.second - 1) + shift >= p)) continue;
        std::size_t b = run.first, e = run.second - 1;  // the first in [b, e] with y + shift >= p
        while (b < e) {
          const std::size_t mid = b + (e - b) / 2;
          if (y(mid) + shift >= p)
            e = mid;
          else
            b = mid + 1;
        }
        return static_cast<double>(b);
      }
      return nan;
    };
    return answer(first_at_least, lo, hi, y(last));
  }
  auto smallest_at_least = [&](double p, double shift) -> double {
    double best = std::numeric_limits<double>::infinity();
    std::size_t at = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (!keep[i] || std::isnan(y(i))) continue;
      const double v = y(i) + shift;
      if (v >= p && v < best) {
        best = v;
        at = i;
      }
    }
    return at == n ? nan : static_cast<double>(at);
  };
  return answer(smallest_at_least, lo, hi, y(last));
}

}  // namespace

/// R's findq for each p. `x` and `y` have the same length >= 1; y may hold NaN.
std::vector<double> findq(const std::vector<double>& x, const std::vector<double>& y,
                          const std::vector<double>& probs) {
  return findq_of(
      y.size(), [&](std::size_t i) { return x[i]; }, [&](std::size_t i) { return y[i]; }, probs);
}

}  // namespace detail

std::vector<KmQuantile> km_quantiles(const KmCurve& curve, const std::vector<double>& probs) {
  for (double p : probs)
    if (!(p >= 0 && p <= 1)) throw UsageError("a quantile must be a probability in [0, 1]");
  // findq's points: (0, 0) (quantile.survfit's firstx: start.time, else 0), then (t, 1 - S(t))
  const std::size_t m = curve.size();
  auto x = [&](std::size_t i) { return i == 0 ? 0.0 : curve.time[i - 1]; };
  auto band = [&](const std::vector<double>& s) {
    return detail::findq_of(
        m + 1, x, [&](std::size_t i) { return i == 0 ? 0.0 : 1 - s[i - 1]; }, probs);
  };
  const std::vector<double> est = band(curve.surv), low = band(curve.lower), up = band(curve.upper);
  std::vector<KmQuantile> out(probs.size());
  for (std::size_t k = 0; k < probs.size(); ++k) {
    out[k].p = probs[k];
    out[k].estimate = est[k];
    out[k].lower = low[k];
    out[k].upper = up[k];
  }
  return out;
}

KmQuantile km_quantile(const KmCurve& curve, double p) { return km_quantiles(curve, {p}).front(); }

}  // namespace hazard
