// Parsing decimal numbers from text fields, shared by every reader and by the role checks.
//
// parse_number accepts what R's type.convert accepts as a finite double in a CSV field: optional
// surrounding spaces/tabs, an optional sign, digits with an optional fraction, an optional
// exponent. `inf`, `nan`, hexadecimal and values that overflow are not finite numbers.
//
// The conversion is fast_float's from_chars (Lemire 2021, "Number parsing at a gigabyte per
// second", Software: Practice and Experience 51(8); Debian libfast-float-dev): correctly rounded
// for every input (the Eisel-Lemire fast path, then an exact big-decimal fallback), so a value
// reads as R's strtod reads it, to the last bit. fast_float takes no leading '+' (as
// std::from_chars); it is skipped here, once.
#pragma once

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>

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

/// Clinger's exact fast path (W. D. Clinger 1990, "How to read floating point numbers
/// accurately", PLDI; the first step of fast_float too) for the usual field of a data file: an
/// optional '-', digits, optionally '.' and digits, nothing else. With the digits read as an integer
/// m < 2^53 and k <= 22 digits after the point, m and 10^k are exact doubles and m / 10^k is one
/// correctly rounded division: the double nearest the decimal value, the same bits as fast_float
/// (and strtod). Returns false, leaving `out` alone, for anything else (exponents, '+', spaces,
/// "1.", ".5", more digits): the caller then asks fast_float.
inline bool parse_plain_decimal(const char* p, const char* end, double& out) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const bool negative = p != end && *p == '-';
  p += negative;
  const char* first = p;
  std::uint64_t m = 0;
  while (p != end && static_cast<unsigned>(*p - '0') < 10) m = m * 10 + static_cast<unsigned>(*p++ - '0');
  std::size_t digits = static_cast<std::size_t>(p - first);
  if (digits == 0) return false;
  std::size_t fraction = 0;
  if (p != end && *p == '.') {
    const char* f = ++p;
    while (p != end && static_cast<unsigned>(*p - '0') < 10) m = m * 10 + static_cast<unsigned>(*p++ - '0');
    fraction = static_cast<std::size_t>(p - f);
    if (fraction == 0) return false;
    digits += fraction;
  }
  // 19 digits cannot overflow 64 bits; m <= 2^53 is an exact double
  if (p != end || digits > 19 || m > (std::uint64_t{1} << 53) || fraction > 22) return false;
  const double v = static_cast<double>(m) / kPow10[fraction];
  out = negative ? -v : v;
  return true;
}

/// A finite number occupying the whole field (see the file comment).
inline bool parse_number(std::string_view s, double& out) {
  const char* p = s.data();
  const char* end = p + s.size();
  if (p == end) return false;
  if (parse_plain_decimal(p, end, out)) return true;
  if (*p == ' ' || *p == '\t' || end[-1] == ' ' || end[-1] == '\t') {
    s = trim_spaces(s);
    p = s.data();
    end = p + s.size();
    if (p == end) return false;
  }
  if (*p == '+') {
    ++p;
    if (p == end || *p == '-' || *p == '+') return false;  // "+", "+-1": not numbers
  }
  const auto r = fast_float::from_chars(p, end, out);
  return r.ec == std::errc() && r.ptr == end && std::isfinite(out);
}

}  // namespace hazard::detail
