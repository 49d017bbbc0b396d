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

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
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

/// The value of eight ASCII digits loaded little-endian (the first digit in the lowest byte), by
/// three multiply-adds on the packed bytes (Lemire's SWAR form, as fast_float's
/// parse_eight_digits_unrolled).
inline std::uint64_t eight_digits(std::uint64_t v) {
  v -= 0x3030303030303030ULL;
  v = (v * 10) + (v >> 8);
  v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
       (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
      32;
  return static_cast<std::uint32_t>(v);
}

/// Whether the eight bytes of v are all ASCII digits.
inline bool all_digits(std::uint64_t v) {
  return ((v & 0xF0F0F0F0F0F0F0F0ULL) |
          (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) == 0x3333333333333333ULL;
}

/// Clinger's exact fast path (W. D. Clinger 1990, "How to read floating point numbers
/// accurately", PLDI; the first step of fast_float too) for the usual field of a data file: an
/// optional '-', digits, optionally '.' and digits, nothing else. With the digits read as an
/// integer m < 2^53 and k <= 22 digits after the point, m and 10^k are exact doubles and m / 10^k
/// is one correctly rounded division: the double nearest the decimal value, the same bits as
/// fast_float (and strtod). Returns false, leaving `out` alone, for anything else (exponents, '+',
/// spaces, "1.", ".5", more digits): the caller then asks fast_float. A fraction of at most 8
/// digits in a field of at least 8 bytes is read in one step: the 8 bytes that end the field
/// (inside it, so never past its end) with the bytes before the fraction set to '0', checked and
/// converted as a word (eight_digits); the usual "-1.903011" costs no loop.
[[gnu::always_inline]] inline bool parse_plain_decimal(const char* p, const char* end,
                                                       double& out) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  static constexpr std::uint64_t kPow10Int[] = {1,      10,      100,      1000,     10000,
                                                100000, 1000000, 10000000, 100000000};
  const char* const field = p;
  const bool negative = p != end && *p == '-';
  p += negative;
  const char* first = p;
  std::uint64_t m = 0;
  while (p != end && static_cast<unsigned>(*p - '0') < 10) m = m * 10 + static_cast<unsigned>(*p++ - '0');
  std::size_t digits = static_cast<std::size_t>(p - first);
  if (digits == 0) return false;
  std::size_t fraction = 0;
  if (p != end && *p == '.') {
    ++p;
    fraction = static_cast<std::size_t>(end - p);  // every byte left must be a digit
    if (fraction == 0) return false;
    // 11 + 8 digits cannot overflow; the word's byte order is little-endian's
    if (std::endian::native == std::endian::little && fraction <= 8 && end - field >= 8 &&
        digits <= 11) {
      std::uint64_t v;
      std::memcpy(&v, end - 8, sizeof v);
      const std::uint64_t keep = ~std::uint64_t{0} << (8 * (8 - fraction));  // the fraction's bytes
      v = (v & keep) | (0x3030303030303030ULL & ~keep);
      if (!all_digits(v)) return false;
      m = m * kPow10Int[fraction] + eight_digits(v);
      p = end;
    } else {
      while (p != end && static_cast<unsigned>(*p - '0') < 10)
        m = m * 10 + static_cast<unsigned>(*p++ - '0');
    }
    digits += fraction;
  }
  // 19 digits cannot overflow 64 bits; m <= 2^53 is an exact double
  if (p != end || digits > 19 || m > (std::uint64_t{1} << 53) || fraction > 22) return false;
  const double v = static_cast<double>(m) / kPow10[fraction];
  out = negative ? -v : v;
  return true;
}

/// parse_number's general path for a non-empty field that is not a plain decimal: spaces, '+',
/// exponents, more digits (fast_float). Kept out of line so that parse_number's fast path has no
/// frame to set up and inlines into the readers' loops (callgrind, 2e5 x 7 numeric columns: the
/// whole read 418 -> 378 M instructions).
[[gnu::noinline]] inline bool parse_number_general(std::string_view s, double& out) {
  const char* p = s.data();
  const char* end = p + s.size();
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

/// A finite number occupying the whole field (see the file comment).
[[gnu::always_inline]] inline bool parse_number(std::string_view s, double& out) {
  if (s.empty()) return false;
  if (parse_plain_decimal(s.data(), s.data() + s.size(), out)) return true;
  return parse_number_general(s, out);
}

}  // namespace hazard::detail
