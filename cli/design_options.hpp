// Flags shared by `hazard design` and `hazard monitor`: the design of a two-arm survival trial
// (docs/cli/design.md). Parsing only: the numbers come from the library (hazard/design.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "hazard/design.hpp"
#include "hazard/design_settings.hpp"

namespace hazard::cli {

/// The flags are the library's design settings, one field per flag.
using DesignFlags = DesignSettings;

/// Declares the design flags on `cmd`.
void add_design_flags(CLI::App* cmd, DesignFlags& flags);

/// The library options the flags describe (hazard::survival_design_options; its warnings are
/// printed to stderr). Throws UsageError for inconsistent flags.
SurvivalDesignOptions make_design_options(const DesignFlags& flags);

}  // namespace hazard::cli
