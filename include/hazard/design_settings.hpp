// A group-sequential survival design as a user states it — the flags of `hazard design` and
// `hazard monitor` (docs/cli/design.md), the arguments of the R and Python design functions — and
// the library options it stands for (hazard/design.hpp). The conventions are rpact's:
//   * the effect is the hazard ratio, or the ratio of the control to the experimental median
//     (exponential survival);
//   * beta = 1 - power; information fractions equally spaced unless given (the last must be 1);
//   * sample size and timing need the control median (hazard log(2) / median) and an accrual
//     (rpact's accrualTime with or without its leading 0; default 12 time units);
//   * absolute accrual rates over a closed accrual fix the sample size, so a given follow-up is
//     ignored with a warning (rpact does the same).
//
// Example:
//   auto o = hazard::survival_design_options({.hr = 0.7, .power = 0.9, .looks = 3});
//   hazard::SurvivalDesign d = hazard::design_survival(o.options);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hazard/design.hpp"

namespace hazard {

struct DesignSettings {
  std::optional<double> hr;                   ///< --hr
  double hr0 = 1;                             ///< --hr0 (null HR: margin)
  std::optional<double> median_control;       ///< --median-control
  std::optional<double> median_experimental;  ///< --median-experimental
  double alpha = 0.025;                       ///< --alpha (one-sided; two-sided with --sided 2)
  int sided = 1;                              ///< --sided 1|2
  double power = 0.8;                         ///< --power
  double ratio = 1;                           ///< --ratio experimental:control
  std::string method = "schoenfeld";          ///< --method
  int looks = 1;                              ///< --looks
  std::vector<double> info;                   ///< --info
  std::string spending = "obf";               ///< --spending
  std::string futility;                       ///< --futility (beta spending); "" or "none": none
  bool binding = false;                       ///< --binding
  std::vector<double> accrual_time;           ///< --accrual-time
  std::vector<double> accrual_rate;           ///< --accrual-rate
  std::optional<double> follow_up;            ///< --follow-up
  double dropout = 0;                         ///< --dropout
  double dropout_time = 12;                   ///< --dropout-time
};

struct DesignSetup {
  SurvivalDesignOptions options;
  std::vector<std::string> warnings;  ///< settings ignored (a follow-up fixed by the accrual)
};

/// The options `settings` describe (see the file comment). Throws UsageError, naming the flag,
/// for inconsistent or out-of-range settings.
DesignSetup survival_design_options(const DesignSettings& settings);

}  // namespace hazard
