// Flags shared by `hazard design` and `hazard monitor`: the design of a two-arm survival trial
// (docs/cli/design.md). Parsing only: the numbers come from the library (hazard/design.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "hazard/design.hpp"

namespace hazard::cli {

struct DesignFlags {
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
  std::string futility;                       ///< --futility (beta spending)
  bool binding = false;                       ///< --binding
  std::vector<double> accrual_time;           ///< --accrual-time
  std::vector<double> accrual_rate;           ///< --accrual-rate
  std::optional<double> follow_up;            ///< --follow-up
  double dropout = 0;                         ///< --dropout
  double dropout_time = 12;                   ///< --dropout-time
};

/// Declares the design flags on `cmd`.
void add_design_flags(CLI::App* cmd, DesignFlags& flags);

/// The library options the flags describe (throws UsageError for inconsistent flags).
SurvivalDesignOptions make_design_options(const DesignFlags& flags);

}  // namespace hazard::cli
