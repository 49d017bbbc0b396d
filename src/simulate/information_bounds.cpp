// Boundaries from observed information (include/hazard/information_bounds.hpp).
//
// information_bounds. Input: the information I_k of a statistic at the looks performed (the
// weighted log-rank's variance V_w, 1 / Var of an RMST or milestone difference, ...), the last
// being the final analysis. Fractions t_k = I_k / I_L at the tested looks (information_fractions);
// bounds by the design's alpha (and beta) spending at those fractions with the design library,
// exactly as rpact's getDesignGroupSequential(informationRates = t, typeOfDesign = "asOF", ...):
// Lan & DeMets (1983) with the information known at the end of the trial (Jennison & Turnbull
// 2000, §7.2: the simulation has every look's data, so I_L is the final look's observed value).
//
// maxcombo_bounds. Input: cumulative alpha a_1 <= ... <= a_K and the joint correlation R of the
// m statistics at the K looks (look-major). b_k solves
//   P(Z_aj < b_j for all a and all j <= k) = 1 - a_k,
// with b_1..b_{k-1} already solved: a one-dimensional root (Boost's TOMS 748) of a (k m)-variate
// normal rectangle probability (mvn_rectangle, Genz's algorithm, deterministic: a fixed lattice
// and shifts, so the probability is a smooth function of b_k). The bracket: the crossing
// probability at look k alone lies between P(Z_1k >= b) - a_{k-1} and m P(Z_1k >= b) (Bonferroni),
// so lo = z_{1 - (2 (a_k - a_{k-1}) + a_{k-1})} and hi = z_{1 - (a_k - a_{k-1}) / (2 m)}.
// Source: Ghosh, Ristl, König & Posch (2022, Stat Biopharm Res 14:137-148) for the group-sequential
// MaxCombo; Lee (2007) for the covariance of weighted log-rank statistics across looks.
// Reference: tests/reference/nph/make_gs_info.R (rpact 3.3.4, mvtnorm).
#include "hazard/information_bounds.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/toms748_solve.hpp>

namespace hazard {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// the design library's convention: a bound at or above 7.5 is no bound (group_sequential.cpp)
constexpr double kBoundCap = 7.5;

double z_upper(double p) {
  return boost::math::quantile(boost::math::complement(boost::math::normal(), p));
}

}  // namespace

std::vector<double> information_fractions(std::span<const double> information) {
  const std::size_t L = information.size();
  std::vector<double> frac(L, std::nan(""));
  if (L == 0) return frac;
  const double last = information[L - 1];
  if (!(std::isfinite(last) && last > 0)) return frac;
  frac[L - 1] = 1.0;
  double next = last;
  for (std::size_t k = L - 1; k-- > 0;) {
    const double x = information[k];
    // a fraction within 1e-9 of the next one would leave the recursive integration an
    // increment of information of (almost) nothing: that look is not tested
    if (std::isfinite(x) && x > 0 && x < next * (1 - 1e-9)) {
      frac[k] = x / last;
      next = x;
    }
  }
  return frac;
}

InformationBounds information_bounds(std::span<const double> information,
                                     const BoundaryOptions& design) {
  InformationBounds out;
  out.fraction = information_fractions(information);
  const std::size_t L = information.size();
  out.z_efficacy.assign(L, kInf);
  out.z_futility.assign(L, -kInf);
  std::vector<std::size_t> used;
  std::vector<double> t;
  for (std::size_t k = 0; k < L; ++k)
    if (!std::isnan(out.fraction[k])) {
      used.push_back(k);
      t.push_back(out.fraction[k]);
    }
  if (used.empty()) return out;
  std::vector<double> eff, fut;
  if (design.futility) {
    BoundaryOptions b = design;
    b.info = t;
    const GroupSequentialDesign d = GroupSequentialDesign::compute(b);
    eff = d.z_efficacy;
    fut = d.z_futility;
  } else {
    eff = efficacy_bounds(t, design.efficacy, design.alpha, false, design.tolerance, design.sided);
  }
  for (std::size_t i = 0; i < used.size(); ++i) {
    out.z_efficacy[used[i]] = eff[i];
    if (!fut.empty()) out.z_futility[used[i]] = fut[i];
  }
  return out;
}

std::vector<double> maxcombo_joint_correlation(std::span<const double> cov, std::size_t m) {
  if (m == 0 || cov.size() % (m * m) != 0 || cov.empty())
    throw std::invalid_argument("maxcombo_joint_correlation: cov must hold K blocks of m x m");
  const std::size_t K = cov.size() / (m * m), d = K * m;
  auto v = [&](std::size_t look, std::size_t a, std::size_t b) {
    return cov[look * m * m + a * m + b];
  };
  std::vector<double> r(d * d);
  for (std::size_t j = 0; j < K; ++j)
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t k = 0; k < K; ++k)
        for (std::size_t b = 0; b < m; ++b) {
          const std::size_t early = std::min(j, k);
          double c = v(early, a, b) / std::sqrt(v(j, a, a) * v(k, b, b));
          if (j == k && a == b) c = 1.0;
          r[(j * m + a) * d + k * m + b] = std::clamp(c, -1.0, 1.0);
        }
  // exact symmetry (the two products may round differently)
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t l = 0; l < i; ++l) r[l * d + i] = r[i * d + l];
  return r;
}

MvnProbability maxcombo_continue_probability(std::span<const double> previous_bounds, double x,
                                             std::span<const double> corr, std::size_t m,
                                             const MvnOptions& mvn) {
  const std::size_t k = previous_bounds.size(), dk = (k + 1) * m;
  if (m == 0 || corr.size() < dk * dk)
    throw std::invalid_argument("maxcombo_continue_probability: the correlation is too small");
  const std::size_t d = static_cast<std::size_t>(std::llround(std::sqrt(static_cast<double>(corr.size()))));
  if (d * d != corr.size() || d < dk)
    throw std::invalid_argument("maxcombo_continue_probability: the correlation must be square");
  std::vector<double> sub(dk * dk), lower(dk, -kInf), upper(dk, x);
  for (std::size_t i = 0; i < dk; ++i)
    for (std::size_t l = 0; l < dk; ++l) sub[i * dk + l] = corr[i * d + l];
  for (std::size_t j = 0; j < k; ++j)
    std::fill(upper.begin() + static_cast<std::ptrdiff_t>(j * m),
              upper.begin() + static_cast<std::ptrdiff_t>((j + 1) * m), previous_bounds[j]);
  return mvn_rectangle(lower, upper, sub, mvn);
}

double maxcombo_bound(std::span<const double> previous_bounds, double previous_alpha,
                      double alpha, std::span<const double> corr, std::size_t m,
                      const MaxComboBoundOptions& options) {
  if (!(alpha >= 0 && alpha < 0.5 && previous_alpha >= 0 && previous_alpha <= alpha))
    throw std::invalid_argument("maxcombo_bound: cumulative alpha must lie in [0, 0.5), increasing");
  const double inc = alpha - previous_alpha;
  if (!(inc > 0)) return kInf;  // nothing to spend: no bound (+inf adds no constraint)
  MvnOptions mvn = options.mvn;
  mvn.abs_tol = std::max(options.abs_tol_floor, options.rel_tol * inc);
  const double target = 1.0 - alpha;
  auto g = [&](double x) {
    return maxcombo_continue_probability(previous_bounds, x, corr, m, mvn).value - target;
  };
  double lo = z_upper(std::min(0.5, 2 * inc + previous_alpha));
  double hi = z_upper(inc / (2.0 * static_cast<double>(m)));
  double glo = g(lo), ghi = g(hi);
  for (int i = 0; i < 20 && glo > 0; ++i) glo = g(lo -= 1.0);
  for (int i = 0; i < 20 && ghi < 0; ++i) ghi = g(hi += 0.5);
  double b;
  if (glo > 0) {
    b = lo;
  } else if (ghi < 0) {
    b = kInf;
  } else {
    std::uintmax_t iter = 100;
    const double tol = options.z_tolerance;
    const auto r = boost::math::tools::toms748_solve(
        g, lo, hi, glo, ghi, [tol](double x, double y) { return std::fabs(x - y) <= tol; }, iter);
    b = 0.5 * (r.first + r.second);
  }
  return b >= kBoundCap ? kInf : b;
}

std::vector<double> maxcombo_bounds(std::span<const double> cumulative_alpha,
                                    std::span<const double> corr, std::size_t m,
                                    const MaxComboBoundOptions& options) {
  const std::size_t K = cumulative_alpha.size(), d = K * m;
  if (m == 0 || K == 0 || corr.size() != d * d)
    throw std::invalid_argument("maxcombo_bounds: the correlation must be (K m) x (K m)");
  for (double a : cumulative_alpha)
    if (!(a >= 0 && a < 0.5))
      throw std::invalid_argument("maxcombo_bounds: cumulative alpha must lie in [0, 0.5)");
  std::vector<double> bound;
  double previous = 0.0;  // alpha spent by the looks so far
  for (std::size_t k = 0; k < K; ++k) {
    const double a = std::max(previous, cumulative_alpha[k]);
    bound.push_back(maxcombo_bound(bound, previous, a, corr, m, options));
    previous = a;
  }
  return bound;
}

}  // namespace hazard
