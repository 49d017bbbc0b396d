// Probability of a rectangle under a multivariate normal distribution with mean 0 and a given
// correlation matrix: P(lower_i < X_i < upper_i for all i). Used by the MaxCombo test
// (include/hazard/nph.hpp) for the p-value of the maximum of correlated weighted log-rank
// statistics; the algorithm is that of R's mvtnorm::pmvnorm (GenzBretz), written from Genz (1992)
// (docs/methods/nph.md).
//
// Example:
//   std::vector<double> corr{1, 0.5, 0.5, 1};
//   std::vector<double> lo{-1.96, -1.96}, hi{1.96, 1.96};
//   auto p = hazard::mvn_rectangle(lo, hi, corr);  // p.value ~ 0.9, p.error its bound
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace hazard {

struct MvnOptions {
  /// Stop once the error estimate (3 standard errors over the random shifts) is below this.
  double abs_tol = 1e-7;
  /// Lattice points per shift at most (the rule starts near 1,000 and about doubles up to this).
  std::size_t max_points = std::size_t{1} << 17;
  /// Random shifts of the lattice (their spread gives the error estimate).
  std::size_t shifts = 10;
  /// Seed of the shifts (a fixed seed: the same probability for the same input, every run).
  std::uint64_t seed = 20240613;
};

struct MvnProbability {
  double value = 0.0;      ///< the probability, in [0, 1]
  double error = 0.0;      ///< 3 standard errors of the mean over the shifts (0 for 1 dimension)
  std::size_t points = 0;  ///< integrand evaluations used
};

/// P(lower < X < upper) for X ~ N(0, R), R the d x d correlation matrix `corr` (row-major,
/// symmetric, unit diagonal, positive semi-definite; a singular R, as for two identical
/// statistics, is allowed). Limits may be -inf / +inf. Throws std::invalid_argument for
/// inconsistent sizes, lower > upper, NaN, or a matrix that is not a correlation matrix.
MvnProbability mvn_rectangle(std::span<const double> lower, std::span<const double> upper,
                             std::span<const double> corr, const MvnOptions& options = {});

}  // namespace hazard
