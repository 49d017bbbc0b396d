// The K-group log-rank test, stratified, with Fleming–Harrington G(rho, gamma) weights and case
// weights.
//
// Formula. Within each stratum, at each distinct time t with events, let n = number at risk,
// n_k = number at risk in group k, d = number of events, d_k = events in group k, and
// W(t) = S(t-)^rho (1 - S(t-))^gamma, where S is the Kaplan–Meier estimate of the pooled stratum
// (all groups together) taken left-continuous: S(t-) is its value just before t (1 at the first
// time). Then
//     O_k  = sum_t W d_k
//     E_k  = sum_t W d n_k / n
//     V_jk = sum_t W^2 d c(t) (n_j / n) (delta_jk - n_k / n),   c(t) = (n - d) / (n - 1)
// summed over strata. c(t) is the hypergeometric correction for tied events; a risk set of one
// subject adds no variance. The statistic is (O - E)' V^- (O - E) over the groups with E_k > 0
// less the first of them (logrank_test).
//
// Case weights. survdiff takes none. With weights w_i every count above becomes a sum of weights
// (n, n_k, d, d_k; the Kaplan–Meier for W is the weighted one) and c(t) = 1: this is the score
// test at beta = 0 of coxph(Surv(time, status) ~ group + strata(s), weights = w,
// ties = "breslow"), the standard definition of a weighted log-rank test (Breslow's variance has
// no tie correction). With unit weights it therefore differs from survdiff when events are tied.
//
// Source. R survival, survdiff2.c (Therneau): same sums, same left-continuous Kaplan–Meier for
// rho; gamma follows Fleming & Harrington (1991, Counting Processes and Survival Analysis, ch. 7)
// and agrees with survMisc::comp (tests/reference/logrank/make_logrank.R).
//
// Input contract (logrank_stats): spans of equal length in any order; status 1/0; group codes in
// [0, n_groups); stratum codes >= 0 (empty = one stratum); weights >= 0 (empty = unweighted).
// Times are compared exactly: rows tie when their times are equal doubles. logrank(SurvData)
// first merges times closer than sqrt(machine epsilon), as survdiff(timefix = TRUE) with aeqSurv
// (util/timefix.hpp, shared with cox and km): whether any would merge is read from the sorted
// rows of the first pass (with one stratum on the packed path, from the distinct times the pass
// meets, AeqScanDescending), and only then are the statistics computed again on the merged times.
//
// Cost. One sort of the rows by (stratum, time) (std::sort for small n, a radix sort for large
// n; without case weights, rho = gamma = 0 and at most kDirectMaxGroups groups, the packed path
// of packed_stats: each (stratum, group) cell sorted as 8-byte keys, the cells of a stratum
// merged in its pass), then per stratum one backward pass that grows the risk sets from the last
// time to the first (as survdiff2.c; sums are built up, never subtracted down, which keeps weighted
// risk sets accurate). Only for rho or gamma != 0 is it preceded by one forward pass for S(t-)
// (with case weights, after one backward pass for the weighted numbers at risk that S needs). O(n
// log n + D K^2) for D event times and K groups; no allocation when the workspace is reused.
//
// Many groups (K > kDirectMaxGroups). The O(K^2) update of V at every event time would make a
// test of K groups cost O(D K^2) (a column with 4,000 levels: a minute). Instead
//     V = diag(D) - M,  D_j = sum_t c(t) n_j(t) / n(t),  M_jk = sum_t a(t) n_j(t) n_k(t),
// with c(t) = W^2 d (n - d) / (n - 1) (W^2 d with case weights) and a(t) = c(t) / n(t)^2. Number
// the event times of a stratum backwards, m = 0, 1, ... (m = 0 the last), as the pass meets them,
// and let S_m = sum_{m' >= m} a(m') (one scalar pass first). By Abel summation,
//     M_jk = sum_m S_m [f_jk(m) - f_jk(m - 1)],   f_jk(m) = n_j(m) n_k(m),  f_jk(-1) = 0,
// and f changes only when a row enters the risk set: a row of group g with weight w entering
// before event time m adds S_m w n_k to M_gk and M_kg (k != g) and S_m w (2 n_g + w) to M_gg. So
// the pass accumulates A_g. += S_m w n (n_g counted plus w / 2), M = A + A', at O(K) per row:
// O(n log n + n K + D K) time and O(K^2) memory in all (the variance itself). Every term is
// non-negative, so nothing cancels until V = diag(D) - (A + A'), as in the direct sum.
#include "hazard/logrank.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "hazard/error.hpp"
#include "util/huge_pages.hpp"
#include "util/time_order.hpp"
#include "util/timefix.hpp"

namespace hazard {
namespace {

using Row = LogrankWorkspace::Row;

// Up to this many groups V is updated at each event time in O(K^2) (survdiff's loop); above it,
// through the O(K)-per-row Abel summation of the file comment.
constexpr std::size_t kDirectMaxGroups = 8;

void check_options(const LogrankOptions& options) {
  if (!std::isfinite(options.rho)) throw std::invalid_argument("logrank: rho must be finite");
  if (!std::isfinite(options.gamma) || options.gamma < 0.0)
    throw std::invalid_argument("logrank: gamma must be finite and >= 0");
}

// S^rho (1 - S)^gamma, with exact ones for zero exponents (pow(0, 0) is 1 anyway, but this also
// keeps the plain log-rank free of pow calls).
double fh_weight(double s, const LogrankOptions& options) {
  double w = 1.0;
  if (options.rho != 0.0) w *= std::pow(s, options.rho);
  if (options.gamma != 0.0) w *= std::pow(1.0 - s, options.gamma);
  return w;
}

// The fields of a sorted row: without case weights the payload packs (group << 1) | status;
// with them it is the input row index.
struct RowView {
  const LogrankInput& in;
  bool weighted;
  std::int32_t group(const Row& r) const {
    return weighted ? in.group[r.payload] : static_cast<std::int32_t>(r.payload >> 1);
  }
  bool event(const Row& r) const {
    return weighted ? in.status[r.payload] != 0 : (r.payload & 1u) != 0;
  }
  double weight(const Row& r) const { return weighted ? in.weight[r.payload] : 1.0; }
  /// Rows counted in n: 1 each, or the row's frequency (LogrankInput::frequency).
  std::size_t count(const Row& r) const {
    return weighted && in.frequency ? static_cast<std::size_t>(in.weight[r.payload]) : 1;
  }
};

// log W at S(t-) = s: rho log s + gamma log(1 - s) (-inf for W = 0).
double fh_log_weight(double s, const LogrankOptions& options) {
  double l = 0.0;
  if (options.rho != 0.0) l += options.rho * std::log(s);
  if (options.gamma != 0.0) l += options.gamma * std::log1p(-s);
  return l;
}

// Fills fh[b..e) with W(t) of each row's time: S(t-) of the pooled (weighted) Kaplan–Meier; when
// `log_shift` is not 0, with W(t) / exp(log_shift), computed in log space. Returns the largest
// log W at an event time of the stratum (-inf if none). With fh == nullptr only that maximum is
// computed (a pass over the rows without writing; for the weighted numbers at risk it needs
// `at_risk`, n doubles of scratch, instead).
double fh_weights_stratum(const Row* rows, std::size_t b, std::size_t e, const RowView& view,
                          const LogrankOptions& options, double log_shift, double* fh,
                          double* at_risk_scratch = nullptr) {
  double* at_risk_of = fh ? fh : at_risk_scratch;
  const bool weighted = view.weighted;
  if (weighted) {
    // Weighted numbers at risk, built backwards (suffix sums) into fh[], read forwards below.
    double at_risk = 0.0;
    for (std::size_t i = e; i-- > b;) {
      at_risk += view.weight(rows[i]);
      at_risk_of[i] = at_risk;
    }
  }
  double km = 1.0;
  double max_log = -std::numeric_limits<double>::infinity();
  for (std::size_t i = b; i < e;) {
    double n_risk = weighted ? at_risk_of[i] : static_cast<double>(e - i);
    double deaths = 0.0;
    std::size_t j = i;
    for (; j < e && rows[j].key == rows[i].key; ++j)
      if (view.event(rows[j])) deaths += view.weight(rows[j]);
    if (deaths > 0.0) max_log = std::max(max_log, fh_log_weight(km, options));
    if (fh) {
      const double w = log_shift == 0.0 ? fh_weight(km, options) : std::exp(fh_log_weight(km, options) - log_shift);
      for (std::size_t r = i; r < j; ++r) fh[r] = w;
    }
    if (deaths > 0.0 && n_risk > 0.0) km *= (n_risk - deaths) / n_risk;
    i = j;
  }
  return max_log;
}

// The variance weight of an event time: W^2 d (n - d) / (n - 1), the hypergeometric variance
// (survdiff), or W^2 d with case weights (Breslow's, the weighted Cox score); none from a risk set
// of one subject, where (n - d) / (n - 1) is 0/0 and the term is 0.
double variance_factor(double W, double deaths, double n_risk, bool weighted) {
  if (weighted) return W * W * deaths;
  if (n_risk > 1.0) return W * W * deaths * (n_risk - deaths) / (n_risk - 1.0);
  return 0.0;
}

// The terms of one event time with deaths > 0 (up to kDirectMaxGroups groups): O and E of the
// stratum, and V += c (n_j / n) (delta_jk - n_k / n), survdiff's loop. Clears deaths_k.
void add_event_time(std::size_t K, double W, double deaths, double n_risk, const double* risk,
                    double* deaths_k, double* Os, double* Es, double* V, bool breslow) {
  for (std::size_t k = 0; k < K; ++k) {
    Os[k] += W * deaths_k[k];
    Es[k] += W * deaths * risk[k] / n_risk;
    deaths_k[k] = 0.0;
  }
  const double c = variance_factor(W, deaths, n_risk, breslow);
  if (c == 0.0) return;
  for (std::size_t jg = 0; jg < K; ++jg) {
    if (risk[jg] == 0.0) continue;
    const double tmp = c * risk[jg] / n_risk;
    V[jg * K + jg] += tmp;
    for (std::size_t k = 0; k < K; ++k) V[jg * K + k] -= tmp * risk[k] / n_risk;
  }
}

// Many groups: S_m = sum of c / n^2 over the event times m, m + 1, ... of the stratum [b, e),
// numbered backwards (m = 0 the last time), for the Abel summation of the file comment. The same
// blocks and sums as the main pass, without the groups.
void variance_suffix_sums(const Row* rows, std::size_t b, std::size_t e, const RowView& view,
                          const double* fh, std::vector<double>& suffix) {
  suffix.clear();
  double n_risk = 0.0;
  for (std::size_t i = e; i > b;) {
    const std::uint64_t t = rows[i - 1].key;
    double deaths = 0.0;
    std::size_t j = i;
    for (; j > b && rows[j - 1].key == t; --j) {
      const double w = view.weight(rows[j - 1]);
      n_risk += w;
      if (view.event(rows[j - 1])) deaths += w;
    }
    if (deaths > 0.0)
      suffix.push_back(variance_factor(fh ? fh[j] : 1.0, deaths, n_risk, view.weighted && !view.in.frequency) /
                       (n_risk * n_risk));
    i = j;
  }
  for (std::size_t m = suffix.size(); m-- > 1;) suffix[m - 1] += suffix[m];
}

// The packed path (no case weights, rho = gamma = 0, K <= kDirectMaxGroups, times >= 0). The rows
// of each (stratum, group) cell are sorted as 8-byte keys (time key << 1 | status; half the
// memory traffic of the 16-byte records), and the pass over a stratum merges its K sorted cells
// backwards: at each step the largest unread time, and from every cell the rows at that time.
// These are the tied blocks of the 16-byte pass in the same order, and within a block only whole
// counts are summed (exact in any order), so O, E and V are the same bit for bit. Returns false,
// having computed nothing, for rows it does not take: a time that is negative or NaN, a code out
// of range, or more cells than splitting pays for; logrank_stats then takes the 16-byte path.
using Key = LogrankWorkspace::Key;

std::uint64_t time_bits(Key k) { return k.key >> 1; }

bool packed_stats(const LogrankInput& input, std::size_t K, LogrankStats& out, LogrankWorkspace& ws,
                  detail::AeqScanDescending* scan) {
  const std::size_t n = input.time.size();
  std::size_t S = 1;
  if (!input.stratum.empty()) {
    std::int32_t max_stratum = 0;
    for (std::int32_t s : input.stratum) {
      if (s < 0) return false;
      max_stratum = std::max(max_stratum, s);
    }
    S = static_cast<std::size_t>(max_stratum) + 1;
  }
  const std::size_t n_cells = S * K;
  if (n_cells > 64 && n_cells > n / 64) return false;  // mostly tiny or empty cells
  ws.cells.resize(n_cells);
  const bool ok = detail::split_packed_rows(
      n,
      [&](std::size_t i) {
        const auto g = static_cast<std::size_t>(input.group[i]);  // negative: out of range
        if (g >= K) return n_cells;
        return (input.stratum.empty() ? 0 : static_cast<std::size_t>(input.stratum[i])) * K + g;
      },
      [&](std::size_t i, bool& fine) {
        const double t = input.time[i];
        if (!(t >= 0.0)) fine = false;
        return Key((detail::time_key(t) << 1) | (input.status[i] != 0 ? 1u : 0u));
      },
      ws.cells);
  if (!ok) return false;
  ws.packed = true;
  for (auto& cell : ws.cells) detail::sort_packed_rows(cell, ws.key_buffer, ws.histogram);

  ws.scratch.assign(2 * K, 0.0);
  double* risk = ws.scratch.data();  // number at risk per group
  double* deaths_k = risk + K;       // events per group at the current time
  double* V = out.variance.data();
  std::size_t at[kDirectMaxGroups];  // per group: the rows of the cell not yet read, [0, at)
  for (std::size_t s = 0; s < S; ++s) {
    const std::vector<Key>* cell = ws.cells.data() + s * K;
    std::size_t rows_in = 0;
    for (std::size_t k = 0; k < K; ++k) {
      at[k] = cell[k].size();
      rows_in += at[k];
      out.n[k] += at[k];
    }
    if (rows_in == 0) continue;
    out.strata.push_back(static_cast<std::int32_t>(s));
    const std::size_t off = out.observed_by_stratum.size();
    out.observed_by_stratum.resize(off + K, 0.0);
    out.expected_by_stratum.resize(off + K, 0.0);
    out.n_by_stratum.resize(off + K, 0);
    for (std::size_t k = 0; k < K; ++k) out.n_by_stratum[off + k] = at[k];
    double* Os = out.observed_by_stratum.data() + off;
    double* Es = out.expected_by_stratum.data() + off;
    std::fill(risk, risk + K, 0.0);
    double n_risk = 0.0;
    for (;;) {
      // the largest time not yet read, then the rows at that time from every cell
      std::uint64_t t = 0;
      bool any = false;
      for (std::size_t k = 0; k < K; ++k)
        if (at[k] > 0 && (!any || time_bits(cell[k][at[k] - 1]) > t)) {
          t = time_bits(cell[k][at[k] - 1]);
          any = true;
        }
      if (!any) break;
      if (scan) scan->add(detail::key_time(t | (std::uint64_t{1} << 63)));
      double deaths = 0.0;
      for (std::size_t k = 0; k < K; ++k) {
        const Key* c = cell[k].data();
        std::size_t j = at[k], events = 0;
        for (; j > 0 && time_bits(c[j - 1]) == t; --j) events += c[j - 1].key & 1u;
        const auto entered = static_cast<double>(at[k] - j);
        at[k] = j;
        risk[k] += entered;
        n_risk += entered;
        deaths_k[k] += static_cast<double>(events);
        deaths += static_cast<double>(events);
      }
      if (deaths > 0.0) add_event_time(K, 1.0, deaths, n_risk, risk, deaths_k, Os, Es, V, false);
    }
    for (std::size_t k = 0; k < K; ++k) {
      out.observed[k] += Os[k];
      out.expected[k] += Es[k];
    }
  }
  return true;
}

// Whether aeqSurv would merge any of the times sorted by the packed path: their distinct values in
// ascending order, walking the K cells of a stratum in step (AeqScan, util/timefix.hpp); with
// several strata, each stratum's distinct times, merged by aeq_merges.
bool packed_times_merge(const LogrankWorkspace& ws, std::size_t K) {
  const std::size_t S = K == 0 ? 0 : ws.cells.size() / K;
  // f(time) for the distinct times of stratum s, ascending
  auto distinct = [&](std::size_t s, auto&& f) {
    const std::vector<Key>* cell = ws.cells.data() + s * K;
    std::size_t at[kDirectMaxGroups] = {};
    for (;;) {
      std::uint64_t t = 0;
      bool any = false;
      for (std::size_t k = 0; k < K; ++k)
        if (at[k] < cell[k].size() && (!any || time_bits(cell[k][at[k]]) < t)) {
          t = time_bits(cell[k][at[k]]);
          any = true;
        }
      if (!any) return;
      f(detail::key_time(t | (std::uint64_t{1} << 63)));
      for (std::size_t k = 0; k < K; ++k)
        while (at[k] < cell[k].size() && time_bits(cell[k][at[k]]) == t) ++at[k];
    }
  };
  std::vector<std::size_t> present;
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t k = 0; k < K; ++k)
      if (!ws.cells[s * K + k].empty()) {
        present.push_back(s);
        break;
      }
  if (present.size() <= 1) {
    detail::AeqScan scan;
    if (!present.empty()) distinct(present[0], [&](double y) { scan.add(y); });
    return scan.merges();
  }
  std::vector<std::vector<double>> lists(present.size());
  for (std::size_t a = 0; a < present.size(); ++a)
    distinct(present[a], [&](double y) { lists[a].push_back(y); });
  return detail::aeq_merges(std::vector<std::span<const double>>(lists.begin(), lists.end()));
}

// logrank_stats; on the packed path `scan` (when given) is fed each stratum's distinct times,
// from the last back (for logrank()'s timefix check).
void compute_stats(const LogrankInput& input, const LogrankOptions& options, LogrankStats& out,
                   LogrankWorkspace& ws, detail::AeqScanDescending* scan) {
  check_options(options);
  const std::size_t n = input.time.size();
  if (input.status.size() != n || input.group.size() != n ||
      (!input.stratum.empty() && input.stratum.size() != n) ||
      (!input.weight.empty() && input.weight.size() != n))
    throw std::invalid_argument(
        "logrank: time, status, group, stratum and weight differ in length");
  const bool weighted = !input.weight.empty();
  // Frequencies (whole numbers) stand for identical rows: the unweighted test of those rows.
  const bool breslow = weighted && !input.frequency;

  std::size_t K = input.n_groups;
  if (K == 0)
    for (std::int32_t g : input.group)
      K = std::max(K, static_cast<std::size_t>(std::max(g, 0)) + 1);

  out.n_groups = K;
  out.weighted = breslow;
  out.n.assign(K, 0);
  out.observed.assign(K, 0.0);
  out.expected.assign(K, 0.0);
  out.variance.assign(K * K, 0.0);
  out.strata.clear();
  out.n_by_stratum.clear();
  out.observed_by_stratum.clear();
  out.expected_by_stratum.clear();

  const bool fh = options.rho != 0.0 || options.gamma != 0.0;
  out.weight_log_scale = 0.0;
  ws.packed = false;
  if (!weighted && !fh && K <= kDirectMaxGroups && n <= UINT32_MAX &&
      packed_stats(input, K, out, ws, scan)) {
    ws.rows.clear();
    return;
  }

  // Gather the rows into one contiguous array and sort it by (stratum, time): the only sort.
  auto& rows = ws.rows;
  detail::resize_huge(rows, n);
  if (n > UINT32_MAX) throw std::length_error("logrank: more than 2^32 - 1 rows");
  std::int32_t max_stratum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::int32_t g = input.group[i];
    if (g < 0 || static_cast<std::size_t>(g) >= K)
      throw std::invalid_argument("logrank: group code " + std::to_string(g) + " out of range");
    std::int32_t s = input.stratum.empty() ? 0 : input.stratum[i];
    if (s < 0) throw std::invalid_argument("logrank: negative stratum code");
    max_stratum = std::max(max_stratum, s);
    if (weighted) {
      const double w = input.weight[i];
      if (!(w >= 0.0) || !std::isfinite(w))
        throw std::invalid_argument("logrank: case weights must be finite and >= 0");
      if (input.frequency && w != std::floor(w))
        throw std::invalid_argument("logrank: frequencies must be whole numbers");
    }
    if (std::isnan(input.time[i])) throw std::invalid_argument("logrank: a time is NaN");
    const std::uint32_t payload =
        weighted ? static_cast<std::uint32_t>(i)
                 : (static_cast<std::uint32_t>(g) << 1) | (input.status[i] != 0 ? 1u : 0u);
    rows[i] = Row{detail::time_key(input.time[i]), payload, s};
    out.n[static_cast<std::size_t>(g)] += input.frequency && weighted ? static_cast<std::size_t>(input.weight[i]) : 1;
  }
  // One stable radix sort by (stratum, time) (util/time_order.hpp).
  detail::sort_keyed_rows(rows, ws.sort_buffer, ws.histogram,
                          static_cast<std::size_t>(max_stratum) + 1);
  const RowView view{input, weighted};

  if (fh) ws.fh_weight.resize(n);
  // Fleming–Harrington weights far from 1 (rho = -200: S^rho = 1e234 and more) would overflow O,
  // E and above all V (sums of W^2). The test is unchanged when every weight is divided by one
  // constant (O - E scales with it, V with its square), so when the largest weight at an event
  // time, exp(M), is beyond exp(+-300) (or W^2 n could overflow), the weights are computed in log
  // space as W / exp(M) and out.weight_log_scale = M says so.
  if (fh) {
    double M = -std::numeric_limits<double>::infinity();
    for (std::size_t b = 0; b < n;) {
      std::size_t e = b;
      while (e < n && rows[e].code == rows[b].code) ++e;
      M = std::max(M, fh_weights_stratum(rows.data(), b, e, view, options, 0.0, nullptr, ws.fh_weight.data()));
      b = e;
    }
    if (std::isfinite(M) && (2 * M + std::log(static_cast<double>(n)) > 700 || M < -300))
      out.weight_log_scale = M;
  }
  // Many groups: V = diag(D) - (A + A'), accumulated as the file comment explains.
  const bool many = K > kDirectMaxGroups;
  ws.scratch.assign((many ? 3 : 2) * K, 0.0);
  double* risk = ws.scratch.data();  // weighted number at risk per group
  double* deaths_k = risk + K;       // weighted events per group at the current time
  double* D = many ? deaths_k + K : nullptr;  // sum_t c (n_j / n) per group
  double* V = out.variance.data();             // V, or A when `many`

  for (std::size_t b = 0; b < n;) {
    out.strata.push_back(rows[b].code);
    const std::size_t off = out.observed_by_stratum.size();
    out.observed_by_stratum.resize(off + K, 0.0);
    out.expected_by_stratum.resize(off + K, 0.0);
    out.n_by_stratum.resize(off + K, 0);
    std::size_t e = b;  // the stratum is [b, e)
    for (; e < n && rows[e].code == rows[b].code; ++e)
      out.n_by_stratum[off + static_cast<std::size_t>(view.group(rows[e]))] += view.count(rows[e]);
    double* Os = out.observed_by_stratum.data() + off;
    double* Es = out.expected_by_stratum.data() + off;

    if (fh) fh_weights_stratum(rows.data(), b, e, view, options, out.weight_log_scale, ws.fh_weight.data());

    // Many groups: the suffix sums S of c / n^2 over the stratum's event times (one scalar pass).
    if (many) variance_suffix_sums(rows.data(), b, e, view, fh ? ws.fh_weight.data() : nullptr, ws.suffix);
    std::size_t next_event = 0;  // many groups: index in ws.suffix of the next event time

    std::fill(risk, risk + K, 0.0);
    double n_risk = 0.0;
    // Backward over the tied blocks [j, i) of the stratum: the risk set at a time is everyone
    // with that time or later, so it grows as we walk back.
    for (std::size_t i = e; i > b;) {
      const std::uint64_t t = rows[i - 1].key;
      double deaths = 0.0;
      std::size_t j = i;
      // S of the next event time (0 once none is left): the weight of the change of the products
      // n_j n_k that a row entering the risk set makes (the file comment)
      const double S_next = many && next_event < ws.suffix.size() ? ws.suffix[next_event] : 0.0;
      for (; j > b && rows[j - 1].key == t; --j) {
        const Row& r = rows[j - 1];
        const auto g = static_cast<std::size_t>(view.group(r));
        const double w = view.weight(r);
        if (S_next != 0.0) {
          // A_g. += S w n_k (n_g counted half: the diagonal of A + A' gets S ((n_g + w)^2 - n_g^2))
          const double sw = S_next * w;
          double* A = V + g * K;
          for (std::size_t k = 0; k < K; ++k) A[k] += sw * risk[k];
          A[g] += sw * 0.5 * w;
        }
        risk[g] += w;
        n_risk += w;
        if (view.event(r)) {
          deaths_k[g] += w;
          deaths += w;
        }
      }
      if (deaths > 0.0) {
        const double W = fh ? ws.fh_weight[j] : 1.0;
        if (many) {
          for (std::size_t k = 0; k < K; ++k) {
            Os[k] += W * deaths_k[k];
            Es[k] += W * deaths * risk[k] / n_risk;
            deaths_k[k] = 0.0;
          }
          const double c = variance_factor(W, deaths, n_risk, breslow);
          ++next_event;
          if (c != 0.0)
            for (std::size_t k = 0; k < K; ++k) D[k] += c * risk[k] / n_risk;
        } else {
          add_event_time(K, W, deaths, n_risk, risk, deaths_k, Os, Es, V, breslow);
        }
      }
      i = j;
    }
    for (std::size_t k = 0; k < K; ++k) {
      out.observed[k] += Os[k];
      out.expected[k] += Es[k];
    }
    b = e;
  }
  if (many) {
    // V = diag(D) - (A + A'), in place of A.
    for (std::size_t j = 0; j < K; ++j) {
      for (std::size_t k = j + 1; k < K; ++k) {
        const double m = V[j * K + k] + V[k * K + j];
        V[j * K + k] = V[k * K + j] = -m;
      }
      V[j * K + j] = D[j] - 2.0 * V[j * K + j];
    }
  }
}

}  // namespace

LogrankStats logrank_stats(const LogrankInput& input, const LogrankOptions& options) {
  LogrankStats out;
  LogrankWorkspace workspace;
  logrank_stats(input, options, out, workspace);
  return out;
}

void logrank_stats(const LogrankInput& input, const LogrankOptions& options, LogrankStats& out,
                   LogrankWorkspace& ws) {
  compute_stats(input, options, out, ws, nullptr);
}

TwoArmLogrank logrank_two_arm_sum(std::span<const double> deaths, std::span<const double> deaths1,
                                  std::span<const double> at_risk,
                                  std::span<const double> at_risk1) {
  // The operations of logrank_stats at each time, so the results agree with it exactly.
  const std::size_t m = deaths.size();
  double o1 = 0.0, e1 = 0.0, v11 = 0.0;
  for (std::size_t k = 0; k < m; ++k) {
    const double d = deaths[k], n_risk = at_risk[k], risk1 = at_risk1[k];
    o1 += deaths1[k];
    double share, tmp;  // d n_1 / n, and c n_1 / n
    if (d == 1.0) {
      // untied (nearly always): c = 1 (0 for a risk set of one), so both are the same quotient
      share = risk1 / n_risk;
      tmp = n_risk > 1.0 ? share : 0.0;
    } else {
      share = d * risk1 / n_risk;
      // a risk set of one adds no variance (c = 0: d <= 1 = n_risk)
      const double c = d * (n_risk - d) / (n_risk > 1.0 ? n_risk - 1.0 : 1.0);
      tmp = c * risk1 / n_risk;
    }
    e1 += share;
    v11 += tmp;
    v11 -= tmp * risk1 / n_risk;
  }
  return {o1 - e1, v11};
}

TwoArmLogrank logrank_two_arm_sorted(std::span<const double> time,
                                     std::span<const std::uint8_t> status,
                                     std::span<const std::int32_t> group,
                                     std::span<const std::int32_t> stratum, std::size_t n_strata,
                                     std::vector<double>& scratch) {
  // Backward over the blocks of equal time: per stratum, the numbers at risk in each group grow
  // as we walk back; at each time every stratum with deaths contributes as in logrank_stats.
  // Cost O(n + d S) for d distinct times and S strata.
  const std::size_t n = time.size();
  const std::size_t S = stratum.empty() ? 1 : std::max<std::size_t>(n_strata, 1);
  double o1 = 0.0, e1 = 0.0, v11 = 0.0;
  if (stratum.empty()) {
    // One stratum, in two passes without data-dependent branches (whether a row is an event is
    // random, so a branch on it is mispredicted often). Pass 1, backward: the numbers at risk and
    // deaths by arm; at the end of each block of equal times, the block is appended to a list of
    // event times, which only advances when the block had deaths. Pass 2: the sums over that list,
    // with the same operations in the same order as logrank_stats.
    scratch.resize(4 * n + 4);
    double* ev_d = scratch.data();  // deaths at each event time
    double* ev_d1 = ev_d + n + 1;   // deaths in group 1
    double* ev_r1 = ev_d1 + n + 1;  // at risk in group 1
    double* ev_n = ev_r1 + n + 1;   // at risk
    std::size_t m = 0;
    double r0 = 0.0, r1 = 0.0, d0 = 0.0, d1 = 0.0;
    for (std::size_t i = n; i > 0; --i) {
      const std::size_t r = i - 1;
      const double g1 = group[r] != 0 ? 1.0 : 0.0;
      const double ev = status[r] != 0 ? 1.0 : 0.0;
      r1 += g1;
      r0 += 1.0 - g1;
      d1 += ev * g1;
      d0 += ev - ev * g1;
      if (r == 0 || time[r - 1] != time[r]) {  // end of a block of equal times: rarely false
        const double deaths = d0 + d1;
        ev_d[m] = deaths;
        ev_d1[m] = d1;
        ev_r1[m] = r1;
        ev_n[m] = r0 + r1;
        m += deaths != 0.0 ? 1 : 0;
        d0 = d1 = 0.0;
      }
    }
    return logrank_two_arm_sum(std::span<const double>(ev_d, m), std::span<const double>(ev_d1, m),
                               std::span<const double>(ev_n, m), std::span<const double>(ev_r1, m));
  }
  scratch.assign(5 * S, 0.0);
  double* risk0 = scratch.data();
  double* risk1 = risk0 + S;
  double* dead0 = risk1 + S;
  double* dead1 = dead0 + S;
  double* touched = dead1 + S;  // 1 when the stratum has deaths at the current time
  for (std::size_t i = n; i > 0;) {
    const double t = time[i - 1];
    std::size_t j = i;
    bool any = false;
    for (; j > 0 && time[j - 1] == t; --j) {
      const std::size_t r = j - 1;
      const std::size_t s = stratum.empty() ? 0 : static_cast<std::size_t>(stratum[r]);
      const bool g1 = group[r] != 0;
      (g1 ? risk1 : risk0)[s] += 1.0;
      if (status[r] != 0) {
        (g1 ? dead1 : dead0)[s] += 1.0;
        touched[s] = 1.0;
        any = true;
      }
    }
    if (any)
      for (std::size_t s = 0; s < S; ++s) {
        if (touched[s] == 0.0) continue;
        const double n_risk = risk0[s] + risk1[s];
        const double deaths = dead0[s] + dead1[s];
        o1 += dead1[s];
        e1 += deaths * risk1[s] / n_risk;
        if (n_risk > 1.0) {
          const double c = deaths * (n_risk - deaths) / (n_risk - 1.0);
          const double tmp = c * risk1[s] / n_risk;
          v11 += tmp;
          v11 -= tmp * risk1[s] / n_risk;
        }
        dead0[s] = dead1[s] = touched[s] = 0.0;
      }
    i = j;
  }
  return {o1 - e1, v11};
}

LogrankGroupColumns logrank_group_columns(const LogrankStats& stats) {
  // print.survdiff: cbind(n, O, E, (O - E)^2 / E, (O - E)^2 / diag(var))
  LogrankGroupColumns c;
  for (std::size_t k = 0; k < stats.n_groups; ++k) {
    const double oe = stats.observed[k] - stats.expected[k];
    c.o_minus_e.push_back(oe);
    c.oe2_over_e.push_back(oe * oe / stats.expected[k]);
    c.oe2_over_v.push_back(oe * oe / stats.var(k, k));
  }
  return c;
}

LogrankTest logrank_test(const LogrankStats& stats) {
  const std::size_t K = stats.n_groups;
  LogrankTest test;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  test.z = nan;
  test.p_one_sided = nan;

  // As survdiff: only groups with E > 0 take part, and the first of those is dropped (the rows
  // of V sum to zero, so one group is redundant).
  std::vector<std::size_t> keep;
  for (std::size_t k = 0; k < K; ++k)
    if (stats.expected[k] > 0.0) keep.push_back(k);
  if (keep.size() >= 2) {
    const auto m = static_cast<Eigen::Index>(keep.size() - 1);
    Eigen::VectorXd u(m);
    Eigen::MatrixXd v(m, m);
    for (Eigen::Index a = 0; a < m; ++a) {
      const std::size_t ka = keep[static_cast<std::size_t>(a) + 1];
      u(a) = stats.observed[ka] - stats.expected[ka];
      for (Eigen::Index c = 0; c < m; ++c)
        v(a, c) = stats.var(ka, keep[static_cast<std::size_t>(c) + 1]);
    }
    // Generalized inverse through the eigen-decomposition: survdiff's solve() whenever V is
    // non-singular, and still defined (with df = rank) when it is not. Eigenvalues below
    // eps^(3/4) of the largest count as zero (coxph's toler.chol). The eigenvalues alone give the
    // rank; a full-rank V (the usual case) is then solved by its Cholesky (LDL') factors, and
    // only a singular one needs the eigenvectors, several times dearer for many groups.
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(v, Eigen::EigenvaluesOnly);
    const Eigen::VectorXd& lambda = eig.eigenvalues();
    const double tol = std::pow(std::numeric_limits<double>::epsilon(), 0.75) *
                       std::max(lambda.cwiseAbs().maxCoeff(), 0.0);
    int rank = 0;
    for (Eigen::Index a = 0; a < m; ++a)
      if (lambda(a) > tol && lambda(a) > 0.0) ++rank;
    double chisq = 0.0;
    if (rank == m) {
      chisq = u.dot(v.ldlt().solve(u));
    } else if (rank > 0) {
      eig.compute(v);
      const Eigen::VectorXd q = eig.eigenvectors().transpose() * u;
      for (Eigen::Index a = 0; a < m; ++a)
        if (lambda(a) > tol && lambda(a) > 0.0) chisq += q(a) * q(a) / eig.eigenvalues()(a);
    }
    if (rank > 0) {
      test.chisq = chisq;
      test.df = rank;
      namespace bm = boost::math;
      test.p = bm::cdf(bm::complement(bm::chi_squared(static_cast<double>(rank)), chisq));
    }
  }
  if (K == 2) {
    const double v11 = stats.var(1, 1);
    if (v11 > 0.0) {
      test.z = (stats.observed[1] - stats.expected[1]) / std::sqrt(v11);
      test.p_one_sided = boost::math::cdf(boost::math::normal(), test.z);
    }
  }
  return test;
}

LogrankResult logrank(const SurvData& data, const LogrankOptions& options) {
  if (data.group.empty()) throw UsageError("logrank: a group (--group) is required");
  check_group_levels(data, 2, SIZE_MAX, "the log-rank test compares two or more groups");
  if (!std::isfinite(options.rho)) throw UsageError("logrank: --rho must be a finite number");
  if (!std::isfinite(options.gamma) || options.gamma < 0.0)
    throw UsageError("logrank: --gamma must be a finite number >= 0");
  LogrankResult result;
  result.options = options;
  result.n = data.rows();
  LogrankInput input{.time = data.time,
                     .status = data.status,
                     .group = data.group,
                     .stratum = data.stratum,
                     .weight = data.weight,
                     .n_groups = data.group_levels.size(),
                     .frequency = data.frequency};
  LogrankWorkspace ws;
  detail::AeqScanDescending scan;
  compute_stats(input, options, result.stats, ws, options.timefix ? &scan : nullptr);
  if (options.timefix) {
    // whether aeqSurv would merge any times, from the rows sorted by (stratum, time): one
    // stratum is read in place; several have their distinct times merged
    const auto& rows = ws.rows;
    bool merges = false;
    if (ws.packed) {
      // one stratum: from its distinct times as the pass met them, unless that is not certain
      std::optional<bool> known;
      if (result.stats.strata.size() <= 1) known = scan.merges();
      merges = known ? *known : packed_times_merge(ws, result.stats.n_groups);
    } else if (rows.empty() || rows.front().code == rows.back().code) {
      merges = detail::aeq_merges_sorted(std::span<const Row>(rows.data(), rows.size()));
    } else {
      std::vector<std::vector<double>> distinct;
      for (std::size_t k = 0; k < rows.size(); ++k) {
        if (k == 0 || rows[k].code != rows[k - 1].code) distinct.emplace_back();
        if (k == 0 || rows[k].key != rows[k - 1].key || rows[k].code != rows[k - 1].code)
          distinct.back().push_back(detail::key_time(rows[k].key));
      }
      merges = detail::aeq_merges(std::vector<std::span<const double>>(distinct.begin(), distinct.end()));
    }
    if (merges) {
      std::vector<double> fixed(data.time), no_start;
      result.times_merged = detail::aeq_surv(fixed, no_start);
      input.time = fixed;
      logrank_stats(input, options, result.stats, ws);
    }
  }
  // levels without rows were dropped by the data layer; a hand-built SurvData may keep them
  std::size_t present = 0;
  for (std::size_t k : result.stats.n) present += k > 0 ? 1 : 0;
  if (present < 2) {
    SurvData levels;
    levels.source = data.source;
    levels.group_name = data.group_name;
    levels.group = {0};
    for (std::size_t k = 0; k < result.stats.n.size(); ++k)
      if (result.stats.n[k] > 0) levels.group_levels.push_back(data.group_levels[k]);
    check_group_levels(levels, 2, SIZE_MAX, "the log-rank test compares two or more groups");
  }
  result.test = logrank_test(result.stats);
  return result;
}

}  // namespace hazard
