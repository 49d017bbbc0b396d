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
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>

#include "hazard/error.hpp"
#include "io/number.hpp"
#include "util/huge_pages.hpp"
#include "util/location.hpp"
#include "util/two_threads.hpp"

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

namespace {

const char* op_text(WhereOp op) {
  switch (op) {
    case WhereOp::eq: return "=";
    case WhereOp::ne: return "!=";
    case WhereOp::lt: return "<";
    case WhereOp::le: return "<=";
    case WhereOp::gt: return ">";
    case WhereOp::ge: return ">=";
    case WhereOp::in: return " in ";
  }
  return "?";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// The operator starting at text[i], if any: its kind and length.
std::optional<std::pair<WhereOp, std::size_t>> op_at(std::string_view text, std::size_t i) {
  const char c = text[i];
  const char next = i + 1 < text.size() ? text[i + 1] : '\0';
  if (c == '=') return std::pair{WhereOp::eq, std::size_t{1}};
  if (c == '!' && next == '=') return std::pair{WhereOp::ne, std::size_t{2}};
  if (c == '<') return next == '=' ? std::pair{WhereOp::le, std::size_t{2}} : std::pair{WhereOp::lt, std::size_t{1}};
  if (c == '>') return next == '=' ? std::pair{WhereOp::ge, std::size_t{2}} : std::pair{WhereOp::gt, std::size_t{1}};
  if (c == ' ' && i + 3 < text.size() && (text[i + 1] == 'i' || text[i + 1] == 'I') &&
      (text[i + 2] == 'n' || text[i + 2] == 'N') && text[i + 3] == ' ')
    return std::pair{WhereOp::in, std::size_t{4}};
  return std::nullopt;
}

/// The comma-separated set of `in`: items trimmed; "..." quotes an item ("" is a quote).
std::vector<std::string> split_set(const std::string& clause, std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  for (;;) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::string item;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            item += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        item += s[i++];
      }
      if (!closed) throw UsageError(fmt::format("--where {}: unterminated quote in the set of values", clause));
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i < s.size() && s[i] != ',')
        throw UsageError(fmt::format("--where {}: after a quoted value a comma or the end must follow", clause));
    } else {
      const std::size_t e = std::min(s.find(',', i), s.size());
      item = std::string(trim(s.substr(i, e - i)));
      if (item.empty()) throw UsageError(fmt::format("--where {}: an empty value in the set of values", clause));
      i = e;
    }
    out.push_back(std::move(item));
    if (i >= s.size()) break;
    ++i;  // the comma
    if (i >= s.size()) throw UsageError(fmt::format("--where {}: an empty value in the set of values", clause));
  }
  return out;
}

bool needs_backquotes(const std::string& column) {
  for (std::size_t i = 0; i < column.size(); ++i)
    if (column[i] == '`' || op_at(column, i) || (column[i] == '!' && i + 1 == column.size())) return true;
  return column.empty() || column.front() == ' ' || column.back() == ' ';
}

}  // namespace

WhereClause parse_where(const std::string& text) {
  const std::string_view t(text);
  std::string column;
  std::size_t at = std::string_view::npos;  // where the operator starts
  if (!t.empty() && t.front() == '`') {
    const std::size_t close = t.find('`', 1);
    if (close == std::string_view::npos)
      throw UsageError(fmt::format("--where {}: unterminated backquote around the column name", text));
    column = std::string(t.substr(1, close - 1));
    at = close + 1;
    if (at < t.size() && t[at] != '=' && t[at] != '!' && t[at] != '<' && t[at] != '>' && t[at] != ' ')
      throw UsageError(fmt::format("--where {}: expected an operator (=, !=, <, <=, >, >=, in) after the column name", text));
    while (at < t.size() && t[at] == ' ' && !op_at(t, at)) ++at;  // `COL` >= 3
  } else {
    for (std::size_t i = 0; i < t.size() && at == std::string_view::npos; ++i)
      if (op_at(t, i)) at = i;
    if (at != std::string_view::npos) column = std::string(t.substr(0, at));
  }
  const auto op = at < t.size() ? op_at(t, at) : std::nullopt;
  if (!op)
    throw UsageError(fmt::format(
        "--where {}: expected COL=VALUE, COL!=VALUE, COL<VALUE, COL<=VALUE, COL>VALUE, COL>=VALUE or "
        "'COL in V1,V2'",
        text));
  WhereClause w;
  w.op = op->first;
  const std::string_view rest = t.substr(at + op->second);
  if (w.op == WhereOp::eq) {
    // exactly as before the other forms: the column up to the first '=', the value after it;
    // R's `==` is the same clause (a value that begins with '=' is written with `in`: tag in "=x")
    w.column = column;
    w.value = std::string(rest.starts_with('=') ? rest.substr(1) : rest);
  } else {
    // the new forms allow spaces around the operator: AGE >= 65
    w.column = t.front() == '`' ? column : std::string(trim(column));
    if (w.op == WhereOp::in) {
      w.values = split_set(text, rest);
    } else {
      w.value = std::string(trim(rest));
      if (w.value.empty()) throw UsageError(fmt::format("--where {}: the value is missing", text));
    }
  }
  if (w.column.empty()) throw UsageError(fmt::format("--where {}: the column name is missing", text));
  return w;
}

std::string to_string(const WhereClause& w) {
  std::string out = needs_backquotes(w.column) ? "`" + w.column + "`" : w.column;
  out += op_text(w.op);
  // a value that begins with '=' after `==` (COL=VALUE reads `==` as one '=')
  if (w.op == WhereOp::eq && w.value.starts_with('=')) out += '=';
  if (w.op != WhereOp::in) return out + w.value;
  for (std::size_t k = 0; k < w.values.size(); ++k) {
    const std::string& v = w.values[k];
    if (k) out += ',';
    if (v.find_first_of(",\"") != std::string::npos || v.empty() || trim(v).size() != v.size()) {
      out += '"';
      for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    } else {
      out += v;
    }
  }
  return out;
}

void check_group_levels(const SurvData& data, std::size_t min_levels, std::size_t max_levels,
                        const std::string& purpose) {
  const std::size_t k = data.group.empty() ? 0 : data.group_levels.size();
  if (k >= min_levels && k <= max_levels) return;
  std::string list;
  for (std::size_t i = 0; i < k && i < 10; ++i) list += (i ? ", " : "") + data.group_levels[i];
  if (k > 10) list += ", ...";
  throw DataError({.file = data.source, .column = data.group_name, .value = k == 1 ? data.group_levels[0] : "",
                   .has_value = k == 1},
                  fmt::format("--group {} has {} level{} in the analysed rows{}; {}", data.group_name, k,
                              k == 1 ? "" : "s", k ? " (" + list + ")" : "", purpose));
}

std::vector<char> where_mask(const Table& table, const std::vector<WhereClause>& where) {
  const std::size_t n = table.rows();
  std::vector<char> keep(n, 1);
  for (const auto& w : where) {
    const Column& c = table.at(w.column);
    const std::vector<std::string> single{w.value};
    const std::vector<std::string>& values = w.op == WhereOp::in ? w.values : single;
    if (c.is_numeric()) {
      std::vector<double> targets;
      for (const auto& v : values) {
        double x;
        // A text value can never equal a number: the user probably named the wrong column.
        if (!parse_finite(v, x))
          throw UsageError(fmt::format("--where {}: column '{}' is numeric but '{}' is not a number",
                                       to_string(w), w.column, v));
        targets.push_back(x);
      }
      const double t = targets[0];
      const double* x = c.numbers.data();
      // NaN (missing) compares false everywhere, except in != which tests it explicitly
      switch (w.op) {
        case WhereOp::eq: for (std::size_t i = 0; i < n; ++i) keep[i] &= static_cast<char>(x[i] == t); break;
        case WhereOp::ne: for (std::size_t i = 0; i < n; ++i) keep[i] &= static_cast<char>(x[i] == x[i] && x[i] != t); break;
        case WhereOp::lt: for (std::size_t i = 0; i < n; ++i) keep[i] &= static_cast<char>(x[i] < t); break;
        case WhereOp::le: for (std::size_t i = 0; i < n; ++i) keep[i] &= static_cast<char>(x[i] <= t); break;
        case WhereOp::gt: for (std::size_t i = 0; i < n; ++i) keep[i] &= static_cast<char>(x[i] > t); break;
        case WhereOp::ge: for (std::size_t i = 0; i < n; ++i) keep[i] &= static_cast<char>(x[i] >= t); break;
        case WhereOp::in: {
          std::sort(targets.begin(), targets.end());
          for (std::size_t i = 0; i < n; ++i)
            keep[i] &= static_cast<char>(x[i] == x[i] && std::binary_search(targets.begin(), targets.end(), x[i]));
          break;
        }
      }
    } else {
      if (w.op == WhereOp::lt || w.op == WhereOp::le || w.op == WhereOp::gt || w.op == WhereOp::ge)
        throw UsageError(fmt::format(
            "--where {}: column '{}' is categorical (text); <, <=, > and >= compare numbers (use = , != or in)",
            to_string(w), w.column));
      // per level: does it satisfy the clause? (missing, code -1, never does)
      std::vector<char> level_ok(c.levels.size(), w.op == WhereOp::ne ? 1 : 0);
      for (const auto& v : values) {
        auto it = std::find(c.levels.begin(), c.levels.end(), v);
        if (it != c.levels.end())
          level_ok[static_cast<std::size_t>(it - c.levels.begin())] = w.op == WhereOp::ne ? 0 : 1;
      }
      for (std::size_t i = 0; i < n; ++i)
        keep[i] &= static_cast<char>(c.codes[i] >= 0 && level_ok[static_cast<std::size_t>(c.codes[i])]);
    }
  }
  return keep;
}

namespace {

/// The flag as the user wrote it: "--event status=3", "--cnsr CNSR", "--event DTHFL".
std::string event_flag(const Roles& roles) {
  switch (roles.coding) {
    case EventCoding::indicator: return "--event " + roles.event;
    case EventCoding::equals: return "--event " + roles.event + "=" + roles.event_value;
    case EventCoding::cnsr: return "--cnsr " + roles.event;
  }
  return roles.event;
}

/// No analysed row is an event: a DataError naming the flag, the values the column has in the
/// analysed rows and, when one is likely, the flag that was probably meant.
[[noreturn]] void no_events(const Table& table, const Roles& roles, const SurvData& out) {
  const Column& c = table.at(roles.event);
  std::vector<std::string> values;  // distinct values in the analysed rows, sorted as the column
  std::vector<double> numbers;
  if (c.is_numeric()) {
    for (std::size_t r : out.row) numbers.push_back(c.numbers[r]);
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    for (double x : numbers) values.push_back(fmt::format("{}", x));
  } else {
    std::vector<char> seen(c.levels.size(), 0);
    for (std::size_t r : out.row) seen[static_cast<std::size_t>(c.codes[r])] = 1;
    for (std::size_t k = 0; k < seen.size(); ++k)
      if (seen[k]) values.push_back(c.levels[k]);
  }
  std::string list;
  for (std::size_t k = 0; k < values.size() && k < 10; ++k) list += (k ? ", " : "") + values[k];
  if (values.size() > 10) list += fmt::format(", ... ({} values)", values.size());
  const std::string& col = roles.event;
  std::string what;
  switch (roles.coding) {
    case EventCoding::indicator: what = fmt::format("{} is 0 (false) in every analysed row", col); break;
    case EventCoding::equals:
      what = fmt::format("no analysed row has {} = {} (its values: {})", col, roles.event_value, list);
      break;
    case EventCoding::cnsr:
      what = fmt::format("no analysed row has {} = 0, CNSR's code for an event (its values: {})", col, list);
      break;
  }
  // the likely intent: 0/1 is an indicator; two other numbers are censored/event (lung's 1/2,
  // the larger the event); a text value differing only in case from the one given
  std::string hint;
  auto only = [&](std::initializer_list<double> allowed) {
    return !numbers.empty() && std::all_of(numbers.begin(), numbers.end(), [&](double x) {
      return std::find(allowed.begin(), allowed.end(), x) != allowed.end();
    });
  };
  if (c.is_numeric()) {
    if (roles.coding != EventCoding::indicator && numbers.size() == 2 && only({0, 1}))
      hint = "--event " + col;
    else if (roles.coding == EventCoding::indicator && only({0}))
      hint = "--cnsr " + col + " (0 = event in ADaM's CNSR)";
    else if (numbers.size() == 2)
      hint = fmt::format("--event {}={}", col, values[1]);
  } else if (roles.coding == EventCoding::equals) {
    for (const auto& v : values)
      if (iequals(v, roles.event_value)) hint = fmt::format("--event {}={}", col, v);
  }
  std::string message = fmt::format("{}: no events: {}", event_flag(roles), what);
  if (!hint.empty()) message += fmt::format("; did you mean {}?", hint);
  else if (roles.coding != EventCoding::equals && !numbers.empty())
    message += fmt::format("; give the event's value with --event {}=VALUE", col);
  throw DataError({.file = table.source, .column = col}, message);
}

}  // namespace

std::vector<std::string> group_event_warnings(const std::vector<std::string>& levels,
                                              const std::vector<double>& rows, const std::vector<double>& events,
                                              const std::string& group_column) {
  std::vector<std::string> out;
  // one warning per level, up to ten; beyond, one line counting them (a --group with thousands
  // of levels raised by --max-levels must not print thousands of lines)
  constexpr std::size_t max_listed = 10;
  std::size_t without = 0;
  for (std::size_t k = 0; k < events.size(); ++k) {
    if (events[k] != 0 || events.size() < 2) continue;
    if (++without <= max_listed)
      out.push_back(fmt::format("--group {}: level '{}' has no events in the analysed rows ({} rows)", group_column,
                                levels[k], rows[k]));
  }
  if (without > max_listed)
    out.push_back(fmt::format("--group {}: {} more levels have no events in the analysed rows ({} in all)",
                              group_column, without - max_listed, without));
  return out;
}

std::size_t SurvData::rows() const {
  if (!frequency) return size();
  double n = 0;
  for (double f : weight) n += f;
  return static_cast<std::size_t>(n);
}

namespace {

// ---- build_surv_data, step by step (the order of the rules: the file comment) ----

// The reasons a row is excluded, in the order they are tested; a row is counted under the first.
constexpr std::array<const char*, 9> kReasons = {"missing time",   "missing start",    "missing event",
                                                 "missing group",  "missing stratum",  "missing weight",
                                                 "missing covariate", "missing offset", "missing cluster"};
// A row's verdict: kept, removed by --where, or excluded for kReasons[v - kFirstReason].
// One per row, each written by check_rows (no zero fill first: the two halves of the numeric path
// make the first touch of the block's pages).
using Verdicts = detail::HugeScratch<std::uint8_t>;
constexpr std::uint8_t kKept = 0, kFiltered = 1, kFirstReason = 2;

void require_time_and_event(const Roles& roles) {
  if (roles.time.empty()) throw UsageError("--time is required");
  if (roles.event.empty()) throw UsageError("the event is required: --event COL, --event COL=VALUE or --cnsr COL");
}

// Whether row i passes the --where filters (`keep` empty: there are none, every row does).
bool passes(const std::vector<char>& keep, std::size_t i) { return keep.empty() || keep[i]; }

// A column the file declares as text (SAS character, Dataset-JSON string) is never a time, start,
// weight or offset: the error names the first analysed row's value.
void reject_text_roles(const Table& table, const Roles& roles, const std::vector<char>& keep) {
  auto numeric_role = [&](const std::string& name, const char* role) {
    if (name.empty()) return;
    const Column& c = table.at(name);
    if (!c.character) return;
    for (std::size_t i = 0; i < table.rows(); ++i)
      if (passes(keep, i) && !c.is_missing(i))
        throw DataError(location_at(table, i, name, c.text(i)),
                        fmt::format("the {} column is character (text) in the file, not numeric", role));
  };
  numeric_role(roles.time, "time");
  numeric_role(roles.start, "start");
  numeric_role(roles.weights, "weight");
  numeric_role(roles.offset, "offset");
}

// The status of a numeric event value under coding C (1 event, 0 censored, -1 not a value of the coding).
template <EventCoding C>
int numeric_status(double x, double number) {
  if constexpr (C == EventCoding::indicator) return x == 1.0 ? 1 : x == 0.0 ? 0 : -1;
  if constexpr (C == EventCoding::equals) return x == number ? 1 : 0;
  if constexpr (C == EventCoding::cnsr) return x == 0.0 ? 1 : (x > 0 && x == std::floor(x)) ? 0 : -1;
  return -1;
}

// The event column read through the coding (--event COL, --event COL=VALUE, --cnsr COL): 1 event,
// 0 censored, -1 not a value of the coding. Categorical columns are resolved once per level.
class EventCoder {
 public:
  EventCoder(const Column& event, const Roles& roles) : event_(event), coding_(roles.coding) {
    if (coding_ == EventCoding::equals) {
      const bool value_numeric = parse_finite(roles.event_value, number_);
      if (event.is_numeric() && !value_numeric)
        throw UsageError(fmt::format("--event {}={}: column '{}' is numeric but '{}' is not a number", roles.event,
                                     roles.event_value, roles.event, roles.event_value));
    }
    if (!event.is_numeric()) {
      level_status_.reserve(event.levels.size());
      for (const auto& s : event.levels) level_status_.push_back(from_text(s, roles));
    }
  }
  int status(std::size_t i) const {
    if (!event_.is_numeric()) return level_status_[static_cast<std::size_t>(event_.codes[i])];
    const double x = event_.numbers[i];
    switch (coding_) {
      case EventCoding::indicator: return numeric_status<EventCoding::indicator>(x, number_);
      case EventCoding::equals: return numeric_status<EventCoding::equals>(x, number_);
      case EventCoding::cnsr: return numeric_status<EventCoding::cnsr>(x, number_);
    }
    return -1;
  }
  /// Whether the column is numeric (numeric_status applies).
  bool numeric() const { return event_.is_numeric(); }
  EventCoding coding() const { return coding_; }
  double number() const { return number_; }
  /// What the coding accepts, for the error of row i of `column`; with --event COL, how to count
  /// the row's value as the event instead (e.g. R's 1/2 coding of survival's lung: --event
  /// status=2).
  std::string rule(std::size_t i, const std::string& column) const {
    if (coding_ == EventCoding::cnsr)
      return "CNSR must be 0 (event) or a positive integer (censored)";
    if (coding_ != EventCoding::indicator) return "";
    const std::string value =
        event_.is_numeric() ? fmt::format("{}", event_.numbers[i]) : event_.text(i);
    return fmt::format(
        "the event must be 1/0 or true/false (to count '{}' as the event, give --event {}={})",
        value, column, value);
  }

 private:
  static int from_text(const std::string& s, const Roles& roles) {
    switch (roles.coding) {
      case EventCoding::indicator: return indicator_from_text(s);
      case EventCoding::equals: return s == roles.event_value ? 1 : 0;
      case EventCoding::cnsr: {
        double x;
        if (!parse_finite(s, x)) return -1;
        return numeric_status<EventCoding::cnsr>(x, 0.0);
      }
    }
    return -1;
  }
  const Column& event_;
  EventCoding coding_;
  double number_ = 0;
  std::vector<int> level_status_;
};

// The number of roles `name` plays (a column read by two roles is never given up by the first).
std::size_t roles_of(const Roles& roles, const std::string& name) {
  std::size_t k = 0;
  for (const auto* r : {&roles.time, &roles.start, &roles.event, &roles.group, &roles.weights, &roles.offset,
                        &roles.cluster})
    k += *r == name;
  for (const auto& s : roles.strata) k += s == name;
  for (const auto& s : roles.covariates) k += s == name;
  for (const auto& w : roles.where) k += w.column == name;
  return k;
}

// The role columns of one build, read through their views.
struct RoleColumns {
  NumericView time;
  std::optional<NumericView> start, weight, offset;
  const Column& event;
  EventCoder coder;
  std::optional<Factor> group;
  std::vector<Factor> strata;
  std::vector<char> missing_covariate;  // empty when there are no covariates
  const Column* cluster = nullptr;

  // `owned`: the table when the caller gave it up: a text group column read by no other role
  // gives its levels and codes to the factor instead of a copy.
  RoleColumns(const Table& table, const Roles& roles, Table* owned)
      : time(table.at(roles.time)), event(table.at(roles.event)), coder(event, roles) {
    if (!roles.start.empty()) start.emplace(table.at(roles.start));
    if (!roles.weights.empty()) weight.emplace(table.at(roles.weights));
    if (!roles.offset.empty()) offset.emplace(table.at(roles.offset));
    if (!roles.group.empty()) {
      if (owned && !table.at(roles.group).is_numeric() && roles_of(roles, roles.group) == 1) {
        Column& g = owned->at(roles.group);
        group = Factor{std::move(g.levels), std::move(g.codes)};
      } else {
        group = make_factor(table.at(roles.group));
      }
      if (!roles.ref.empty()) relevel(*group, roles.ref, table.source, roles.group);
    }
    for (const auto& s : roles.strata) strata.push_back(make_factor(table.at(s)));
    // rows with a missing covariate, found column by column (the column's kind is the same for
    // every row, so the loop is unswitched)
    for (const auto& name : roles.covariates) {
      const Column& c = table.at(name);
      if (missing_covariate.empty()) missing_covariate.assign(table.rows(), 0);
      char* m = missing_covariate.data();
      for (std::size_t i = 0; i < table.rows(); ++i) m[i] |= static_cast<char>(c.is_missing(i));
    }
    if (!roles.cluster.empty()) cluster = &table.at(roles.cluster);
  }
};


// What check_rows counts while it decides the rows, so that build need not pass over them again.
struct RowCounts {
  std::array<std::size_t, kFirstReason + kReasons.size()> verdicts{};  // rows per verdict value
  bool by_group = false;  // group_rows and group_events were counted (the fast check with a group)
  std::vector<std::size_t> group_rows, group_events;  // kept rows and their events per group code
  std::size_t events = 0;                             // events in the kept rows
};

// check_rows for the usual case, a numeric time and event and no start, weight, offset or
// cluster: one tight pass, split in two halves of the rows on two threads, that
// gives the same verdicts and status and counts them. Returns false, having decided nothing,
// when some value is invalid (check_rows then finds and throws it). Each row's status is written
// at its own index first and the kept rows' are moved together afterwards when some row is not
// kept, so the halves need not know each other's counts.
template <EventCoding C>
bool check_rows_numeric(const RoleColumns& c, const std::vector<char>& keep, Verdicts& verdict,
                        std::vector<std::uint8_t>& status, RowCounts& counts) {
  const std::size_t n = verdict.size();
  const double* t = c.time.col->numbers.data();
  const double* e = c.event.numbers.data();
  const std::int32_t* g = c.group ? c.group->codes.data() : nullptr;
  const char* k = keep.empty() ? nullptr : keep.data();
  const char* mc = c.missing_covariate.empty() ? nullptr : c.missing_covariate.data();
  const double number = c.coder.number();
  const std::size_t n_groups = c.group ? c.group->levels.size() : 0;
  detail::resize_huge(status, n);
  std::uint8_t* st = status.data();
  std::uint8_t* vd = verdict.data();
  std::array<RowCounts, 2> half_counts;
  std::array<bool, 2> invalid{false, false};
  // the strata's codes, read per row only when there are strata
  std::vector<const std::int32_t*> strata_codes;
  for (const Factor& f : c.strata) strata_codes.push_back(f.codes.data());
  detail::two_halves(n, [&](int half) {
    const auto [lo, hi] = detail::half_range(n, half);
    RowCounts& hc = half_counts[static_cast<std::size_t>(half)];
    hc.group_rows.assign(n_groups, 0);
    hc.group_events.assign(n_groups, 0);
    // Everything the loop reads or counts is a local: the stores of bytes (vd, st) may alias any
    // memory, so a pointer or count read through the closure or `hc` would be read again, and a
    // count kept there updated in memory, at every row.
    std::size_t* const grows = hc.group_rows.data();
    std::size_t* const gevents = hc.group_events.data();
    const double* const tl = t;
    const double* const el = e;
    const std::int32_t* const gl = g;
    const char* const kl = k;
    const char* const mcl = mc;
    const std::int32_t* const* const sl = strata_codes.data();
    const std::size_t n_strata = strata_codes.size();
    std::uint8_t* const vdl = vd;
    std::uint8_t* const stl = st;
    const double num = number;
    std::size_t kept = 0, events = 0;
    std::array<std::size_t, kFirstReason + kReasons.size()> other{};  // rows per verdict but kKept
    bool bad = false;
    for (std::size_t i = lo; i < hi; ++i) {
      const bool in = !kl || kl[i];
      const double x = tl[i], ev = el[i];
      const bool miss_t = x != x, miss_e = ev != ev;
      const int code = miss_e ? 0 : numeric_status<C>(ev, num);
      // a non-missing time must be finite and >= 0, a non-missing event a value of the coding
      bad |= in && ((!miss_t && !(x >= 0.0 && x <= std::numeric_limits<double>::max())) || code < 0);
      std::uint8_t v = kKept;
      if (!in) v = kFiltered;
      else if (miss_t) v = kFirstReason + 0;
      else if (miss_e) v = kFirstReason + 2;
      else if (gl && gl[i] < 0)
        v = kFirstReason + 3;
      else if (n_strata &&
               std::any_of(sl, sl + n_strata, [&](const std::int32_t* s) { return s[i] < 0; }))
        v = kFirstReason + 4;
      else if (mcl && mcl[i])
        v = kFirstReason + 6;
      vdl[i] = v;
      stl[i] = static_cast<std::uint8_t>(code);
      if (v == kKept) {
        ++kept;
        events += static_cast<std::size_t>(code);
        if (gl) {
          ++grows[gl[i]];
          gevents[gl[i]] += static_cast<std::size_t>(code);
        }
      } else {
        ++other[v];
      }
    }
    hc.verdicts = other;
    hc.verdicts[kKept] = kept;
    hc.events = events;
    invalid[static_cast<std::size_t>(half)] = bad;
  });
  if (invalid[0] || invalid[1]) {
    status.clear();
    return false;
  }
  counts = std::move(half_counts[0]);
  const RowCounts& other = half_counts[1];
  for (std::size_t v = 0; v < counts.verdicts.size(); ++v) counts.verdicts[v] += other.verdicts[v];
  for (std::size_t l = 0; l < n_groups; ++l) {
    counts.group_rows[l] += other.group_rows[l];
    counts.group_events[l] += other.group_events[l];
  }
  counts.events += other.events;
  counts.by_group = g != nullptr;
  const std::size_t kept = counts.verdicts[kKept];
  if (kept < n) {
    std::size_t to = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (vd[i] == kKept) st[to++] = st[i];
  }
  status.resize(kept);
  return true;
}

// Rule 2 and 3 for every row: throws the first invalid value (in row order, within a row in the
// order time, start, event, weight, offset) and returns each row's verdict, counted in `counts`;
// the kept rows' event status is appended to `status`.
Verdicts check_rows(const Table& table, const Roles& roles, const RoleColumns& c,
                    const std::vector<char>& keep, std::vector<std::uint8_t>& status,
                    RowCounts& counts) {
  const std::size_t n = table.rows();
  Verdicts verdict;  // every row written below (no clearing)
  detail::resize_huge(verdict, n);
  if (c.time.col->is_numeric() && c.coder.numeric() && !c.start && !c.weight && !c.offset && !c.cluster) {
    const bool done =
        c.coder.coding() == EventCoding::indicator ? check_rows_numeric<EventCoding::indicator>(c, keep, verdict, status, counts)
        : c.coder.coding() == EventCoding::equals  ? check_rows_numeric<EventCoding::equals>(c, keep, verdict, status, counts)
                                                   : check_rows_numeric<EventCoding::cnsr>(c, keep, verdict, status, counts);
    if (done) return verdict;
  }
  detail::reserve_huge(status, n);
  auto fail = [&](std::size_t i, const std::string& column, const std::string& why) {
    throw DataError(location_at(table, i, column, table.at(column).text(i)), why);
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (!passes(keep, i)) {
      verdict[i] = kFiltered;
      continue;
    }
    double t = 0, t0 = 0, wt = 1, off = 0;
    const bool has_t = !c.time.missing(i);
    if (has_t) {
      if (!c.time.get(i, t)) fail(i, roles.time, "time is not a finite number");
      if (t < 0) fail(i, roles.time, "time is negative");
    }
    const bool has_t0 = c.start && !c.start->missing(i);
    if (has_t0) {
      if (!c.start->get(i, t0)) fail(i, roles.start, "start time is not a finite number");
      if (has_t && !(t0 < t)) fail(i, roles.start, fmt::format("start time must be less than the stop time ({})", t));
    }
    int st = -1;
    const bool has_ev = !c.event.is_missing(i);
    if (has_ev) {
      st = c.coder.status(i);
      if (st < 0) fail(i, roles.event, c.coder.rule(i, roles.event));
    }
    const bool has_w = c.weight && !c.weight->missing(i);
    if (has_w && (!c.weight->get(i, wt) || wt < 0)) fail(i, roles.weights, "a weight must be a non-negative finite number");
    const bool has_off = c.offset && !c.offset->missing(i);
    if (has_off && !c.offset->get(i, off)) fail(i, roles.offset, "offset is not a finite number");

    std::size_t reason = kReasons.size();  // none
    if (!has_t) reason = 0;
    else if (c.start && !has_t0) reason = 1;
    else if (!has_ev) reason = 2;
    else if (c.group && c.group->codes[i] < 0) reason = 3;
    else if (std::any_of(c.strata.begin(), c.strata.end(), [&](const Factor& f) { return f.codes[i] < 0; }))
      reason = 4;
    else if (c.weight && !has_w) reason = 5;
    else if (!c.missing_covariate.empty() && c.missing_covariate[i]) reason = 6;
    else if (c.offset && !has_off) reason = 7;
    else if (c.cluster && c.cluster->is_missing(i)) reason = 8;
    if (reason < kReasons.size()) {
      verdict[i] = static_cast<std::uint8_t>(kFirstReason + reason);
      continue;
    }
    verdict[i] = kKept;
    status.push_back(static_cast<std::uint8_t>(st));
  }
  for (std::uint8_t v : verdict) ++counts.verdicts[v];
  for (std::uint8_t x : status) counts.events += x;
  return verdict;
}

// out[k] = value(i) for the k-th kept row i (all rows when every row is kept).
template <class T, class Value>
void gather(std::vector<T>& out, const Verdicts& verdict, std::size_t kept, Value value) {
  detail::resize_huge(out, kept);
  T* o = out.data();
  if (kept == verdict.size()) {
    for (std::size_t i = 0; i < kept; ++i) o[i] = value(i);
    return;
  }
  for (std::size_t i = 0; i < verdict.size(); ++i)
    if (verdict[i] == kKept) *o++ = value(i);
}

// A numeric role's values in the kept rows: taken from the table when the caller gave it up and
// every row is kept, otherwise copied (or converted from text through the view).
void gather_numbers(std::vector<double>& out, const NumericView& view, Table* owned,
                    const std::string& name, bool sole_reader, const Verdicts& verdict,
                    std::size_t kept) {
  if (view.col->is_numeric() && owned && sole_reader && kept == verdict.size()) {
    out = std::move(owned->at(name).numbers);  // every value was checked finite
    return;
  }
  gather(out, verdict, kept, [&](std::size_t i) {
    double x = 0;
    view.get(i, x);
    return x;
  });
}

// Group levels without analysed rows are dropped (keeping the order, reference first); the level
// limit; warnings for levels without events. The rows and events per level come from `counts`
// when check_rows counted them, else from a pass over the rows.
void drop_empty_group_levels(SurvData& out, const Roles& roles, RowCounts& counts) {
  const std::string& src = out.source;
  if (!counts.by_group) {
    counts.group_rows.assign(out.group_levels.size(), 0);
    counts.group_events.assign(out.group_levels.size(), 0);
    for (std::size_t i = 0; i < out.size(); ++i) {
      ++counts.group_rows[static_cast<std::size_t>(out.group[i])];
      counts.group_events[static_cast<std::size_t>(out.group[i])] += out.status[i];
    }
  }
  const std::vector<std::size_t>& count = counts.group_rows;
  // A reference named with --ref must be present; the default one (the first level) is the first
  // level present in the analysed rows, as R's factor() on the subset.
  if (count[0] == 0 && !roles.ref.empty())
    throw DataError({.file = src, .column = roles.group, .value = out.group_levels[0], .has_value = true},
                    "the reference group has no rows to analyse");
  std::vector<std::int32_t> recode(count.size(), -1);
  std::vector<std::string> levels;
  // A group without events: its curve stays at 1 and its hazard ratio is not estimable.
  std::vector<double> group_events, group_rows;
  for (std::size_t k = 0; k < count.size(); ++k) {
    if (count[k] == 0) continue;
    recode[k] = static_cast<std::int32_t>(levels.size());
    levels.push_back(out.group_levels[k]);
    group_rows.push_back(static_cast<double>(count[k]));
    group_events.push_back(static_cast<double>(counts.group_events[k]));
  }
  if (levels.size() != out.group_levels.size()) {
    for (auto& g : out.group) g = recode[static_cast<std::size_t>(g)];
    out.group_levels = std::move(levels);
  }
  roles.level_limit.check(out.group_levels.size(), out.size(), src, roles.group, "the group (--group)");
  for (auto& w : group_event_warnings(out.group_levels, group_rows, group_events, roles.group))
    out.warnings.push_back(std::move(w));
}

// The strata's radix: each column's number of levels in the file plus one (a combined key is a
// mixed-radix number over the codes); their product must fit in 64 bits.
void check_strata_span(const std::vector<Factor>& strata, const Roles& roles, const std::string& src) {
  std::uint64_t span = 1;
  for (std::size_t s = 0; s < strata.size(); ++s) {
    const std::uint64_t radix = strata[s].levels.size() + 1;
    if (span > UINT64_MAX / radix)
      throw DataError({.file = src, .column = roles.strata[s]},
                      "the strata (--strata) have too many combinations of levels to be encoded (more than 2^64)");
    span *= radix;
  }
}

// Strata: codes in the sorted order of the present combinations, labelled as R's strata().
void code_strata(SurvData& out, const std::vector<Factor>& strata, const Roles& roles,
                 const Verdicts& verdict, std::size_t kept) {
  const std::string& src = out.source;
  std::vector<std::uint64_t> strata_key;
  gather(strata_key, verdict, kept, [&](std::size_t i) {
    std::uint64_t key = 0;
    for (const auto& f : strata) key = key * (f.levels.size() + 1) + static_cast<std::uint64_t>(f.codes[i]);
    return key;
  });
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
    std::vector<std::string> names;
    for (std::size_t s = 0; s < strata.size(); ++s) {
      label += fmt::format("{}{}={}", s ? ", " : "", roles.strata[s], strata[s].levels[parts[s]]);
      names.push_back(strata[s].levels[parts[s]]);
    }
    out.strata_levels.push_back(std::move(label));
    out.strata_parts.push_back(std::move(names));
  }
  out.stratum.resize(strata_key.size());
  for (std::size_t i = 0; i < strata_key.size(); ++i)
    out.stratum[i] = static_cast<std::int32_t>(std::lower_bound(present.begin(), present.end(), strata_key[i]) -
                                               present.begin());
}

// `owned`: the table itself when the caller gives it up (its role columns may then be moved into
// the result instead of copied).
SurvData build(const Table& table, const Roles& roles, Table* owned) {
  require_time_and_event(roles);
  const std::string& src = table.source;
  const std::size_t n = table.rows();
  // no --where: no mask (every row passes)
  const std::vector<char> keep = roles.where.empty() ? std::vector<char>{} : where_mask(table, roles.where);
  reject_text_roles(table, roles, keep);

  SurvData out;
  out.source = src;
  out.n_read = n;
  out.time_label = table.at(roles.time).label;
  if (!roles.group.empty()) out.group_label = table.at(roles.group).label;

  RoleColumns c(table, roles, owned);
  if (c.group) {
    out.group_name = roles.group;
    out.group_levels = c.group->levels;
  }
  check_strata_span(c.strata, roles, src);

  RowCounts counts;
  const Verdicts verdict = check_rows(table, roles, c, keep, out.status, counts);
  out.n_filtered = counts.verdicts[kFiltered];
  for (std::size_t r = 0; r < kReasons.size(); ++r) {
    const std::size_t excluded = counts.verdicts[kFirstReason + r];
    if (excluded == 0) continue;
    out.excluded.count += excluded;
    out.excluded.reasons[kReasons[r]] += excluded;
  }
  const std::size_t kept = out.status.size();

  // the kept rows' values, their rows in the table and their lines
  if (c.start) gather_numbers(out.start, *c.start, nullptr, roles.start, false, verdict, kept);
  if (c.weight) gather_numbers(out.weight, *c.weight, nullptr, roles.weights, false, verdict, kept);
  if (c.group) {
    if (kept == n) {
      out.group = std::move(c.group->codes);
    } else {
      gather(out.group, verdict, kept, [&](std::size_t i) { return c.group->codes[i]; });
    }
  }
  if (kept == n) {
    out.row = IndexSequence::iota(0, n);
    out.line = table.line;
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      if (verdict[i] != kKept) continue;
      out.row.push_back(i);
      out.line.push_back(i < table.line.size() ? table.line[i] : 0);
    }
  }
  gather_numbers(out.time, c.time, owned, roles.time, roles_of(roles, roles.time) == 1, verdict, kept);

  if (out.time.empty() && roles.require_rows) {
    std::string why;
    for (const auto& [r, k] : out.excluded.reasons) why += fmt::format("{}{}: {}", why.empty() ? "" : ", ", r, k);
    throw DataError({.file = src},
                    fmt::format("no data rows left to analyse ({} read, {} removed by --where, {} excluded{}{}{})", n,
                                out.n_filtered, out.excluded.count, why.empty() ? "" : " (", why, why.empty() ? "" : ")"));
  }

  // An event coding that gives no event at all is a mistake (lung's 1/2 status read with --cnsr,
  // a value that never occurs): nothing can be estimated, so it is an error with a hint.
  if (counts.events == 0 && roles.require_events) no_events(table, roles, out);

  if (c.group) drop_empty_group_levels(out, roles, counts);
  if (!c.strata.empty()) code_strata(out, c.strata, roles, verdict, kept);
  return out;
}

}  // namespace

SurvData build_surv_data(const Table& table, const Roles& roles) { return build(table, roles, nullptr); }

SurvData build_surv_data(Table&& table, const Roles& roles) { return build(table, roles, &table); }

}  // namespace hazard
