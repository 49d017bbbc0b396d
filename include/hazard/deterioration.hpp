// Quality of life: time to deterioration of a patient-reported score (e.g. EORTC QLQ-C30 global
// health status) from an ADaM ADQS data set, derived per subject from the baseline and the
// post-baseline scores with a minimal important difference (MID), as an ADTTE-like row (AVAL,
// CNSR) that km, logrank and cox then analyse like any time-to-event endpoint.
//
// Rules (docs/methods/deterioration.md): with worse_j the change from baseline at assessment j in
// the worse direction (BASE - AVAL when a higher score is better, AVAL - BASE when it is worse), a
// deterioration at j is worse_j >= MID;
//   first       the first deterioration (time to deterioration, TTD);
//   confirmed   the first deterioration confirmed at the next assessment (worse_{j+1} >= MID);
//   definitive  the first deterioration with every later assessment also deteriorated (time until
//               definitive deterioration, TUDD; a deterioration at the last assessment is
//               definitive).
// The event time is the time of assessment j. A subject without such a deterioration is censored
// at its last post-baseline assessment; a subject without a baseline or without a post-baseline
// assessment is censored at the origin (--origin, the randomization day: ADY 1). Post-baseline
// assessments are the unflagged records after the baseline's time and not before the origin.
//
// Example:
//   auto q = hazard::build_qol_data(adqs, keep, {.group = "TRT01P", .ref = "Placebo"});
//   auto d = hazard::derive_deterioration(q, {.mid = 10, .rule =
//   hazard::DeteriorationRule::confirmed});
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "hazard/km.hpp"
#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard {

struct QolColumns {
  std::string subject = "USUBJID";
  std::string value = "AVAL";           ///< the score
  std::string baseline_flag = "ABLFL";  ///< Y on the baseline record
  std::string time = "ADY";             ///< assessment time (study day: day 1 = the origin)
  std::string group;                    ///< --group (required)
  std::string ref;
  std::string by;
  std::vector<std::string> carry;  ///< further subject-level columns copied to the output (strata)
};

/// One assessment that is not the baseline.
struct QolAssessment {
  double time = 0;
  double value = 0;
  std::uint64_t line = 0;
};

/// One entry per subject (kept rows of the analysis file, and with ADSL the subjects of the
/// population without a kept row).
struct QolData {
  std::string source;
  std::size_t n_read = 0;
  std::size_t n_filtered = 0;        ///< rows removed by --where / --param / --population
  std::size_t n_missing_value = 0;   ///< post-baseline rows without a score (skipped)
  std::size_t n_missing_time = 0;    ///< post-baseline rows without a time (skipped)
  std::size_t n_without_record = 0;  ///< ADSL subjects without a kept row
  Exclusions excluded;               ///< subjects without an arm / --by value

  std::vector<std::string> subject;
  std::vector<std::string> study;  ///< STUDYID ("" when absent)
  std::vector<std::int32_t> group;
  std::vector<std::int32_t> by;                    ///< empty without --by
  std::vector<std::vector<std::string>> carried;   ///< per subject, QolColumns::carry values
  std::vector<double> base;                        ///< baseline score, NaN when none
  std::vector<double> base_time;                   ///< NaN when none
  std::vector<std::vector<QolAssessment>> visits;  ///< the unflagged assessments, ascending time

  std::string group_name;
  std::vector<std::string> group_levels;  ///< [0] the reference
  std::string by_name;
  std::vector<std::string> by_levels;
  std::vector<std::string> carry_names;

  std::size_t size() const { return subject.size(); }
};

/// Builds the per-subject scores from the rows with keep[i] != 0 (one parameter: --param
/// PARAMCD=GHS). Errors (DataError naming file, line, column, value): a subject with two
/// baseline records, two post-baseline assessments at the same time, a baseline flag other
/// than Y/N/blank, a score or time column that is not numeric, a subject not in ADSL, an unknown
/// --ref level, no subject left.
QolData build_qol_data(const Table& records, const std::vector<char>& keep,
                       const QolColumns& columns, const Table* adsl = nullptr,
                       const std::vector<char>& adsl_keep = {});

enum class DeteriorationRule { first, confirmed, definitive };
/// "first", "confirmed", "definitive".
const char* rule_name(DeteriorationRule rule);

struct DeteriorationOptions {
  double mid = 10;  ///< minimal important difference, > 0
  DeteriorationRule rule = DeteriorationRule::first;
  bool higher_is_worse = false;  ///< symptom scales: an increase is a deterioration
  double origin = 1;             ///< the origin (randomization) on the time scale: ADY day 1
  double days_per_unit = 1;      ///< AVAL = time / days_per_unit (1 days, 7 weeks, 30.4375 months)
};

/// The derived row of one subject.
struct TtdRow {
  std::size_t subject = 0;
  double time = 0;  ///< on the --time scale (e.g. ADY), the event or censoring
  bool event = false;
  std::string description;        ///< why: event or censoring reason (EVNTDESC / CNSDTDSC)
  double base = 0;                ///< baseline score (NaN without)
  double value = 0;               ///< score at the event / last assessment (NaN without)
  double change = 0;              ///< value - base (NaN without)
  std::size_t n_assessments = 0;  ///< post-baseline assessments
};

struct DeteriorationResult {
  DeteriorationOptions options;
  std::string rule_text;        ///< the rule in words, for every output
  std::vector<TtdRow> rows;     ///< one per subject, in QolData order
  std::size_t no_baseline = 0;  ///< censored at the origin: no baseline
  std::size_t no_post = 0;      ///< censored at the origin: no post-baseline assessment
  std::size_t n_not_after_baseline =
      0;  ///< assessments at or before the baseline time, or before the origin (not used)
};

/// Derives the time to deterioration of every subject (see the file comment).
DeteriorationResult derive_deterioration(const QolData& data, const DeteriorationOptions& options);

/// Kaplan–Meier of the derived rows (AVAL, event) per arm: each --by level, then all subjects
/// ("Overall").
struct TtdAnalysis {
  std::string label;
  std::vector<std::size_t> n;  ///< subjects per arm
  std::vector<std::size_t> events;
  KmResult km;                         ///< groups in group_levels order (arms with subjects)
  std::vector<std::int32_t> km_group;  ///< index in km.groups per arm, -1 when the arm is empty
};
std::vector<TtdAnalysis> deterioration_km(const QolData& data, const DeteriorationResult& result,
                                          const KmOptions& km = {});

/// AVAL of a derived row: its time in the output unit, time / days_per_unit (with ADY as the
/// time this is ADaM's ADT - RANDDT + 1 in days).
double ttd_aval(const TtdRow& row, const DeteriorationOptions& options);

}  // namespace hazard
