// Recognising a data file's format from its content and dispatching to its reader (read.hpp).
#include "hazard/read.hpp"

#include <sys/stat.h>

#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hazard/error.hpp"
#include "io/text.hpp"

namespace hazard {

namespace {

constexpr std::string_view xport_prefix = "HEADER RECORD*******LIB";
constexpr std::string_view xport_v5 = "HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!";
constexpr std::string_view xport_v8 = "HEADER RECORD*******LIBV8   HEADER RECORD!!!!!!!";

// The sas7bdat magic number: 12 zero bytes then these 20 (the first 32 bytes of every file).
constexpr unsigned char sas7bdat_magic[32] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc2, 0xea, 0x81, 0x60,
    0xb3, 0x14, 0x11, 0xcf, 0xbd, 0x92, 0x08, 0x00, 0x09, 0xc7, 0x31, 0x8c, 0x18, 0x1f, 0x10, 0x11};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

const char* format_name(DataFormat format) {
  switch (format) {
    case DataFormat::csv: return "CSV";
    case DataFormat::xport: return "SAS transport (XPORT)";
    case DataFormat::sas7bdat: return "SAS data set (sas7bdat)";
    case DataFormat::dataset_json: return "Dataset-JSON";
    case DataFormat::ndjson: return "Dataset-NDJSON";
  }
  return "unknown";
}

DataFormat detect_format(std::string_view head, const std::string& source) {
  if (starts_with(head, xport_prefix)) {
    if (starts_with(head, xport_v5) || starts_with(head, xport_v8)) return DataFormat::xport;
    // Looks like XPORT but the library header is damaged: let ReadStat say what is wrong.
    return DataFormat::xport;
  }
  if (head.size() >= sizeof sas7bdat_magic && std::memcmp(head.data(), sas7bdat_magic, sizeof sas7bdat_magic) == 0)
    return DataFormat::sas7bdat;
  if (starts_with(head, "PK\x03\x04"))
    throw DataError({.file = source},
                    "this is a ZIP archive (an Excel .xlsx file?), not a data file hazard reads; export it "
                    "as CSV, SAS XPORT, sas7bdat or Dataset-JSON");
  if (starts_with(head, "\x1f\x8b"))
    throw DataError({.file = source}, "this is a gzip-compressed file: decompress it first");
  if (starts_with(head, "\xd0\xcf\x11\xe0"))
    throw DataError({.file = source}, "this is an old Excel (.xls) or other OLE file: export it as CSV");
  if (starts_with(head, "HEADER RECORD"))
    throw DataError({.file = source, .line = 1, .unit = "record"},
                    "a SAS transport header that is neither XPORT version 5 nor 8 (CPORT files are not "
                    "supported; write the file with the XPORT engine or %loc2xpt)");
  std::string_view s = detail::strip_bom(head);
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  if (i < s.size() && s[i] == '{') {
    // NDJSON: the first line is a complete JSON object (the metadata) and rows follow.
    std::size_t nl = s.find('\n', i);
    if (nl != std::string_view::npos) {
      std::string_view rest = s.substr(nl + 1);
      bool more = rest.find_first_not_of(" \t\r\n") != std::string_view::npos;
      if (more && nlohmann::json::accept(s.substr(i, nl - i))) return DataFormat::ndjson;
    }
    return DataFormat::dataset_json;
  }
  return DataFormat::csv;
}

namespace {
CsvOptions csv_options(const ReadOptions& options) {
  return {.columns = options.columns,
          .delimiter = options.delimiter,
          .encoding = options.encoding,
          .optional_columns = options.optional_columns};
}

// One dispatch on the detected format; `file` is the mapping `bytes` came from, if any (the CSV
// reader then reads the body from the file in windows; the Dataset-JSON reader releases the pages
// it has parsed).
Table parse_detected(std::string_view bytes, const std::string& source, const ReadOptions& options,
                     const detail::MappedFile* file) {
  const DataFormat format = detect_format(bytes, source);
  return detail::guard_memory(
      [&] {
        switch (format) {
          case DataFormat::xport:
          case DataFormat::sas7bdat: return parse_sas(bytes, source, format, options);
          case DataFormat::dataset_json:
          case DataFormat::ndjson: return detail::parse_dataset_json_mapped(bytes, source, format, options, file);
          case DataFormat::csv: break;
        }
        if (file) return detail::read_csv_mapped(*file, source, csv_options(options));
        return parse_csv(bytes, source, csv_options(options));
      },
      source, bytes.size(), format_name(format));
}
}  // namespace

Table parse_data(std::string_view bytes, const std::string& source, const ReadOptions& options) {
  return parse_detected(bytes, source, options, nullptr);
}

Table read_data(const std::string& path, const ReadOptions& options) {
  detail::MappedFile file(path);
  return parse_detected(file.view(), input_name(path), options, &file);
}

std::string input_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

bool is_stream(const std::string& path) {
  if (path == "-") return true;
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

std::string read_bytes(const std::string& path) {
  detail::MappedFile file(path);
  return std::string(file.view());
}

}  // namespace hazard
