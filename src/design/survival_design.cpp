// A group-sequential survival design, as rpact's getSampleSizeSurvival(design, ...) and
// getPowerSurvival(design, ...).
//
// Sample-size mode: the boundaries (group_sequential.cpp), the fixed-design events
// (fixed_events.cpp, level alpha / sided, margin hr0) inflated by the design's inflation factor,
// D_k = D_fixed * inflation * t_k at each look, the HR on each bound
//   hr0 exp(-+ c_k (1 + r) / sqrt(r D_k))   (two-sided: both bounds),
// the expected events under H0, theta/2 and H1 (ASN * D_fixed), and, when accrual and survival are
// given, the sample size and look times (survival_plan.cpp).
//
// Power mode (max_events given, or max_subjects without it): as rpact getPowerSurvival, the drift
// per event is
//   Schoenfeld  sqrt(r) / (1 + r) |log(hr / hr0)|
//   Freedman    sqrt(r) |1 - hr| / (1 + r hr)
//   Hsieh       2 sqrt(r) / (1 + r) |1 - hr| / (1 + hr)
// times sqrt(D); the power is the probability of crossing an efficacy bound under that drift
// (futility stops honoured; two-sided: either bound), the expected events
//   D - sum_{k<K} P(stop at k) (1 - t_k) D.
// With max_subjects N the accrual is made absolute: relative intensities over the given accrual
// times are scaled to N, or the end of an open last piece (or of a single rate) is where N is
// reached; the follow-up is then what the events need. Without max_events the events are
// D = N P(T_a + follow-up) (survival_plan.cpp's event_probability, rpact getEventProbabilities).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include <fmt/format.h>

#include "hazard/design.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

/// Drift per unit sqrt(event) of the method (rpact getPowerSurvival).
double drift_per_event(EventMethod m, double hr, double hr0, double r) {
  switch (m) {
    case EventMethod::schoenfeld:
      return std::sqrt(r) / (1 + r) * std::fabs(std::log(hr / hr0));
    case EventMethod::freedman:
      return std::sqrt(r) * std::fabs(1 - hr) / (1 + r * hr);
    case EventMethod::hsieh:
      return 2 * std::sqrt(r) / (1 + r) * std::fabs(1 - hr) / (1 + hr);
  }
  return std::nan("");
}

/// The accrual of `p` made absolute for a sample size n (closed; the follow-up left to solve).
SurvivalPlanOptions with_sample_size(SurvivalPlanOptions p, double n) {
  auto& a = p.accrual;
  if (!(n > 0) || !std::isfinite(n)) throw UsageError("the sample size must be positive");
  const bool relative = std::all_of(a.rate.begin(), a.rate.end(), [](double r) { return r < 1; });
  double start = 0, total = 0;
  std::vector<double> rate = a.rate;
  if (rate.empty()) rate.assign(a.end.size(), 1.0);
  if (relative && !a.rate.empty() && rate.size() != a.end.size()) {
    throw UsageError("relative accrual intensities need one accrual time per intensity");
  }
  if (relative || a.rate.empty()) {
    if (a.end.empty())
      throw UsageError("--n needs the accrual: --accrual-time or an --accrual-rate");
    for (std::size_t j = 0; j < a.end.size(); ++j) {
      total += rate[j] * (a.end[j] - start);
      start = a.end[j];
    }
    for (double& r : rate) r *= n / total;
    a.rate = rate;
  } else if (rate.size() == a.end.size() + 1) {
    // Open last piece: it ends when n subjects are in.
    for (std::size_t j = 0; j < a.end.size(); ++j) {
      total += rate[j] * (a.end[j] - start);
      start = a.end[j];
    }
    if (!(total < n)) {
      throw UsageError(
          fmt::format("the sample size {} is reached before the last accrual piece "
                      "({} subjects by {})",
                      n, total, start));
    }
    a.end.push_back(start + (n - total) / rate.back());
  } else {
    for (std::size_t j = 0; j < a.end.size(); ++j) {
      total += rate[j] * (a.end[j] - start);
      start = a.end[j];
    }
    if (std::fabs(total - n) > 1e-9 * n) {
      throw UsageError(
          fmt::format("the accrual rates and times give {} subjects, not the sample "
                      "size {}: leave the last piece open (one more rate) or give "
                      "no --n",
                      total, n));
    }
  }
  p.follow_up = std::nan("");
  return p;
}

// Every number of the design must be finite and positive (issue 19: extreme inputs gave a
// negative sample size with exit 0). Anything else is a numerical error naming the quantity.
void check_result(const SurvivalDesign& d) {
  auto check = [](double v, const std::string& what) {
    if (!(std::isfinite(v) && v > 0))
      throw NumericalError(fmt::format("the design's {} is {}, not a finite positive number: the inputs are "
                                       "outside what the formulas can handle",
                                       what, v));
  };
  check(d.events_fixed, "number of events of the fixed design");
  check(d.max_events, "maximum number of events");
  if (!d.plan) return;
  check(d.plan->sample_size, "sample size");
  check(d.plan->accrual_end, "end of accrual");
  for (std::size_t k = 0; k < d.plan->time.size(); ++k) {
    check(d.plan->time[k], fmt::format("calendar time of look {}", k + 1));
    check(d.plan->subjects[k], fmt::format("number of subjects at look {}", k + 1));
  }
  if (!(std::isfinite(d.plan->follow_up) && d.plan->follow_up >= 0))
    throw NumericalError(fmt::format("the design's follow-up is {}, not a finite number >= 0: the inputs are "
                                     "outside what the formulas can handle",
                                     d.plan->follow_up));
}

}  // namespace

SurvivalDesign design_survival(const SurvivalDesignOptions& o) {
  SurvivalDesign d;
  d.boundaries = GroupSequentialDesign::compute(o.boundaries);
  const auto& b = d.boundaries;
  const int sided = o.boundaries.sided;
  const double alpha = o.boundaries.alpha / sided;
  d.events_fixed = fixed_events(o.method, o.hr, alpha, o.boundaries.beta, o.ratio, o.hr0);
  const std::size_t K = b.looks();
  d.power_mode = o.max_events.has_value() || o.max_subjects.has_value();
  if (o.max_subjects && !o.plan) {
    throw UsageError("a given sample size needs the survival and accrual (--median-control, ...)");
  }
  std::optional<SurvivalPlanOptions> plan;
  if (o.plan) {
    plan = *o.plan;
    plan->hr = o.hr;
    plan->ratio = o.ratio;
    if (o.max_subjects) {
      const double follow_up = plan->follow_up;
      plan = with_sample_size(*plan, *o.max_subjects);
      if (!o.max_events) {
        if (std::isnan(follow_up)) throw UsageError("--n without --events needs --follow-up");
        const double phi = -std::log1p(-plan->dropout_rate) / plan->dropout_time;
        d.max_events =
            *o.max_subjects * event_probability(plan->accrual.end.back() + follow_up,
                                                plan->accrual.end, plan->accrual.rate,
                                                plan->lambda_control, o.hr, o.ratio, phi);
      }
    }
  }
  if (o.max_events) d.max_events = *o.max_events;
  if (!d.power_mode) d.max_events = d.events_fixed * b.inflation;
  if (!(d.max_events > 0) || !std::isfinite(d.max_events)) {
    throw UsageError("the number of events must be positive");
  }

  const bool below = o.hr < o.hr0;
  d.events.resize(K);
  d.hr_efficacy.resize(K);
  d.hr_efficacy_other.assign(K, std::nan(""));
  d.hr_futility.assign(K, std::nan(""));
  for (std::size_t k = 0; k < K; ++k) {
    d.events[k] = d.max_events * b.info[k];
    const double c = b.z_efficacy[k];
    if (std::isfinite(c)) {
      d.hr_efficacy[k] = o.hr0 * hr_at_boundary(c, d.events[k], o.ratio, below);
      if (sided == 2)
        d.hr_efficacy_other[k] = o.hr0 * hr_at_boundary(c, d.events[k], o.ratio, !below);
    } else {
      d.hr_efficacy[k] = std::nan("");
    }
    if (std::isfinite(b.z_futility[k])) {
      d.hr_futility[k] = o.hr0 * hr_at_boundary(b.z_futility[k], d.events[k], o.ratio, below);
    }
  }

  if (!d.power_mode) {
    d.expected_events_h0 = b.asn_h0 * d.events_fixed;
    d.expected_events_h01 = b.asn_h01 * d.events_fixed;
    d.expected_events_h1 = b.asn_h1 * d.events_fixed;
    d.power = b.cum_power.back();
    d.reject_h1 = b.reject_h1;
    d.futility_h1 = b.futility_h1;
    d.drift_h1 = b.drift;
  } else {
    d.drift_h1 = drift_per_event(o.method, o.hr, o.hr0, o.ratio) * std::sqrt(d.max_events);
    auto expected = [&](const CrossingProbabilities& p) {
      double e = d.max_events;
      for (std::size_t k = 0; k + 1 < K; ++k) {
        e -= (p.upper[k] + p.lower[k]) * (1 - b.info[k]) * d.max_events;
      }
      return e;
    };
    auto h1 = b.at_drift(d.drift_h1);
    d.expected_events_h1 = expected(h1);
    d.expected_events_h01 = expected(b.at_drift(d.drift_h1 / 2));
    d.expected_events_h0 = expected(b.at_drift(0));
    d.reject_h1.resize(K);
    d.futility_h1.assign(K, 0.0);
    for (std::size_t k = 0; k < K; ++k) {
      d.reject_h1[k] = h1.upper[k] + (sided == 2 ? h1.lower[k] : 0.0);
      const bool has = sided == 1 && k + 1 < K && std::isfinite(b.z_futility[k]);
      if (has) d.futility_h1[k] = h1.lower[k];
    }
    d.power = std::accumulate(d.reject_h1.begin(), d.reject_h1.end(), 0.0);
  }

  if (plan) {
    std::vector<double> stop(K);
    for (std::size_t k = 0; k < K; ++k) stop[k] = d.reject_h1[k] + d.futility_h1[k];
    d.plan = plan_survival(*plan, d.events, stop);
  }
  check_result(d);
  return d;
}

SurvivalDesign round_up(const SurvivalDesignOptions& o, const SurvivalDesign& d) {
  auto whole = [](double x) { return std::ceil(x - 1e-9 * std::max(1.0, x)); };
  SurvivalDesignOptions r = o;
  r.max_events = whole(d.max_events);
  if (d.plan && o.plan) {
    const double n = d.plan->sample_size;
    r.max_subjects = whole(n * o.ratio / (1 + o.ratio)) + whole(n / (1 + o.ratio));
    auto& a = r.plan->accrual;
    const bool closed_absolute =
        !a.rate.empty() && a.rate.size() == a.end.size() &&
        std::any_of(a.rate.begin(), a.rate.end(), [](double x) { return x >= 1; });
    if (closed_absolute) {
      // Keep the shape of the accrual, scaled to the rounded sample size.
      const double top = *std::max_element(a.rate.begin(), a.rate.end());
      for (double& x : a.rate) x /= 2 * top;
    }
  }
  return design_survival(r);
}

}  // namespace hazard
