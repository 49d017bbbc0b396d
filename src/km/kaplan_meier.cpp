// The Kaplan–Meier estimate with Greenwood variance and the Nelson–Aalen cumulative hazard, per
// group.
//
// Source: R survival, survfitKM / C survfitkm (stype = 1, ctype = 1), case weights as `weights=`
// with the (weighted) Greenwood variance, i.e. survfit(..., robust = FALSE). At each distinct time
// t (event or censoring), with n = weighted number at risk (time >= t), d = weighted events at t,
// d0 = unweighted events at t:
//   S(t)   = prod (n - d) / n                      over times with d0 > 0 and d > 0
//   H(t)   = sum d / n                             (Nelson–Aalen)
//   V(t)   = sum d / (n (n - d))                   (Greenwood, of log S; +inf once n = d)
//   se_log = sqrt(V), std_err(S) = S * se_log      (R's summary.survfit std.err)
// Robust variance (survfit's default with non-integer weights, robust = TRUE; each row its own
// cluster): the infinitesimal jackknife, Var S(t) = sum_i (w_i dS(t)/dw_i)^2 with
//   dlog S(t)/dw_i = D_i(t) = G(min(t, T_i)) - delta_i 1{T_i <= t} / (n(T_i) - d(T_i)),
//   G(t) = sum_{t_j <= t} d_j / (n_j (n_j - d_j))          (the Greenwood sum V above)
// (the derivative of sum log(1 - d_j / n_j) in w_i: i adds to n_j while at risk, to d_j at its
// event). Summed per distinct time in one forward pass: the rows still at risk after t give
// G(t)^2 sum w_i^2, the rows that left at t_j <= t give w_i^2 D_i^2, fixed once they left; so
// O(1) per time. std_err = S sqrt(that); se_log = std_err / S (survfit_confint, logse = FALSE).
// Checked against survfit(weights =)$std.err to 1e-15 (tests/reference/km/make_km_robust.R).
// Limits: km_conf_limits (conf_limits.cpp). Ties: events and censorings at the same time are
// one row; censored subjects are at risk at their own time (n counts time >= t).
// Input: unsorted rows, times finite and >= 0; one sort by (group, time) (util/time_order.hpp:
// radix sort for large n; without case weights the rows split by group and sorted as 8-byte
// keys), then per group: with case weights a backward pass accumulates the risk set from the last
// time (R's order of summation, so n - d is exactly 0 when everyone left fails) and a forward pass
// forms the products and sums; without them every count is whole (exact in any order), and one
// forward pass over the blocks of tied rows does both.
// Timefix: as R (survfit's timefix = TRUE, aeqSurv), times closer than sqrt(machine eps) are
// merged first (util/timefix.hpp, shared with cox and logrank); whether any would merge is read
// from the sorted rows (unweighted) or the curves' distinct times (weighted), with no sort of its
// own, and only then are the curves made again on the merged times. KmOptions::timefix = false
// compares times exactly.
// Without the curve (KmOptions::keep_curve = false): unweighted rows stream into a
// KmCurveReducer (curve_reducer.cpp), which keeps the few rows the summaries read; the groups'
// rows are made as two runs of about n/2 rows on two threads, the group where they meet cut at a
// distinct time and its parts' reduced rows joined (reduced_in_two_runs).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "km/km_detail.hpp"
#include "util/huge_pages.hpp"
#include "util/time_order.hpp"
#include "util/two_threads.hpp"
#include "util/timefix.hpp"

namespace hazard {

const char* conf_type_name(ConfType type) {
  switch (type) {
    case ConfType::log_log:
      return "log-log";
    case ConfType::log:
      return "log";
    case ConfType::plain:
      return "plain";
  }
  return "?";
}

ConfType parse_conf_type(const std::string& text) {
  if (text == "log-log" || text == "loglog") return ConfType::log_log;
  if (text == "log") return ConfType::log;
  if (text == "plain") return ConfType::plain;
  throw UsageError("--conf-type must be log-log, log or plain, not '" + text + "'");
}

namespace detail {

/// Sorted rows seen through an accessor: same_time(k, k2), time(k), event(k), w(k).
/// KeyedAccess: 16-byte records (payload = row index into status and weight, for case weights).
struct KeyedAccess {
  static constexpr bool unit_weights = false;
  std::span<const KeyedRow> rows;
  std::span<const std::uint8_t> status;
  std::span<const double> weight;
  std::size_t size() const { return rows.size(); }
  bool same_time(std::size_t a, std::size_t b) const { return rows[a].key == rows[b].key; }
  double time(std::size_t k) const { return key_time(rows[k].key); }
  bool event(std::size_t k) const { return status[rows[k].payload] == 1; }
  double w(std::size_t k) const { return weight[rows[k].payload]; }
};
/// PackedAccess: 8-byte keys of unweighted rows (PackedRow, util/time_order.hpp).
struct PackedAccess {
  static constexpr bool unit_weights = true;  // every sum over rows is a count
  std::span<const PackedRow> rows;
  std::size_t size() const { return rows.size(); }
  bool same_time(std::size_t a, std::size_t b) const {
    return rows[a].time_bits() == rows[b].time_bits();
  }
  double time(std::size_t k) const { return rows[k].time(); }
  bool event(std::size_t k) const { return rows[k].event(); }
  double w(std::size_t) const { return 1.0; }
};

/// The forward pass's products and sums, one distinct time at a time (file comment).
struct KmForward {
  ConfType conf_type;
  double z;
  bool robust;
  double km = 1, nelson = 0, v = 0;
  // robust: the squared weights of the rows still at risk after the current time, and the sum
  // over the rows that have left of (w_i D_i)^2 (see the file comment)
  double w2_after = 0, left = 0;

  // the limits of the last time (limits()), and whether they are set
  double last_lower = 0, last_upper = 0;
  bool have_limits = false, moved = true;

  /// Sets S, H and the SEs of the next time in r (nr at risk, d events), advancing the products
  /// and sums: `jump` whether S steps there; robust: w2e, w2c the squared weights of its events
  /// and censored rows.
  void estimates(KmRow& r, bool jump, double w2e, double w2c) {
    const double nr = r.n_risk, d = r.n_event;
    if (jump) {
      nelson += d / nr;
      km *= (nr - d) / nr;
      v += d / (nr * (nr - d));  // +inf when nr == d: S is 0 from here on
    }
    r.surv = km;
    r.cumhaz = nelson;
    double se_log, std_err;
    if (robust) {
      // the rows leaving at t: censored ones with D = G(t), events with D = G(t) - 1 / (n - d)
      const double own = jump ? 1 / (nr - d) : 0.0;
      left += w2c * v * v + w2e * (v - own) * (v - own);
      w2_after -= w2e + w2c;
      const double var_log = v * v * std::max(w2_after, 0.0) + left;
      // once S = 0 its influence is 0 (R's survfitkm), though D_i is infinite
      std_err = km == 0 ? 0.0 : km * std::sqrt(var_log);
      // as R's survfit_confint(logse = FALSE): se / S, 0 where se is 0
      se_log = std_err == 0 ? 0.0 : std_err / km;
    } else {
      se_log = std::sqrt(v);
      std_err = se_log * km;  // inf * 0 = NaN, as R
    }
    r.se_log = se_log;
    r.std_err = std_err;
    moved = jump || robust;  // else S and its SE are those of the time before
  }

  /// Sets r's limits from its S and se_log (estimates() just called for r). A time where S did not
  /// step has the time before's S and SE (Greenwood), hence its limits: they are not computed
  /// again.
  void limits(KmRow& r) {
    if (moved || !have_limits) {
      const ConfLimits ci = km_conf_limits_z(r.surv, r.se_log, conf_type, z);
      last_lower = ci.lower;
      last_upper = ci.upper;
      have_limits = true;
    }
    r.lower = last_lower;
    r.upper = last_upper;
  }

  /// estimates() and limits().
  void step(KmRow& r, bool jump, double w2e, double w2c) {
    estimates(r, jump, w2e, w2c);
    limits(r);
  }
};

/// The products and sums over unit-weight rows sorted by ascending time, one block of tied rows
/// at a time from row `begin` (a block's first row; f holds the state after the rows before it)
/// to `end` (a block's end): each time's row, with its limits when `Limits`, passed to `sink`.
/// Every sum over a time's rows is a whole count (exact in any order), and the number at risk at
/// a time is the count of rows from it on, so one forward pass over the blocks gives the numbers
/// R's backward pass sums, and the curve with them.
template <bool Limits, class Sink>
void km_blocks_unit(const PackedAccess& rows, std::size_t begin, std::size_t end, KmForward& f,
                    Sink&& sink) {
  const std::size_t n = rows.size();
  // the rows made in batches, the limits of a batch computed in one loop (the logarithms and
  // exponentials of its rows overlap in the processor), then the batch passed to sink
  constexpr std::size_t batch = 64;
  KmRow buf[batch];
  bool moved[batch];
  std::size_t in = 0;
  auto flush = [&] {
    if constexpr (Limits) {
      for (std::size_t i = 0; i < in; ++i) {
        f.moved = moved[i];
        f.limits(buf[i]);
      }
    }
    for (std::size_t i = 0; i < in; ++i) sink(buf[i]);
    in = 0;
  };
  for (std::size_t k = begin; k < end;) {
    const std::size_t start = k;
    std::size_t events = 0;
    do {
      events += rows.event(k) ? 1 : 0;
      ++k;
    } while (k < end && rows.same_time(k, start));
    const auto d = static_cast<double>(events), censored = static_cast<double>(k - start - events);
    KmRow& r = buf[in];
    r = {.time = rows.time(start),
         .n_risk = static_cast<double>(n - start),
         .n_event = d,
         .n_censor = censored};
    f.estimates(r, d > 0, d, censored);
    moved[in] = f.moved;
    if (++in == batch) flush();
  }
  flush();
}

/// The forward pass's state at the start of unit-weight rows sorted by ascending time.
KmForward km_start_unit(std::size_t n, ConfType conf_type, double conf_level, bool robust) {
  KmForward f{.conf_type = conf_type, .z = km_z(conf_level), .robust = robust};
  f.w2_after = static_cast<double>(n);  // robust: the sum of the squared weights
  return f;
}

/// The rows of the curve of unit-weight rows sorted by ascending time, each passed to `sink` as it
/// is made (km_blocks_unit over all rows).
template <class Sink>
void km_rows_unit(const PackedAccess& rows, ConfType conf_type, double conf_level, bool robust,
                  Sink&& sink) {
  KmForward f = km_start_unit(rows.size(), conf_type, conf_level, robust);
  km_blocks_unit<true>(rows, 0, rows.size(), f, sink);
}

/// The curve of rows sorted by ascending time; `robust`: the infinitesimal-jackknife SE.
template <class Access>
KmCurve km_curve_sorted(const Access& rows, ConfType conf_type, double conf_level, bool robust) {
  KmCurve c;
  const std::size_t n = rows.size();
  if (n == 0) return c;

  // Distinct times (ascending): the curve's length.
  std::size_t m = 1;
  for (std::size_t k = 1; k < n; ++k)
    if (!rows.same_time(k, k - 1)) ++m;
  for (auto* col : {&c.time, &c.n_risk, &c.n_event, &c.n_censor, &c.surv, &c.se_log, &c.std_err,
                    &c.lower, &c.upper, &c.cumhaz})
    reserve_huge(*col, m);

  if constexpr (Access::unit_weights) {
    km_rows_unit(rows, conf_type, conf_level, robust, [&](const KmRow& r) { push_row(c, r); });
    return c;
  }

  KmForward f{.conf_type = conf_type, .z = km_z(conf_level), .robust = robust};
  resize_huge(c.time, m);
  resize_huge(c.n_risk, m);
  resize_huge(c.n_event, m);
  resize_huge(c.n_censor, m);
  // per time the unweighted event count d0 and (robust) the sums of squared weights of its
  // events and of its censored rows
  std::vector<std::size_t> d0;
  resize_huge(d0, m, std::size_t{0});
  std::vector<double> w2_event, w2_censor;
  if (robust) {
    resize_huge(w2_event, m, 0.0);
    resize_huge(w2_censor, m, 0.0);
  }

  // Backward pass: the risk set grows from the last time, as R's survfitkm sums it.
  double at_risk = 0;
  std::size_t j = m;  // current distinct time + 1
  for (std::size_t k = n; k-- > 0;) {
    if (k == n - 1 || !rows.same_time(k, k + 1)) {
      --j;
      c.time[j] = rows.time(k);
      c.n_event[j] = 0;
      c.n_censor[j] = 0;
    }
    const double wi = rows.w(k);
    at_risk += wi;
    if (rows.event(k)) {
      c.n_event[j] += wi;
      ++d0[j];
      if (robust) w2_event[j] += wi * wi;
    } else {
      c.n_censor[j] += wi;
      if (robust) w2_censor[j] += wi * wi;
    }
    c.n_risk[j] = at_risk;
  }

  // Forward pass: products and sums.
  if (robust)
    for (std::size_t t = 0; t < m; ++t) f.w2_after += w2_event[t] + w2_censor[t];
  for (std::size_t t = 0; t < m; ++t) {
    const double d = c.n_event[t];
    KmRow r{.time = c.time[t], .n_risk = c.n_risk[t], .n_event = d, .n_censor = c.n_censor[t]};
    f.step(r, d0[t] > 0 && d > 0, robust ? w2_event[t] : 0.0, robust ? w2_censor[t] : 0.0);
    push_estimates(c, r);
  }
  return c;
}

}  // namespace detail

void check_km_options(const KmOptions& o) {
  if (!(o.conf_level > 0 && o.conf_level < 1))
    throw UsageError("the confidence level must be in (0, 1)");
  for (double p : o.quantiles)
    if (!(p >= 0 && p <= 1)) throw UsageError("a quantile must be a probability in [0, 1]");
  for (double t : o.times)
    if (!std::isfinite(t) || t < 0)
      throw UsageError("a landmark time must be a finite number >= 0");
  if (o.rmst_tau && (!std::isfinite(*o.rmst_tau) || *o.rmst_tau <= 0))
    throw UsageError("the RMST truncation time tau must be a finite number > 0");
}

namespace {

// The checks of the input, in the order their errors are reported: lengths, times, group codes.
void check_lengths(std::span<const double> time, std::span<const std::uint8_t> status,
                   std::span<const double> weight) {
  if (status.size() != time.size() || (!weight.empty() && weight.size() != time.size()))
    throw std::invalid_argument("km: time, status and weight differ in length");
}
void check_times(std::span<const double> time) {
  for (double t : time)
    if (!(t >= 0) || !std::isfinite(t))
      throw std::invalid_argument("km: times must be finite and >= 0");
}
void check_groups(std::span<const std::int32_t> group, std::size_t n_groups) {
  for (std::int32_t g : group)
    if (g < 0 || static_cast<std::size_t>(g) >= n_groups)
      throw std::invalid_argument("km: a group code is outside the group levels");
}

}  // namespace

namespace detail {

/// How km_curves makes its curves.
struct CurveJob {
  ConfType conf_type = ConfType::log_log;
  double conf_level = 0.95;
  bool robust = false;
  /// Whether to ask first if timefix would merge times (then no curve is made: needs_fix).
  bool check_timefix = false;
  /// Keep only the rows these summaries read (KmCurveReducer); nullptr: the whole curves.
  const KmSummaryNeeds* reduce = nullptr;
};

/// A group's curve (whole, or reduced when it gives the same summaries), the whole curve's number
/// of rows and its events (sum of n_event in row order).
struct GroupCurve {
  KmCurve curve{};
  std::size_t rows = 0;
  double events = 0;
};

GroupCurve whole(KmCurve curve) {
  GroupCurve g;
  g.rows = curve.size();
  for (double d : curve.n_event) g.events += d;
  g.curve = std::move(curve);
  return g;
}

/// The whole curve reduced to the rows job.reduce reads, when that gives the same summaries.
GroupCurve reduced(KmCurve curve, const KmSummaryNeeds& needs) {
  KmCurveReducer r(needs);
  for (std::size_t i = 0; i < curve.size(); ++i) r.add(row_of(curve, i));
  if (!r.exact()) return whole(std::move(curve));
  return {.curve = r.finish(), .rows = r.rows(), .events = r.events()};
}

/// The reduced curves (job.reduce) of the groups' unweighted rows, each group's sorted by time,
/// made as two runs of rows in group order on two threads (two_halves): run 0 from the first
/// group's first row to about row n / 2, moved on to a distinct time's first row, run 1 from
/// there to the end. The group where they meet is cut there: its second part starts from the
/// forward pass's state at the cut, made by the pass itself over the first part's rows without
/// limits (the same operations in the same order, so bit for bit the state the first part ends
/// with), and the parts' reduced rows are joined (join_reduced_parts). The runs depend on n alone,
/// not on the thread count. A group whose bands fall (a reducer not exact) gets its whole curve.
/// Each group's rows are freed once its curve is made.
std::vector<GroupCurve> reduced_in_two_runs(std::vector<std::vector<PackedRow>>& rows,
                                            const CurveJob& job) {
  const std::size_t n_groups = rows.size();
  std::size_t n = 0;
  for (const auto& r : rows) n += r.size();
  // the cut: group `cut_group`, row `cut_row` (0: the group is all in run 1; its size: in run 0)
  std::size_t cut_group = n_groups, cut_row = 0;
  for (std::size_t g = 0, before = 0; g < n_groups; before += rows[g].size(), ++g) {
    if (n / 2 < before + rows[g].size()) {
      const PackedAccess a{rows[g]};
      cut_group = g;
      cut_row = n / 2 - before;
      while (cut_row > 0 && cut_row < a.size() && a.same_time(cut_row, cut_row - 1)) ++cut_row;
      break;
    }
  }
  std::vector<GroupCurve> curves(n_groups);
  // the reduced curve of group g's rows [begin, end): from the forward pass's state at `begin`
  // (the same pass over the rows before it, without limits)
  auto reduce_rows = [&](std::size_t g, std::size_t begin, std::size_t end) {
    const PackedAccess access{rows[g]};
    KmForward f = km_start_unit(access.size(), job.conf_type, job.conf_level, job.robust);
    km_blocks_unit<false>(access, 0, begin, f, [](const KmRow&) {});
    KmCurveReducer r(*job.reduce, begin > 0);
    km_blocks_unit<true>(access, begin, end, f, [&](const KmRow& row) { r.add(row); });
    return finish_reduced(r);
  };
  // group g's curve from its reduced rows, or its whole curve when they are not exact; its rows
  // freed
  auto settle = [&](std::size_t g, ReducedCurve c) {
    if (c.exact)
      curves[g] = {.curve = std::move(c.curve), .rows = c.rows, .events = c.events};
    else
      curves[g] =
          whole(km_curve_sorted(PackedAccess{rows[g]}, job.conf_type, job.conf_level, job.robust));
    std::vector<PackedRow>().swap(rows[g]);
  };
  ReducedCurve parts[2];  // the cut group's parts
  two_halves(n, [&](int run) {
    if (run == 0) {
      for (std::size_t g = 0; g < std::min(cut_group, n_groups); ++g)
        settle(g, reduce_rows(g, 0, rows[g].size()));
      if (cut_group < n_groups && cut_row > 0) parts[0] = reduce_rows(cut_group, 0, cut_row);
      return;
    }
    if (cut_group < n_groups) parts[1] = reduce_rows(cut_group, cut_row, rows[cut_group].size());
    for (std::size_t g = cut_group + 1; g < n_groups; ++g)
      settle(g, reduce_rows(g, 0, rows[g].size()));
  });
  if (cut_group < n_groups)
    settle(cut_group,
           cut_row > 0 ? join_reduced_parts(parts[0], parts[1], *job.reduce) : std::move(parts[1]));
  return curves;
}

/// One curve per group code in [0, n_groups) (all rows in group 0 when `group` is empty), from
/// one radix sort (util/time_order.hpp): unweighted rows as 8-byte keys carrying the status, split
/// by group first; with case weights 16-byte records by (group, time). Checks the times (finite,
/// >= 0) and the group codes (check_times, check_groups: unweighted rows within the split, the
/// others first). `rows_in` (optional) receives the number of rows of each group. With
/// job.check_timefix, returns no curves and sets needs_fix when timefix would merge some times
/// (asked of the sorted rows, or of the weighted curves' distinct times). Unweighted rows stream
/// into job.reduce's reducer without the whole curve being stored.
std::vector<GroupCurve> km_curves(std::span<const double> time,
                                  std::span<const std::uint8_t> status,
                                  std::span<const double> weight,
                                  std::span<const std::int32_t> group, std::size_t n_groups,
                                  const CurveJob& job, bool& needs_fix,
                                  std::vector<std::size_t>* rows_in = nullptr) {
  const std::size_t n = time.size();
  if (n > UINT32_MAX) throw std::length_error("km: more than 2^32 - 1 rows");
  needs_fix = false;
  std::vector<GroupCurve> curves(n_groups);
  std::vector<std::uint32_t> hist;
  if (weight.empty()) {
    // Unweighted: split the rows by group as 8-byte (time, status) keys, then sort each group;
    // the split checks every time and group code on the way (a failure is reported below).
    std::vector<std::vector<PackedRow>> rows(n_groups);
    const bool ok = split_packed_rows(
        n,
        [&](std::size_t i) {
          return group.empty() ? std::size_t{0} : static_cast<std::size_t>(group[i]);
        },
        [&](std::size_t i, bool& fine) {
          const double t = time[i];
          if (!(t >= 0 && t <= std::numeric_limits<double>::max())) fine = false;
          return PackedRow(t, status[i] == 1);
        },
        rows);
    if (!ok) {
      check_times(time);
      check_groups(group, n_groups);
      throw std::logic_error("km: a row was rejected that passes the checks");
    }
    if (rows_in)
      for (std::size_t g = 0; g < n_groups; ++g) (*rows_in)[g] = rows[g].size();
    std::vector<PackedRow> other;
    for (std::size_t g = 0; g < n_groups; ++g) sort_packed_rows(rows[g], other, hist);
    std::vector<PackedRow>().swap(other);
    if (job.check_timefix && aeq_merges_packed_lists(rows)) {
      needs_fix = true;
      return {};
    }
    if (job.reduce) return reduced_in_two_runs(rows, job);
    // the groups dealt alternately to two threads (each curve is the same computation either
    // way; below two_thread_rows rows, one thread); each group's rows are freed once its curve
    // is made
    two_halves(n, [&](int half) {
      for (std::size_t g = static_cast<std::size_t>(half); g < n_groups; g += 2) {
        curves[g] = whole(
            km_curve_sorted(PackedAccess{rows[g]}, job.conf_type, job.conf_level, job.robust));
        std::vector<PackedRow>().swap(rows[g]);
      }
    });
    return curves;
  }
  check_times(time);
  check_groups(group, n_groups);
  HugeVector<KeyedRow> rows(n), other;
  for (std::size_t i = 0; i < n; ++i)
    rows[i] = {time_key(time[i]), static_cast<std::uint32_t>(i), group.empty() ? 0 : group[i]};
  sort_keyed_rows(rows, other, hist, group.empty() ? 0 : n_groups);
  std::vector<KmCurve> whole_curves(n_groups);
  std::size_t begin = 0;
  for (std::size_t g = 0; g < n_groups; ++g) {
    std::size_t end = begin;
    while (end < n && static_cast<std::size_t>(rows[end].code) == g) ++end;
    if (rows_in) (*rows_in)[g] = end - begin;
    whole_curves[g] = km_curve_sorted(
        KeyedAccess{std::span<const KeyedRow>(rows).subspan(begin, end - begin), status, weight},
        job.conf_type, job.conf_level, job.robust);
    begin = end;
  }
  if (job.check_timefix) {
    std::vector<std::span<const double>> distinct;
    for (const KmCurve& c : whole_curves) distinct.emplace_back(c.time);
    if (aeq_merges(distinct)) {
      needs_fix = true;
      return {};
    }
  }
  for (std::size_t g = 0; g < n_groups; ++g)
    curves[g] = job.reduce ? reduced(std::move(whole_curves[g]), *job.reduce)
                           : whole(std::move(whole_curves[g]));
  return curves;
}

/// Whether any weight is not a whole number (R's survfitKM switches to the robust variance then).
bool non_integer(std::span<const double> weight) {
  return std::any_of(weight.begin(), weight.end(), [](double w) { return w != std::floor(w); });
}

/// km_curves after R's timefix: when aeqSurv would merge some of the times, the curves of the
/// merged times; `merged` says whether that happened. `reduce`: as CurveJob::reduce.
std::vector<GroupCurve> km_curves_timefix(std::span<const double> time,
                                          std::span<const std::uint8_t> status,
                                          std::span<const double> weight,
                                          std::span<const std::int32_t> group, std::size_t n_groups,
                                          const KmOptions& o, bool robust,
                                          const KmSummaryNeeds* reduce, bool& merged,
                                          std::vector<std::size_t>* rows_in = nullptr) {
  CurveJob job{.conf_type = o.conf_type,
               .conf_level = o.conf_level,
               .robust = robust,
               .check_timefix = o.timefix,
               .reduce = reduce};
  bool needs_fix = false;
  merged = false;
  std::vector<GroupCurve> curves =
      km_curves(time, status, weight, group, n_groups, job, needs_fix, rows_in);
  if (!needs_fix) return curves;
  std::vector<double> fixed(time.begin(), time.end()), no_start;
  merged = aeq_surv(fixed, no_start);
  job.check_timefix = false;
  return km_curves(fixed, status, weight, group, n_groups, job, needs_fix, rows_in);
}

}  // namespace detail

KmCurve km_curve(std::span<const double> time, std::span<const std::uint8_t> status,
                 std::span<const double> weight, const KmOptions& options) {
  check_km_options(options);
  check_lengths(time, status, weight);
  bool merged = false;
  const bool robust = options.robust.value_or(detail::non_integer(weight));
  return std::move(
      detail::km_curves_timefix(time, status, weight, {}, 1, options, robust, nullptr, merged)[0]
          .curve);
}

KmResult kaplan_meier(const SurvData& data, const KmOptions& options) {
  check_km_options(options);
  check_lengths(data.time, data.status, data.weight);
  if (!data.group.empty() && data.group.size() != data.time.size()) {
    check_times(data.time);
    throw std::invalid_argument("km: group codes differ in length from the times");
  }

  KmResult r;
  r.conf_type = options.conf_type;
  r.conf_level = options.conf_level;
  r.weighted = data.weighted();
  const std::size_t n = data.size();
  const std::size_t n_groups = data.group.empty() ? 1 : data.group_levels.size();

  // One sort by (group, time) (km_curves, which checks the times and group codes).
  r.timefix = options.timefix;
  r.robust = options.robust.value_or(detail::non_integer(data.weight));
  // rows per group: counted by the sort unless they are frequencies
  std::vector<std::size_t> rows_in(n_groups, 0);
  std::vector<double> times = options.times;
  std::sort(times.begin(), times.end());  // as summary.survfit
  std::vector<double> probs = options.quantiles;
  probs.push_back(0.5);
  const detail::KmSummaryNeeds needs{.probs = probs, .times = times, .tau = options.rmst_tau};
  std::vector<detail::GroupCurve> curves = detail::km_curves_timefix(
      data.time, data.status, data.weight, data.group, n_groups, options, r.robust,
      options.keep_curve ? nullptr : &needs, r.times_merged, data.frequency ? nullptr : &rows_in);

  if (data.frequency) {
    if (data.group.empty())
      rows_in[0] = data.rows();
    else
      for (std::size_t i = 0; i < n; ++i)
        rows_in[static_cast<std::size_t>(data.group[i])] +=
            static_cast<std::size_t>(data.weight[i]);
  }
  r.groups.resize(n_groups);
  // each group's summaries from its curve alone: the groups dealt alternately to two threads, as
  // their curves (the same computation per group either way)
  detail::two_halves(n, [&](int half) {
    for (std::size_t g = static_cast<std::size_t>(half); g < n_groups; g += 2) {
      KmGroup& out = r.groups[g];
      if (!data.group.empty()) out.level = data.group_levels[g];
      out.curve = std::move(curves[g].curve);
      out.curve_rows = curves[g].rows;
      out.n = rows_in[g];
      out.events = curves[g].events;
      out.quantiles = km_quantiles(out.curve, probs);
      out.median = out.quantiles.back();
      out.quantiles.pop_back();
      for (double t : times) out.at.push_back(km_landmark(out.curve, t));
      if (options.rmst_tau) out.rmst = km_rmst(out.curve, *options.rmst_tau, options.conf_level);
      if (!options.keep_curve) out.curve = KmCurve{};
      if (out.n == 0) {  // a level without rows (R drops it): nothing is estimable
        constexpr double nan = std::numeric_limits<double>::quiet_NaN();
        for (KmLandmark& a : out.at) a.surv = a.std_err = a.lower = a.upper = nan;
        if (out.rmst)
          out.rmst->estimate = out.rmst->std_err = out.rmst->lower = out.rmst->upper = nan;
      }
    }
  });
  if (options.rmst_tau && n_groups == 2)
    r.rmst_difference = rmst_difference(*r.groups[0].rmst, *r.groups[1].rmst, options.conf_level);
  return r;
}

}  // namespace hazard
