// The probability of a rectangle under a centred multivariate normal distribution with correlation
// matrix R, by Genz's separation of variables with randomized quasi-Monte Carlo integration: the
// algorithm of R's mvtnorm::pmvnorm (GenzBretz), written here from the papers.
//
// Formula. With R = L L' (Cholesky) and X = L Y, Y standard normal,
//     P(a < X < b) = integral over w in [0, 1]^(d-1) of  prod_i (e_i - d_i),
//     d_i = Phi((a_i - s_i) / L_ii),  e_i = Phi((b_i - s_i) / L_ii),  s_i = sum_{k<i} L_ik y_k,
//     y_k = Phi^-1(d_k + w_k (e_k - d_k))
// (Genz 1992, J Comput Graph Stat 1:141-149). The variables are ordered first as Genz & Bretz
// (2009, Computation of Multivariate Normal and t Probabilities, sec. 4.1.3): at each step the one
// with the smallest expected interval probability given the ones before (at their truncated
// means), which makes the integrand flatter. A variable whose conditional variance is 0 (a
// singular R: a statistic that is a linear combination of the others, as FH(0,0) = FH(1,0) +
// FH(0,1) in U) is put last; its constraint a_j <= sum_k L_jk y_k <= b_j is linear in y, so it
// narrows the interval of y_k at the last column k with L_jk != 0 (Genz & Bretz 2009, sec. 5.2),
// and the integrand stays continuous (an indicator would slow the lattice rule down).
//
// Integration. A randomly shifted rank-1 lattice rule (see lattice_generator: equal spacing, the
// Fibonacci lattice or a Korobov rule, by dimension), each point made periodic by the baker's
// transformation w = |2x - 1| and used with its antithetic 1 - w; `shifts` independent uniform
// shifts (from a fixed-seed SplitMix64 stream) give independent unbiased estimates, whose mean is
// the result and whose standard error times 3 the error bound. N grows (about doubling) from
// ~1,000 until that bound is below abs_tol or N reaches max_points (the bound is then reported as
// it is). Lattice rules converge like O(N^-2) on such periodized smooth integrands (a Kronecker
// sequence, Genz's first choice, only like O(log N / N)). Deterministic: the same input and
// options give the same bits.
//
// Upper tails: when d_i > 1/2, y_k is computed from the complements (1 - d_i, 1 - e_i), so that
// probabilities near 1 keep their relative accuracy.
//
// Input contract: lower, upper of length d >= 1, lower_i <= upper_i (either may be infinite);
// corr d x d row-major, symmetric, unit diagonal, positive semi-definite (up to rounding).
#include "hazard/mvnorm.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace hazard {
namespace {

double Phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double Phi_upper(double x) { return 0.5 * std::erfc(x / std::numbers::sqrt2); }
double phi(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi); }

// Phi^-1(p) for p in (0, 1), clamped so that an end point of the lattice never gives +-inf.
double Phi_inv(double p) {
  constexpr double kMin = 1e-300;
  p = std::clamp(p, kMin, 1.0 - std::numeric_limits<double>::epsilon() / 2);
  // without promotion to long double: several times faster, still accurate to a few ulps
  using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
  return boost::math::quantile(boost::math::normal_distribution<double, Policy>(), p);
}
// -Phi^-1(q) = Phi^-1(1 - q), for an upper-tail probability q in (0, 1).
double Phi_inv_upper(double q) { return -Phi_inv(q); }

// Conditional variances at or below this (relative to 1, the variances being 1) count as 0.
constexpr double kSingular = 1e-10;

struct Prepared {
  std::size_t d = 0;
  std::size_t rank = 0;   // rows [0, rank) have L_ii > 0; rows [rank, d) are singular
  std::vector<double> L;  // d x d lower triangular, row-major
  std::vector<double> a, b;
  // singular rows attached to each free column k: the constraint a_j <= sum_{l<=k} L_jl y_l <= b_j
  // bounds y_k (its last non-zero coefficient is L_jk)
  std::vector<std::vector<std::size_t>> attached;
};

// The Cholesky factor of R with Genz & Bretz's variable ordering.
Prepared prepare(std::span<const double> lower, std::span<const double> upper,
                 std::span<const double> corr) {
  const std::size_t d = lower.size();
  Prepared p;
  p.d = d;
  p.a.assign(lower.begin(), lower.end());
  p.b.assign(upper.begin(), upper.end());
  std::vector<double> S(corr.begin(), corr.end());
  p.L.assign(d * d, 0.0);
  std::vector<double> y(d, 0.0);
  auto swap_vars = [&](std::size_t i, std::size_t j) {
    if (i == j) return;
    std::swap(p.a[i], p.a[j]);
    std::swap(p.b[i], p.b[j]);
    for (std::size_t k = 0; k < d; ++k) std::swap(S[i * d + k], S[j * d + k]);
    for (std::size_t k = 0; k < d; ++k) std::swap(S[k * d + i], S[k * d + j]);
    for (std::size_t k = 0; k < i; ++k) std::swap(p.L[i * d + k], p.L[j * d + k]);
  };
  for (std::size_t i = 0; i < d; ++i) {
    // the remaining variable with the smallest expected interval probability
    std::size_t best_j = i;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t j = i; j < d; ++j) {
      double s = 0.0, v = S[j * d + j];
      for (std::size_t k = 0; k < i; ++k) {
        s += p.L[j * d + k] * y[k];
        v -= p.L[j * d + k] * p.L[j * d + k];
      }
      if (!(v > kSingular)) continue;  // singular rows go last
      const double sd = std::sqrt(v);
      const double prob = Phi((p.b[j] - s) / sd) - Phi((p.a[j] - s) / sd);
      if (prob < best) {
        best = prob;
        best_j = j;
      }
    }
    if (!std::isfinite(best)) break;  // every remaining row is singular
    swap_vars(i, best_j);
    p.rank = i + 1;
    double v = S[i * d + i], s = 0.0;
    for (std::size_t k = 0; k < i; ++k) {
      v -= p.L[i * d + k] * p.L[i * d + k];
      s += p.L[i * d + k] * y[k];
    }
    if (v > kSingular) {
      const double lii = std::sqrt(v);
      p.L[i * d + i] = lii;
      for (std::size_t j = i + 1; j < d; ++j) {
        double c = S[j * d + i];
        for (std::size_t k = 0; k < i; ++k) c -= p.L[j * d + k] * p.L[i * d + k];
        p.L[j * d + i] = c / lii;
      }
      // the mean of the standard normal truncated to the conditional interval
      const double lo = (p.a[i] - s) / lii, hi = (p.b[i] - s) / lii;
      const double mass = Phi(hi) - Phi(lo);
      const double dens = (std::isfinite(lo) ? phi(lo) : 0.0) - (std::isfinite(hi) ? phi(hi) : 0.0);
      y[i] = mass > 0.0 ? dens / mass : (std::isfinite(lo) ? lo : hi);
    }
  }
  p.attached.assign(p.rank, {});
  for (std::size_t j = p.rank; j < d; ++j) {
    std::size_t k = p.rank;  // the last column with a non-zero coefficient
    while (k > 0 && std::fabs(p.L[j * d + k - 1]) <= kSingular) --k;
    if (k == 0) throw std::invalid_argument("mvn_rectangle: a variable with variance 0");
    p.attached[k - 1].push_back(j);
  }
  return p;
}

// The integrand at w (rank - 1 coordinates); y is scratch of length d. Column i's interval for
// y_i is that of its own row intersected with those of the singular rows attached to it.
double integrand(const Prepared& p, const double* w, double* y) {
  const std::size_t d = p.d;
  double f = 1.0;
  for (std::size_t i = 0; i < p.rank; ++i) {
    double s = 0.0;
    for (std::size_t k = 0; k < i; ++k) s += p.L[i * d + k] * y[k];
    const double lii = p.L[i * d + i];
    double lo = (p.a[i] - s) / lii, hi = (p.b[i] - s) / lii;
    for (std::size_t j : p.attached[i]) {
      double sj = 0.0;
      for (std::size_t k = 0; k < i; ++k) sj += p.L[j * d + k] * y[k];
      const double c = p.L[j * d + i];
      double l = (p.a[j] - sj) / c, h = (p.b[j] - sj) / c;
      if (c < 0.0) std::swap(l, h);
      lo = std::max(lo, l);
      hi = std::min(hi, h);
    }
    if (!(lo < hi)) return 0.0;
    if (lo > 0.0) {
      // upper tail: complements keep their accuracy
      const double qd = Phi_upper(lo), qe = Phi_upper(hi);
      f *= qd - qe;
      if (f <= 0.0) return 0.0;
      if (i + 1 < p.rank) y[i] = Phi_inv_upper(qd - w[i] * (qd - qe));
    } else {
      const double dd = Phi(lo), ee = Phi(hi);
      f *= ee - dd;
      if (f <= 0.0) return 0.0;
      if (i + 1 < p.rank) y[i] = Phi_inv(dd + w[i] * (ee - dd));
    }
  }
  return f;
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Rank-1 lattice rules (Sloan & Joe 1994, Lattice Methods for Multiple Integration): the points
// frac(k g / N + shift), k = 0..N-1. One dimension: g = 1 (equal spacing); two: the Fibonacci
// lattice (N = F_n, g = (1, F_{n-1})), the best in two dimensions; more: a Korobov generator
// g = (1, a, a^2, ...) mod N, N prime, a chosen from a fixed candidate set to minimise the
// criterion P_2 (the worst-case error for integrands of bounded mixed second derivatives).
constexpr std::size_t kFibonacci[] = {1597,  2584,   4181,   6765,   10946,  17711,  28657,  46368,
                                      75025, 121393, 196418, 317811, 514229, 832040, 1346269};
constexpr std::size_t kPrimes[] = {1009,  2003,   4001,   8009,   16001,  32003,
                                   64007, 128021, 256019, 512009, 1024021};

std::size_t first_size(std::size_t m) { return m == 2 ? kFibonacci[0] : kPrimes[0]; }
// The lattice size after N (the rule stops before one larger than max_points).
std::size_t next_size(std::size_t m, std::size_t N) {
  if (m == 2) {
    for (std::size_t f : kFibonacci)
      if (f > N) return f;
    return 2 * N;
  }
  for (std::size_t q : kPrimes)
    if (q > N) return q;
  return 2 * N + 1;
}

void lattice_generator(std::size_t m, std::size_t N, std::vector<double>& gen) {
  gen.assign(m, 1.0);
  if (m == 1) return;
  if (m == 2) {
    std::size_t a = 1, b = 1;  // consecutive Fibonacci numbers: b = N gives g = (1, a)
    while (b < N) {
      const std::size_t c = a + b;
      a = b;
      b = c;
    }
    gen[1] =
        b == N ? static_cast<double>(a) : std::floor(0.618033988749895 * static_cast<double>(N));
    return;
  }
  // Korobov: the best a among 40 candidates spread over [2, N/2] (P_2, computed on the lattice)
  auto B2 = [](double x) { return x * x - x + 1.0 / 6.0; };
  const double two_pi2 = 2.0 * std::numbers::pi * std::numbers::pi;
  double best = std::numeric_limits<double>::infinity();
  std::uint64_t best_a = 2;
  const std::uint64_t n = N;
  for (std::uint64_t c = 1; c <= 40; ++c) {
    const std::uint64_t a = 2 + c * (n / 2 - 2) / 41;
    std::vector<std::uint64_t> g(m, 1);
    for (std::size_t j = 1; j < m; ++j) g[j] = g[j - 1] * a % n;
    double sum = 0.0;
    for (std::uint64_t k = 0; k < n; ++k) {
      double prod = 1.0;
      for (std::size_t j = 0; j < m; ++j)
        prod *= 1.0 + two_pi2 * B2(static_cast<double>(k * g[j] % n) / static_cast<double>(n));
      sum += prod;
    }
    const double p2 = sum / static_cast<double>(n) - 1.0;
    if (p2 < best) {
      best = p2;
      best_a = a;
    }
  }
  std::uint64_t g = 1;
  for (std::size_t j = 0; j < m; ++j) {
    gen[j] = static_cast<double>(g);
    g = g * best_a % n;
  }
}

}  // namespace

MvnProbability mvn_rectangle(std::span<const double> lower, std::span<const double> upper,
                             std::span<const double> corr, const MvnOptions& options) {
  const std::size_t d = lower.size();
  if (d == 0 || upper.size() != d || corr.size() != d * d)
    throw std::invalid_argument("mvn_rectangle: limits and correlation matrix of unequal sizes");
  for (std::size_t i = 0; i < d; ++i) {
    if (std::isnan(lower[i]) || std::isnan(upper[i]) || lower[i] > upper[i])
      throw std::invalid_argument("mvn_rectangle: each lower limit must be <= its upper limit");
    if (std::fabs(corr[i * d + i] - 1.0) > 1e-12)
      throw std::invalid_argument("mvn_rectangle: the correlation matrix needs a unit diagonal");
    for (std::size_t j = 0; j < d; ++j) {
      const double r = corr[i * d + j];
      if (!std::isfinite(r) || std::fabs(r) > 1.0 + 1e-12 || std::fabs(r - corr[j * d + i]) > 1e-12)
        throw std::invalid_argument(
            "mvn_rectangle: the correlation matrix must be symmetric with entries in [-1, 1]");
    }
  }
  if (options.shifts < 2 || options.max_points < 1 || !(options.abs_tol > 0.0))
    throw std::invalid_argument("mvn_rectangle: needs >= 2 shifts, >= 1 point and abs_tol > 0");

  MvnProbability out;
  if (d == 1) {
    out.value =
        lower[0] > 0.0 ? Phi_upper(lower[0]) - Phi_upper(upper[0]) : Phi(upper[0]) - Phi(lower[0]);
    out.points = 1;
    return out;
  }
  const Prepared p = prepare(lower, upper, corr);
  if (p.rank == 1) {  // one free variable: no integral left
    std::vector<double> y(d);
    out.value = std::clamp(integrand(p, nullptr, y.data()), 0.0, 1.0);
    out.points = 1;
    return out;
  }
  const std::size_t m = p.rank - 1;  // integration dimension
  const std::size_t S = options.shifts;
  std::vector<double> shift(S * m);
  std::uint64_t state = options.seed;
  for (double& s : shift) s = static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;

  std::vector<double> w(m), w2(m), y(d), gen(m), est(S);
  for (std::size_t N = first_size(m);; N = next_size(m, N)) {
    lattice_generator(m, N, gen);
    for (std::size_t s = 0; s < S; ++s) {
      double acc = 0.0;
      for (std::size_t k = 0; k < N; ++k) {
        for (std::size_t j = 0; j < m; ++j) {
          // k g_j / N mod 1 in exact integer arithmetic, then the shift
          const auto kg = static_cast<std::uint64_t>(k) * static_cast<std::uint64_t>(gen[j]) %
                          static_cast<std::uint64_t>(N);
          double x = static_cast<double>(kg) / static_cast<double>(N) + shift[s * m + j];
          x -= std::floor(x);
          w[j] = std::fabs(2.0 * x - 1.0);
          w2[j] = 1.0 - w[j];
        }
        acc += 0.5 * (integrand(p, w.data(), y.data()) + integrand(p, w2.data(), y.data()));
      }
      est[s] = acc / static_cast<double>(N);
    }
    out.points += 2 * S * N;
    double mean = 0.0;
    for (double v : est) mean += v;
    mean /= static_cast<double>(S);
    double ss = 0.0;
    for (double v : est) ss += (v - mean) * (v - mean);
    out.value = std::clamp(mean, 0.0, 1.0);
    out.error = 3.0 * std::sqrt(ss / static_cast<double>(S - 1) / static_cast<double>(S));
    if (out.error <= options.abs_tol || next_size(m, N) > options.max_points) break;
  }
  return out;
}

}  // namespace hazard
