// Flags shared by the competing-risks commands (competing_options.hpp).
#include "competing_options.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>

#include "hazard/error.hpp"

namespace hazard::cli {

void add_competing_options(CLI::App* cmd, CompetingOptions& o) {
  cmd->add_option("--status", o.status,
                  "Status column: one value for censored (--censor) and one per cause of failure")
      ->required();
  cmd->add_option("--censor", o.censor,
                  "The status value meaning censored (default 0, as cmprsk's cencode)");
}

CompetingData load_competing_data(const DataOptions& data, const CompetingOptions& o,
                                  Table* table_out, const std::vector<std::string>& covariates) {
  if (!data.event.empty() || !data.cnsr.empty())
    throw UsageError(
        "competing risks read the failure cause from --status; --event and --cnsr do "
        "not apply");
  if (!data.weights.empty())
    throw UsageError("competing-risks estimators take no case weights (--weights)");
  if (o.status.empty()) throw UsageError("--status COL is required");
  if (o.censor.empty()) throw UsageError("--censor must not be empty");
  // the data options' roles with a placeholder event, replaced by the status coding
  DataOptions d = data;
  d.event = o.status;
  Roles roles = make_roles(d);
  roles.event.clear();
  roles.covariates = covariates;
  roles = competing_roles(std::move(roles), o.status, o.censor);
  Table table;
  SurvData surv;
  try {
    surv = load_surv_data(d, roles, &table);
  } catch (const UsageError& e) {
    // build_surv_data words a censoring value that does not fit the column as an --event flag
    if (std::string(e.what()).rfind("--event", 0) == 0)
      throw UsageError(
          fmt::format("--censor {}: the status column '{}' is numeric but '{}' is not "
                      "a number",
                      o.censor, o.status, o.censor));
    throw;
  }
  CompetingData out = make_competing_data(std::move(surv), table, o.status, o.censor);
  if (table_out) *table_out = std::move(table);
  return out;
}

std::string competing_summary(const CompetingData& d) {
  std::string causes;
  std::vector<double> events(d.n_causes(), 0.0);
  double censored = 0;
  for (std::int32_t c : d.cause) (c == 0 ? censored : events[static_cast<std::size_t>(c - 1)]) += 1;
  for (std::size_t k = 0; k < d.n_causes(); ++k)
    causes +=
        fmt::format("{}{} = {}: {}", k ? ", " : "", d.status_name, d.cause_levels[k], events[k]);
  return fmt::format("status column {}: censored ({} = {}): {}; failures: {}", d.status_name,
                     d.status_name, d.censor, censored, causes);
}

}  // namespace hazard::cli
