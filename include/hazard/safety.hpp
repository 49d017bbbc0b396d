// Safety: adverse events of the safety population from CDISC ADaM ADSL and ADAE (and ADEX), as
// the tables of a clinical study report: subjects with at least one treatment-emergent adverse
// event (TEAE) overall, of grade >= 3, serious, leading to discontinuation, to dose reduction, to
// death; by system organ class (SOC) and preferred term (PT) with the worst grade per subject;
// exposure-adjusted incidence rates with exact Poisson intervals; risk differences between arms.
//
// Each subject is counted once per row (the first occurrence is enough), at the worst grade of
// the records of that row. Formulas and conventions: docs/methods/safety.md.
//
// Example:
//   auto pop = hazard::safety_population(adsl, keep, {.group = "TRT01A", .ref = "Placebo"});
//   hazard::exposure_from_dates(pop, adsl, "TRTSDT", "TRTEDT");
//   auto ae = hazard::ae_data(adae, adae_keep, pop, {});
//   auto r = hazard::summarize_safety(pop, ae, {.min_percent = 10});
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "hazard/response.hpp"
#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard {

/// An event rate x / exposure with its exact interval (per unit of exposure).
struct RateCi {
  std::size_t events = 0;
  double exposure = 0;
  double estimate = 0;
  double lower = 0;
  double upper = 0;
};

/// Exact Poisson interval of x events in `exposure`, as R poisson.test(x, exposure)$conf.int:
/// lower = qgamma(a/2, x) / T (0 when x = 0), upper = qgamma(1 - a/2, x + 1) / T. NaN when the
/// exposure is not > 0.
RateCi poisson_exact(std::size_t x, double exposure, double conf_level = 0.95);

// ---- the safety population (ADSL) ---------------------------------------------------------------

struct SafetyColumns {
  std::string subject = "USUBJID";
  std::string group;  ///< --group (TRT01A), required
  std::string ref;    ///< --ref level; "" = first in sorted order
  std::string by;     ///< --by, "" = none
};

/// One entry per subject of the safety population (ADSL rows with keep[i] != 0: the population
/// flag and the --where clauses on ADSL columns).
struct SafetyPopulation {
  std::string source;          ///< the ADSL file
  std::size_t n_read = 0;      ///< ADSL rows
  std::size_t n_filtered = 0;  ///< rows outside the population (flag not Y, --where)
  Exclusions excluded;         ///< subjects excluded for a missing arm or --by value

  std::vector<std::string> key;       ///< STUDYID \x1f USUBJID (STUDYID empty when absent)
  std::vector<std::string> subject;   ///< USUBJID
  std::vector<std::int32_t> arm;      ///< 0 = reference
  std::vector<std::int32_t> by;       ///< empty without --by
  std::vector<double> exposure_days;  ///< empty until an exposure_from_* call
  std::vector<std::uint64_t> line;

  std::string group_name;
  std::vector<std::string> group_levels;  ///< [0] is the reference
  std::string by_name;
  std::vector<std::string> by_levels;
  std::string exposure_source;  ///< how exposure_days was derived ("" = unknown)

  std::size_t size() const { return subject.size(); }
};

/// Builds the population. Errors (DataError): a missing or duplicated USUBJID, an unknown --ref
/// level, no subject left. A subject with a missing arm or --by value is excluded and counted.
SafetyPopulation safety_population(const Table& adsl, const std::vector<char>& keep,
                                   const SafetyColumns& columns);

/// Exposure = end - start + 1 days from two ADSL date columns (SAS dates), e.g. TRTSDT, TRTEDT.
/// Errors (DataError naming the ADSL line): a date missing or not numeric for a subject of the
/// population, an end before the start.
void exposure_from_dates(SafetyPopulation& population, const Table& adsl, const std::string& start,
                         const std::string& end);

/// Exposure in days from an ADEX-shaped table: the rows with keep[i] != 0 (e.g. PARAMCD =
/// TRTDURD), one per subject, value column `value` (AVAL); `unit` (AVALU, optional: "" = absent)
/// must say days. Errors: a subject twice, a value missing, negative or not a number, a unit that
/// is not days, a subject of the population without a row.
void exposure_from_adex(SafetyPopulation& population, const Table& adex,
                        const std::vector<char>& keep, const std::string& value = "AVAL",
                        const std::string& unit = "AVALU");

// ---- adverse events (ADAE) ----------------------------------------------------------------------

struct AeColumns {
  std::string subject = "USUBJID";
  std::string emergent = "TRTEMFL";  ///< Y = treatment-emergent (N or blank: not)
  std::string soc = "AEBODSYS";
  std::string pt = "AEDECOD";
  std::string grade = "AETOXGR";  ///< NCI-CTCAE grade 1-5 (number or text)
  std::string serious = "AESER";  ///< Y/N
  std::string action = "AEACN";   ///< CDISC ACN codelist
  std::string outcome = "AEOUT";  ///< CDISC OUT codelist; optional (absent column = unused)
  std::string death = "AESDTH";   ///< Y/N; optional
};

/// One treatment-emergent record of a subject of the population.
struct AeRecord {
  std::size_t subject = 0;  ///< index in SafetyPopulation
  std::int32_t soc = 0;     ///< index in AeData::socs
  std::int32_t term = 0;    ///< index in AeData::terms (a SOC/PT pair)
  std::uint8_t grade = 0;   ///< 1-5; 0 = missing
  bool serious = false;
  bool withdrawn = false;  ///< AEACN = DRUG WITHDRAWN
  bool reduced = false;    ///< AEACN = DOSE REDUCED or DOSE RATE REDUCED
  bool fatal = false;      ///< AESDTH = Y, AEOUT = FATAL or grade 5
};

struct AeData {
  std::string source;
  std::size_t n_read = 0;                ///< ADAE rows
  std::size_t n_filtered = 0;            ///< removed by --where
  std::size_t n_not_emergent = 0;        ///< TRTEMFL not Y
  std::size_t n_outside_population = 0;  ///< TEAE rows of ADSL subjects outside the population
  std::size_t n_missing_grade = 0;       ///< analysed records without a grade
  std::size_t n_missing_serious = 0;     ///< analysed records with a blank AESER (not serious)
  std::vector<AeRecord> records;
  std::vector<std::string> socs;
  std::vector<std::string> terms;      ///< preferred terms
  std::vector<std::int32_t> term_soc;  ///< SOC of each term
};

/// The treatment-emergent records of the population. Every row kept by --where is checked:
/// errors (DataError naming file, line, column, value) for a subject not in ADSL, a grade outside
/// 1-5, TRTEMFL/AESER/AESDTH outside Y/N, AEACN or AEOUT outside its CDISC codelist, a missing SOC
/// or PT on a TEAE.
AeData ae_data(const Table& adae, const std::vector<char>& keep, const SafetyPopulation& population,
               const AeColumns& columns, const Table& adsl);

// ---- the tables ---------------------------------------------------------------------------------

struct SafetyOptions {
  double conf_level = 0.95;
  double min_percent = 0;  ///< keep a PT when its % in some arm is >= this
  double per_years = 100;  ///< rates per this many patient-years
};

/// One arm of one row.
struct SafetyCell {
  std::size_t n = 0;                   ///< subjects with at least one record of the row
  double percent = 0;                  ///< 100 n / N (NaN when N = 0)
  std::array<std::size_t, 6> worst{};  ///< subjects by worst grade: [0] missing, [1..5] grade
  std::size_t grade3 = 0;              ///< subjects with worst grade >= 3
  RateCi rate;                         ///< n per `per_years` patient-years (NaN without exposure)
};

enum class SafetyRowKind { summary, soc, term };

struct SafetyRow {
  SafetyRowKind kind = SafetyRowKind::summary;
  std::string id;                      ///< summary: any, grade3, serious, withdrawn, reduced, fatal
  std::string label;                   ///< summary text, SOC or PT
  std::string soc;                     ///< the SOC of a term row (and of a SOC row)
  std::vector<SafetyCell> arms;        ///< in group_levels order
  std::vector<DifferenceCi> newcombe;  ///< each non-reference arm minus the reference (proportions)
  std::vector<DifferenceCi> wald;
};

struct SafetyAnalysis {
  std::string label;                  ///< --by level or "Overall"
  std::vector<std::size_t> n;         ///< subjects per arm
  std::vector<double> patient_years;  ///< exposure per arm (NaN without exposure)
  std::vector<SafetyRow> summary;     ///< the six summary rows
  std::vector<SafetyRow> terms;     ///< each SOC followed by its PTs, sorted (see summarize_safety)
  std::size_t terms_below_min = 0;  ///< PTs left out by min_percent
};

struct SafetyResult {
  SafetyOptions options;
  std::size_t sort_arm = 0;              ///< the arm whose frequency orders the SOC/PT table
  bool rates = false;                    ///< exposure known: rates computed
  std::vector<SafetyAnalysis> analyses;  ///< each --by level, then "Overall"
};

/// The tables. SOCs and, within each, PTs are sorted by descending number of subjects in the
/// experimental arm (the first arm after the reference; the only arm when there is one), ties by
/// descending total then by name. A PT is shown when its percentage in at least one arm is >=
/// min_percent; a SOC when one of its PTs is (its counts cover all its PTs).
SafetyResult summarize_safety(const SafetyPopulation& population, const AeData& ae,
                              const SafetyOptions& options = {});

}  // namespace hazard
