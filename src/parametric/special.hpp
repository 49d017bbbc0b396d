// Numerically stable special functions of the parametric survival families (internal).
//
//   log_norm_upper(w)   log(1 - Phi(w)) for every finite w: log1p(-Phi(w)) below 0, log(erfc/2)
//                       up to 30, and the asymptotic series of the Mills ratio beyond (erfc
//                       underflows at w ~ 37.5);
//   exp_ratio(z)        E(z) = (e^z - 1)/z and its first two derivatives;
//   exp_ratio2(z)       phi2(z) = (e^z - 1 - z)/z^2 and its first two derivatives;
//                       both by their Taylor series for |z| < 1 (no cancellation at z = 0, where
//                       E = 1, phi2 = 1/2), by the recurrences E' = (e^z - E)/z, E'' = (e^z - 2E')/z,
//                       phi2 = (E - 1)/z, phi2' = (E - 2 phi2)/z, phi2'' = (E' - 3 phi2')/z beyond;
//   stirling_rest(Q)    D(Q) = delta(1/Q^2), delta(a) = lgamma(a) - (a - 1/2) log a + a - log(2 pi)/2
//                       (the remainder of Stirling's formula), with dD/dQ and d2D/dQ2: by the
//                       Stirling series sum_k B_2k / (2k (2k-1)) a^(1-2k) = sum_k c_k Q^(4k-2) for
//                       |Q| < 0.3 (8 terms: < 1e-16 there), else from lgamma, digamma, trigamma.
//                       D(0) = 0: the generalised gamma's log density at Q = 0 is the log-normal's.
#pragma once

namespace hazard::detail::parametric {

inline constexpr double log_sqrt_2pi = 0.91893853320467274178;  // log(2 pi) / 2
inline constexpr double sqrt2 = 1.41421356237309504880;

/// log(1 - Phi(w)), the log upper tail of the standard normal.
double log_norm_upper(double w);

/// A function of one variable with its first two derivatives.
struct Taylor2 {
  double v = 0, d1 = 0, d2 = 0;
};

/// E(z) = (e^z - 1)/z, E(0) = 1.
Taylor2 exp_ratio(double z);
/// phi2(z) = (e^z - 1 - z)/z^2, phi2(0) = 1/2.
Taylor2 exp_ratio2(double z);
/// E and phi2 with their first two derivatives, and e^z, from one exponential (series for
/// |z| < 0.5, 16 terms: < 1e-18 there; the recurrences above beyond, where they lose at most a
/// factor ~6 to cancellation).
struct ExpRatios {
  Taylor2 e{}, p{};
  double ez = 1;
};
ExpRatios exp_ratios(double z);

/// D(Q) = delta(1/Q^2) (0 at Q = 0) and its derivatives in Q.
Taylor2 stirling_rest(double q);

}  // namespace hazard::detail::parametric
