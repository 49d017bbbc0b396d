// The analyses of one simulated trial: at each look, the stratified log-rank test of the data
// available at that calendar time, and the stopping rule.
//
// Look time: by events, the calendar time of the d-th event (d = ceil(planned events)), as rpact's
// findObservationTime; a trial with fewer than d events in total ends without that analysis
// (rpact's "events not achieved"). By calendar, the given time.
// Data at calendar time t: patients with entry <= t; time = min(event, dropout, t - entry),
// event indicator = event before dropout and entry + event <= t.
// Statistic: Z = -(O_1 - E_1) / sqrt(V_11), O, E, V of the experimental arm (code 1), survdiff's
// sums (hazard::logrank_two_arm_sum; with strata hazard::logrank_two_arm_sorted), so Z > 0
// favours the experimental arm (rpact's directionUpper = FALSE for HR < 1). HR estimate: Pike's
// exp((O_1 - E_1) / V_11). Stopping: reject when Z >= efficacy bound; else, before the last look,
// stop for futility when Z <= futility bound.
// Other analyses (SimulationScenario::analysis, docs/methods/simulation.md), on the same rows:
//   fh:rho,gamma  Z = -U_w / sqrt(V_w), the FH-weighted log-rank (hazard::weighted_logrank on
//                 hazard::two_arm_event_times, stratified as the log-rank);
//   maxcombo      Z = Phi^{-1}(1 - p), p the one-sided MaxCombo p-value (hazard::maxcombo: FH(0,0),
//                 FH(0,1), FH(1,0), FH(1,1), p from their estimated correlation at this look);
//   rmst:tau      Z = (RMST_1 - RMST_0) / SE (km_rmst, survmean's SE; unstratified); 0 at a
//                 look whose follow-up in some arm ends before tau (survRM2 refuses such a tau);
//   milestone:t   Z = (S_1(t) - S_0(t)) / sqrt(se_1^2 + se_0^2) (Greenwood; unstratified);
//   cox           Z = -beta / se(beta), the Wald z of coxph(arm + strata), Efron ties.
// A statistic that is not defined (no information: variance 0, a Cox fit that does not
// converge) is Z = 0, as the log-rank with V = 0.
// Boundaries (SimulationScenario::boundary_rule): the design's z bounds, look by look; or, with
// BoundaryRule::information, every look reached is analysed first with the statistic's
// information I_k, and the trial's own bounds come from the design's spending functions at
// I_k / I_L (information_bounds.hpp; MaxCombo: its FH statistics' joint normal over the looks),
// then the same stopping rule runs over the looks (apply_information_bounds).
//
// Cost, per trial of n patients: two bucket sorts (O(n), see bucket_scatter) put the patients in
// list A by exit (min(event, dropout) from randomization) and in list B by entry descending; the
// event calendar times are only grouped by bucket. Per look, O(n) without a sort: A and B are cut
// at the look time and one backward pass over A accumulates the log-rank (docs/methods/
// simulation.md). No allocation once the workspace has grown.
#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>

#include "detail.hpp"
#include "hazard/error.hpp"
#include "hazard/information_bounds.hpp"
#include "hazard/km.hpp"
#include "hazard/nph.hpp"

namespace hazard {

namespace detail {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kArmBit = 1, kEventBit = 2;
constexpr int kStratumShift = 2;

// Groups `keys` by bucket into `sorted`, buckets ascending: when `order` is given, order[k] = the
// input index of sorted[k]; `count[b]` ends as the end of bucket b in `sorted`. Keys are >= 0 and
// may be +inf (no NaN). The bucket is a non-decreasing function of the key, so that an insertion
// sort within each bucket completes the sort (stable: equal doubles stay in input order).
// Bucket of x: floor(n (1 - c / (x + c))) with c the mean finite key, which spreads
// exponential-like keys nearly evenly over n buckets: one or two keys each, so the insertion sort
// is O(n) with few branches that depend on the data (std::sort on 216 keys was 16% of the
// simulation). Returns true when it sorted completely instead: a bucket holding more than
// 64 + n/16 keys (keys piled up against a far outlier) falls back to std::stable_sort.
bool bucket_scatter(std::span<const double> keys, std::vector<double>& sorted,
                    std::vector<std::uint32_t>* order, std::vector<std::uint32_t>& count,
                    TrialWorkspace& ws) {
  const std::size_t n = keys.size();
  sorted.resize(n + 1);
  if (order) order->resize(n + 1);
  count.assign(n + 1, 0);
  if (n == 0) return true;
  double sum = 0.0;
  std::size_t finite = 0;
  for (double x : keys) {
    const bool f = x < kInf;
    sum += f ? x : 0.0;
    finite += f ? 1 : 0;
  }
  double c = finite ? sum / static_cast<double>(finite) : 1.0;
  if (!(c > 0.0 && c < kInf)) c = 1.0;  // all keys 0 (or a sum that overflowed)
  const double scale = static_cast<double>(n);
  const double top = static_cast<double>(n - 1);
  auto& slot = ws.order_buffer;  // the bucket of each key
  slot.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = 1.0 - c / (std::max(keys[i], 0.0) + c);  // 1 for an infinite key
    const auto b = static_cast<std::uint32_t>(std::min(u * scale, top));
    slot[i] = b;
    ++count[b + 1];
  }
  std::uint32_t fullest = 0;
  for (std::size_t j = 1; j <= n; ++j) {
    fullest = std::max(fullest, count[j]);
    count[j] += count[j - 1];  // count[b]: first position of bucket b
  }
  double* v = sorted.data();
  std::uint32_t* o = order ? order->data() : nullptr;
  if (fullest > 64 + n / 16) {
    for (std::size_t i = 0; i < n; ++i) slot[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(slot.begin(), slot.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
    for (std::size_t k = 0; k < n; ++k) {
      v[k] = keys[slot[k]];
      if (o) o[k] = slot[k];
    }
    std::fill(count.begin(), count.end(), static_cast<std::uint32_t>(n));  // one bucket
    return true;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t pos = count[slot[i]]++;  // count[b] becomes the end of bucket b
    v[pos] = keys[i];
    if (o) o[pos] = static_cast<std::uint32_t>(i);
  }
  return false;
}

// Insertion sort of v[begin, end) (and o alongside, when given), stable.
void insertion_sort(double* v, std::uint32_t* o, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin + 1; i < end; ++i) {
    const double x = v[i];
    if (!(x < v[i - 1])) continue;
    std::size_t j = i;
    if (o) {
      const std::uint32_t oi = o[i];
      do {
        v[j] = v[j - 1];
        o[j] = o[j - 1];
        --j;
      } while (j > begin && x < v[j - 1]);
      v[j] = x;
      o[j] = oi;
    } else {
      do {
        v[j] = v[j - 1];
        --j;
      } while (j > begin && x < v[j - 1]);
      v[j] = x;
    }
  }
}

// Sorts `keys` ascending into `sorted`, with the permutation in `order` when given.
void sort_keys(std::span<const double> keys, std::vector<double>& sorted,
               std::vector<std::uint32_t>* order, TrialWorkspace& ws) {
  if (!bucket_scatter(keys, sorted, order, ws.bucket, ws))
    insertion_sort(sorted.data(), order ? order->data() : nullptr, 0, keys.size());
}

// The (p+1)-th smallest of keys grouped by bucket_scatter (bucket ends `count`): only the bucket
// holding position p is sorted. Cheaper than the whole sort when few ranks are wanted.
double select_scattered(std::vector<double>& sorted, const std::vector<std::uint32_t>& count,
                        std::size_t p) {
  const std::size_t buckets = count.size() - 1;
  const auto it =
      std::upper_bound(count.begin(), count.begin() + static_cast<std::ptrdiff_t>(buckets),
                       static_cast<std::uint32_t>(p));
  const auto b = static_cast<std::size_t>(it - count.begin());
  const std::size_t begin = b ? count[b - 1] : 0;
  insertion_sort(sorted.data(), nullptr, begin, count[b]);
  return sorted[p];
}

// The Cox fit of one look's tallies: *hr the HR estimate (HrEstimator::cox), *z the Wald z
// -beta / se (AnalysisTest::cox). NaN and 0 without events or when the fit does not converge (all
// events in one arm: the estimate is infinite).
void cox_look(const std::vector<TwoArmTally>& tallies, double* hr, double* z, double* info) {
  *hr = std::nan("");
  *z = 0.0;
  *info = 0.0;
  if (tallies.empty()) return;
  try {
    const TwoArmCox fit = cox_two_arm(tallies);
    if (fit.converged && std::isfinite(fit.coef)) {
      *hr = std::exp(fit.coef);
      if (fit.se > 0 && std::isfinite(fit.se) && !fit.diverged) {
        *z = -fit.coef / fit.se;
        *info = 1.0 / (fit.se * fit.se);
      }
    }
  } catch (const NumericalError&) {
  }
}

// Z = Phi^{-1}(1 - p) of a one-sided p-value (+inf for p = 0).
double z_of_p(double p) {
  if (!(p > 0)) return std::numeric_limits<double>::infinity();
  if (!(p < 1)) return -std::numeric_limits<double>::infinity();
  return -boost::math::quantile(boost::math::normal_distribution<double>(), p);
}

// The z of analyses fh, maxcombo, rmst and milestone on one look's rows (ws.time... rows 0..m-1,
// time ascending). Not finite (no information): 0. `*info` gets the statistic's information at
// the look (0 when it has none): V_w (fh), 1 / (se_1^2 + se_0^2) (rmst, milestone), and for
// maxcombo the log-rank's V (the FH(0,0) variance). With BoundaryRule::information MaxCombo's z is
// max_a Z_a of its oriented FH statistics (compared with the trial's bounds) and `cov` (4 x 4)
// gets their scores' covariance V_ab = sum_t w_a w_b var_t; else it is Phi^{-1}(1 - p).
double analysis_z(const SimulationScenario& s, TrialWorkspace& ws, std::size_t m, double* info,
                  double* cov) {
  const auto& a = s.analysis;
  const bool by_information = s.boundary_rule == BoundaryRule::information;
  *info = 0.0;
  double z = 0.0;
  if (a.test == AnalysisTest::fh || a.test == AnalysisTest::maxcombo) {
    const LogrankInput in{
        .time = std::span<const double>(ws.time.data(), m),
        .status = std::span<const std::uint8_t>(ws.status.data(), m),
        .group = std::span<const std::int32_t>(ws.group.data(), m),
        .stratum = s.strata.size() > 1 ? std::span<const std::int32_t>(ws.stratum.data(), m)
                                       : std::span<const std::int32_t>(),
        .weight = {},
        .n_groups = 2};
    const TwoArmEventTimes table = two_arm_event_times(in);
    if (a.test == AnalysisTest::fh) {
      const WeightedLogrank w =
          weighted_logrank(table, fh_weights(table, {.rho = a.rho, .gamma = a.gamma}));
      z = -w.z;
      *info = w.var > 0 ? w.var : 0.0;
    } else if (by_information) {
      // the four oriented FH statistics and their scores' covariance at this look
      static constexpr FhWeight kFh[4] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
      std::vector<double>(&w)[4] = ws.fh_weight;
      double zmax = -std::numeric_limits<double>::infinity();
      bool informative = true;
      for (std::size_t i = 0; i < 4; ++i) {
        w[i] = fh_weights(table, kFh[i]);
        const WeightedLogrank st = weighted_logrank(table, w[i]);
        informative &= st.var > 0;
        zmax = std::max(zmax, -st.z);
      }
      for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j <= i; ++j) {
          double v = 0.0;
          for (std::size_t t = 0; t < table.size(); ++t) v += w[i][t] * w[j][t] * table.var[t];
          cov[i * 4 + j] = cov[j * 4 + i] = v;
        }
      if (!informative) return 0.0;  // some FH statistic without information: no test
      *info = cov[0];
      z = zmax;
    } else {
      try {
        MaxComboOptions opt;
        // the decision compares p with the looks' nominal levels: 1e-4 absolute is ample, and
        // the default 1e-7 costs seconds per trial
        opt.mvn.abs_tol = 1e-4;
        opt.mvn.max_points = 1 << 12;
        z = z_of_p(maxcombo(table, opt).p_one_sided);
      } catch (const NumericalError&) {
        z = 0.0;  // some FH statistic without information
      }
    }
  } else {
    // one Kaplan–Meier curve per arm (unstratified)
    for (int g = 0; g < 2; ++g) {
      ws.arm_time[g].clear();
      ws.arm_status[g].clear();
    }
    for (std::size_t r = 0; r < m; ++r) {
      const auto g = static_cast<std::size_t>(ws.group[r]);
      ws.arm_time[g].push_back(ws.time[r]);
      ws.arm_status[g].push_back(ws.status[r]);
    }
    if (ws.arm_time[0].empty() || ws.arm_time[1].empty()) return 0.0;
    KmOptions km;
    km.timefix = false;  // the simulated times compare exactly, as for the log-rank
    const KmCurve c0 = km_curve(ws.arm_time[0], ws.arm_status[0], {}, km);
    const KmCurve c1 = km_curve(ws.arm_time[1], ws.arm_status[1], {}, km);
    if (a.test == AnalysisTest::rmst) {
      // survRM2's rule: tau beyond the smaller of the arms' largest follow-up times is not
      // estimable at this look (the curve would be extended flat, its SE too small): Z = 0
      if (a.time > std::min(c0.time.back(), c1.time.back())) return 0.0;
      const RmstDifference d = rmst_difference(km_rmst(c0, a.time), km_rmst(c1, a.time));
      z = d.z;
      *info = 1.0 / (d.std_err * d.std_err);
    } else {
      const KmLandmark l0 = km_landmark(c0, a.time), l1 = km_landmark(c1, a.time);
      const double var = l0.std_err * l0.std_err + l1.std_err * l1.std_err;
      z = (l1.surv - l0.surv) / std::sqrt(var);
      *info = 1.0 / var;
    }
  }
  if (std::isnan(z) || !std::isfinite(*info)) *info = 0.0;
  return std::isnan(z) ? 0.0 : z;
}

// BoundaryRule::information: the looks performed (rec.looks_done of them, their z, information
// and, for MaxCombo, covariances in ws) get this trial's bounds from the spending functions at the
// statistic's information fractions (information_bounds.hpp); the stopping rule then runs over
// them as with the design's bounds, and the record is cut at the look where the trial stops (the
// later looks' values become NaN, as for a trial that stopped there).
void apply_information_bounds(const SimulationScenario& s, TrialWorkspace& ws, TrialRecord& rec,
                              double* z, double* hr, double* time, double* events) {
  const auto L = static_cast<std::size_t>(rec.looks_done);
  if (L == 0) return;
  const std::span<const double> info(ws.look_info.data(), L);
  const BoundaryOptions& b = s.boundary_options;
  std::size_t stop = L - 1;
  if (s.analysis.test == AnalysisTest::maxcombo) {
    // Look by look: the bound of each tested look but the last by maxcombo_bound, and at the
    // last, one probability decides: max_a Z_a >= b (the bound not solved) iff
    // P(no crossing before, max_a Z_a < observed max) >= 1 - alpha, that probability increasing
    // in the observed max; computed coarsely first and again precisely when the coarse value is
    // within its error of 1 - alpha.
    const std::vector<double> frac = information_fractions(info);
    std::vector<double> cov;
    std::vector<std::size_t> used;
    std::vector<double> alpha;
    for (std::size_t k = 0; k < L; ++k) {
      if (std::isnan(frac[k])) continue;
      used.push_back(k);
      alpha.push_back(k + 1 == L ? b.alpha : spending_value(b.efficacy, b.alpha, frac[k]));
      cov.insert(cov.end(), ws.look_cov.begin() + static_cast<std::ptrdiff_t>(k * 16),
                 ws.look_cov.begin() + static_cast<std::ptrdiff_t>(k * 16 + 16));
    }
    if (!used.empty()) {
      const std::vector<double> corr = maxcombo_joint_correlation(cov, 4);
      MaxComboBoundOptions opt;
      // the decisions need the interim bounds to ~1e-3 on the z scale, not the library's
      // 1e-7 probability (an 8-variate probability costs ~50 ms at 1e-3, seconds at 1e-5)
      opt.rel_tol = 5e-2;
      opt.abs_tol_floor = 1e-6;
      opt.z_tolerance = 2e-3;
      opt.mvn.shifts = 4;
      opt.mvn.max_points = std::size_t{1} << 13;
      std::vector<double> bounds;
      double previous = 0.0;
      for (std::size_t i = 0; i < used.size(); ++i) {
        const std::size_t k = used[i];
        const double a = std::max(previous, alpha[i]);
        if (i + 1 < used.size()) {
          const double bk = maxcombo_bound(bounds, previous, a, corr, 4, opt);
          bounds.push_back(bk);
          previous = a;
          if (z[k] >= bk) {
            rec.reject = true;
            stop = k;
            break;
          }
          continue;
        }
        MvnOptions mvn = opt.mvn;
        mvn.abs_tol = 1e-3;
        MvnProbability p = maxcombo_continue_probability(bounds, z[k], corr, 4, mvn);
        if (std::fabs(p.value - (1 - a)) <= p.error) {
          mvn.abs_tol = std::max(1e-7, 1e-3 * (a - previous));
          mvn.max_points = std::size_t{1} << 16;
          p = maxcombo_continue_probability(bounds, z[k], corr, 4, mvn);
        }
        rec.reject = p.value >= 1 - a;
        stop = k;
      }
    }
  } else {
    const InformationBounds ib = information_bounds(info, b);
    for (std::size_t k = 0; k < L; ++k) {
      if (z[k] >= ib.z_efficacy[k]) {
        rec.reject = true;
        stop = k;
        break;
      }
      if (k + 1 < L && z[k] <= ib.z_futility[k]) {
        rec.futility = true;
        stop = k;
        break;
      }
    }
  }
  // a trial stopping before a look whose events never came did not miss it
  if (stop + 1 < L) rec.events_not_achieved = false;
  for (std::size_t k = stop + 1; k < L; ++k) z[k] = hr[k] = time[k] = events[k] = std::nan("");
  rec.looks_done = rec.stop_look = static_cast<int>(stop + 1);
  rec.events = events[stop];
  rec.subjects = ws.look_subjects[stop];
  rec.duration = time[stop];
  rec.z = z[stop];
  rec.hr = hr[stop];
}

}  // namespace

void analyse_trial(const SimulationScenario& s, TrialWorkspace& ws, TrialRecord& rec, double* z,
                   double* hr, double* time, double* events) {
  const auto& pts = ws.patients;
  const std::size_t n = pts.size();
  const std::size_t K = s.looks.size();
  rec = TrialRecord{};
  for (std::size_t k = 0; k < K; ++k) {
    z[k] = hr[k] = time[k] = events[k] = std::nan("");
  }
  // Calendar times of the events: the look at d events is at the d-th smallest of them.
  std::size_t n_events = 0;
  if (s.look_type == LookType::events) {
    ws.key.resize(n);
    for (const auto& p : pts) {  // (an infinite survival is never an event)
      ws.key[n_events] = p.entry + p.survival;
      n_events += p.survival < p.dropout ? 1 : 0;
    }
    // grouped by bucket; each look sorts only the bucket holding its rank
    bucket_scatter(std::span<const double>(ws.key.data(), n_events), ws.event_calendar, nullptr,
                   ws.calendar_bucket, ws);
  }
  // List A: the patients by exit = min(event, dropout) from randomization, ascending.
  ws.key.resize(n);
  for (std::size_t i = 0; i < n; ++i) ws.key[i] = std::min(pts[i].survival, pts[i].dropout);
  sort_keys(ws.key, ws.a_exit, &ws.order, ws);
  ws.a_calendar.resize(n);
  ws.a_flag.resize(n);
  auto flag_of = [](const SimulatedPatient& p) {
    return static_cast<std::uint32_t>(p.arm != 0 ? kArmBit : 0) |
           (p.survival < p.dropout ? kEventBit : 0) |
           (static_cast<std::uint32_t>(p.stratum) << kStratumShift);
  };
  for (std::size_t k = 0; k < n; ++k) {
    const auto& p = pts[ws.order[k]];
    ws.a_calendar[k] = p.entry + ws.a_exit[k];
    ws.a_flag[k] = flag_of(p);
  }
  // List B: the patients by entry descending: the reversed patient order when the entries
  // ascend, as on the fixed grid of one accrual piece (with several pieces, the grid's last entry
  // of a piece can fall after the first of the next one: rpact's rounding of the piece's count).
  ws.b_entry.resize(n);
  ws.b_calendar.resize(n);
  ws.b_flag.resize(n);
  bool ascending = true, entry_nonnegative = n == 0 || pts[0].entry >= 0;
  for (std::size_t i = 1; i < n; ++i) {
    ascending &= !(pts[i].entry < pts[i - 1].entry);
    entry_nonnegative &= pts[i].entry >= 0;
  }
  if (!ascending) {
    for (std::size_t i = 0; i < n; ++i) ws.key[i] = pts[i].entry;
    sort_keys(ws.key, ws.sort_buffer, &ws.order, ws);
  } else {
    ws.order.resize(n);
    for (std::size_t i = 0; i < n; ++i) ws.order[i] = static_cast<std::uint32_t>(i);
  }
  for (std::size_t k = 0; k < n; ++k) {
    const auto& p = pts[ws.order[n - 1 - k]];
    ws.b_entry[k] = p.entry;
    ws.b_calendar[k] = p.entry + std::min(p.survival, p.dropout);
    ws.b_flag[k] = flag_of(p) & ~kEventBit;  // censored at the look
  }
  ws.a_time.resize(n + 2);
  ws.b_time.resize(n + 2);
  ws.a_row_flag.resize(n + 2);
  ws.b_row_flag.resize(n + 2);
  ws.b_arm1.resize(n + 2);
  ws.a_time[0] = ws.b_time[0] = -kInf;
  const bool stratified = s.strata.size() > 1;
  const AnalysisTest test = s.analysis.test;
  // the merged rows of each look: for the stratified log-rank and the analyses on rows
  const bool rows = stratified || (test != AnalysisTest::logrank && test != AnalysisTest::cox);
  if (rows) {
    ws.time.resize(n);
    ws.status.resize(n);
    ws.group.resize(n);
    ws.stratum.resize(n);
  }
  if (!stratified) {
    ws.ev_deaths.resize(n);
    ws.ev_deaths1.resize(n);
    ws.ev_at_risk.resize(n);
    ws.ev_at_risk1.resize(n);
  }
  const bool by_information = s.boundary_rule == BoundaryRule::information;
  if (by_information) {
    ws.look_info.assign(K, 0.0);
    ws.look_subjects.assign(K, 0.0);
    ws.look_cov.assign(K * 16, 0.0);
  }
  for (std::size_t k = 0; k < K; ++k) {
    double t;
    if (s.look_type == LookType::events) {
      auto d = static_cast<std::size_t>(std::ceil(s.looks[k]));
      if (d > n_events) {
        rec.events_not_achieved = true;
        break;
      }
      t = select_scattered(ws.event_calendar, ws.calendar_bucket, d - 1);
    } else {
      t = s.looks[k];
    }
    // The data at t in time order without a sort: those who exited (event or dropout) by t,
    // from list A (rows 1..ka), and those still under observation, censored at t - entry, from
    // list B (rows 1..kb, ascending as entry descends). Each list is cut by writing every row and
    // advancing only past the kept ones: no branch depends on the random data.
    double* at = ws.a_time.data();
    double* bt = ws.b_time.data();
    std::uint32_t* af = ws.a_row_flag.data();
    std::uint32_t* bf = ws.b_row_flag.data();
    std::size_t ka = 0, ev = 0;
    {
      const double* exit = ws.a_exit.data();
      const double* cal = ws.a_calendar.data();
      const std::uint32_t* flag = ws.a_flag.data();
      // calendar = entry + exit >= exit when entry >= 0, so then nobody after the first exit
      // beyond t has left by t
      const double last_exit = entry_nonnegative ? t : kInf;
      for (std::size_t i = 0; i < n && exit[i] <= last_exit; ++i) {
        const std::size_t keep = cal[i] <= t ? 1 : 0;
        at[ka + 1] = exit[i];
        af[ka + 1] = flag[i];
        ev += keep & (flag[i] >> 1);
        ka += keep;
      }
    }
    at[ka + 1] = kInf;
    std::size_t kb = 0;
    {
      const double* entry = ws.b_entry.data();
      const double* cal = ws.b_calendar.data();
      const std::uint32_t* flag = ws.b_flag.data();
      std::uint32_t* arm1 = ws.b_arm1.data();  // arm1[j]: experimental among B rows 1..j
      std::uint32_t count1 = 0;
      arm1[0] = 0;
      std::size_t i = 0;
      while (i < n && entry[i] > t) ++i;  // randomized after t
      for (; i < n; ++i) {
        const std::uint32_t keep = cal[i] > t ? 1 : 0;
        bt[kb + 1] = t - entry[i];
        bf[kb + 1] = flag[i];
        count1 += keep & flag[i];
        arm1[kb + 1] = count1;
        kb += keep;
      }
    }
    bt[kb + 1] = kInf;
    const std::size_t m = ka + kb;
    TwoArmLogrank lr;
    std::size_t lr_times = 0;  // event times recorded by the one-stratum pass
    if (!stratified) {
      // Backward over the rows of A, the numbers at risk by arm grow; B's rows, all censored,
      // only add to them: at each time of A the B rows at or after it are counted by moving an
      // index down B (its experimental ones from the prefix counts). At the end of each block of
      // equal times the block is recorded, and the record is kept when it had deaths (as in
      // hazard::logrank_two_arm_sorted, whose sums then follow).
      double* rec_d = ws.ev_deaths.data();
      double* rec_d1 = ws.ev_deaths1.data();
      double* rec_n = ws.ev_at_risk.data();
      double* rec_r1 = ws.ev_at_risk1.data();
      const std::uint32_t* arm1 = ws.b_arm1.data();
      const std::uint32_t b_arm1 = arm1[kb];
      std::size_t j = kb, times = 0;  // B rows j+1..kb are at time >= the current one
      std::uint32_t a_all = 0, a_arm1 = 0, d0 = 0, d1 = 0;
      for (std::size_t i = ka; i > 0; --i) {
        const double x = at[i];
        const std::uint32_t f = af[i];
        const std::uint32_t g1 = f & kArmBit, e = (f >> 1) & 1;
        a_all += 1;
        a_arm1 += g1;
        d1 += e & g1;
        d0 += e & ~g1;
        while (bt[j] >= x) --j;  // bt[0] = -inf
        const std::uint32_t deaths = d0 + d1;
        rec_d[times] = static_cast<double>(deaths);
        rec_d1[times] = static_cast<double>(d1);
        rec_n[times] = static_cast<double>(a_all + static_cast<std::uint32_t>(kb - j));
        rec_r1[times] = static_cast<double>(a_arm1 + b_arm1 - arm1[j]);
        const bool end = at[i - 1] != x;  // at[0] = -inf
        times += end && deaths != 0 ? 1 : 0;
        d0 = end ? 0 : d0;
        d1 = end ? 0 : d1;
      }
      lr = logrank_two_arm_sum(
          std::span<const double>(rec_d, times), std::span<const double>(rec_d1, times),
          std::span<const double>(rec_n, times), std::span<const double>(rec_r1, times));
      lr_times = times;
    }
    if (rows) {
      std::size_t ia = 1, ib = 1;
      for (std::size_t r = 0; r < m; ++r) {
        const bool take_a = at[ia] <= bt[ib];
        ws.time[r] = take_a ? at[ia] : bt[ib];
        const std::uint32_t f = take_a ? af[ia] : bf[ib];
        ws.status[r] = static_cast<std::uint8_t>((f >> 1) & 1);
        ws.group[r] = static_cast<std::int32_t>(f & kArmBit);
        ws.stratum[r] = static_cast<std::int32_t>(f >> kStratumShift);
        ia += take_a ? 1 : 0;
        ib += take_a ? 0 : 1;
      }
    }
    if (stratified) {
      lr = logrank_two_arm_sorted(std::span<const double>(ws.time.data(), m),
                                  std::span<const std::uint8_t>(ws.status.data(), m),
                                  std::span<const std::int32_t>(ws.group.data(), m),
                                  std::span<const std::int32_t>(ws.stratum.data(), m),
                                  s.strata.size(), ws.scratch);
    }
    double oe = lr.o_minus_e;
    double v = lr.var;
    double zk = v > 0 ? -oe / std::sqrt(v) : 0.0;
    double hrk = v > 0 ? std::exp(oe / v) : std::nan("");
    double info = v > 0 ? v : 0.0;  // the log-rank's information
    if (s.hr_estimator == HrEstimator::cox || test == AnalysisTest::cox) {
      if (!stratified) {  // the event times recorded above are the tallies
        ws.tallies.resize(lr_times);
        for (std::size_t q = 0; q < lr_times; ++q)
          ws.tallies[q] = {.at_risk0 = ws.ev_at_risk[q] - ws.ev_at_risk1[q],
                           .at_risk1 = ws.ev_at_risk1[q],
                           .events0 = ws.ev_deaths[q] - ws.ev_deaths1[q],
                           .events1 = ws.ev_deaths1[q]};
      } else {
        ws.tallies = two_arm_tallies(std::span<const double>(ws.time.data(), m),
                                     std::span<const std::uint8_t>(ws.status.data(), m),
                                     std::span<const std::int32_t>(ws.group.data(), m),
                                     std::span<const std::int32_t>(ws.stratum.data(), m));
      }
      double cox_hr = 0, cox_z = 0, cox_info = 0;
      cox_look(ws.tallies, &cox_hr, &cox_z, &cox_info);
      if (s.hr_estimator == HrEstimator::cox) hrk = cox_hr;
      if (test == AnalysisTest::cox) {
        zk = cox_z;
        info = cox_info;
      }
    }
    if (test != AnalysisTest::logrank && test != AnalysisTest::cox)
      zk = analysis_z(s, ws, m, &info, by_information ? &ws.look_cov[k * 16] : nullptr);
    z[k] = zk;
    hr[k] = hrk;
    time[k] = t;
    events[k] = static_cast<double>(ev);
    if (by_information) {
      // every look is analysed first; the bounds need the final look's information
      ws.look_info[k] = info;
      ws.look_subjects[k] = static_cast<double>(m);
      rec.looks_done = static_cast<int>(k + 1);
      continue;
    }
    rec.looks_done = static_cast<int>(k + 1);
    rec.stop_look = rec.looks_done;
    rec.events = static_cast<double>(ev);
    rec.subjects = static_cast<double>(m);
    rec.duration = t;
    rec.z = zk;
    rec.hr = hrk;
    if (zk >= s.z_efficacy[k]) {
      rec.reject = true;
      break;
    }
    if (k + 1 < K && !s.z_futility.empty() && zk <= s.z_futility[k]) {
      rec.futility = true;
      break;
    }
  }
  if (by_information) apply_information_bounds(s, ws, rec, z, hr, time, events);
}

}  // namespace detail

TrialOutcome analyse_trial(const SimulationScenario& s,
                           std::span<const SimulatedPatient> patients) {
  validate_scenario(s);
  detail::TrialWorkspace ws;
  ws.patients.assign(patients.begin(), patients.end());
  const std::size_t K = s.looks.size();
  std::vector<double> z(K), hr(K), time(K), events(K);
  detail::TrialRecord rec;
  detail::analyse_trial(s, ws, rec, z.data(), hr.data(), time.data(), events.data());
  TrialOutcome o{.looks_done = rec.looks_done,
                 .stop_look = rec.stop_look,
                 .reject = rec.reject,
                 .futility = rec.futility,
                 .events_not_achieved = rec.events_not_achieved,
                 .events = rec.events,
                 .subjects = rec.subjects,
                 .duration = rec.duration,
                 .z = rec.z,
                 .hr = rec.hr};
  auto done = static_cast<std::size_t>(rec.looks_done);
  o.z_look.assign(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(done));
  o.hr_look.assign(hr.begin(), hr.begin() + static_cast<std::ptrdiff_t>(done));
  o.time_look.assign(time.begin(), time.begin() + static_cast<std::ptrdiff_t>(done));
  o.events_look.assign(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(done));
  return o;
}

}  // namespace hazard
