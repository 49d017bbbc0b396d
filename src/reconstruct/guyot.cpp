// Patient-level data rebuilt from a digitized Kaplan–Meier curve and its number-at-risk table:
// Guyot P, Ades AE, Ouwens MJNM, Welton NJ. Enhanced secondary analysis of survival data:
// reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res Methodol
// 2012;12:9 (the algorithm of its appendix R code; IPDfromKM, survHE::digitise and kmdata use it).
//
// Points k = 0..K-1 (time t_k strictly increasing, survival S_k non-increasing; clean_curve.cpp),
// at-risk table (T_i, N_i), i = 0..m-1. Interval i holds the points in [T_i, T_{i+1}).
// For each interval before the last:
//   censorings c_i: first guess round(N_i S(T_{i+1}) / S(T_i) - N_{i+1}), spread evenly over
//   (T_i, T_{i+1}] (times T_i + j (T_{i+1} - T_i)/(c_i + 1), j = 1..c_i, binned into the point
//   intervals (t_k, t_{k+1}] as R's hist() does); then along the points
//     d_k = round(n_k (1 - S_k / KM_last)),  KM_k = KM_last (1 - d_k / n_k),
//     n_{k+1} = n_k - d_k - cen_k   (KM_last: the KM at the last point with an event);
//   c_i += n(T_{i+1}) - N_{i+1} and repeat until n(T_{i+1}) = N_{i+1} (or it is below and no
//   censoring is left to remove; then N_{i+1} := n(T_{i+1}), as the paper does).
// Last interval: censoring at the average rate of the previous intervals,
//   c = min(round(C_before (t_end - T_last) / (t_before_end - T_0)), N_last);
// when the total number of events E is given, c += sum d - E until sum d = E (if the events
// before T_last already reach E, the last interval gets none, as in the paper).
// Output rows: d_k events at t_k; cen_k censorings at (t_k + t_{k+1}) / 2; everyone left censored
// at the last point's time.
//
// Guards against the published code's failure modes (docs/methods/guyot.md):
//   - points are cleaned to a monotone step function first (isotonic regression);
//   - a point ("anchor") is inserted at each at-risk time that has no click, at the step value
//     of the curve there: every interval then has a point, intervals without clicks work, and
//     the censoring of an interval is spread over exactly [T_i, T_{i+1}];
//   - d_k is clamped to [0, n_k], so no negative events; n_k = 0 or KM_last = 0 give d_k = 0
//     (no division by zero); n_{k+1} < 0 is prevented by lowering cen_k (the paper does this in
//     the last interval only);
//   - every adjustment loop caps censoring at the number at risk, stops when it cannot move and
//     detects cycles (the state is the censoring count alone, so a repeated count is a cycle),
//     then keeps the best count; so it always terminates. An interval left with too many at
//     risk gets the excess censored just before T_{i+1};
//   - the last interval's rate uses the censorings actually placed before it.
// Rounding is R's round(): half to even (std::nearbyint in the default rounding mode).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "hazard/reconstruct.hpp"

namespace hazard {

namespace {

using i64 = std::int64_t;

i64 round_even(double x) { return static_cast<i64>(std::nearbyint(x)); }

struct Work {
  std::vector<double> t, s;  // points: cleaned clicks and anchors
  std::vector<char> anchor;
  std::vector<std::size_t> lower, upper;  // interval i = points lower[i]..upper[i]
  std::vector<i64> nrisk;                 // the table, lowered where the paper lowers it
  std::vector<i64> d, cen, nhat;          // nhat has K + 1 entries
  std::vector<double> km;
  std::vector<std::size_t> last_i;  // point with the last event before interval i

  /// Spreads `ncen` censorings evenly over (t[a], t[b]] into cen[a..b-1]: censoring j = 1..ncen
  /// at ct_j = t[a] + j (t[b] - t[a]) / (ncen + 1) falls in the first point interval (t[k],
  /// t[k+1]] that holds it (the last one takes the rest). ct_j is non-decreasing in j in floating
  /// point too, so each interval's count comes from a binary search for the last j with
  /// ct_j <= t[k+1], on the very expression a loop over j would evaluate: the same counts as that
  /// loop, in O((b - a) log ncen) instead of O(ncen) (a count of 1e7 would be repeated in each of
  /// the adjustment loop's tries).
  void spread(i64 ncen, std::size_t a, std::size_t b) {
    std::fill(cen.begin() + static_cast<std::ptrdiff_t>(a),
              cen.begin() + static_cast<std::ptrdiff_t>(b), i64{0});
    if (ncen <= 0 || b <= a) return;
    const double t0 = t[a], t1 = t[b];
    auto ct = [&](i64 j) { return t0 + static_cast<double>(j) * (t1 - t0) / static_cast<double>(ncen + 1); };
    // the number of j in [1, ncen] with ct_j <= x
    auto at_or_below = [&](double x) {
      i64 lo = 0, hi = ncen;  // ct_lo <= x (lo = 0: none), ct_j > x for j > hi
      while (lo < hi) {
        const i64 mid = lo + (hi - lo + 1) / 2;
        if (ct(mid) <= x) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    i64 placed = 0;
    for (std::size_t k = a; k + 1 < b; ++k) {
      const i64 upto = at_or_below(t[k + 1]);
      cen[k] = upto - placed;
      placed = upto;
    }
    cen[b - 1] = ncen - placed;
  }

  /// Events along interval i given its censorings; returns the point of the last event.
  std::size_t fit_events(std::size_t i) {
    nhat[lower[i]] = nrisk[i];
    std::size_t last = last_i[i];
    for (std::size_t k = lower[i]; k <= upper[i]; ++k) {
      if (i == 0 && k == lower[0]) {
        d[k] = 0;
        km[k] = 1.0;
      } else {
        const i64 n = nhat[k];
        i64 dk = 0;
        if (km[last] > 0.0 && n > 0) {
          dk = std::clamp(round_even(static_cast<double>(n) * (1.0 - s[k] / km[last])), i64{0}, n);
        }
        d[k] = dk;
        km[k] =
            n > 0 ? km[last] * (1.0 - static_cast<double>(dk) / static_cast<double>(n)) : km[last];
      }
      nhat[k + 1] = nhat[k] - d[k] - cen[k];
      if (nhat[k + 1] < 0) {
        cen[k] = nhat[k] - d[k];
        nhat[k + 1] = 0;
      }
      if (d[k] != 0) last = k;
    }
    return last;
  }
};

/// The result of one of Guyot's adjustment loops.
struct Settled {
  i64 c = 0;             ///< censorings kept
  bool settled = false;  ///< the paper's stopping rule was met
  std::size_t tries = 0;
};

/// Guyot's adjustment of a censoring count c: `eval(c)` places c censorings, recomputes the
/// events and returns a count that falls as c grows (the number at risk at the next at-risk time,
/// or the total of events); c <- c + (eval(c) - target) until eval(c) == target, or eval(c) <
/// target with no censoring left to remove. The paper's interval loop asks whether the updated c
/// is still positive (`look_ahead`), its total-events loop whether the current one is.
/// Termination, which the paper's loops lack: c stays in [0, cap]; the loop stops when c cannot
/// move, when a value of c repeats (c is the whole state, so a repeat is a cycle) or after
/// `max_iter` tries, and then keeps the c whose result was closest to the target (ties: the larger
/// result, then the smaller c). On return the work arrays hold the state of the c returned.
template <class Eval>
Settled settle(i64 c, i64 cap, i64 target, int max_iter, bool look_ahead, Eval&& eval) {
  c = std::clamp(c, i64{0}, cap);
  std::vector<std::pair<i64, i64>> tried;  // (c, eval(c))
  for (int it = 0; it < max_iter; ++it) {
    const i64 r = eval(c);
    tried.emplace_back(c, r);
    i64 next = c + (r - target);
    const i64 removable = look_ahead ? next : c;
    if (!(r > target || (r < target && removable > 0))) return {c, true, tried.size()};
    next = std::clamp(next, i64{0}, cap);
    const bool seen =
        std::any_of(tried.begin(), tried.end(), [next](const auto& p) { return p.first == next; });
    if (seen) break;
    c = next;
  }
  auto best = *std::min_element(tried.begin(), tried.end(), [&](const auto& p, const auto& q) {
    const i64 gp = std::abs(p.second - target), gq = std::abs(q.second - target);
    if (gp != gq) return gp < gq;
    if (p.second != q.second) return p.second > q.second;
    return p.first < q.first;
  });
  if (best.first != tried.back().first) eval(best.first);
  return {best.first, false, tried.size()};
}

void validate_total_events(const ArmCurve& in) {
  if (!in.total_events) return;
  const double e = *in.total_events;
  if (!std::isfinite(e) || e < 0.0 || std::fabs(e - std::round(e)) > 1e-9 || e > max_patients_per_arm) {
    throw UsageError(fmt::format("arm '{}': the total number of events {} must be a whole number from 0 "
                                 "to {:.0f} (the largest count reconstruct takes)",
                                 in.arm, e, max_patients_per_arm));
  }
}

void validate_table(const ArmCurve& in) {
  if (in.risk_time.size() != in.n_risk.size()) {
    throw DataError(Location{.file = {}, .column = "n_risk"},
                    fmt::format("arm '{}': {} at-risk times but {} numbers at risk", in.arm,
                                in.risk_time.size(), in.n_risk.size()));
  }
  if (in.risk_time.empty()) {
    throw DataError(Location{.file = {}, .column = "n_risk"},
                    fmt::format("arm '{}': empty at-risk table", in.arm));
  }
  for (std::size_t i = 0; i < in.n_risk.size(); ++i) {
    double v = in.n_risk[i];
    double ti = in.risk_time[i];
    if (!std::isfinite(ti) || ti < 0.0) {
      throw DataError(
          Location{.file = {}, .column = "time", .value = fmt::format("{}", ti), .has_value = true},
          fmt::format("arm '{}': at-risk time must be a non-negative number", in.arm));
    }
    if (!std::isfinite(v) || v < 0.0 || std::fabs(v - std::round(v)) > 1e-9) {
      throw DataError(
          Location{
              .file = {}, .column = "n_risk", .value = fmt::format("{}", v), .has_value = true},
          fmt::format("arm '{}': number at risk at time {} must be a non-negative "
                      "whole number",
                      in.arm, ti));
    }
    if (v > max_patients_per_arm) {
      throw DataError(
          Location{
              .file = {}, .column = "n_risk", .value = fmt::format("{}", v), .has_value = true},
          fmt::format("arm '{}': number at risk at time {} is above {:.0f}, the largest count "
                      "reconstruct takes (one output row per patient)",
                      in.arm, ti, max_patients_per_arm));
    }
  }
}

}  // namespace

ArmReconstruction reconstruct_guyot(const ArmCurve& in, const GuyotOptions& options) {
  validate_table(in);
  validate_total_events(in);
  ArmReconstruction out;
  out.arm = in.arm;
  out.curve = clean_curve(in.time, in.surv, options.clean);
  const CleanedCurve& c = out.curve;
  auto warn = [&out](std::string w) { out.warnings.push_back(std::move(w)); };

  // ---- the at-risk table: sorted, checked, cut after its first zero ----
  std::vector<std::size_t> ro(in.risk_time.size());
  std::iota(ro.begin(), ro.end(), std::size_t{0});
  std::sort(ro.begin(), ro.end(),
            [&](std::size_t a, std::size_t b) { return in.risk_time[a] < in.risk_time[b]; });
  std::vector<double> rt;
  std::vector<i64> nr;
  for (std::size_t j = 0; j < ro.size(); ++j) {
    double tj = in.risk_time[ro[j]];
    i64 nj = round_even(in.n_risk[ro[j]]);
    if (!rt.empty() && tj == rt.back()) {
      throw DataError(
          Location{.file = {}, .column = "time", .value = fmt::format("{}", tj), .has_value = true},
          fmt::format("arm '{}': at-risk time appears twice", in.arm));
    }
    if (!nr.empty() && nj > nr.back()) {
      throw DataError(
          Location{
              .file = {}, .column = "n_risk", .value = fmt::format("{}", nj), .has_value = true},
          fmt::format("arm '{}': number at risk rises from {} at time {} to {} at "
                      "time {}",
                      in.arm, nr.back(), rt.back(), nj, tj));
    }
    if (!nr.empty() && nr.back() == 0) continue;  // rows after the first zero say nothing new
    rt.push_back(tj);
    nr.push_back(nj);
  }
  if (nr.front() == 0) {
    throw DataError(Location{.file = {}, .column = "n_risk", .value = "0", .has_value = true},
                    fmt::format("arm '{}': no one at risk at the first at-risk time", in.arm));
  }
  const std::size_t m = rt.size();

  // ---- points: cleaned clicks with an anchor at each at-risk time without a click ----
  Work w;
  std::size_t j = 0;
  const std::size_t nc = c.time.size();
  double s_prev = 1.0;
  while (j < nc && c.time[j] < rt[0]) s_prev = c.surv[j++];
  const std::size_t dropped = j;
  for (std::size_t i = 0; i < m; ++i) {
    while (j < nc && c.time[j] < rt[i]) {
      w.t.push_back(c.time[j]);
      w.s.push_back(c.surv[j]);
      w.anchor.push_back(0);
      s_prev = c.surv[j++];
    }
    w.lower.push_back(w.t.size());
    if (j < nc && c.time[j] == rt[i]) {
      w.t.push_back(c.time[j]);
      w.s.push_back(c.surv[j]);
      w.anchor.push_back(0);
      s_prev = c.surv[j++];
    } else {
      w.t.push_back(rt[i]);
      w.s.push_back(s_prev);
      w.anchor.push_back(1);
    }
  }
  for (; j < nc; ++j) {
    w.t.push_back(c.time[j]);
    w.s.push_back(c.surv[j]);
    w.anchor.push_back(0);
  }
  if (dropped > 0) {
    // The table starts after the curve: the patients at risk at T_0 follow S(t) / S(T_0).
    const double s0 = w.s[0];
    warn(
        fmt::format("{} digitized points before the first at-risk time {} were not used; the "
                    "curve after it was divided by S({}) = {:.4g}",
                    dropped, rt[0], rt[0], s0));
    if (s0 > 0.0) {
      for (double& v : w.s) v = std::min(1.0, v / s0);
    }
  }
  const std::size_t K = w.t.size();
  for (std::size_t i = 0; i + 1 < m; ++i) w.upper.push_back(w.lower[i + 1] - 1);
  w.upper.push_back(K - 1);

  w.nrisk = nr;
  w.d.assign(K, 0);
  w.cen.assign(K, 0);
  w.nhat.assign(K + 1, nr[0] + 1);
  w.km.assign(K, 1.0);
  w.last_i.assign(m, 0);

  const int max_iter = std::max(options.max_iterations, 1);
  std::vector<std::string> loop_notes;

  // ---- intervals before the last ----
  for (std::size_t i = 0; i + 1 < m; ++i) {
    const std::size_t a = w.lower[i], b = w.lower[i + 1];
    const i64 target = w.nrisk[i + 1];
    i64 guess = 0;
    if (w.s[a] > 0.0) {
      guess = round_even(static_cast<double>(w.nrisk[i]) * w.s[b] / w.s[a] -
                         static_cast<double>(target));
    }
    std::size_t last = 0;
    const Settled st =
        settle(guess, w.nrisk[i], target, max_iter, /*look_ahead=*/true, [&](i64 n_cens) {
          w.spread(n_cens, a, b);
          last = w.fit_events(i);
          return w.nhat[b];
        });
    if (!st.settled) {
      loop_notes.push_back(
          fmt::format("interval [{}, {}): the censoring adjustment did not settle "
                      "after {} tries; kept {} censorings",
                      rt[i], rt[i + 1], st.tries, st.c));
    }
    if (w.nhat[b] > target) {  // only when unsettled: censor the excess just before T_{i+1}
      w.cen[b - 1] += w.nhat[b] - target;
      w.nhat[b] = target;
    }
    if (w.nhat[b] < target) w.nrisk[i + 1] = w.nhat[b];  // as the paper: too many events
    w.last_i[i + 1] = last;
  }

  // ---- the last interval ----
  {
    const std::size_t i = m - 1;
    const std::size_t a = w.lower[i], u = w.upper[i];
    i64 ncen = 0;
    if (m > 1 && u > a) {  // a single point leaves nowhere to put censorings before the end
      const i64 cen_before =
          std::accumulate(w.cen.begin(), w.cen.begin() + static_cast<std::ptrdiff_t>(a), i64{0});
      const double span_before = w.t[w.upper[m - 2]] - w.t[w.lower[0]];
      if (span_before > 0.0) {
        ncen = round_even(static_cast<double>(cen_before) * (w.t[u] - w.t[a]) / span_before);
      }
      ncen = std::clamp(ncen, i64{0}, w.nrisk[i]);
    }
    const i64 sum_before =
        std::accumulate(w.d.begin(), w.d.begin() + static_cast<std::ptrdiff_t>(a), i64{0});
    const i64 E = in.total_events ? round_even(*in.total_events) : 0;
    if (in.total_events && m > 1 && sum_before >= E) {
      // The paper: no events and no censorings after T_last; everyone left is censored at the end.
      if (sum_before > E) {
        warn(
            fmt::format("{} events rebuilt before the last at-risk time {} already exceed the "
                        "reported total of {}",
                        sum_before, rt[i], E));
      }
    } else if (in.total_events && u > a) {
      settle(ncen, w.nrisk[i], E, max_iter, /*look_ahead=*/false, [&](i64 n_cens) {
        w.spread(n_cens, a, u);
        w.fit_events(i);
        return std::accumulate(w.d.begin(), w.d.end(), i64{0});
      });
    } else {
      w.spread(ncen, a, u);
      w.fit_events(i);
    }
  }

  // ---- patient rows ----
  const i64 n0 = nr[0];
  const i64 n_events = std::accumulate(w.d.begin(), w.d.end(), i64{0});
  const i64 n_cens_placed = std::accumulate(w.cen.begin(), w.cen.end(), i64{0});
  const i64 left = n0 - n_events - n_cens_placed;
  if (left < 0) throw NumericalError("reconstruction placed more patients than the arm has");
  out.time.reserve(static_cast<std::size_t>(n0));
  out.event.reserve(static_cast<std::size_t>(n0));
  for (std::size_t k = 0; k < K; ++k) {
    out.time.insert(out.time.end(), static_cast<std::size_t>(w.d[k]), w.t[k]);
    out.event.insert(out.event.end(), static_cast<std::size_t>(w.d[k]), std::uint8_t{1});
    if (k + 1 < K && w.cen[k] > 0) {
      out.time.insert(out.time.end(), static_cast<std::size_t>(w.cen[k]),
                      0.5 * (w.t[k] + w.t[k + 1]));
      out.event.insert(out.event.end(), static_cast<std::size_t>(w.cen[k]), std::uint8_t{0});
    }
  }
  out.time.insert(out.time.end(), static_cast<std::size_t>(left), w.t[K - 1]);
  out.event.insert(out.event.end(), static_cast<std::size_t>(left), std::uint8_t{0});

  out.point_time = w.t;
  out.point_events = w.d;
  out.point_censored = w.cen;

  // ---- summary ----
  ReconstructionFit& fit = out.fit;
  fit.n = n0;
  fit.events = n_events;
  fit.censored = n0 - n_events;
  fit.total_events = in.total_events;
  i64 removed = 0;
  for (std::size_t i = 0; i < m; ++i) {
    RiskInterval r;
    r.start = rt[i];
    r.end = i + 1 < m ? rt[i + 1] : w.t[K - 1];
    r.n_risk_published = static_cast<double>(nr[i]);
    r.n_risk_rebuilt = static_cast<double>(n0 - removed);
    for (std::size_t k = w.lower[i]; k <= w.upper[i]; ++k) {
      r.events += w.d[k];
      r.censored += w.cen[k];
      r.n_points += w.anchor[k] ? 0u : 1u;
    }
    if (i + 1 == m) r.censored += left;
    removed += r.events + r.censored;
    if (r.n_risk_rebuilt == r.n_risk_published) ++fit.at_risk_matched;
    out.intervals.push_back(r);
  }
  fit.at_risk_total = m;

  // The Kaplan–Meier curve of the rebuilt rows (R survfit), read as a right-continuous step
  // function at the digitized times.
  SurvData rows;
  rows.time = out.time;
  rows.status = out.event;
  const KmResult km = kaplan_meier(rows, KmOptions{.quantiles = {0.5}});
  const KmCurve& curve = km.groups.front().curve;
  fit.median = km.groups.front().median.estimate;
  auto km_at = [&curve](double t) {
    auto it = std::upper_bound(curve.time.begin(), curve.time.end(), t);
    return it == curve.time.begin()
               ? 1.0
               : curve.surv[static_cast<std::size_t>(it - curve.time.begin()) - 1];
  };
  double sum_sq = 0.0;
  for (std::size_t k = 0; k < K; ++k) {
    if (w.anchor[k]) continue;
    double diff = std::fabs(w.s[k] - km_at(w.t[k]));
    fit.max_distance = std::max(fit.max_distance, diff);
    sum_sq += diff * diff;
    ++fit.n_points;
  }
  fit.rms_distance = fit.n_points > 0 ? std::sqrt(sum_sq / static_cast<double>(fit.n_points)) : 0.0;

  // ---- warnings: where the input is too thin to be trusted ----
  if (m < 2) {
    warn(
        "the at-risk table has a single time: censoring cannot be located, everyone not dying "
        "is censored at the end of the curve");
  }
  for (std::size_t i = 0; i + 1 < m; ++i) {
    const RiskInterval& r = out.intervals[i];
    if (r.n_points == 0 && r.n_risk_published > 0) {
      warn(fmt::format("no digitized points in [{}, {}): the curve is taken as flat there", r.start,
                       r.end));
    }
  }
  for (const RiskInterval& r : out.intervals) {
    if (r.n_risk_rebuilt != r.n_risk_published) {
      warn(fmt::format("at time {}: {} at risk rebuilt, {} published", r.start, r.n_risk_rebuilt,
                       r.n_risk_published));
    }
  }
  for (auto& note : loop_notes) warn(std::move(note));
  if (in.total_events && round_even(*in.total_events) != n_events) {
    warn(fmt::format("{} events rebuilt, {} reported", n_events, round_even(*in.total_events)));
  }
  if (in.total_events && *in.total_events > static_cast<double>(n0)) {
    warn(fmt::format("reported total of events {} exceeds the number at risk at the start {}",
                     *in.total_events, n0));
  }
  std::size_t drops = 0;
  for (std::size_t k = 1; k < K; ++k) drops += w.s[k] < w.s[k - 1] ? 1u : 0u;
  if (n_events > 0 && static_cast<i64>(2 * drops) < n_events) {
    warn(
        fmt::format("the cleaned curve has {} steps for {} rebuilt events: too few digitized "
                    "points to place event times precisely",
                    drops, n_events));
  }
  if (c.max_adjustment > 0.05) {
    warn(
        fmt::format("isotonic regression moved a point by {:.3g}: the clicks are far from a "
                    "monotone curve (check the digitization)",
                    c.max_adjustment));
  }
  if (fit.max_distance > options.warn_max_distance) {
    warn(
        fmt::format("largest distance between the digitized curve and the KM of the rebuilt data "
                    "is {:.3g}",
                    fit.max_distance));
  }
  return out;
}

}  // namespace hazard
