// Tables built in memory (include/hazard/columns.hpp): the R and Python packages' data frames as
// the Table every reader produces, with "row N" locations.
#include "hazard/columns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "hazard/error.hpp"
#include "io/text.hpp"

namespace hazard {

Column numeric_column(std::string name, std::vector<double> values) {
  Column c;
  c.name = std::move(name);
  c.kind = ColumnKind::numeric;
  c.numbers = std::move(values);
  return c;
}

Column categorical_column(std::string name, std::vector<std::string> levels,
                          std::vector<std::int32_t> codes) {
  const auto n_levels = static_cast<std::int64_t>(levels.size());
  for (std::size_t i = 0; i < codes.size(); ++i)
    if (codes[i] < -1 || codes[i] >= n_levels)
      throw UsageError(fmt::format("column '{}': row {}: level code {} is not one of the {} levels",
                                   name, i + 1, codes[i], levels.size()));
  std::unordered_set<std::string_view> seen;
  for (const auto& l : levels)
    if (!seen.insert(l).second)
      throw UsageError(fmt::format("column '{}': level '{}' is repeated", name, l));
  // an empty level is a missing value: drop it and recode its rows to -1
  const auto empty = std::find(levels.begin(), levels.end(), std::string());
  if (empty != levels.end()) {
    const auto e = static_cast<std::int32_t>(empty - levels.begin());
    levels.erase(empty);
    for (auto& c : codes) c = c == e ? -1 : c > e ? c - 1 : c;
  }
  Column c;
  c.name = std::move(name);
  c.kind = ColumnKind::categorical;
  c.character = true;
  c.levels = std::move(levels);
  c.codes = std::move(codes);
  return c;
}

Column text_column(std::string name, std::span<const std::string_view> values,
                   std::span<const std::uint8_t> missing) {
  if (!missing.empty() && missing.size() != values.size())
    throw UsageError(fmt::format("column '{}': {} values but {} missing-value flags", name, values.size(),
                                 missing.size()));
  detail::CategoricalBuilder b;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if ((!missing.empty() && missing[i]) || values[i].empty()) b.add_missing();
    else b.add(values[i]);
  }
  Column c = b.finish(std::move(name));
  c.character = true;
  return c;
}

Table make_table(std::string source, std::vector<Column> columns) {
  Table t;
  t.source = std::move(source);
  t.record_unit = "row";
  std::unordered_set<std::string> names;
  for (const Column& c : columns) {
    if (c.name.empty()) throw UsageError(fmt::format("{}: a column has no name", t.source));
    if (!names.insert(c.name).second)
      throw UsageError(fmt::format("{}: column '{}' is given twice", t.source, c.name));
    if (c.size() != columns.front().size())
      throw UsageError(fmt::format("{}: column '{}' has {} rows, column '{}' {}", t.source, c.name,
                                   c.size(), columns.front().name, columns.front().size()));
  }
  t.n_rows = columns.empty() ? 0 : columns.front().size();
  t.line = IndexSequence::iota(1, t.n_rows);
  t.columns = std::move(columns);
  return t;
}

}  // namespace hazard
