// What every command's output shares: the --csv-raw flag of the commands that write CSV
// (docs/cli/output.md), and JSON text that cannot fail on bytes that are not UTF-8.
#pragma once

#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace hazard::cli {

/// Declares --csv-raw on `cmd`: CSV cells that start with = + - @ tab or CR are written as they
/// are, without the apostrophe that keeps a spreadsheet from running them as formulas (output.hpp).
inline void add_csv_raw_flag(CLI::App* cmd, bool& raw) {
  cmd->add_flag("--csv-raw", raw,
                "Write CSV text cells as they are: no apostrophe before a cell starting with = + - @ "
                "tab or CR (the guard against spreadsheet formula injection; numbers never get one)");
}

/// The JSON document as printed (indent 2). A string that is not UTF-8 — a file name in Latin-1
/// given by the shell — has its invalid bytes written as U+FFFD instead of stopping the command
/// after part of the output (nlohmann's default throws type_error 316).
inline std::string json_text(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace hazard::cli
