// Reading the inputs of the readout commands (`hazard safety`, `response`, `deterioration`): an
// ADaM analysis data set (ADAE, ADRS, ADQS), optionally joined to ADSL, with the shared flags
// --data --adsl --group --ref --strata --where --population --by --encoding (docs/cli/data.md).
// Only data plumbing: the analyses live in the library.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "data_options.hpp"
#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard::cli {

/// The subset of DataOptions the readout commands use, plus --by.
struct ReadoutOptions {
  DataOptions data;  ///< data, adsl, group, ref, strata, where, population, encoding
  std::string by;    ///< --by COL: one analysis per level (and overall)
};

/// Declares --data, --adsl, --group, --ref, --strata, --where, --population, --by and --encoding
/// with the meanings of docs/cli/data.md.
void add_readout_options(CLI::App* cmd, ReadoutOptions& options, bool group_required);

/// --where clauses (and --population FLAG as FLAG=Y); UsageError for a malformed clause.
std::vector<WhereClause> where_clauses(const DataOptions& options);

struct ReadoutInput {
  Table records;                ///< --data, with the needed ADSL columns joined
  std::vector<char> keep;       ///< rows of `records` passing every clause
  std::optional<Table> adsl;    ///< --adsl, with the columns that exist among those asked
  std::vector<char> adsl_keep;  ///< ADSL rows passing the clauses on columns ADSL has
};

/// Reads --data (columns `required`, and `optional` when present) and, with --adsl, ADSL: the
/// columns of `subject_columns` missing from --data are joined from ADSL (join_subject_level:
/// a subject not in ADSL is an error); `adsl_columns` are read from ADSL when present.
/// The --where clauses apply to the records (after the join) and to ADSL (those on its columns).
ReadoutInput read_readout(const ReadoutOptions& options, const std::vector<std::string>& required,
                          const std::vector<std::string>& optional,
                          const std::vector<std::string>& subject_columns,
                          const std::vector<std::string>& adsl_columns,
                          const std::vector<WhereClause>& where);

/// A "COL=VALUE" flag split in two; UsageError naming `flag` when malformed.
WhereClause parse_clause(const std::string& text, const char* flag);

/// Writes `text` to `path` (an i/o error names the file).
void write_text_file(const std::string& path, const std::string& text);

}  // namespace hazard::cli
