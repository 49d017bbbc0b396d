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

/// A finite number occupying the whole field (see the file comment).
inline bool parse_number(std::string_view s, double& out) {
  const char* p = s.data();
  const char* end = p + s.size();
  if (p == end) return false;
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
