// Internals shared by the Kaplan–Meier files (src/km/). Not part of the public API.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "hazard/km.hpp"

namespace hazard::detail {

/// z = Phi^-1(1 - (1 - conf_level) / 2), computed once per curve (a normal quantile per row
/// would dominate the run time).
double km_z(double conf_level);

/// km_conf_limits with z given.
ConfLimits km_conf_limits_z(double surv, double se_log, ConfType type, double z);

/// R's findq for several p at once on one (x, y): duplicates are removed once.
std::vector<double> findq(const std::vector<double>& x, const std::vector<double>& y,
                          const std::vector<double>& p);

/// One row of a KM curve: KmCurve's columns at one time.
struct KmRow {
  double time, n_risk, n_event, n_censor, surv, se_log, std_err, lower, upper, cumhaz;
};
/// Appends the row's S, SEs, limits and cumulative hazard (the columns KmForward::step fills).
inline void push_estimates(KmCurve& c, const KmRow& r) {
  c.surv.push_back(r.surv);
  c.se_log.push_back(r.se_log);
  c.std_err.push_back(r.std_err);
  c.lower.push_back(r.lower);
  c.upper.push_back(r.upper);
  c.cumhaz.push_back(r.cumhaz);
}
/// Appends the whole row.
inline void push_row(KmCurve& c, const KmRow& r) {
  c.time.push_back(r.time);
  c.n_risk.push_back(r.n_risk);
  c.n_event.push_back(r.n_event);
  c.n_censor.push_back(r.n_censor);
  push_estimates(c, r);
}
KmRow row_of(const KmCurve& curve, std::size_t i);

/// What kaplan_meier reads from each curve: the quantiles p (km_quantiles), the landmark times
/// (km_landmark, ascending) and the RMST truncation time (km_rmst).
struct KmSummaryNeeds {
  std::vector<double> probs{};
  std::vector<double> times{};
  std::optional<double> tau{};
};

/// The rows of a curve that its summaries read, picked while the rows stream past (KmOptions::
/// keep_curve = false), so that a curve of m rows needs O(summaries) memory, not O(m).
/// km_quantiles, km_landmark and km_rmst give on the reduced curve exactly what they give on the
/// whole one (the same rows are read; tests/unit/km/curve_reducer_test.cpp compares the two):
///   * findq per band (S, lower, upper; y = 1 - value, after the point (0, 0)), p and shift
///     +/-tol: the first row with y + shift >= p (a NaN skipped); the first NaN row; the first row
///     of the last value (R's y[last] after dropping repeats); the last row (xmax, max y);
///   * km_landmark(t): the last row with time <= t and the first with time >= t;
///   * km_rmst(tau): every row with time <= tau.
/// This holds when each band's values never decrease apart from NaN (findq's sorted and monotone
/// paths); exact() is false otherwise (e.g. a robust variance that falls), and the caller then
/// uses the whole curve.
class KmCurveReducer {
 public:
  /// `later_part`: the rows added are a later part of a curve, from some row on (the reducers of
  /// the parts are joined by join_reduced_parts). The reduced rows then also hold each band's first
  /// non-NaN row, so that the monotonicity across the cut can be checked on the reduced rows.
  explicit KmCurveReducer(const KmSummaryNeeds& needs, bool later_part = false);
  void add(const KmRow& row);
  /// The reduced curve (the rows above, ascending); call once, after the last add().
  KmCurve finish();
  bool exact() const;
  std::size_t rows() const { return rows_; }  ///< rows added: the whole curve's size
  double events() const { return events_; }   ///< sum of n_event, in row order

 private:
  struct Band {
    double prev = 0;  // y of the last non-NaN point (the first point is (0, 0))
    bool seen_nan = false, seen_value = false, monotone = true;
    int change_slot = -1;          // the row where y last changed: in change_rows_ (-1: none)
    std::size_t change_index = 0;  // (its index)
    std::size_t next[2] = {0, 0};  // per shift: the first p (ascending) not yet reached
  };
  std::vector<double> probs_;  // ascending
  double shift_[2];
  std::vector<double> times_;
  std::optional<double> tau_;
  bool later_part_;
  Band band_[3];
  KmRow change_rows_[4]{};       // the bands' last-change rows: at most 3 in use, one copy per row
  std::size_t le_ = 0, ge_ = 0;  // landmarks done: "last row <= t", "first row >= t"
  std::vector<std::pair<std::size_t, KmRow>> kept_;
  KmRow prev_row_{};
  std::size_t rows_ = 0;
  double events_ = 0;
};

/// A curve reduced by KmCurveReducer: the rows kept, whether they give the whole curve's
/// summaries (exact), the whole curve's row count and events.
struct ReducedCurve {
  KmCurve curve{};
  bool exact = true;
  std::size_t rows = 0;
  double events = 0;
};
/// The reduced curve of `r`'s rows (finish()).
ReducedCurve finish_reduced(KmCurveReducer& r);

/// The reduced curve of a curve cut in two at a row, from its parts' reduced curves (the second
/// made with later_part = true): the first part's rows, then the second's, reduced again. Exact
/// when both parts and the joined rows are (a band that falls across the cut falls in the joined
/// rows: each part keeps its last and, the later one, its first non-NaN row of every band).
ReducedCurve join_reduced_parts(const ReducedCurve& first, const ReducedCurve& second,
                                const KmSummaryNeeds& needs);

/// UsageError unless `data` has a group with exactly two levels and no strata (the two-arm tests
/// on Kaplan–Meier curves: milestone.cpp, rmst_comparison.cpp); `test` names the test in the message.
void check_two_arms(const SurvData& data, const char* test);

}  // namespace hazard::detail
