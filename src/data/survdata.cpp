// Building validated survival data from a Table and the user's column roles.
//
// Order of the rules for each row (docs/cli/data.md):
//   1. --where filters: a row failing any is removed (n_filtered), nothing else is checked;
//   2. every non-missing role value is validated; an invalid one is an error naming the file,
//      line, column and value (negative or non-finite time, start >= stop, event outside its
//      coding, negative or non-finite weight);
//   3. a row with a missing role value is excluded and counted once, under the first missing role
//      in the order time, start, event, group, stratum, weight, covariate, offset, cluster.
#include "hazard/survdata.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

#include "hazard/error.hpp"
#include "io/number.hpp"
#include "util/huge_pages.hpp"

namespace hazard {

namespace {

bool parse_finite(std::string_view s, double& out) { return detail::parse_number(s, out); }

/// A numeric view of a column: numeric columns as they are; for categorical columns each level is
/// converted when it is a finite number (so that an invalid value only matters in analysed rows).
struct NumericView {
  const Column* col = nullptr;
  std::vector<double> level_value;  // categorical: value of each level, NaN when not a number
  std::vector<bool> level_ok;

  explicit NumericView(const Column& c) : col(&c) {
    if (!c.is_numeric()) {
      level_value.resize(c.levels.size());
      level_ok.resize(c.levels.size());
      for (std::size_t k = 0; k < c.levels.size(); ++k) {
        double x = 0;
        level_ok[k] = parse_finite(c.levels[k], x);
        level_value[k] = x;
      }
    }
  }
  bool missing(std::size_t i) const { return col->is_missing(i); }
  /// False when the (non-missing) value is not a finite number.
  bool get(std::size_t i, double& x) const {
    if (col->is_numeric()) {
      x = col->numbers[i];
      return std::isfinite(x);
    }
    auto k = static_cast<std::size_t>(col->codes[i]);
    x = level_value[k];
    return level_ok[k];
  }
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

/// Event indicator text: 1 / 0 / true / false / T / F (any case). Returns -1 when invalid.
int indicator_from_text(std::string_view s) {
  double x;
  if (parse_finite(s, x)) return x == 1.0 ? 1 : x == 0.0 ? 0 : -1;
  if (iequals(s, "true") || iequals(s, "t")) return 1;
  if (iequals(s, "false") || iequals(s, "f")) return 0;
  return -1;
}

}  // namespace

std::size_t LevelLimit::limit(std::size_t rows) const {
  if (!half_rows) return max_levels;
  // More than 10 levels and more than half the rows: each level would hold fewer than two rows on
  // average, which is what a subject identifier looks like. A handful of levels is always allowed
  // (a two-arm trial of three patients is small, not mistaken).
  return std::min(max_levels, std::max<std::size_t>(10, rows / 2));
}

void LevelLimit::check(std::size_t levels, std::size_t rows, const std::string& source,
                       const std::string& column, const std::string& what) const {
  const std::size_t lim = limit(rows);
  if (levels <= lim) return;
  const std::string rule =
      half_rows ? fmt::format("at most {} levels, and no more than half the analysed rows when there are more "
                              "than 10",
                              max_levels)
                : fmt::format("--max-levels {}", max_levels);
  throw DataError({.file = source, .column = column},
                  fmt::format("{} has {} levels in {} analysed rows, more than the limit of {} ({}): is it a "
                              "subject identifier? Check the column, or raise the limit with --max-levels N",
                              what, levels, rows, lim, rule));
}

std::vector<std::string> Roles::columns() const {
  std::vector<std::string> out;
  auto add = [&](const std::string& c) {
    if (!c.empty() && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  };
  add(time);
  add(start);
  add(event);
  add(group);
  for (const auto& s : strata) add(s);
  add(weights);
  for (const auto& c : covariates) add(c);
  add(offset);
  add(cluster);
  for (const auto& w : where) add(w.column);
  return out;
}

Factor make_factor(const Column& column) {
  Factor f;
  if (!column.is_numeric()) {
    f.levels = column.levels;
    f.codes = column.codes;
    return f;
  }
  std::vector<double> values;
  values.reserve(column.numbers.size());
  for (double x : column.numbers)
    if (!std::isnan(x)) values.push_back(x);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  f.levels.reserve(values.size());
  for (double v : values) f.levels.push_back(fmt::format("{}", v));
  f.codes.resize(column.numbers.size());
  for (std::size_t i = 0; i < column.numbers.size(); ++i) {
    double x = column.numbers[i];
    f.codes[i] = std::isnan(x) ? -1
                               : static_cast<std::int32_t>(std::lower_bound(values.begin(), values.end(), x) -
                                                           values.begin());
  }
  return f;
}

void relevel(Factor& factor, const std::string& ref, const std::string& source,
             const std::string& column) {
  auto it = std::find(factor.levels.begin(), factor.levels.end(), ref);
  if (it == factor.levels.end()) {
    std::string list;
    for (const auto& l : factor.levels) list += (list.empty() ? "" : ", ") + l;
    throw DataError({.file = source, .column = column, .value = ref, .has_value = true},
                    fmt::format("the reference level is not a level of the column (levels: {})", list));
  }
  auto r = static_cast<std::int32_t>(it - factor.levels.begin());
  if (r == 0) return;
  std::rotate(factor.levels.begin(), factor.levels.begin() + r, factor.levels.begin() + r + 1);
  for (auto& c : factor.codes) {
    if (c < 0) continue;
    c = c == r ? 0 : c < r ? c + 1 : c;
  }
}

std::vector<char> where_mask(const Table& table, const std::vector<WhereClause>& where) {
  const std::size_t n = table.rows();
  std::vector<char> keep(n, 1);
  for (const auto& w : where) {
    const Column& c = table.at(w.column);
    if (c.is_numeric()) {
      double target;
      if (!parse_finite(w.value, target)) {
        // A text value can never equal a number: the user probably named the wrong column.
        throw UsageError(fmt::format("--where {}={}: column '{}' is numeric but '{}' is not a number",
                                     w.column, w.value, w.column, w.value));
      }
      for (std::size_t i = 0; i < n; ++i) keep[i] &= static_cast<char>(c.numbers[i] == target);
    } else {
      auto it = std::find(c.levels.begin(), c.levels.end(), w.value);
      std::int32_t code = it == c.levels.end() ? -2 : static_cast<std::int32_t>(it - c.levels.begin());
      for (std::size_t i = 0; i < n; ++i) keep[i] &= static_cast<char>(c.codes[i] == code);
    }
  }
  return keep;
}

SurvData build_surv_data(const Table& table, const Roles& roles) {
  const std::string& src = table.source;
  if (roles.time.empty()) throw UsageError("--time is required");
  if (roles.event.empty()) throw UsageError("the event is required: --event COL, --event COL=VALUE or --cnsr COL");
  const std::size_t n = table.rows();

  auto loc = [&](std::size_t i, const std::string& col, const std::string& value) {
    return Location{.file = src, .line = i < table.line.size() ? table.line[i] : 0, .column = col,
                    .value = value, .has_value = true, .unit = table.record_unit};
  };

  std::vector<char> keep = where_mask(table, roles.where);

  // A column the file declares as text (SAS character, Dataset-JSON string) is never a time,
  // start, weight or offset: the error names the first analysed row's value.
  auto numeric_role = [&](const std::string& name, const char* role) {
    if (name.empty()) return;
    const Column& c = table.at(name);
    if (!c.character) return;
    for (std::size_t i = 0; i < n; ++i)
      if (keep[i] && !c.is_missing(i))
        throw DataError(loc(i, name, c.text(i)), fmt::format("the {} column is character (text) in the file, not numeric", role));
  };
  numeric_role(roles.time, "time");
  numeric_role(roles.start, "start");
  numeric_role(roles.weights, "weight");
  numeric_role(roles.offset, "offset");

  // ---- role columns ----
  NumericView time(table.at(roles.time));
  std::optional<NumericView> start, weight, offset;
  if (!roles.start.empty()) start.emplace(table.at(roles.start));
  if (!roles.weights.empty()) weight.emplace(table.at(roles.weights));
  if (!roles.offset.empty()) offset.emplace(table.at(roles.offset));
  const Column& event = table.at(roles.event);

  // Event coding, resolved per level for categorical columns.
  double event_number = 0;
  bool event_value_numeric = false;
  if (roles.coding == EventCoding::equals) {
    event_value_numeric = parse_finite(roles.event_value, event_number);
    if (event.is_numeric() && !event_value_numeric)
      throw UsageError(fmt::format("--event {}={}: column '{}' is numeric but '{}' is not a number",
                                   roles.event, roles.event_value, roles.event, roles.event_value));
  }
  auto event_status = [&](std::size_t i) -> int {  // 1, 0, or -1 invalid
    if (event.is_numeric()) {
      double x = event.numbers[i];
      switch (roles.coding) {
        case EventCoding::indicator: return x == 1.0 ? 1 : x == 0.0 ? 0 : -1;
        case EventCoding::equals: return x == event_number ? 1 : 0;
        case EventCoding::cnsr: return x == 0.0 ? 1 : (x > 0 && x == std::floor(x)) ? 0 : -1;
      }
    }
    const std::string& s = event.levels[static_cast<std::size_t>(event.codes[i])];
    switch (roles.coding) {
      case EventCoding::indicator: return indicator_from_text(s);
      case EventCoding::equals: return s == roles.event_value ? 1 : 0;
      case EventCoding::cnsr: {
        double x;
        if (!parse_finite(s, x)) return -1;
        return x == 0.0 ? 1 : (x > 0 && x == std::floor(x)) ? 0 : -1;
      }
    }
    return -1;
  };
  const char* coding_text = roles.coding == EventCoding::indicator
                                ? "the event must be 1/0 or true/false"
                            : roles.coding == EventCoding::cnsr
                                ? "CNSR must be 0 (event) or a positive integer (censored)"
                                : "";

  SurvData out;
  out.source = src;
  out.n_read = n;
  out.time_label = table.at(roles.time).label;
  if (!roles.group.empty()) out.group_label = table.at(roles.group).label;

  std::optional<Factor> group;
  if (!roles.group.empty()) {
    group = make_factor(table.at(roles.group));
    if (!roles.ref.empty()) relevel(*group, roles.ref, src, roles.group);
    out.group_name = roles.group;
    out.group_levels = group->levels;
  }
  std::vector<Factor> strata;
  for (const auto& s : roles.strata) strata.push_back(make_factor(table.at(s)));
  // rows with a missing covariate, found column by column (sequential passes; the column's kind
  // is the same for every row, so the loop is unswitched)
  std::vector<char> missing_covariate;
  for (const auto& name : roles.covariates) {
    const Column& c = table.at(name);
    if (missing_covariate.empty()) missing_covariate.assign(n, 0);
    char* m = missing_covariate.data();
    for (std::size_t i = 0; i < n; ++i) m[i] |= static_cast<char>(c.is_missing(i));
  }
  const Column* cluster = roles.cluster.empty() ? nullptr : &table.at(roles.cluster);

  // Combined stratum key (mixed radix over the strata's codes), compressed later. The radix is
  // each column's number of levels in the file plus one: their product must fit in 64 bits.
  std::vector<std::uint64_t> strata_key;
  {
    std::uint64_t span = 1;
    for (std::size_t s = 0; s < strata.size(); ++s) {
      const std::uint64_t radix = strata[s].levels.size() + 1;
      if (span > UINT64_MAX / radix)
        throw DataError({.file = src, .column = roles.strata[s]},
                        "the strata (--strata) have too many combinations of levels to be encoded (more than 2^64)");
      span *= radix;
    }
  }
  // at most n rows are kept: reserve once (untouched capacity costs no memory)
  detail::reserve_huge(out.time, n);
  detail::reserve_huge(out.status, n);
  detail::reserve_huge(out.row, n);
  detail::reserve_huge(out.line, n);
  if (start) detail::reserve_huge(out.start, n);
  if (weight) detail::reserve_huge(out.weight, n);
  if (group) detail::reserve_huge(out.group, n);
  if (!strata.empty()) detail::reserve_huge(strata_key, n);

  for (std::size_t i = 0; i < n; ++i) {
    if (!keep[i]) {
      ++out.n_filtered;
      continue;
    }
    // 2. validate non-missing values
    double t = 0, t0 = 0, wt = 1, off = 0;
    bool has_t = !time.missing(i);
    if (has_t) {
      if (!time.get(i, t)) throw DataError(loc(i, roles.time, table.at(roles.time).text(i)), "time is not a finite number");
      if (t < 0) throw DataError(loc(i, roles.time, table.at(roles.time).text(i)), "time is negative");
    }
    bool has_t0 = start && !start->missing(i);
    if (has_t0) {
      if (!start->get(i, t0))
        throw DataError(loc(i, roles.start, table.at(roles.start).text(i)), "start time is not a finite number");
      if (has_t && !(t0 < t))
        throw DataError(loc(i, roles.start, table.at(roles.start).text(i)),
                        fmt::format("start time must be less than the stop time ({})", t));
    }
    int st = -1;
    bool has_ev = !event.is_missing(i);
    if (has_ev) {
      st = event_status(i);
      if (st < 0) throw DataError(loc(i, roles.event, event.text(i)), coding_text);
    }
    bool has_w = weight && !weight->missing(i);
    if (has_w) {
      if (!weight->get(i, wt) || wt < 0)
        throw DataError(loc(i, roles.weights, table.at(roles.weights).text(i)),
                        "a weight must be a non-negative finite number");
    }
    bool has_off = offset && !offset->missing(i);
    if (has_off && !offset->get(i, off))
      throw DataError(loc(i, roles.offset, table.at(roles.offset).text(i)), "offset is not a finite number");

    // 3. exclusions for missing values
    const char* reason = nullptr;
    if (!has_t) reason = "missing time";
    else if (start && !has_t0) reason = "missing start";
    else if (!has_ev) reason = "missing event";
    else if (group && group->codes[i] < 0) reason = "missing group";
    else if (std::any_of(strata.begin(), strata.end(), [&](const Factor& f) { return f.codes[i] < 0; }))
      reason = "missing stratum";
    else if (weight && !has_w) reason = "missing weight";
    else if (!missing_covariate.empty() && missing_covariate[i])
      reason = "missing covariate";
    else if (offset && !has_off) reason = "missing offset";
    else if (cluster && cluster->is_missing(i)) reason = "missing cluster";
    if (reason) {
      out.excluded.add(reason);
      continue;
    }

    out.time.push_back(t);
    if (start) out.start.push_back(t0);
    out.status.push_back(static_cast<std::uint8_t>(st));
    if (weight) out.weight.push_back(wt);
    if (group) out.group.push_back(group->codes[i]);
    if (!strata.empty()) {
      std::uint64_t key = 0;
      for (const auto& f : strata) key = key * (f.levels.size() + 1) + static_cast<std::uint64_t>(f.codes[i]);
      strata_key.push_back(key);
    }
    out.row.push_back(i);
    out.line.push_back(i < table.line.size() ? table.line[i] : 0);
  }

  if (out.time.empty()) {
    std::string why;
    for (const auto& [r, c] : out.excluded.reasons) why += fmt::format("{}{}: {}", why.empty() ? "" : ", ", r, c);
    throw DataError({.file = src},
                    fmt::format("no data rows left to analyse ({} read, {} removed by --where, {} excluded{}{}{})",
                                n, out.n_filtered, out.excluded.count, why.empty() ? "" : " (", why,
                                why.empty() ? "" : ")"));
  }

  // Group levels without analysed rows are dropped (keeping the order, reference first).
  if (group) {
    std::vector<std::size_t> count(out.group_levels.size(), 0);
    for (auto g : out.group) ++count[static_cast<std::size_t>(g)];
    if (count[0] == 0)
      throw DataError({.file = src, .column = roles.group, .value = out.group_levels[0], .has_value = true},
                      "the reference group has no rows to analyse");
    std::vector<std::int32_t> recode(count.size(), -1);
    std::vector<std::string> levels;
    for (std::size_t k = 0; k < count.size(); ++k) {
      if (count[k] == 0) continue;
      recode[k] = static_cast<std::int32_t>(levels.size());
      levels.push_back(out.group_levels[k]);
    }
    if (levels.size() != out.group_levels.size()) {
      for (auto& g : out.group) g = recode[static_cast<std::size_t>(g)];
      out.group_levels = std::move(levels);
    }
    roles.level_limit.check(out.group_levels.size(), out.size(), src, roles.group, "the group (--group)");
  }

  // Strata: codes in the sorted order of the present combinations, labelled as R's strata().
  if (!strata.empty()) {
    std::vector<std::uint64_t> present(strata_key);
    std::sort(present.begin(), present.end());
    present.erase(std::unique(present.begin(), present.end()), present.end());
    // each column first (the message names it), then their combinations
    for (std::size_t s = 0; s < strata.size(); ++s) {
      std::vector<char> seen(strata[s].levels.size(), 0);
      std::size_t count = 0;
      for (std::size_t r : out.row) {
        auto& v = seen[static_cast<std::size_t>(strata[s].codes[r])];
        count += v == 0 ? 1 : 0;
        v = 1;
      }
      roles.level_limit.check(count, out.size(), src, roles.strata[s], "the stratum (--strata)");
    }
    if (strata.size() > 1) {
      std::string names;
      for (const auto& c : roles.strata) names += (names.empty() ? "" : ", ") + c;
      roles.level_limit.check(present.size(), out.size(), src, names, "the combination of the strata (--strata)");
    }
    out.strata_names = roles.strata;
    for (std::uint64_t key : present) {
      std::vector<std::size_t> parts(strata.size());
      std::uint64_t k = key;
      for (std::size_t s = strata.size(); s-- > 0;) {
        std::uint64_t radix = strata[s].levels.size() + 1;
        parts[s] = static_cast<std::size_t>(k % radix);
        k /= radix;
      }
      std::string label;
      for (std::size_t s = 0; s < strata.size(); ++s)
        label += fmt::format("{}{}={}", s ? ", " : "", roles.strata[s], strata[s].levels[parts[s]]);
      out.strata_levels.push_back(std::move(label));
    }
    out.stratum.resize(strata_key.size());
    for (std::size_t i = 0; i < strata_key.size(); ++i)
      out.stratum[i] = static_cast<std::int32_t>(
          std::lower_bound(present.begin(), present.end(), strata_key[i]) - present.begin());
  }
  return out;
}

}  // namespace hazard
