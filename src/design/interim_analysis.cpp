// Interim monitoring of a group-sequential survival trial (Lan & DeMets 1983; Jennison & Turnbull
// 2000, ch. 7 and 9).
//  - Observed information fractions t_j = d_j / D_K (events over the planned maximum).
//  - Efficacy bounds recomputed at t_1..t_k by the design's spending function (Haybittle–Peto:
//    z_{1-p} at each interim); the final analysis spends all alpha left whatever its fraction.
//    Binding futility bounds enter the alpha computation, as at the design stage.
//  - Futility bounds by the design's beta spending at t_j, under the design drift theta
//    (E Z_j = theta sqrt(t_j)); the final analysis has none (reject or not).
//  - Decision at the current look k: z_k >= c_k rejects H0; at the final look otherwise H0 is not
//    rejected; at an interim z_k <= f_k stops for futility; otherwise the trial continues.
//  - Conditional power given Z_k = z (B-value form): the remaining planned looks t_j > t_k, with
//    efficacy bounds from the same spending, are crossed by S_j = z sqrt(t_k) + N(theta (t_j - t_k),
//    t_j - t_k) with probability computed by the recursive integration of the increments
//    (futility bounds ignored). theta_H1 = |log hr| sqrt(r) / (1 + r) sqrt(D_K) (Schoenfeld),
//    theta_trend = z / sqrt(t_k).
//  - HR estimate exp(-z se), se = (1 + r) / sqrt(r d) (Schoenfeld's variance of the log-rank
//    log HR); repeated CI (Jennison & Turnbull 1989): exp(log hr_hat -+ c_j se_j).
// For a design HR > 1 the signs flip (benefit means HR > 1).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "design/detail.hpp"
#include "hazard/error.hpp"
#include "hazard/monitor.hpp"

namespace hazard {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Bounds {
  std::vector<double> upper, lower;
};

/// Efficacy and futility bounds at fractions `info`; the last look is final when `final_last`.
Bounds bounds_at(const BoundaryOptions& o, std::span<const double> info, bool final_last,
                 double theta) {
  const std::size_t K = info.size();
  Bounds b{std::vector<double>(K, 8.0), std::vector<double>(K, -kInf)};
  for (std::size_t k = 0; k < K; ++k) {
    const bool last = final_last && k + 1 == K;
    std::vector<double> low(k + 1, -kInf);
    if (o.binding && o.futility) {
      for (std::size_t j = 0; j < k; ++j) low[j] = b.lower[j];
    }
    if (o.efficacy.type == SpendingType::haybittle_peto && !last) {
      b.upper[k] = detail::z_upper(o.efficacy.parameter);
    } else {
      double target = last ? o.alpha : spending_value(o.efficacy, o.alpha, std::min(info[k], 1.0));
      b.upper[k] = detail::solve_critical(info, b.upper, low, k, target, o.tolerance);
    }
    if (o.futility && !last) {
      double target = spending_value(*o.futility, o.beta, std::min(info[k], 1.0));
      b.lower[k] = detail::futility_bound_at(info, b.upper, b.lower, k, theta, target, o.tolerance);
      if (b.lower[k] > b.upper[k]) b.lower[k] = b.upper[k];
    }
  }
  return b;
}

double conditional_power(std::span<const double> future_info, std::span<const double> future_c,
                         double tk, double z, double theta) {
  const std::size_t m = future_info.size();
  if (m == 0) return std::nan("");
  std::vector<double> inc(m), up(m), low(m, -kInf);
  for (std::size_t j = 0; j < m; ++j) {
    inc[j] = future_info[j] - tk;
    up[j] = std::isinf(future_c[j])
                ? kInf
                : (future_c[j] * std::sqrt(future_info[j]) - z * std::sqrt(tk)) / std::sqrt(inc[j]);
  }
  auto p = crossing_probabilities(inc, up, low, theta);
  return std::min(1.0, std::accumulate(p.upper.begin(), p.upper.end(), 0.0));
}

}  // namespace

std::string decision_name(Decision d) {
  switch (d) {
    case Decision::reject_h0: return "reject H0";
    case Decision::stop_futility: return "stop for futility";
    case Decision::continue_trial: return "continue";
    case Decision::accept_h0: return "do not reject H0";
  }
  return "?";
}

InterimResult monitor_interim(const InterimOptions& o) {
  const std::size_t k = o.events.size();
  if (k == 0) throw UsageError("monitoring needs at least one analysis (--events)");
  if (o.z.size() != k) {
    throw UsageError(fmt::format("{} z values for {} analyses: give one z per analysis",
                                 o.z.size(), k));
  }
  if (!(o.max_events > 0 && std::isfinite(o.max_events)))
    throw UsageError("the planned maximum number of events must be a finite number > 0");
  double prev = 0;
  for (double d : o.events) {
    if (!(d > prev) || !std::isfinite(d))
      throw UsageError("events must be finite, positive and increasing over analyses");
    prev = d;
  }
  for (double z : o.z) {
    if (!std::isfinite(z)) throw UsageError("z must be finite");
  }
  if (!(o.ratio > 0)) throw UsageError("the allocation ratio must be positive");
  if (!(o.hr > 0) || o.hr == 1) throw UsageError("the design hazard ratio must be positive, not 1");

  // The design itself (its drift is the H1 drift for beta spending).
  auto design = GroupSequentialDesign::compute(o.design);

  InterimResult r;
  r.info.resize(k);
  for (std::size_t j = 0; j < k; ++j) r.info[j] = o.events[j] / o.max_events;
  r.final_analysis = o.final_analysis || o.events.back() >= o.max_events * (1 - 1e-12);

  auto b = bounds_at(o.design, r.info, r.final_analysis, design.drift);
  r.z_efficacy = b.upper;
  r.z_futility = b.lower;
  {
    std::vector<double> low(k, -kInf);
    if (o.design.binding && o.design.futility) low = b.lower;
    low[k - 1] = -kInf;
    auto p = crossing_probabilities(r.info, b.upper, low, 0);
    r.cum_alpha.resize(k);
    std::partial_sum(p.upper.begin(), p.upper.end(), r.cum_alpha.begin());
  }
  for (double& c : r.z_efficacy) {
    if (c >= 7.5) c = kInf;
  }
  for (double& f : r.z_futility) {
    if (f <= -6) f = -kInf;
  }

  boost::math::normal n;
  const bool below = o.hr < 1;
  const double sign = below ? -1.0 : 1.0;
  r.p_nominal.resize(k);
  r.hr_boundary.resize(k);
  r.hr.resize(k);
  r.rci_lower.resize(k);
  r.rci_upper.resize(k);
  for (std::size_t j = 0; j < k; ++j) {
    double c = r.z_efficacy[j];
    r.p_nominal[j] = std::isinf(c) ? 0.0 : boost::math::cdf(boost::math::complement(n, c));
    r.hr_boundary[j] = std::isinf(c) ? (below ? 0.0 : kInf) : hr_at_boundary(c, o.events[j], o.ratio, below);
    double se = (1 + o.ratio) / std::sqrt(o.ratio * o.events[j]);
    double log_hr = sign * o.z[j] * se;
    r.hr[j] = std::exp(log_hr);
    r.rci_lower[j] = std::isinf(c) ? 0.0 : std::exp(log_hr - c * se);
    r.rci_upper[j] = std::isinf(c) ? kInf : std::exp(log_hr + c * se);
  }

  r.z = o.z.back();
  r.p_value = boost::math::cdf(boost::math::complement(n, r.z));
  const double ck = r.z_efficacy.back();
  if (r.z >= ck) {
    r.decision = Decision::reject_h0;
  } else if (r.final_analysis) {
    r.decision = Decision::accept_h0;
  } else if (r.z <= r.z_futility.back()) {
    r.decision = Decision::stop_futility;
  } else {
    r.decision = Decision::continue_trial;
  }

  // Conditional power over the remaining planned looks.
  const double tk = r.info.back();
  if (r.final_analysis) {
    r.cp_h1 = r.cp_trend = std::nan("");
  } else {
    std::vector<double> all = r.info;
    for (double t : o.design.info) {
      if (t > tk * (1 + 1e-9)) all.push_back(t);
    }
    auto fb = bounds_at(o.design, all, true, design.drift);
    r.future_info.assign(all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
    r.future_z_efficacy.assign(fb.upper.begin() + static_cast<std::ptrdiff_t>(k), fb.upper.end());
    const double theta_h1 = std::fabs(std::log(o.hr)) * std::sqrt(o.ratio) / (1 + o.ratio) *
                            std::sqrt(o.max_events);
    const double theta_trend = r.z / std::sqrt(tk);
    r.cp_h1 = conditional_power(r.future_info, r.future_z_efficacy, tk, r.z, theta_h1);
    r.cp_trend = conditional_power(r.future_info, r.future_z_efficacy, tk, r.z, theta_trend);
    for (double& c : r.future_z_efficacy) {
      if (c >= 7.5) c = kInf;
    }
  }
  return r;
}

}  // namespace hazard
