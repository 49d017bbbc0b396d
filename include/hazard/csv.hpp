// Reading CSV files (RFC 4180) into a Table.
//
// Accepted: a header row; fields quoted with '"' (holding commas, doubled quotes and newlines);
// `NA` or an empty field is missing; UTF-8 with or without a byte-order mark; LF or CRLF line ends;
// Latin-1 text when declared (`.encoding = Encoding::latin1`, converted to UTF-8).
// Errors (DataError, naming file, line, column and value): a row with the wrong number of fields,
// a duplicate column name, an unterminated quote, bytes that are not UTF-8, a requested column that
// does not exist, a file without a header.
//
// Only the requested columns are materialised; the others are scanned past (cheap for wide files).
//
// Example:
//   auto t = hazard::read_csv("lung.csv", {.columns = {"time", "status", "sex"}});
//   const hazard::Column& time = t.at("time");
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hazard/table.hpp"

namespace hazard {

/// Text encoding of an input file. Latin-1 (ISO 8859-1) text is converted to UTF-8 on reading.
enum class Encoding { utf8, latin1 };

struct CsvOptions {
  std::vector<std::string> columns;  ///< names of the columns to read; empty = every column
  char delimiter = ',';
  Encoding encoding = Encoding::utf8;
  std::vector<std::string> optional_columns;  ///< also read when present in the header
  std::size_t threads = 0;  ///< threads parsing the chunks; 0 = one per core from 8 MB on, else one
};

/// Reads the file at `path` (memory-mapped; "-", a pipe or a FIFO is read into memory, see read_data).
Table read_csv(const std::string& path, const CsvOptions& options = {});

/// Parses CSV text already in memory; `source` is the name used in messages.
Table parse_csv(std::string_view text, const std::string& source, const CsvOptions& options = {});

// Writing CSV: CsvWriter / csv_text in output.hpp (quoting and the formula guard, one writer for
// every CSV the program writes).

/// The column names in the header of a CSV file (for tools that list them).
std::vector<std::string> csv_header(const std::string& path);

}  // namespace hazard
