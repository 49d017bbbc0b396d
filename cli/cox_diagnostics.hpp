// The survival-curve flags of `hazard cox` (docs/cli/cox.md, section "Survival curves"): --survfit,
// --newdata, --survfit-out, --conf-type (--residuals, --ph-test, --baseline are cmd_cox.cpp's own).
// cmd_cox.cpp declares them with add_cox_diagnostics_options and, after the fit, makes a
// CoxCurveWriter, which writes --survfit-out and the text or JSON of the curves as they are
// computed. No math here.
#pragma once

#include <cstdio>
#include <memory>
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

/// The curves the options ask for, written as they are computed: one curve in memory at a time
/// whatever the number of --newdata rows (issue 19: 20,000 rows ran out of memory at 3.9 GB,
/// the JSON of every curve being built even without --json). The constructor reads and checks
/// --newdata, so that its errors come before anything is printed; write() then computes the curves
/// from the fit `fit` of `cd` (built from `sd`'s rows; the group's indicator columns first, then
/// `design`'s columns, as cmd_cox.cpp builds them). `offset_column` is the --offset column ("" if
/// none), `conf_level` the --conf-level.
class CoxCurveWriter {
 public:
  CoxCurveWriter(const CoxDiagnosticsOptions& options, const DataOptions& data, const SurvData& sd,
                 const Design& design, const CoxData& cd, const CoxResult& fit,
                 const std::string& offset_column, double conf_level);
  ~CoxCurveWriter();
  CoxCurveWriter(const CoxCurveWriter&) = delete;
  CoxCurveWriter& operator=(const CoxCurveWriter&) = delete;

  /// Whether any curve is asked for (--survfit, --newdata or --survfit-out).
  bool wanted() const;
  /// Computes the curves and writes each as it comes: to --survfit-out, and to `out` as the text
  /// block printed after the model summary, or (json) as the JSON object member
  /// `"survfit": {...}` without a leading comma.
  void write(std::FILE* out, bool json) const;

 private:
  struct State;
  std::unique_ptr<State> state_;  // released also when the constructor throws (bad --newdata)
};

}  // namespace hazard::cli
