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
//
// Reading is a stream, by two paths that give the same table to the bit:
// - The fast path (simdjson On-Demand, Lemire et al., simdjson 3.0.1): the text of the root
//   object's "rows" array is found (a scan of the text up to the key "rows", and back from the end
//   to the array's ']'), the metadata around it (the object with "rows" emptied) is read by the
//   reference path's parser, and the rows are parsed a window of about 1 MB at a time (cut after
//   a row's ']', copied into a padded buffer as "[rows]"); an NDJSON file a line at a time. Each
//   value is converted as the reference path converts it (numbers correctly rounded by both
//   parsers; an integer literal "-0" is +0 as nlohmann reads it). It gives up at anything off the
//   plain path (invalid JSON, a value of the wrong kind, a nested value in a row, a wrong number
//   of values or "records", a v1.0 file, ...): then the reference path reads the file and gives
//   its result or its error. Memory: the columns read, the metadata, one window and the parser's
//   index of it (a few times the window).
// - The reference path (nlohmann::json::sax_parse with the handler Stream below): each row is built
//   as a small JSON array, converted into the column builders and dropped. Only the metadata
//   (without the rows and the column entries, which are converted one by one) is kept as a JSON
//   value. When "rows" comes before "columns" in the object, the rows are read in a second pass
//   once the columns are known. Version 1.0 files are read by this path only.
// On both paths the pages of a mapped file are released behind the parse, so that memory is the
// columns read (as for CSV), not a tree of the whole file.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <iterator>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "hazard/error.hpp"
#include "hazard/read.hpp"
#include "io/text.hpp"

namespace hazard {
namespace {

using json = nlohmann::json;

// simdjson chooses its implementation (the CPU's instructions) at its first use, allocating
// inside a noexcept function: out of memory there would end the program (std::terminate) instead
// of reaching the out-of-memory message. Chosen here, at start-up, with the program's first few
// MB; read-only afterwards.
// (get_active_implementation() is a proxy that detects on its first call through it: name().)
[[maybe_unused]] const bool simdjson_chosen_at_start =
    !simdjson::get_active_implementation()->name().empty();

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

std::string short_dump(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

constexpr std::size_t max_depth = 64;

/// Column entries as they are read ("columns" of v1.1 or "items" of v1.0), with a hash index of the
/// names (duplicates are found in linear time, also for a 10^6-column file).
struct ColumnList {
  std::vector<ColumnMeta> meta;
  std::unordered_map<std::string, std::size_t> index;  // name -> position in `meta`
  bool seen = false;      // the array was met
  bool complete = false;  // and closed
};

/// Reserves room as a hint only: when the allocation fails the vector grows as needed.
template <class V>
void reserve_hint(V& v, std::size_t n) {
  try {
    v.reserve(n);
  } catch (const std::bad_alloc&) {
  }
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
  bool has_columns() const { return columns_set_; }
  void set_meta_line(std::uint64_t line) { meta_line_ = line; }
  void set_declared_records(std::uint64_t n) { declared_records_ = n; }

  /// Adds one entry of "columns" (v1.1: "dataType") or "items" (v1.0: "type") to `list`.
  void add_column(ColumnList& list, const json& c, bool v10) {
    if (!c.is_object()) fail_meta("an entry of \"columns\" is not an object");
    ColumnMeta m;
    auto name = c.find("name");
    if (name == c.end() || !name->is_string() || name->get_ref<const std::string&>().empty())
      fail_meta(fmt::format("column {} has no \"name\"", list.meta.size() + 1));
    m.name = name->get<std::string>();
    if (auto l = c.find("label"); l != c.end() && l->is_string()) m.label = l->get<std::string>();
    auto type = c.find(v10 ? "type" : "dataType");
    if (type == c.end() || !type->is_string())
      fail_meta(fmt::format("column '{}' has no \"{}\"", m.name, v10 ? "type" : "dataType"));
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
    auto [it, fresh] = list.index.try_emplace(m.name, list.meta.size());
    if (!fresh)
      throw DataError({.file = source_, .line = meta_line_, .column = m.name, .value = m.name, .has_value = true},
                      fmt::format("duplicate column name (columns {} and {})", it->second + 1, list.meta.size() + 1));
    list.meta.push_back(std::move(m));
  }

  /// The columns of the file; `expect_rows` (a hint) reserves room for that many rows.
  void set_columns(ColumnList&& list, std::size_t expect_rows) {
    meta_ = std::move(list.meta);
    index_ = std::move(list.index);
    columns_set_ = true;
    select_columns();
    if (expect_rows == 0) return;
    for (std::size_t k = 0; k < read_.size(); ++k) {
      if (meta_[read_[k]].kind == Kind::text) builders_[k].reserve(expect_rows);
      else reserve_hint(numbers_[k], expect_rows);
    }
    reserve_hint(lines_, expect_rows);
  }

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

  /// The fast path's row (simdjson On-Demand, see FastDocument): converts one row; returns false,
  /// leaving the Reader in an unspecified state, at anything off the plain path (a value of another
  /// kind than its column expects, a nested array or object, a JSON error, a wrong count...), where
  /// the reference path has to read the file to give its result or its error.
  bool fast_row(simdjson::ondemand::value row, std::uint64_t number) {
    simdjson::ondemand::array r;
    if (row.get_array().get(r) != simdjson::SUCCESS) return false;
    std::size_t j = 0;
    for (auto element : r) {
      simdjson::ondemand::value v;
      if (element.get(v) != simdjson::SUCCESS || j >= meta_.size()) return false;
      if (!fast_value(slot_[j], meta_[j], v)) return false;
      ++j;
    }
    if (j != meta_.size()) return false;
    lines_.push_back(number);
    return true;
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
    t.line = IndexSequence::from(lines_);
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
    // A column asked for twice is copied; the last (or only) use takes it.
    for (std::size_t i = 0; i < out_names_.size(); ++i) {
      const std::size_t k = static_cast<std::size_t>(
          std::find(read_names_.begin(), read_names_.end(), out_names_[i]) - read_names_.begin());
      const bool used_again = std::find(out_names_.begin() + static_cast<std::ptrdiff_t>(i) + 1, out_names_.end(),
                                        out_names_[i]) != out_names_.end();
      t.columns.push_back(used_again ? built[k] : std::move(built[k]));
    }
    return t;
  }

  [[noreturn]] void fail_meta(const std::string& message) const {
    throw DataError({.file = source_, .line = format_ == DataFormat::ndjson ? meta_line_ : 0}, message);
  }

 private:
  Location loc(std::uint64_t number, const std::string& column, std::string value) const {
    return {.file = source_, .line = number, .column = column, .value = std::move(value), .has_value = true,
            .unit = format_ == DataFormat::ndjson ? "" : "record"};
  }

  void select_columns() {
    auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
      auto it = index_.find(name);
      if (it == index_.end()) return std::nullopt;
      return it->second;
    };
    std::vector<std::string> names = options_.columns;
    if (names.empty() && options_.optional_columns.empty())
      for (const auto& m : meta_) names.push_back(m.name);
    for (const auto& name : names) {
      if (!index_of(name))
        throw DataError({.file = source_, .column = name},
                        fmt::format("no such column in the Dataset-JSON file (columns: {})", detail::name_list(this->names())));
    }
    for (const auto& name : options_.optional_columns)
      if (index_of(name) && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    out_names_ = names;
    std::unordered_map<std::string_view, std::size_t> read_at;  // names read already
    for (const auto& name : out_names_) {
      if (!read_at.try_emplace(name, read_.size()).second) continue;
      read_names_.push_back(name);
      read_.push_back(*index_of(name));
    }
    numbers_.resize(read_.size());
    builders_.resize(read_.size());
    slot_.assign(meta_.size(), not_read);
    for (std::size_t k = 0; k < read_.size(); ++k) slot_[read_[k]] = k;
  }

  /// The value of a JSON number as the reference path reads it (nlohmann::json: an integer
  /// literal is an integer, so "-0" is +0; others the correctly rounded double); false when not
  /// finite (out of range: the reference path's error).
  static bool fast_number(simdjson::ondemand::value& v, double& x) {
    if (v.get_double().get(x) != simdjson::SUCCESS || !std::isfinite(x)) return false;
    if (x == 0 && std::signbit(x)) {
      const std::string_view t = v.raw_json_token();
      if (t.find_first_of(".eE") == std::string_view::npos) x = 0.0;
    }
    return true;
  }

  /// One value of the fast path into read slot `k` (not_read: only checked); see fast_row.
  bool fast_value(std::size_t k, const ColumnMeta& m, simdjson::ondemand::value& v) {
    using simdjson::SUCCESS;
    using simdjson::ondemand::json_type;
    constexpr double na = std::numeric_limits<double>::quiet_NaN();
    json_type type;
    if (v.type().get(type) != SUCCESS) return false;
    switch (type) {
      case json_type::array:
      case json_type::object: return false;
      case json_type::null: {
        bool is_null = false;
        if (v.is_null().get(is_null) != SUCCESS || !is_null) return false;
        if (k == not_read) return true;
        if (m.kind == Kind::text) builders_[k].add_missing();
        else numbers_[k].push_back(na);
        return true;
      }
      case json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b) != SUCCESS) return false;
        if (k == not_read) return true;
        if (m.kind != Kind::boolean) return false;
        numbers_[k].push_back(b ? 1.0 : 0.0);
        return true;
      }
      case json_type::number: {
        double x = 0;
        if (!fast_number(v, x)) return false;
        if (k == not_read) return true;
        switch (m.kind) {
          case Kind::number:
          case Kind::decimal:
          case Kind::date:
          case Kind::datetime:
          case Kind::time: numbers_[k].push_back(x); return true;
          case Kind::boolean: {  // the integers 0 and 1 (as the reference path: not 1.0 or 1e0)
            std::string_view t = v.raw_json_token();
            while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t'))
              t.remove_suffix(1);
            if (t != "0" && t != "-0" && t != "1") return false;
            numbers_[k].push_back(x == 0 ? 0.0 : 1.0);
            return true;
          }
          case Kind::text: return false;
        }
        return false;
      }
      case json_type::string: {
        std::string_view s;
        if (v.get_string().get(s) != SUCCESS) return false;
        if (k == not_read) return true;
        if (m.kind == Kind::text) {
          while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
          if (s.empty()) builders_[k].add_missing();
          else builders_[k].add(s);
          return true;
        }
        auto& out = numbers_[k];
        if (s.find_first_not_of(' ') == std::string_view::npos) {
          if (m.kind == Kind::boolean) return false;
          out.push_back(na);
          return true;
        }
        double x = na;
        switch (m.kind) {
          case Kind::number:
          case Kind::decimal:
            if (!parse_number_text(s, x)) return false;
            break;
          case Kind::date:
          case Kind::datetime:
          case Kind::time: {
            std::optional<double> t = m.kind == Kind::date       ? parse_date(s)
                                      : m.kind == Kind::datetime ? parse_datetime(s)
                                                                 : parse_time(s);
            if (!t || (m.kind == Kind::date && s.size() != 10)) return false;
            x = *t;
            break;
          }
          case Kind::boolean:
          case Kind::text: return false;
        }
        out.push_back(x);
        return true;
      }
    }
    return false;
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
  std::optional<std::uint64_t> declared_records_;
  bool columns_set_ = false;
  std::vector<ColumnMeta> meta_;
  std::unordered_map<std::string, std::size_t> index_;  // name -> position in meta_
  std::vector<std::size_t> read_;          // metadata index of each column read
  std::vector<std::string> read_names_;
  std::vector<std::string> out_names_;     // names in the order of the Table
  std::vector<std::vector<double>> numbers_;
  std::vector<detail::CategoricalBuilder> builders_;
  std::vector<std::uint64_t> lines_;
  static constexpr std::size_t not_read = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> slot_;          // fast path: column j's read slot (or not_read)
};


/// Where and why a JSON text did not parse (from the parser's parse_error event).
struct Failure {
  std::string what;        // the parser's message
  std::size_t at = 0;      // byte offset of the error
  bool ended = false;      // the text ended before the value did
  std::uint64_t row = 0;   // the row being read (1-based; 0 = not inside a row)
  std::size_t values = 0;  // complete values of that row
  std::vector<std::string> names;  // the column names known at that point
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

/// The DataError for a text that is not JSON: inside a row it names the record (Dataset-JSON) or
/// keeps the line (NDJSON), the column and the value.
[[noreturn]] void invalid_json(std::string_view text, const Failure& f, const std::string& source,
                               std::uint64_t line_offset, DataFormat format) {
  std::string what = f.what;
  // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." -> the reason.
  if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
  if (auto p = what.find(": "); p != std::string::npos && what.rfind("parse error", 0) == 0) what = what.substr(p + 2);
  if (detail::find_invalid_utf8(what) != std::string::npos) what = "invalid UTF-8 text";
  if (f.ended) what += " (a truncated file?)";
  auto line = line_offset + static_cast<std::uint64_t>(
                                std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(f.at), '\n'));
  Location loc{.file = source, .line = line};
  if (f.row > 0) {
    std::string v = last_value_text(text, f.at);
    std::size_t k = f.values;
    if (!v.empty() && json::accept(v) && k > 0) --k;  // the value itself was complete
    loc.column = k < f.names.size() ? f.names[k] : fmt::format("#{}", k + 1);
    loc.value = detail::escape_invalid_utf8(v);
    loc.has_value = true;
    if (format == DataFormat::dataset_json) {
      loc.line = f.row;
      loc.unit = "record";
    }
  }
  throw DataError(loc, fmt::format("invalid JSON: {}", what));
}

/// What a Stream reads.
enum class Mode {
  document,     // a Dataset-JSON object: metadata kept, column entries and rows converted as they come
  ndjson_meta,  // the metadata line of NDJSON (its rows, if any, are not read)
  ndjson_row,   // one row line of NDJSON: the root value is the row
  rows_only,    // a second pass over a document whose rows came before its columns
};
/// Where the rows are: "rows" of the v1.1 object, or "itemData" of the (first) v1.0 item group.
enum class RowsAt { none, rows, item_data };

/// Empties `j` from its leaves up. nlohmann::json's destructor moves the children of a non-empty
/// array or object onto a std::vector it allocates, in a noexcept destructor: out of memory there
/// ends the program (std::terminate) instead of reaching the out-of-memory message. Emptied this
/// way, every value destroyed is a scalar or an empty container, which allocates nothing. The
/// recursion is bounded by the handler's max_depth.
void empty_json(json& j) noexcept {
  if (j.is_array()) {
    auto& a = *j.get_ptr<json::array_t*>();
    for (json& e : a) empty_json(e);
    a.clear();
  } else if (j.is_object()) {
    auto& o = *j.get_ptr<json::object_t*>();
    for (auto& kv : o) empty_json(kv.second);
    o.clear();
  }
}

/// The SAX handler (nlohmann::json::sax_parse events). Contract: the events of one JSON text, in
/// order; each row (an element of the rows array, or the root of an NDJSON row line) is built as a
/// small JSON value and handed to Reader::row when it closes; each column entry likewise to
/// Reader::add_column; everything else of the metadata is built into `doc` (without the rows and
/// column arrays, which it holds empty). Bounded nesting (max_depth).
class Stream {
 public:
  Stream(Reader& reader, Mode mode, const std::string& source, std::uint64_t line, std::size_t text_size)
      : reader_(reader), mode_(mode), source_(source), line_(line), text_size_(text_size) {}
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  ~Stream() {
    empty_json(doc_);
    empty_json(capture_);
  }

  /// Reuses the handler for another NDJSON row line.
  void next_line(std::uint64_t line, std::size_t text_size) {
    line_ = line;
    text_size_ = text_size;
    frames_.clear();
  }
  /// The second pass reads the rows at `at` only.
  void rows_at(RowsAt at) { second_pass_rows_ = at; }
  const Failure& failure() const { return failure_; }
  /// After finish_metadata: the metadata is of v1.1 (a "columns" array at the root).
  bool v11() const { return doc_.is_object() && doc_.contains("columns"); }

  // ---- SAX events ----
  bool null() { return scalar(json(nullptr)); }
  bool boolean(bool v) { return scalar(json(v)); }
  bool number_integer(json::number_integer_t v) { return scalar(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return scalar(json(v)); }
  bool number_float(json::number_float_t v, const json::string_t&) { return scalar(json(v)); }
  bool string(json::string_t& v) { return scalar(json(std::move(v))); }
  bool binary(json::binary_t&) { return scalar(json()); }  // never sent by the JSON parser
  bool key(json::string_t& k) {
    frames_.back().key = std::move(k);
    return true;
  }
  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    failure_.what = ex.what();
    if (const auto* pe = dynamic_cast<const json::parse_error*>(&ex)) {
      // byte is the 1-based offset of the error; past the end when the text ended first
      failure_.at = std::min<std::size_t>(pe->byte > 0 ? pe->byte - 1 : 0, text_size_);
      failure_.ended = pe->byte > text_size_;
    } else {  // out_of_range 406: a number beyond the range of a double ("number overflow parsing '1e400'")
      failure_.at = std::min(position, text_size_);
    }
    for (auto it = frames_.rbegin(); it != frames_.rend(); ++it)
      if (it->row > 0) {
        failure_.row = it->row;
        failure_.values = it->count;
        break;
      }
    failure_.names = reader_.has_columns() ? reader_.names() : names_so_far();
    return false;
  }

  /// After a document or NDJSON metadata line parsed: decides the version, checks the metadata,
  /// gives the Reader its columns. Returns where the rows are when they still have to be read (a
  /// second pass, rows_at), else RowsAt::none.
  RowsAt finish_metadata() {
    if (root_not_object_ || !doc_.is_object()) reader_.fail_meta("the file is not a Dataset-JSON object");
    ColumnList* cols = nullptr;
    const json* group = this->group();
    const json* records = nullptr;
    RowsAt rows = RowsAt::rows;
    if (doc_.contains("columns")) {
      if (!doc_["columns"].is_array()) reader_.fail_meta("\"columns\" is not an array");
      cols = &v11_;
      records = find(doc_, "records");
    } else if (group) {
      if (const json* items = find(*group, "items")) {
        if (!items->is_array()) reader_.fail_meta("\"columns\" is not an array");
        cols = &v10_;
      }
      if (find(*group, "itemData")) rows = RowsAt::item_data;
      records = find(*group, "records");
    }
    if (!cols) reader_.fail_meta("no \"columns\" array: not a Dataset-JSON file");
    if (!reader_.has_columns()) {
      const std::size_t expect = mode_ == Mode::document ? expect_rows(records, cols->meta.size()) : 0;
      reader_.set_columns(std::move(*cols), expect);
    }
    if (records && records->is_number_unsigned()) reader_.set_declared_records(records->get<std::uint64_t>());
    if (mode_ == Mode::ndjson_meta) return RowsAt::none;
    const json* r = rows == RowsAt::rows ? find(doc_, "rows") : find(*group, "itemData");
    if (!r) return RowsAt::none;
    if (!r->is_array()) throw DataError({.file = source_}, "\"rows\" is not an array");
    if (streamed_ == rows) return RowsAt::none;
    if (streamed_ != RowsAt::none)
      reader_.fail_meta("both a v1.1 \"columns\" array and v1.0 \"clinicalData\"/\"referenceData\": not a Dataset-JSON file");
    return rows;
  }

 private:
  enum class Role { doc, skip, columns, rows, capture };
  struct Frame {
    Role role = Role::doc;
    bool object = false;
    json* dom = nullptr;     // doc, capture: the container being filled
    std::string name;        // the key of this container in its parent object
    std::string key;         // objects: the key of the value being read
    std::size_t count = 0;   // complete values read in this container
    std::uint64_t row = 0;   // the root array of a row: its number (for error messages)
    std::uint64_t number = 0;  // a capture root: the row's number (0 = a column entry)
    bool capture_root = false;
    bool v10 = false;        // columns / column entries: of v1.0 "items"
    bool group = false;      // the first item group of v1.0 (clinicalData.itemGroupData.<OID>)
    bool skipped_rows = false;  // a rows array read later (its rows are still counted for messages)
  };

  static const json* find(const json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  /// v1.0: the first entry of clinicalData (or referenceData).itemGroupData, when an object.
  const json* group() const {
    if (group_oid_.empty()) return nullptr;
    const json* data = nullptr;
    for (const char* key : {"clinicalData", "referenceData"})
      if (const json* d = find(doc_, key); d && d->is_object()) data = d;
    const json* ig = data ? find(*data, "itemGroupData") : nullptr;
    const json* g = ig ? find(*ig, group_oid_.c_str()) : nullptr;
    return g && g->is_object() ? g : nullptr;
  }

  std::vector<std::string> names_so_far() const {
    const ColumnList& l = v11_.seen ? v11_ : v10_;
    std::vector<std::string> out;
    for (const auto& m : l.meta) out.push_back(m.name);
    return out;
  }

  [[noreturn]] void too_deep() const {
    throw DataError({.file = source_, .line = line_},
                    fmt::format("JSON nested more than {} levels deep: not a Dataset-JSON file", max_depth));
  }

  /// The rows expected (a reservation hint): "records" when given, at most what the text can hold.
  std::size_t expect_rows(const json* records, std::size_t ncol) const {
    if (!records || !records->is_number_unsigned()) return 0;
    return static_cast<std::size_t>(
        std::min<std::uint64_t>(records->get<std::uint64_t>(), text_size_ / (2 * ncol + 1)));
  }

  /// A rows array starts at `at`: read it now when its columns are known, else skip it (a second
  /// pass reads it).
  Role start_rows(RowsAt at, json& parent, const char* key) {
    int& seen = at == RowsAt::rows ? rows_seen_ : item_data_seen_;
    if (++seen > 1) reader_.fail_meta(fmt::format("\"{}\" appears twice", key));
    parent[key] = json::array();  // its place in the metadata (the rows are not kept)
    if (mode_ == Mode::ndjson_meta) return Role::skip;
    if (mode_ == Mode::rows_only) return second_pass_rows_ == at ? Role::rows : Role::skip;
    ColumnList& cols = at == RowsAt::rows ? v11_ : v10_;
    const bool known = cols.complete && (at == RowsAt::rows || !v11_.seen);
    if (!known) return Role::skip;
    const json* records = at == RowsAt::rows ? find(doc_, "records") : find(parent, "records");
    const std::size_t expect = expect_rows(records, cols.meta.size());
    reader_.set_columns(std::move(cols), expect);
    streamed_ = at;
    return Role::rows;
  }

  Role start_columns(ColumnList& list, json& parent, const char* key) {
    if (mode_ == Mode::rows_only) return Role::skip;
    if (list.seen) reader_.fail_meta(fmt::format("\"{}\" appears twice", key));
    list.seen = true;
    parent[key] = json::array();
    return Role::columns;
  }

  /// `target` = `value`, the old value emptied first (assigning would destroy it inside a noexcept
  /// operator=: see empty_json).
  static void replace(json& target, json&& value) {
    empty_json(target);
    target = std::move(value);
  }

  bool open(bool object) {
    if (frames_.size() >= max_depth) too_deep();
    Frame f;
    f.object = object;
    if (frames_.empty()) {
      if (mode_ == Mode::ndjson_row) {
        replace(capture_, object ? json::object() : json::array());
        f.role = Role::capture;
        f.dom = &capture_;
        f.capture_root = true;
        f.number = line_;
        if (!object) f.row = 1;
      } else if (object) {
        replace(doc_, json::object());
        f.dom = &doc_;
      } else {
        root_not_object_ = true;
        f.role = Role::skip;
      }
      frames_.push_back(std::move(f));
      return true;
    }
    Frame& parent = frames_.back();
    switch (parent.role) {
      case Role::skip:
        f.role = Role::skip;
        if (parent.skipped_rows && !object) f.row = parent.count + 1;
        break;
      case Role::columns:
        if (!object) reader_.fail_meta("an entry of \"columns\" is not an object");
        replace(capture_, json::object());
        f.role = Role::capture;
        f.dom = &capture_;
        f.capture_root = true;
        f.v10 = parent.v10;
        break;
      case Role::rows:
        replace(capture_, object ? json::object() : json::array());
        f.role = Role::capture;
        f.dom = &capture_;
        f.capture_root = true;
        f.number = parent.count + 1;
        if (!object) f.row = f.number;
        break;
      case Role::capture:
        f.role = Role::capture;
        f.dom = insert(parent, object ? json::object() : json::array());
        break;
      case Role::doc: {
        const bool at_root = frames_.size() == 1;
        f.name = parent.object ? parent.key : std::string();
        if (!object && parent.object && (at_root || parent.group)) {
          if (at_root && f.name == "columns") f.role = start_columns(v11_, *parent.dom, "columns");
          else if (at_root && f.name == "rows") f.role = start_rows(RowsAt::rows, *parent.dom, "rows");
          else if (parent.group && f.name == "items") f.role = start_columns(v10_, *parent.dom, "items");
          else if (parent.group && f.name == "itemData")
            f.role = start_rows(RowsAt::item_data, *parent.dom, "itemData");
          f.v10 = !at_root;
          if (f.role != Role::doc) {
            f.skipped_rows = f.role == Role::skip;
            break;
          }
        }
        // Arrays of arrays under "rows" or "itemData" elsewhere (not a place Dataset-JSON puts
        // rows, so kept as metadata) still count their rows for the messages of invalid JSON.
        if (!object && parent.object && (f.name == "rows" || f.name == "itemData")) f.skipped_rows = true;
        if (parent.skipped_rows && !object) f.row = parent.count + 1;
        f.dom = insert(parent, object ? json::object() : json::array());
        // v1.0: clinicalData (or referenceData) -> itemGroupData -> the first {OID: group}
        if (object && frames_.size() == 3 && parent.count == 0 && group_oid_.empty() &&
            (frames_[1].name == "clinicalData" || frames_[1].name == "referenceData") &&
            frames_[2].name == "itemGroupData") {
          f.group = true;
          group_oid_ = f.name;
        }
        break;
      }
    }
    frames_.push_back(std::move(f));
    return true;
  }

  bool close() {
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    if (f.role == Role::columns) (f.v10 ? v10_ : v11_).complete = true;
    if (f.capture_root) {
      if (f.number > 0) reader_.row(capture_, f.number);
      else reader_.add_column(f.v10 ? v10_ : v11_, capture_, f.v10);
    }
    if (!frames_.empty()) ++frames_.back().count;
    return true;
  }

  bool scalar(json&& v) {
    if (frames_.empty()) {  // the whole text is one value
      if (mode_ == Mode::ndjson_row) reader_.row(v, line_);  // not an array: the row's error
      else root_not_object_ = true;
      return true;
    }
    Frame& parent = frames_.back();
    switch (parent.role) {
      case Role::skip: break;
      case Role::columns: reader_.add_column(parent.v10 ? v10_ : v11_, v, parent.v10); break;
      case Role::rows: reader_.row(v, parent.count + 1); break;
      case Role::capture:
      case Role::doc: insert(parent, std::move(v)); break;
    }
    ++parent.count;
    return true;
  }

  static json* insert(Frame& parent, json&& v) {
    if (parent.object) {
      json& slot = (*parent.dom)[parent.key];
      slot = std::move(v);
      return &slot;
    }
    parent.dom->push_back(std::move(v));
    return &parent.dom->back();
  }

  Reader& reader_;
  Mode mode_;
  const std::string& source_;
  std::uint64_t line_;
  std::size_t text_size_;
  std::vector<Frame> frames_;
  json doc_;                   // the metadata (rows and column arrays left empty)
  json capture_;               // the row or column entry being read
  ColumnList v11_, v10_;       // "columns" (v1.1), "items" (v1.0)
  std::string group_oid_;      // v1.0: the first item group's OID
  bool root_not_object_ = false;
  int rows_seen_ = 0, item_data_seen_ = 0;
  RowsAt streamed_ = RowsAt::none;           // the rows read in this pass
  RowsAt second_pass_rows_ = RowsAt::none;   // rows_only: the rows to read
  Failure failure_;
};

/// Releases the pages of a mapped file behind the parse, every `step` bytes (see MappedFile::release).
class PageReleaser {
 public:
  static constexpr std::size_t step = std::size_t{4} << 20;
  PageReleaser(const detail::MappedFile* file, std::string_view text)
      : file_(file), from_(text.data()), end_(text.data() + text.size()) {
    next_ = text.size() > step ? from_ + step : end_;
  }
  const char* next() const { return next_; }
  void reached(const char* p) {
    if (file_) file_->release({from_, static_cast<std::size_t>(p - from_)});
    from_ = p;
    next_ = static_cast<std::size_t>(end_ - p) > step ? p + step : end_;
  }

 private:
  const detail::MappedFile* file_;
  const char* from_;
  const char* end_;
  const char* next_;
};

/// A byte iterator for the parser that tells the PageReleaser where the parse is.
class ReleasingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  ReleasingIterator() = default;
  ReleasingIterator(const char* p, PageReleaser* r) : p_(p), r_(r) {}
  reference operator*() const { return *p_; }
  ReleasingIterator& operator++() {
    if (++p_ == r_->next()) r_->reached(p_);
    return *this;
  }
  ReleasingIterator operator++(int) {
    ReleasingIterator t = *this;
    ++*this;
    return t;
  }
  bool operator==(const ReleasingIterator& o) const { return p_ == o.p_; }

 private:
  const char* p_ = nullptr;
  PageReleaser* r_ = nullptr;
};

/// Runs the parser over `text` (releasing the mapped pages behind it when `file` is given);
/// throws the DataError of invalid JSON.
void sax(std::string_view text, Stream& s, const detail::MappedFile* file, const std::string& source,
         std::uint64_t line_offset, DataFormat format) {
  bool ok;
  if (file) {
    PageReleaser r(file, text);
    ok = json::sax_parse(ReleasingIterator(text.data(), &r), ReleasingIterator(text.data() + text.size(), &r), &s);
  } else {
    ok = json::sax_parse(text.begin(), text.end(), &s);
  }
  if (!ok) invalid_json(text, s.failure(), source, line_offset, format);
}

/// The UTF-8 check of the whole text (before parsing, so that the message names the byte), 1 MB at
/// a time: a mapped file's parts are read into a reused buffer (MappedFile::read: no first touch of
/// the mapping's pages here, which the parse then touches once), other text is checked in place.
void check_utf8(std::string_view text, const std::string& source, const detail::MappedFile* file) {
  constexpr std::size_t step = std::size_t{1} << 20;
  std::string buffer;
  for (std::size_t from = 0, to = 0; from < text.size(); from = to) {
    // parts end on a character boundary (before a continuation byte's lead byte), so that a
    // character is never cut in two
    to = std::min(text.size(), from + step);
    for (int k = 0; k < 3 && to < text.size() && to > from + 1 && (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80; ++k)
      --to;
    const std::string_view part = text.substr(from, to - from);
    std::size_t bad = detail::find_invalid_utf8(file ? file->read(part, buffer) : part);
    if (bad != std::string_view::npos) {
      bad += from;
      auto line = 1 + static_cast<std::uint64_t>(
                          std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
      throw DataError({.file = source, .line = line,
                       .value = fmt::format("\\x{:02X}", static_cast<unsigned char>(text[bad])), .has_value = true},
                      text[bad] == '\0' ? "the file is not text (it contains a NUL byte)"
                                        : "the file is not UTF-8 text (JSON must be UTF-8)");
    }
  }
}


// ---- The fast path (simdjson On-Demand) ----
//
// Contract: reads what the reference path above reads, to the bit (tests/unit/io/dataset_json_test.cpp
// and the fuzz target compare both), or gives up (nullopt) and the reference path reads the file,
// which then gives its result or its error with the same words as always. It gives up at anything
// off the plain path: a JSON or value error, a nested value in a row, a v1.0 file, "rows" not a
// plain array at the root, ... Memory: the columns read, a window of the text and simdjson's parser
// for it (a few times the window), whatever the file's size; the metadata is read by the reference
// path's parser from a copy of the text without the rows (rows array emptied).

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// One past the closing quote of the JSON string whose opening quote is at `i`; npos when none.
std::size_t skip_string(std::string_view t, std::size_t i) {
  for (++i; i < t.size(); ++i) {
    if (t[i] == '\\') ++i;
    else if (t[i] == '"') return i + 1;
  }
  return std::string_view::npos;
}

/// Where the root object's "rows" array is: `open` at its '[', `close` at its ']'. `open` is found by
/// a scan of the text up to the first root key "rows" (strings skipped, nesting counted), `close` by a
/// scan back from the end of the text to the last ']' of the root object's level that closes an
/// array whose last element is an array (or the empty array opened at `open`). Both are checked
/// later (the metadata around the rows must parse as JSON, and the text between them as rows only),
/// so that a guess that does not hold sends the file to the reference path.
struct RowsSpan {
  std::size_t open = 0, close = 0;
};

std::optional<RowsSpan> find_rows(std::string_view t) {
  std::size_t i = 0;
  while (i < t.size() && is_json_space(t[i])) ++i;
  if (i == t.size() || t[i] != '{') return std::nullopt;
  RowsSpan span;
  int depth = 0;
  for (bool found = false; !found;) {
    if (i >= t.size()) return std::nullopt;
    const char c = t[i];
    if (c == '"') {
      const std::size_t e = skip_string(t, i);
      if (e == std::string_view::npos) return std::nullopt;
      if (depth == 1) {  // a key of the root object when a ':' follows
        std::size_t k = e;
        while (k < t.size() && is_json_space(t[k])) ++k;
        if (k < t.size() && t[k] == ':' && t.substr(i, e - i) == "\"rows\"") {
          ++k;
          while (k < t.size() && is_json_space(t[k])) ++k;
          if (k == t.size() || t[k] != '[') return std::nullopt;
          span.open = k;
          found = true;
        }
      }
      i = e;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && --depth <= 0) return std::nullopt;
    ++i;
  }
  depth = 0;
  for (std::size_t j = t.size(); j > span.open + 1;) {
    const char c = t[--j];
    if (c == '"') {  // the closing quote of a string: back to its opening quote (not escaped)
      for (;;) {
        std::size_t k = j;
        while (k > span.open + 1 && t[k - 1] != '"') --k;
        if (k <= span.open + 1) return std::nullopt;
        j = k - 1;
        std::size_t slashes = 0;
        while (t[j - slashes - 1] == '\\') ++slashes;  // t[open] is '[': stops there
        if (slashes % 2 == 0) break;
      }
      continue;
    }
    if (c == '}' || c == ']') {
      if (c == ']' && depth == 1) {  // an array of the root object: the rows when its last element is an array
        std::size_t k = j;
        while (k > span.open && is_json_space(t[k - 1])) --k;
        if (t[k - 1] == ']' || k - 1 == span.open) {
          span.close = j;
          return span;
        }
      }
      ++depth;
    } else if ((c == '{' || c == '[') && --depth <= 0) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// simdjson's parser for the windows and its input buffer (the window, with simdjson's padding).
struct FastParser {
  simdjson::ondemand::parser parser;
  std::vector<char> buffer;

  /// Parses `[` + `part` + `]` (`brackets`) or `part` itself; the document or an error.
  simdjson::error_code iterate(std::string_view part, bool brackets, simdjson::ondemand::document& doc) {
    const std::size_t len = part.size() + (brackets ? 2 : 0);
    if (buffer.size() < len + simdjson::SIMDJSON_PADDING) buffer.resize(len + simdjson::SIMDJSON_PADDING);
    char* b = buffer.data();
    if (brackets) {
      b[0] = '[';
      std::memcpy(b + 1, part.data(), part.size());
      b[len - 1] = ']';
    } else {
      std::memcpy(b, part.data(), part.size());
    }
    std::memset(b + len, ' ', simdjson::SIMDJSON_PADDING);
    return parser.iterate(simdjson::padded_string_view(b, len, buffer.size())).get(doc);
  }
};

/// The rows of a v1.1 document: the text strictly between the rows array's brackets, a sequence of
/// rows separated by commas. A window of about `window` bytes at a time is parsed as an array of
/// rows: it ends after the last ']' in it, which ends a row unless inside a string (then stage 1
/// of the parse finds the string unclosed and the window ends before that string instead) or
/// inside a nested array (then the row is not plain and the reference path reads the file).
bool fast_rows(std::string_view text, std::size_t begin, std::size_t end, Reader& reader,
               const detail::MappedFile* file, std::size_t window) {
  FastParser p;
  std::uint64_t number = 0;
  std::size_t pos = begin, released = 0;
  auto skip_space = [&] {
    while (pos < end && is_json_space(text[pos])) ++pos;
  };
  skip_space();
  if (pos == end) return true;  // no rows
  std::size_t w = std::max<std::size_t>(window, 16);
  // The buffers for the largest window up front: not reallocated as windows vary by a few bytes
  // (each reallocation would also raise malloc's mmap threshold and leave freed blocks resident).
  p.buffer.resize(w + 2 + simdjson::SIMDJSON_PADDING);
  if (p.parser.allocate(w + 2) != simdjson::SUCCESS) return false;
  for (;;) {
    std::size_t cut = end;
    if (end - pos > w) {
      const void* r = memrchr(text.data() + pos, ']', w);
      if (!r) {  // a row longer than the window
        w *= 2;
        continue;
      }
      cut = static_cast<std::size_t>(static_cast<const char*>(r) - text.data()) + 1;
    }
    simdjson::ondemand::document doc;
    simdjson::error_code err = simdjson::SUCCESS;
    for (int tries = 0;; ++tries) {
      err = p.iterate(text.substr(pos, cut - pos), true, doc);
      if (err != simdjson::UNCLOSED_STRING || cut == end || tries == 8) break;
      // the window ended inside a string: end it before the string
      const void* q = memrchr(text.data() + pos, '"', cut - pos);
      const char* from = text.data() + pos;
      const void* r = q ? memrchr(from, ']', static_cast<std::size_t>(static_cast<const char*>(q) - from)) : nullptr;
      if (!r) break;
      cut = static_cast<std::size_t>(static_cast<const char*>(r) - text.data()) + 1;
    }
    if (err != simdjson::SUCCESS) {  // (only a cut can leave a string unclosed; other errors are the file's)
      if (err != simdjson::UNCLOSED_STRING || cut == end || w >= end - pos) return false;
      w *= 2;  // (a long string: try a longer window)
      continue;
    }
    simdjson::ondemand::array rows;
    if (doc.get_array().get(rows) != simdjson::SUCCESS) return false;
    for (auto row : rows) {
      simdjson::ondemand::value v;
      if (row.get(v) != simdjson::SUCCESS || !reader.fast_row(v, ++number)) return false;
    }
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return false;  // more after the array
    pos = cut;
    if (file && pos - released >= (std::size_t{4} << 20)) {
      file->release(text.substr(released, pos - released));
      released = pos;
    }
    skip_space();
    if (pos == end) return true;
    if (text[pos] != ',') return false;
    ++pos;
    skip_space();
    if (pos == end) return false;  // a comma after the last row
  }
}

/// A Dataset-JSON (v1.1) document by the fast path; nullopt: the reference path reads it.
std::optional<Table> fast_document(std::string_view text, const std::string& source, const ReadOptions& options,
                                   const detail::MappedFile* file, std::size_t window) {
  const std::optional<RowsSpan> span = find_rows(text);
  if (!span) return std::nullopt;
  Reader reader(source, DataFormat::dataset_json, options);
  {
    std::string meta;  // the metadata: the text with the rows array emptied
    meta.reserve(span->open + 1 + (text.size() - span->close));
    meta.append(text.substr(0, span->open + 1)).append(text.substr(span->close));
    Stream s(reader, Mode::document, source, 1, text.size());
    if (!json::sax_parse(meta.begin(), meta.end(), &s)) return std::nullopt;
    const RowsAt rows = s.finish_metadata();
    if (!s.v11() || rows == RowsAt::item_data || !reader.has_columns()) return std::nullopt;
  }
  if (!fast_rows(text, span->open + 1, span->close, reader, file, window)) return std::nullopt;
  return reader.finish();
}

/// The non-blank lines of Dataset-NDJSON text and their 1-based line numbers, for both paths; the
/// pages of a mapped file are released behind the reader every 4 MB.
class NdjsonLines {
 public:
  NdjsonLines(std::string_view text, const detail::MappedFile* file) : text_(text), file_(file) {}
  /// The next non-blank line and its number; false at the end of the text.
  bool next(std::string_view& l, std::uint64_t& line) {
    if (file_ && pos_ - released_ >= (std::size_t{4} << 20)) {  // the lines before are read
      const std::size_t upto = std::min(pos_, text_.size());
      file_->release(text_.substr(released_, upto - released_));
      released_ = upto;
    }
    while (pos_ < text_.size()) {
      const void* nl = std::memchr(text_.data() + pos_, '\n', text_.size() - pos_);
      const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data()) : text_.size();
      l = text_.substr(pos_, end - pos_);
      pos_ = end + 1;
      ++line_;
      if (l.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      line = line_;
      return true;
    }
    return false;
  }

 private:
  std::string_view text_;
  const detail::MappedFile* file_;
  std::size_t pos_ = 0, released_ = 0;
  std::uint64_t line_ = 0;
};

/// Dataset-NDJSON by the fast path (the metadata line by the reference path's parser, each row line
/// by simdjson On-Demand); nullopt: the reference path reads it.
std::optional<Table> fast_ndjson(std::string_view text, const std::string& source, const ReadOptions& options,
                                 const detail::MappedFile* file) {
  Reader reader(source, DataFormat::ndjson, options);
  FastParser p;
  NdjsonLines lines(text, file);
  std::string_view l;
  std::uint64_t line = 0;
  bool have_meta = false;
  while (lines.next(l, line)) {
    if (!have_meta) {
      reader.set_meta_line(line);
      Stream meta(reader, Mode::ndjson_meta, source, line, l.size());
      if (!json::sax_parse(l.begin(), l.end(), &meta)) return std::nullopt;
      meta.finish_metadata();
      have_meta = true;
      continue;
    }
    simdjson::ondemand::document doc;
    simdjson::error_code err;
    const std::size_t room = text.size() - static_cast<std::size_t>(l.data() - text.data());
    if (room >= l.size() + simdjson::SIMDJSON_PADDING)  // the text after the line is the padding
      err = p.parser.iterate(simdjson::padded_string_view(l.data(), l.size(), room)).get(doc);
    else
      err = p.iterate(l, false, doc);
    simdjson::ondemand::value row;
    if (err != simdjson::SUCCESS || doc.get_value().get(row) != simdjson::SUCCESS || !reader.fast_row(row, line) ||
        doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
      return std::nullopt;
  }
  if (!have_meta) return std::nullopt;
  return reader.finish();
}

/// Window of the fast path's rows (bytes).
constexpr std::size_t fast_window = std::size_t{1} << 20;

/// The fast path (nullopt: the reference path reads the file). A DataError of the metadata or of
/// the count of records is the reference path's to give.
std::optional<Table> fast_read(std::string_view text, const std::string& source, DataFormat format,
                               const ReadOptions& options, const detail::MappedFile* file, std::size_t window) {
  try {
    return format == DataFormat::dataset_json ? fast_document(text, source, options, file, window)
                                              : fast_ndjson(text, source, options, file);
  } catch (const DataError&) {
    return std::nullopt;
  }
}

/// The reference path: nlohmann::json's SAX parser over the whole text (see the top of the file).
Table reference_read(std::string_view text, const std::string& source, DataFormat format,
                     const ReadOptions& options, const detail::MappedFile* file) {
  Reader reader(source, format, options);
  if (format == DataFormat::dataset_json) {
    Stream s(reader, Mode::document, source, 1, text.size());
    sax(text, s, file, source, 1, format);
    const RowsAt second = s.finish_metadata();
    if (second != RowsAt::none) {  // "rows" came before "columns": read them now
      Stream rows(reader, Mode::rows_only, source, 1, text.size());
      rows.rows_at(second);
      sax(text, rows, file, source, 1, format);
    }
    return reader.finish();
  }
  // NDJSON: metadata on the first non-blank line, then one row per line.
  NdjsonLines lines(text, file);
  std::string_view l;
  std::uint64_t line = 0;
  bool have_meta = false;
  std::optional<Stream> rows;
  while (lines.next(l, line)) {
    if (!have_meta) {
      reader.set_meta_line(line);
      Stream meta(reader, Mode::ndjson_meta, source, line, l.size());
      sax(l, meta, nullptr, source, line, format);
      meta.finish_metadata();
      have_meta = true;
      rows.emplace(reader, Mode::ndjson_row, source, line, 0);
    } else {
      rows->next_line(line, l.size());
      sax(l, *rows, nullptr, source, line, format);
    }
  }
  if (!have_meta) throw DataError({.file = source}, "the file is empty: no metadata line");
  return reader.finish();
}

}  // namespace

namespace detail {

Table parse_dataset_json_mapped(std::string_view bytes, const std::string& source, DataFormat format,
                                const ReadOptions& options, const MappedFile* file) {
  std::string_view text = strip_bom(bytes);
  reject_wide_encoding(text, source);
  check_utf8(text, source, file);
  if (std::optional<Table> t = fast_read(text, source, format, options, file, fast_window)) return std::move(*t);
  return reference_read(text, source, format, options, file);
}

std::optional<Table> parse_dataset_json_fast(std::string_view bytes, const std::string& source, DataFormat format,
                                             const ReadOptions& options, std::size_t window) {
  std::string_view text = strip_bom(bytes);
  reject_wide_encoding(text, source);
  check_utf8(text, source, nullptr);
  return fast_read(text, source, format, options, nullptr, window);
}

Table parse_dataset_json_reference(std::string_view bytes, const std::string& source, DataFormat format,
                                   const ReadOptions& options) {
  std::string_view text = strip_bom(bytes);
  reject_wide_encoding(text, source);
  check_utf8(text, source, nullptr);
  return reference_read(text, source, format, options, nullptr);
}

}  // namespace detail

Table parse_dataset_json(std::string_view bytes, const std::string& source, DataFormat format,
                         const ReadOptions& options) {
  return detail::parse_dataset_json_mapped(bytes, source, format, options, nullptr);
}

}  // namespace hazard
