// A column-oriented table of the columns an analysis uses, as read from a file.
//
// A column is numeric when every non-missing value is a finite number, otherwise categorical
// (its values are strings). Missing is `NA` or an empty field. Categorical levels read from files
// are kept in sorted (byte, i.e. R's C-locale) order, so code 0 is the level R would take as
// reference; a column built in memory from an R factor keeps the factor's order
// (hazard/columns.hpp). Groups, strata and design columns follow the order of the levels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hazard/index_sequence.hpp"

namespace hazard {

enum class ColumnKind { numeric, categorical };

struct Column {
  std::string name;
  std::string label;  ///< variable label where the format has one (SAS), else empty
  ColumnKind kind = ColumnKind::numeric;
  /// True when the file declares the variable as text (SAS character, Dataset-JSON string): such a
  /// column is never a time, start, weight or offset, even if its values look like numbers.
  bool character = false;
  std::vector<double> numbers;        ///< numeric: the values, NaN where missing
  std::vector<std::int32_t> codes;    ///< categorical: index into `levels`, -1 where missing
  std::vector<std::string> levels;    ///< categorical: distinct values, sorted

  std::size_t size() const { return kind == ColumnKind::numeric ? numbers.size() : codes.size(); }
  bool is_numeric() const { return kind == ColumnKind::numeric; }
  bool is_missing(std::size_t i) const {  // inline: the data layer calls it per row and column
    return kind == ColumnKind::numeric ? numbers[i] != numbers[i] : codes[i] < 0;
  }
  /// The value of row i as text: the level, or the number in shortest round-trip form; "" if missing.
  std::string text(std::size_t i) const;
};

struct Table {
  std::string source;                 ///< file name used in messages
  std::vector<Column> columns;        ///< the columns that were asked for, in the order asked
  IndexSequence line;                 ///< 1-based physical line (or record number) where row i starts
  std::string record_unit;            ///< what `line` counts: "" = text line, "observation", "record"
  std::size_t n_rows = 0;
  /// A table made of several files (concat_tables): the first row of each file and its name, in
  /// row order; empty for one file (then every row is from `source`).
  std::vector<std::pair<std::size_t, std::string>> parts{};

  std::size_t rows() const { return n_rows; }
  /// The file row i comes from (for messages naming file and line).
  const std::string& source_of(std::size_t row) const;
  const Column* find(std::string_view name) const;
  /// The column called `name`; throws DataError naming the file and the missing column.
  const Column& at(std::string_view name) const;
  Column& at(std::string_view name) { return const_cast<Column&>(std::as_const(*this).at(name)); }
};

/// The rows of several tables read with the same columns, one after the other, as one table: a
/// categorical column's levels are the sorted union of the parts' (codes mapped); each row keeps
/// its line and its file (Table::parts, source_of). `source` names the whole (a --data pattern).
/// Throws DataError naming the file and the column when a column is numeric in one part and text
/// in another, or is missing from a part.
Table concat_tables(std::vector<Table> parts, const std::string& source);

}  // namespace hazard
