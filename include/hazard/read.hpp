// Reading any supported data file into a Table: the format is recognised from the file's content.
//
//   * SAS transport (XPORT) version 5 or 8: starts "HEADER RECORD*******LIBRARY HEADER RECORD" (v5)
//     or "HEADER RECORD*******LIBV8   HEADER RECORD" (v8);
//   * SAS data set (.sas7bdat): the 32-byte sas7bdat magic number;
//   * CDISC Dataset-JSON v1.1: a JSON object (after an optional byte-order mark and white space);
//     NDJSON when the first line is a complete JSON object (the metadata) and rows follow, one
//     JSON array per line;
//   * anything else is read as CSV (RFC 4180, see csv.hpp).
// A ZIP/XLSX or gzip file is recognised and refused with a clear message.
//
// Conventions shared by every format (docs/cli/data.md): numeric variables are numeric columns,
// character variables categorical columns with levels in C-locale byte order; missing values
// (SAS `.`, `._`, `.A`-`.Z`; a blank character value; JSON null) are missing; variable labels are
// kept in Column::label. Only the requested columns are read.
//
// Example:
//   auto t = hazard::read_data("adtte.xpt", {.columns = {"AVAL", "CNSR", "TRT01P"}});
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hazard/csv.hpp"
#include "hazard/table.hpp"

namespace hazard {

enum class DataFormat { csv, xport, sas7bdat, dataset_json, ndjson };

/// "CSV", "SAS transport (XPORT)", "SAS data set (sas7bdat)", "Dataset-JSON", "Dataset-NDJSON".
const char* format_name(DataFormat format);

/// The format of a file whose first bytes (or all of them) are `head`.
/// Throws DataError for formats recognised but not supported (ZIP/XLSX, gzip).
DataFormat detect_format(std::string_view head, const std::string& source);

struct ReadOptions {
  std::vector<std::string> columns;           ///< required columns; empty (and no optional) = all
  std::vector<std::string> optional_columns;  ///< read when present, silently absent otherwise
  Encoding encoding = Encoding::utf8;         ///< text encoding of CSV files and XPORT strings
  char delimiter = ',';                       ///< CSV only
};

/// Reads the file at `path` in whichever supported format it is. "-" reads standard input; a pipe,
/// a FIFO or a character device is read to its end first (it has no size and cannot be mapped),
/// then parsed as a file would be.
Table read_data(const std::string& path, const ReadOptions& options = {});

/// The name of input `path` in messages: "<stdin>" for "-" (standard input), else the path.
std::string input_name(const std::string& path);

/// True when `path` can be read only once: "-" (standard input), a pipe, a FIFO, a socket or a
/// character device (e.g. /dev/stdin on a pipe). Such an input is read with read_bytes, then
/// parse_data, by a program that needs its bytes more than once.
bool is_stream(const std::string& path);

/// Every byte of the file or stream at `path` ("-" = standard input). Throws IoError.
std::string read_bytes(const std::string& path);

/// The same, from bytes already in memory (`source` names them in messages).
Table parse_data(std::string_view bytes, const std::string& source, const ReadOptions& options = {});

/// Reads SAS XPORT (v5/v8) or sas7bdat bytes through ReadStat.
Table parse_sas(std::string_view bytes, const std::string& source, DataFormat format,
                const ReadOptions& options = {});

/// Reads CDISC Dataset-JSON v1.1 (format dataset_json) or its NDJSON form (format ndjson).
Table parse_dataset_json(std::string_view bytes, const std::string& source, DataFormat format,
                         const ReadOptions& options = {});

}  // namespace hazard
