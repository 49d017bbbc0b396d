// A group-sequential survival design, as rpact's getSampleSizeSurvival(design, ...): the
// boundaries (group_sequential.cpp), the fixed-design events (fixed_events.cpp) inflated by the
// design's inflation factor, D_k = D_fixed * inflation * t_k at each look, the HR on each bound,
// the expected events under H0, theta/2 and H1 (ASN * D_fixed), and, when accrual and survival are
// given, the sample size and look times (survival_plan.cpp).
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "hazard/design.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

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
  d.events_fixed =
      fixed_events(o.method, o.hr, o.boundaries.alpha, o.boundaries.beta, o.ratio);
  d.max_events = d.events_fixed * b.inflation;
  const std::size_t K = b.looks();
  const bool below = o.hr < 1;
  d.events.resize(K);
  d.hr_efficacy.resize(K);
  d.hr_futility.assign(K, std::nan(""));
  for (std::size_t k = 0; k < K; ++k) {
    d.events[k] = d.max_events * b.info[k];
    d.hr_efficacy[k] = std::isinf(b.z_efficacy[k])
                           ? std::nan("")
                           : hr_at_boundary(b.z_efficacy[k], d.events[k], o.ratio, below);
    if (std::isfinite(b.z_futility[k])) {
      d.hr_futility[k] = hr_at_boundary(b.z_futility[k], d.events[k], o.ratio, below);
    }
  }
  d.expected_events_h0 = b.asn_h0 * d.events_fixed;
  d.expected_events_h01 = b.asn_h01 * d.events_fixed;
  d.expected_events_h1 = b.asn_h1 * d.events_fixed;
  if (o.plan) {
    SurvivalPlanOptions p = *o.plan;
    p.hr = o.hr;
    p.ratio = o.ratio;
    std::vector<double> stop(K);
    for (std::size_t k = 0; k < K; ++k) stop[k] = b.reject_h1[k] + b.futility_h1[k];
    d.plan = plan_survival(p, d.events, stop);
  }
  check_result(d);
  return d;
}

}  // namespace hazard
