// Writing output files safely: every file hazard writes goes through OutputFile, every CSV through
// CsvWriter.
//
// OutputFile: atomic writes. The bytes go to a temporary file in the target's folder
// (".<name>.hazard-XXXXXX"); commit() flushes and closes it (checking both: a full disk is an
// IoError, exit 5) and renames it onto the target, so a reader never sees a partial file and a
// failed command leaves none (the destructor of an uncommitted file removes the temporary). A
// target that cannot be renamed onto — "-" (standard output), anything under /dev or /proc (e.g.
// /dev/stdout, /dev/full), an existing FIFO, terminal or socket — is written directly, with every
// write and the close still checked. A symbolic link is followed: its target is replaced, the link
// stays. (Atomic against a failed run, not against a power cut: there is no fsync.)
//
// CsvWriter: RFC 4180 fields (a field holding a comma, quote, CR or LF is quoted, quotes doubled)
// and, against CSV formula injection (OWASP), a text cell that starts with = + - @ tab or CR gets a
// leading apostrophe, so that a spreadsheet shows it as text instead of running it — unless the
// cell is a number (-1.5 is not a formula). `raw` (the commands' --csv-raw) turns the apostrophe
// off. Numbers are written as numbers: shortest round-trip form, NA when not finite.
//
// Example:
//   OutputFile f("results.csv");
//   CsvWriter csv(f, {.raw = false});
//   csv.text("arm").text("median").row();
//   csv.text("=HYPERLINK(...)").number(-1.5).row();   // '=HYPERLINK(...),-1.5
//   csv.finish();
//   f.commit();
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace hazard {

class OutputFile {
 public:
  /// Opens the temporary file (or the special target). Throws IoError naming `path`.
  explicit OutputFile(std::string path);
  ~OutputFile();
  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&&) = delete;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /// Appends bytes (written through to the file at once). Throws IoError.
  void write(std::string_view bytes);
  /// Closes the file and renames it onto the target. Throws IoError (the temporary is removed).
  void commit();
  /// Removes the temporary file now (what the destructor does for an uncommitted file).
  void discard() noexcept;
  const std::string& path() const { return path_; }
  /// True when the target is written directly (standard output, a device, a FIFO).
  bool direct() const { return direct_; }

 private:
  void close_checked();
  std::string path_;    // as given (messages)
  std::string target_;  // where the rename goes (a symbolic link resolved)
  std::string temp_;    // the temporary file; empty when direct
  int fd_ = -1;
  bool direct_ = false;
  bool own_fd_ = true;
  bool done_ = false;
};

/// Writes `bytes` to `path` with OutputFile (atomically).
void write_file(const std::string& path, std::string_view bytes);

/// Several files written as one: each is written to its temporary, and only commit() renames them
/// all (a report). Destroyed before commit(), it removes every temporary: no partial output.
class OutputSet {
 public:
  /// Starts the file `path` (throws IoError); the reference stays valid until the set is destroyed.
  OutputFile& add(const std::string& path);
  /// Renames every file onto its target, in order. Throws IoError.
  void commit();

 private:
  std::deque<OutputFile> files_;  // a deque: add() keeps the references it gave valid
};

/// Refuses (UsageError, exit 2) an output path that names one of the input files (compared as
/// files: another spelling of the same path, a hard or symbolic link): writing it would destroy
/// the data being read. "-" and paths that do not exist are never the same.
void refuse_overwrite(const std::string& output, const std::vector<std::string>& inputs,
                      const std::string& flag = "output");

struct CsvWriteOptions {
  bool raw = false;       ///< --csv-raw: no apostrophe before cells that start with = + - @ tab or CR
  bool infinity = false;  ///< number(±inf) writes Inf / -Inf (as R's write.csv) instead of NA
};

/// True when a text cell would be read by a spreadsheet as a formula: it starts with = + - @ tab
/// or CR and is not a number (optional sign, digits, fraction, exponent: -1.5, +3, -2e-5).
bool csv_formula_like(std::string_view cell);

/// One text field for writing CSV: guarded (apostrophe, unless `raw`) and quoted when needed.
std::string csv_text(std::string_view cell, const CsvWriteOptions& options = {});

/// Builds CSV rows; writes them to an OutputFile in blocks of about 1 MB (or keeps them, take()).
class CsvWriter {
 public:
  /// Rows kept in memory (read them with take()).
  explicit CsvWriter(const CsvWriteOptions& options = {}) : options_(options) {}
  /// Rows written to `out` as they fill a block; finish() writes the rest.
  CsvWriter(OutputFile& out, const CsvWriteOptions& options = {}) : out_(&out), options_(options) {}

  /// A text cell (guarded against formula injection, quoted when needed).
  CsvWriter& text(std::string_view cell);
  /// A number in shortest round-trip form ("-1.5", "1e-07"); NA when NaN; NA or Inf/-Inf when
  /// infinite (CsvWriteOptions::infinity).
  CsvWriter& number(double x);
  /// A number with printf-style precision: fixed (`{:.Nf}`) or general (`{:.Ng}`); NA when not finite.
  CsvWriter& fixed(double x, int decimals);
  CsvWriter& general(double x, int digits);
  CsvWriter& integer(std::int64_t x);
  /// An empty cell.
  CsvWriter& empty();
  /// Ends the row (LF).
  CsvWriter& row();
  /// Writes what is buffered to the OutputFile.
  void finish();
  /// The rows built (in-memory writer).
  std::string take() { return std::move(buf_); }

 private:
  void sep();
  void flush_if_full();
  OutputFile* out_ = nullptr;
  CsvWriteOptions options_;
  std::string buf_;
  bool row_start_ = true;
};

}  // namespace hazard
