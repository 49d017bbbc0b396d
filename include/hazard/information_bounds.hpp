// Group-sequential boundaries from the information a statistic actually accrued at each look
// (information-based monitoring, Lan & DeMets 1983; Jennison & Turnbull 2000, ch. 7), used by
// `hazard simulate --boundaries information` for statistics whose information is not proportional
// to the events (weighted log-rank, RMST, milestone, MaxCombo). docs/methods/simulation.md.
//
// information_bounds: the looks' information I_1..I_L (the last = the final analysis performed)
// become fractions t_k = I_k / I_L, and the design's spending functions give the bounds at those
// fractions with the design library (GroupSequentialDesign::compute / efficacy_bounds: rpact's
// getDesignGroupSequential(informationRates = t)).
//
// maxcombo_bounds: the bounds of the group-sequential MaxCombo test, max_a Z_ak >= b_k at look k,
// solved look by look so that P_H0(some look j <= k crosses) = the cumulative alpha spent by t_k,
// (Z_ak) multivariate normal with the given joint correlation; the rectangle probabilities by
// Genz's algorithm (mvn_rectangle). maxcombo_joint_correlation builds that correlation from each
// look's covariance of the weighted scores with independent increments: cov(U_aj, U_bk) = V_ab at
// the earlier look min(j, k) (Lee 2007; Ghosh, Ristl, König & Posch 2022 for the group-sequential
// MaxCombo).
//
// Example:
//   hazard::BoundaryOptions design{.alpha = 0.025, .efficacy = hazard::parse_spending("obf")};
//   std::vector<double> info{31.2, 80.4};   // the statistic's information at the two looks
//   auto b = hazard::information_bounds(info, design);   // b.fraction = {0.388, 1}
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "hazard/design.hpp"
#include "hazard/mvnorm.hpp"

namespace hazard {

/// Bounds of one trial from its observed information.
struct InformationBounds {
  std::vector<double> fraction;    ///< I_k / I_L at the tested looks; NaN at a look not tested
  std::vector<double> z_efficacy;  ///< efficacy bound per look (+inf: not tested)
  std::vector<double> z_futility;  ///< futility bound per look (-inf: none)
};

/// The looks tested and their fractions: the last look (L = information.size()) when its
/// information is finite and > 0, and, going back from it, each look whose information is finite,
/// > 0 and smaller than that of the next tested look (information that does not grow gives no new
/// look). `fraction` holds I_k / I_L for them and NaN for the others; none tested (I_L not finite
/// and > 0): all NaN.
std::vector<double> information_fractions(std::span<const double> information);

/// The bounds at the fractions of information_fractions by the spending functions of `design`
/// (its `info` is ignored): with futility, GroupSequentialDesign::compute (beta spending with the
/// drift solved at these fractions, binding or not as the design); without, efficacy_bounds. The
/// last tested look spends all of alpha. A look not tested has bounds +inf / -inf.
InformationBounds information_bounds(std::span<const double> information,
                                     const BoundaryOptions& design);

/// The (K m) x (K m) correlation, row-major, of the m statistics at K looks (variable a of look k
/// at index k m + a) from `cov`, K blocks of the m x m covariance of the scores at each look:
/// corr(Z_aj, Z_bk) = V_ab^(min(j,k)) / sqrt(V_aa^(j) V_bb^(k)).
std::vector<double> maxcombo_joint_correlation(std::span<const double> cov, std::size_t m);

/// Options of maxcombo_bounds.
struct MaxComboBoundOptions {
  /// The rectangle probabilities: abs_tol is taken as rel_tol times the alpha spent at the look
  /// (the crossing probability is a difference of probabilities near 1 whose integration error
  /// shrinks with it), but not below abs_tol_floor.
  MvnOptions mvn{};
  double rel_tol = 1e-3;
  double abs_tol_floor = 1e-10;
  double z_tolerance = 1e-6;  ///< the root finder's interval on the z scale
};

/// P_H0(max_a Z_aj < b_j for every earlier look j and max_a Z_ak < x), k = previous_bounds.size()
/// (0-based look of x), with the leading ((k + 1) m) block of `corr` (square, look-major): the
/// probability of not crossing through look k when look k's bound is x.
MvnProbability maxcombo_continue_probability(std::span<const double> previous_bounds, double x,
                                             std::span<const double> corr, std::size_t m,
                                             const MvnOptions& mvn = {});

/// The bound of the look after `previous_bounds`: the x with
/// maxcombo_continue_probability(previous_bounds, x) = 1 - alpha, alpha the cumulative alpha at
/// this look and previous_alpha at the previous one (+inf when alpha <= previous_alpha or the
/// bound is above 7.5).
double maxcombo_bound(std::span<const double> previous_bounds, double previous_alpha,
                      double alpha, std::span<const double> corr, std::size_t m,
                      const MaxComboBoundOptions& options = {});

/// Bounds b_1..b_K of max_a Z_ak (m statistics per look) with P_H0(max_a Z_aj >= b_j for some
/// j <= k) = cumulative_alpha[k], given the joint correlation `corr` ((K m) x (K m), look-major as
/// maxcombo_joint_correlation). A look spending nothing (alpha not above the previous look's) has
/// b = +inf, as has a bound above 7.5 (the design library's cap). Throws std::invalid_argument for
/// sizes that do not match or alphas not in [0, 0.5).
std::vector<double> maxcombo_bounds(std::span<const double> cumulative_alpha,
                                    std::span<const double> corr, std::size_t m,
                                    const MaxComboBoundOptions& options = {});

}  // namespace hazard
