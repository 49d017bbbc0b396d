// The location of a value in a table, for the messages of DataError (hazard/error.hpp): the file,
// the record's line (or observation / record number) and the column, as every reader states it.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "hazard/error.hpp"
#include "hazard/table.hpp"

namespace hazard {

/// Row `row` of `table` (0-based), column `column`, holding `value` as written in the file (for
/// a table of several files, the file the row comes from: Table::source_of).
inline Location location_at(const Table& table, std::size_t row, const std::string& column, std::string value) {
  return {.file = table.source_of(row),
          .line = row < table.line.size() ? table.line[row] : 0,
          .column = column,
          .value = std::move(value),
          .has_value = true,
          .unit = table.record_unit};
}

}  // namespace hazard
