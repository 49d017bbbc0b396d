// The survival-curve flags of `hazard cox` (docs/cli/cox.md, section "Survival curves"): --survfit,
// --newdata, --survfit-out, --conf-type (--residuals, --ph-test, --baseline are cmd_cox.cpp's own).
// cmd_cox.cpp declares them with add_cox_diagnostics_options and, after the fit, calls
// run_cox_diagnostics, which writes --survfit-out and returns the JSON keys and the text block
// to print. No math here.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "data_options.hpp"
#include "hazard/cox.hpp"
#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard::cli {

struct CoxDiagnosticsOptions {
  bool survfit = false;         ///< --survfit
  std::string newdata;          ///< --newdata FILE (implies --survfit)
  std::string survfit_out;      ///< --survfit-out FILE.csv
  std::string conf_type = "log";  ///< --conf-type of the survival curves
  bool csv_raw = false;         ///< --csv-raw (for --survfit-out and cox's --out)
};

void add_cox_diagnostics_options(CLI::App* cmd, CoxDiagnosticsOptions& options);

/// What run_cox_diagnostics produced: keys to add to the JSON output ("survfit") and the text to print after the model summary.
struct CoxDiagnosticsOutput {
  nlohmann::json json = nlohmann::json::object();
  std::string text;
};

/// Computes the curves the options ask for from the fit `fit` of `cd` (built from `sd`'s rows of
/// `table` with `design`'s columns, the arm's first, as cmd_cox.cpp builds them). `offset_column` is the --offset column ("" if none), `conf_level` the --conf-level.
CoxDiagnosticsOutput run_cox_diagnostics(const CoxDiagnosticsOptions& options, const DataOptions& data,
                                         const SurvData& sd, const Design& design, const CoxData& cd,
                                         const CoxResult& fit, const std::string& offset_column,
                                         double conf_level);

}  // namespace hazard::cli
