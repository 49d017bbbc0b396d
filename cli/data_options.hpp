// Flags shared by every analysis command: the input file and the column roles.
// The same flags mean the same thing in every command (docs/cli/data.md).
#pragma once

#include <map>
#include <memory>
#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "hazard/error.hpp"
#include "hazard/read.hpp"
#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard::cli {

/// Inputs that can be read only once (standard input, pipes, FIFOs: hazard::is_stream): their
/// bytes, read on first use and shared by every copy of a DataOptions, so that a command reading
/// its data several times (hazard report: once per cohort) reads a stream once.
struct StreamInputs {
  std::map<std::string, std::shared_ptr<const std::string>> bytes;  ///< by path
};

struct DataOptions {
  std::string data;                     ///< --data FILE
  std::string time;                     ///< --time COL
  std::string event;                    ///< --event COL or COL=VALUE
  std::string cnsr;                     ///< --cnsr COL
  std::string group;                    ///< --group COL
  std::vector<std::string> ref;         ///< --ref LEVEL (the group's) or COL=LEVEL (others)
  std::vector<std::string> strata;      ///< --strata COL[,COL]
  std::vector<std::string> where;       ///< --where COL=VALUE, repeatable
  std::string weights;                  ///< --weights COL
  std::string adsl;                     ///< --adsl FILE: subject-level data joined on STUDYID/USUBJID
  std::string population;               ///< --population FLAG: keep rows where FLAG = "Y"
  std::string time_from;                ///< --time-from DATECOL (with --time-to: derived time)
  std::string time_to;                  ///< --time-to DATECOL
  std::string units;  ///< --units days|weeks|months|years: unit of the time ("" = not stated)
  std::string display_units;            ///< --display-units: convert the time to these units
  std::string encoding = "utf8";        ///< --encoding utf8|latin1 (CSV files, XPORT text)
  std::optional<std::int64_t> max_levels;  ///< --max-levels N: most levels of --group/--strata
  std::shared_ptr<StreamInputs> streams = std::make_shared<StreamInputs>();
};

/// Reads input `path` (--data or --adsl) as read_data does; "-" (standard input), a pipe or a
/// FIFO is read once and kept in o.streams.
Table read_input(const DataOptions& o, const std::string& path, const ReadOptions& ro);

/// The bytes of a stream input (read once, kept in o.streams); nullptr when `path` is a file.
std::shared_ptr<const std::string> stream_bytes(const DataOptions& o, const std::string& path);

/// Runs f(); running out of memory inside becomes a ResourceError whose message, what(), says
/// what was too large (exit 1 with that message, never an abort). `what` is called only then,
/// once f's allocations have been released by the unwinding.
template <class What, class F>
decltype(auto) within_memory(What&& what, F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    throw ResourceError(what());
  }
}

/// A number of bytes for messages: "80 GB", "512 MB".
std::string byte_size(double bytes);

/// Name of the time column derived by --time-from/--time-to: "<TO>-<FROM>".
std::string derived_time_name(const DataOptions& options);

/// The ReadOptions the options describe (--encoding).
ReadOptions read_options(const DataOptions& options, std::vector<std::string> columns);

/// The units of the analysed time: --display-units when given, else --units, else "days" for a
/// time derived from dates, else "" (not stated: outputs say "Time", never assume a unit).
std::string analysis_units(const DataOptions& options);

/// A line for human-readable output saying what unit the times are in and how they were converted,
/// e.g. "times in months (converted from days: 30.4375 days a month)"; "" when not stated.
std::string units_text(const DataOptions& options);

/// Declares --data, --time, --event, --cnsr, --group, --ref, --strata, --where, --weights, --adsl,
/// --population, --time-from, --time-to, --units, --display-units, --encoding, --max-levels on `cmd`.
/// With `group_required`, --group must be given.
void add_data_options(CLI::App* cmd, DataOptions& options, bool group_required = false);

/// The Roles the options describe (throws UsageError for an inconsistent combination).
Roles make_roles(const DataOptions& options);

/// The reference level given for column `column` by --ref COL=LEVEL, else "" (the group's bare
/// --ref LEVEL is returned for the group column).
std::string ref_for(const DataOptions& options, const std::string& column);

/// Reads the file (every column `roles` and `extra_columns` need) and builds the survival data.
/// `table` receives the columns read, for commands that need more than the survival data.
/// Applies, in this order: the ADSL join (--adsl), the time derivation (--time-from/--time-to) or
/// the conversion of the time (and --start) column from --units to --display-units,
/// the population flag (--population, as --where FLAG=Y), build_surv_data, and — for ADaM data
/// (--adsl given, or USUBJID and PARAMCD present) without --start — the check of one row per
/// subject and parameter among the rows kept by --where. The data's warnings (a group without
/// events) are printed on standard error ("hazard: warning: ...").
SurvData load_surv_data(const DataOptions& options, const Roles& roles, Table* table = nullptr,
                        const std::vector<std::string>& extra_columns = {});

/// load_surv_data without its last step: the table (joined, derived, checked) from which
/// build_surv_data(table, roles) gives the survival data (hazard cox: cox_model_data).
Table load_table(const DataOptions& options, const Roles& roles,
                 const std::vector<std::string>& extra_columns = {});

/// Reads any supported input format into a Table with the named columns.
Table read_table(const std::string& path, const std::vector<std::string>& columns);

/// {"count": n, "reasons": {...}}
nlohmann::json exclusions_json(const Exclusions& excluded);

/// A number, or null when it is NaN or infinite (JSON has no NaN).
nlohmann::json num(double x);

/// The text of an exclusion line for human-readable output: "excluded: 3 rows (missing time: 3)".
/// `analysed` replaces the count of the analysed rows (a distributed fit: those of every rank).
std::string exclusions_text(const SurvData& data, std::optional<std::size_t> analysed = std::nullopt);

}  // namespace hazard::cli
