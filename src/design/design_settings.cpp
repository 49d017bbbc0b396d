// A survival design's settings as the user states them, turned into the library's options
// (include/hazard/design_settings.hpp): the rules of `hazard design` and `hazard monitor`, shared
// with the R and Python packages.
#include "hazard/design_settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hazard/error.hpp"

namespace hazard {

namespace {

// A setting must lie in a range; the message names the flag and the range (issue 19: extreme
// values gave a negative or meaningless sample size with exit 0). The ranges are rpact's where it
// has one (alpha [1e-6, 0.5), beta [1e-4, 1 - alpha), allocation ratio up to 100).
void check_range(const char* flag, double v, double lo, double hi, const char* range) {
  if (!(std::isfinite(v) && v >= lo && v <= hi)) throw UsageError(fmt::format("{} {}: expected {}", flag, v, range));
}

void check_positive(const char* flag, double v) {
  if (!(std::isfinite(v) && v > 0)) throw UsageError(fmt::format("{} {}: expected a finite number > 0", flag, v));
}

}  // namespace

DesignSetup survival_design_options(const DesignSettings& f) {
  DesignSetup out;
  SurvivalDesignOptions& o = out.options;
  if (f.median_control) check_positive("--median-control", *f.median_control);
  if (f.median_experimental) check_positive("--median-experimental", *f.median_experimental);
  if (f.hr) check_range("--hr", *f.hr, 0.01, 100, "a hazard ratio from 0.01 to 100, not 1");
  check_range("--alpha", f.alpha, 1e-6, std::nextafter(0.5, 0.0), "a one-sided level in [1e-6, 0.5) (rpact's range)");
  check_range("--power", f.power, std::nextafter(f.alpha, 1.0), 1 - 1e-4, "a power above --alpha and at most 0.9999 (rpact's range)");
  check_range("--ratio", f.ratio, 0.01, 100, "an allocation ratio from 0.01 to 100");
  for (double t : f.accrual_time) check_range("--accrual-time", t, 0, std::numeric_limits<double>::max(), "finite times >= 0");
  for (double r : f.accrual_rate) check_positive("--accrual-rate", r);
  if (f.follow_up) check_range("--follow-up", *f.follow_up, 0, std::numeric_limits<double>::max(), "a finite time >= 0");
  check_range("--dropout", f.dropout, 0, std::nextafter(1.0, 0.0), "a probability in [0, 1)");
  check_positive("--dropout-time", f.dropout_time);
  for (double t : f.info) check_range("--info", t, std::numeric_limits<double>::min(), 1, "fractions in (0, 1]");
  if (f.hr && f.median_experimental) {
    throw UsageError("give either --hr or --median-experimental, not both");
  }
  if (f.median_experimental) {
    if (!f.median_control) throw UsageError("--median-experimental needs --median-control");
    if (!(*f.median_experimental > 0)) throw UsageError("--median-experimental must be > 0");
    o.hr = *f.median_control / *f.median_experimental;
    if (!(o.hr >= 0.01 && o.hr <= 100))
      throw UsageError(fmt::format("--median-control {} / --median-experimental {}: the hazard ratio {} is "
                                   "outside 0.01 to 100",
                                   *f.median_control, *f.median_experimental, o.hr));
  } else if (f.hr) {
    o.hr = *f.hr;
  } else {
    throw UsageError("the effect is required: --hr HR or --median-experimental M");
  }
  if (!(f.hr0 > 0) || !std::isfinite(f.hr0)) throw UsageError("--hr0 must be positive");
  if (!(o.hr > 0) || o.hr == f.hr0) {
    throw UsageError(f.hr0 == 1
                         ? std::string("--hr must be positive and not 1")
                         : fmt::format("--hr must be positive and differ from --hr0 {}", f.hr0));
  }
  o.hr0 = f.hr0;
  if (!(f.alpha > 0 && f.alpha / f.sided < 0.5)) {
    throw UsageError(f.sided == 1 ? "--alpha must be in (0, 0.5)" : "--alpha must be in (0, 1)");
  }
  if (!(f.power > f.alpha / f.sided && f.power < 1))
    throw UsageError("--power must be in (alpha, 1)");
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
      throw UsageError(fmt::format("--info has {} fractions for --looks {}", f.info.size(), f.looks));
    }
    b.info = f.info;
    if (std::fabs(b.info.back() - 1) > 1e-9) throw UsageError("the last --info fraction must be 1");
    b.info.back() = 1;
  } else {
    for (std::size_t k = 1; k <= K; ++k) b.info.push_back(static_cast<double>(k) / static_cast<double>(K));
  }
  b.sided = f.sided;
  b.efficacy = parse_spending(f.spending);
  if (b.efficacy.type == SpendingType::user) {
    if (b.efficacy.values.size() != b.info.size()) {
      throw UsageError(fmt::format("--spending user: {} values for {} looks",
                                   b.efficacy.values.size(), b.info.size()));
    }
    if (std::fabs(b.efficacy.values.back() - f.alpha) > 1e-12 * f.alpha) {
      throw UsageError(
          fmt::format("--spending user: the last cumulative alpha {} must equal "
                      "--alpha {}",
                      b.efficacy.values.back(), f.alpha));
    }
    b.efficacy.at = b.info;
  }
  if (!f.futility.empty() && f.futility != "none") b.futility = parse_spending(f.futility);
  b.binding = f.binding;
  if (f.binding && !b.futility) throw UsageError("--binding needs --futility");

  const bool wants_plan = f.median_control || !f.accrual_time.empty() || !f.accrual_rate.empty() ||
                          f.follow_up;
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
    const bool absolute = std::any_of(f.accrual_rate.begin(), f.accrual_rate.end(),
                                      [](double r) { return r >= 1; });
    if (f.follow_up && absolute && !end.empty() && f.accrual_rate.size() == end.size()) {
      out.warnings.push_back(fmt::format("the accrual rates fix the sample size; the follow-up is computed and "
                                         "--follow-up {} is ignored (as rpact)",
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
