// The validated survival data every estimator works on, and how it is built from a Table.
//
// `build_surv_data` applies the column roles the user named (--time, --event/--cnsr, --group/--ref,
// --strata, --where, --weights, and for Cox --start, --covariates, --offset, --cluster):
//   * rows failing a --where clause are removed (counted in `n_filtered`, not an exclusion);
//   * rows with a missing value in any role column are excluded and counted by reason
//     ("missing time", "missing event", "missing group", "missing stratum", "missing weight",
//      "missing start", "missing covariate", "missing offset", "missing cluster");
//   * invalid values are errors naming file, line, column and value: a time that is negative or
//     not a finite number, a start not below its stop time, an event value outside its coding,
//     a negative or non-finite weight, an unknown --ref level, no rows left, no events in the
//     analysed rows (the message lists the event column's values and suggests the likely flag);
//   * a group level without events is a warning (SurvData::warnings).
// The result keeps rows in input order; each estimator sorts what it needs (see sort.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hazard/index_sequence.hpp"

#include "hazard/table.hpp"

namespace hazard {

/// How the event indicator is coded.
enum class EventCoding {
  indicator,  ///< --event COL: 1/0 or true/false (also TRUE/FALSE, T/F)
  equals,     ///< --event COL=VALUE: event when the value equals VALUE, censored otherwise
  cnsr,       ///< --cnsr COL (CDISC ADaM): 0 = event, a positive integer = censored
};

/// The most levels a categorical role column (--group, each --strata column and their combination,
/// a categorical Cox covariate) may have among the analysed rows: a guard against a subject
/// identifier given by mistake (`--group USUBJID`), which would make a K-group test or a Cox model
/// with K - 1 indicator columns cost O(K^2) memory and far more time than the data deserve.
/// By default a column is refused when it has more than 1,000 levels, or more than 10 levels and
/// more levels than half the analysed rows. `--max-levels N` sets the limit to N and drops the
/// half-the-rows rule (docs/cli/data.md).
struct LevelLimit {
  std::size_t max_levels = 1000;  ///< refuse more levels than this
  bool half_rows = true;          ///< also refuse more than 10 levels and more than half the rows

  /// The largest number of levels allowed in `rows` analysed rows.
  std::size_t limit(std::size_t rows) const;
  /// Throws DataError (file `source`, column `column`) when `levels` exceeds limit(rows); `what`
  /// names the role ("the group (--group)", "the stratum (--strata)", ...).
  void check(std::size_t levels, std::size_t rows, const std::string& source,
             const std::string& column, const std::string& what) const;
};

/// The comparison of a --where clause.
enum class WhereOp {
  eq,  ///< COL=VALUE
  ne,  ///< COL!=VALUE
  lt,  ///< COL<VALUE  (numeric columns only)
  le,  ///< COL<=VALUE
  gt,  ///< COL>VALUE
  ge,  ///< COL>=VALUE
  in,  ///< COL in V1,V2,...
};

/// One --where clause. A numeric column compares as a number, a categorical one as text (exact,
/// case-sensitive); a missing value never matches (not even !=).
struct WhereClause {
  std::string column;
  std::string value;  ///< the value compared (every op but `in`)
  WhereOp op = WhereOp::eq;
  std::vector<std::string> values{};  ///< the set of `in`
};

/// Parses the text of a --where clause (docs/cli/data.md, "--where semantics"):
///   COL=VALUE, COL!=VALUE, COL<VALUE, COL<=VALUE, COL>VALUE, COL>=VALUE, COL in V1,V2,...
/// The operator is the first of `=`, `!=`, `<`, `<=`, `>`, `>=` or ` in ` (space, in, space;
/// also IN) in the text; the VALUE is everything after it, taken as is (`COL=a=b,c` compares
/// with "a=b,c", as before the other forms existed), except that `COL==VALUE` (R's habit) is
/// COL=VALUE. The set of `in` is comma-separated; an item
/// in double quotes may contain commas ("" is a quote). A column whose name contains one of these
/// operators is written in backquotes: `a<b`=1. Throws UsageError naming the flag for a clause
/// without an operator, a column or (for `in`) a value.
/// Example: parse_where("AGE>=65") == WhereClause{.column = "AGE", .value = "65", .op = WhereOp::ge}
WhereClause parse_where(const std::string& text);

/// The clause as it would be written on the command line ("AGE>=65", "rx in Obs,Lev+5FU").
std::string to_string(const WhereClause& clause);

/// Column roles, one-to-one with the command-line flags.
struct Roles {
  std::string time;                       ///< --time (stop time for counting-process data)
  std::string start;                      ///< --start (entry time), empty if none
  std::string event;                      ///< --event or --cnsr column
  EventCoding coding = EventCoding::indicator;
  std::string event_value;                ///< VALUE of --event COL=VALUE
  std::string group;                      ///< --group, empty if none
  std::string ref;                        ///< --ref level of the group, empty = first sorted
  std::vector<std::string> strata;        ///< --strata
  std::vector<WhereClause> where;         ///< --where, all must hold
  std::string weights;                    ///< --weights, empty if none
  std::vector<std::string> covariates;    ///< --covariates (Cox), must be non-missing
  std::string offset;                     ///< --offset (Cox)
  std::string cluster;                    ///< --cluster (Cox)
  LevelLimit level_limit;                 ///< --max-levels: most levels of --group and --strata
  /// No event in the analysed rows is a data error with a hint (a coding mistake: lung's 1/2 status
  /// read with --cnsr). false: allowed (a flat curve, as survfit) — the R and Python km.
  bool require_events = true;
  /// No analysed row left is a data error. false: an empty SurvData (one part of a distributed
  /// analysis, whose other parts may have the rows; distributed.hpp checks the whole).
  bool require_rows = true;

  /// Every column these roles read, without duplicates, in a stable order.
  std::vector<std::string> columns() const;
};

/// Rows excluded for missing values, by reason.
struct Exclusions {
  std::size_t count = 0;
  std::map<std::string, std::size_t> reasons;
  void add(const std::string& reason) { ++count; ++reasons[reason]; }
};

struct SurvData {
  std::string source;                  ///< file name, for messages and reports
  std::size_t n_read = 0;              ///< data rows in the input
  std::size_t n_filtered = 0;          ///< rows removed by --where
  Exclusions excluded;                 ///< rows excluded for missing values

  // One entry per analysed row, in input order.
  std::vector<double> time;            ///< event/censoring (stop) time, finite and >= 0
  std::vector<double> start;           ///< entry time (empty unless --start)
  std::vector<std::uint8_t> status;    ///< 1 = event, 0 = censored
  std::vector<double> weight;          ///< case weights (empty = all 1), or frequencies (below)
  /// `weight` holds frequencies, not case weights: row i stands for weight[i] identical rows (a
  /// whole number), as in the frequency table of a distributed km or logrank (distributed.hpp).
  /// Every estimate is the unweighted one of the rows they stand for.
  bool frequency = false;
  std::vector<std::int32_t> group;     ///< group code, 0 = reference level (empty if no --group)
  std::vector<std::int32_t> stratum;   ///< combined stratum code (empty if no --strata)
  IndexSequence row;                   ///< index of the row in the Table
  IndexSequence line;                  ///< line in the source file

  std::string group_name;              ///< the --group column
  std::string time_label;              ///< variable label of the time column ("" if none), for headings
  std::string group_label;             ///< variable label of the --group column ("" if none)
  std::vector<std::string> group_levels;   ///< level names; [0] is the reference
  std::vector<std::string> strata_names;   ///< the --strata columns
  std::vector<std::string> strata_levels;  ///< labels as R's strata(): "A=a, B=b"
  /// The levels that make each stratum's label, one per --strata column ([stratum][column]).
  std::vector<std::vector<std::string>> strata_parts;
  std::vector<std::string> warnings;       ///< e.g. a group without events (the CLI prints them)

  std::size_t size() const { return time.size(); }
  std::size_t n_groups() const { return group.empty() ? 1 : group_levels.size(); }
  std::size_t n_strata() const { return stratum.empty() ? 1 : strata_levels.size(); }
  /// Case weights were given (frequencies are not case weights).
  bool weighted() const { return !weight.empty() && !frequency; }
  /// The number of rows analysed: size(), or the sum of the frequencies.
  std::size_t rows() const;
  double w(std::size_t i) const { return weight.empty() ? 1.0 : weight[i]; }
};

/// Rows satisfying every --where clause (1) or not (0). A numeric column compares as a number
/// (a value that is not a number is a UsageError naming --where), a categorical one as text (an
/// order comparison <, <=, >, >= on a categorical column is a UsageError). Missing values never
/// match.
std::vector<char> where_mask(const Table& table, const std::vector<WhereClause>& where);

/// Applies `roles` to `table` (see the file comment for the rules).
SurvData build_surv_data(const Table& table, const Roles& roles);
/// The same, for a table the caller no longer needs: a role column may be moved into the result
/// instead of copied (the table is left valid but unspecified).
SurvData build_surv_data(Table&& table, const Roles& roles);

/// The warnings for --group levels without events among the analysed rows ("--group arm: level
/// 'B' has no events in the analysed rows (12 rows)"; at most ten, then one line counting the rest),
/// from each level's rows and events (levels[k], rows[k], events[k]).
std::vector<std::string> group_event_warnings(const std::vector<std::string>& levels, const std::vector<double>& rows,
                                              const std::vector<double>& events, const std::string& group_column);

/// Throws DataError (exit 3, the same in every command) when the analysed rows have fewer than
/// `min_levels` or more than `max_levels` levels of --group, naming the file, the column and the
/// levels present; `purpose` ends the message ("the log-rank test compares two or more groups").
void check_group_levels(const SurvData& data, std::size_t min_levels, std::size_t max_levels,
                        const std::string& purpose);

/// Levels of a column as R's factor() would order them: numeric columns by value (named in
/// shortest round-trip form), categorical columns in sorted order. Codes per row, -1 = missing.
struct Factor {
  std::vector<std::string> levels;
  std::vector<std::int32_t> codes;
};
Factor make_factor(const Column& column);

/// Moves `ref` to the front of a factor's levels (and recodes). Throws DataError naming the
/// column and the level when `ref` is not a level.
void relevel(Factor& factor, const std::string& ref, const std::string& source, const std::string& column);

}  // namespace hazard
