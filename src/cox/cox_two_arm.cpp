// A Cox model whose only covariate is the treatment arm, from per-event-time tallies.
//
// With x in {0, 1} and no case weights, the partial likelihood at an event time with n0, n1 at
// risk and d0, d1 events (d = d0 + d1, theta = exp(beta)) depends on the data only through these
// four counts. Efron (R's coxph default), k = 0 .. d-1, f = k / d:
//   R_k = n0 + n1 theta - f (d0 + d1 theta),   A_k = (n1 - f d1) theta   (= dR_k / dbeta)
//   loglik += d1 beta - sum_k log R_k
//   score  += d1 - sum_k A_k / R_k
//   info   += sum_k (A_k / R_k - (A_k / R_k)^2)       (x^2 = x, so d^2 R_k / dbeta^2 = A_k)
// Breslow: one term with weight d, R = n0 + n1 theta, A = n1 theta.
// Sources: Therneau & Grambsch (2000), sections 3.2-3.3; R survival coxfit6.c for the iteration,
// which is shared here (detail::newton: R's convergence rule, step halving, iteration limit).
// The arm is a {0, 1} column, which coxph neither centres nor scales.
//
// Input contract: unweighted counts; tallies of several strata are simply concatenated.
#include <cmath>
#include <vector>

#include "cox/cox_detail.hpp"
#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "util/time_order.hpp"

namespace hazard {

TwoArmCox cox_two_arm(std::span<const TwoArmTally> tallies, const CoxOptions& options) {
  if (options.ties == Ties::exact) throw UsageError("cox_two_arm: ties must be efron or breslow");
  const bool efron = options.ties == Ties::efron;
  bool any_event = false;
  for (const TwoArmTally& t : tallies) any_event = any_event || t.events0 + t.events1 > 0;
  if (!any_event) throw NumericalError("no events: a Cox model cannot be fitted");
  auto eval = [&](const double* b, double* u, double* im) {
    const double beta = b[0], theta = std::exp(beta);
    double loglik = 0, score = 0, info = 0;
    for (const TwoArmTally& t : tallies) {
      const double d = t.events0 + t.events1;
      if (d == 0) continue;
      loglik += t.events1 * beta;
      score += t.events1;
      if (!efron || d == 1) {
        const double r = t.at_risk0 + t.at_risk1 * theta, a = t.at_risk1 * theta / r;
        loglik -= d * std::log(r);
        score -= d * a;
        info += d * (a - a * a);
        continue;
      }
      const auto m = static_cast<int>(d);
      for (int k = 0; k < m; ++k) {
        const double f = k / d;
        const double r = t.at_risk0 + t.at_risk1 * theta - f * (t.events0 + t.events1 * theta);
        const double a = (t.at_risk1 - f * t.events1) * theta / r;
        loglik -= std::log(r);
        score -= a;
        info += a - a * a;
      }
    }
    u[0] = score;
    im[0] = info;
    return loglik;
  };
  const detail::NewtonResult nr = detail::newton(detail::Scheme::coxfit6, eval, 1, options);
  TwoArmCox out;
  out.coef = nr.beta[0];
  out.se = std::sqrt(nr.var[0]);
  out.loglik0 = nr.loglik0;
  out.loglik = nr.loglik;
  out.iterations = nr.iter;
  out.converged = nr.converged;
  return out;
}

std::vector<TwoArmTally> two_arm_tallies(std::span<const double> time,
                                         std::span<const std::uint8_t> status,
                                         std::span<const std::int32_t> arm,
                                         std::span<const std::int32_t> stratum) {
  const std::size_t n = time.size();
  if (status.size() != n || arm.size() != n || (!stratum.empty() && stratum.size() != n))
    throw UsageError("two_arm_tallies: the columns differ in length");
  std::int32_t ns = 1;
  for (std::int32_t s : stratum) {
    if (s < 0) throw UsageError("two_arm_tallies: negative stratum code");
    ns = std::max(ns, s + 1);
  }
  // descending time within stratum: the risk sets accumulate as the pass goes back in time
  const std::vector<std::uint32_t> ord =
      detail::order_by_code_time(time, stratum, static_cast<std::size_t>(ns), true);
  std::vector<TwoArmTally> out;
  for (std::size_t k = 0; k < n;) {
    const std::int32_t s = stratum.empty() ? 0 : stratum[ord[k]];
    double n0 = 0, n1 = 0;
    while (k < n && (stratum.empty() ? 0 : stratum[ord[k]]) == s) {
      const double t = time[ord[k]];
      TwoArmTally tally;
      for (; k < n && time[ord[k]] == t && (stratum.empty() ? 0 : stratum[ord[k]]) == s; ++k) {
        const std::size_t i = ord[k];
        const bool exp_arm = arm[i] != 0;
        (exp_arm ? n1 : n0) += 1;
        if (status[i]) (exp_arm ? tally.events1 : tally.events0) += 1;
      }
      tally.at_risk0 = n0;
      tally.at_risk1 = n1;
      if (tally.events0 + tally.events1 > 0) out.push_back(tally);
    }
  }
  return out;
}

}  // namespace hazard
