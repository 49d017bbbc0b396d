// Numbers in the commands' text tables (not JSON): shared so that every command writes a missing
// value, an infinity and a small p-value the same way.
#pragma once

#include <cmath>
#include <string>

#include <fmt/format.h>

namespace hazard::cli {

/// Fixed notation with `digits` decimals; "-" for a value that is not available (NaN), "inf" /
/// "-inf" for infinities (the design and simulation tables).
inline std::string fixed_or_dash(double x, int digits = 4) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.{}f}", x, digits);
}

/// `digits` significant digits as R prints them; "NA", "Inf", "-Inf" (the model tables).
inline std::string general_or_na(double x, int digits = 4) {
  if (std::isnan(x)) return "NA";
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  return fmt::format("{:.{}g}", x, digits);
}

/// A p-value as R's printCoefmat: 3 significant digits, "<2e-16" below 2e-16, "NA".
inline std::string p_value_text(double p) {
  if (std::isnan(p)) return "NA";
  if (p < 2e-16) return "<2e-16";
  return fmt::format("{:.3g}", p);
}

}  // namespace hazard::cli
