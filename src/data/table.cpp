// Column and Table accessors.
#include "hazard/table.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

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

namespace hazard {

const std::string& Table::source_of(std::size_t row) const {
  if (parts.empty()) return source;
  auto it = std::upper_bound(parts.begin(), parts.end(), row,
                             [](std::size_t r, const auto& p) { return r < p.first; });
  return it == parts.begin() ? source : std::prev(it)->second;
}

Table concat_tables(std::vector<Table> tables, const std::string& source) {
  if (tables.size() == 1) return std::move(tables.front());
  Table out;
  out.source = source;
  if (tables.empty()) return out;
  out.record_unit = tables.front().record_unit;
  for (const Column& c : tables.front().columns) {
    Column col;
    col.name = c.name;
    col.label = c.label;
    col.kind = c.kind;
    col.character = c.character;
    for (const Table& t : tables) {
      const Column* p = t.find(c.name);
      if (!p) throw DataError({.file = t.source, .column = c.name}, "the column is missing from this file");
      if (p->kind != c.kind)
        throw DataError({.file = t.source, .column = c.name},
                        fmt::format("the column is {} here but {} in {}", p->is_numeric() ? "numeric" : "text",
                                    c.kind == ColumnKind::numeric ? "numeric" : "text", tables.front().source));
      col.character = col.character || p->character;
      if (col.kind == ColumnKind::categorical) col.levels.insert(col.levels.end(), p->levels.begin(), p->levels.end());
    }
    std::sort(col.levels.begin(), col.levels.end());
    col.levels.erase(std::unique(col.levels.begin(), col.levels.end()), col.levels.end());
    for (const Table& t : tables) {
      const Column& p = *t.find(c.name);
      if (col.kind == ColumnKind::numeric) {
        col.numbers.insert(col.numbers.end(), p.numbers.begin(), p.numbers.end());
        continue;
      }
      std::vector<std::int32_t> map(p.levels.size());
      for (std::size_t l = 0; l < p.levels.size(); ++l)
        map[l] = static_cast<std::int32_t>(std::lower_bound(col.levels.begin(), col.levels.end(), p.levels[l]) -
                                           col.levels.begin());
      for (auto code : p.codes) col.codes.push_back(code < 0 ? code : map[static_cast<std::size_t>(code)]);
    }
    out.columns.push_back(std::move(col));
  }
  for (Table& t : tables) {
    out.parts.emplace_back(out.n_rows, t.source);
    out.line.append(t.line);
    out.n_rows += t.rows();
  }
  return out;
}

}  // namespace hazard
