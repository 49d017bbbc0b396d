// A survival design's settings as the user states them, turned into the library's options
// (include/hazard/design_settings.hpp): the rules of `hazard design` and `hazard monitor`, shared
// with the R and Python packages.
#include "hazard/design_settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "hazard/error.hpp"

namespace hazard {

DesignSetup survival_design_options(const DesignSettings& f) {
  DesignSetup out;
  SurvivalDesignOptions& o = out.options;
  if (f.hr && f.median_experimental) {
    throw UsageError("give either --hr or --median-experimental, not both");
  }
  if (f.median_experimental) {
    if (!f.median_control) throw UsageError("--median-experimental needs --median-control");
    if (!(*f.median_experimental > 0)) throw UsageError("--median-experimental must be > 0");
    o.hr = *f.median_control / *f.median_experimental;
  } else if (f.hr) {
    o.hr = *f.hr;
  } else {
    throw UsageError("the effect is required: --hr HR or --median-experimental M");
  }
  if (!(o.hr > 0) || o.hr == 1) throw UsageError("--hr must be positive and not 1");
  if (!(f.alpha > 0 && f.alpha < 0.5)) throw UsageError("--alpha must be in (0, 0.5)");
  if (!(f.power > f.alpha && f.power < 1)) throw UsageError("--power must be in (alpha, 1)");
  if (!(f.ratio > 0)) throw UsageError("--ratio must be positive");
  if (f.looks < 1 || f.looks > 20) throw UsageError("--looks must be between 1 and 20");
  o.ratio = f.ratio;
  o.method = parse_event_method(f.method);

  auto& b = o.boundaries;
  b.alpha = f.alpha;
  b.beta = 1 - f.power;
  const std::size_t K = static_cast<std::size_t>(f.looks);
  if (!f.info.empty()) {
    if (f.info.size() != K && !(f.looks == 1 && f.info.size() > 1)) {
      throw UsageError(
          fmt::format("--info has {} fractions for --looks {}", f.info.size(), f.looks));
    }
    b.info = f.info;
    if (std::fabs(b.info.back() - 1) > 1e-9) throw UsageError("the last --info fraction must be 1");
    b.info.back() = 1;
  } else {
    for (std::size_t k = 1; k <= K; ++k)
      b.info.push_back(static_cast<double>(k) / static_cast<double>(K));
  }
  b.efficacy = parse_spending(f.spending);
  if (!f.futility.empty() && f.futility != "none") b.futility = parse_spending(f.futility);
  b.binding = f.binding;
  if (f.binding && !b.futility) throw UsageError("--binding needs --futility");

  const bool wants_plan =
      f.median_control || !f.accrual_time.empty() || !f.accrual_rate.empty() || f.follow_up;
  if (wants_plan) {
    if (!f.median_control) throw UsageError("sample size and timing need --median-control");
    if (!(*f.median_control > 0)) throw UsageError("--median-control must be > 0");
    SurvivalPlanOptions p;
    p.lambda_control = std::log(2.0) / *f.median_control;
    std::vector<double> end = f.accrual_time;
    if (end.size() > 1 && end.front() == 0) end.erase(end.begin());  // rpact's leading 0
    if (end.size() == 1 && end.front() == 0) end.clear();
    p.accrual = {.end = end, .rate = f.accrual_rate};
    p.follow_up = f.follow_up ? *f.follow_up : std::nan("");
    // Absolute rates over a closed accrual fix the sample size, so the follow-up is computed;
    // rpact then ignores a given followUpTime with a warning, and so does hazard.
    const bool absolute =
        std::any_of(f.accrual_rate.begin(), f.accrual_rate.end(), [](double r) { return r >= 1; });
    if (f.follow_up && absolute && !end.empty() && f.accrual_rate.size() == end.size()) {
      out.warnings.push_back(fmt::format(
          "the accrual rates fix the sample size; the follow-up is computed and --follow-up {} is "
          "ignored (as rpact)",
          *f.follow_up));
      p.follow_up = std::nan("");
    }
    p.dropout_rate = f.dropout;
    p.dropout_time = f.dropout_time;
    if (end.empty() && f.accrual_rate.empty()) p.accrual.end = {12.0};  // rpact's default
    o.plan = p;
  } else if (f.dropout != 0) {
    throw UsageError("--dropout needs --median-control and accrual");
  }
  return out;
}

}  // namespace hazard
