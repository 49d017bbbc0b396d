#include "hazard/error.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "io/text.hpp"

namespace hazard {

bool is_utf8(std::string_view text) { return detail::find_invalid_utf8(text) == std::string_view::npos; }

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    const auto c = static_cast<unsigned char>(s.front());
    if (c >= 0x20 && c < 0x7F) {  // printable ASCII
      out += s.front();
      s.remove_prefix(1);
      continue;
    }
    if (c < 0x80) {  // C0 controls and DEL
      if (c == '\t') out += "\\t";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else out += fmt::format("\\x{:02X}", c);
      s.remove_prefix(1);
      continue;
    }
    // A multi-byte character: kept when valid UTF-8 (C1 controls U+0080-U+009F escaped), else
    // its first byte is written \xNN and the rest read again.
    const std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    const std::string_view ch = s.substr(0, std::min(len, s.size()));
    if (len > 1 && ch.size() == len && detail::find_invalid_utf8(ch) == std::string_view::npos) {
      if (c == 0xC2 && static_cast<unsigned char>(ch[1]) < 0xA0)
        out += fmt::format("\\u{:04X}", static_cast<unsigned char>(ch[1]));
      else
        out += ch;
      s.remove_prefix(len);
      continue;
    }
    out += fmt::format("\\x{:02X}", c);
    s.remove_prefix(1);
  }
  return out;
}

std::string format_location(const Location& where) {
  std::string out = where.file.empty() ? std::string("<input>") : printable(where.file);
  if (where.line > 0) {
    if (where.unit.empty()) out += fmt::format(":{}", where.line);
    else out += fmt::format(": {} {}", where.unit, where.line);
  }
  if (!where.column.empty()) out += fmt::format(": column '{}'", printable(where.column));
  if (where.has_value || !where.value.empty()) {
    // Long values are cut so that a binary file does not flood the terminal.
    std::string v = printable(where.value);
    if (v.size() > 80) {
      std::size_t cut = 77;
      while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
      v = v.substr(0, cut) + "...";
    }
    out += fmt::format(": value '{}'", v);
  }
  return out;
}

DataError::DataError(Location where, const std::string& message)
    : std::runtime_error(format_location(where) + ": " + message),
      where_(std::move(where)),
      message_(message) {}

}  // namespace hazard
