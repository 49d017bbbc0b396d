// The K-group log-rank test and its Fleming–Harrington G(rho, gamma) family, stratified and with
// optional case weights, as R's survival::survdiff (methods: docs/methods/logrank.md).
//
// Two layers:
//   * `logrank_stats` works on plain spans (time, status, group code, stratum code, weight) and
//     returns the sufficient statistics O, E and V. It is the reusable core: the trial simulator
//     calls it once per simulated trial, with a `LogrankWorkspace` so that repeated calls do not
//     allocate.
//   * `logrank_test` turns O, E, V into the chi-square test (and z for two groups); `logrank`
//     does both on a SurvData.
//
// Example:
//   std::vector<double> time{1, 2, 3, 4};
//   std::vector<std::uint8_t> status{1, 1, 0, 1};
//   std::vector<std::int32_t> group{0, 1, 0, 1};
//   auto stats = hazard::logrank_stats({.time = time, .status = status, .group = group});
//   auto test = hazard::logrank_test(stats);  // test.chisq, test.df, test.p, test.z
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "hazard/survdata.hpp"

namespace hazard {

/// Weights of the Fleming–Harrington G(rho, gamma) family: each death time t contributes with
/// weight S(t-)^rho * (1 - S(t-))^gamma, S the pooled Kaplan–Meier within the stratum.
/// rho = gamma = 0 is the log-rank test, rho = 1, gamma = 0 the Peto–Peto/Prentice (Wilcoxon-like)
/// test of survdiff(rho = 1), rho = 0, gamma = 1 emphasises late differences.
struct LogrankOptions {
  double rho = 0.0;    ///< any finite value (as survdiff; large |rho|: see weight_log_scale)
  double gamma = 0.0;  ///< finite, >= 0
  /// logrank(SurvData) only: merge times that differ by a few ulps first (relative difference
  /// <= sqrt(machine eps)), as survdiff(timefix = TRUE) with aeqSurv. logrank_stats compares
  /// times exactly.
  bool timefix = true;
};

/// The rows of one analysis, as plain spans of equal length (any order).
struct LogrankInput {
  std::span<const double> time;                ///< event or censoring time
  std::span<const std::uint8_t> status;        ///< 1 = event, 0 = censored
  std::span<const std::int32_t> group;         ///< group code in [0, n_groups); 0 = reference
  std::span<const std::int32_t> stratum = {};  ///< stratum code >= 0; empty = one stratum
  std::span<const double> weight = {};         ///< case weights >= 0; empty = unweighted (survdiff)
  std::size_t n_groups = 0;                    ///< 0 = 1 + the largest group code
  /// The weights are frequencies (whole numbers): row i stands for weight[i] identical rows, as in
  /// the frequency table of a distributed run (docs/scale.md). The test is then the unweighted
  /// one of those rows (survdiff's hypergeometric variance; n counts the rows they stand for).
  bool frequency = false;
};

/// Sufficient statistics of the test, summed over strata.
struct LogrankStats {
  std::size_t n_groups = 0;
  bool weighted = false;                    ///< case weights were given (Breslow variance)
  std::vector<std::size_t> n;               ///< rows per group
  std::vector<double> observed;             ///< O_k (FH-weighted events; weighted by case weights)
  std::vector<double> expected;             ///< E_k
  std::vector<double> variance;             ///< V, n_groups x n_groups, row-major, symmetric
  std::vector<std::int32_t> strata;         ///< stratum codes present, ascending
  std::vector<std::size_t> n_by_stratum;    ///< rows [s * n_groups + k], s indexing `strata`
  std::vector<double> observed_by_stratum;  ///< [s * n_groups + k], s indexing `strata`
  std::vector<double> expected_by_stratum;  ///< [s * n_groups + k]
  /// Fleming–Harrington weights far from 1 (e.g. rho = -200) are computed in log space and divided
  /// by exp(weight_log_scale), the largest weight at an event time, so that O, E and V stay finite:
  /// O, E (and V) above are then in units of that weight (V of its square); the test statistics
  /// are unchanged. 0 when the weights are used as they are (always for rho = gamma = 0).
  double weight_log_scale = 0.0;

  double var(std::size_t j, std::size_t k) const { return variance[j * n_groups + k]; }
};

/// Reusable scratch memory for repeated calls (one per thread; never shared between threads).
struct LogrankWorkspace {
  /// A sort record: time key, payload (group and status packed, or the row index with case
  /// weights) and stratum code.
  struct Row {
    std::uint64_t key;
    std::uint32_t payload;
    std::int32_t code;
  };
  /// Without case weights: a row as one 8-byte sort key, the time's key shifted left with the
  /// status in bit 0 (times >= 0 only; logrank.cpp). Left unset by its default constructor, so
  /// that growing a buffer of them does not clear it.
  struct Key {
    std::uint64_t key;
    static constexpr std::int32_t code = 0;
    Key() {}  // NOLINT(modernize-use-equals-default): no clearing
    explicit Key(std::uint64_t k) : key(k) {}
  };
  /// Which layout the last call sorted: `cells` (true) or `rows`.
  bool packed = false;
  std::vector<Row> rows;
  std::vector<Row> sort_buffer;  ///< second buffer of the radix sort
  /// The packed layout: the keys of cell s * n_groups + k (stratum code s, group k), sorted.
  std::vector<std::vector<Key>> cells;
  std::vector<Key> key_buffer;  ///< second buffer of their radix sort
  std::vector<std::uint32_t> histogram;
  std::vector<double> fh_weight;  ///< FH weight per row (only for rho or gamma != 0)
  std::vector<double> scratch;    ///< per-group accumulators
  std::vector<double> suffix;     ///< many groups: suffix sums of c / n^2 over a stratum's event times
};

/// O, E and V of the (weighted, stratified) log-rank test: one sort by (stratum, time) and linear
/// passes over each stratum. Throws std::invalid_argument for spans of unequal length, a group
/// code out of range, a negative stratum code, or invalid rho/gamma.
LogrankStats logrank_stats(const LogrankInput& input, const LogrankOptions& options = {});

/// The same, reusing `workspace` and `out` (no allocation once they have grown to size).
void logrank_stats(const LogrankInput& input, const LogrankOptions& options, LogrankStats& out,
                   LogrankWorkspace& workspace);

/// O_1 - E_1 and V_11 of the two-group log-rank test (group codes 0 and 1), summed over strata,
/// for rows that are already in ascending time order (strata may interleave). No sort and no
/// allocation once `scratch` has grown: the trial simulator's inner loop. The same formulas and
/// the same operations per time as logrank_stats (survdiff's hypergeometric variance, unweighted),
/// so the results agree with it up to the order of summation across strata.
struct TwoArmLogrank {
  double o_minus_e = 0.0;  ///< O_1 - E_1 of group 1
  double var = 0.0;        ///< V_11
};
TwoArmLogrank logrank_two_arm_sorted(std::span<const double> time,
                                     std::span<const std::uint8_t> status,
                                     std::span<const std::int32_t> group,
                                     std::span<const std::int32_t> stratum, std::size_t n_strata,
                                     std::vector<double>& scratch);

/// O_1 - E_1 and V_11 of the two-group log-rank test from its distinct event times, summed in the
/// order given: at each time the deaths (all, and in group 1) and the numbers at risk (all, and in
/// group 1). The sums of logrank_two_arm_sorted (for callers that count the risk sets themselves,
/// as the trial simulator does while it merges its rows); spans of equal length, deaths > 0.
TwoArmLogrank logrank_two_arm_sum(std::span<const double> deaths, std::span<const double> deaths1,
                                  std::span<const double> at_risk,
                                  std::span<const double> at_risk1);

/// The chi-square test from O, E, V, as survdiff: groups with E_k = 0 are left out, and of the rest
/// the first is dropped; chisq = (O - E)' V^- (O - E) on the remaining groups, df = rank of that
/// matrix (survdiff's df whenever it is non-singular), p its upper chi-square tail.
/// For two groups also z = (O_1 - E_1) / sqrt(V_11) of the non-reference group (code 1) and
/// p_one_sided = Phi(z), small when group 1 has fewer events than expected. NaN for K != 2.
struct LogrankTest {
  double chisq = 0.0;
  int df = 0;
  double p = 1.0;
  double z = 0.0;
  double p_one_sided = 0.0;
};
LogrankTest logrank_test(const LogrankStats& stats);

/// The per-group columns R's print.survdiff shows next to N, O and E: O - E, (O - E)^2 / E and
/// (O - E)^2 / V_kk (Inf or NaN where E or V_kk is 0, as R prints them).
struct LogrankGroupColumns {
  std::vector<double> o_minus_e, oe2_over_e, oe2_over_v;
};
LogrankGroupColumns logrank_group_columns(const LogrankStats& stats);

/// The whole test on validated survival data (needs a group). Case weights, when present, select
/// the weighted-Cox score test with Breslow variance (R: coxph(weights =, ties = "breslow")).
struct LogrankResult {
  LogrankOptions options;
  LogrankStats stats;
  LogrankTest test;
  std::size_t n = 0;           ///< rows analysed
  bool times_merged = false;  ///< options.timefix changed some times
};
LogrankResult logrank(const SurvData& data, const LogrankOptions& options = {});

}  // namespace hazard
