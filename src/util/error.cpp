#include "hazard/error.hpp"

#include <fmt/format.h>

namespace hazard {

std::string format_location(const Location& where) {
  std::string out = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) {
    if (where.unit.empty()) out += fmt::format(":{}", where.line);
    else out += fmt::format(": {} {}", where.unit, where.line);
  }
  if (!where.column.empty()) out += fmt::format(": column '{}'", where.column);
  if (where.has_value || !where.value.empty()) {
    // Long values are cut so that a binary file does not flood the terminal.
    std::string v = where.value.size() > 80 ? where.value.substr(0, 77) + "..." : where.value;
    out += fmt::format(": value '{}'", v);
  }
  return out;
}

DataError::DataError(Location where, const std::string& message)
    : std::runtime_error(format_location(where) + ": " + message),
      where_(std::move(where)),
      message_(message) {}

}  // namespace hazard
