// Errors raised by hazard, and the process exit codes the command line maps them to.
//
// Every error about input data names where it came from: the file, the line (or record), the column
// and the offending value, so that a statistician can open the file and see the problem.
//
// Example:
//   throw hazard::DataError({.file = "adtte.csv", .line = 17, .column = "AVAL", .value = "-3"},
//                           "time must be non-negative");
//   // what(): adtte.csv:17: column 'AVAL': value '-3': time must be non-negative
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hazard {

/// Documented exit codes of the `hazard` program (docs/exit-codes.md).
enum class ExitCode : int {
  ok = 0,
  failure = 1,     ///< an unexpected internal error, or out of memory (ResourceError)
  usage = 2,       ///< bad command line: unknown flag, missing argument, bad option value
  data = 3,        ///< the input data are unreadable or invalid
  numerical = 4,   ///< the computation cannot be done on these data (e.g. singular model)
  io = 5,          ///< a file cannot be opened, read or written
};

/// Where in the input a problem was found. Empty/zero members are omitted from messages.
struct Location {
  std::string file;      ///< path as given by the user
  std::uint64_t line = 0;  ///< 1-based physical line of the record (0 = unknown / whole file)
  std::string column;    ///< column (variable) name
  std::string value;     ///< the offending value, as written in the file
  bool has_value = false;  ///< true when `value` is meaningful (it may legitimately be empty)
  /// What `line` counts: empty = a physical line of a text file ("file:17"), otherwise the word
  /// printed before the number ("observation" for SAS files, "record" for Dataset-JSON rows).
  std::string unit;
};

/// Text made safe to print on a terminal or in a message: valid UTF-8 is kept, except control
/// characters (ESC, BEL, NUL, ... and the C1 controls), which are written as escapes ("\t", "\n",
/// "\r", "\x1B", "\u009B"), and bytes that are not UTF-8, written "\xFF". Idempotent on its output.
/// Example: printable("a\x1b[31mb\xff") == "a\\x1B[31mb\\xFF"
std::string printable(std::string_view text);

/// True when `text` is UTF-8 (every byte part of a valid character; no NUL).
bool is_utf8(std::string_view text);

/// Formats a location as "file:line: column 'c': value 'v'" (or "file: observation n: ..."); the
/// file, column and value are printable().
std::string format_location(const Location& where);

/// Invalid or unreadable input data (exit code 3).
class DataError : public std::runtime_error {
 public:
  DataError(Location where, const std::string& message);
  const Location& where() const noexcept { return where_; }
  const std::string& message() const noexcept { return message_; }

 private:
  Location where_;
  std::string message_;
};

/// A bad option value or combination of options (exit code 2).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The data are valid but the requested computation is impossible (exit code 4).
class NumericalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The memory needed is not available (exit code 1, "hazard: out of memory: ..."): the message
/// names what was too large (e.g. "the 100000-group log-rank test: its 100000 x 100000 variance
/// matrix needs 80 GB"), as std::bad_alloc cannot.
class ResourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A file could not be opened, read or written (exit code 5).
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace hazard
