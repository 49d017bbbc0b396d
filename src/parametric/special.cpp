// Stable special functions for the parametric families; formulas and ranges in special.hpp.
#include "parametric/special.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <cmath>

namespace hazard::detail::parametric {

double log_norm_upper(double w) {
  if (std::isnan(w)) return w;
  if (w < 0) return std::log1p(-0.5 * std::erfc(-w / sqrt2));
  if (w < 30) return std::log(0.5 * std::erfc(w / sqrt2));
  // 1 - Phi(w) = phi(w)/w * (1 - 1/w^2 + 3/w^4 - 15/w^6 + ...); at w >= 30 eight terms reach 1e-16.
  const double r = 1 / (w * w);
  double term = 1, sum = 1;
  for (int k = 1; k <= 8; ++k) {
    term *= -(2 * k - 1) * r;
    sum += term;
  }
  return -0.5 * w * w - std::log(w) - log_sqrt_2pi + std::log(sum);
}

namespace {

// 1 / (k + s)! for k = 0..24, s = 1, 2.
struct InverseFactorials {
  double c[2][25]{};
  constexpr InverseFactorials() {
    for (int s = 1; s <= 2; ++s) {
      double fact = 1;
      for (int k = 2; k <= s; ++k) fact *= k;
      for (int k = 0; k < 25; ++k) {
        if (k > 0) fact *= (k + s);
        c[s - 1][k] = 1 / fact;
      }
    }
  }
};
constexpr InverseFactorials inverse_factorials;

// sum_k c_k z^k and its first two derivatives, c_k = 1 / (k + s)!, k = 0..24 (|z| < 1: the
// terms fall below 1e-25 of the sum).
Taylor2 factorial_series(double z, int s) {
  const double* c = inverse_factorials.c[s - 1];
  Taylor2 r;
  double pk = 1, pk1 = 0, pk2 = 0;  // z^k, z^(k-1), z^(k-2)
  for (int k = 0; k < 25; ++k) {
    r.v += c[k] * pk;
    r.d1 += k * c[k] * pk1;
    r.d2 += k * (k - 1) * c[k] * pk2;
    pk2 = pk1;
    pk1 = pk;
    pk *= z;
  }
  return r;
}

}  // namespace

namespace {

// Horner coefficients of sum_k c_k z^k, c_k = 1/(k+s)!, and of its first two derivatives.
struct RatioSeries {
  static constexpr int n = 16;
  double v[2][n]{}, d1[2][n]{}, d2[2][n]{};
  constexpr RatioSeries() {
    for (int s = 1; s <= 2; ++s) {
      double c[n + 2]{};
      double fact = 1;
      for (int k = 2; k <= s; ++k) fact *= k;
      for (int k = 0; k < n + 2; ++k) {
        if (k > 0) fact *= (k + s);
        c[k] = 1 / fact;
      }
      for (int k = 0; k < n; ++k) {
        v[s - 1][k] = c[k];
        d1[s - 1][k] = (k + 1) * c[k + 1];
        d2[s - 1][k] = (k + 2) * (k + 1) * c[k + 2];
      }
    }
  }
};
constexpr RatioSeries ratio_series;

inline double horner(const double* c, double z) {
  double r = c[RatioSeries::n - 1];
  for (int k = RatioSeries::n - 2; k >= 0; --k) r = r * z + c[k];
  return r;
}

}  // namespace

ExpRatios exp_ratios(double z) {
  ExpRatios r;
  if (std::fabs(z) < 0.5) {
    for (int s = 0; s < 2; ++s) {
      Taylor2& t = s == 0 ? r.e : r.p;
      t.v = horner(ratio_series.v[s], z);
      t.d1 = horner(ratio_series.d1[s], z);
      t.d2 = horner(ratio_series.d2[s], z);
    }
    r.ez = 1 + z * r.e.v;
    return r;
  }
  const double ez = std::exp(z), iz = 1 / z;
  r.ez = ez;
  r.e.v = (ez - 1) * iz;
  r.e.d1 = (ez - r.e.v) * iz;
  r.e.d2 = (ez - 2 * r.e.d1) * iz;
  r.p.v = (r.e.v - 1) * iz;
  r.p.d1 = (r.e.v - 2 * r.p.v) * iz;
  r.p.d2 = (r.e.d1 - 3 * r.p.d1) * iz;
  return r;
}

Taylor2 exp_ratio(double z) {
  if (std::fabs(z) < 1) return factorial_series(z, 1);
  Taylor2 r;
  const double ez = std::exp(z);
  r.v = std::expm1(z) / z;
  r.d1 = (ez - r.v) / z;
  r.d2 = (ez - 2 * r.d1) / z;
  return r;
}

Taylor2 exp_ratio2(double z) {
  if (std::fabs(z) < 1) return factorial_series(z, 2);
  Taylor2 r;
  const Taylor2 e = exp_ratio(z);
  r.v = (e.v - 1) / z;
  r.d1 = (e.v - 2 * r.v) / z;
  r.d2 = (e.d1 - 3 * r.d1) / z;
  return r;
}

Taylor2 stirling_rest(double q) {
  Taylor2 r;
  if (std::fabs(q) < 0.3) {
    // c_k = B_2k / (2k (2k-1)), k = 1..8
    static constexpr double c[8] = {1.0 / 12,          -1.0 / 360,   1.0 / 1260, -1.0 / 1680,
                                    1.0 / 1188,        -691.0 / 360360, 1.0 / 156,
                                    -3617.0 / 122400};
    const double q2 = q * q;
    // D = sum c_k Q^(4k-2); D' = sum c_k (4k-2) Q^(4k-3); D'' = sum c_k (4k-2)(4k-3) Q^(4k-4)
    double p = 1;  // Q^(4k-4)
    const double q4 = q2 * q2;
    for (int k = 1; k <= 8; ++k) {
      const double e = 4.0 * k - 2;
      r.v += c[k - 1] * p * q2;
      r.d1 += c[k - 1] * e * p * q;
      r.d2 += c[k - 1] * e * (e - 1) * p;
      p *= q4;
    }
    return r;
  }
  const double a = 1 / (q * q);
  const double la = std::log(a);
  r.v = boost::math::lgamma(a) - (a - 0.5) * la + a - log_sqrt_2pi;
  const double d1 = boost::math::digamma(a) - la + 0.5 / a;             // delta'(a)
  const double d2 = boost::math::trigamma(a) - 1 / a - 0.5 / (a * a);   // delta''(a)
  const double da = -2 / (q * q * q);                                    // da/dQ
  const double dda = 6 / (q * q * q * q);                                // d2a/dQ2
  r.d1 = d1 * da;
  r.d2 = d2 * da * da + d1 * dda;
  return r;
}

}  // namespace hazard::detail::parametric
