// Factor coding of categorical roles (arm, stratum, cohort) gathered per subject from one or two
// tables (an analysis data set and ADSL), for the readout analyses (src/response, src/safety,
// src/qol). Levels sort as R's factor() sorts them: by value when every source column is numeric,
// else in byte (C-locale) order. Only the levels that occur are kept.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hazard/table.hpp"

namespace hazard::detail {

struct Coded {
  std::vector<std::string> levels;
  std::vector<std::int32_t> codes;  ///< per item; -1 = missing (an empty text)
};

/// Codes `values` ("" = missing). `numeric`: sort the levels as numbers.
Coded encode_levels(const std::vector<std::string>& values, bool numeric);

/// Moves `ref` to the front (no-op when empty). DataError naming `source`, `column` and the
/// levels when `ref` is not one of them.
void put_first(Coded& coded, const std::string& ref, const std::string& source,
               const std::string& column);

/// Combines several coded columns into one stratum per item, labelled as R's strata():
/// "A=a, B=b"; strata sorted by the first column's level, then the second's... Missing when any
/// part is missing.
Coded combine_strata(const std::vector<Coded>& parts, const std::vector<std::string>& names);

/// The text of row i of `column`, "" when missing (numbers in shortest round-trip form).
inline std::string cell_text(const Column& column, std::size_t i) { return column.text(i); }

/// Key of a subject: STUDYID (when `study` is given) and USUBJID, separated by \x1f.
std::string subject_key(const Column* study, const Column& subject, std::size_t i);

/// "line 17" / "observation 12" / "record 4" for row i of `table`.
std::string row_name(const Table& table, std::size_t i);

}  // namespace hazard::detail
