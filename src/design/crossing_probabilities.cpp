// Boundary-crossing probabilities of a group-sequential test by recursive numerical integration
// (Armitage, McPherson & Rowe 1969; Jennison & Turnbull 2000, ch. 19), on the grid rpact uses
// (getGroupSequentialProbabilitiesCpp) so that boundaries agree with rpact to its root tolerance.
//
// Model: Z_k = S_k / sqrt(t_k), S a Brownian motion in information t with drift `drift`, so
// E Z_k = drift sqrt(t_k) and cov(Z_j, Z_k) = sqrt(t_j / t_k). As rpact, the drift is removed by
// shifting the bounds (b - drift sqrt(t_k)) and the centred process is integrated.
//
// Recursion: f_1 = phi; f_k(x) = sum_i w_i f_{k-1}(x_i) sqrt(t_k / d_k)
//            phi((x sqrt(t_k) - x_i sqrt(t_{k-1})) / sqrt(d_k)), d_k = t_k - t_{k-1},
// over the grid x_i of the continuation interval (l_{k-1}, u_{k-1}) of stage k - 1: 91 equally
// spaced points, composite 7-point Newton–Cotes weights (15 panels). Bounds are clamped to
// [-6, 8] (rpact's C_FUTILITY_BOUNDS_DEFAULT and C_UPPER_BOUNDS_DEFAULT): beyond them the
// normal tail is below 1e-9.
// Stage k: P(lower) = sum_i w_i f_{k-1}(x_i) Phi(a_i(l_k)), the continuation mass reaching stage
// k is the previous stage's P(below upper) - P(below lower), and P(upper) = that mass minus
// sum_i w_i f_{k-1}(x_i) Phi(a_i(u_k)), with a_i(b) = (b sqrt(t_k) - x_i sqrt(t_{k-1})) / sqrt(d_k).
#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>

#include "hazard/design.hpp"

namespace hazard {

namespace {

constexpr int kPanels = 15;                       // rpact C_CONST_NEWTON_COTES_2
constexpr int kPointsPerPanel = 6;                // 7-point closed Newton–Cotes
constexpr int kGrid = kPanels * kPointsPerPanel + 1;  // 91 points
constexpr double kUpperCap = 8;
constexpr double kLowerCap = -6;

double phi(double x) {
  return boost::math::constants::one_div_root_two_pi<double>() * std::exp(-0.5 * x * x);
}

double Phi(double x) {
  // erfc form: accurate in both tails.
  return 0.5 * std::erfc(-x * boost::math::constants::one_div_root_two<double>());
}

/// Composite 7-point Newton–Cotes weights for `kGrid` points with spacing dx.
std::array<double, kGrid> weights(double dx) {
  // Closed 7-point rule: (6 dx / 840) * (41, 216, 27, 272, 27, 216, 41); neighbouring panels
  // share an end point (weight 82).
  static constexpr std::array<double, 7> nc = {41, 216, 27, 272, 27, 216, 41};
  std::array<double, kGrid> w{};
  for (int p = 0; p < kPanels; ++p) {
    for (int j = 0; j < 7; ++j) w[p * kPointsPerPanel + j] += nc[j];
  }
  for (double& v : w) v *= 6 * dx / 840;
  return w;
}

}  // namespace

double nominal_p(double z) { return std::isinf(z) && z > 0 ? 0.0 : Phi(-z); }

CrossingProbabilities crossing_probabilities(std::span<const double> info,
                                             std::span<const double> upper,
                                             std::span<const double> lower, double drift) {
  const std::size_t K = info.size();
  if (upper.size() != K || lower.size() != K) {
    throw std::invalid_argument("crossing_probabilities: info, upper and lower differ in length");
  }
  CrossingProbabilities out;
  out.upper.assign(K, 0.0);
  out.lower.assign(K, 0.0);
  if (K == 0) return out;

  std::vector<double> u(K), l(K), sq(K);
  for (std::size_t k = 0; k < K; ++k) {
    sq[k] = std::sqrt(info[k]);
    u[k] = std::min(upper[k] - drift * sq[k], kUpperCap);
    l[k] = std::max(lower[k] - drift * sq[k], kLowerCap);
  }

  // below_upper / below_lower: P(continue to k, Z_k < u_k) and P(continue to k, Z_k < l_k).
  double below_upper = Phi(u[0]);
  double below_lower = Phi(l[0]);
  out.upper[0] = 1 - below_upper;
  out.lower[0] = below_lower;

  std::array<double, kGrid> x{}, dn{}, x_prev{}, dn_prev{};
  for (std::size_t k = 1; k < K; ++k) {
    // Grid on the continuation interval of stage k - 1 and the weighted density there.
    const double a = l[k - 1];
    const double dx = (u[k - 1] - a) / (kGrid - 1);
    const auto w = weights(dx);
    for (int i = 0; i < kGrid; ++i) x[i] = a + i * dx;
    if (k == 1) {
      for (int i = 0; i < kGrid; ++i) dn[i] = w[i] * phi(x[i]);
    } else {
      const double d = info[k - 1] - info[k - 2];
      const double scale = std::sqrt(info[k - 1] / d);
      const double sd = std::sqrt(d);
      for (int i = 0; i < kGrid; ++i) {
        double f = 0;
        const double xi = x[i] * sq[k - 1];
        for (int j = 0; j < kGrid; ++j) f += dn_prev[j] * phi((xi - x_prev[j] * sq[k - 2]) / sd);
        dn[i] = w[i] * scale * f;
      }
    }
    // Integrate over the decision regions of stage k.
    const double d = info[k] - info[k - 1];
    const double sd = std::sqrt(d);
    double su = 0, sl = 0;
    for (int i = 0; i < kGrid; ++i) {
      const double m = x[i] * sq[k - 1];
      su += dn[i] * Phi((u[k] * sq[k] - m) / sd);
      sl += dn[i] * Phi((l[k] * sq[k] - m) / sd);
    }
    const double reach = below_upper - below_lower;
    out.upper[k] = reach - su;
    out.lower[k] = sl;
    below_upper = su;
    below_lower = sl;
    x_prev = x;
    dn_prev = dn;
  }
  return out;
}

}  // namespace hazard
