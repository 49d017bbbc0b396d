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
//    efficacy bounds from the same spending, are crossed by S_j = z sqrt(t_k) + N(theta (t_j -
//    t_k), t_j - t_k) with probability computed by the recursive integration of the increments
//    (futility bounds ignored). theta_H1 = |log hr| sqrt(r) / (1 + r) sqrt(D_K) (Schoenfeld),
//    theta_trend = z / sqrt(t_k).
//  - HR estimate exp(-z se), se = (1 + r) / sqrt(r d) (Schoenfeld's variance of the log-rank
//    log HR); repeated CI (Jennison & Turnbull 1989): exp(log hr_hat -+ c_j se_j).
//  - A null HR hr0 (margin, rpact thetaH0): the test statistic is z_test = z - sign sqrt(r d) /
//    (1 + r) log(hr0), the bounds and decisions apply to it, and HR bounds are multiplied by hr0;
//    benefit is a HR below hr0 when the design HR is below hr0.
//  - Two-sided designs (sided = 2): bounds +-c_j, |z_test| >= c_j rejects, nominal p-values are
//    two-sided; after the stop the p-value is 2 min(P(z), P(-z)) and the estimate and CI use the
//    upward ordering at alpha / 2 (rpact); conditional power is that of the upper bounds.
//  - After the stop (the first look crossing the efficacy bound or a binding futility bound, else
//    the final analysis): stage-wise ordering p-value, median-unbiased HR and final CI
//    (stagewise_ordering.cpp, with information = events); repeated p-values at every look
//    (repeated_p_value.cpp).
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

namespace detail {

Bounds bounds_at(const BoundaryOptions& o, std::span<const double> info, bool final_last,
                 double theta) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  const std::size_t K = info.size();
  Bounds b{std::vector<double>(K, 8.0), std::vector<double>(K, -inf)};
  const Spending eff = with_looks(o.efficacy, o.info);
  const bool two = o.sided == 2;
  // Wang–Tsiatis: the planned design's constant; the interims keep its shape at the observed
  // fractions, a final analysis spends the rest (as Haybittle–Peto).
  const double wt =
      eff.type == SpendingType::wang_tsiatis
          ? wang_tsiatis_constant(o.info, eff.parameter, o.alpha, o.sided, o.tolerance)
          : 0;
  for (std::size_t k = 0; k < K; ++k) {
    const bool last = final_last && k + 1 == K;
    std::vector<double> low(k + 1, -inf);
    if (o.binding && o.futility) {
      for (std::size_t j = 0; j < k; ++j) low[j] = b.lower[j];
    }
    if (eff.type == SpendingType::haybittle_peto && !last) {
      b.upper[k] = z_upper(eff.parameter);
    } else if (eff.type == SpendingType::wang_tsiatis && !last) {
      b.upper[k] = std::min(8.0, wt * std::pow(info[k], eff.parameter - 0.5));
    } else {
      double target =
          last ? o.alpha : spending_value(eff, o.alpha, std::min(info[k], 1.0), o.sided);
      b.upper[k] = solve_critical(info, b.upper, low, k, target, o.tolerance, two);
    }
    if (o.futility && !last) {
      double target = spending_value(*o.futility, o.beta, std::min(info[k], 1.0));
      b.lower[k] = detail::futility_bound_at(info, b.upper, b.lower, k, theta, target, o.tolerance);
      if (b.lower[k] > b.upper[k]) b.lower[k] = b.upper[k];
    }
  }
  return b;
}

}  // namespace detail

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

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

/// Inference after the stop (stage-wise ordering) and repeated p-values; fills r.after_stop,
/// r.repeated_p and r.after_stop_note. The stop is the first look whose efficacy bound is crossed,
/// or whose binding futility bound is crossed, else the final analysis (rpact .getStageGroupSeq).
void after_stop(const InterimOptions& o, InterimResult& r) {
  const std::size_t k = r.info.size();
  const bool binding = o.design.binding && o.design.futility.has_value();
  const double sign = o.hr < o.hr0 ? -1.0 : 1.0;
  const bool two = o.design.sided == 2;
  r.repeated_p.resize(k);
  for (std::size_t j = 0; j < k; ++j) {
    if (std::isnan(r.z_test[j])) {  // an earlier look whose z is not known
      r.repeated_p[j] = std::nan("");
      continue;
    }
    RepeatedPValueOptions ro{
        .design = o.design,
        .info = std::vector<double>(r.info.begin(),
                                    r.info.begin() + static_cast<std::ptrdiff_t>(j + 1)),
        .z = two ? std::fabs(r.z_test[j]) : r.z_test[j],
        .final_analysis = r.final_analysis && j + 1 == k};
    r.repeated_p[j] = repeated_p_value(ro);
  }

  // An earlier look with an unknown z (NaN) crossed no bound: the comparisons below are false.
  std::size_t stop = k;
  StopReason reason = StopReason::final_analysis;
  for (std::size_t j = 0; j < k; ++j) {
    if (r.z_test[j] >= r.z_efficacy[j] || (two && -r.z_test[j] >= r.z_efficacy[j])) {
      stop = j;
      reason = StopReason::efficacy;
      break;
    }
    const bool last = r.final_analysis && j + 1 == k;
    if (binding && !last && r.z_test[j] <= r.z_futility[j]) {
      stop = j;
      reason = StopReason::binding_futility;
      break;
    }
  }
  if (stop == k) {
    if (!r.final_analysis) {
      r.after_stop_note =
          r.decision == Decision::stop_futility
              ? "non-binding futility stop: the stage-wise ordering is defined by the binding "
                "stopping rule only; not computed (as rpact)"
              : "the trial continues: no bound crossed";
      return;
    }
    stop = k - 1;
  }
  AfterStop a;
  a.look = stop + 1;
  a.reason = reason;
  a.overrun = stop + 1 < k;
  a.z = r.z_test[stop];
  // Two-sided (rpact): the estimate and CI from the upward ordering at level alpha / 2, the
  // p-value 2 min(P(z), P(-z)) with the same bounds.
  const double alpha = o.design.alpha / o.design.sided;
  StagewiseOrderingOptions so{
      .info = std::vector<double>(o.events.begin(),
                                  o.events.begin() + static_cast<std::ptrdiff_t>(stop + 1)),
      .upper = std::vector<double>(r.z_efficacy.begin(),
                                   r.z_efficacy.begin() + static_cast<std::ptrdiff_t>(stop)),
      .lower = std::vector<double>(stop, -kInf),
      .z = a.z,
      .alpha = alpha};
  if (binding) {
    for (std::size_t j = 0; j < stop; ++j) so.lower[j] = r.z_futility[j];
  }
  auto st = stagewise_ordering(so);
  if (two) {
    so.z = -a.z;
    st.p_value = 2 * std::min(st.p_value, stagewise_ordering(so).p_value);
  }
  // theta per sqrt(event) -> HR: log HR = log hr0 + sign theta (1 + r) / sqrt(r).
  const double scale = (1 + o.ratio) / std::sqrt(o.ratio);
  auto to_hr = [&](double theta) { return o.hr0 * std::exp(sign * theta * scale); };
  a.p_value = st.p_value;
  a.hr_median_unbiased = to_hr(st.theta_median);
  double lo = to_hr(st.theta_lower), hi = to_hr(st.theta_upper);
  a.ci_lower = std::min(lo, hi);
  a.ci_upper = std::max(lo, hi);
  a.ci_level = 1 - 2 * alpha;
  const double se = scale / std::sqrt(o.events[stop]);
  const double za = detail::z_upper(alpha);
  a.hr_naive = r.hr[stop];
  a.naive_ci_lower = std::exp(std::log(a.hr_naive) - za * se);
  a.naive_ci_upper = std::exp(std::log(a.hr_naive) + za * se);
  a.p_naive =
      two ? std::erfc(std::fabs(a.z) / std::sqrt(2.0)) : 0.5 * std::erfc(a.z / std::sqrt(2.0));
  r.after_stop = a;
}

}  // namespace

std::string decision_name(Decision d) {
  switch (d) {
    case Decision::reject_h0:
      return "reject H0";
    case Decision::stop_futility:
      return "stop for futility";
    case Decision::continue_trial:
      return "continue";
    case Decision::accept_h0:
      return "do not reject H0";
  }
  return "?";
}

std::string stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::efficacy:
      return "efficacy bound crossed";
    case StopReason::binding_futility:
      return "binding futility bound crossed";
    case StopReason::final_analysis:
      return "final analysis";
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
  for (std::size_t j = 0; j < k; ++j) {
    if (o.earlier_z_unknown && j + 1 < k && std::isnan(o.z[j])) continue;  // went on past look j
    if (!std::isfinite(o.z[j])) throw UsageError("z must be finite");
  }
  if (!(o.ratio > 0)) throw UsageError("the allocation ratio must be positive");
  if (!(o.hr0 > 0) || !std::isfinite(o.hr0)) throw UsageError("the null hazard ratio must be > 0");
  if (!(o.hr > 0) || o.hr == o.hr0) {
    throw UsageError(
        fmt::format("the design hazard ratio {} must be positive and differ from the "
                    "null hazard ratio {}",
                    o.hr, o.hr0));
  }

  // The design itself (its drift is the H1 drift for beta spending).
  auto design = GroupSequentialDesign::compute(o.design);

  InterimResult r;
  r.info.resize(k);
  for (std::size_t j = 0; j < k; ++j) r.info[j] = o.events[j] / o.max_events;
  r.final_analysis = o.final_analysis || o.events.back() >= o.max_events * (1 - 1e-12);

  auto b = detail::bounds_at(o.design, r.info, r.final_analysis, design.drift);
  r.z_efficacy = b.upper;
  r.z_futility = b.lower;
  {
    std::vector<double> low(k, -kInf);
    if (o.design.binding && o.design.futility) low = b.lower;
    low[k - 1] = -kInf;
    if (o.design.sided == 2) {
      for (std::size_t j = 0; j < k; ++j) low[j] = -b.upper[j];
    }
    auto p = crossing_probabilities(r.info, b.upper, low, 0);
    std::vector<double> spent = p.upper;
    if (o.design.sided == 2) {
      for (std::size_t j = 0; j < k; ++j) spent[j] += p.lower[j];
    }
    r.cum_alpha.resize(k);
    std::partial_sum(spent.begin(), spent.end(), r.cum_alpha.begin());
  }
  for (double& c : r.z_efficacy) {
    if (c >= 7.5) c = kInf;
  }
  for (double& f : r.z_futility) {
    if (f <= -6) f = -kInf;
  }

  boost::math::normal n;
  const bool below = o.hr < o.hr0;  // benefit is a lower hazard ratio
  const double sign = below ? -1.0 : 1.0;
  const bool two = o.design.sided == 2;
  // The statistic against the margin: z_test = z + s sqrt(r d) / (1 + r) log(hr0), s = -sign
  // (Schoenfeld: E z = -s log(HR) sqrt(r d) / (1 + r)).
  r.z_test.resize(k);
  for (std::size_t j = 0; j < k; ++j) {
    r.z_test[j] =
        o.z[j] - sign * std::sqrt(o.ratio * o.events[j]) / (1 + o.ratio) * std::log(o.hr0);
  }
  r.p_nominal.resize(k);
  r.hr_boundary.resize(k);
  r.hr.resize(k);
  r.rci_lower.resize(k);
  r.rci_upper.resize(k);
  for (std::size_t j = 0; j < k; ++j) {
    double c = r.z_efficacy[j];
    r.p_nominal[j] =
        std::isinf(c) ? 0.0 : (two ? 2 : 1) * boost::math::cdf(boost::math::complement(n, c));
    r.hr_boundary[j] = std::isinf(c) ? (below ? 0.0 : kInf)
                                     : o.hr0 * hr_at_boundary(c, o.events[j], o.ratio, below);
    double se = (1 + o.ratio) / std::sqrt(o.ratio * o.events[j]);
    double log_hr = sign * o.z[j] * se;
    r.hr[j] = std::exp(log_hr);
    r.rci_lower[j] = std::isinf(c) ? 0.0 : std::exp(log_hr - c * se);
    r.rci_upper[j] = std::isinf(c) ? kInf : std::exp(log_hr + c * se);
  }

  r.z = r.z_test.back();
  r.p_value = two ? 2 * boost::math::cdf(boost::math::complement(n, std::fabs(r.z)))
                  : boost::math::cdf(boost::math::complement(n, r.z));
  const double ck = r.z_efficacy.back();
  if (r.z >= ck || (o.design.sided == 2 && -r.z >= ck)) {
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
    auto fb = detail::bounds_at(o.design, all, true, design.drift);
    r.future_info.assign(all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
    r.future_z_efficacy.assign(fb.upper.begin() + static_cast<std::ptrdiff_t>(k), fb.upper.end());
    const double theta_h1 = std::fabs(std::log(o.hr / o.hr0)) * std::sqrt(o.ratio) / (1 + o.ratio) *
                            std::sqrt(o.max_events);
    const double theta_trend = r.z / std::sqrt(tk);
    r.cp_h1 = conditional_power(r.future_info, r.future_z_efficacy, tk, r.z, theta_h1);
    r.cp_trend = conditional_power(r.future_info, r.future_z_efficacy, tk, r.z, theta_trend);
    for (double& c : r.future_z_efficacy) {
      if (c >= 7.5) c = kInf;
    }
  }
  after_stop(o, r);
  return r;
}

}  // namespace hazard
