// Inverse probability of censoring weighting for treatment switching (Robins & Finkelstein 2000;
// Latimer et al., NICE DSU TSD 16), with a pooled logistic switching model:
//
//   * each control patient's follow-up is split at the intervals of the long data (covariates
//     measured at the interval's start; the last interval is carried forward to the end of
//     follow-up when the long data stop earlier) and ends at min(T, S): switchers are censored
//     at the switch S (a death at S itself is kept);
//   * switching model (denominator): logit P(switch at the end of interval j | no switch before)
//       = a + baseline covariates + stratum (combined strata as a factor) + time terms
//         + time-varying covariates,
//     fitted to the control rows in which switching is eligible (P = 0 in the others). The
//     numerator model leaves out the time-varying covariates and is fitted to EVERY control row:
//     eligibility (e.g. progression) is itself time-varying, and a numerator conditioned on it
//     would carry post-baseline information into the stabilised weights;
//   * weights (the probability of being unswitched at the START of each interval, as trtswitch's
//     pooled logistic model): unstabilised W_k = prod_{j<k} 1 / (1 - p_j), stabilised
//     SW_k = prod_{j<k} (1 - q_j) / (1 - p_j), p from the denominator, q from the numerator model;
//     the experimental arm (no switching) has one row (0, T] with weight 1;
//   * truncation at the percentiles (lo, hi) (R's quantile type 7) of the control rows' weights:
//     w < Q(lo) -> Q(lo), w > Q(hi) -> Q(hi);
//   * outcome: coxph(Surv(start, stop, event) ~ arm + x + strata(s), weights = w, cluster = id),
//     the HR's CI from the robust (sandwich) SE.
// Input contract: check_switch_data holds; intervals validated by build_switch_intervals
// (per subject contiguous from 0, start < stop).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "crossover/detail.hpp"
#include "hazard/crossover.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

WeightSummary summarise(const IpcwRows& r, std::int32_t arm) {
  WeightSummary s;
  std::vector<double> w;
  std::vector<std::size_t> subj;
  for (std::size_t k = 0; k < r.weight.size(); ++k)
    if (r.arm[k] == arm) {
      w.push_back(r.weight[k]);
      subj.push_back(r.subject[k]);
    }
  s.rows = w.size();
  std::sort(subj.begin(), subj.end());
  s.subjects = static_cast<std::size_t>(std::unique(subj.begin(), subj.end()) - subj.begin());
  if (w.empty()) return s;
  double sum = 0;
  for (double v : w) sum += v;
  s.mean = sum / static_cast<double>(w.size());
  s.min = *std::min_element(w.begin(), w.end());
  s.max = *std::max_element(w.begin(), w.end());
  s.p01 = quantile7(w, 0.01);
  s.p05 = quantile7(w, 0.05);
  s.p25 = quantile7(w, 0.25);
  s.p50 = quantile7(w, 0.50);
  s.p75 = quantile7(w, 0.75);
  s.p95 = quantile7(w, 0.95);
  s.p99 = quantile7(w, 0.99);
  return s;
}

IpcwResult ipcw_core(const SwitchData& d, const SwitchIntervals& iv, const IpcwOptions& o) {
  const std::size_t n = d.size();
  IpcwResult res;
  res.options = o;
  std::vector<std::vector<std::size_t>> of(n);
  for (std::size_t k = 0; k < iv.subject.size(); ++k) {
    if (iv.subject[k] >= n) throw std::invalid_argument("ipcw: interval subject out of range");
    of[iv.subject[k]].push_back(k);
  }
  for (auto& v : of) std::sort(v.begin(), v.end(), [&](std::size_t a, std::size_t b) { return iv.start[a] < iv.start[b]; });

  IpcwRows& r = res.rows;
  std::vector<std::size_t> src;  // interval of each control row (for covariates)
  std::size_t empty_followup = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (d.arm[i] == 1) {
      r.subject.push_back(i);
      r.start.push_back(0);
      r.stop.push_back(d.time[i]);
      r.event.push_back(d.status[i]);
      r.arm.push_back(1);
      r.switch_row.push_back(0);
      r.switch_y.push_back(0);
      src.push_back(std::numeric_limits<std::size_t>::max());
      continue;
    }
    if (of[i].empty()) throw std::invalid_argument(fmt::format("ipcw: control subject {} has no intervals", i));
    const bool sw = d.switched[i] != 0;
    const double end = sw ? d.switch_time[i] : d.time[i];
    const std::uint8_t last_event = sw ? (d.switch_time[i] == d.time[i] ? d.status[i] : 0) : d.status[i];
    if (sw) ++res.switchers_censored;
    if (!(end > 0)) {
      ++empty_followup;
      continue;
    }
    bool extended = false;
    for (std::size_t m = 0; m < of[i].size(); ++m) {
      const std::size_t k = of[i][m];
      const double a = iv.start[k];
      if (a >= end) {
        ++res.rows_after_end;
        continue;
      }
      double b = std::min(iv.stop[k], end);
      if (m + 1 == of[i].size() && b < end) {
        b = end;
        extended = true;
      }
      const bool last = b == end;
      const bool elig = iv.eligible.empty() || iv.eligible[k] != 0;
      if (last && sw && !elig)
        throw std::invalid_argument(fmt::format("ipcw: subject {} switches in an interval where switching is not eligible", i));
      r.subject.push_back(i);
      r.start.push_back(a);
      r.stop.push_back(b);
      r.event.push_back(last ? last_event : 0);
      r.arm.push_back(0);
      r.switch_row.push_back(elig ? 1 : 0);
      r.switch_y.push_back(last && sw ? 1 : 0);
      src.push_back(k);
      if (last) break;
    }
    if (extended) ++res.subjects_extended;
  }
  if (empty_followup)
    res.warnings.push_back(fmt::format("{} control subjects switched at time 0: no follow-up before the switch", empty_followup));

  // --- the switching models' design ---
  std::vector<std::size_t> mrow;  // outcome rows that are modelled
  for (std::size_t k = 0; k < r.subject.size(); ++k)
    if (r.switch_row[k]) mrow.push_back(k);
  std::vector<std::int32_t> levels;  // strata present in the control arm (first = reference)
  if (!d.stratum.empty()) {
    for (std::size_t k = 0; k < r.subject.size(); ++k)
      if (r.arm[k] == 0) levels.push_back(d.stratum[r.subject[k]]);
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  }
  const Eigen::Index px = d.x.cols(), ps = levels.empty() ? 0 : static_cast<Eigen::Index>(levels.size()) - 1;
  const Eigen::Index pt = iv.time_terms.cols(), pz = iv.z.cols();
  auto design = [&](bool with_z) {
    const Eigen::Index p = px + ps + pt + (with_z ? pz : 0);
    Eigen::MatrixXd X(static_cast<Eigen::Index>(r.subject.size()), p);
    X.setZero();
    for (std::size_t k = 0; k < r.subject.size(); ++k) {
      if (r.arm[k] != 0) continue;
      const auto row = static_cast<Eigen::Index>(k);
      const auto i = static_cast<Eigen::Index>(r.subject[k]);
      Eigen::Index c = 0;
      if (px) X.row(row).segment(c, px) = d.x.row(i);
      c += px;
      for (Eigen::Index s = 1; s <= ps; ++s)
        X(row, c + s - 1) = d.stratum[r.subject[k]] == levels[static_cast<std::size_t>(s)] ? 1.0 : 0.0;
      c += ps;
      const auto iv_row = static_cast<Eigen::Index>(src[k]);
      if (pt) X.row(row).segment(c, pt) = iv.time_terms.row(iv_row);
      c += pt;
      if (with_z && pz) X.row(row).segment(c, pz) = iv.z.row(iv_row);
    }
    return X;
  };
  std::vector<std::string> names = d.names;
  for (Eigen::Index s = 1; s <= ps; ++s) names.push_back(fmt::format("stratum[{}]", levels[static_cast<std::size_t>(s)]));
  for (const auto& t : iv.time_names) names.push_back(t);
  std::vector<std::string> den_names = names;
  for (const auto& t : iv.z_names) den_names.push_back(t);
  const Eigen::MatrixXd Xden_all = design(true);
  Eigen::MatrixXd Xden(static_cast<Eigen::Index>(mrow.size()), Xden_all.cols());
  std::vector<std::uint8_t> y(mrow.size());
  for (std::size_t m = 0; m < mrow.size(); ++m) {
    Xden.row(static_cast<Eigen::Index>(m)) = Xden_all.row(static_cast<Eigen::Index>(mrow[m]));
    y[m] = r.switch_y[mrow[m]];
  }
  res.denominator = logistic_fit(Xden, y, den_names, o.logistic);
  if (!res.denominator.converged) res.warnings.push_back("the denominator switching model did not converge");
  Eigen::VectorXd pden = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(r.subject.size()));
  Eigen::VectorXd pnum = pden;
  for (std::size_t m = 0; m < mrow.size(); ++m) pden[static_cast<Eigen::Index>(mrow[m])] = res.denominator.fitted[static_cast<Eigen::Index>(m)];
  if (o.stabilised) {
    std::vector<std::size_t> crow;  // every control row
    for (std::size_t k = 0; k < r.subject.size(); ++k)
      if (r.arm[k] == 0) crow.push_back(k);
    const Eigen::MatrixXd Xnum_all = design(false);
    Eigen::MatrixXd Xnum(static_cast<Eigen::Index>(crow.size()), Xnum_all.cols());
    std::vector<std::uint8_t> yc(crow.size());
    for (std::size_t m = 0; m < crow.size(); ++m) {
      Xnum.row(static_cast<Eigen::Index>(m)) = Xnum_all.row(static_cast<Eigen::Index>(crow[m]));
      yc[m] = r.switch_y[crow[m]];
    }
    res.numerator = logistic_fit(Xnum, yc, names, o.logistic);
    if (!res.numerator.converged) res.warnings.push_back("the numerator switching model did not converge");
    for (std::size_t m = 0; m < crow.size(); ++m) pnum[static_cast<Eigen::Index>(crow[m])] = res.numerator.fitted[static_cast<Eigen::Index>(m)];
  }

  // --- weights: the probability of being unswitched at the start of each row ---
  const std::size_t R = r.subject.size();
  r.unstabilised.assign(R, 1.0);
  r.stabilised.assign(R, 1.0);
  double cw = 1, csw = 1;
  for (std::size_t k = 0; k < R; ++k) {
    if (k == 0 || r.subject[k] != r.subject[k - 1]) cw = csw = 1;
    r.unstabilised[k] = cw;
    r.stabilised[k] = csw;
    const auto e = static_cast<Eigen::Index>(k);
    cw /= 1 - pden[e];
    csw *= (1 - pnum[e]) / (1 - pden[e]);
  }
  r.weight = o.stabilised ? r.stabilised : r.unstabilised;
  if (o.truncate) {
    std::vector<double> wc;
    for (std::size_t k = 0; k < R; ++k)
      if (r.arm[k] == 0) wc.push_back(r.weight[k]);
    const double lo = quantile7(wc, o.truncate->first), hi = quantile7(wc, o.truncate->second);
    for (std::size_t k = 0; k < R; ++k) {
      if (r.arm[k] != 0) continue;
      if (r.weight[k] < lo) {
        r.weight[k] = lo;
        ++res.weights_control.truncated_low;
      } else if (r.weight[k] > hi) {
        r.weight[k] = hi;
        ++res.weights_control.truncated_high;
      }
    }
  }
  const std::size_t tl = res.weights_control.truncated_low, th = res.weights_control.truncated_high;
  res.weights_control = summarise(r, 0);
  res.weights_control.truncated_low = tl;
  res.weights_control.truncated_high = th;
  res.weights_experimental = summarise(r, 1);

  // --- the weighted outcome model ---
  std::vector<std::int32_t> strat, cluster(R);
  Eigen::MatrixXd x(static_cast<Eigen::Index>(R), px);
  if (!d.stratum.empty()) strat.resize(R);
  for (std::size_t k = 0; k < R; ++k) {
    const std::size_t i = r.subject[k];
    cluster[k] = static_cast<std::int32_t>(i);
    if (!strat.empty()) strat[k] = d.stratum[i];
    if (px) x.row(static_cast<Eigen::Index>(k)) = d.x.row(static_cast<Eigen::Index>(i));
  }
  detail::ArmCoxInput in{.time = r.stop, .status = r.event, .arm = r.arm, .stratum = strat, .x = &x,
                         .names = &d.names, .start = r.start, .weight = r.weight, .cluster = cluster};
  res.hr = detail::arm_cox(in, o.ties, o.conf_level);
  for (const auto& w : res.hr.fit.warnings) res.warnings.push_back("HR model: " + w);
  return res;
}

}  // namespace

IpcwResult ipcw(const SwitchData& data, const SwitchIntervals& iv, const IpcwOptions& o) {
  check_switch_data(data);
  if (!(o.conf_level > 0 && o.conf_level < 1)) throw UsageError("the confidence level must be in (0, 1)");
  if (o.truncate && !(o.truncate->first >= 0 && o.truncate->first < o.truncate->second && o.truncate->second <= 1))
    throw UsageError(fmt::format("--truncate {},{}: expected two percentiles 0 <= lo < hi <= 1", o.truncate->first,
                                 o.truncate->second));
  if (o.boot.replicates < 0) throw UsageError("the number of bootstrap replicates must be >= 0");
  IpcwResult res = ipcw_core(data, iv, o);
  if (o.boot.replicates > 0) {
    std::vector<std::vector<std::size_t>> of(data.size());
    for (std::size_t k = 0; k < iv.subject.size(); ++k) of[iv.subject[k]].push_back(k);
    std::vector<double> log_hr(static_cast<std::size_t>(o.boot.replicates));
    IpcwOptions ob = o;
    ob.boot = {};
    for (std::size_t b = 0; b < log_hr.size(); ++b) {
      const std::vector<std::size_t> idx = detail::bootstrap_indices(data.arm, o.boot.seed, b);
      const SwitchData s = detail::subset(data, idx);
      SwitchIntervals si;
      si.z_names = iv.z_names;
      si.time_names = iv.time_names;
      std::vector<std::size_t> rows;
      for (std::size_t k = 0; k < idx.size(); ++k)
        for (std::size_t j : of[idx[k]]) {
          rows.push_back(j);
          si.subject.push_back(k);
        }
      const auto m = static_cast<Eigen::Index>(rows.size());
      si.z.resize(m, iv.z.cols());
      si.time_terms.resize(m, iv.time_terms.cols());
      for (std::size_t k = 0; k < rows.size(); ++k) {
        si.start.push_back(iv.start[rows[k]]);
        si.stop.push_back(iv.stop[rows[k]]);
        if (!iv.eligible.empty()) si.eligible.push_back(iv.eligible[rows[k]]);
        const auto e = static_cast<Eigen::Index>(k);
        if (iv.z.cols()) si.z.row(e) = iv.z.row(static_cast<Eigen::Index>(rows[k]));
        if (iv.time_terms.cols()) si.time_terms.row(e) = iv.time_terms.row(static_cast<Eigen::Index>(rows[k]));
      }
      try {
        log_hr[b] = ipcw_core(s, si, ob).hr.log_hr;
      } catch (const NumericalError&) {
        log_hr[b] = std::numeric_limits<double>::quiet_NaN();
      }
    }
    res.boot = detail::summarise_bootstrap(o.boot, o.conf_level, log_hr, {});
    if (res.boot->failed > 0)
      res.warnings.push_back(fmt::format("{} of {} bootstrap replicates could not be fitted and are left out",
                                         res.boot->failed, o.boot.replicates));
  }
  return res;
}

}  // namespace hazard
