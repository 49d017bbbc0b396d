// CSV reader (RFC 4180) producing a column-oriented Table of the requested columns.
//
// Input contract and conventions (docs/cli/data.md):
//   * the first record is the header; column names must be unique;
//   * fields are separated by `delimiter`; a field may be quoted with '"', and inside quotes a
//     doubled quote is a literal quote, and delimiters and line breaks are data;
//   * records end at LF or CRLF; blank lines are skipped (as R's read.csv);
//   * the file must be UTF-8 (a leading byte-order mark is skipped) and contain no NUL byte;
//   * a field that is empty or `NA` (after trimming spaces) is missing;
//   * a column is numeric when its first non-missing value is a finite number and so are all the
//     others; when a later value is not a number the column is read again as categorical.
//
// Cost: one pass over the bytes, a window at a time (a file's windows read by pread into a reused
// buffer: no page faults on its mapping; docs/performance.md); only requested fields are converted.
// A second pass happens only for a column that starts numeric and turns out to be categorical.
#include "hazard/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "hazard/error.hpp"
#include "hazard/read.hpp"
#include "io/number.hpp"
#include "io/text.hpp"
#include "util/huge_pages.hpp"

namespace hazard {
namespace detail {

/// Reserves room for `n` elements as a hint only: when the allocation fails the vector simply
/// grows as needed. Returns whether the room was reserved.
template <class T>
bool reserve_hint(std::vector<T>& v, std::size_t n) {
  try {
    v.reserve(n);
    advise_huge_pages(v.data(), v.capacity() * sizeof(T));
    return true;
  } catch (const std::bad_alloc&) {
    return false;
  }
}

/// Collects the values of one requested column.
struct Collector {
  enum class Mode { undecided, numeric, categorical, failed };
  Mode mode = Mode::undecided;
  bool force_categorical = false;
  std::vector<double> numbers;
  std::vector<std::int32_t> codes;
  std::vector<std::string> first_seen;  // levels in order of first appearance
  std::unordered_map<std::string, std::int32_t, SvHash, std::equal_to<>> index;
  std::int32_t last = -1;  // the level of the previous value (add_level)
  std::size_t expect = 0;  // rows expected (capacity reserved up front; growth still works)

  void reserve(std::size_t rows) { expect = reserve_hint(numbers, rows) ? rows : 0; }

  /// Empty, as new, but keeping the room of its vectors (a parse thread's next chunk reuses it).
  void reset() {
    mode = Mode::undecided;
    force_categorical = false;
    numbers.clear();
    codes.clear();
    first_seen.clear();
    index.clear();
    last = -1;
  }

  /// Adds a field's value. The usual cases inline: a plain decimal in a numeric column; in a
  /// categorical one the previous row's level (a column of a few levels often repeats it) and,
  /// with at most four levels, the others (an arm column of randomized rows changes level at
  /// random): compared by length, then bytes, before any hashing (neither is a missing value: a
  /// level never is); everything else goes to add_general.
  [[gnu::always_inline]] void add(std::string_view field) {
    if (mode == Mode::numeric) {
      double x;
      if (!field.empty() && parse_plain_decimal(field.data(), field.data() + field.size(), x)) {
        numbers.push_back(x);
        return;
      }
    } else if (mode == Mode::categorical && last >= 0) {
      auto same = [&](const std::string& level) {
        return level.size() == field.size() &&
               std::memcmp(level.data(), field.data(), field.size()) == 0;
      };
      if (same(first_seen[static_cast<std::size_t>(last)])) {
        codes.push_back(last);
        return;
      }
      if (first_seen.size() <= 4) {
        for (std::size_t l = 0; l < first_seen.size(); ++l)
          if (same(first_seen[l])) {
            last = static_cast<std::int32_t>(l);
            codes.push_back(last);
            return;
          }
      }
    }
    add_general(field);
  }

  [[gnu::noinline]] void add_general(std::string_view field) {
    if (mode == Mode::failed) return;
    if (is_missing_text(field)) {
      if (mode == Mode::categorical) {
        codes.push_back(-1);
      } else {
        numbers.push_back(std::numeric_limits<double>::quiet_NaN());
      }
      return;
    }
    if (mode == Mode::undecided) {
      double x;
      if (!force_categorical && parse_number(field, x)) {
        mode = Mode::numeric;
        numbers.push_back(x);
        return;
      }
      // The first value is not a number: categorical from the start; earlier rows were missing.
      become_categorical(expect);
      add_level(field);
      return;
    }
    if (mode == Mode::numeric) {
      double x;
      if (parse_number(field, x)) {
        numbers.push_back(x);
      } else {
        mode = Mode::failed;  // read again as categorical in a second pass
        numbers.clear();
        numbers.shrink_to_fit();
      }
      return;
    }
    add_level(field);
  }

  /// An undecided column (every value so far missing, kept as NaN) turned categorical: its rows
  /// become missing codes, with room for `room` rows (and one more).
  void become_categorical(std::size_t room) {
    mode = Mode::categorical;
    reserve_hint(codes, std::max(room, numbers.size() + 1));
    codes.assign(numbers.size(), -1);
    std::vector<double>().swap(numbers);
  }

  // A value that is not the previous row's level (add compares with that first).
  void add_level(std::string_view field) {
    // a few levels: a scan of the lengths and bytes is cheaper than hashing the value
    if (first_seen.size() <= 8) {
      for (std::size_t l = 0; l < first_seen.size(); ++l) {
        const std::string& level = first_seen[l];
        if (level.size() == field.size() && std::memcmp(level.data(), field.data(), field.size()) == 0) {
          last = static_cast<std::int32_t>(l);
          codes.push_back(last);
          return;
        }
      }
    } else if (auto it = index.find(field); it != index.end()) {
      codes.push_back(it->second);
      last = it->second;
      return;
    }
    auto code = static_cast<std::int32_t>(first_seen.size());
    first_seen.emplace_back(field);
    index.emplace(first_seen.back(), code);
    codes.push_back(code);
    last = code;
  }

  Column finish(std::string name) {
    Column col;
    col.name = std::move(name);
    if (mode != Mode::categorical) {
      col.kind = ColumnKind::numeric;
      col.numbers = std::move(numbers);
      return col;
    }
    col.kind = ColumnKind::categorical;
    // Levels in sorted (byte) order, as R's factor() in the C locale.
    std::vector<std::int32_t> order(first_seen.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int32_t>(i);
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
      return first_seen[static_cast<std::size_t>(a)] < first_seen[static_cast<std::size_t>(b)];
    });
    std::vector<std::int32_t> remap(first_seen.size());
    col.levels.reserve(first_seen.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      remap[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
      col.levels.push_back(std::move(first_seen[static_cast<std::size_t>(order[k])]));
    }
    col.codes = std::move(codes);
    for (auto& c : col.codes)
      if (c >= 0) c = remap[static_cast<std::size_t>(c)];
    return col;
  }
};

/// The Tokenizer's error for text that ends inside a quoted field. For the user a DataError like
/// any other; parse_impl tells it apart, as a chunk cut inside a quoted field ends this way.
class UnterminatedQuote : public DataError {
 public:
  using DataError::DataError;
};

/// The bytes of a block of text (at most 64) that are the delimiter, a line feed or a quote: bit
/// i set for byte i.
struct BlockMasks {
  std::uint64_t delim = 0, line_feed = 0, quote = 0;
};

/// BlockMasks of the `len` (<= 64) bytes at `p`. x86-64: SSE2 (part of the base instruction set)
/// compares 16 bytes at a time; a block shorter than 64 bytes is copied into a padded one first
/// and the bits past its end cleared. Elsewhere a byte loop.
inline BlockMasks block_masks(const char* p, std::size_t len, char delim) {
  BlockMasks m;
#if defined(__SSE2__)
  alignas(16) char pad[64];
  if (len < 64) {
    std::memset(pad, 0, sizeof pad);
    std::memcpy(pad, p, len);
    p = pad;
  }
  const __m128i d = _mm_set1_epi8(delim), lf = _mm_set1_epi8('\n'), q = _mm_set1_epi8('"');
  for (int k = 0; k < 4; ++k) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const auto bits = [&](__m128i c) {
      return static_cast<std::uint64_t>(
                 static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, c))))
             << (16 * k);
    };
    m.delim |= bits(d);
    m.line_feed |= bits(lf);
    m.quote |= bits(q);
  }
  if (len < 64) {
    const std::uint64_t in = (std::uint64_t{1} << len) - 1;
    m.delim &= in;
    m.line_feed &= in;
    m.quote &= in;
  }
#else
  for (std::size_t i = 0; i < len; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (p[i] == delim) m.delim |= bit;
    if (p[i] == '\n') m.line_feed |= bit;
    if (p[i] == '"') m.quote |= bit;
  }
#endif
  return m;
}

/// The number of bits set in x. std::popcount would call libgcc where the build has no POPCNT
/// instruction (not in the base x86-64 set): the classic SWAR sum there (Hacker's Delight, 5-1).
inline std::size_t bits_set(std::uint64_t x) {
#if defined(__POPCNT__)
  return static_cast<std::size_t>(std::popcount(x));
#else
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return static_cast<std::size_t>((x * 0x0101010101010101ULL) >> 56);
#endif
}

/// A streaming RFC 4180 tokenizer over a byte range.
class Tokenizer {
 public:
  Tokenizer(std::string_view text, const std::string& source, char delim, std::uint64_t first_line = 1)
      : text_(text), source_(source), delim_(delim), line_(first_line) {}

  /// Header names, so that errors name a field's column (without them: "#3").
  void set_names(const std::vector<std::string>* names) { names_ = names; }
  std::string column_name(std::size_t field) const {
    if (names_ && field < names_->size()) return (*names_)[field];
    return fmt::format("#{}", field + 1);
  }

  /// Fields from index `first` on are not needed: a record whose rest holds exactly the
  /// delimiters of a `ncol`-field record and no quote is skipped to its line end without being
  /// split (any other rest is tokenized as usual, so a malformed record gets the usual error).
  void skip_fields_from(std::size_t first, std::size_t ncol) {
    skip_from_ = first < ncol ? first : static_cast<std::size_t>(-1);
    ncol_ = ncol;
  }

  bool at_end() const { return pos_ >= text_.size(); }
  std::size_t pos() const { return pos_; }
  std::uint64_t line() const { return line_; }

  /// Reads one record, calling sink(field_index, field_text) for every field. Returns the number
  /// of fields, or 0 for a blank line. `record_line` receives the line the record starts on.
  template <class Sink>
  std::size_t record(Sink&& sink, std::uint64_t& record_line) {
    record_line = line_;
    std::size_t field = 0;
    const std::size_t n = text_.size();
    const char* s = text_.data();
    // A blank line (LF or CRLF alone) is skipped.
    if (s[pos_] == '\n' || (s[pos_] == '\r' && pos_ + 1 < n && s[pos_ + 1] == '\n')) {
      pos_ += s[pos_] == '\n' ? 1 : 2;
      ++line_;
      return 0;
    }
    for (;;) {
      std::string_view value;
      if (pos_ < n && s[pos_] == '"') {
        value = quoted_field(field);
      } else {
        const std::size_t b = pos_;
        pos_ = field_end(s, b, n);
        std::size_t e = pos_;
        if (e > b && s[e - 1] == '\r' && (pos_ >= n || s[pos_] == '\n')) --e;  // CRLF line end
        value = text_.substr(b, e - b);
      }
      sink(field, value);
      ++field;
      if (pos_ >= n) return field;
      if (s[pos_] == delim_) {
        if (field == skip_from_ && skip_rest(s, n)) return ncol_;
        ++pos_;
        continue;
      }
      // s[pos_] == '\n'
      ++pos_;
      ++line_;
      return field;
    }
  }

  /// Reads records from pos_ as record() would, faster, while they hold no quote: the text is
  /// scanned 64 bytes at a time into bit masks of its delimiters, line feeds and quotes (SSE2
  /// compares and movemask; a portable loop elsewhere), and the fields are the spans between set
  /// bits. A record is taken only once its line feed is found and it holds exactly the `ncol` of
  /// skip_fields_from: then sink(i, field_text) is called for its fields fields[i] (increasing),
  /// in order, and on_record(record_line). A '\r' just before the line feed is not part of the last
  /// field, and a line of nothing (LF or CRLF alone) is skipped, as in record(). Stops, pos_ at a
  /// record start and nothing of that record given to sink, at a record that is not taken (another
  /// number of fields, or no line feed before the end of the text: record() reads it and makes its
  /// error) or at a block holding a quote; returns false in the last case (record() reads quoted
  /// fields).
  template <class Sink, class OnRecord>
  bool quote_free_records(std::span<const std::size_t> fields, Sink&& sink, OnRecord&& on_record) {
    const std::size_t needed = fields.empty() ? 0 : fields.back() + 1;
    const char* s = text_.data();
    const std::size_t n = text_.size();
    if (field_start_.size() < 2 * needed) field_start_.resize(2 * needed);
    std::size_t* const span = field_start_.data();  // field f: [span[2f], span[2f + 1])
    std::size_t rec = pos_, start = pos_, f = 0;
    for (std::size_t b = pos_; b < n; b += 64) {
      const BlockMasks m = block_masks(s + b, std::min<std::size_t>(64, n - b), delim_);
      if (m.quote) {
        pos_ = rec;
        return false;
      }
      for (std::uint64_t ends = m.delim | m.line_feed; ends;) {
        if (f >= needed) {
          // the record's needed fields are read: its other delimiters before the line feed (in
          // this block) are only counted
          const std::uint64_t feeds = ends & m.line_feed;
          const std::uint64_t below = feeds ? (feeds & (0 - feeds)) - 1 : ~std::uint64_t{0};
          const std::uint64_t counted = ends & below;  // (delimiters only)
          if (counted) {
            f += bits_set(counted);
            if (f >= ncol_) {  // too many fields
              pos_ = rec;
              return true;
            }
            ends &= ~below;
            if (!ends) break;
          }
        }
        const std::size_t bit = static_cast<std::size_t>(std::countr_zero(ends));
        const std::size_t p = b + bit;
        ends &= ends - 1;
        if (!((m.line_feed >> bit) & 1)) {  // a delimiter
          if (f < needed) {
            span[2 * f] = start;
            span[2 * f + 1] = p;
          }
          start = p + 1;
          if (++f == ncol_) {  // too many fields
            pos_ = rec;
            return true;
          }
          continue;
        }
        std::size_t e = p;
        if (e > start && s[e - 1] == '\r') --e;
        if (f == 0 && e == start) {  // a blank line
          ++line_;
          rec = start = p + 1;
          continue;
        }
        if (f + 1 != ncol_) {
          pos_ = rec;
          return true;
        }
        if (f < needed) {
          span[2 * f] = start;
          span[2 * f + 1] = e;
        }
        for (std::size_t i = 0; i < fields.size(); ++i) {
          const std::size_t* const at = span + 2 * fields[i];
          sink(i, std::string_view(s + at[0], at[1] - at[0]));  // (within the text: no check)
        }
        on_record(line_);
        ++line_;
        f = 0;
        rec = start = p + 1;
      }
    }
    pos_ = rec;
    return true;
  }

 private:
  // With pos_ at the delimiter that ends field skip_from_ - 1: when the bytes up to the next line
  // feed (or the end) hold exactly ncol_ - skip_from_ delimiters and no quote, moves past that
  // line feed and returns true; otherwise leaves pos_ alone and returns false. Eight bytes per
  // step: exact per-byte equality masks (no borrow between bytes: (w & 0x7f..) + 0x7f.. sets the
  // high bit of every byte with a non-zero low part, | w adds those with the high bit), popcount
  // for the delimiters (a multiply adds the 0/1 bytes into the top byte: no popcnt instruction in
  // the portable build), the line feed's byte ends the scan.
  bool skip_rest(const char* s, std::size_t n) {
    const std::size_t want = ncol_ - skip_from_;
    std::size_t p = pos_, delims = 0;
    std::size_t stop = n;
    if constexpr (std::endian::native == std::endian::little) {
      constexpr std::uint64_t ones = 0x0101010101010101ULL, low7 = 0x7f7f7f7f7f7f7f7fULL,
                              high = 0x8080808080808080ULL;
      auto eq = [&](std::uint64_t w, std::uint64_t pattern) {
        const std::uint64_t x = w ^ pattern;
        return ~(((x & low7) + low7) | x) & high;  // 0x80 in each byte equal to the pattern's
      };
      const std::uint64_t dmask = ones * static_cast<unsigned char>(delim_);
      const std::uint64_t nmask = ones * static_cast<unsigned char>('\n');
      const std::uint64_t qmask = ones * static_cast<unsigned char>('"');
      for (; p + 8 <= n; p += 8) {
        std::uint64_t w;
        std::memcpy(&w, s + p, 8);
        std::uint64_t d = eq(w, dmask), q = eq(w, qmask);
        const std::uint64_t nl = eq(w, nmask);
        if (nl) {
          const std::uint64_t before = (nl & (0 - nl)) - 1;  // the bytes below the first line feed
          d &= before;
          q &= before;
          if (q) return false;
          delims += count_flags(d);
          stop = p + static_cast<std::size_t>(std::countr_zero(nl) >> 3);
          break;
        }
        if (q) return false;
        delims += count_flags(d);
        if (delims > want) return false;
      }
    }
    if (stop == n) {
      for (; p < n && s[p] != '\n'; ++p) {
        if (s[p] == '"') return false;
        delims += s[p] == delim_;
      }
      stop = p;
    }
    if (delims != want) return false;
    if (stop < n) {
      pos_ = stop + 1;
      ++line_;
    } else {
      pos_ = n;
    }
    return true;
  }

  // The number of bytes flagged 0x80 in w (no other bit set).
  static std::size_t count_flags(std::uint64_t w) {
    return static_cast<std::size_t>(((w >> 7) * 0x0101010101010101ULL) >> 56);
  }

  // The first position at or after p holding the delimiter or a line feed (n if none). Eight
  // bytes per step (SWAR: a byte equal to c gives a zero byte in w ^ c; the lowest flagged byte of
  // (v - 0x01..) & ~v & 0x80.. is exactly the first zero byte), then byte by byte at the end.
  std::size_t field_end(const char* s, std::size_t p, std::size_t n) const {
    if constexpr (std::endian::native == std::endian::little) {
      constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
      const std::uint64_t dmask = ones * static_cast<unsigned char>(delim_);
      const std::uint64_t nmask = ones * static_cast<unsigned char>('\n');
      for (; p + 8 <= n; p += 8) {
        std::uint64_t w;
        std::memcpy(&w, s + p, 8);
        const std::uint64_t x = w ^ dmask, y = w ^ nmask;
        const std::uint64_t m = ((x - ones) & ~x & high) | ((y - ones) & ~y & high);
        if (m) return p + static_cast<std::size_t>(std::countr_zero(m) >> 3);
      }
    }
    while (p < n && s[p] != delim_ && s[p] != '\n') ++p;
    return p;
  }

  std::string_view quoted_field(std::size_t field) {
    const std::size_t n = text_.size();
    const char* s = text_.data();
    const std::uint64_t open_line = line_;
    std::size_t b = ++pos_;
    bool escaped = false;
    for (;;) {
      const void* q = std::memchr(s + pos_, '"', n - pos_);
      if (!q) {
        // The value shown is the field from its opening quote to the end of that line.
        std::string_view rest = text_.substr(b - 1);
        rest = rest.substr(0, std::min(rest.find('\n'), std::size_t{60}));
        if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
        throw UnterminatedQuote(
            {.file = source_,
             .line = open_line,
             .column = column_name(field),
             .value = std::string(rest),
             .has_value = true},
            "unterminated quoted field (a '\"' opened here is never closed: a truncated file?)");
      }
      std::size_t qpos = static_cast<std::size_t>(static_cast<const char*>(q) - s);
      line_ += static_cast<std::uint64_t>(std::count(s + pos_, s + qpos, '\n'));
      if (qpos + 1 < n && s[qpos + 1] == '"') {
        escaped = true;
        pos_ = qpos + 2;
        continue;
      }
      std::size_t e = qpos;
      pos_ = qpos + 1;
      // After the closing quote: a delimiter, a line end or the end of the file.
      if (pos_ < n && s[pos_] == '\r' && pos_ + 1 < n && s[pos_ + 1] == '\n') ++pos_;
      if (pos_ < n && s[pos_] != delim_ && s[pos_] != '\n') {
        throw DataError({.file = source_, .line = line_, .column = column_name(field),
                         .value = std::string(text_.substr(b - 1, std::min<std::size_t>(pos_ - b + 2, 60))),
                         .has_value = true},
                        "unexpected character after a closing quote");
      }
      if (!escaped) return text_.substr(b, e - b);
      scratch_.clear();
      for (std::size_t i = b; i < e; ++i) {
        scratch_.push_back(s[i]);
        if (s[i] == '"') ++i;  // a doubled quote stands for one
      }
      return scratch_;
    }
  }

  std::string_view text_;
  const std::string& source_;
  char delim_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
  std::string scratch_;
  const std::vector<std::string>* names_ = nullptr;
  std::size_t skip_from_ = static_cast<std::size_t>(-1);  // skip_fields_from
  std::size_t ncol_ = 0;
  std::vector<std::size_t> field_start_;  // quote_free_records: the fields of the record read
};

/// Record boundaries of CSV text for cutting it into chunks, found by the Tokenizer's reading of
/// quotes: a '"' opens a quoted field only at the start of a field (at the start of the text or
/// after the delimiter or a line feed); inside a quoted field '""' is a quote and a lone '"' closes
/// it; any other '"' (inside an unquoted field, e.g. `5"`) is a plain character. A line feed outside
/// a quoted field ends a record. Counting every quote instead would take `ab"c` for an opening
/// quote and cut inside a later quoted multi-line field.
///
/// Cost: one forward pass over the quotes and line feeds (memchr); after() is called with
/// increasing targets.
class RecordEnds {
 public:
  RecordEnds(std::string_view text, char delim) : s_(text.data()), n_(text.size()), delim_(delim) {}

  /// The offset just past the first record-ending line feed at or after `target` (n if none).
  std::size_t after(std::size_t target) {
    for (;;) {
      if (pos_ >= n_) return n_;
      if (quoted_) {  // find the closing quote
        const std::size_t q = find('"', pos_, n_);
        if (q == n_) return pos_ = n_;  // unterminated: the rest is one chunk (the tokenizer says so)
        if (q + 1 < n_ && s_[q + 1] == '"') {
          pos_ = q + 2;
          continue;
        }
        quoted_ = false;
        pos_ = q + 1;
        continue;
      }
      if (pos_ < target) {  // only the quotes up to the target matter: skip to the next one
        const std::size_t q = find('"', pos_, target);
        if (q == target) {
          pos_ = target;
          continue;
        }
        quoted_ = opens(q);
        pos_ = q + 1;
        continue;
      }
      // At or past the target, outside quotes: the next line feed ends a record unless a quote
      // that opens a field comes first.
      if (nl_ < pos_ || nl_ == npos) nl_ = find('\n', pos_, n_);
      const std::size_t q = find('"', pos_, nl_);
      if (q == nl_) {
        pos_ = nl_ == n_ ? n_ : nl_ + 1;
        return pos_;
      }
      quoted_ = opens(q);
      pos_ = q + 1;
    }
  }

 private:
  static constexpr std::size_t npos = std::string_view::npos;
  std::size_t find(char c, std::size_t from, std::size_t to) const {
    const void* p = from < to ? std::memchr(s_ + from, c, to - from) : nullptr;
    return p ? static_cast<std::size_t>(static_cast<const char*>(p) - s_) : to;
  }
  bool opens(std::size_t q) const { return q == 0 || s_[q - 1] == delim_ || s_[q - 1] == '\n'; }

  const char* s_;
  std::size_t n_;
  char delim_;
  std::size_t pos_ = 0;     // everything before pos_ has been read
  bool quoted_ = false;     // pos_ is inside a quoted field
  std::size_t nl_ = npos;   // the next line feed at or after pos_ (cache)
};

struct Header {
  std::vector<std::string> names;
  /// name -> index in `names` (the keys view the strings of `names`)
  std::unordered_map<std::string_view, std::size_t> index;

  Header() = default;
  Header(const Header&) = delete;  // `index` views `names`: moving keeps the strings, copying would not
  Header& operator=(const Header&) = delete;
  Header(Header&&) = default;
  Header& operator=(Header&&) = default;
  /// The index of column `name`, or npos.
  std::size_t find(std::string_view name) const {
    auto it = index.find(name);
    return it == index.end() ? std::string_view::npos : it->second;
  }
};

/// The column and the field holding byte `at` (for an error found before the fields are split):
/// the header's name for a body field, "#k" in the header itself; empty when it cannot be told.
std::pair<std::string, std::string> field_at(std::string_view text, std::size_t at, const std::string& source,
                                             char delim) {
  std::vector<std::string> names;
  std::string column, value;
  try {
    Tokenizer tok(text, source, delim);
    std::uint64_t rec_line = 0;
    bool header = true, found = false;
    while (!found && !tok.at_end() && tok.pos() <= at) {
      std::size_t nf = tok.record(
          [&](std::size_t f, std::string_view v) {
            if (header) names.emplace_back(v);
            if (found || tok.pos() <= at) return;
            found = true;
            column = header || f >= names.size() ? fmt::format("#{}", f + 1) : names[f];
            value = escape_invalid_utf8(v);
          },
          rec_line);
      if (nf > 0) header = false;
    }
  } catch (const DataError&) {
  }
  return {column, value};
}

void check_utf8(std::string_view text, std::size_t from, std::size_t to, const std::string& source,
                char delim) {
  std::size_t bad = find_invalid_utf8(text.substr(from, to - from));
  if (bad == std::string_view::npos) return;
  bad += from;
  auto line = 1 + static_cast<std::uint64_t>(std::count(
                      text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
  auto [column, value] = field_at(text, bad, source, delim);
  if (value.empty()) value = fmt::format("\\x{:02X}", static_cast<unsigned char>(text[bad]));
  throw DataError(
      {.file = source, .line = line, .column = column, .value = value, .has_value = true},
      text[bad] == '\0' ? "the file is not text (it contains a NUL byte)"
                        : "the file is not UTF-8 text (invalid byte; for a Latin-1 file "
                          "give --encoding latin1)");
}

Header read_header(std::string_view text, const std::string& source, char delim) {
  text = strip_bom(text);
  reject_wide_encoding(text, source);
  // The first MB (and the header record) here; the body is checked chunk by chunk, on the threads
  // that parse it (parse_impl).
  const std::size_t head = std::min<std::size_t>(text.size(), std::size_t{1} << 20);
  check_utf8(text, 0, head, source, delim);
  Tokenizer tok(text, source, delim);
  Header h;
  std::uint64_t rec_line = 0;
  std::size_t nf = 0;
  while (!tok.at_end() && nf == 0) {
    nf = tok.record([&](std::size_t, std::string_view v) { h.names.emplace_back(v); }, rec_line);
  }
  if (tok.pos() > head) check_utf8(text, head, tok.pos(), source, delim);
  if (nf == 0) throw DataError({.file = source}, "the file is empty: no header row");
  // Names -> column index in one hash table: linear in the header (a 10^6-column header is read
  // in well under a second; the pairwise check it replaces took 17 minutes).
  h.index.reserve(h.names.size());
  for (std::size_t i = 0; i < h.names.size(); ++i) {
    auto [it, fresh] = h.index.try_emplace(h.names[i], i);
    if (!fresh) {
      throw DataError({.file = source, .line = rec_line, .column = h.names[i], .value = h.names[i],
                       .has_value = true},
                      fmt::format("duplicate column name (columns {} and {})", it->second + 1, i + 1));
    }
  }
  return h;
}

}  // namespace detail

namespace {

using detail::Collector;
using detail::reserve_hint;

/// What one parse of a chunk of the body gave.
struct ChunkResult {
  enum class Failure { none, utf8, data, in_quote, other };
  std::vector<Collector> cols;
  IndexSequence lines;  // the records' lines, counted from the first line it was given
  std::size_t rows = 0;
  std::uint64_t line_feeds = 0;  // the line feeds of the chunk (when it parsed to its end)
  Failure failure = Failure::none;
  std::exception_ptr error;  // the first error met (an invalid UTF-8 byte's before the parse's)
  std::string window;        // the windows read from a mapped file (kept for the next chunk)
};

/// Chunks of the body: chunk j ends at the record end at or after end_target[j] (its offset in
/// the body; the body's size for the last chunk).
struct Cuts {
  std::vector<std::string_view> chunks;
  std::vector<std::size_t> end_target;
};

/// How a body is parsed: cut into `chunks` chunks of whole records, parsed by `workers` threads,
/// each taking the next chunk in turn (BodyParser::parse_in_order).
struct ChunkPlan {
  std::size_t chunks = 1;
  std::size_t workers = 1;
};

/// The plan for a body of `bytes`: options.threads workers (else one per core, up to 16, for 8 MB
/// and more; one below), and chunks of about `chunk_bytes` (detail::csv_chunk_bytes; tests use
/// small ones), at least one per worker. One worker parses the body as one chunk.
ChunkPlan plan_chunks(std::size_t bytes, const CsvOptions& options, std::size_t chunk_bytes) {
  std::size_t workers = options.threads;
  if (!workers)
    workers = bytes < (std::size_t{8} << 20)
                  ? 1
                  : std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), 16);
  if (workers == 1) return {};
  chunk_bytes = std::max<std::size_t>(chunk_bytes, 1);
  return {.chunks = std::max(workers, bytes / chunk_bytes + (bytes % chunk_bytes != 0)),
          .workers = workers};
}

/// Cuts `text` into `parts` chunks, cut k at end(target_k, begin), target_k = size / parts * k,
/// `begin` the previous cut; skips what would be empty.
template <class End>
Cuts cut_body(std::string_view text, std::size_t parts, End end) {
  Cuts cuts;
  std::size_t begin = 0;
  for (std::size_t k = 1; k <= parts; ++k) {
    const std::size_t target = k == parts ? text.size() : text.size() / parts * k;
    const std::size_t cut = k == parts ? text.size() : end(target, begin);
    if (cut <= begin) continue;
    cuts.chunks.push_back(text.substr(begin, cut - begin));
    cuts.end_target.push_back(target);
    begin = cut;
    if (begin >= text.size()) break;
  }
  return cuts;
}

/// Speculative cuts, O(1) each: cut k is just past the first line feed at or after target_k (or
/// after the previous cut), found by memchr from there, whatever the quotes before it. When that
/// line feed ends a record (it is not inside a quoted field), this is exactly the exact cut below;
/// parse_impl checks it after the parse: a chunk that starts at a record end and whose parse does
/// not end inside a quoted field ends at a record end.
/// For a mapped file (`mapping`), the bytes searched are read from the file (MappedFile::read), 4
/// kB at a time: a first touch of the mapping would map a whole block of the page cache around each
/// cut into the process (counted in its resident memory).
Cuts cut_speculatively(std::string_view text, std::size_t parts,
                       const detail::MappedFile* mapping) {
  std::string buffer;
  return cut_body(text, parts, [&](std::size_t target, std::size_t begin) {
    constexpr std::size_t step = 4096;
    for (std::size_t from = std::max(target, begin); from < text.size(); from += step) {
      const std::string_view part = text.substr(from, step);
      const std::string_view bytes = mapping ? mapping->read(part, buffer) : part;
      const void* nl = std::memchr(bytes.data(), '\n', bytes.size());
      if (nl)
        return from + static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data()) + 1;
    }
    return text.size();
  });
}

/// Exact cuts, serial: cut k is just past the first record-ending line feed at or after target_k
/// (RecordEnds reads the quotes from the start of the body up to each cut).
Cuts cut_exactly(std::string_view text, std::size_t parts, char delim) {
  detail::RecordEnds ends(text, delim);
  return cut_body(text, parts, [&](std::size_t target, std::size_t) { return ends.after(target); });
}

/// Parses the body (the records after the header), or chunks of it, into the requested columns.
class BodyParser {
 public:
  struct Setup {
    // the text with the header, for the UTF-8 check's positions and messages
    std::string_view whole;
    std::string_view body;
    const std::string& source;
    const CsvOptions& options;
    const detail::Header& header;
    const std::vector<int>& slot;  // header index -> collector index (-1: not read)
    std::size_t n_cols;            // collectors
    const detail::MappedFile* mapping;
    std::size_t window;  // bytes parsed at a time (window())
    bool quote_free_path = true;  // records without quotes read by Tokenizer::quote_free_records
  };

  explicit BodyParser(const Setup& s) : s_(s), ncol_(s.header.names.size()) {
    // Rows expected in a piece of the body, from the mean record length of its first 64 kB.
    sample_bytes_ = std::min<std::size_t>(s.body.size(), 1 << 16);
    sample_lines_ =
        static_cast<std::size_t>(std::count(s.body.data(), s.body.data() + sample_bytes_, '\n'));
  }

  std::string_view body() const { return s_.body; }

  /// The rows expected in `bytes` of the body: the collectors reserve that much (times 1.1) up
  /// front, so that they do not grow by copying (a reservation never touched costs no memory).
  std::size_t expect_rows(std::size_t bytes) const {
    const double per_row = static_cast<double>(sample_bytes_) /
                           static_cast<double>(std::max<std::size_t>(sample_lines_, 1));
    const auto est =
        static_cast<std::size_t>(1.1 * static_cast<double>(bytes) / std::max(per_row, 1.0)) + 64;
    return std::min(est,
                    bytes / std::max<std::size_t>(ncol_, 1) + 64);  // a record has >= ncol bytes
  }

  /// Throws a DataError at the first invalid UTF-8 byte of `part` (a piece of the body), with its
  /// line and field in the whole file.
  void check_utf8(std::string_view part) const {
    const auto from = static_cast<std::size_t>(part.data() - s_.whole.data());
    detail::check_utf8(s_.whole, from, from + part.size(), s_.source, s_.options.delimiter);
  }

  struct Pass {
    std::size_t rows = 0;
    std::uint64_t line_feeds = 0;
  };

  /// The UTF-8 check of a chunk, one window at a time just before the window's parse (the bytes
  /// are then in cache for the parse) rather than over the whole chunk before it. The chunk's
  /// verdict is unchanged: when the parse stops early (an error), finish() checks the bytes not yet
  /// reached before the parse's error is taken, so an invalid byte anywhere in the chunk is its
  /// error, as when the whole chunk was checked first.
  class Utf8Checked {
   public:
    Utf8Checked(const BodyParser& parser, std::string_view chunk) : parser_(parser), chunk_(chunk) {}

    /// Checks `bytes`, the chunk's next window: its bytes from `begin` on (a copy read from the
    /// file, or a view).
    void window(std::string_view bytes, std::size_t begin) {
      // an invalid byte: the error is made from the text itself (its line and field)
      if (detail::find_invalid_utf8(bytes) != std::string_view::npos)
        parser_.check_utf8(chunk_.substr(begin, bytes.size()));
      checked_ = begin + bytes.size();
    }

    /// Checks the rest of the chunk.
    void finish() {
      if (checked_ < chunk_.size()) parser_.check_utf8(chunk_.substr(checked_));
      checked_ = chunk_.size();
    }

   private:
    const BodyParser& parser_;
    std::string_view chunk_;
    std::size_t checked_ = 0;
  };

  /// The window of `chunk` from `base` (a record end) that run_pass parses next: whole records of
  /// about Setup::window bytes, or the rest of the chunk at its end. For a mapped file the bytes
  /// are read into `buffer` (MappedFile::read: a buffer reused window after window, no page faults
  /// on the mapping); else a view of the text. The window ends at the first record end in its
  /// second half (RecordEnds reads the quotes as the Tokenizer does; the window starts outside a
  /// quoted field); a record longer than that doubles the window, and past 64 MB the rest of the
  /// chunk is parsed from the mapping itself (its pages released after it).
  std::string_view window(std::string_view chunk, std::size_t base, std::string& buffer) const {
    const std::string_view rest = chunk.substr(base);
    auto bytes = [&](std::string_view part) { return s_.mapping ? s_.mapping->read(part, buffer) : part; };
    constexpr std::size_t max_copied = std::size_t{64} << 20;
    for (std::size_t want = std::max<std::size_t>(s_.window, 2);; want *= 2) {
      if (rest.size() <= want) return bytes(rest);
      if (want > max_copied) return rest;
      const std::string_view w = bytes(rest.substr(0, want));
      detail::RecordEnds ends(w, s_.options.delimiter);
      const std::size_t end = ends.after(want / 2);
      if (end < w.size()) return w.substr(0, end);  // (w.size(): no record end found before it)
    }
  }

  /// Parses `chunk` (whole records; its first line is `first_line`) into `cols` (only the
  /// collectors flagged in `only`, when given) and the records' lines; `expect`: rows to reserve;
  /// `utf8`, when given, checks each window before its parse (the caller finishes it);
  /// `buffer_kept`, when given, holds the windows read from a mapped file (reused from chunk to
  /// chunk). The chunk is parsed window by window (window()).
  Pass run_pass(std::string_view chunk, std::uint64_t first_line, std::vector<Collector>& cols,
                IndexSequence* lines, const std::vector<bool>* only, std::size_t expect,
                Utf8Checked* utf8 = nullptr, std::string* buffer_kept = nullptr) const {
    if (expect) {
      for (std::size_t k = 0; k < cols.size(); ++k)
        if (!only || (*only)[k]) cols[k].reserve(expect);
    }
    const std::string& source = s_.source;
    const std::vector<std::string>& names = s_.header.names;
    const std::size_t ncol = ncol_;
    // the fields converted, and their collectors (for Tokenizer::quote_free_records)
    std::vector<std::size_t> take_field, take_col;
    for (std::size_t f = 0; f < ncol; ++f) {
      const int k = s_.slot[f];
      if (k >= 0 && (!only || (*only)[static_cast<std::size_t>(k)])) {
        take_field.push_back(f);
        take_col.push_back(static_cast<std::size_t>(k));
      }
    }
    // fields from here on are not converted (only counted)
    const std::size_t needed = take_field.empty() ? 0 : take_field.back() + 1;
    std::uint64_t rec_line = 0, line = first_line;
    Pass pass;
    std::string own;  // the windows' bytes read from a mapped file (or the caller's buffer)
    std::string& buffer = buffer_kept ? *buffer_kept : own;
    for (std::size_t base = 0; base < chunk.size();) {
      const std::string_view text = window(chunk, base, buffer);
      if (utf8) utf8->window(text, base);
      detail::Tokenizer tok(text, source, s_.options.delimiter, line);
      tok.set_names(&names);
      tok.skip_fields_from(needed, ncol);
      bool quote_free = s_.quote_free_path;  // until a block with a quote is met
      while (!tok.at_end()) {
        if (quote_free) {
          quote_free = tok.quote_free_records(
              take_field, [&](std::size_t i, std::string_view v) { cols[take_col[i]].add(v); },
              [&](std::uint64_t record_line) {
                if (lines) lines->push_back(record_line);
                ++pass.rows;
              });
          if (tok.at_end()) break;
        }
        const std::size_t rec_begin = tok.pos();
        std::size_t nf = tok.record(
            [&](std::size_t f, std::string_view v) {
              if (f >= ncol) {
                throw DataError({.file = source, .line = rec_line, .column = fmt::format("#{}", f + 1),
                                 .value = std::string(v), .has_value = true},
                                fmt::format("too many fields: the header has {} columns", ncol));
              }
              int k = s_.slot[f];
              if (k >= 0 && (!only || (*only)[static_cast<std::size_t>(k)]))
                cols[static_cast<std::size_t>(k)].add(v);
            },
            rec_line);
        if (nf == 0) continue;  // blank line
        if (nf != ncol) {
          // Names the first column with no field; the value is the record as written.
          std::string_view rec = text.substr(rec_begin, tok.pos() - rec_begin);
          while (!rec.empty() && (rec.back() == '\n' || rec.back() == '\r')) rec.remove_suffix(1);
          throw DataError(
              {.file = source,
               .line = rec_line,
               .column = names[nf],
               .value = std::string(rec),
               .has_value = true},
              fmt::format("wrong number of fields: {} instead of the header's {} (no field for "
                          "column '{}' and after: a truncated record?)",
                          nf, ncol, names[nf]));
        }
        if (lines) lines->push_back(rec_line);
        ++pass.rows;
      }
      if (s_.mapping) s_.mapping->release(text);  // (a window read from the mapping itself)
      line = tok.line();
      base += text.size();
    }
    pass.line_feeds = line - first_line;
    return pass;
  }

  /// Parses `chunks` (chunk c's lines counted from first_line[c]; each checked for invalid UTF-8
  /// first, see parse_one_chunk) on `workers` threads, each taking the next chunk in turn, and
  /// hands each parsed chunk to `give(c, result)` in file order as soon as the chunks before it
  /// are given: on the thread that parsed it or, when a chunk before it is still being parsed, on
  /// the thread that gives that one. `give` runs on one thread at a time; it returns false to
  /// stop (no chunk after it is given). A thread parses at most 2 x workers chunks ahead of the
  /// next one to give; results are reused from chunk to chunk (their vectors keep their room).
  /// Rethrows the first exception `give` threw. With one worker: the calling thread alone.
  template <class Give>
  void parse_in_order(const std::vector<std::string_view>& chunks,
                      const std::vector<std::uint64_t>& first_line, std::size_t workers,
                      Give&& give) const {
    const std::size_t n = chunks.size();
    if (n == 0) return;
    workers = std::clamp<std::size_t>(workers, 1, n);
    const std::size_t ahead = 2 * workers;
    std::mutex m;
    std::condition_variable cv;
    std::size_t next_parse = 0, next_give = 0;  // (under m)
    bool giving = false, stop = false;          // a thread is giving; no more chunks are parsed
    std::exception_ptr fatal;
    std::vector<std::unique_ptr<ChunkResult>> ready(n), spare;  // parsed, not yet given; free
    // Runs on its own thread: nothing may leave it (an exception would terminate the program).
    auto work = [&]() noexcept {
      std::unique_lock lock(m);
      try {
        for (;;) {
          cv.wait(lock, [&] { return stop || next_parse >= n || next_parse < next_give + ahead; });
          if (stop || next_parse >= n) return;
          const std::size_t c = next_parse++;
          std::unique_ptr<ChunkResult> r;
          if (!spare.empty()) {
            r = std::move(spare.back());
            spare.pop_back();
          }
          lock.unlock();
          if (!r) r = std::make_unique<ChunkResult>();
          parse_one_chunk(chunks[c], first_line[c], *r);
          lock.lock();
          ready[c] = std::move(r);
          if (giving) continue;  // that thread gives this chunk when its turn comes
          giving = true;
          while (!stop && next_give < n && ready[next_give]) {
            const std::size_t g = next_give;
            std::unique_ptr<ChunkResult> cur = std::move(ready[g]);
            lock.unlock();
            const bool go_on = give(g, *cur);
            lock.lock();
            spare.push_back(std::move(cur));
            if (!go_on) stop = true;
            ++next_give;
            cv.notify_all();
          }
          giving = false;
        }
      } catch (...) {
        // out of memory for a result or in give: the first such error is thrown after the join
        if (!lock.owns_lock()) lock.lock();
        if (!fatal) fatal = std::current_exception();
        stop = true;
        cv.notify_all();
      }
    };
    std::vector<std::thread> threads;
    try {
      for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
    } catch (...) {
      // A thread could not be started (std::system_error, or std::bad_alloc for its state): the
      // threads started and this one parse every chunk.
    }
    work();
    for (auto& t : threads) t.join();
    if (fatal) std::rethrow_exception(fatal);
  }

  /// Checks (UTF-8) and parses `chunk` into `r` (emptied first, its vectors' room kept), keeping
  /// its error of the file in `r`.
  void parse_one_chunk(std::string_view chunk, std::uint64_t first_line, ChunkResult& r) const {
    r.cols.resize(s_.n_cols);
    for (Collector& c : r.cols) c.reset();
    r.lines.clear();
    r.rows = 0;
    r.line_feeds = 0;
    r.failure = ChunkResult::Failure::none;
    r.error = nullptr;
    Utf8Checked utf8(*this, chunk);
    try {
      const Pass p = run_pass(chunk, first_line, r.cols, &r.lines, nullptr,
                              expect_rows(chunk.size()), &utf8, &r.window);
      r.rows = p.rows;
      r.line_feeds = p.line_feeds;
    } catch (const detail::UnterminatedQuote&) {
      r.failure = ChunkResult::Failure::in_quote;
      r.error = std::current_exception();
    } catch (const DataError&) {
      r.failure = ChunkResult::Failure::data;
      r.error = std::current_exception();
    } catch (...) {
      r.failure = ChunkResult::Failure::other;
      r.error = std::current_exception();
    }
    // The UTF-8 check of the bytes it has not reached (all of them after an error of a window's
    // check: that error is met again), whose error comes before any of the parse.
    try {
      utf8.finish();
    } catch (...) {
      r.failure = ChunkResult::Failure::utf8;
      r.error = std::current_exception();
    }
  }

 private:
  Setup s_;
  std::size_t ncol_;
  std::size_t sample_bytes_ = 0;
  std::size_t sample_lines_ = 0;
};

/// The table's columns and lines, from the parsed chunks appended in file order (append), each
/// chunk's lines made the file's (a chunk parsed from a speculative cut counted its lines from 1).
/// The columns are reserved for the rows expected in the whole body (a reservation never touched
/// costs no memory), so that appending copies each value once; their pages are first written by
/// the thread that appends, which alternates (the two threads share the kernel's page clearing).
/// A column whose chunks disagree (numeric in one, text in another) or that met a non-number after
/// numbers is flagged in `again`, to be read again, whole, as categorical.
class MergedColumns {
 public:
  MergedColumns(std::size_t n_cols, std::size_t expect_rows, std::uint64_t body_line)
      : cols(n_cols), again(n_cols, false), line(body_line), expect_(expect_rows) {}

  std::vector<Collector> cols;
  IndexSequence lines;
  std::size_t rows = 0;
  std::vector<bool> again;
  std::uint64_t line;  // the first line of the next chunk

  /// Appends `r`, a chunk parsed from `first_line` (its lines are shifted from there to `line`);
  /// `whole`: it is the whole body (its vectors are taken, not copied). r's vectors are emptied
  /// (their room kept).
  void append(ChunkResult& r, std::uint64_t first_line, bool whole) {
    const bool take = whole && rows == 0;
    r.lines.shift(line - first_line);
    if (take) {
      lines = std::move(r.lines);
      r.lines.clear();
    } else {
      lines.append(r.lines);
    }
    for (std::size_t k = 0; k < cols.size(); ++k) append_column(k, r.cols[k], take);
    rows += r.rows;
    line += r.line_feeds;
  }

 private:
  std::size_t expect_;

  template <class T>
  void add_all(std::vector<T>& out, const std::vector<T>& in) {
    if (out.capacity() == 0) reserve_hint(out, std::max(expect_, in.size()));
    out.insert(out.end(), in.begin(), in.end());
  }

  void append_column(std::size_t k, Collector& in, bool take) {
    using Mode = Collector::Mode;
    Collector& out = cols[k];
    const bool clash = (out.mode == Mode::numeric && in.mode == Mode::categorical) ||
                       (out.mode == Mode::categorical && in.mode == Mode::numeric);
    if (!again[k] && (in.mode == Mode::failed || clash)) {
      again[k] = true;
      out = Collector{};
      out.force_categorical = true;
    }
    if (again[k]) {
      in.reset();
      return;
    }
    if (take) {
      out = std::move(in);
      in = Collector{};
      return;
    }
    if (in.mode == Mode::categorical) {
      if (out.mode != Mode::categorical) out.become_categorical(expect_);  // all missing so far
      std::vector<std::int32_t>& remap = remap_;
      remap.resize(in.first_seen.size());
      for (std::size_t l = 0; l < in.first_seen.size(); ++l) {
        auto it = out.index.find(in.first_seen[l]);
        if (it == out.index.end()) {
          const auto code = static_cast<std::int32_t>(out.first_seen.size());
          out.first_seen.push_back(in.first_seen[l]);
          it = out.index.emplace(out.first_seen.back(), code).first;
        }
        remap[l] = it->second;
      }
      // copied, then recoded in place while in cache (resize would clear the new memory first)
      const std::size_t at = out.codes.size();
      add_all(out.codes, in.codes);
      for (auto it = out.codes.begin() + static_cast<std::ptrdiff_t>(at); it != out.codes.end();
           ++it)
        *it = *it < 0 ? -1 : remap[static_cast<std::size_t>(*it)];
    } else if (out.mode == Mode::categorical) {  // all missing in this chunk
      out.codes.insert(out.codes.end(), in.numbers.size(), -1);
    } else {  // numbers, or all missing (NaN) in one or both
      if (in.mode == Mode::numeric) out.mode = Mode::numeric;
      add_all(out.numbers, in.numbers);
    }
    in.reset();
  }

  std::vector<std::int32_t> remap_;  // a chunk's level codes -> the table's
};

/// The error of chunk k, the first chunk in file order that failed, parsed from a speculative cut
/// (its first line is `line`): throws it, exactly as the exact cuts would have (see below), or
/// returns false when chunk k, not the last, ended inside a quoted field: the next cut is not a
/// record end, and from there on nothing the parse gave can be used.
///
/// Chunk 0 starts at a record end; a chunk that starts at a record end and parsed to its end, or
/// stopped at an error of the file before its end (not at the end of its text inside a quoted
/// field), ends at a record end or holds the first error. Where the speculative cut after chunk k
/// is a record end it is the exact cut; else the exact chunk k is longer, and its UTF-8 check
/// (which comes before its parse) also covers the bytes up to the exact cut.
bool speculative_chunk_error(std::size_t k, const ChunkResult& r, const Cuts& cuts,
                             std::uint64_t line, const BodyParser& parser, char delim) {
  using Failure = ChunkResult::Failure;
  const bool last = k + 1 == cuts.chunks.size();
  if (r.failure == Failure::in_quote && !last) return false;
  if (r.failure == Failure::utf8 || r.failure == Failure::other) std::rethrow_exception(r.error);
  // An error of the file at its place in chunk k. The exact chunk k may reach past the
  // speculative cut (when that is inside a quoted field): its UTF-8 check comes first.
  const std::string_view body = parser.body();
  const std::string_view chunk = cuts.chunks[k];
  const auto begin = static_cast<std::size_t>(chunk.data() - body.data());
  const std::size_t end = begin + chunk.size();
  if (!last) {
    const std::size_t target = cuts.end_target[k];
    detail::RecordEnds ends(body.substr(begin), delim);
    const std::size_t exact_end = begin + ends.after(target > begin ? target - begin : 0);
    if (exact_end > end) parser.check_utf8(body.substr(end, exact_end - end));
  }
  // Chunk 0 knew its lines; chunk k > 0 is parsed again from its first line, to name it.
  if (k > 0) {
    std::vector<Collector> scratch(r.cols.size());
    parser.run_pass(chunk, line, scratch, nullptr, nullptr, 0);
  }
  std::rethrow_exception(r.error);
}

// `mapping`: the file `text` was read from, when it is a read-only mapping; each chunk's windows
// are then read from the file into a buffer (MappedFile::read) rather than from the mapping.
// `cut_mode`: automatic (the default: see CsvCuts), speculative or exact (tests compare the two);
// `window`: the bytes parsed at a time (BodyParser::window; tests use small ones);
// `quote_free_path`: whether records without quotes are read by Tokenizer::quote_free_records
// (tests compare with record() alone); `chunk_bytes`: see plan_chunks (tests use small ones).
Table parse_impl(std::string_view text, const std::string& source, const CsvOptions& options,
                 const detail::MappedFile* mapping = nullptr,
                 detail::CsvCuts cut_mode = detail::CsvCuts::automatic,
                 std::size_t window = detail::csv_window, bool quote_free_path = true,
                 std::size_t chunk_bytes = detail::csv_chunk_bytes) {
  using namespace detail;
  // Strip a BOM here as well, so that body offsets match read_header's view.
  text = strip_bom(text);
  reject_wide_encoding(text, source);
  // Declared Latin-1: every byte is a character; convert to UTF-8 once, then parse as usual.
  std::string converted;
  if (options.encoding == Encoding::latin1) {
    converted = latin1_to_utf8(text);
    text = converted;
  }
  Header header = read_header(text, source, options.delimiter);
  const std::size_t ncol = header.names.size();

  std::vector<std::string> wanted = options.columns;
  if (wanted.empty() && options.optional_columns.empty()) wanted = header.names;
  for (const auto& name : options.optional_columns)
    if (header.find(name) != std::string_view::npos &&
        std::find(wanted.begin(), wanted.end(), name) == wanted.end())
      wanted.push_back(name);
  std::vector<int> slot(ncol, -1);                    // header index -> collector index
  std::vector<std::size_t> wanted_at(wanted.size());  // collector index -> header index
  for (std::size_t k = 0; k < wanted.size(); ++k) {
    const std::size_t idx = header.find(wanted[k]);
    if (idx == std::string_view::npos)
      throw DataError(
          {.file = source, .line = 1, .column = wanted[k]},
          fmt::format("no such column in the header (columns: {})", name_list(header.names)));
    wanted_at[k] = idx;
    if (slot[idx] >= 0) continue;  // asked twice
    slot[idx] = static_cast<int>(k);
  }

  // The body: everything after the header record.
  const std::string_view whole = text;  // for the UTF-8 check's positions and messages
  std::uint64_t body_line = 1;
  {
    Tokenizer tok(text, source, options.delimiter);
    std::uint64_t rec_line = 0;
    while (!tok.at_end() && tok.record([](std::size_t, std::string_view) {}, rec_line) == 0) {
    }
    body_line = tok.line();
    text.remove_prefix(tok.pos());
  }
  const BodyParser parser({.whole = whole,
                           .body = text,
                           .source = source,
                           .options = options,
                           .header = header,
                           .slot = slot,
                           .n_cols = wanted.size(),
                           .mapping = mapping,
                           .window = window,
                           .quote_free_path = quote_free_path});

  // Large inputs are cut into chunks of whole records (plan_chunks), parsed by two or more
  // threads, each taking the next chunk in turn (each chunk is checked for invalid UTF-8 on its
  // thread, a window at a time: Utf8Checked), and appended in file order as soon as the chunks
  // before them are (parse_in_order, MergedColumns). The cuts are taken at the first line feed
  // after each target, at once; each chunk is checked as it is appended (a chunk that starts at a
  // record end and did not end inside a quoted field ends at one). Only where a cut fell inside a
  // quoted field are the chunks cut again, exactly (RecordEnds reads the quotes as the Tokenizer
  // does), and parsed again.
  const ChunkPlan plan = plan_chunks(text.size(), options, chunk_bytes);
  if (cut_mode == CsvCuts::automatic)
    cut_mode = plan.chunks > 1 &&
                       has_quoted_line_feed(text.substr(0, std::size_t{1} << 16), options.delimiter)
                   ? CsvCuts::exact
                   : CsvCuts::speculative;
  const std::size_t expect = parser.expect_rows(text.size());
  std::optional<MergedColumns> merged;
  bool placed = false;
  if (cut_mode == CsvCuts::speculative) {
    const Cuts cuts = cut_speculatively(text, plan.chunks, mapping);
    // chunk 0's lines counted from the body's first line, the others' from 1 (placed when appended)
    std::vector<std::uint64_t> first_line(cuts.chunks.size(), 1);
    if (!first_line.empty()) first_line[0] = body_line;
    merged.emplace(wanted.size(), expect, body_line);
    placed = true;
    parser.parse_in_order(
        cuts.chunks, first_line, plan.workers, [&](std::size_t k, ChunkResult& r) {
          if (r.failure != ChunkResult::Failure::none) {
            placed = speculative_chunk_error(k, r, cuts, merged->line, parser, options.delimiter);
            return false;  // (when it did not throw: a cut inside a quoted field)
          }
          merged->append(r, first_line[k], cuts.chunks.size() == 1);
          return true;
        });
  }
  if (!placed) {
    const Cuts cuts = cut_exactly(text, plan.chunks, options.delimiter);
    std::vector<std::uint64_t> first_line;
    std::uint64_t line = body_line;
    for (const auto& chunk : cuts.chunks) {
      first_line.push_back(line);
      line += static_cast<std::uint64_t>(std::count(chunk.begin(), chunk.end(), '\n'));
    }
    merged.emplace(wanted.size(), expect, body_line);
    parser.parse_in_order(cuts.chunks, first_line, plan.workers,
                          [&](std::size_t k, ChunkResult& r) {
                            if (r.error)
                              std::rethrow_exception(r.error);  // the first error in file order
                            merged->append(r, first_line[k], cuts.chunks.size() == 1);
                            return true;
                          });
  }

  Table table;
  table.source = source;
  table.n_rows = merged->rows;
  // (one record per line, no blank line: the line numbers stay implicit, IndexSequence)
  table.line = std::move(merged->lines);
  std::vector<Collector>& cols = merged->cols;
  const std::vector<bool>& again = merged->again;
  if (std::find(again.begin(), again.end(), true) != again.end())
    parser.run_pass(text, body_line, cols, nullptr, &again, 0);

  // Columns requested more than once share the first collector.
  for (std::size_t k = 0; k < wanted.size(); ++k) {
    auto first = static_cast<std::size_t>(slot[wanted_at[k]]);
    if (first == k) {
      table.columns.push_back(cols[k].finish(wanted[k]));
      // An all-missing column: numeric, all NaN, one per row.
      if (table.columns.back().size() != table.n_rows && table.columns.back().is_numeric())
        table.columns.back().numbers.assign(table.n_rows, std::numeric_limits<double>::quiet_NaN());
    } else {
      Column copy = table.columns[first];
      table.columns.push_back(std::move(copy));
    }
  }
  return table;
}

}  // namespace

Table parse_csv(std::string_view text, const std::string& source, const CsvOptions& options) {
  return detail::guard_memory([&] { return parse_impl(text, source, options); }, source, text.size(), "CSV");
}

Table read_csv(const std::string& path, const CsvOptions& options) {
  detail::MappedFile file(path);
  return detail::read_csv_mapped(file, input_name(path), options);
}

namespace detail {
bool has_quoted_line_feed(std::string_view sample, char delim) {
  if (sample.find('"') == std::string_view::npos) return false;
  // every line feed is a record end unless it is inside a quoted field
  RecordEnds ends(sample, delim);
  std::size_t record_ends = 0, pos = 0;
  while (pos < sample.size()) {
    const std::size_t e = ends.after(pos);
    if (e == 0 || sample[e - 1] != '\n') break;  // the rest holds no record-ending line feed
    ++record_ends;
    pos = e;
  }
  return record_ends < static_cast<std::size_t>(std::count(sample.begin(), sample.end(), '\n'));
}

Table parse_csv_cuts(std::string_view text, const std::string& source, const CsvOptions& options,
                     CsvCuts cuts, std::size_t window, bool quote_free_path,
                     std::size_t chunk_bytes) {
  return guard_memory(
      [&] {
        return parse_impl(text, source, options, nullptr, cuts, window, quote_free_path,
                          chunk_bytes);
      },
      source, text.size(), "CSV");
}

Table read_csv_mapped(const MappedFile& file, const std::string& source, const CsvOptions& options,
                      std::size_t window) {
  return guard_memory(
      [&] { return parse_impl(file.view(), source, options, &file, CsvCuts::automatic, window); },
      source, file.view().size(), "CSV");
}
}  // namespace detail

std::vector<std::string> csv_header(const std::string& path) {
  detail::MappedFile file(path);
  return detail::read_header(file.view(), input_name(path), ',').names;
}

}  // namespace hazard
