// The bodies of the fuzzing targets, shared by the libFuzzer entry points (fuzz/*_fuzz.cpp) and the
// unit test that replays every input kept under tests/regression/<target>/.
//
// Contract under test: for ANY bytes, the readers and build_surv_data either return a value or
// throw hazard::DataError / UsageError (the documented, reported errors). Anything else escaping —
// another exception type, a crash, a sanitizer report, a hang — is a bug.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "hazard/adam.hpp"
#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/output.hpp"
#include "hazard/read.hpp"
#include "hazard/survdata.hpp"
#include "io/number.hpp"
#include "io/text.hpp"

namespace hazard::fuzz {

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Touches every value so that a bad index or a wrong size is noticed by the sanitizers.
inline std::size_t walk(const Table& t) {
  std::size_t h = t.line.size();
  for (const auto& c : t.columns) {
    if (c.size() != t.rows()) __builtin_trap();
    for (std::size_t i = 0; i < c.size(); ++i) h += c.text(i).size();
  }
  return h;
}

/// The reference reading of a field as a number: spaces and tabs trimmed, the grammar
/// [+-]?(digits[.digits?] | .digits)([eE][+-]?digits)? checked by hand, then glibc strtod (an
/// independent, correctly rounded conversion); overflow is not a finite number.
inline bool reference_number(std::string_view s, double& out) {
  s = detail::trim_spaces(s);
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t b = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - b;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t mantissa = digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  if (i != s.size()) return false;
  const std::string text(s);
  out = std::strtod(text.c_str(), nullptr);
  return std::isfinite(out);
}

/// The number parser (fast_float) must agree with the reference on every field (differential check).
inline void numbers_agree(std::string_view s) {
  double fast = 0, slow = 0;
  bool a = detail::parse_number(s, fast);
  bool b = reference_number(s, slow);
  if (a != b || (a && std::memcmp(&fast, &slow, sizeof fast) != 0)) __builtin_trap();
}

/// Two tables are the same to the bit: rows, lines, names, labels, kinds, levels, codes, numbers.
inline bool same_bits(const Table& a, const Table& b) {
  if (a.rows() != b.rows() || a.line != b.line || a.record_unit != b.record_unit ||
      a.columns.size() != b.columns.size())
    return false;
  for (std::size_t k = 0; k < a.columns.size(); ++k) {
    const Column& x = a.columns[k];
    const Column& y = b.columns[k];
    if (x.name != y.name || x.label != y.label || x.kind != y.kind || x.character != y.character ||
        x.levels != y.levels || x.codes != y.codes || x.numbers.size() != y.numbers.size() ||
        (!x.numbers.empty() &&
         std::memcmp(x.numbers.data(), y.numbers.data(), x.numbers.size() * sizeof(double)) != 0))
      return false;
  }
  return true;
}

/// CSV: the first byte picks the encoding, the delimiter, the number of parallel chunks and a
/// small parse window; the rest is the file. Short inputs also go through the number parser's
/// differential check. With chunks, the speculative cuts give what the exact cuts give, and so does
/// one chunk; parsed in small windows (2 to 47 bytes at a time), the text gives what it gives in
/// one window.
inline int csv(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  CsvOptions o;
  o.encoding = (data[0] & 1) ? Encoding::latin1 : Encoding::utf8;
  o.delimiter = (data[0] & 2) ? ';' : ',';
  o.threads = (data[0] >> 2) & 3;  // 0 = automatic (one chunk for small inputs), else 1-3 chunks
  if (size <= 40) numbers_agree(bytes(data + 1, size - 1));
  bool parsed = false;
  Table t;
  std::string error;
  try {
    t = parse_csv(bytes(data + 1, size - 1), "fuzz.csv", o);  // one window (csv_window)
    walk(t);
    parsed = true;
  } catch (const DataError& e) {
    error = e.what();
  }
  {
    const std::size_t window = 2 + 3 * static_cast<std::size_t>(data[0] >> 4);
    std::string windowed_error;
    std::optional<Table> windowed;
    try {
      windowed = detail::parse_csv_cuts(bytes(data + 1, size - 1), "fuzz.csv", o,
                                        detail::CsvCuts::automatic, window);
    } catch (const DataError& e) {
      windowed_error = e.what();
    }
    if (windowed_error != error || windowed.has_value() != parsed || (windowed && !same_bits(*windowed, t)))
      __builtin_trap();
  }
  // The chunks cut speculatively (checked after the parse, the default) and exactly (a serial scan
  // of the quotes): the same table, or the same error.
  if (o.threads > 1) {
    std::string exact_error, speculative_error;
    std::optional<Table> exact, speculative;
    try {
      exact =
          detail::parse_csv_cuts(bytes(data + 1, size - 1), "fuzz.csv", o, detail::CsvCuts::exact);
    } catch (const DataError& e) {
      exact_error = e.what();
    }
    try {
      speculative = detail::parse_csv_cuts(bytes(data + 1, size - 1), "fuzz.csv", o,
                                           detail::CsvCuts::speculative);
    } catch (const DataError& e) {
      speculative_error = e.what();
    }
    if (exact_error != speculative_error || exact.has_value() != speculative.has_value() ||
        (exact && !same_bits(*exact, *speculative)))
      __builtin_trap();
  }
  // Cut into chunks, the text must read exactly as in one piece (the chunk splitter and the
  // tokenizer agree on where records end): both fail, or both give the same table.
  if (o.threads > 1) {
    o.threads = 1;
    try {
      Table one = parse_csv(bytes(data + 1, size - 1), "fuzz.csv", o);
      if (!parsed || one.line != t.line || one.columns.size() != t.columns.size()) __builtin_trap();
      for (std::size_t k = 0; k < one.columns.size(); ++k)
        for (std::size_t i = 0; i < one.rows(); ++i)
          if (one.columns[k].text(i) != t.columns[k].text(i)) __builtin_trap();
    } catch (const DataError&) {
      if (parsed) __builtin_trap();
    }
  }
  return 0;
}

/// SAS: the first byte picks XPORT or sas7bdat (the rest is the file), so both parsers see every input.
inline int sas(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  DataFormat f = (data[0] & 1) ? DataFormat::sas7bdat : DataFormat::xport;
  ReadOptions o;
  o.encoding = (data[0] & 2) ? Encoding::latin1 : Encoding::utf8;
  try {
    walk(parse_sas(bytes(data + 1, size - 1), "fuzz.sas", f, o));
  } catch (const DataError&) {
  }
  return 0;
}

/// Dataset-JSON: the first byte picks the JSON or NDJSON form (bit 0) and the fast path's window
/// (16 + 2 x the other bits); also the content-based dispatch. Where the fast path (simdjson) gives
/// a table, the reference path (nlohmann SAX) must give the same table to the bit.
inline int dataset_json(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  DataFormat f = (data[0] & 1) ? DataFormat::ndjson : DataFormat::dataset_json;
  try {
    walk(parse_dataset_json(bytes(data + 1, size - 1), "fuzz.json", f));
  } catch (const DataError&) {
  }
  std::optional<Table> fast;
  try {
    fast = detail::parse_dataset_json_fast(bytes(data + 1, size - 1), "fuzz.json", f, {}, 16 + (data[0] >> 1) * 2u);
  } catch (const DataError&) {
  }
  if (fast) {
    try {
      if (!same_bits(*fast, detail::parse_dataset_json_reference(bytes(data + 1, size - 1), "fuzz.json", f, {})))
        __builtin_trap();
    } catch (const DataError&) {
      __builtin_trap();
    }
  }
  try {
    walk(parse_data(bytes(data + 1, size - 1), "fuzz.data"));
  } catch (const DataError&) {
  }
  return 0;
}

/// Two tables read from the same bytes are the same: rows, lines, names and every value.
inline bool same_table(const Table& a, const Table& b) {
  if (a.rows() != b.rows() || a.line != b.line || a.columns.size() != b.columns.size()) return false;
  for (std::size_t k = 0; k < a.columns.size(); ++k) {
    if (a.columns[k].name != b.columns[k].name || a.columns[k].kind != b.columns[k].kind) return false;
    for (std::size_t i = 0; i < a.rows(); ++i)
      if (a.columns[k].text(i) != b.columns[k].text(i)) return false;
  }
  return true;
}

/// read_data from a file or a pipe: the mapped file (pages released behind the parse) and the
/// stream read to its end must read exactly as the same bytes in memory (parse_data): the same
/// table, or the same error. The first byte picks a file (even) or a pipe (odd).
inline int stream(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view b = bytes(data + 1, size - 1);
  std::string path;
  int fds[2] = {-1, -1};
  std::thread writer;
  if (data[0] & 1) {
    if (::pipe(fds) != 0) return 0;
    path = "/dev/fd/" + std::to_string(fds[0]);
    writer = std::thread([&] {  // a pipe holds 64 kB: written while it is read
      std::string_view rest = b;
      while (!rest.empty()) {
        const ssize_t n = ::write(fds[1], rest.data(), rest.size());
        if (n <= 0) break;
        rest.remove_prefix(static_cast<std::size_t>(n));
      }
      ::close(fds[1]);
    });
  } else {
    path = "/tmp/hazard_fuzz_stream_" + std::to_string(::getpid());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return 0;
    const bool written = ::write(fd, b.data(), b.size()) == static_cast<ssize_t>(b.size());
    ::close(fd);
    if (!written) return 0;
  }
  std::string file_error, memory_error;
  Table from_file, from_memory;
  try {
    from_file = read_data(path);
  } catch (const DataError& e) {
    file_error = e.what();
  }
  if (writer.joinable()) writer.join();
  if (fds[0] >= 0) ::close(fds[0]);
  try {
    from_memory = parse_data(b, path);
  } catch (const DataError& e) {
    memory_error = e.what();
  }
  if (file_error != memory_error) __builtin_trap();
  if (file_error.empty() && !same_table(from_file, from_memory)) __builtin_trap();
  return 0;
}

/// The CSV writer against the CSV reader: cells (0x1F between cells, 0x1E between rows; the first
/// byte picks --csv-raw) written by CsvWriter read back as written — the cell itself, or with the
/// apostrophe exactly when csv_formula_like says so — or, in a numeric column, as its number;
/// missing when the text is blank or NA.
inline int csv_write(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const CsvWriteOptions options{.raw = (data[0] & 1) != 0};
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  for (char c : bytes(data + 1, size - 1)) {
    if (c == '\x1f' || c == '\x1e') {
      rows.back().push_back(cell);
      cell.clear();
      if (c == '\x1e') rows.emplace_back();
    } else {
      cell += c;
    }
  }
  rows.back().push_back(cell);
  std::size_t ncol = 2;  // two columns at least: an empty one-column row would be a blank line
  for (const auto& r : rows) ncol = std::max(ncol, r.size());
  if (ncol > 64) return 0;
  for (auto& r : rows) r.resize(ncol);
  for (const auto& r : rows)
    for (const auto& c : r)
      if (!is_utf8(c)) return 0;  // the reader refuses what is not UTF-8 (tested elsewhere)
  CsvWriter w(options);
  for (std::size_t k = 0; k < ncol; ++k) w.text("c" + std::to_string(k));
  w.row();
  for (const auto& r : rows) {
    for (const auto& c : r) w.text(c);
    w.row();
  }
  const std::string text = w.take();
  Table t = parse_csv(text, "written.csv");  // must not throw: the writer's output is valid CSV
  if (t.rows() != rows.size() || t.columns.size() != ncol) __builtin_trap();
  for (std::size_t k = 0; k < ncol; ++k) {
    const Column& col = t.columns[k];
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string& c = rows[i][k];
      const std::string expected = (!options.raw && csv_formula_like(c) ? "'" : "") + c;
      if (detail::is_missing_text(expected)) {
        if (!col.is_missing(i)) __builtin_trap();
      } else if (col.is_numeric()) {
        double x = 0;
        if (!detail::parse_number(expected, x) || x != col.numbers[i]) __builtin_trap();
      } else if (col.text(i) != expected) {
        __builtin_trap();
      }
    }
  }
  return 0;
}

/// build_surv_data with fuzz-chosen roles: 8 bytes choose columns and codings, the rest is a CSV.
inline int survdata(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  const std::uint8_t* r = data;
  Table t;
  try {
    t = parse_csv(bytes(data + 8, size - 8), "fuzz.csv");
  } catch (const DataError&) {
    return 0;
  }
  if (t.columns.empty()) return 0;
  auto col = [&](std::uint8_t b) -> const Column& { return t.columns[b % t.columns.size()]; };
  auto level = [&](const Column& c, std::uint8_t b) -> std::string {
    if (c.is_numeric()) return c.numbers.empty() ? "1" : c.text(b % c.numbers.size());
    return c.levels.empty() ? "x" : c.levels[b % c.levels.size()];
  };
  Roles roles;
  roles.time = col(r[0]).name;
  roles.event = col(r[1]).name;
  roles.coding = static_cast<EventCoding>(r[2] % 3);
  if (roles.coding == EventCoding::equals) roles.event_value = level(col(r[1]), r[3]);
  if (r[4] & 1) {
    roles.group = col(r[4] >> 1).name;
    if (r[5] & 1) roles.ref = level(col(r[4] >> 1), r[5] >> 1);
  }
  if (r[6] & 1) roles.strata.push_back(col(r[6] >> 1).name);
  if (r[6] & 2) roles.strata.push_back(col(r[6] >> 2).name);
  if (r[7] & 1) roles.where.push_back({col(r[7] >> 1).name, level(col(r[7] >> 1), r[3])});
  if (r[7] & 2) roles.weights = col(r[7] >> 2).name;
  if (r[7] & 4) roles.start = col(r[7] >> 3).name;
  try {
    SurvData d = build_surv_data(t, roles);
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (!(d.time[i] >= 0) || d.status[i] > 1) __builtin_trap();
      if (!d.group.empty() && static_cast<std::size_t>(d.group[i]) >= d.group_levels.size()) __builtin_trap();
      if (!d.stratum.empty() && static_cast<std::size_t>(d.stratum[i]) >= d.strata_levels.size()) __builtin_trap();
    }
  } catch (const DataError&) {
  } catch (const UsageError&) {
  }
  // The ADaM helpers on fuzz-chosen columns: the one-row-per-subject check, the time derivation
  // and a join of the table with itself (a USUBJID chosen among the columns).
  try {
    check_one_row_per_subject(t, where_mask(t, roles.where), col(r[0]).name, (r[2] & 8) ? col(r[1]).name : "");
  } catch (const DataError&) {
  } catch (const UsageError&) {
  }
  try {
    Table d = t;
    derive_time(d, {.from = col(r[2]).name, .to = col(r[3]).name, .unit = static_cast<TimeUnit>(r[4] % 3),
                    .name = "derived"});
    walk(d);
  } catch (const DataError&) {
  }
  try {
    Table a = t;
    a.columns[r[5] % a.columns.size()].name = "USUBJID";
    Table s = a;
    s.source = "adsl.csv";
    s.columns[r[6] % s.columns.size()].name = "EXTRA";
    walk(join_subject_level(a, s, {"EXTRA"}));
  } catch (const DataError&) {
  }
  return 0;
}

}  // namespace hazard::fuzz
