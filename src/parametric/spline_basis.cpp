// Royston–Parmar natural cubic spline on log time (Royston & Parmar 2002, Stat Med 21:2175;
// flexsurv::basis / dbasis and flexsurvspline's default knots).
//
// Basis at x = log t for knots k_min = k_0 < k_1 < ... < k_K < k_max = k_(K+1):
//   b_0 = 1, b_1 = x, b_(j+1) = (x - k_j)^3_+ - l_j (x - k_min)^3_+ - (1 - l_j)(x - k_max)^3_+,
//   l_j = (k_max - k_j)/(k_max - k_min), j = 1..K;
// linear beyond the boundary knots (the cubic and quadratic terms cancel). Derivative in x:
//   0, 1, 3 (x - k_j)^2_+ - 3 l_j (x - k_min)^2_+ - 3 (1 - l_j)(x - k_max)^2_+.
// Default knots (flexsurvspline): internal knots at the quantiles j/(K+1), j = 1..K, of the log
// event times (R's quantile type 7), boundary knots at their minimum and maximum. With case
// weights flexsurv takes the quantiles of the log event times each repeated
// round(n * 100 * w / sum(w)) times (its quantile_weighted, n = number of events); so do we.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "hazard/error.hpp"
#include "hazard/parametric.hpp"

namespace hazard {

namespace {
inline double cube_plus(double u) { return u > 0 ? u * u * u : 0; }
inline double square_plus(double u) { return u > 0 ? u * u : 0; }
}  // namespace

void spline_basis(const std::vector<double>& knots, double x, double* basis, double* derivative) {
  const std::size_t nk = knots.size();
  basis[0] = 1;
  basis[1] = x;
  if (derivative) {
    derivative[0] = 0;
    derivative[1] = 1;
  }
  if (nk < 3) return;
  const double kmin = knots.front(), kmax = knots.back();
  const double cmin = cube_plus(x - kmin), cmax = cube_plus(x - kmax);
  const double smin = square_plus(x - kmin), smax = square_plus(x - kmax);
  for (std::size_t j = 1; j + 1 < nk; ++j) {
    const double lam = (kmax - knots[j]) / (kmax - kmin);
    basis[j + 1] = cube_plus(x - knots[j]) - lam * cmin - (1 - lam) * cmax;
    if (derivative)
      derivative[j + 1] = 3 * (square_plus(x - knots[j]) - lam * smin - (1 - lam) * smax);
  }
}

std::vector<double> spline_knots(const std::vector<double>& time,
                                 const std::vector<std::uint8_t>& status,
                                 const std::vector<double>& weight, int internal) {
  if (weight.empty()) {
    // order statistics by selection (no sort of ~n log times)
    std::vector<double> lt;
    for (std::size_t i = 0; i < time.size(); ++i)
      if (status[i]) lt.push_back(std::log(time[i]));
    if (lt.empty()) throw UsageError("spline knots: no events");
    const auto [mn, mx] = std::minmax_element(lt.begin(), lt.end());
    std::vector<double> knots{*mn};
    const double hi = *mx;
    const double N = static_cast<double>(lt.size());
    auto order_stat = [&](std::size_t r) {
      std::nth_element(lt.begin(), lt.begin() + static_cast<std::ptrdiff_t>(r), lt.end());
      return lt[r];
    };
    for (int j = 1; j <= internal; ++j) {
      const double h = (N - 1) * static_cast<double>(j) / (internal + 1);  // type 7, 0-based
      const auto lo = static_cast<std::size_t>(std::floor(h));
      const double xlo = order_stat(lo);
      const double xhi = lo + 1 < lt.size() ? order_stat(lo + 1) : xlo;
      knots.push_back(xlo + (h - static_cast<double>(lo)) * (xhi - xlo));
    }
    knots.push_back(hi);
    return knots;
  }
  std::vector<std::pair<double, double>> ev;  // log time, weight
  for (std::size_t i = 0; i < time.size(); ++i)
    if (status[i]) ev.emplace_back(std::log(time[i]), weight[i]);
  if (ev.empty()) throw UsageError("spline knots: no events");
  std::sort(ev.begin(), ev.end());
  std::vector<double> knots{ev.front().first};
  // flexsurv's replication: round(n * 100 * w / sum(w)) copies of each event
  std::vector<double> count(ev.size());
  double total = 0;
  for (const auto& e : ev) total += e.second;
  const double n = static_cast<double>(ev.size());
  for (std::size_t i = 0; i < ev.size(); ++i) count[i] = std::round(n * 100 * ev[i].second / total);
  std::vector<double> cum(ev.size());
  std::partial_sum(count.begin(), count.end(), cum.begin());
  const double N = cum.back();
  // the order statistic of 0-based rank r (r < N) of the expanded sample
  auto order_stat = [&](double r) {
    const auto it = std::upper_bound(cum.begin(), cum.end(), r);
    return ev[static_cast<std::size_t>(it - cum.begin())].first;
  };
  for (int j = 1; j <= internal; ++j) {
    const double p = static_cast<double>(j) / (internal + 1);
    const double h = (N - 1) * p;  // type 7, 0-based
    const double lo = std::floor(h);
    const double xlo = order_stat(lo);
    const double xhi = lo + 1 < N ? order_stat(lo + 1) : xlo;
    knots.push_back(xlo + (h - lo) * (xhi - xlo));
  }
  knots.push_back(ev.back().first);
  return knots;
}

}  // namespace hazard
