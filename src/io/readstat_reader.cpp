// SAS transport (XPORT v5 and v8) and SAS data set (sas7bdat) files, read through ReadStat.
//
// ReadStat (Evan Miller; the reader R's haven and Python's pyreadstat use) parses the file and calls
// back once per variable and once per value. We feed it the bytes from memory (custom I/O
// handlers), so a file is mapped once and a fuzzer can hand in any buffer.
//
// Conventions (docs/cli/data.md):
//   * only the requested variables are read: the variable handler returns SKIP_VARIABLE for the
//     others, so ReadStat does not decode their values;
//   * variable names match exactly, else ignoring case (SAS names are case-insensitive);
//   * numeric variables become numeric columns; SAS missing values (`.`, `._`, `.A`-`.Z`) are
//     missing (NaN); numbers come back as ReadStat converts them (IBM doubles in XPORT to IEEE);
//   * character variables become categorical columns; trailing blanks are insignificant (SAS pads
//     with blanks) and an all-blank value is missing; the text must be UTF-8 (XPORT has no encoding
//     field; with Encoding::latin1 it is converted), sas7bdat text is converted by ReadStat from the
//     encoding the file declares;
//   * variable labels go to Column::label;
//   * Table::line holds the observation number (1-based), and errors name it.
// Errors: a file ReadStat cannot parse (truncated, wrong header) is one DataError naming the file,
// the observation reached and ReadStat's reason.
#include <readstat.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hazard/error.hpp"
#include "hazard/read.hpp"
#include "io/text.hpp"

namespace hazard {
namespace {

/// ReadStat I/O over a byte range.
struct MemoryIo {
  const char* data = nullptr;
  std::size_t size = 0;
  std::size_t pos = 0;
};

int mem_open(const char*, void*) { return 0; }
int mem_close(void*) { return 0; }

readstat_off_t mem_seek(readstat_off_t offset, readstat_io_flags_t whence, void* io_ctx) {
  auto* io = static_cast<MemoryIo*>(io_ctx);
  long double base = whence == READSTAT_SEEK_SET ? 0.0L
                     : whence == READSTAT_SEEK_CUR ? static_cast<long double>(io->pos)
                                                    : static_cast<long double>(io->size);
  long double target = base + static_cast<long double>(offset);
  if (target < 0 || target > static_cast<long double>(io->size)) return -1;
  io->pos = static_cast<std::size_t>(target);
  return static_cast<readstat_off_t>(io->pos);
}

ssize_t mem_read(void* buf, size_t nbyte, void* io_ctx) {
  auto* io = static_cast<MemoryIo*>(io_ctx);
  std::size_t n = std::min(nbyte, io->size - io->pos);
  if (n > 0) std::memcpy(buf, io->data + io->pos, n);
  io->pos += n;
  return static_cast<ssize_t>(n);
}

readstat_error_t mem_update(long, readstat_progress_handler, void*, void*) { return READSTAT_OK; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

/// Text from the file as UTF-8: UTF-8 as is, anything else read as Latin-1 (NUL as ?).
std::string latin1_or_utf8(std::string_view s) {
  if (detail::find_invalid_utf8(s) == std::string_view::npos) return std::string(s);
  std::string out;
  for (char c : s) out.push_back(c == '\0' ? '?' : c);
  return detail::latin1_to_utf8(out);
}

struct Variable {
  std::string name;
  std::string label;
  int index = -1;  // ReadStat's index (before skipping)
  bool numeric = true;
  std::vector<double> numbers;
  detail::CategoricalBuilder text;
  std::size_t count() const { return numeric ? numbers.size() : text.size(); }
  void pad_to(std::size_t n) {
    while (count() < n) {
      if (numeric) numbers.push_back(std::numeric_limits<double>::quiet_NaN());
      else text.add_missing();
    }
  }
};

struct Context {
  const std::string* source = nullptr;
  DataFormat format = DataFormat::xport;
  const ReadOptions* options = nullptr;
  std::vector<std::string> wanted;      // required + optional names
  bool read_all = false;
  std::vector<std::string> all_names;   // every variable in the file, in order
  std::vector<std::size_t> widths;      // their storage widths in bytes (XPORT: the record layout)
  std::vector<Variable> vars;           // the variables read
  std::vector<int> slot_of_index;       // ReadStat index -> position in vars, -1 = skipped
  std::size_t n_obs = 0;
  long declared_rows = -1;
  std::string readstat_message;
  std::exception_ptr error;
};

Location where(const Context& c, std::uint64_t obs, const std::string& column, std::string value) {
  return {.file = *c.source, .line = obs, .column = column, .value = std::move(value), .has_value = true,
          .unit = "observation"};
}

int on_metadata(readstat_metadata_t* metadata, void* ctx) {
  auto* c = static_cast<Context*>(ctx);
  c->declared_rows = readstat_get_row_count(metadata);
  return READSTAT_HANDLER_OK;
}

int on_variable(int index, readstat_variable_t* variable, const char*, void* ctx) {
  auto* c = static_cast<Context*>(ctx);
  try {
    const char* raw = readstat_variable_get_name(variable);
    std::string name = raw ? raw : "";
    c->all_names.push_back(name);
    c->widths.push_back(readstat_variable_get_storage_width(variable));
    if (index < 0 || index > 1'000'000) throw DataError({.file = *c->source}, "implausible variable count");
    bool want = c->read_all || std::any_of(c->wanted.begin(), c->wanted.end(),
                                           [&](const std::string& w) { return iequals(w, name); });
    if (static_cast<std::size_t>(index) >= c->slot_of_index.size())
      c->slot_of_index.resize(static_cast<std::size_t>(index) + 1, -1);
    if (!want) return READSTAT_HANDLER_SKIP_VARIABLE;
    Variable v;
    v.name = name;
    const char* label = readstat_variable_get_label(variable);
    if (label) v.label = latin1_or_utf8(label);
    v.index = index;
    v.numeric = readstat_variable_get_type_class(variable) == READSTAT_TYPE_CLASS_NUMERIC;
    c->slot_of_index[static_cast<std::size_t>(index)] = static_cast<int>(c->vars.size());
    c->vars.push_back(std::move(v));
    return READSTAT_HANDLER_OK;
  } catch (...) {
    c->error = std::current_exception();
    return READSTAT_HANDLER_ABORT;
  }
}

double numeric_value(readstat_value_t value) {
  switch (readstat_value_type(value)) {
    case READSTAT_TYPE_INT8: return readstat_int8_value(value);
    case READSTAT_TYPE_INT16: return readstat_int16_value(value);
    case READSTAT_TYPE_INT32: return readstat_int32_value(value);
    case READSTAT_TYPE_FLOAT: return static_cast<double>(readstat_float_value(value));
    case READSTAT_TYPE_DOUBLE: return readstat_double_value(value);
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

int on_value(int obs_index, readstat_variable_t* variable, readstat_value_t value, void* ctx) {
  auto* c = static_cast<Context*>(ctx);
  try {
    int index = readstat_variable_get_index(variable);
    if (index < 0 || static_cast<std::size_t>(index) >= c->slot_of_index.size() || obs_index < 0)
      return READSTAT_HANDLER_OK;
    int slot = c->slot_of_index[static_cast<std::size_t>(index)];
    if (slot < 0) return READSTAT_HANDLER_OK;
    Variable& v = c->vars[static_cast<std::size_t>(slot)];
    auto obs = static_cast<std::size_t>(obs_index);
    if (obs < v.count()) return READSTAT_HANDLER_OK;  // never expected: ReadStat counts forward
    v.pad_to(obs);
    c->n_obs = std::max(c->n_obs, obs + 1);
    const bool value_numeric = readstat_value_type_class(value) == READSTAT_TYPE_CLASS_NUMERIC;
    if (v.numeric) {
      double x = std::numeric_limits<double>::quiet_NaN();
      if (value_numeric && !readstat_value_is_missing(value, variable)) {
        x = numeric_value(value);
        // SAS cannot store an infinity; a NaN bit pattern is one of its missing values.
        if (std::isinf(x))
          throw DataError(where(*c, obs + 1, v.name, fmt::format("{}", x)), "not a finite number");
        if (std::isnan(x)) x = std::numeric_limits<double>::quiet_NaN();
      }
      v.numbers.push_back(x);
      return READSTAT_HANDLER_OK;
    }
    const char* s = value_numeric ? nullptr : readstat_string_value(value);
    std::string_view text = s ? std::string_view(s) : std::string_view();
    while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.remove_suffix(1);
    bool blank = std::all_of(text.begin(), text.end(), [](char ch) { return ch == ' '; });
    if (blank) {
      v.text.add_missing();
      return READSTAT_HANDLER_OK;
    }
    if (detail::find_invalid_utf8(text) != std::string_view::npos) {
      if (c->format == DataFormat::xport && c->options->encoding == Encoding::latin1) {
        v.text.add(detail::latin1_to_utf8(text));
        return READSTAT_HANDLER_OK;
      }
      throw DataError(where(*c, obs + 1, v.name, latin1_or_utf8(text)),
                      c->format == DataFormat::xport
                          ? "the text is not UTF-8 (for Latin-1 text give --encoding latin1)"
                          : "the text is not valid in the file's declared encoding");
    }
    v.text.add(text);
    return READSTAT_HANDLER_OK;
  } catch (...) {
    c->error = std::current_exception();
    return READSTAT_HANDLER_ABORT;
  }
}

void on_error(const char* message, void* ctx) {
  auto* c = static_cast<Context*>(ctx);
  if (message) {
    c->readstat_message = latin1_or_utf8(message);
    while (!c->readstat_message.empty() &&
           std::isspace(static_cast<unsigned char>(c->readstat_message.back())))
      c->readstat_message.pop_back();
  }
}

struct ParserDeleter {
  void operator()(readstat_parser_t* p) const { readstat_parser_free(p); }
};

/// Runs ReadStat over `bytes` into `c`; returns its status.
readstat_error_t run_readstat(std::string_view bytes, const std::string& source, DataFormat format, Context& c) {
  MemoryIo io{.data = bytes.data(), .size = bytes.size(), .pos = 0};
  std::unique_ptr<readstat_parser_t, ParserDeleter> parser(readstat_parser_init());
  if (!parser) throw std::bad_alloc();
  readstat_set_metadata_handler(parser.get(), on_metadata);
  readstat_set_variable_handler(parser.get(), on_variable);
  readstat_set_value_handler(parser.get(), on_value);
  readstat_set_error_handler(parser.get(), on_error);
  readstat_set_open_handler(parser.get(), mem_open);
  readstat_set_close_handler(parser.get(), mem_close);
  readstat_set_seek_handler(parser.get(), mem_seek);
  readstat_set_read_handler(parser.get(), mem_read);
  readstat_set_update_handler(parser.get(), mem_update);
  readstat_set_io_ctx(parser.get(), &io);
  return format == DataFormat::xport ? readstat_parse_xport(parser.get(), source.c_str(), &c)
                                     : readstat_parse_sas7bdat(parser.get(), source.c_str(), &c);
}

/// The size a sas7bdat header declares: header length + page size x page count (0 when the header
/// is too short to tell or the size is implausible).
std::size_t sas7bdat_declared_size(std::string_view b) {
  if (b.size() < 220) return 0;
  const bool u64 = static_cast<unsigned char>(b[32]) == 0x33;
  const std::size_t a1 = static_cast<unsigned char>(b[35]) == 0x33 ? 4 : 0;
  const bool little = b[37] == 1;
  auto uint = [&](std::size_t at, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      auto byte = static_cast<std::uint64_t>(static_cast<unsigned char>(b[at + (little ? n - 1 - i : i)]));
      v = (v << 8) | byte;
    }
    return v;
  };
  std::uint64_t header = uint(196 + a1, 4), page = uint(200 + a1, 4), pages = uint(204 + a1, u64 ? 8 : 4);
  constexpr std::uint64_t limit = std::uint64_t{1} << 40;
  if (header == 0 || page == 0 || pages > limit / page || header + page * pages > limit) return 0;
  return static_cast<std::size_t>(header + page * pages);
}

/// Where an XPORT file's observations start: after its only "OBS" header record (v5 or v8).
/// npos when there is none or more than one member (the layout check below needs exactly one).
std::size_t xport_data_start(std::string_view bytes) {
  constexpr std::string_view obs = "HEADER RECORD*******OBS";
  std::size_t at = std::string_view::npos;
  for (std::size_t r = 0; r + 80 <= bytes.size(); r += 80) {
    if (bytes.substr(r, obs.size()) != obs) continue;
    if (at != std::string_view::npos) return std::string_view::npos;
    at = r + 80;
  }
  return at;
}

/// The observation (1-based) and variable that byte `offset` of the data falls in, from the
/// variables' storage widths; {0, ""} when the layout is unknown.
std::pair<std::uint64_t, std::string> xport_position(const Context& c, std::size_t offset) {
  std::size_t row = 0;
  for (std::size_t w : c.widths) row += w;
  if (row == 0 || c.widths.size() != c.all_names.size()) return {0, ""};
  std::size_t within = offset % row, k = 0;
  while (k + 1 < c.widths.size() && within >= c.widths[k]) within -= c.widths[k++];
  return {offset / row + 1, latin1_or_utf8(c.all_names[k])};
}

/// A truncated XPORT file: its size is not a multiple of 80 bytes (the record length), or the data
/// end inside an observation. Names the observation and the variable the file ends in.
[[noreturn]] void xport_truncated(std::string_view bytes, const std::string& source, const ReadOptions& options) {
  const std::size_t start = xport_data_start(bytes);
  Location loc{.file = source, .value = std::to_string(bytes.size()), .has_value = true};
  if (start != std::string_view::npos && start <= bytes.size()) {
    Context c;  // the header records alone give the variables and their widths
    c.source = &source;
    c.options = &options;
    c.read_all = true;
    try {
      if (run_readstat(bytes.substr(0, start), source, DataFormat::xport, c) == READSTAT_OK && !c.error) {
        auto [obs, name] = xport_position(c, bytes.size() - start);
        if (obs > 0) {
          loc.line = obs;
          loc.unit = "observation";
          loc.column = name;
        }
      }
    } catch (const std::exception&) {
    }
  }
  throw DataError(loc, fmt::format("the file ends inside {} (its size, {} bytes, {}): a truncated or damaged SAS "
                                   "transport (XPORT) file",
                                   loc.line > 0 ? "this value" : "its header records", bytes.size(),
                                   bytes.size() % 80 ? "is not a multiple of 80" : "cuts an observation short"));
}

}  // namespace

Table parse_sas(std::string_view bytes, const std::string& source, DataFormat format, const ReadOptions& options) {
  if (format != DataFormat::xport && format != DataFormat::sas7bdat)
    throw std::logic_error("parse_sas: not a SAS format");
  // XPORT is a sequence of 80-byte records: any other length is a truncated or damaged file
  // (ReadStat itself would stop quietly at the last complete observation).
  if (format == DataFormat::xport && bytes.size() % 80 != 0) xport_truncated(bytes, source, options);
  Context c;
  c.source = &source;
  c.format = format;
  c.options = &options;
  c.wanted = options.columns;
  c.wanted.insert(c.wanted.end(), options.optional_columns.begin(), options.optional_columns.end());
  c.read_all = c.wanted.empty();

  // A sas7bdat file shorter than its header declares is truncated. To name the observation it
  // ends in, the missing pages are read as zeros (empty pages; only when at least 1/16 of the file
  // is there and it declares at most 256 MB): ReadStat then reports the rows it found.
  std::string padded;
  std::string_view input = bytes;
  const std::size_t declared_size = format == DataFormat::sas7bdat ? sas7bdat_declared_size(bytes) : 0;
  const bool short_file = declared_size > bytes.size();
  std::string cut_note;
  if (short_file) {
    cut_note = fmt::format("; the file is {} bytes long but its header declares {}", bytes.size(), declared_size);
    if (declared_size <= (std::size_t{256} << 20) && declared_size / 16 <= bytes.size()) {
      padded.reserve(declared_size);
      padded.assign(bytes);
      padded.resize(declared_size, '\0');
      input = padded;
    }
  }
  readstat_error_t rc = run_readstat(input, source, format, c);
  if (c.error) std::rethrow_exception(c.error);
  const char* what = format_name(format);
  if (rc != READSTAT_OK) {
    std::string reason = readstat_error_message(rc);
    if (!c.readstat_message.empty()) reason += " (" + c.readstat_message + ")";
    // Past the header: the observation reached, its first variable and the file's size.
    Location loc{.file = source};
    if (!c.vars.empty() || c.n_obs > 0) {
      loc.line = c.n_obs + 1;
      loc.unit = "observation";
      if (!c.all_names.empty()) loc.column = latin1_or_utf8(c.all_names.front());
      loc.value = std::to_string(bytes.size());
      loc.has_value = true;
      reason += short_file ? cut_note : fmt::format("; the file is {} bytes long", bytes.size());
    } else if (short_file) {
      loc.value = std::to_string(bytes.size());
      loc.has_value = true;
      reason += cut_note;
    }
    throw DataError(loc, fmt::format("not a readable {} file: {}", what, reason));
  }

  if (c.declared_rows > 0 && static_cast<std::size_t>(c.declared_rows) > c.n_obs && !c.vars.empty())
    throw DataError({.file = source, .line = c.n_obs + 1,
                     .column = c.all_names.empty() ? std::string() : latin1_or_utf8(c.all_names.front()),
                     .value = std::to_string(c.declared_rows), .has_value = true, .unit = "observation"},
                    fmt::format("the file declares {} observations but holds {}: a truncated {} file{}",
                                c.declared_rows, c.n_obs, what, cut_note));
  if (short_file)
    throw DataError({.file = source, .value = std::to_string(bytes.size()), .has_value = true},
                    fmt::format("a truncated {} file: it is {} bytes long but its header declares {}", what,
                                bytes.size(), declared_size));

  // XPORT padding is blanks: anything else after the last whole observation is a cut one.
  if (format == DataFormat::xport) {
    std::size_t start = xport_data_start(bytes), row = 0;
    for (std::size_t w : c.widths) row += w;
    if (start != std::string_view::npos && start < bytes.size() && row > 0) {
      std::string_view tail = bytes.substr(bytes.size() - (bytes.size() - start) % row);
      if (tail.find_first_not_of(' ') != std::string_view::npos) xport_truncated(bytes, source, options);
    }
  }

  // Variable names must be unique (a damaged or hand-made file can repeat one).
  for (std::size_t i = 0; i < c.vars.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (c.vars[i].name == c.vars[j].name)
        throw DataError({.file = source, .column = c.vars[i].name, .value = c.vars[i].name, .has_value = true},
                        fmt::format("duplicate variable name (variables {} and {})", c.vars[j].index + 1,
                                    c.vars[i].index + 1));

  Table table;
  table.source = source;
  table.record_unit = "observation";
  // With no value read (all requested variables absent, or no observations) the declared count
  // is the best we have; it is never trusted to size anything.
  table.n_rows = c.n_obs;
  for (auto& v : c.vars) v.pad_to(c.n_obs);

  auto resolve = [&](const std::string& name) -> Variable* {
    for (auto& v : c.vars)
      if (v.name == name) return &v;
    Variable* found = nullptr;
    for (auto& v : c.vars)
      if (iequals(v.name, name)) {
        if (found)
          throw DataError({.file = source, .column = name},
                          fmt::format("the name matches variables '{}' and '{}' (differing only in case)",
                                      found->name, v.name));
        found = &v;
      }
    return found;
  };
  std::vector<std::optional<Column>> built(c.vars.size());
  auto finish = [&](Variable& v, const std::string& name) {
    auto k = static_cast<std::size_t>(&v - c.vars.data());
    if (!built[k]) {
      Column col;
      if (v.numeric) {
        col.kind = ColumnKind::numeric;
        col.numbers = std::move(v.numbers);
      } else {
        col = v.text.finish(v.name);
        col.character = true;
      }
      col.label = v.label;
      built[k] = std::move(col);
    }
    Column out = *built[k];
    out.name = name;
    return out;
  };

  std::vector<std::string> names;
  if (c.read_all) {
    for (const auto& v : c.vars) names.push_back(v.name);
  } else {
    names = options.columns;
    for (const auto& o : options.optional_columns)
      if (resolve(o) && std::find(names.begin(), names.end(), o) == names.end()) names.push_back(o);
  }
  for (const auto& name : names) {
    Variable* v = resolve(name);
    if (!v) {
      std::string list;
      std::size_t shown = 0;
      for (const auto& n : c.all_names) {
        if (shown++ == 40) {
          list += ", ...";
          break;
        }
        list += (list.empty() ? "" : ", ") + latin1_or_utf8(n);
      }
      throw DataError({.file = source, .column = name},
                      fmt::format("no such variable in the {} file (variables: {})", what, list));
    }
    table.columns.push_back(finish(*v, name));
  }
  table.line = IndexSequence::iota(1, table.n_rows);
  return table;
}

}  // namespace hazard
