// Parsing decimal numbers from text fields, shared by every reader and by the role checks.
//
// parse_number accepts what R's type.convert accepts as a finite double in a CSV field: optional
// surrounding spaces/tabs, an optional sign, digits with an optional fraction, an optional
// exponent. `inf`, `nan`, hexadecimal and values that overflow are not finite numbers.
//
// Fast path (Clinger 1990, "How to read floating point numbers accurately"): when the decimal
// significand has at most 19 digits and fits in 2^53, and the decimal exponent is within ±22,
// the value is m * 10^e or m / 10^-e with both operands exact, so one IEEE operation gives the
// correctly rounded result. Everything else goes to std::from_chars (also correctly rounded).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace hazard::detail {

inline std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Empty, blank or `NA`: a missing value.
inline bool is_missing_text(std::string_view s) {
  if (s.empty()) return true;
  if (s.size() == 2 && s[0] == 'N' && s[1] == 'A') return true;
  if (s.front() != ' ' && s.front() != '\t' && s.back() != ' ' && s.back() != '\t') return false;
  s = trim_spaces(s);
  return s.empty() || s == "NA";
}

inline bool parse_number_slow(std::string_view s, double& out) {
  s = trim_spaces(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

/// A finite number occupying the whole field (see the file comment).
inline bool parse_number(std::string_view s, double& out) {
  static constexpr double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* p = s.data();
  const char* end = p + s.size();
  bool neg = false;
  if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
  std::uint64_t m = 0;
  int digits = 0, frac = 0;
  const char* d0 = p;
  while (p < end && static_cast<unsigned>(*p - '0') < 10) {
    m = m * 10 + static_cast<unsigned>(*p++ - '0');
    ++digits;
  }
  bool int_part = p > d0;
  if (p < end && *p == '.') {
    ++p;
    const char* f0 = p;
    while (p < end && static_cast<unsigned>(*p - '0') < 10) {
      m = m * 10 + static_cast<unsigned>(*p++ - '0');
      ++digits;
    }
    frac = static_cast<int>(p - f0);
    if (!int_part && frac == 0) return parse_number_slow(s, out);
  } else if (!int_part) {
    return parse_number_slow(s, out);
  }
  int exp10 = -frac;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool eneg = false;
    if (p < end && (*p == '-' || *p == '+')) eneg = *p++ == '-';
    int e = 0;
    const char* e0 = p;
    while (p < end && static_cast<unsigned>(*p - '0') < 10 && e < 100000) e = e * 10 + (*p++ - '0');
    if (p == e0) return parse_number_slow(s, out);
    exp10 += eneg ? -e : e;
  }
  if (p != end || digits > 19 || m > (std::uint64_t{1} << 53) || exp10 < -22 || exp10 > 22)
    return parse_number_slow(s, out);
  double v = static_cast<double>(m);
  v = exp10 < 0 ? v / pow10[-exp10] : v * pow10[exp10];
  out = neg ? -v : v;
  return true;
}

}  // namespace hazard::detail
