// Messages for command lines that CLI11 cannot parse: an unknown or misplaced flag is named, with
// the nearest valid flag of the command (edit distance) or the commands that do have it.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace hazard::cli {

/// The message for a command line that failed to parse, e.g.
///   "km: unknown flag --no-timefx; did you mean --no-timefix?"
///   "km: --ties is not a flag of km (it is a flag of cox, report)"
///   "--json goes after the command: hazard km ... --json"
///   "unknown command 'kmm'; did you mean km?"
/// or "" when the command line has no unknown or misplaced flag (CLI11's own message then).
std::string explain_parse_error(CLI::App& app, int argc, const char* const* argv);

/// Optimal-string-alignment edit distance (insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost 1).
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace hazard::cli
