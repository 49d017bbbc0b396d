// CDISC ADaM helpers: joining subject-level data (ADSL) to an analysis data set (ADTTE), deriving
// analysis times from SAS dates, and checking one row per subject and parameter.
//
// Example (what `--adsl adsl.xpt --population ITTFL --time-from STARTDT --time-to ADT` does):
//   Table adtte = read_data("adtte.xpt", {...});
//   Table adsl = read_data("adsl.xpt", {.columns = {"USUBJID", "TRT01P", "ITTFL"}, ...});
//   Table t = join_subject_level(adtte, adsl, {"TRT01P", "ITTFL"});
//   derive_time(t, {.from = "STARTDT", .to = "ADT", .unit = TimeUnit::months, .name = "time"});
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard {

/// Adds the columns `columns` of `adsl` to `adtte`, matching rows on STUDYID (when both tables
/// have it) and USUBJID. Errors (DataError): USUBJID absent from either table; a missing USUBJID;
/// a subject twice in ADSL (naming both records); an ADTTE subject not in ADSL. Joined
/// categorical columns keep only the levels that occur in ADTTE's rows (as if the joined data
/// had been read from one file).
Table join_subject_level(const Table& adtte, const Table& adsl, const std::vector<std::string>& columns);

/// Units of a time. The clinical (SAS / ADaM) convention: a week is 7 days, a month
/// 365.25 / 12 = 30.4375 days, a year 365.25 days.
enum class TimeUnit { days, weeks, months, years };

/// Days per unit: 1, 7, 30.4375 (= 365.25 / 12) and 365.25.
double days_per(TimeUnit unit);

/// "days", "weeks", "months", "years".
const char* time_unit_name(TimeUnit unit);

/// Parses "days", "weeks", "months", "years"; std::nullopt for anything else.
std::optional<TimeUnit> parse_time_unit(std::string_view text);

/// A time in `from` units expressed in `to` units: t * days_per(from) / days_per(to) (so days to
/// months is t / 30.4375 exactly as R's time / 30.4375).
double convert_time(double t, TimeUnit from, TimeUnit to);

/// Converts the numeric column `column` of `table` from `from` to `to` units in place (missing
/// stays missing; a categorical column is left alone: the data layer reports it as a bad time).
void convert_time_column(Table& table, const std::string& column, TimeUnit from, TimeUnit to);

struct TimeDerivation {
  std::string from;   ///< start date column (SAS date: days since 1960-01-01), e.g. STARTDT / TRTSDT
  std::string to;     ///< end date column, e.g. ADT
  TimeUnit unit = TimeUnit::days;
  std::string name;   ///< name of the derived column
};

/// Appends column `d.name` = (to - from) / days_per(unit); missing when either date is missing.
/// A date column must be numeric (a character column is a DataError naming the column).
/// No validation here: a negative time in an analysed row is reported by build_surv_data.
void derive_time(Table& table, const TimeDerivation& d);

/// Checks that no subject appears twice within one parameter among the rows with keep[i] != 0
/// (`param` may be empty: then once overall). DataError naming both rows otherwise.
void check_one_row_per_subject(const Table& table, const std::vector<char>& keep, const std::string& subject,
                               const std::string& param);

}  // namespace hazard
