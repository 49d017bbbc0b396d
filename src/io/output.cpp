// Output files written atomically, and the one CSV writer (output.hpp).
//
// OutputFile contract: write() appends to a temporary file in the target's folder; commit()
// closes it (its error checked: a deferred write error, e.g. of a network file system, is reported
// there) and renames it onto the target (rename(2) replaces the target in one step). Special
// targets (standard output, /dev/stdout, /dev/fd/N, /dev/full, a FIFO, a terminal) are written
// directly: they cannot be renamed onto, and replacing /dev/stdout would replace the link itself.
#include "hazard/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <iterator>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <system_error>

#include <fmt/format.h>

#include "hazard/error.hpp"
#include "io/number.hpp"

namespace hazard {

namespace {

namespace fs = std::filesystem;

std::string errno_text(int e) { return std::strerror(e); }

/// The file descriptor a path names when it is one of the process's own: /dev/stdout,
/// /dev/stderr, /dev/fd/N, /proc/self/fd/N; -1 otherwise.
int own_descriptor(const std::string& path) {
  if (path == "/dev/stdout") return STDOUT_FILENO;
  if (path == "/dev/stderr") return STDERR_FILENO;
  for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    const std::string_view p(prefix);
    if (path.size() > p.size() && path.compare(0, p.size(), p) == 0) {
      int fd = 0;
      for (std::size_t i = p.size(); i < path.size(); ++i) {
        if (path[i] < '0' || path[i] > '9' || fd > 100000) return -1;
        fd = fd * 10 + (path[i] - '0');
      }
      return fd;
    }
  }
  return -1;
}

}  // namespace

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw IoError("an output file has an empty name");
  const int own = path_ == "-" ? STDOUT_FILENO : own_descriptor(path_);
  if (own >= 0) {  // standard output or another open descriptor: written as it is
    fd_ = own;
    own_fd_ = false;
    direct_ = true;
    return;
  }
  struct stat st {};
  const bool exists = ::stat(path_.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw IoError(fmt::format("{}: is a directory, not a file", path_));
  if (exists && !S_ISREG(st.st_mode)) {
    // A device (/dev/full, /dev/null, a terminal), a FIFO or a socket: opened as it is, no rename.
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) throw IoError(fmt::format("{}: cannot open for writing: {}", path_, errno_text(errno)));
    direct_ = true;
    return;
  }
  // A regular file (or a new one): a temporary next to the target. A symbolic link is followed,
  // so that its target is replaced and the link stays.
  target_ = path_;
  std::error_code ec;
  if (fs::is_symlink(path_, ec) && fs::exists(path_, ec)) target_ = fs::canonical(path_, ec).string();
  if (ec) target_ = path_;
  const fs::path t(target_);
  const fs::path dir = t.has_parent_path() ? t.parent_path() : fs::path(".");
  std::random_device rd;
  std::mt19937_64 rng((static_cast<std::uint64_t>(rd()) << 32) ^ static_cast<std::uint64_t>(::getpid()) ^
                      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
    temp_ = (dir / fmt::format(".{}.hazard-{:012x}", t.filename().string(), rng() & 0xffffffffffffULL)).string();
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0 && errno != EEXIST)
      throw IoError(fmt::format("{}: cannot write: cannot create a file in {}: {}", path_, dir.string(),
                                errno_text(errno)));
  }
  if (fd_ < 0) throw IoError(fmt::format("{}: cannot write: no free temporary name in {}", path_, dir.string()));
  // Replacing a file keeps its permissions.
  if (exists) (void)::fchmod(fd_, st.st_mode & 07777);
}

OutputFile::OutputFile(OutputFile&& o) noexcept
    : path_(std::move(o.path_)),
      target_(std::move(o.target_)),
      temp_(std::move(o.temp_)),
      fd_(o.fd_),
      direct_(o.direct_),
      own_fd_(o.own_fd_),
      done_(o.done_) {
  o.fd_ = -1;
  o.done_ = true;
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::write(std::string_view bytes) {
  if (done_ || fd_ < 0) throw IoError(fmt::format("{}: written after it was closed", path_));
  // Standard output may hold text printed with stdio: that goes first.
  if (!own_fd_ && fd_ == STDOUT_FILENO) std::fflush(stdout);
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      discard();
      throw IoError(fmt::format("{}: cannot write: {}", path_, errno_text(e)));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void OutputFile::close_checked() {
  if (fd_ < 0 || !own_fd_) {
    fd_ = -1;
    return;
  }
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) {
    const int e = errno;
    if (!temp_.empty()) ::unlink(temp_.c_str());
    done_ = true;
    throw IoError(fmt::format("{}: cannot write (at close): {}", path_, errno_text(e)));
  }
}

void OutputFile::commit() {
  if (done_) throw IoError(fmt::format("{}: committed twice", path_));
  close_checked();
  done_ = true;
  if (direct_) return;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    const int e = errno;
    ::unlink(temp_.c_str());
    throw IoError(fmt::format("{}: cannot write: cannot rename the finished file onto it: {}", path_, errno_text(e)));
  }
}

void OutputFile::discard() noexcept {
  if (done_) return;
  done_ = true;
  if (fd_ >= 0 && own_fd_) ::close(fd_);
  fd_ = -1;
  if (!direct_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void write_file(const std::string& path, std::string_view bytes) {
  OutputFile f(path);
  f.write(bytes);
  f.commit();
}

OutputFile& OutputSet::add(const std::string& path) {
  files_.emplace_back(path);
  return files_.back();
}

void OutputSet::commit() {
  for (OutputFile& f : files_) f.commit();
}

void refuse_overwrite(const std::string& output, const std::vector<std::string>& inputs, const std::string& flag) {
  if (output.empty() || output == "-") return;
  std::error_code ec;
  if (!fs::exists(output, ec)) return;
  for (const std::string& in : inputs) {
    if (in.empty() || in == "-") continue;
    if (fs::exists(in, ec) && fs::equivalent(output, in, ec) && !ec)
      throw UsageError(fmt::format("{} {}: this is the input file {}: writing it would destroy the data being "
                                   "read (give another path)",
                                   flag, output, in));
  }
}

// ---- CSV ----

bool csv_formula_like(std::string_view cell) {
  if (cell.empty()) return false;
  const char c = cell.front();
  if (c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r') return false;
  // A number is not a formula: a sign, digits, fraction, exponent, nothing around it.
  double x = 0;
  const char last = cell.back();
  const bool number = (c == '+' || c == '-') && last != ' ' && last != '\t' && detail::parse_number(cell, x);
  return !number;
}

std::string csv_text(std::string_view cell, const CsvWriteOptions& options) {
  const bool guard = !options.raw && csv_formula_like(cell);
  const bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!guard && !quote) return std::string(cell);
  std::string out;
  out.reserve(cell.size() + 4);
  if (quote) out += '"';
  if (guard) out += '\'';
  for (char ch : cell) {
    if (ch == '"') out += '"';
    out += ch;
  }
  if (quote) out += '"';
  return out;
}

void CsvWriter::sep() {
  if (!row_start_) buf_ += ',';
  row_start_ = false;
}

void CsvWriter::flush_if_full() {
  if (out_ && buf_.size() >= (std::size_t{1} << 20)) {
    out_->write(buf_);
    buf_.clear();
  }
}

CsvWriter& CsvWriter::text(std::string_view cell) {
  sep();
  buf_ += csv_text(cell, options_);
  return *this;
}

CsvWriter& CsvWriter::number(double x) {
  sep();
  if (std::isfinite(x)) fmt::format_to(std::back_inserter(buf_), "{}", x);
  else if (std::isinf(x) && options_.infinity) buf_ += x > 0 ? "Inf" : "-Inf";
  else buf_ += "NA";
  return *this;
}

CsvWriter& CsvWriter::fixed(double x, int decimals) {
  sep();
  if (std::isfinite(x)) fmt::format_to(std::back_inserter(buf_), "{:.{}f}", x, decimals);
  else buf_ += "NA";
  return *this;
}

CsvWriter& CsvWriter::general(double x, int digits) {
  sep();
  if (std::isfinite(x)) fmt::format_to(std::back_inserter(buf_), "{:.{}g}", x, digits);
  else buf_ += "NA";
  return *this;
}

CsvWriter& CsvWriter::integer(std::int64_t x) {
  sep();
  fmt::format_to(std::back_inserter(buf_), "{}", x);
  return *this;
}

CsvWriter& CsvWriter::empty() {
  sep();
  return *this;
}

CsvWriter& CsvWriter::row() {
  buf_ += '\n';
  row_start_ = true;
  flush_if_full();
  return *this;
}

void CsvWriter::finish() {
  if (out_ && !buf_.empty()) {
    out_->write(buf_);
    buf_.clear();
  }
}

}  // namespace hazard
