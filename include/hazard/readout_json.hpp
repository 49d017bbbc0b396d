// The JSON of the readout results that `hazard safety`, `hazard response` and the report's
// readout sections (results.json) share, so that a number has one key and one form wherever it is
// written (docs/cli/safety.md, docs/cli/response.md). Keys in the order written (ordered_json), as
// the commands print them; nlohmann::json(...) converts for documents with sorted keys.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hazard/response.hpp"
#include "hazard/safety.hpp"

namespace hazard {

/// One row of the safety tables: `type` (summary, soc, pt), `id` (summary rows), `label`, `soc`,
/// `arms[]` (`group`, `n`, `percent`, `worst_grade` {1..5, missing}, `grade3`, `rate` {estimate,
/// lower, upper}) and `differences[]` per non-reference arm (`group`, `reference`, `estimate`,
/// `newcombe` {lower, upper}, `wald` {std_err, lower, upper}; percentage points). `levels` are the
/// arms, the reference first.
nlohmann::ordered_json safety_row_json(const SafetyRow& row, const std::vector<std::string>& levels);

/// One response-rate comparison: `difference` (Wald estimate, SE and limits; Newcombe limits),
/// `stratified_difference` (MH weights, Sato variance), `cmh` (chisq, df, p, corrected, strata used
/// and dropped) and `odds_ratio` (MH estimate and limits). Non-finite numbers are null.
nlohmann::ordered_json rate_comparison_json(const RateComparison& c);

}  // namespace hazard
