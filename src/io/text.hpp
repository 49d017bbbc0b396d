// Internals shared by the readers: a read-only file map, UTF-8 validation, Latin-1 conversion and
// a builder for categorical columns (levels in C-locale byte order, as R's factor()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hazard/csv.hpp"
#include "hazard/read.hpp"
#include "hazard/table.hpp"

namespace hazard::detail {

/// Read-only memory map of a whole file (RAII). Throws IoError when the file cannot be read.
/// "-" is standard input. What cannot be mapped — standard input, a pipe, a FIFO, a character
/// device — is read to its end into memory instead (format detection then needs no seeking).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view view() const { return {data_ ? data_ : "", size_}; }
  /// Drops the whole pages of `part` from this process's memory once they have been read (the
  /// file's bytes stay in the page cache; a later read maps them again). Parts outside the
  /// mapping (e.g. a converted copy of the text, or a stream read into memory) are left alone.
  void release(std::string_view part) const noexcept;
  /// The bytes of `part` (a range of view()): for a mapped file, read with pread into `buffer`
  /// (grown to fit, never shrunk), so that a parse reads them from a buffer it reuses (in cache)
  /// rather than by first touches of the mapping, each a page fault (several microseconds per page
  /// on a virtual machine with shadow page tables; docs/performance.md); `part` itself for a stream
  /// read into memory or for bytes outside the mapping. Throws IoError when the file cannot be
  /// read or has become shorter.
  std::string_view read(std::string_view part, std::string& buffer) const;

 private:
  int fd_ = -1;
  bool own_fd_ = true;
  bool mapped_ = false;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::string buffer_;  // a stream's bytes
  std::string name_;    // for errors
};

/// All bytes from `fd` to its end (a pipe, FIFO, terminal or file). Throws IoError naming `name`.
std::string read_to_end(int fd, const std::string& name);

/// The bytes of a CSV body parsed at a time (each chunk's windows; for a file, read into a buffer
/// reused window after window): 256 kB, well within a core's L2 cache with the columns written.
inline constexpr std::size_t csv_window = std::size_t{256} << 10;

/// The bytes of a CSV body in a chunk when two or more threads parse it (each takes the next
/// chunk in turn; the chunks are appended in file order): small enough that the threads end
/// together (only the last chunk is parsed alone) and that a chunk's columns are still in cache
/// when appended, large enough that handing chunks over costs nothing.
inline constexpr std::size_t csv_chunk_bytes = std::size_t{2} << 20;

/// read_csv on a file already mapped (its bytes read window by window: MappedFile::read).
/// `window`: see csv_window (tests use small ones).
Table read_csv_mapped(const MappedFile& file, const std::string& source, const CsvOptions& options,
                      std::size_t window = csv_window);

/// How parse_csv cuts a large body into chunks: speculatively (at the first line feed after each
/// target, checked after the parse; the default) or exactly (a serial scan of the quotes up to
/// each cut). For tests: both give the same table and the same errors.
/// `automatic` (parse_csv's choice): exact when the body's first 64 kB hold a line feed inside a
/// quoted field (has_quoted_line_feed: a file whose records carry quoted line breaks would see many
/// speculative cuts fall inside one and be parsed twice), else speculative.
enum class CsvCuts { automatic, speculative, exact };

/// Whether `sample` (the start of a CSV body) holds a line feed inside a quoted field, quotes read
/// as the Tokenizer reads them (RecordEnds).
bool has_quoted_line_feed(std::string_view sample, char delim);
/// `quote_free_path` false: every record read by the tokenizer's general path (for tests: the
/// same table and the same errors as with the quote-free path).
/// `chunk_bytes`: see csv_chunk_bytes (tests use small ones, for many chunks per thread).
Table parse_csv_cuts(std::string_view text, const std::string& source, const CsvOptions& options,
                     CsvCuts cuts, std::size_t window = csv_window, bool quote_free_path = true,
                     std::size_t chunk_bytes = csv_chunk_bytes);

/// parse_dataset_json on a file already mapped (its parsed pages are released as the parse goes).
Table parse_dataset_json_mapped(std::string_view bytes, const std::string& source, DataFormat format,
                                const ReadOptions& options, const MappedFile* file);

/// For tests: the fast path of parse_dataset_json alone (rows parsed `window` bytes at a time), or
/// nullopt where it gives up; and the reference path alone. Where the fast path gives a table, the
/// reference path gives the same table.
std::optional<Table> parse_dataset_json_fast(std::string_view bytes, const std::string& source, DataFormat format,
                                             const ReadOptions& options, std::size_t window);
Table parse_dataset_json_reference(std::string_view bytes, const std::string& source, DataFormat format,
                                   const ReadOptions& options);

/// Offset of the first byte that is not part of valid UTF-8 text (or is NUL), or npos.
std::size_t find_invalid_utf8(std::string_view s);

/// Latin-1 (ISO 8859-1) bytes as UTF-8: bytes >= 0x80 become two bytes.
std::string latin1_to_utf8(std::string_view s);

/// "UTF-16LE", "UTF-16BE", "UTF-32LE" or "UTF-32BE" when the text starts with that encoding's
/// byte-order mark, or (UTF-16 without a mark) when its first characters are ASCII with a NUL
/// byte between them; nullptr otherwise. hazard reads UTF-8 and Latin-1 only.
const char* wide_encoding(std::string_view s);

/// Throws DataError for a UTF-16/UTF-32 file (wide_encoding), telling how to convert it.
void reject_wide_encoding(std::string_view s, const std::string& source);

/// Text made safe to show in a message: valid UTF-8 is kept, any other byte is written \xNN.
std::string escape_invalid_utf8(std::string_view s);

/// The ResourceError for running out of memory while reading `bytes` bytes of a `format` file:
/// names the file and its size.
[[noreturn]] void throw_out_of_memory(const std::string& source, std::size_t bytes, const char* format);

/// read() (reading `bytes` bytes of a `format` file), with std::bad_alloc turned into the
/// ResourceError of throw_out_of_memory (the columns read so far are freed first, as the exception
/// leaves read(), so there is memory for the message).
template <class F>
Table guard_memory(F&& read, const std::string& source, std::size_t bytes, const char* format) {
  try {
    return read();
  } catch (const std::bad_alloc&) {
    throw_out_of_memory(source, bytes, format);
  }
}

/// "a, b, c" for a message listing a file's columns; past 20 names: "a, b, ..., t, ... (N columns)".
std::string name_list(const std::vector<std::string>& names);

/// Strips a leading UTF-8 byte-order mark.
std::string_view strip_bom(std::string_view s);

struct SvHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

/// Collects text values of one column; finish() sorts the levels (byte order) and recodes.
class CategoricalBuilder {
 public:
  void add(std::string_view value);
  void add_missing() { codes_.push_back(-1); }
  /// Room for n values (a hint: nothing happens when the memory cannot be had).
  void reserve(std::size_t n) noexcept;
  std::size_t size() const { return codes_.size(); }
  Column finish(std::string name);

 private:
  std::vector<std::int32_t> codes_;
  std::vector<std::string> first_seen_;
  std::unordered_map<std::string, std::int32_t, SvHash, std::equal_to<>> index_;
};

}  // namespace hazard::detail
