// Sample size and calendar time of each look for a two-arm exponential survival trial, as rpact's
// getSampleSizeSurvival (accountForObservationTimes = TRUE, kappa = 1, no piecewise hazards).
//
// Subjects enter with piecewise-constant intensity over the accrual pieces; a subject entering at
// e has had an event by calendar time t with probability
//   F_g(t - e) = lambda_g / (lambda_g + phi) (1 - exp(-(lambda_g + phi)(t - e))),
// phi = -log(1 - dropout_rate) / dropout_time the exponential dropout hazard (rpact's phi).
// The expected fraction of the final sample with an event by t is
//   P(t) = (r P_1(t) + P_2(t)) / (1 + r),  P_g(t) = sum_j d_j int_{a_{j-1}}^{min(a_j, t)} F_g(t - e) de
// with d_j = rate_j / sum_i rate_i (a_i - a_{i-1}) (rpact .getEventProbabilities, which integrates
// numerically; here in closed form). Then:
//  - accrual closed, relative rates (or none): N = D_K / P(T_a + follow-up);
//  - accrual closed, absolute rates: N = sum rate_j (a_j - a_{j-1}); the study end T solves
//    N P(T) = D_K, follow-up = T - T_a;
//  - last piece open (one more rate than ends): the end of accrual T_a solves
//    N(T_a) P(T_a + follow-up) = D_K;
// and the look times t_k solve N P(t_k) = D_k. Subjects at t: N times the accrued fraction.
#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "design/detail.hpp"
#include "hazard/design.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

/// 1 - (1 - exp(-y)) / y = y/2 - y^2/6 + y^3/24 - ..., without cancellation for small y.
double one_minus_mean_cdf(double y) {
  if (y >= 0.5) return 1 + std::expm1(-y) / y;
  double term = 1, sum = 0;
  for (int k = 1; k < 40; ++k) {
    term *= -y / (k + 1);  // (-y)^k / (k + 1)!
    sum -= term;
    if (std::fabs(term) < 1e-17 * std::fabs(sum)) break;
  }
  return sum;
}

/// int_{s_lo}^{s_lo + width} lambda / mu (1 - exp(-mu s)) ds, mu = lambda + phi. Written as
///   lambda / mu width [(1 - exp(-mu s_lo)) + exp(-mu s_lo) h(mu width)],
/// h(y) = 1 - (1 - exp(-y)) / y, two non-negative terms: the direct
/// (s_hi - s_lo) - (exp(-mu s_lo) - exp(-mu s_hi)) / mu cancels catastrophically when mu s is
/// small (a control median of 1e10 gave a negative sample size).
/// The width s_hi - s_lo is passed as computed from the accrual times (an entry interval's
/// length), not as a difference of the two follow-up times, which loses it when t is large.
double integrated_cdf(double lambda, double phi, double s_lo, double width) {
  const double mu = lambda + phi;
  if (!(width > 0)) return 0;
  const double a = std::exp(-mu * s_lo);
  return lambda / mu * width * (-std::expm1(-mu * s_lo) + a * one_minus_mean_cdf(mu * width));
}

double accrual_total(std::span<const double> end, std::span<const double> rate) {
  double total = 0, start = 0;
  for (std::size_t j = 0; j < end.size(); ++j) {
    total += rate[j] * (end[j] - start);
    start = end[j];
  }
  return total;
}

/// Fraction of the final sample accrued by time t.
double accrued_fraction(double t, std::span<const double> end, std::span<const double> rate) {
  double total = accrual_total(end, rate);
  double got = 0, start = 0;
  for (std::size_t j = 0; j < end.size(); ++j) {
    if (t <= start) break;
    got += rate[j] * (std::min(t, end[j]) - start);
    start = end[j];
  }
  return std::min(got / total, 1.0);
}

}  // namespace

double event_probability(double t, std::span<const double> accrual_end,
                         std::span<const double> accrual_rate, double lambda_control, double hr,
                         double ratio, double dropout_hazard) {
  double total = accrual_total(accrual_end, accrual_rate);
  double p[2] = {0, 0};
  double lambda[2] = {lambda_control * hr, lambda_control};  // experimental, control
  for (int g = 0; g < 2; ++g) {
    double start = 0;
    for (std::size_t j = 0; j < accrual_end.size(); ++j) {
      if (t <= start) break;
      double e2 = std::min(t, accrual_end[j]);
      p[g] += accrual_rate[j] / total * integrated_cdf(lambda[g], dropout_hazard, t - e2, e2 - start);
      start = accrual_end[j];
    }
  }
  return (ratio * p[0] + p[1]) / (1 + ratio);
}

SurvivalPlan plan_survival(const SurvivalPlanOptions& o, std::span<const double> events,
                           std::span<const double> stop_prob) {
  const auto& acc = o.accrual;
  if (acc.end.empty() && acc.rate.size() != 1) {
    throw UsageError("accrual needs --accrual-time, or one --accrual-rate and --follow-up");
  }
  if (!(o.lambda_control > 0)) throw UsageError("the control hazard must be positive");
  if (!(o.dropout_rate >= 0 && o.dropout_rate < 1)) throw UsageError("dropout must be in [0, 1)");
  if (!(o.dropout_time > 0)) throw UsageError("the dropout time must be positive");
  double prev = 0;
  for (double e : acc.end) {
    if (!(e > prev)) throw UsageError("accrual times must be positive and increasing");
    prev = e;
  }
  std::vector<double> rate = acc.rate;
  bool open = false;
  const bool no_rate = rate.empty();
  if (no_rate) {
    rate.assign(acc.end.size(), 0.1);  // relative; only the shape matters
  } else if (rate.size() == acc.end.size() + 1) {
    open = true;
  } else if (rate.size() != acc.end.size()) {
    throw UsageError(fmt::format(
        "{} accrual rates for {} accrual pieces (give one rate per piece, or one more for an "
        "open-ended last piece)", rate.size(), acc.end.size()));
  }
  for (double r : rate) {
    if (!(r > 0)) throw UsageError("accrual rates must be positive");
  }
  const bool relative = std::all_of(rate.begin(), rate.end(), [](double r) { return r < 1; });
  if (open && relative) {
    throw UsageError("an open-ended accrual needs absolute rates (patients per time unit)");
  }
  if (open && std::isnan(o.follow_up)) throw UsageError("an open-ended accrual needs --follow-up");
  if (!open && !relative && !std::isnan(o.follow_up)) {
    throw UsageError(
        "absolute accrual rates with a closed accrual fix the sample size: the follow-up is "
        "computed, do not give --follow-up (or leave the last accrual piece open)");
  }
  // rpact's default follow-up (C_FOLLOW_UP_TIME_DEFAULT) when none is given.
  const double follow_up = (!open && relative && std::isnan(o.follow_up)) ? 6.0 : o.follow_up;
  const std::size_t K = events.size();
  const double dmax = events[K - 1];
  const double phi = -std::log1p(-o.dropout_rate) / o.dropout_time;
  std::vector<double> end = acc.end;

  auto prob = [&](double t, std::span<const double> e) {
    return event_probability(t, e, rate, o.lambda_control, o.hr, o.ratio, phi);
  };

  SurvivalPlan plan;
  double study_end = 0;
  if (open) {
    // Solve the end of accrual T_a: N(T_a) P(T_a + F) = D_K, increasing in T_a.
    double a0 = end.empty() ? 0.0 : end.back();
    auto excess = [&](double ta) {
      std::vector<double> e = end;
      e.push_back(ta);
      return accrual_total(e, rate) * prob(ta + follow_up, e) - dmax;
    };
    double lo = a0 + 1e-9, hi = a0 + 1;
    int guard = 0;
    while (excess(hi) < 0) {
      lo = hi;
      hi = a0 + 2 * (hi - a0);
      if (++guard > 60) throw NumericalError("the accrual end could not be found");
    }
    double ta = detail::solve_monotone(excess, lo, hi, 1e-12 * hi);
    end.push_back(ta);
    plan.sample_size = accrual_total(end, rate);
    plan.follow_up = follow_up;
    study_end = ta + follow_up;
  } else if (relative) {
    study_end = end.back() + follow_up;
    plan.sample_size = dmax / prob(study_end, end);
    plan.follow_up = follow_up;
  } else {
    plan.sample_size = accrual_total(end, rate);
    if (dmax >= plan.sample_size) {
      throw UsageError(fmt::format("the accrual ({:.1f} subjects) is smaller than the number of "
                                   "events ({:.1f})", plan.sample_size, dmax));
    }
    double cap = (o.ratio * o.hr / (o.hr + phi / o.lambda_control) +
                  1 / (1 + phi / o.lambda_control)) / (1 + o.ratio);
    if (dmax >= plan.sample_size * cap) {
      throw NumericalError("too many dropouts: the events can never be reached");
    }
    auto g = [&](double t) { return plan.sample_size * prob(t, end) - dmax; };
    double hi = std::max(2.0, end.back());
    int guard = 0;
    while (g(hi) < 0) {
      hi *= 2;
      if (++guard > 60) throw NumericalError("the study end could not be found");
    }
    study_end = detail::solve_monotone(g, 0.0, hi, 1e-12 * hi);
    plan.follow_up = study_end - end.back();
  }
  plan.accrual_end = end.back();
  double total = accrual_total(end, rate);
  plan.accrual_rate.resize(rate.size());
  for (std::size_t j = 0; j < rate.size(); ++j) {
    plan.accrual_rate[j] = rate[j] * plan.sample_size / total;
  }
  plan.time.resize(K);
  plan.subjects.resize(K);
  for (std::size_t k = 0; k < K; ++k) {
    if (k + 1 == K) {
      plan.time[k] = study_end;
    } else {
      auto g = [&](double t) { return plan.sample_size * prob(t, end) - events[k]; };
      plan.time[k] = detail::solve_monotone(g, 0.0, study_end, 1e-12 * study_end);
    }
    plan.subjects[k] = plan.sample_size * accrued_fraction(plan.time[k], end, rate);
  }
  if (!stop_prob.empty()) {
    double rest = 1;
    for (std::size_t k = 0; k < K; ++k) {
      double p = k + 1 == K ? rest : stop_prob[k];
      rest -= p;
      plan.expected_duration_h1 += p * plan.time[k];
      plan.expected_subjects_h1 += p * plan.subjects[k];
    }
  }
  return plan;
}

}  // namespace hazard
