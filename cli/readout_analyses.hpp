// The three readout analyses run from their inputs, shared by `hazard safety`, `hazard response`,
// `hazard deterioration` and the readout sections of `hazard report`, so that a number in the
// report is the number the command prints. Only reading and plumbing: each calls the library
// (safety_population, ae_data, summarize_safety; build_response_data, analyze_response,
// duration_of_response; build_qol_data, derive_deterioration, deterioration_km).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hazard/deterioration.hpp"
#include "hazard/km.hpp"
#include "hazard/response.hpp"
#include "hazard/safety.hpp"
#include "readout_data.hpp"

namespace hazard::cli {

/// `hazard safety`: in.data.data is ADAE, in.data.adsl ADSL (required), in.data.population the
/// population flag ("" = SAFFL).
struct SafetyRequest {
  ReadoutOptions in;
  AeColumns columns{};
  std::string adex{};                       ///< ADEX file ("" = exposure from ADSL dates)
  std::string exposure_param = "TRTDURD";  ///< PARAMCD of the exposure in ADEX
  std::string start = "TRTSDT", end = "TRTEDT";  ///< ADSL exposure dates without ADEX
  bool no_rates = false;
  SafetyOptions options{};
};
struct SafetyRun {
  std::string population_flag;  ///< the flag column, e.g. SAFFL
  SafetyPopulation population;
  AeData ae;
  SafetyResult result;
};
/// UsageError for an ADSL missing, a --ref of the form COL=LEVEL or a --where on a column of
/// neither file; data errors as the library throws them.
SafetyRun run_safety(const SafetyRequest& request);

/// `hazard response`: in.data.data is ADRS (with --where PARAMCD=BOR), DOR from `adtte`.
struct ResponseRequest {
  ReadoutOptions in;
  std::string response = "AVALC";
  ResponseOptions options{};
  std::string adtte{};  ///< ADTTE-shaped file with the duration of response ("" = none)
  std::string dor_param = "DOR", dor_time = "AVAL", dor_cnsr = "CNSR";
  ConfType conf_type = ConfType::log_log;  ///< of the duration-of-response KM medians
};
struct ResponseRun {
  ResponseData data;
  ResponseResult result;
  std::optional<DorResult> dor;
};
ResponseRun run_response(const ResponseRequest& request);

/// `hazard deterioration`: in.data.data is ADQS; `param` COL=VALUE selects the score.
struct QolRequest {
  ReadoutOptions in;
  std::string param{};  ///< COL=VALUE, e.g. PARAMCD=GHS ("" = every row)
  std::string value = "AVAL", time = "ADY", baseline_flag = "ABLFL";
  DeteriorationOptions options{};
  KmOptions km{};
};
struct QolRun {
  QolData data;
  DeteriorationResult result;
  std::vector<TtdAnalysis> analyses;
};
QolRun run_deterioration(const QolRequest& request);

/// The level of --group given by --ref (the readout commands take the group's level only):
/// UsageError for COL=LEVEL.
std::string readout_ref(const DataOptions& options);

}  // namespace hazard::cli
