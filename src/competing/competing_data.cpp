// Competing-risks data: the status column read as censored / cause codes.
//
// The rows are validated by build_surv_data with the status column as an `--event COL=CENSOR`
// indicator, so --where, missing values (counted by reason: "missing event" for a missing status),
// groups, strata and covariates follow the same rules as every other analysis. The status of each
// kept row is then read again: equal to `censor` = censored (code 0), otherwise a failure from the
// cause with that value. Causes are numbered in R's order (sort(unique(status)) in cmprsk, the
// factor levels in survfit): by value for a numeric column, by text (byte order) otherwise.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "hazard/competing.hpp"
#include "hazard/error.hpp"
#include "io/number.hpp"

namespace hazard {

Roles competing_roles(Roles roles, const std::string& status, const std::string& censor) {
  if (status.empty()) throw UsageError("competing risks need --status COL");
  if (!roles.event.empty())
    throw UsageError("competing risks read the status column (--status " + status +
                     "); --event and --cnsr do not apply");
  if (!roles.weights.empty())
    throw UsageError("competing-risks estimators take no case weights (--weights)");
  if (!roles.start.empty())
    throw UsageError("competing-risks estimators take right-censored data only (no --start)");
  if (censor.empty()) throw UsageError("--censor must not be empty");
  roles.event = status;
  roles.coding = EventCoding::equals;
  roles.event_value = censor;
  return roles;
}

CompetingData make_competing_data(SurvData surv, const Table& table, const std::string& status,
                                  const std::string& censor) {
  const Column& col = table.at(status);
  double censor_number = 0;
  const bool censor_numeric = detail::parse_number(censor, censor_number);
  if (col.is_numeric() && !censor_numeric)
    throw UsageError(fmt::format("--censor {}: the status column '{}' is numeric but '{}' is not a "
                                 "number",
                                 censor, status, censor));
  const std::size_t n = surv.size();
  CompetingData out;
  out.status_name = status;
  out.censor = censor;
  out.cause.assign(n, 0);
  // build_surv_data coded status = 1 for "equals censor": flip it to 1 = failure.
  for (std::size_t i = 0; i < n; ++i) surv.status[i] = surv.status[i] ? 0 : 1;
  if (col.is_numeric()) {
    std::vector<double> values;
    for (std::size_t i = 0; i < n; ++i)
      if (surv.status[i]) values.push_back(col.numbers[surv.row[i]]);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (double v : values) {
      // the level's name as R prints the number (shortest round trip, as Column::text)
      Column one{.kind = ColumnKind::numeric, .numbers = {v}};
      out.cause_levels.push_back(one.text(0));
    }
    for (std::size_t i = 0; i < n; ++i)
      if (surv.status[i]) {
        const double v = col.numbers[surv.row[i]];
        out.cause[i] = static_cast<std::int32_t>(
            std::lower_bound(values.begin(), values.end(), v) - values.begin() + 1);
      }
  } else {
    // levels are sorted already; keep those that occur among failures
    std::vector<std::int32_t> code_of(col.levels.size(), 0);
    for (std::size_t i = 0; i < n; ++i)
      if (surv.status[i]) code_of[static_cast<std::size_t>(col.codes[surv.row[i]])] = 1;
    std::int32_t next = 0;
    for (std::size_t l = 0; l < col.levels.size(); ++l)
      if (code_of[l]) {
        code_of[l] = ++next;
        out.cause_levels.push_back(col.levels[l]);
      }
    for (std::size_t i = 0; i < n; ++i)
      if (surv.status[i]) out.cause[i] = code_of[static_cast<std::size_t>(col.codes[surv.row[i]])];
  }
  if (out.cause_levels.empty())
    throw DataError({.file = surv.source, .column = status},
                    fmt::format("no failure of any cause among the {} rows analysed: every status "
                                "is the censoring value '{}'",
                                n, censor));
  // a missing status is a missing "event" to build_surv_data: name it after the column's role
  auto& reasons = surv.excluded.reasons;
  if (auto it = reasons.find("missing event"); it != reasons.end()) {
    reasons["missing status"] += it->second;
    reasons.erase(it);
  }
  out.surv = std::move(surv);
  return out;
}

CompetingData build_competing_data(const Table& table, const Roles& roles,
                                   const std::string& status, const std::string& censor) {
  const Roles r = competing_roles(roles, status, censor);
  // check the censoring value before build_surv_data words the problem as an --event flag
  const Column& col = table.at(status);
  double x = 0;
  if (col.is_numeric() && !detail::parse_number(censor, x))
    throw UsageError(fmt::format("--censor {}: the status column '{}' is numeric but '{}' is not a "
                                 "number",
                                 censor, status, censor));
  return make_competing_data(build_surv_data(table, r), table, status, censor);
}

std::size_t cause_index(const CompetingData& data, const std::string& cause) {
  double want = 0;
  const bool numeric = detail::parse_number(cause, want);
  for (std::size_t c = 0; c < data.cause_levels.size(); ++c) {
    const std::string& level = data.cause_levels[c];
    if (level == cause) return c;
    double v = 0;
    if (numeric && detail::parse_number(level, v) && v == want) return c;
  }
  if (cause == data.censor)
    throw UsageError(fmt::format("--cause {}: that is the censoring value (--censor {})", cause,
                                 data.censor));
  throw DataError({.file = data.surv.source, .column = data.status_name},
                  fmt::format("--cause {}: no failure with status '{}' among the rows analysed (causes "
                              "present: {}; censoring value: {})",
                              cause, cause, fmt::join(data.cause_levels, ", "), data.censor));
}

FineGrayData fine_gray_data(const CompetingData& data, const Table& table, std::size_t cause,
                            const std::vector<DesignSpec>& covariates) {
  if (cause >= data.n_causes()) throw std::invalid_argument("fine_gray_data: cause out of range");
  FineGrayData out;
  const SurvData& s = data.surv;
  out.time = s.time;
  out.cause.resize(s.size());
  const auto want = static_cast<std::int32_t>(cause + 1);
  for (std::size_t i = 0; i < s.size(); ++i)
    out.cause[i] = data.cause[i] == 0 ? 0 : data.cause[i] == want ? 1 : 2;
  out.cengroup = s.stratum;
  Design design = build_design(table, s.row, covariates);
  out.x = std::move(design.x);
  out.names = std::move(design.names);
  return out;
}

}  // namespace hazard
