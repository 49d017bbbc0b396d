// Messages for command lines that CLI11 cannot parse: an unknown or misplaced flag is named, with
// the nearest valid flag of the command (edit distance) or the commands that do have it.
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace hazard::cli {

/// The message for a command line that failed to parse, e.g.
///   "km: unknown flag --no-timefx; did you mean --no-timefix?"
///   "km: --ties is not a flag of km (it is a flag of cox, report)"
///   "--json goes after the command: hazard km ... --json"
///   "unknown command 'kmm'; did you mean km?"
/// or "" when the command line has no unknown or misplaced flag (CLI11's own message then).
std::string explain_parse_error(CLI::App& app, int argc, const char* const* argv);

/// How many times the long flag `flag` ("--quantiles") was given to `cmd` (std::logic_error for a
/// flag `cmd` does not have). Use this, not App::count(flag), in the commands' callbacks: CLI11
/// looks a flag up in a noexcept function that copies a vector, so running out of memory there
/// terminates the program; here it throws std::bad_alloc, reported as out of memory.
std::size_t times_given(const CLI::App& cmd, std::string_view flag);

/// Optimal-string-alignment edit distance (insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost 1).
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace hazard::cli
