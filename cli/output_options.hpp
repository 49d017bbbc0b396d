// The flag shared by every command that writes CSV (docs/cli/*.md): --csv-raw.
#pragma once

#include <CLI/CLI.hpp>

namespace hazard::cli {

/// Declares --csv-raw on `cmd`: CSV cells that start with = + - @ tab or CR are written as they
/// are, without the apostrophe that keeps a spreadsheet from running them as formulas (output.hpp).
inline void add_csv_raw_flag(CLI::App* cmd, bool& raw) {
  cmd->add_flag("--csv-raw", raw,
                "Write CSV text cells as they are: no apostrophe before a cell starting with = + - @ "
                "tab or CR (the guard against spreadsheet formula injection; numbers never get one)");
}

}  // namespace hazard::cli
