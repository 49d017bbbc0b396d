// Rank-preserving structural failure time model by g-estimation (Robins & Tsiatis 1991; White,
// Babiker, Walker & Darbyshire 1999), with the conventions of R's rpsftm package (Bond & White):
//
//   U_i(psi) = T_off,i + exp(psi) T_on,i        (counterfactual untreated time, counterfactual.cpp)
//   Z(psi)   = (O_1 - E_1) / sqrt(V_11) of the experimental arm in the log-rank test of U between
//              the randomized arms, stratified (survdiff(Surv(U, d) ~ arm + strata(s)), with its
//              timefix: times within sqrt(eps) relative are one time), or the
//              Wald z of the arm in coxph(Surv(U, d) ~ arm + x + strata(s))
//   psi      = the root of Z(psi) = 0; CI = {psi: |Z(psi)| < z_{1-a/2}}, its limits the roots of
//              Z = +z_{1-a/2} (lower) and Z = -z_{1-a/2} (upper) (Z decreases in psi).
// Z is a step function of psi (it depends on the order of the counterfactual times): a root is
// the point where Z jumps across the target. Roots are found as rpsftm's uniroot_all does: Z on a
// grid of the search interval, each sign change bisected (to `tol` here, uniroot's tol there).
// Several roots (Z not monotone) are all reported; psi is the smallest (rpsftm's first root), the
// CI the widest (the smallest lower and the largest upper root). A limit not bracketed in the
// interval is NaN with a warning.
//
// Adjusted HR: coxph(Surv(t*, d*) ~ arm + x + strata(s)) on the observed experimental times and
// the counterfactual control times (unswitched_times). Z jumps at psi-hat, and so do the
// counterfactual data: they are taken on the side of the jump where |Z| is smaller
// (psi-hat -/+ tol, evaluation_psi). Its CIs: the Cox model's Wald interval
// (ignores the uncertainty in psi), the interval keeping the ITT test's p-value
// (SE = log HR / Z(0)), and the bootstrap percentile interval with psi re-estimated per sample.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "crossover/detail.hpp"
#include "hazard/crossover.hpp"
#include "hazard/error.hpp"
#include "hazard/logrank.hpp"
#include "util/timefix.hpp"

namespace hazard {

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

// Left end of the set where g == 0 between a (g != 0) and b (g == 0), to tol.
double zero_edge(const std::function<double(double)>& g, double a, double b, double tol) {
  while (std::fabs(b - a) > tol) {
    const double m = 0.5 * (a + b);
    if (m == a || m == b) break;
    if (g(m) == 0) b = m;
    else a = m;
  }
  return 0.5 * (a + b);
}

}  // namespace

RootSearch find_roots(const std::function<double(double)>& f, double lo, double hi, int grid,
                      double tol, double target, std::vector<double>& gx, std::vector<double>& gf) {
  if (!(lo < hi) || grid < 1 || !(tol > 0)) throw std::invalid_argument("find_roots: bad interval");
  const auto k_max = static_cast<std::size_t>(grid);
  if (gx.size() != k_max + 1) {
    gx.resize(k_max + 1);
    gf.resize(k_max + 1);
    for (std::size_t k = 0; k <= k_max; ++k) {
      gx[k] = k == k_max ? hi : lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(grid);
      gf[k] = f(gx[k]);
    }
  }
  auto g = [&](double x) { return f(x) - target; };
  RootSearch rs;
  std::size_t k = 0;
  while (k <= k_max) {
    const double gk = gf[k] - target;
    if (gk == 0) {  // a run of grid points on the target: one root, the middle of the zero set
      std::size_t k1 = k;
      while (k1 + 1 <= k_max && gf[k1 + 1] - target == 0) ++k1;
      const double left = k == 0 ? gx[0] : zero_edge(g, gx[k - 1], gx[k], tol);
      const double right = k1 == k_max ? gx[k_max] : zero_edge(g, gx[k1 + 1], gx[k1], tol);
      rs.roots.push_back(0.5 * (left + right));
      k = k1 + 1;
      continue;
    }
    if (k < k_max) {
      const double gn = gf[k + 1] - target;
      if (std::isfinite(gk) && std::isfinite(gn) && gn != 0 && (gk < 0) != (gn < 0)) {
        double a = gx[k], b = gx[k + 1];
        const bool neg_a = gk < 0;
        bool zero_found = false;
        while (b - a > tol) {
          const double m = 0.5 * (a + b);
          if (m == a || m == b) break;
          const double gm = g(m);
          if (gm == 0) {  // the jump passes through the target: the middle of that flat piece
            const double left = zero_edge(g, a, m, tol), right = zero_edge(g, b, m, tol);
            rs.roots.push_back(0.5 * (left + right));
            zero_found = true;
            break;
          }
          if (!std::isfinite(gm)) break;
          if ((gm < 0) == neg_a) a = m;
          else b = m;
        }
        if (!zero_found) rs.roots.push_back(0.5 * (a + b));
      }
    }
    ++k;
  }
  return rs;
}

double rpsftm_z(const SwitchData& data, double psi, const RpsftmOptions& o) {
  Counterfactual cf = untreated_times(data, psi, o.recensor);
  if (o.test == GTest::logrank) {
    // survdiff's timefix (aeqSurv): counterfactual times within sqrt(eps) of each other are one
    // time, as in R (the Cox test's cox_fit does the same)
    std::vector<double> no_start;
    detail::aeq_surv(cf.time, no_start);
    LogrankStats st = logrank_stats({.time = cf.time, .status = cf.status, .group = data.arm,
                                     .stratum = data.stratum, .n_groups = 2});
    // as rpsftm's extract_z.survdiff: no test (Z = 0) unless both arms expect events
    if (!(st.expected[0] > 0 && st.expected[1] > 0)) return 0.0;
    const double v = st.var(1, 1);
    return v > 0 ? (st.observed[1] - st.expected[1]) / std::sqrt(v) : 0.0;
  }
  try {
    detail::ArmCoxInput in{.time = cf.time, .status = cf.status, .arm = data.arm,
                           .stratum = data.stratum, .x = &data.x, .names = &data.names};
    const AdjustedHr h = detail::arm_cox(in, o.ties, o.conf_level);
    return h.log_hr / h.se;
  } catch (const NumericalError&) {
    return nan_v;
  }
}

namespace {

void check_options(const SwitchData& data, const RpsftmOptions& o) {
  if (!(o.psi_min < o.psi_max) || !std::isfinite(o.psi_min) || !std::isfinite(o.psi_max))
    throw UsageError(fmt::format("the psi search interval [{}, {}] is not an interval", o.psi_min, o.psi_max));
  if (o.grid < 2) throw UsageError("the psi grid needs at least 2 subintervals");
  if (!(o.tol > 0)) throw UsageError("the root tolerance must be > 0");
  if (!(o.conf_level > 0 && o.conf_level < 1)) throw UsageError("the confidence level must be in (0, 1)");
  if (o.recensor && data.censor_time.empty())
    throw UsageError("re-censoring needs the administrative censoring time (--censor-time or --cutoff-date), "
                     "or turn it off with --no-recensor");
  if (o.boot.replicates < 0) throw UsageError("the number of bootstrap replicates must be >= 0");
}

// Z is a step function and psi-hat the point where it jumps across 0, so the counterfactual data
// (and the HR, the curve) change at psi-hat itself. They are taken on the side of the jump where
// |Z| is smaller (the side closer to Z = 0): psi-hat -/+ tol lie on either side (the final bracket
// is narrower than tol). psi-hat itself when both sides give the same |Z| (a run of exact zeros).
double evaluation_psi(const SwitchData& d, double psi, const RpsftmOptions& o) {
  const double zl = std::fabs(rpsftm_z(d, psi - o.tol, o)), zh = std::fabs(rpsftm_z(d, psi + o.tol, o));
  if (zl == zh || !std::isfinite(zl) || !std::isfinite(zh)) return psi;
  return zh < zl ? psi + o.tol : psi - o.tol;
}

// psi and the HR at the estimate, without the CI search (a bootstrap replicate).
struct Point {
  double psi = nan_v, log_hr = nan_v;
};

Point point_estimate(const SwitchData& d, const RpsftmOptions& o) {
  std::vector<double> gx, gf;
  RootSearch rs = find_roots([&](double p) { return rpsftm_z(d, p, o); }, o.psi_min, o.psi_max,
                             o.grid, o.tol, 0.0, gx, gf);
  Point pt;
  if (!rs.found()) return pt;
  pt.psi = rs.roots.front();
  const Counterfactual cf = unswitched_times(d, evaluation_psi(d, pt.psi, o), o.recensor);
  try {
    detail::ArmCoxInput in{.time = cf.time, .status = cf.status, .arm = d.arm, .stratum = d.stratum,
                           .x = &d.x, .names = &d.names};
    pt.log_hr = detail::arm_cox(in, o.ties, o.conf_level).log_hr;
  } catch (const NumericalError&) {
  }
  return pt;
}

}  // namespace

RpsftmResult rpsftm(const SwitchData& data, const RpsftmOptions& o) {
  check_switch_data(data);
  check_options(data, o);
  RpsftmResult r;
  r.options = o;
  auto z = [&](double p) { return rpsftm_z(data, p, o); };
  const double zc = detail::z_two_sided(o.conf_level);
  RootSearch est = find_roots(z, o.psi_min, o.psi_max, o.grid, o.tol, 0.0, r.grid_psi, r.grid_z);
  RootSearch lo = find_roots(z, o.psi_min, o.psi_max, o.grid, o.tol, zc, r.grid_psi, r.grid_z);
  RootSearch hi = find_roots(z, o.psi_min, o.psi_max, o.grid, o.tol, -zc, r.grid_psi, r.grid_z);
  for (std::size_t k = 0; k + 1 < r.grid_z.size(); ++k)
    if (r.grid_z[k + 1] > r.grid_z[k]) r.monotone = false;
  r.psi_roots = est.roots;
  r.lower_roots = lo.roots;
  r.upper_roots = hi.roots;
  r.z_itt = z(0.0);
  r.psi = est.found() ? est.roots.front() : nan_v;
  if (est.roots.size() > 1)
    r.warnings.push_back(fmt::format("Z(psi) = 0 has {} roots in [{}, {}]; psi is the smallest",
                                     est.roots.size(), o.psi_min, o.psi_max));
  if (!est.found())
    r.warnings.push_back(fmt::format(
        "no root of Z(psi) = 0 in [{}, {}] (Z = {:.4g} at {}, {:.4g} at {}): widen the search interval",
        o.psi_min, o.psi_max, r.grid_z.front(), o.psi_min, r.grid_z.back(), o.psi_max));
  r.lower = lo.found() ? *std::min_element(lo.roots.begin(), lo.roots.end()) : nan_v;
  r.upper = hi.found() ? *std::max_element(hi.roots.begin(), hi.roots.end()) : nan_v;
  if (std::isfinite(r.lower) && std::isfinite(r.upper) && r.upper < r.lower) std::swap(r.lower, r.upper);
  if (!lo.found())
    r.warnings.push_back(fmt::format("the lower confidence limit (Z = {:.4f}) is not in [{}, {}]", zc,
                                     o.psi_min, o.psi_max));
  if (!hi.found())
    r.warnings.push_back(fmt::format("the upper confidence limit (Z = {:.4f}) is not in [{}, {}]", -zc,
                                     o.psi_min, o.psi_max));
  if (lo.roots.size() > 1 || hi.roots.size() > 1)
    r.warnings.push_back("a confidence limit has several roots; the widest interval is reported");
  if (!est.found()) return r;

  r.psi_evaluated = evaluation_psi(data, r.psi, o);
  r.untreated = untreated_times(data, r.psi_evaluated, o.recensor);
  r.unswitched = unswitched_times(data, r.psi_evaluated, o.recensor);
  r.control_km = detail::arm_km(r.unswitched.time, r.unswitched.status, data.arm, 0, o.conf_level);
  r.experimental_km = detail::arm_km(r.unswitched.time, r.unswitched.status, data.arm, 1, o.conf_level);
  detail::ArmCoxInput in{.time = r.unswitched.time, .status = r.unswitched.status, .arm = data.arm,
                         .stratum = data.stratum, .x = &data.x, .names = &data.names};
  r.hr = detail::arm_cox(in, o.ties, o.conf_level);
  for (const auto& w : r.hr.fit.warnings) r.warnings.push_back("HR model: " + w);
  const double se_itt = r.z_itt != 0 ? std::fabs(r.hr.log_hr / r.z_itt) : nan_v;
  r.hr_lower_itt = std::exp(r.hr.log_hr - zc * se_itt);
  r.hr_upper_itt = std::exp(r.hr.log_hr + zc * se_itt);

  if (o.boot.replicates > 0) {
    std::vector<double> log_hr(static_cast<std::size_t>(o.boot.replicates)), psi(log_hr.size());
    for (std::size_t b = 0; b < log_hr.size(); ++b) {
      const std::vector<std::size_t> idx = detail::bootstrap_indices(data.arm, o.boot.seed, b);
      const SwitchData s = detail::subset(data, idx);
      const Point pt = point_estimate(s, o);
      psi[b] = pt.psi;
      log_hr[b] = pt.log_hr;
    }
    r.boot = detail::summarise_bootstrap(o.boot, o.conf_level, log_hr, psi);
    if (r.boot->failed > 0)
      r.warnings.push_back(fmt::format("{} of {} bootstrap replicates gave no estimate and are left out",
                                       r.boot->failed, o.boot.replicates));
  }
  return r;
}

}  // namespace hazard
