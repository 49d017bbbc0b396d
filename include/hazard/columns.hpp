// Tables built in memory, column by column: how the R and Python packages (and C++ callers with
// data already in memory) hand a data frame to the library. The result is an ordinary Table: the
// column roles, validation and error messages are those of a file read from disk, with rows
// named "row N" (1-based) in messages, e.g. "lung: row 17: column 'time': value '-3': time is
// negative".
//
// Example:
//   std::vector<hazard::Column> cols;
//   cols.push_back(hazard::numeric_column("time", {5, 8, 12}));
//   cols.push_back(hazard::numeric_column("status", {1, 0, 1}));
//   cols.push_back(hazard::categorical_column("arm", {"placebo", "drug"}, {0, 1, 1}));
//   hazard::Table t = hazard::make_table("trial", std::move(cols));
//   // t.at("arm"): levels {"placebo", "drug"}: placebo is the reference, as in R
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hazard/table.hpp"

namespace hazard {

/// A numeric column; NaN is missing (R's NA_real_ and NA_integer_ converted, pandas' NaN).
/// Infinite values are kept: a role that needs a finite number rejects them with the row.
Column numeric_column(std::string name, std::vector<double> values);

/// A categorical column from level codes (-1 = missing) into `levels`, as an R factor or a pandas
/// Categorical holds it. The levels keep their order: the first is the reference level of a group
/// or covariate and the order of groups, strata and design columns follows it (as R does with a
/// factor), where columns read from files have their levels sorted. An empty level is missing
/// (as a blank field in a file): its rows get code -1 and it is dropped. Throws UsageError naming
/// the column for a code out of range or a repeated level.
Column categorical_column(std::string name, std::vector<std::string> levels,
                          std::vector<std::int32_t> codes);

/// A categorical column from text values (a pandas column of strings), levels in sorted (byte)
/// order as the file readers make them. A value is missing where `missing` is non-zero (if given)
/// or where it is empty. Throws UsageError when `missing` has another length.
Column text_column(std::string name, std::span<const std::string_view> values,
                   std::span<const std::uint8_t> missing = {});

/// A Table of `columns`, named `source` in messages (e.g. the name of the data frame). Throws
/// UsageError for columns of different lengths, an unnamed column or a repeated name.
Table make_table(std::string source, std::vector<Column> columns);

}  // namespace hazard
