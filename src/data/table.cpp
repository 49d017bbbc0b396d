// Column and Table accessors.
#include "hazard/table.hpp"

#include <cmath>

#include <fmt/format.h>

#include "hazard/error.hpp"

namespace hazard {

std::string Column::text(std::size_t i) const {
  if (is_missing(i)) return {};
  if (kind == ColumnKind::numeric) return fmt::format("{}", numbers[i]);
  return levels[static_cast<std::size_t>(codes[i])];
}

const Column* Table::find(std::string_view name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

const Column& Table::at(std::string_view name) const {
  if (const Column* c = find(name)) return *c;
  throw DataError({.file = source, .column = std::string(name)}, "no such column in the data");
}

}  // namespace hazard
