// Group-sequential boundaries and operating characteristics, following rpact 3.3
// (getDesignGroupSequential with typeOfDesign "asOF", "asP", "asHSD", "asKD", "HP" and
// typeBetaSpending "bsOF", "bsP", "bsHSD", "bsKD"; getDesignCharacteristics).
//
// Efficacy (Lan & DeMets 1983): the critical value c_k solves
//   sum_{j<=k} P_0(continue to j, Z_j >= c_j) = a(t_k)
// with a() the alpha-spending function, stage by stage; futility bounds enter the left side only
// when binding. Haybittle–Peto (Haybittle 1971; Peto et al. 1976): c_k = z_{1-p} at every interim
// and c_K solves the same equation with a(1) = alpha, so the total alpha is exact (rpact "HP" with
// constantBoundsHP = z_{1-p}).
// Futility by beta spending (rpact getDesignGroupSequentialBetaSpendingOneSidedCpp): for a drift
// theta, the futility bound f_k solves sum_{j<=k} P_theta(continue to j, Z_j <= f_j) = b(t_k);
// theta is then chosen so that f_K = c_K (the final look has no gap). Binding: the efficacy bounds
// are recomputed with the futility bounds inside the same search; non-binding: they ignore them.
// Characteristics (rpact .getDesignCharacteristics): the drift theta with power 1 - beta (futility
// stops honoured), the inflation factor theta^2 / (z_{1-alpha} + z_{1-beta})^2, stage-wise
// crossing probabilities under H1 and H0, and the average information (ASN) under H0, theta/2, H1.
// rpact clamps efficacy bounds to 7.5 when computing characteristics and to [-6, 8] in the
// integration; this file does the same.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "design/detail.hpp"
#include "hazard/design.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace detail {

double z_upper(double p) {
  // A spending function can spend nothing at a tiny information fraction (O'Brien–Fleming's
  // 2 (1 - Phi(z / sqrt(t))) underflows to 0 for t < 1e-3 or so): the bound is then +infinity,
  // as rpact reports it, not Boost's overflow error.
  if (p <= 0) return std::numeric_limits<double>::infinity();
  if (p >= 1) return -std::numeric_limits<double>::infinity();
  boost::math::normal n;
  return boost::math::quantile(boost::math::complement(n, p));
}

/// Critical value at look k (0-based) given c_0..c_{k-1} and lower bounds; `target` is the
/// cumulative alpha to be spent by look k.
double solve_critical(std::span<const double> info, std::vector<double> upper,
                      const std::vector<double>& lower, std::size_t k, double target, double tol,
                      bool two_sided) {
  if (k == 0) return std::min(z_upper(two_sided ? target / 2 : target), 8.0);
  auto sub_info = info.subspan(0, k + 1);
  upper.resize(k + 1);
  std::vector<double> low(lower.begin(), lower.begin() + static_cast<std::ptrdiff_t>(k + 1));
  auto f = [&](double c) {
    upper[k] = c;
    if (two_sided) {
      for (std::size_t j = 0; j <= k; ++j) low[j] = -upper[j];
    }
    auto p = crossing_probabilities(sub_info, upper, low, 0);
    double spent = std::accumulate(p.upper.begin(), p.upper.end(), 0.0);
    if (two_sided) spent += std::accumulate(p.lower.begin(), p.lower.end(), 0.0);
    return spent - target;
  };
  return detail::solve_monotone(f, 0.0, 8.0, tol);
}

double wang_tsiatis_constant(std::span<const double> info, double delta, double alpha, int sided,
                             double tol) {
  const std::size_t K = info.size();
  std::vector<double> up(K), low(K, -std::numeric_limits<double>::infinity());
  auto f = [&](double c) {
    for (std::size_t k = 0; k < K; ++k) {
      up[k] = c * std::pow(info[k], delta - 0.5);
      if (sided == 2) low[k] = -up[k];
    }
    auto p = crossing_probabilities(info, up, low, 0);
    double spent = std::accumulate(p.upper.begin(), p.upper.end(), 0.0);
    if (sided == 2) spent += std::accumulate(p.lower.begin(), p.lower.end(), 0.0);
    return spent - alpha;
  };
  return detail::solve_monotone(f, 0.0, 8.0, tol);
}

Spending with_looks(Spending s, std::span<const double> planned) {
  if (s.type == SpendingType::user && s.at.empty()) s.at.assign(planned.begin(), planned.end());
  return s;
}

/// Futility bound at look k for drift theta (rpact getFutilityBoundOneSided).
double futility_bound_at(std::span<const double> info, const std::vector<double>& upper,
                         std::vector<double> futility, std::size_t k, double theta,
                         double target, double tol) {
  boost::math::normal n;
  if (k == 0) {
    // no beta spent yet (a tiny first information fraction): no futility bound
    if (target <= 0) return -std::numeric_limits<double>::infinity();
    return boost::math::quantile(n, std::min(target, 1.0)) + std::sqrt(info[0]) * theta;
  }
  auto sub_info = info.subspan(0, k + 1);
  std::vector<double> up(upper.begin(), upper.begin() + static_cast<std::ptrdiff_t>(k + 1));
  futility.resize(k + 1);
  auto f = [&](double b) {
    futility[k] = b;
    auto p = crossing_probabilities(sub_info, up, futility, theta);
    return std::accumulate(p.lower.begin(), p.lower.end(), 0.0) - target;
  };
  // Increasing in b; rpact searches [-6, 5].
  return detail::solve_monotone([&](double b) { return -f(b); }, -6.0, 5.0, tol);
}

}  // namespace detail

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNoFutility = -6;  // rpact C_FUTILITY_BOUNDS_DEFAULT
constexpr double kCharCap = 7.5;    // rpact caps efficacy bounds here for characteristics

using detail::futility_bound_at;
using detail::solve_critical;
using detail::z_upper;

void check_info(std::span<const double> info) {
  if (info.empty()) throw UsageError("a design needs at least one look");
  double prev = 0;
  for (double t : info) {
    if (!(t > prev)) throw UsageError("information fractions must be positive and increasing");
    prev = t;
  }
}

/// The lower bounds used for alpha: the futility bounds when binding, else none.
std::vector<double> alpha_lower(std::size_t k, const std::vector<double>& futility, bool binding) {
  std::vector<double> l(k, -kInf);
  if (binding) {
    for (std::size_t j = 0; j < k && j < futility.size(); ++j) l[j] = futility[j];
  }
  return l;
}

/// Cumulative efficacy target at look k, or NaN when the bound is fixed (Haybittle–Peto interim).
double efficacy_target(const BoundaryOptions& o, std::size_t k) {
  const std::size_t K = o.info.size();
  if (o.efficacy.type == SpendingType::haybittle_peto) {
    return k + 1 == K ? o.alpha : std::nan("");
  }
  return spending_value(o.efficacy, o.alpha, o.info[k], o.sided);
}

/// Efficacy bound at look k given the earlier ones and the (binding) futility bounds so far.
/// (Wang–Tsiatis bounds are computed all at once: wang_tsiatis_constant.)
double efficacy_bound(const BoundaryOptions& o, const std::vector<double>& upper,
                      const std::vector<double>& futility, std::size_t k) {
  double target = efficacy_target(o, k);
  if (std::isnan(target)) return z_upper(o.efficacy.parameter);
  auto lower = alpha_lower(k + 1, futility, o.binding);
  return solve_critical(o.info, upper, lower, k, target, o.tolerance, o.sided == 2);
}

std::vector<double> futility_bounds(const BoundaryOptions& o, const std::vector<double>& upper,
                                    double theta, const std::vector<double>& beta_target) {
  const std::size_t K = o.info.size();
  std::vector<double> fut(K, -kInf);
  for (std::size_t k = 0; k < K; ++k) {
    fut[k] = futility_bound_at(o.info, upper, fut, k, theta, beta_target[k], o.tolerance);
  }
  return fut;
}

/// Probabilities under drift theta with rpact's conventions for characteristics: efficacy bounds
/// capped at 7.5, futility bounds used where present (-6 elsewhere, and at the last look).
CrossingProbabilities characteristic_probabilities(const GroupSequentialDesign& d, double theta) {
  const std::size_t K = d.info.size();
  std::vector<double> up(K), low(K);
  for (std::size_t k = 0; k < K; ++k) {
    up[k] = std::min(d.z_efficacy[k], kCharCap);
    if (d.options.sided == 2) {
      low[k] = -up[k];  // rpact: (-c - shift, c - shift)
      continue;
    }
    // rpact leaves "no futility" (-6) and the last look's -6 unshifted.
    bool has = k + 1 < K && d.z_futility[k] > kNoFutility;
    low[k] = has ? d.z_futility[k] : kNoFutility + theta * std::sqrt(d.info[k]);
  }
  return crossing_probabilities(d.info, up, low, theta);
}

/// The drift theta at which the last futility bound meets the last efficacy bound: g(theta) =
/// f_K - c_K increases with theta while the futility bounds stay below the efficacy bounds; for
/// very large theta the inner searches hit their limits and g is meaningless (rpact searches
/// [-4, 10] and relies on the signs at the ends). Scan up from 0 to the first sign change.
template <class G>
double solve_drift(G&& g, double tol) {
  double lo = 0, glo = g(lo);
  if (glo >= 0) return detail::solve_monotone(g, -4.0, 0.0, tol);
  for (double hi = 0.25; hi <= 10 + 1e-9; hi += 0.25) {
    double ghi = g(hi);
    if (ghi >= 0) return detail::solve_monotone(g, lo, hi, tol);
    lo = hi;
  }
  throw NumericalError("beta spending: no drift makes the last futility and efficacy bounds meet");
}

}  // namespace

GroupSequentialDesign GroupSequentialDesign::compute(const BoundaryOptions& options) {
  BoundaryOptions o = options;
  check_info(o.info);
  if (std::fabs(o.info.back() - 1) > 1e-12) {
    throw UsageError("the last information fraction must be 1");
  }
  if (o.sided != 1 && o.sided != 2) throw UsageError("sided must be 1 or 2");
  if (!(o.alpha > 0 && o.alpha / o.sided < 0.5)) {
    throw UsageError(o.sided == 1 ? "alpha must be in (0, 0.5)" : "alpha must be in (0, 1)");
  }
  if (!(o.beta > 0 && o.beta < 1 - o.alpha / o.sided))
    throw UsageError("power must be in (alpha, 1)");
  if (o.futility &&
      (o.futility->type == SpendingType::haybittle_peto ||
       o.futility->type == SpendingType::wang_tsiatis || o.futility->type == SpendingType::user)) {
    throw UsageError("futility bounds need a beta-spending function (obf, pocock, hsd:G, kd:R)");
  }
  if (o.futility && o.sided == 2) {
    throw UsageError(
        "futility bounds are for one-sided designs (rpact marks two-sided beta "
        "spending experimental)");
  }
  if (o.futility && o.efficacy.type == SpendingType::wang_tsiatis) {
    throw UsageError(
        "futility bounds by beta spending need an alpha-spending efficacy boundary, "
        "not Wang-Tsiatis (rpact ignores typeBetaSpending there)");
  }
  const std::size_t K = o.info.size();
  if (o.efficacy.type == SpendingType::user) {
    if (o.efficacy.values.size() != K) {
      throw UsageError(
          fmt::format("user spending has {} values for {} looks", o.efficacy.values.size(), K));
    }
    if (std::fabs(o.efficacy.values.back() - o.alpha) > 1e-12 * o.alpha) {
      throw UsageError(fmt::format("user spending must reach alpha ({}) at the last look, not {}",
                                   o.alpha, o.efficacy.values.back()));
    }
    o.efficacy = detail::with_looks(o.efficacy, o.info);
  }

  GroupSequentialDesign d;
  d.options = o;
  d.info = o.info;
  d.z_efficacy.assign(K, kInf);
  d.z_futility.assign(K, -kInf);
  d.beta_spent.assign(K, std::nan(""));
  d.fixed_drift = z_upper(o.alpha / o.sided) + z_upper(o.beta);

  if (o.efficacy.type == SpendingType::haybittle_peto &&
      !(o.efficacy.parameter * o.sided < o.alpha)) {
    throw UsageError("Haybittle–Peto: the interim nominal p must be smaller than alpha");
  }

  if (K == 1) {
    d.z_efficacy[0] = z_upper(o.alpha / o.sided);
    d.alpha_spent = {o.alpha};
    d.drift = d.fixed_drift;
    d.inflation = 1;
    d.reject_h1 = {1 - o.beta};
    d.futility_h1 = {0};
    d.cum_power = {1 - o.beta};
    d.reject_h0 = {o.alpha};
    d.futility_h0 = {0};
    d.asn_h0 = d.asn_h01 = d.asn_h1 = 1;
    return d;
  }

  std::vector<double> upper(K, 8.0);
  std::vector<double> fut(K, -kInf);
  if (o.efficacy.type == SpendingType::wang_tsiatis) {
    const double delta = o.efficacy.parameter;
    const double c = detail::wang_tsiatis_constant(o.info, delta, o.alpha, o.sided, o.tolerance);
    for (std::size_t k = 0; k < K; ++k)
      upper[k] = std::min(8.0, c * std::pow(o.info[k], delta - 0.5));
  } else if (!o.futility) {
    for (std::size_t k = 0; k < K; ++k) upper[k] = efficacy_bound(o, upper, fut, k);
  } else {
    std::vector<double> beta_target(K);
    for (std::size_t k = 0; k < K; ++k) beta_target[k] = spending_value(*o.futility, o.beta, o.info[k]);
    if (!o.binding) {
      for (std::size_t k = 0; k < K; ++k) upper[k] = efficacy_bound(o, upper, fut, k);
      // f_K(theta) - c_K increases with theta (rpact: Brent on [-4, 10]).
      auto g = [&](double theta) {
        return futility_bounds(o, upper, theta, beta_target)[K - 1] - upper[K - 1];
      };
      double theta = solve_drift(g, o.tolerance);
      fut = futility_bounds(o, upper, theta, beta_target);
    } else {
      auto run = [&](double theta) {
        std::vector<double> up(K, 8.0), f(K, -kInf);
        for (std::size_t k = 0; k < K; ++k) {
          up[k] = efficacy_bound(o, up, f, k);
          f[k] = futility_bound_at(o.info, up, f, k, theta, beta_target[k], o.tolerance);
        }
        return std::pair{up, f};
      };
      auto g = [&](double theta) {
        auto [up, f] = run(theta);
        return f[K - 1] - up[K - 1];
      };
      double theta = solve_drift(g, o.tolerance);
      std::tie(upper, fut) = run(theta);
    }
    // The last futility bound equals the last efficacy bound (up to the root tolerance).
    fut[K - 1] = -kInf;
    for (std::size_t k = 0; k + 1 < K; ++k) {
      if (fut[k] > upper[k]) {
        throw NumericalError(fmt::format(
            "futility bound {:.4f} above the efficacy bound {:.4f} at look {}: beta spending is "
            "too aggressive for these looks", fut[k], upper[k], k + 1));
      }
    }
  }
  // Report bounds that cannot be crossed (rpact: >= 7.5) as +infinity; keep 8 internally.
  for (std::size_t k = 0; k < K; ++k) d.z_efficacy[k] = upper[k] >= 7.5 ? kInf : upper[k];
  for (std::size_t k = 0; k + 1 < K; ++k) {
    d.z_futility[k] = fut[k] <= kNoFutility ? -kInf : fut[k];
  }

  // Alpha spent (rpact .calculateAlphaSpent): futility bounds count only when binding.
  {
    auto low = alpha_lower(K, fut, o.binding);
    low[K - 1] = -kInf;
    if (o.sided == 2) {
      for (std::size_t k = 0; k < K; ++k) low[k] = -upper[k];
    }
    auto p = crossing_probabilities(d.info, upper, low, 0);
    d.alpha_spent.resize(K);
    std::vector<double> spent = p.upper;
    if (o.sided == 2) {
      for (std::size_t k = 0; k < K; ++k) spent[k] += p.lower[k];
    }
    std::partial_sum(spent.begin(), spent.end(), d.alpha_spent.begin());
  }

  // Drift for power 1 - beta.
  auto power_at = [&](double theta) {
    auto p = characteristic_probabilities(d, theta);
    return std::accumulate(p.upper.begin(), p.upper.end(), 0.0);
  };
  const double nfixed = d.fixed_drift * d.fixed_drift;
  // rpact solves for theta^2 on [0, 4 nfixed]; power is increasing in theta.
  double shift = detail::solve_monotone(
      [&](double s) { return power_at(std::sqrt(s)) - (1 - o.beta); }, 0.0, 4 * nfixed,
      o.tolerance * nfixed);
  d.drift = std::sqrt(shift);
  d.inflation = shift / nfixed;

  auto h1 = characteristic_probabilities(d, d.drift);
  auto h01 = characteristic_probabilities(d, d.drift / 2);
  auto h0 = characteristic_probabilities(d, 0);
  d.reject_h1 = h1.upper;
  d.futility_h1 = h1.lower;
  d.reject_h0 = h0.upper;
  d.futility_h0 = h0.lower;
  for (std::size_t k = 0; k < K; ++k) {
    bool has = k + 1 < K && d.z_futility[k] > kNoFutility;
    if (!has) d.futility_h1[k] = d.futility_h0[k] = 0;
  }
  d.futility_h1[K - 1] = d.futility_h0[K - 1] = 0;
  d.cum_power.resize(K);
  std::partial_sum(d.reject_h1.begin(), d.reject_h1.end(), d.cum_power.begin());
  if (o.futility) {
    d.beta_spent.resize(K);
    std::partial_sum(h1.lower.begin(), h1.lower.end(), d.beta_spent.begin());
    d.beta_spent[K - 1] = 1 - d.cum_power[K - 1];
  }
  // rpact .getAverageSampleNumber: expected information / fixed information; the stopping
  // probability includes the (tiny) mass below -6 when there is no futility bound.
  auto asn = [&](const CrossingProbabilities& p) {
    double s = shift;
    for (std::size_t k = 0; k + 1 < K; ++k) {
      s -= (p.upper[k] + p.lower[k]) * (d.info[K - 1] - d.info[k]) * shift;
    }
    return s / nfixed;
  };
  d.asn_h1 = asn(h1);
  d.asn_h01 = asn(h01);
  d.asn_h0 = asn(h0);
  return d;
}

CrossingProbabilities GroupSequentialDesign::at_drift(double theta) const {
  return characteristic_probabilities(*this, theta);
}

std::vector<double> efficacy_bounds(std::span<const double> info, const Spending& spending,
                                    double alpha, bool spend_all_at_last, double tolerance,
                                    int sided) {
  check_info(info);
  const std::size_t K = info.size();
  std::vector<double> upper(K, 8.0);
  std::vector<double> lower(K, -kInf);
  const bool two = sided == 2;
  const Spending s = detail::with_looks(spending, info);
  // Wang–Tsiatis: the shape over these looks (the constant solved over them).
  const double wt = s.type == SpendingType::wang_tsiatis
                        ? detail::wang_tsiatis_constant(info, s.parameter, alpha, sided, tolerance)
                        : 0;
  for (std::size_t k = 0; k < K; ++k) {
    bool last = spend_all_at_last && k + 1 == K;
    if (s.type == SpendingType::haybittle_peto || s.type == SpendingType::wang_tsiatis) {
      upper[k] = last ? solve_critical(info, upper, lower, k, alpha, tolerance, two)
                 : s.type == SpendingType::haybittle_peto
                     ? z_upper(s.parameter)
                     : std::min(8.0, wt * std::pow(info[k], s.parameter - 0.5));
    } else {
      double target = last ? alpha : spending_value(s, alpha, info[k], sided);
      upper[k] = solve_critical(info, upper, lower, k, target, tolerance, two);
    }
  }
  for (double& c : upper) {
    if (c >= 7.5) c = kInf;
  }
  return upper;
}

}  // namespace hazard
