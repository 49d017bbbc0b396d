// Fixed and group-sequential designs under non-proportional hazards by the average hazard ratio (AHR) method
// (Mukhopadhyay, Huang, Metcalfe, Öhrn, Jenner & Stone 2020, J Biopharm Stat 30:1130-1146, as
// gsDesign2 ahr() / gs_design_ahr() with one analysis and the H0 information "info0").
//
// Expected events of one arm in piece j = [s_j, e_j) of time since randomisation, by calendar
// time T (Kalbfleisch & Prentice 2002, piecewise exponential with competing dropout):
//   E_j(T) = int_{s_j}^{min(e_j, T)} lambda_j S(t) A(T - t) dt,
//   S(t) = exp(-int_0^t (lambda + eta)),  A(x) = enrolment by calendar time x (piecewise linear).
// Between the breakpoints {s_j, e_j, T - u_k} (u_k the enrolment piece ends) A(T - t) is linear,
// A0 - a (t - l), and S(t) = S(l) exp(-mu (t - l)), mu = lambda_j + eta_j, so each piece of the
// integral is lambda_j S(l) (A0 E1(mu, h) - a E2(mu, h)) with
//   E1 = int_0^h exp(-mu x) dx,  E2 = int_0^h x exp(-mu x) dx.
// The arms enrol at p and 1 - p of the rate (p = r / (1 + r)); the experimental hazard is
// HR_j lambda_j. Then
//   AHR = exp(sum_j E_j log HR_j / sum_j E_j)   (E_j both arms),
//   D = (z_{1-alpha} + z_{1-beta})^2 / (p (1 - p) log(AHR)^2).
// With a study duration T the enrolment rates are scaled by D / E(T) (the AHR does not depend on
// the scale); without it the rates are absolute and T solves E(T) = D(AHR(T)) (TOMS 748 on the
// first sign change of a geometric grid of times).
// Group-sequential (analysis times t_1 < ... < t_K given): information I_k = p (1 - p) E(t_k),
// efficacy bounds b_k by alpha spending at I_k / I_K; with the enrolment scaled by c,
// Z_k ~ N(-log(AHR(t_k)) sqrt(c I_k), 1), corr sqrt(I_j / I_k), and c solves
// P(some Z_k >= b_k) = 1 - beta. The crossing probability of a varying mean m_k is that of the
// centred process with bounds b_k - m_k (crossing_probabilities with drift 0). Two-sided: bounds
// +-b_k (alpha over both sides), stopping at either under H1, power that of the upper side.
// Futility by beta spending (one-sided; gsDesign2 gs_design_ahr with a beta-spending lower bound,
// rpact's bsOF/bsP/bsHSD/bsKD): for a scale c, a_1 = m_1 + Phi^-1(beta(t_1)) and a_k solves
// P_H1(a_j < Z_j < b_j, j < k; Z_k <= a_k) = beta(t_k) - beta(t_{k-1}); c solves a_K = b_K (the
// first sign change scanning up from c0 / 2: a_K - b_K stops being monotone once the futility
// bounds pass the efficacy bounds). Non-binding: b_k as without futility (type I error ignoring
// it); binding: b_k solves P_H0(a_j < Z_j < b_j, j < k; Z_k >= b_k) = alpha(t_k) - alpha(t_{k-1}).
// Input contract: start[0] = 0 increasing; hazards, HRs > 0; dropout >= 0; enrolment piece ends
// increasing with a rate each (>= 0, positive total). Reference: tests/reference/design/make_ahr.R.
#include "hazard/ahr_design.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>

#include "design/detail.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

// int_0^h exp(-mu x) dx
double e1(double mu, double h) { return mu > 0 ? -std::expm1(-mu * h) / mu : h; }

// int_0^h x exp(-mu x) dx; the series sum_n (-mu h)^n / (n! (n + 2)) h^2 where mu h is small
double e2(double mu, double h) {
  const double x = mu * h;
  if (x < 0.5) {
    double term = 1, sum = 0;
    for (int n = 0; n < 30; ++n) {
      sum += term / (n + 2);
      term *= -x / (n + 1);
    }
    return h * h * sum;
  }
  return (e1(mu, h) - h * std::exp(-x)) / mu;
}

// enrolment by calendar time x
double enrolled(double x, const std::vector<double>& end, const std::vector<double>& rate) {
  double total = 0, from = 0;
  for (std::size_t k = 0; k < end.size(); ++k) {
    if (x <= from) break;
    total += rate[k] * (std::min(x, end[k]) - from);
    from = end[k];
  }
  return total;
}

double rate_at(double x, const std::vector<double>& end, const std::vector<double>& rate) {
  double from = 0;
  for (std::size_t k = 0; k < end.size(); ++k) {
    if (x > from && x < end[k]) return rate[k];
    from = end[k];
  }
  return 0;
}

bool positive_finite(double x) { return x > 0 && std::isfinite(x); }

void validate(const AhrDesignOptions& o) {
  const std::size_t n = o.start.size();
  if (n == 0) throw UsageError("--nph needs at least one piece (--piece-start 0,...)");
  if (o.start[0] != 0) {
    throw UsageError(
        fmt::format("--piece-start: value '{}': the first piece starts at 0", o.start[0]));
  }
  for (std::size_t j = 1; j < n; ++j) {
    if (!(o.start[j] > o.start[j - 1]) || !std::isfinite(o.start[j])) {
      throw UsageError(
          fmt::format("--piece-start: value '{}': piece starts must increase", o.start[j]));
    }
  }
  if (o.hazard_control.size() != n) {
    throw UsageError(fmt::format("{} control hazards for {} pieces (one per --piece-start)",
                                 o.hazard_control.size(), n));
  }
  if (o.hr.size() != n) {
    throw UsageError(fmt::format(
        "{} hazard ratios for {} pieces (--hr-pieces: one per --piece-start)", o.hr.size(), n));
  }
  for (double h : o.hazard_control) {
    if (!positive_finite(h))
      throw UsageError(fmt::format("control hazard: value '{}': must be > 0", h));
  }
  for (double h : o.hr) {
    if (!positive_finite(h))
      throw UsageError(fmt::format("--hr-pieces: value '{}': must be > 0", h));
  }
  if (o.dropout_hazard.size() > 1 && o.dropout_hazard.size() != n) {
    throw UsageError(fmt::format("{} dropout hazards for {} pieces (give one, or one per piece)",
                                 o.dropout_hazard.size(), n));
  }
  for (double h : o.dropout_hazard) {
    if (!(h >= 0) || !std::isfinite(h)) {
      throw UsageError(fmt::format("dropout hazard: value '{}': must be >= 0", h));
    }
  }
  const auto& a = o.accrual;
  if (a.end.empty() || a.rate.size() != a.end.size()) {
    throw UsageError("--nph needs --accrual-time and one --accrual-rate per accrual piece");
  }
  double prev = 0, total = 0;
  for (std::size_t k = 0; k < a.end.size(); ++k) {
    if (!(a.end[k] > prev) || !std::isfinite(a.end[k])) {
      throw UsageError(
          fmt::format("--accrual-time: value '{}': piece ends must increase from 0", a.end[k]));
    }
    if (!(a.rate[k] >= 0) || !std::isfinite(a.rate[k])) {
      throw UsageError(fmt::format("--accrual-rate: value '{}': must be >= 0", a.rate[k]));
    }
    total += a.rate[k] * (a.end[k] - prev);
    prev = a.end[k];
  }
  if (!(total > 0)) throw UsageError("--accrual-rate: the enrolment total must be positive");
  if (!(o.alpha > 0 && o.alpha < 1))
    throw UsageError(fmt::format("--alpha: value '{}': must be in (0, 1)", o.alpha));
  if (o.sided != 1 && o.sided != 2) throw UsageError("--sided must be 1 or 2");
  if (!(o.beta > 0 && o.beta < 1)) {
    throw UsageError(fmt::format("--power: value '{}': must be in (0, 1)", 1 - o.beta));
  }
  if (!positive_finite(o.ratio))
    throw UsageError(fmt::format("--ratio: value '{}': must be > 0", o.ratio));
  if (!o.analysis_times.empty()) {
    if (o.study_duration) throw UsageError("give --study-duration or --analysis-times, not both");
    if (o.futility && o.sided == 2) {
      throw UsageError(
          "futility bounds are for one-sided designs (rpact marks two-sided beta spending "
          "experimental)");
    }
    if (o.futility && (o.futility->type == SpendingType::haybittle_peto ||
                       o.futility->type == SpendingType::wang_tsiatis || o.futility->type == SpendingType::user))
      throw UsageError("futility bounds need a beta-spending function (obf, pocock, hsd:G, kd:R)");
    if (o.futility && o.efficacy.type == SpendingType::wang_tsiatis) {
      throw UsageError(
          "futility bounds by beta spending need an alpha-spending efficacy boundary, not "
          "Wang-Tsiatis (rpact ignores typeBetaSpending there)");
    }
    double prev_t = 0;
    for (double t : o.analysis_times) {
      if (!(t > prev_t) || !std::isfinite(t)) {
        throw UsageError(
            fmt::format("--analysis-times: value '{}': times must increase from 0", t));
      }
      prev_t = t;
    }
    if (!(o.analysis_times.back() >= a.end.back())) {
      throw UsageError(
          fmt::format("--analysis-times: value '{}': the last analysis must be at or "
                      "after the end of accrual ({})",
                      o.analysis_times.back(), a.end.back()));
    }
  }
  if (o.study_duration &&
      (!std::isfinite(*o.study_duration) || !(*o.study_duration >= a.end.back()))) {
    throw UsageError(
        fmt::format("--study-duration: value '{}': must be at least the end of accrual ({})",
                    *o.study_duration, a.end.back()));
  }
}

std::vector<double> per_piece(const std::vector<double>& v, std::size_t n) {
  if (v.empty()) return std::vector<double>(n, 0.0);
  if (v.size() == 1) return std::vector<double>(n, v[0]);
  return v;
}

AhrAtTime ahr_unchecked(const AhrDesignOptions& o, double t) {
  const double p = o.ratio / (1 + o.ratio);
  const std::size_t n = o.start.size();
  const auto eta = per_piece(o.dropout_hazard, n);
  std::vector<double> rate_c = o.accrual.rate, rate_e = o.accrual.rate, haz_e = o.hazard_control;
  for (auto& r : rate_c) r *= 1 - p;
  for (auto& r : rate_e) r *= p;
  for (std::size_t j = 0; j < n; ++j) haz_e[j] *= o.hr[j];
  AhrAtTime r;
  r.control = ahr_arm_events(t, o.accrual.end, rate_c, o.start, o.hazard_control, eta);
  r.experimental = ahr_arm_events(t, o.accrual.end, rate_e, o.start, haz_e, eta);
  double log_sum = 0;
  for (std::size_t j = 0; j < n; ++j) {
    r.events.push_back(r.control[j] + r.experimental[j]);
    r.total += r.events.back();
    log_sum += r.events.back() * std::log(o.hr[j]);
  }
  r.ahr = r.total > 0 ? std::exp(log_sum / r.total) : std::nan("");
  r.info = r.total * p * (1 - p);
  return r;
}

AhrDesign design_ahr_gs(const AhrDesignOptions& o, AhrDesign d) {
  const std::size_t K = o.analysis_times.size();
  const double p = o.ratio / (1 + o.ratio);
  const bool two = o.sided == 2;
  constexpr double tol = 1e-12;  // z-scale root tolerance, as BoundaryOptions::tolerance
  std::vector<AhrAtTime> at;
  std::vector<double> info(K), frac(K), theta(K);
  for (std::size_t k = 0; k < K; ++k) at.push_back(ahr_unchecked(o, o.analysis_times[k]));
  if (!(at.back().ahr < 1)) {
    throw UsageError(fmt::format(
        "the average hazard ratio at the last analysis ({:.6g}) is {:.6g}: the experimental arm "
        "is not better on average (check --hr-pieces)",
        o.analysis_times.back(), at.back().ahr));
  }
  for (std::size_t k = 0; k < K; ++k) {
    info[k] = at[k].info;
    frac[k] = info[k] / at.back().info;
    theta[k] = -std::log(at[k].ahr);
  }
  frac.back() = 1;
  // Efficacy bounds without futility (none, or non-binding: they ignore it); +-b_k two-sided.
  const std::vector<double> bounds0 = efficacy_bounds(frac, o.efficacy, o.alpha, false, tol, o.sided);
  std::vector<double> beta_target(K, 0.0);
  if (o.futility)
    for (std::size_t k = 0; k < K; ++k) beta_target[k] = spending_value(*o.futility, o.beta, frac[k]);
  const Spending eff = detail::with_looks(o.efficacy, frac);

  // The bounds for enrolment scale c: H1 means m_k = theta_k sqrt(c I_k). Futility bound a_k by
  // beta spending under H1 (in the centred process, bounds minus m_k); binding: the efficacy bound
  // b_k accounts for a_1..a_{k-1} under H0.
  struct Bounds {
    std::vector<double> upper, lower, mean;
  };
  auto bounds_for = [&](double c) {
    Bounds r{bounds0, std::vector<double>(K, -INFINITY), std::vector<double>(K)};
    for (std::size_t k = 0; k < K; ++k) r.mean[k] = theta[k] * std::sqrt(c * info[k]);
    if (two) {
      for (std::size_t k = 0; k < K; ++k) r.lower[k] = -r.upper[k];
      return r;
    }
    if (!o.futility) return r;
    std::vector<double> up_c(K), fut_c(K, -INFINITY);
    for (std::size_t k = 0; k < K; ++k) {
      if (o.binding) {
        if (eff.type == SpendingType::haybittle_peto && k + 1 < K) {
          r.upper[k] = detail::z_upper(eff.parameter);
        } else {
          const double target = k + 1 == K ? o.alpha : spending_value(eff, o.alpha, frac[k]);
          std::vector<double> low(r.lower.begin(), r.lower.begin() + static_cast<std::ptrdiff_t>(k + 1));
          low[k] = -INFINITY;
          r.upper[k] = detail::solve_critical(frac, r.upper, low, k, target, tol, false);
        }
      }
      for (std::size_t j = 0; j <= k; ++j) up_c[j] = r.upper[j] - r.mean[j];
      const double a = detail::futility_bound_at(frac, up_c, fut_c, k, 0.0, beta_target[k], tol);
      fut_c[k] = a;
      r.lower[k] = a + r.mean[k];
    }
    return r;
  };
  auto crossing = [&](const Bounds& b) {
    std::vector<double> up(K), low(K);
    for (std::size_t k = 0; k < K; ++k) {
      up[k] = b.upper[k] - b.mean[k];
      // the last futility bound equals the last efficacy bound: no futility region left there
      low[k] = (o.futility && k + 1 == K) ? -INFINITY : b.lower[k] - b.mean[k];
    }
    return crossing_probabilities(info, up, low, 0);
  };
  auto power = [&](double c) {
    const auto cp = crossing(bounds_for(c));
    double s = 0;
    for (double v : cp.upper) s += v;
    return s;
  };
  const double zz = (d.z_alpha + d.z_beta) * (d.z_alpha + d.z_beta);
  d.events_fixed = zz / (p * (1 - p) * theta.back() * theta.back());
  const double c0 = d.events_fixed / at.back().total;
  // Without futility: the power 1 - beta. With futility by beta spending: the scale at which the
  // last futility bound meets the last efficacy bound (then the power is 1 - beta, all of beta
  // spent on futility); a_K - b_K increases with c.
  auto f = [&](double c) {
    if (!o.futility) return power(c) - (1 - o.beta);
    const Bounds b = bounds_for(c);
    return b.lower.back() - b.upper.back();
  };
  // The first sign change scanning up from below: with futility the difference a_K - b_K stops
  // being monotone once the futility bounds cross the efficacy bounds (at too large a scale, the
  // inner searches hit their limits), so the bracket grows in small steps.
  double lo = c0 / 2;
  for (int i = 0; i < 40 && f(lo) > 0; ++i) lo /= 2;
  double hi = lo;
  bool found = false;
  for (int i = 0; i < 400 && !found; ++i) {
    hi = lo * 1.25;
    if (f(hi) >= 0) {
      found = true;
    } else {
      lo = hi;
    }
  }
  if (!found || f(lo) > 0) {
    throw NumericalError(
        "--nph: no enrolment scale gives the power (the power does not cross "
        "the target between 1/2^40 and 10^38 times the fixed design)");
  }
  boost::math::tools::eps_tolerance<double> eps(50);
  std::uintmax_t iters = 200;
  const auto root = boost::math::tools::toms748_solve(f, lo, hi, eps, iters);
  const double c = 0.5 * (root.first + root.second);
  const Bounds bd = bounds_for(c);
  if (o.futility) {
    for (std::size_t k = 0; k + 1 < K; ++k) {
      if (bd.lower[k] > bd.upper[k]) {
        throw NumericalError(fmt::format(
            "futility bound {:.4f} above the efficacy bound {:.4f} at look {}: beta spending is "
            "too aggressive for these looks",
            bd.lower[k], bd.upper[k], k + 1));
      }
    }
  }
  const auto cp = crossing(bd);
  AhrDesignOptions scaled = o;
  for (auto& r : scaled.accrual.rate) r *= c;
  d.accrual_rate = scaled.accrual.rate;
  d.sample_size = c * enrolled(o.accrual.end.back(), o.accrual.end, o.accrual.rate);
  d.study_duration = o.analysis_times.back();
  d.at_end = ahr_unchecked(scaled, d.study_duration);
  d.ahr = d.at_end.ahr;
  d.events = d.at_end.total;
  double cum = 0, cum_beta = 0;
  for (std::size_t k = 0; k < K; ++k) {
    cum += cp.upper[k];
    const bool has_fut = o.futility && k + 1 < K && std::isfinite(bd.lower[k]);
    const double fut_h1 = o.futility && k + 1 < K ? cp.lower[k] : 0.0;
    cum_beta += fut_h1;
    d.looks.push_back({.time = o.analysis_times[k],
                       .events = c * at[k].total,
                       .info_fraction = frac[k],
                       .ahr = at[k].ahr,
                       .z_efficacy = bd.upper[k],
                       .reject_h1 = cp.upper[k],
                       .cum_power = cum,
                       .z_futility = has_fut ? bd.lower[k] : -INFINITY,
                       .futility_h1 = fut_h1,
                       .beta_spent = o.futility ? (k + 1 < K ? cum_beta : o.beta) : std::nan(""),
                       .hr_futility = has_fut ? std::exp(-bd.lower[k] / std::sqrt(c * info[k])) : std::nan("")});
  }
  d.power = cum;
  return d;
}

}  // namespace

std::vector<double> ahr_arm_events(double t, const std::vector<double>& accrual_end,
                                   const std::vector<double>& rate,
                                   const std::vector<double>& start,
                                   const std::vector<double>& hazard,
                                   const std::vector<double>& dropout) {
  const std::size_t n = start.size();
  std::vector<double> out(n, 0.0);
  double surv_start = 1;  // S(s_j)
  for (std::size_t j = 0; j < n; ++j) {
    const double s = start[j];
    const double e = j + 1 < n ? start[j + 1] : INFINITY;
    const double mu = hazard[j] + dropout[j];
    const double hi = std::min(e, t);
    if (hi > s) {
      std::vector<double> cuts{s, hi};
      cuts.push_back(t);  // T - u_0
      for (double u : accrual_end) cuts.push_back(t - u);
      std::sort(cuts.begin(), cuts.end());
      double sum = 0;
      for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
        const double l = std::max(cuts[i], s), r = std::min(cuts[i + 1], hi);
        if (!(r > l)) continue;
        const double h = r - l;
        const double a0 = enrolled(t - l, accrual_end, rate);
        const double a = rate_at(t - 0.5 * (l + r), accrual_end, rate);
        sum += std::exp(-mu * (l - s)) * (a0 * e1(mu, h) - a * e2(mu, h));
      }
      out[j] = hazard[j] * surv_start * sum;
    }
    if (std::isfinite(e)) surv_start *= std::exp(-mu * (e - s));
  }
  return out;
}

AhrAtTime ahr_at(const AhrDesignOptions& options, double t) {
  validate(options);
  return ahr_unchecked(options, t);
}

AhrDesign design_ahr(const AhrDesignOptions& o) {
  validate(o);
  boost::math::normal norm;
  AhrDesign d;
  d.z_alpha = boost::math::quantile(boost::math::complement(norm, o.alpha / o.sided));
  d.z_beta = boost::math::quantile(boost::math::complement(norm, o.beta));
  const double p = o.ratio / (1 + o.ratio);
  const double zz = (d.z_alpha + d.z_beta) * (d.z_alpha + d.z_beta);
  auto required = [&](double ahr) { return zz / (p * (1 - p) * std::log(ahr) * std::log(ahr)); };
  auto check_ahr = [&](const AhrAtTime& a, double t) {
    if (!(a.ahr < 1)) {
      throw UsageError(
          fmt::format("the average hazard ratio at time {:.6g} is {:.6g}: the experimental arm is "
                      "not better on "
                      "average, no number of events gives the power (check --hr-pieces)",
                      t, a.ahr));
    }
  };
  if (!o.analysis_times.empty()) return design_ahr_gs(o, d);
  double acc_total = enrolled(o.accrual.end.back(), o.accrual.end, o.accrual.rate);
  AhrDesignOptions scaled = o;
  if (o.study_duration) {
    const double t = *o.study_duration;
    const auto a = ahr_unchecked(o, t);
    check_ahr(a, t);
    const double scale = required(a.ahr) / a.total;
    for (auto& r : scaled.accrual.rate) r *= scale;
    d.study_duration = t;
    d.sample_size = acc_total * scale;
  } else {
    // sqrt(E p (1 - p)) (-log AHR) - (z_a + z_b): zero where E = D, negative before (also where
    // the AHR is still >= 1, as early in a delayed effect), finite everywhere
    auto f = [&](double t) {
      const auto a = ahr_unchecked(o, t);
      return std::sqrt(a.info) * -std::log(a.ahr) - (d.z_alpha + d.z_beta);
    };
    const double base = o.accrual.end.back();
    double lo = base * std::exp2(-41 / 4.0), hi = 0;
    bool found = false;
    for (int k = -40; k <= 48; ++k) {
      const double t = base * std::exp2(k / 4.0);
      if (f(t) > 0) {
        hi = t;
        found = true;
        break;
      }
      lo = t;
    }
    if (!found) {
      const auto a = ahr_unchecked(o, base * std::exp2(12.0));
      check_ahr(a, base * std::exp2(12.0));
      throw NumericalError(fmt::format(
          "the enrolment of {:.6g} patients never reaches the events needed: {:.6g} expected "
          "events at most, {:.6g} needed at AHR {:.6g} (raise --accrual-rate or --accrual-time, or "
          "give --study-duration to scale the enrolment)",
          acc_total, a.total, required(a.ahr), a.ahr));
    }
    boost::math::tools::eps_tolerance<double> tol(50);
    std::uintmax_t iters = 200;
    auto root = boost::math::tools::toms748_solve(f, lo, hi, tol, iters);
    d.study_duration = 0.5 * (root.first + root.second);
    check_ahr(ahr_unchecked(o, d.study_duration), d.study_duration);
    d.sample_size = acc_total;
  }
  d.accrual_rate = scaled.accrual.rate;
  d.at_end = ahr_unchecked(scaled, d.study_duration);
  d.ahr = d.at_end.ahr;
  d.events = required(d.ahr);
  d.events_fixed = d.events;
  d.power = 1 - o.beta;
  return d;
}

}  // namespace hazard
