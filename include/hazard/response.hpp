// Tumour response: binomial proportions, their comparison between two arms (overall and over
// strata), and the response analysis of an ADaM ADRS data set (objective response rate, disease
// control rate, best overall response, duration of response among responders).
//
// The kernels follow R (docs/methods/response.md gives every formula):
//   clopper_pearson     binom.test(x, n)$conf.int
//   wilson              prop.test(x, n, correct = FALSE)$conf.int (the Wilson score interval)
//   wald_difference     prop.test(c(x1, x0), c(n1, n0), correct = FALSE)$conf.int
//   newcombe_difference Newcombe (1998) method 10: hybrid score interval from two Wilson intervals
//   mh_risk_difference  Mantel–Haenszel weighted difference with Sato's (1989) variance, as SAS
//                       PROC FREQ COMMONRISKDIFF(CL=MH)
//   cmh_test            mantelhaen.test(x) for 2 x 2 x K tables: the CMH chi-square (with and
//                       without continuity correction) and the Mantel–Haenszel odds ratio with the
//                       Robins–Breslow–Greenland CI
//
// Example:
//   auto ci = hazard::clopper_pearson(12, 64);                 // ORR 18.75%, exact 95% CI
//   auto d = hazard::newcombe_difference({.x1 = 12, .n1 = 64, .x0 = 2, .n0 = 31});
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hazard/km.hpp"
#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard {

/// A proportion x / n with a confidence interval. NaN everywhere when n = 0.
struct ProportionCi {
  std::size_t x = 0;
  std::size_t n = 0;
  double estimate = 0;
  double lower = 0;
  double upper = 0;
};

/// Exact (Clopper–Pearson) interval, as R binom.test: lower = qbeta(a/2, x, n - x + 1) (0 when
/// x = 0), upper = qbeta(1 - a/2, x + 1, n - x) (1 when x = n), a = 1 - conf_level.
ProportionCi clopper_pearson(std::size_t x, std::size_t n, double conf_level = 0.95);

/// Wilson score interval without continuity correction, as R prop.test(x, n, correct = FALSE).
ProportionCi wilson(std::size_t x, std::size_t n, double conf_level = 0.95);

/// Counts of one 2 x 2 table: responders x1 of n1 in the experimental arm, x0 of n0 in the
/// reference arm.
struct TwoByTwo {
  std::size_t x1 = 0;
  std::size_t n1 = 0;
  std::size_t x0 = 0;
  std::size_t n0 = 0;
};

/// A difference of proportions (experimental minus reference) with its interval. `std_err` is the
/// standard error the interval is built from (NaN for intervals that have none, e.g. Newcombe).
struct DifferenceCi {
  double estimate = 0;
  double std_err = 0;
  double lower = 0;
  double upper = 0;
};

/// Wald interval p1 - p0 -/+ z sqrt(p1 (1 - p1) / n1 + p0 (1 - p0) / n0), clipped to [-1, 1], as
/// R prop.test(c(x1, x0), c(n1, n0), correct = FALSE)$conf.int. NaN when n1 or n0 is 0.
DifferenceCi wald_difference(const TwoByTwo& t, double conf_level = 0.95);

/// Newcombe (1998) method 10 (hybrid score, no continuity correction): with Wilson limits
/// (l1, u1) of p1 and (l0, u0) of p0, lower = d - sqrt((p1 - l1)^2 + (u0 - p0)^2), upper =
/// d + sqrt((u1 - p1)^2 + (p0 - l0)^2). NaN when n1 or n0 is 0.
DifferenceCi newcombe_difference(const TwoByTwo& t, double conf_level = 0.95);

/// Stratified difference with Mantel–Haenszel weights w_h = n1h n0h / nh and Sato's variance
/// (see the file comment of src/response/mh_risk_difference.cpp). Strata with an empty arm get
/// weight 0. NaN when every weight is 0.
DifferenceCi mh_risk_difference(std::span<const TwoByTwo> strata, double conf_level = 0.95);

/// The Cochran–Mantel–Haenszel test and Mantel–Haenszel common odds ratio of 2 x 2 x K tables,
/// as R mantelhaen.test (exact = FALSE). Strata with fewer than 2 subjects have no variance and
/// are left out (R refuses them); they are counted in `strata_dropped`.
struct CmhTest {
  double chisq = 0;  ///< without continuity correction (as SAS PROC FREQ CMH)
  double p = 0;
  double chisq_corrected = 0;  ///< with R's default correction: 0.5 when |sum(O - E)| >= 0.5
  double p_corrected = 0;
  double odds_ratio = 0;  ///< Mantel–Haenszel estimate: sum(a d / n) / sum(b c / n)
  double or_lower = 0;    ///< Robins–Breslow–Greenland interval
  double or_upper = 0;
  std::size_t strata_used = 0;
  std::size_t strata_dropped = 0;
};
CmhTest cmh_test(std::span<const TwoByTwo> strata, double conf_level = 0.95);

// ---- the response analysis of an ADRS data set -------------------------------------------------

/// Best overall response categories (RECIST 1.1 controlled terms), in table order. `missing` is a
/// subject with no assessment: a blank response, or (with ADSL) no record at all; such a subject
/// counts in the denominators as a non-responder (intention to treat).
enum class Bor : std::uint8_t { cr, pr, sd, non_cr_non_pd, pd, ne, missing };
inline constexpr std::size_t n_bor = 7;
/// "CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "MISSING".
const char* bor_code(Bor b);
/// Parses a controlled term (case-insensitive, surrounding blanks ignored); false if not one.
bool parse_bor(std::string_view text, Bor& out);

/// One subject per entry, built by build_response_data.
struct ResponseData {
  std::string source;                ///< the ADRS file
  std::size_t n_read = 0;            ///< rows in the ADRS file
  std::size_t n_filtered = 0;        ///< rows removed by --where (and the population flag)
  std::size_t n_without_record = 0;  ///< ADSL subjects of the population with no kept record
  Exclusions excluded;               ///< subjects excluded for a missing group or stratum

  std::vector<std::string> subject;  ///< USUBJID
  std::vector<Bor> bor;
  std::vector<std::int32_t> group;    ///< 0 = reference arm
  std::vector<std::int32_t> stratum;  ///< empty without strata
  std::vector<std::int32_t> by;       ///< empty without --by
  std::vector<std::uint64_t> line;    ///< line of the record (0 for subjects without one)

  std::string group_name;
  std::vector<std::string> group_levels;  ///< [0] is the reference
  std::vector<std::string> strata_names;
  std::vector<std::string> strata_levels;  ///< "A=a, B=b" as R's strata()
  std::string by_name;
  std::vector<std::string> by_levels;

  std::size_t size() const { return bor.size(); }
};

/// Column roles of the response analysis, one-to-one with the command-line flags.
struct ResponseColumns {
  std::string subject = "USUBJID";
  std::string response = "AVALC";   ///< --response: the best-overall-response column
  std::string group;                ///< --group (required)
  std::string ref;                  ///< --ref level ("" = first in sorted order)
  std::vector<std::string> strata;  ///< --strata
  std::string by;                   ///< --by
};

/// Builds the per-subject data from the ADRS rows with keep[i] != 0 (the --where filter) and,
/// when `adsl` is given, the ADSL subjects with adsl_keep[i] != 0 that have no kept ADRS row
/// (response `missing`; group, strata and by taken from ADSL). The columns of `records` may
/// already hold ADSL columns joined by join_subject_level.
/// Errors (DataError, naming file, line, column, value): a response outside the controlled terms
/// (CR, PR, SD, NON-CR/NON-PD, PD, NE; blank is `missing`), a numeric response column, a subject
/// twice among the kept rows, an unknown --ref level, no subject left.
ResponseData build_response_data(const Table& records, const std::vector<char>& keep,
                                 const ResponseColumns& columns, const Table* adsl = nullptr,
                                 const std::vector<char>& adsl_keep = {});

struct ResponseOptions {
  double conf_level = 0.95;
};

/// Responders (ORR: CR or PR; DCR: CR, PR, SD or NON-CR/NON-PD) of one arm.
struct ArmResponse {
  std::string level;
  std::size_t n = 0;
  std::array<std::size_t, n_bor> bor{};  ///< subjects per Bor category
  ProportionCi orr;                      ///< Clopper–Pearson
  ProportionCi dcr;
};

/// One arm against the reference, for one rate (ORR or DCR).
struct RateComparison {
  std::string level;  ///< the experimental arm
  std::string reference;
  DifferenceCi wald;
  DifferenceCi newcombe;
  bool stratified = false;  ///< with --strata: `mh` and `cmh` use the strata
  DifferenceCi mh;          ///< MH-weighted difference (one stratum without --strata)
  CmhTest cmh;              ///< CMH test and MH odds ratio (K = 1 without --strata)
};

/// The analysis of one set of subjects (a level of --by, or all).
struct ResponseAnalysis {
  std::string label;                ///< the --by level, or "Overall"
  std::vector<ArmResponse> arms;    ///< in group_levels order (reference first)
  std::vector<RateComparison> orr;  ///< each non-reference arm against the reference
  std::vector<RateComparison> dcr;
};

struct ResponseResult {
  ResponseOptions options;
  std::vector<ResponseAnalysis> analyses;  ///< each --by level, then "Overall"
};

/// ORR, DCR and best overall response per arm, and the comparisons (see the structs).
ResponseResult analyze_response(const ResponseData& data, const ResponseOptions& options = {});

// ---- duration of response ----------------------------------------------------------------------

struct DorColumns {
  std::string subject = "USUBJID";
  std::string time = "AVAL";
  std::string cnsr = "CNSR";  ///< 0 = event (progression or death), positive = censored
};

/// Kaplan–Meier of the duration of response per arm among the responders (CR or PR) of one
/// analysis.
struct DorAnalysis {
  std::string label;
  std::size_t responders = 0;
  std::size_t without_record = 0;  ///< responders with no duration-of-response record
  std::vector<KmGroup> arms;       ///< in group_levels order; n = 0 (no curve) without responders
};

struct DorResult {
  std::string source;
  std::size_t n_read = 0;
  std::size_t n_filtered = 0;  ///< rows removed by the DOR filter (--dor-param)
  std::size_t n_outside = 0;   ///< kept rows of subjects not in the response analysis
  ConfType conf_type = ConfType::log_log;
  double conf_level = 0.95;
  std::vector<DorAnalysis> analyses;  ///< as ResponseResult::analyses
};

/// Duration of response from an ADTTE-shaped table (rows with keep[i] != 0). Errors (DataError):
/// a subject twice, a record of a subject whose best overall response is not CR or PR, an invalid
/// time or CNSR.
DorResult duration_of_response(const ResponseData& data, const Table& dor,
                               const std::vector<char>& keep, const DorColumns& columns,
                               const KmOptions& km = {});

}  // namespace hazard
