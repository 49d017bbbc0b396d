// Flags shared by the competing-risks commands (cuminc, finegray, cox --cause): the status column
// with one value for censored and one per cause (docs/cli/cuminc.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "data_options.hpp"
#include "hazard/competing.hpp"

namespace hazard::cli {

struct CompetingOptions {
  std::string status;        ///< --status COL
  std::string censor = "0";  ///< --censor VALUE
};

/// Declares --status (required) and --censor on `cmd`.
void add_competing_options(CLI::App* cmd, CompetingOptions& options);

/// Reads the file with the data options' roles (no --event, --cnsr or --weights: UsageError) and
/// the status column; `extra` columns are read too. `table` receives the columns read.
CompetingData load_competing_data(const DataOptions& data, const CompetingOptions& options,
                                  Table* table = nullptr,
                                  const std::vector<std::string>& covariates = {});

/// The SurvData of the method line: "Aalen–Johansen ..." texts shared by the commands.
std::string competing_summary(const CompetingData& data);

}  // namespace hazard::cli
