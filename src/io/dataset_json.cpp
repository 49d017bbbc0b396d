// CDISC Dataset-JSON v1.1 (and its NDJSON form), the format the FDA pilots as XPORT's successor.
//
// Dataset-JSON v1.1 (CDISC, 2024): one JSON object with the data set's metadata, among it
//   "columns": [{"itemOID", "name", "label", "dataType", "targetDataType", "length", ...}, ...]
//   "rows":    [[value, value, ...], ...]          (one array per record, in column order)
//   "records": the number of rows.
// Dataset-NDJSON: the same metadata object (without "rows") on the first line, then one JSON array
// per line. Version 1.0 files (clinicalData/referenceData -> itemGroupData -> items/itemData) are
// read too.
//
// Values by dataType (docs/cli/data.md):
//   string, URI              -> categorical (null, "" or blanks = missing)
//   integer, float, double   -> numeric (JSON numbers; null = missing)
//   decimal                  -> numeric (a JSON string holding a number, as v1.1 writes it, or a number)
//   boolean                  -> numeric 1/0
//   date                     -> numeric SAS date: days since 1960-01-01 (ISO 8601 "YYYY-MM-DD";
//                               a number is taken as a SAS date already)
//   datetime                 -> numeric SAS datetime: seconds since 1960-01-01T00:00:00
//   time                     -> numeric seconds since midnight
// Errors name the file, the record (row number; the line for NDJSON), the column and the value.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hazard/error.hpp"
#include "hazard/read.hpp"
#include "io/text.hpp"

namespace hazard {
namespace {

using json = nlohmann::json;

enum class Kind { text, number, decimal, boolean, date, datetime, time };

struct ColumnMeta {
  std::string name, label, data_type;
  Kind kind = Kind::text;
};

/// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

constexpr long long sas_epoch_from_unix = -3653;  // 1960-01-01 is 3653 days before 1970-01-01

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

/// "YYYY-MM-DD" -> SAS date; nullopt when not a valid calendar date.
std::optional<double> parse_date(std::string_view s) {
  int y, m, d;
  if (s.size() < 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, m) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  static constexpr int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return std::nullopt;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return std::nullopt;
  return static_cast<double>(days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) -
                             sas_epoch_from_unix);
}

/// "hh:mm:ss[.fff]" -> seconds; nullopt when invalid.
std::optional<double> parse_time(std::string_view s) {
  int h, mi, se;
  if (s.size() < 8 || !digits(s, 0, 2, h) || s[2] != ':' || !digits(s, 3, 2, mi) || s[5] != ':' ||
      !digits(s, 6, 2, se) || h > 24 || mi > 59 || se > 60)
    return std::nullopt;
  double frac = 0;
  std::string_view rest = s.substr(8);
  if (!rest.empty() && rest.front() == '.') {
    double scale = 0.1;
    rest.remove_prefix(1);
    if (rest.empty()) return std::nullopt;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      frac += scale * (rest.front() - '0');
      scale /= 10;
      rest.remove_prefix(1);
    }
  }
  // A time zone designator (Z or +hh:mm) is accepted and ignored: ADaM datetimes are local.
  if (!rest.empty() && rest != "Z" && !(rest.size() == 6 && (rest[0] == '+' || rest[0] == '-')))
    return std::nullopt;
  return h * 3600.0 + mi * 60.0 + se + frac;
}

std::optional<double> parse_datetime(std::string_view s) {
  if (s.size() < 19 || s[10] != 'T') return std::nullopt;
  auto d = parse_date(s.substr(0, 10));
  auto t = parse_time(s.substr(11));
  if (!d || !t) return std::nullopt;
  return *d * 86400.0 + *t;
}

bool parse_number_text(std::string_view s, double& out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out);
}

/// Deepest nesting of arrays/objects (outside strings). Bounded depth keeps memory and stack small.
std::size_t nesting_depth(std::string_view s, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return deepest;
}

std::string short_dump(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

class Reader {
 public:
  Reader(const std::string& source, DataFormat format, const ReadOptions& options)
      : source_(source), format_(format), options_(options) {}

  /// The names of all columns of the metadata, in file order.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& m : meta_) out.push_back(m.name);
    return out;
  }

  /// Reads the column metadata from the (v1.1 or v1.0) metadata object.
  void metadata(const json& meta, std::uint64_t line) {
    meta_line_ = line;
    if (!meta.is_object()) fail_meta("the file is not a Dataset-JSON object");
    const json* cols = nullptr;
    if (auto it = meta.find("columns"); it != meta.end()) {
      cols = &*it;
      if (auto r = meta.find("records"); r != meta.end() && r->is_number_unsigned())
        declared_records_ = r->get<std::uint64_t>();
    } else {
      // Dataset-JSON 1.0: clinicalData or referenceData -> itemGroupData -> {OID: {items, itemData}}.
      const json* data = nullptr;
      for (const char* key : {"clinicalData", "referenceData"})
        if (auto it2 = meta.find(key); it2 != meta.end() && it2->is_object()) data = &*it2;
      if (data) {
        auto ig = data->find("itemGroupData");
        if (ig != data->end() && ig->is_object() && !ig->empty() && ig->begin()->is_object()) {
          const json& group = *ig->begin();
          if (auto it3 = group.find("items"); it3 != group.end()) cols = &*it3;
          if (auto it3 = group.find("itemData"); it3 != group.end()) v10_rows_ = &*it3;
          if (auto r = group.find("records"); r != group.end() && r->is_number_unsigned())
            declared_records_ = r->get<std::uint64_t>();
          v10_ = true;
        }
      }
    }
    if (!cols) fail_meta("no \"columns\" array: not a Dataset-JSON file");
    if (!cols->is_array()) fail_meta("\"columns\" is not an array");
    for (const auto& c : *cols) {
      if (!c.is_object()) fail_meta("an entry of \"columns\" is not an object");
      ColumnMeta m;
      auto name = c.find("name");
      if (name == c.end() || !name->is_string() || name->get_ref<const std::string&>().empty())
        fail_meta(fmt::format("column {} has no \"name\"", meta_.size() + 1));
      m.name = name->get<std::string>();
      if (auto l = c.find("label"); l != c.end() && l->is_string()) m.label = l->get<std::string>();
      auto type = c.find(v10_ ? "type" : "dataType");
      if (type == c.end() || !type->is_string())
        fail_meta(fmt::format("column '{}' has no \"{}\"", m.name, v10_ ? "type" : "dataType"));
      m.data_type = type->get<std::string>();
      const std::string& t = m.data_type;
      if (t == "string" || t == "URI") m.kind = Kind::text;
      else if (t == "integer" || t == "float" || t == "double") m.kind = Kind::number;
      else if (t == "decimal") m.kind = Kind::decimal;
      else if (t == "boolean") m.kind = Kind::boolean;
      else if (t == "date") m.kind = Kind::date;
      else if (t == "datetime") m.kind = Kind::datetime;
      else if (t == "time") m.kind = Kind::time;
      else
        throw DataError({.file = source_, .line = meta_line_, .column = m.name, .value = t, .has_value = true},
                        "unknown dataType (expected string, integer, decimal, float, double, boolean, date, "
                        "datetime, time or URI)");
      for (std::size_t j = 0; j < meta_.size(); ++j)
        if (meta_[j].name == m.name)
          throw DataError({.file = source_, .line = meta_line_, .column = m.name, .value = m.name, .has_value = true},
                          fmt::format("duplicate column name (columns {} and {})", j + 1, meta_.size() + 1));
      meta_.push_back(std::move(m));
    }
    select_columns();
  }

  const json* v10_rows() const { return v10_rows_; }

  /// Adds one row (a JSON array); `number` is the record number (JSON) or line (NDJSON).
  void row(const json& r, std::uint64_t number) {
    if (!r.is_array())
      throw DataError(loc(number, "", short_dump(r)), "a row must be a JSON array of values");
    if (r.size() != meta_.size())
      throw DataError(loc(number, "", short_dump(r)),
                      fmt::format("the row has {} values but there are {} columns", r.size(), meta_.size()));
    for (std::size_t k = 0; k < read_.size(); ++k) {
      std::size_t j = read_[k];
      add_value(k, meta_[j], r[j], number);
    }
    lines_.push_back(number);
  }

  Table finish() {
    std::uint64_t n = lines_.size();
    if (declared_records_ && *declared_records_ != n)
      throw DataError({.file = source_, .value = std::to_string(*declared_records_), .has_value = true},
                      fmt::format("\"records\" says {} rows but the file holds {} (a truncated file?)",
                                  *declared_records_, n));
    Table t;
    t.source = source_;
    t.record_unit = format_ == DataFormat::ndjson ? "" : "record";
    t.n_rows = lines_.size();
    t.line = std::move(lines_);
    std::vector<Column> built(read_.size());
    for (std::size_t k = 0; k < read_.size(); ++k) {
      const ColumnMeta& m = meta_[read_[k]];
      Column c;
      if (m.kind == Kind::text) {
        c = builders_[k].finish(m.name);
        c.character = true;
      } else {
        c.name = m.name;
        c.numbers = std::move(numbers_[k]);
      }
      c.label = m.label;
      built[k] = std::move(c);
    }
    for (const auto& name : out_names_) {
      auto k = static_cast<std::size_t>(std::find(read_names_.begin(), read_names_.end(), name) - read_names_.begin());
      t.columns.push_back(built[k]);
    }
    return t;
  }

 private:
  [[noreturn]] void fail_meta(const std::string& message) {
    throw DataError({.file = source_, .line = format_ == DataFormat::ndjson ? meta_line_ : 0}, message);
  }

  Location loc(std::uint64_t number, const std::string& column, std::string value) const {
    return {.file = source_, .line = number, .column = column, .value = std::move(value), .has_value = true,
            .unit = format_ == DataFormat::ndjson ? "" : "record"};
  }

  void select_columns() {
    auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
      for (std::size_t j = 0; j < meta_.size(); ++j)
        if (meta_[j].name == name) return j;
      return std::nullopt;
    };
    std::vector<std::string> names = options_.columns;
    if (names.empty() && options_.optional_columns.empty())
      for (const auto& m : meta_) names.push_back(m.name);
    for (const auto& name : names) {
      if (!index_of(name)) {
        std::string list;
        for (const auto& m : meta_) list += (list.empty() ? "" : ", ") + m.name;
        throw DataError({.file = source_, .column = name},
                        fmt::format("no such column in the Dataset-JSON file (columns: {})", list));
      }
    }
    for (const auto& name : options_.optional_columns)
      if (index_of(name) && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    out_names_ = names;
    for (const auto& name : names) {
      if (std::find(read_names_.begin(), read_names_.end(), name) != read_names_.end()) continue;
      read_names_.push_back(name);
      read_.push_back(*index_of(name));
    }
    numbers_.resize(read_.size());
    builders_.resize(read_.size());
  }

  void add_value(std::size_t k, const ColumnMeta& m, const json& v, std::uint64_t number) {
    constexpr double na = std::numeric_limits<double>::quiet_NaN();
    if (m.kind == Kind::text) {
      if (v.is_null()) return builders_[k].add_missing();
      if (!v.is_string())
        throw DataError(loc(number, m.name, short_dump(v)),
                        fmt::format("expected a string (the column's dataType is {})", m.data_type));
      std::string_view s = v.get_ref<const std::string&>();
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      if (s.empty()) return builders_[k].add_missing();
      return builders_[k].add(s);
    }
    auto& out = numbers_[k];
    if (v.is_null()) return out.push_back(na);
    auto bad = [&](const char* expected) {
      throw DataError(loc(number, m.name, short_dump(v)),
                      fmt::format("expected {} (the column's dataType is {})", expected, m.data_type));
    };
    switch (m.kind) {
      case Kind::number:
      case Kind::decimal: {
        double x = na;
        if (v.is_number()) {
          x = v.get<double>();
          if (!std::isfinite(x)) bad("a finite number");
        } else if (v.is_string()) {
          const auto& s = v.get_ref<const std::string&>();
          if (s.find_first_not_of(' ') == std::string::npos) return out.push_back(na);
          if (!parse_number_text(s, x)) bad("a number");
        } else {
          bad("a number");
        }
        return out.push_back(x);
      }
      case Kind::boolean:
        if (v.is_boolean()) return out.push_back(v.get<bool>() ? 1.0 : 0.0);
        if (v.is_number_integer() && (v.get<long long>() == 0 || v.get<long long>() == 1))
          return out.push_back(static_cast<double>(v.get<long long>()));
        bad("true or false");
        break;
      case Kind::date:
      case Kind::datetime:
      case Kind::time: {
        if (v.is_number()) {  // already a SAS date/datetime/time value
          double x = v.get<double>();
          if (!std::isfinite(x)) bad("a finite number");
          return out.push_back(x);
        }
        if (!v.is_string()) bad("an ISO 8601 text");
        const auto& s = v.get_ref<const std::string&>();
        if (s.find_first_not_of(' ') == std::string::npos) return out.push_back(na);
        std::optional<double> x = m.kind == Kind::date       ? parse_date(s)
                                  : m.kind == Kind::datetime ? parse_datetime(s)
                                                             : parse_time(s);
        if (!x || (m.kind == Kind::date && s.size() != 10))
          bad(m.kind == Kind::date       ? "a complete ISO 8601 date YYYY-MM-DD"
              : m.kind == Kind::datetime ? "an ISO 8601 datetime YYYY-MM-DDThh:mm:ss"
                                         : "an ISO 8601 time hh:mm:ss");
        return out.push_back(*x);
      }
      case Kind::text: break;
    }
  }

  const std::string& source_;
  DataFormat format_;
  const ReadOptions& options_;
  std::uint64_t meta_line_ = 0;
  bool v10_ = false;
  const json* v10_rows_ = nullptr;
  std::optional<std::uint64_t> declared_records_;
  std::vector<ColumnMeta> meta_;
  std::vector<std::size_t> read_;          // metadata index of each column read
  std::vector<std::string> read_names_;
  std::vector<std::string> out_names_;     // names in the order of the Table
  std::vector<std::vector<double>> numbers_;
  std::vector<detail::CategoricalBuilder> builders_;
  std::vector<std::uint64_t> lines_;
};

constexpr std::size_t max_depth = 64;

/// Where a JSON text that does not parse stopped (a second, event-driven pass over the text, done
/// only for the error message): the row being read (1-based; 0 = not inside a row), how many of its
/// values were complete, and the column names met so far ("name" of the objects in "columns" or,
/// v1.0, "items"). Rows are the arrays inside "rows" (v1.0 "itemData"), or the text itself for an
/// NDJSON line.
class ErrorPosition : public nlohmann::json_sax<json> {
 public:
  explicit ErrorPosition(bool root_is_row) : root_is_row_(root_is_row) {}

  std::vector<std::string> names;
  std::uint64_t row = 0;
  std::size_t values = 0;
  std::size_t position = 0;  // where the parse stopped (bytes read)

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool string(string_t& s) override {
    if (!stack_.empty() && stack_.back().role == Role::column && stack_.back().key == "name") names.push_back(s);
    return value();
  }
  bool key(string_t& k) override {
    if (!stack_.empty()) stack_.back().key = k;
    return true;
  }
  bool start_object(std::size_t) override {
    stack_.push_back({.role = parent_role() == Role::columns ? Role::column : Role::other});
    return true;
  }
  bool start_array(std::size_t) override {
    Level l;
    if (stack_.empty()) {
      l.role = root_is_row_ ? Role::row : Role::other;
      l.row = 1;
    } else if (parent_role() == Role::rows) {
      l.role = Role::row;
      l.row = stack_.back().count + 1;
    } else if (stack_.back().key == "rows" || stack_.back().key == "itemData") {
      l.role = Role::rows;
    } else if (stack_.back().key == "columns" || stack_.back().key == "items") {
      l.role = Role::columns;
    }
    stack_.push_back(l);
    return true;
  }
  bool end_object() override { return end(); }
  bool end_array() override { return end(); }
  bool parse_error(std::size_t at, const std::string&, const nlohmann::detail::exception&) override {
    position = at;
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
      if (it->role == Role::row) {
        row = it->row;
        values = it->count;
        break;
      }
    return false;
  }

 private:
  enum class Role { other, rows, row, columns, column };
  struct Level {
    Role role = Role::other;
    std::string key;
    std::size_t count = 0;  // complete values (of an array)
    std::uint64_t row = 0;
  };
  Role parent_role() const { return stack_.empty() ? Role::other : stack_.back().role; }
  bool value() {
    if (!stack_.empty()) ++stack_.back().count;
    return true;
  }
  bool end() {
    stack_.pop_back();
    return value();
  }
  bool root_is_row_;
  std::vector<Level> stack_;
};

/// The text of the value the parse stopped in: from the last ',' or '[' outside a string before
/// byte `at` (trimmed).
std::string last_value_text(std::string_view text, std::size_t at) {
  std::size_t begin = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < at; ++i) {
    char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == ',' || ch == '[' || ch == '{' || ch == ':') {
      begin = i + 1;
    }
  }
  std::string_view v = text.substr(begin, at - std::min(begin, at));
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
  return std::string(v);
}

json parse_json(std::string_view text, const std::string& source, std::uint64_t line_offset, DataFormat format,
                const Reader* columns_from = nullptr) {
  if (nesting_depth(text, max_depth) > max_depth)
    throw DataError({.file = source, .line = line_offset > 0 ? line_offset : 0},
                    fmt::format("JSON nested more than {} levels deep: not a Dataset-JSON file", max_depth));
  // The error, the byte offset it was found at and whether the text ended first.
  std::string what;
  std::size_t at = 0;
  bool ended = false;
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based offset of the error.
    at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    ended = e.byte > text.size();
    what = e.what();
  } catch (const json::out_of_range& e) {
    // A number beyond the range of a double (406, "number overflow parsing '1e400'"); the event
    // pass below finds where.
    what = e.what();
  }
  // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." -> the reason.
  if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
  if (auto p = what.find(": "); p != std::string::npos && what.rfind("parse error", 0) == 0) what = what.substr(p + 2);
  if (detail::find_invalid_utf8(what) != std::string::npos) what = "invalid UTF-8 text";
  // Inside a row: name the record (Dataset-JSON) or keep the line (NDJSON), the column and the value.
  ErrorPosition pos(format == DataFormat::ndjson);
  json::sax_parse(text, &pos);
  if (what.rfind("number overflow", 0) == 0) at = std::min(pos.position, text.size());
  if (ended) what += " (a truncated file?)";  // the text ended before the value did
  auto line = line_offset + static_cast<std::uint64_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  Location loc{.file = source, .line = line};
  if (pos.row > 0) {
    std::string v = last_value_text(text, at);
    std::size_t k = pos.values;
    if (!v.empty() && json::accept(v) && k > 0) --k;  // the value itself was complete
    const std::vector<std::string> n = columns_from ? columns_from->names() : pos.names;
    loc.column = k < n.size() ? n[k] : fmt::format("#{}", k + 1);
    loc.value = detail::escape_invalid_utf8(v);
    loc.has_value = true;
    if (format == DataFormat::dataset_json) {
      loc.line = pos.row;
      loc.unit = "record";
    }
  }
  throw DataError(loc, fmt::format("invalid JSON: {}", what));
}

}  // namespace

Table parse_dataset_json(std::string_view bytes, const std::string& source, DataFormat format,
                         const ReadOptions& options) {
  std::string_view text = detail::strip_bom(bytes);
  detail::reject_wide_encoding(text, source);
  if (std::size_t bad = detail::find_invalid_utf8(text); bad != std::string_view::npos) {
    auto line = 1 + static_cast<std::uint64_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
    throw DataError({.file = source, .line = line,
                     .value = fmt::format("\\x{:02X}", static_cast<unsigned char>(text[bad])), .has_value = true},
                    text[bad] == '\0' ? "the file is not text (it contains a NUL byte)"
                                      : "the file is not UTF-8 text (JSON must be UTF-8)");
  }
  Reader reader(source, format, options);
  if (format == DataFormat::dataset_json) {
    json doc = parse_json(text, source, 1, format);
    reader.metadata(doc, 0);
    const json* rows = reader.v10_rows();
    if (!rows) {
      auto it = doc.find("rows");
      if (it != doc.end()) rows = &*it;
    }
    if (rows) {
      if (!rows->is_array()) throw DataError({.file = source}, "\"rows\" is not an array");
      std::uint64_t k = 0;
      for (const auto& r : *rows) reader.row(r, ++k);
    }
    return reader.finish();
  }
  // NDJSON: metadata on the first non-blank line, then one row per line.
  std::size_t pos = 0;
  std::uint64_t line = 0;
  bool have_meta = false;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view l = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (l.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    json v = parse_json(l, source, line, format, have_meta ? &reader : nullptr);
    if (!have_meta) {
      reader.metadata(v, line);
      have_meta = true;
    } else {
      reader.row(v, line);
    }
  }
  if (!have_meta) throw DataError({.file = source}, "the file is empty: no metadata line");
  return reader.finish();
}

}  // namespace hazard
