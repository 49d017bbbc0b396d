// Shared reader internals (see text.hpp).
#include "io/text.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "hazard/error.hpp"

namespace hazard::detail {

std::string read_to_end(int fd, const std::string& name) {
  std::string out;
  std::size_t used = 0;
  out.resize(std::size_t{1} << 16);
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    const ssize_t got = ::read(fd, out.data() + used, out.size() - used);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      throw IoError(fmt::format("{}: cannot read: {}", name, std::strerror(errno)));
    }
    used += static_cast<std::size_t>(got);
  }
  out.resize(used);
  out.shrink_to_fit();
  return out;
}

MappedFile::MappedFile(const std::string& path) {
  const bool std_in = path == "-";
  const std::string name = std_in ? "standard input" : path;
  name_ = name;
  // A FIFO's open waits for its writer, as for any reader of a FIFO; then it is read once, to its end.
  fd_ = std_in ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  own_fd_ = !std_in;
  if (fd_ < 0) throw IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  auto fail = [&](const std::string& message) {
    if (own_fd_) ::close(fd_);
    throw IoError(message);
  };
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail(fmt::format("{}: cannot stat: {}", name, std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) fail(fmt::format("{}: is a directory, not a file", name));
  if (!S_ISREG(st.st_mode)) {
    // Standard input, a pipe, a FIFO, a character device: no size, no mapping, one reading.
    try {
      buffer_ = read_to_end(fd_, name);
    } catch (const IoError& e) {
      fail(e.what());
    }
    data_ = buffer_.data();
    size_ = buffer_.size();
    return;
  }
  size_ = static_cast<std::size_t>(st.st_size);
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) {
      const int e = errno;
      if (own_fd_) ::close(fd_);
      if (e == ENOMEM) throw_out_of_memory(name, size_, "data");  // the address space is short (ulimit -v)
      throw IoError(fmt::format("{}: cannot map: {}", name, std::strerror(e)));
    }
    data_ = static_cast<const char*>(p);
    mapped_ = true;
    ::madvise(p, size_, MADV_SEQUENTIAL);
  }
}

void MappedFile::release(std::string_view part) const noexcept {
  if (!mapped_ || !data_ || part.data() < data_ || part.data() + part.size() > data_ + size_) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto b = reinterpret_cast<std::uintptr_t>(part.data());
  const std::uintptr_t first = (b + page - 1) / page * page;
  const std::uintptr_t last = (b + part.size()) / page * page;
  if (last > first) (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

std::string_view MappedFile::read(std::string_view part, std::string& buffer) const {
  if (!mapped_ || part.empty() || part.data() < data_ || part.data() + part.size() > data_ + size_)
    return part;
  if (buffer.size() < part.size()) buffer.resize(part.size());
  const auto offset = static_cast<off_t>(part.data() - data_);
  std::size_t done = 0;
  while (done < part.size()) {
    const ssize_t got = ::pread(fd_, buffer.data() + done, part.size() - done,
                                offset + static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw IoError(fmt::format("{}: cannot read: {}", name_, std::strerror(errno)));
    if (got == 0) throw IoError(fmt::format("{}: the file became shorter while it was read", name_));
    done += static_cast<std::size_t>(got);
  }
  return {buffer.data(), part.size()};
}

MappedFile::~MappedFile() {
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
  if (fd_ >= 0 && own_fd_) ::close(fd_);
}

std::size_t find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  // Fast path: 64 ASCII bytes with no NUL at a time (SSE2: the bytes' high bits of the OR of four
  // 16-byte vectors, and their unsigned minimum compared with 0).
  for (; i + 64 <= n; i += 64) {
    const auto* v = reinterpret_cast<const __m128i*>(p + i);
    const __m128i a = _mm_loadu_si128(v), b = _mm_loadu_si128(v + 1), c = _mm_loadu_si128(v + 2),
                  d = _mm_loadu_si128(v + 3);
    const __m128i high = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
    const __m128i low = _mm_min_epu8(_mm_min_epu8(a, b), _mm_min_epu8(c, d));
    if (_mm_movemask_epi8(_mm_or_si128(high, _mm_cmpeq_epi8(low, _mm_setzero_si128()))) != 0) break;
  }
#endif
  while (i < n) {
    // Fast path: 32, then 8 ASCII bytes with no NUL (a word w has a byte >= 0x80 or a zero byte
    // exactly when (w | ((w - lo) & ~w)) & hi is not 0; four words are tested with one branch).
    constexpr std::uint64_t lo = 0x0101010101010101ULL, hi = 0x8080808080808080ULL;
    if (i + 32 <= n) {
      std::uint64_t w[4];
      std::memcpy(w, p + i, 32);
      std::uint64_t bad = 0;
      for (std::uint64_t x : w) bad |= x | ((x - lo) & ~x);
      if ((bad & hi) == 0) {
        i += 32;
        continue;
      }
    }
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (((w | ((w - lo) & ~w)) & hi) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

const char* wide_encoding(std::string_view s) {
  auto b = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0x100u; };
  if (b(0) == 0xFF && b(1) == 0xFE && b(2) == 0 && b(3) == 0) return "UTF-32LE";
  if (b(0) == 0 && b(1) == 0 && b(2) == 0xFE && b(3) == 0xFF) return "UTF-32BE";
  if (b(0) == 0xFF && b(1) == 0xFE) return "UTF-16LE";
  if (b(0) == 0xFE && b(1) == 0xFF) return "UTF-16BE";
  auto ascii = [&](std::size_t i) { return b(i) >= 0x09 && b(i) < 0x80; };
  if (ascii(0) && b(1) == 0 && ascii(2) && b(3) == 0) return "UTF-16LE";
  if (b(0) == 0 && ascii(1) && b(2) == 0 && ascii(3)) return "UTF-16BE";
  return nullptr;
}

void reject_wide_encoding(std::string_view s, const std::string& source) {
  const char* enc = wide_encoding(s);
  if (!enc) return;
  std::string head;
  for (std::size_t i = 0; i < std::min<std::size_t>(s.size(), 4); ++i)
    head += fmt::format("\\x{:02X}", static_cast<unsigned char>(s[i]));
  throw DataError({.file = source, .line = 1, .value = head, .has_value = true},
                  fmt::format("the file is {} text, not UTF-8 or Latin-1: convert it first, e.g. "
                              "iconv -f {} -t UTF-8",
                              enc, enc));
}

std::string escape_invalid_utf8(std::string_view s) {
  std::string out;
  while (!s.empty()) {
    std::size_t bad = find_invalid_utf8(s);
    if (bad == std::string_view::npos) {
      out += s;
      break;
    }
    out += s.substr(0, bad);
    out += fmt::format("\\x{:02X}", static_cast<unsigned char>(s[bad]));
    s.remove_prefix(bad + 1);
  }
  return out;
}

void throw_out_of_memory(const std::string& source, std::size_t bytes, const char* format) {
  const double mb = static_cast<double>(bytes) / (1 << 20);
  throw ResourceError(fmt::format(
      "{}: reading this {} file ({}) needs more memory than is available (read fewer columns, or use a "
      "machine with more memory)",
      source, format, mb >= 1 ? fmt::format("{:.0f} MB", mb) : fmt::format("{} bytes", bytes)));
}

std::string name_list(const std::vector<std::string>& names) {
  constexpr std::size_t shown = 20;
  std::string list;
  for (std::size_t i = 0; i < names.size() && i < shown; ++i) list += (i ? ", " : "") + names[i];
  if (names.size() > shown) list += fmt::format(", ... ({} columns)", names.size());
  return list;
}

std::string_view strip_bom(std::string_view s) {
  if (s.size() >= 3 && static_cast<unsigned char>(s[0]) == 0xEF && static_cast<unsigned char>(s[1]) == 0xBB &&
      static_cast<unsigned char>(s[2]) == 0xBF)
    s.remove_prefix(3);
  return s;
}

void CategoricalBuilder::reserve(std::size_t n) noexcept {
  try {
    codes_.reserve(n);
  } catch (const std::bad_alloc&) {
  }
}

void CategoricalBuilder::add(std::string_view value) {
  auto it = index_.find(value);
  if (it != index_.end()) {
    codes_.push_back(it->second);
    return;
  }
  auto code = static_cast<std::int32_t>(first_seen_.size());
  first_seen_.emplace_back(value);
  index_.emplace(first_seen_.back(), code);
  codes_.push_back(code);
}

Column CategoricalBuilder::finish(std::string name) {
  Column col;
  col.name = std::move(name);
  col.kind = ColumnKind::categorical;
  std::vector<std::int32_t> order(first_seen_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int32_t>(i);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    return first_seen_[static_cast<std::size_t>(a)] < first_seen_[static_cast<std::size_t>(b)];
  });
  std::vector<std::int32_t> remap(first_seen_.size());
  col.levels.reserve(first_seen_.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    remap[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
    col.levels.push_back(std::move(first_seen_[static_cast<std::size_t>(order[k])]));
  }
  col.codes = std::move(codes_);
  for (auto& c : col.codes)
    if (c >= 0) c = remap[static_cast<std::size_t>(c)];
  index_.clear();
  first_seen_.clear();
  return col;
}

}  // namespace hazard::detail
