// Newton–Raphson maximisation of the log partial likelihood, step for step as R survival's C
// routines (coxfit6.c for right-censored data, agfit4.c for (start, stop] data, coxexact.c and
// agexact.c for exact ties), so that the iteration count and non-converged answers match R too.
//
// Common rule: start at beta = 0; the score test u' I^-1 u is taken there. A step is
// beta_new = beta + I^-1 u (generalised Cholesky, aliased columns get no step). Converged when
// |1 - loglik_old / loglik_new| <= eps (R) or, with Compat::sas, when PHREG's relative gradient
// u' I^-1 u / |loglik_new| < gconv. When the log-likelihood falls or is not finite the step is
// halved towards the last good beta instead (coxfit6/agfit4: beta_new = (beta_new + h beta) /
// (h + 1) with h the number of successive halvings; coxexact, agexact: plain halving). Never
// complain about convergence on the first step.
// Differences kept from R: coxfit6 may stop while halving (flag -2) and when it runs out of
// iterations recomputes the sums at the last good beta without refactoring the information
// (its variance is then diag(1 / I_jj)); agfit4, coxexact and agexact require halving == 0 to
// stop, and agfit4 counts a change of rank as a failure. Out of iterations, coxexact returns
// the last good beta with the diagonal variance as coxfit6, agexact the last trial beta with
// the full inverse of its information.
#include <cmath>
#include <vector>

#include "cox/cox_detail.hpp"

namespace hazard::detail {
namespace {

bool finite_all(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

/// One Newton–Raphson move after evaluating at `trial`, where `good` is the last accepted
/// beta and `imat` holds the Cholesky factor of the information at `trial`. If the trial is
/// worse (`worse`: the log-likelihood fell or is not finite) it is pulled back towards `good`:
/// trial = (trial + h good) / (h + 1), with h the number of successive halvings when `cumulative`
/// (coxfit6, agfit4) or h = 1 (coxexact, agexact: plain halving). Otherwise the trial is
/// accepted (best = newlk, good = trial) and the next trial is good + I^-1 u. `u` is overwritten.
void next_step(bool worse, bool cumulative, double newlk, int& halving, double& best, std::vector<double>& good,
               std::vector<double>& trial, std::vector<double>& u, const std::vector<double>& imat) {
  const std::size_t p = good.size();
  if (worse) {
    halving = cumulative ? halving + 1 : 1;
    for (std::size_t i = 0; i < p; ++i) trial[i] = (trial[i] + halving * good[i]) / (halving + 1.0);
    return;
  }
  halving = 0;
  best = newlk;
  chsolve2(imat.data(), static_cast<int>(p), u.data());
  for (std::size_t i = 0; i < p; ++i) {
    good[i] = trial[i];
    trial[i] += u[i];
  }
}

}  // namespace

NewtonResult newton(Scheme scheme, const CoxEval& eval, std::size_t p, const CoxOptions& opt) {
  const int n = static_cast<int>(p);
  const int maxiter = opt.max_iter;
  NewtonResult r;
  std::vector<double> beta(p, 0.0), newbeta(p, 0.0), u(p), imat(p * p), a(p);
  auto converged_test = [&](double oldlk, double newlk) {
    if (opt.compat == Compat::sas) {  // imat holds the Cholesky factor here
      std::vector<double> s(u);
      chsolve2(imat.data(), n, s.data());
      double g = 0;
      for (std::size_t i = 0; i < p; ++i) g += u[i] * s[i];
      return g / std::fabs(newlk) < opt.gconv;
    }
    return std::fabs(1 - oldlk / newlk) <= opt.eps;
  };
  auto finish = [&](std::vector<double>& b) {
    chinv2(imat.data(), n);
    r.beta = b;
    r.u = u;
    r.var = imat;
  };

  // iteration 0
  double ll = eval(beta.data(), u.data(), imat.data());
  r.loglik0 = r.loglik = ll;
  a = u;
  r.rank = cholesky2(imat.data(), n, opt.toler_chol);
  r.flag = r.rank;
  chsolve2(imat.data(), n, a.data());
  r.sctest = 0;
  for (std::size_t i = 0; i < p; ++i) r.sctest += u[i] * a[i];
  if (maxiter == 0 || !std::isfinite(ll)) {
    r.iter = 0;
    r.converged = maxiter == 0 && std::isfinite(ll);
    finish(beta);
    return r;
  }

  if (scheme == Scheme::coxfit6) {
    for (std::size_t i = 0; i < p; ++i) newbeta[i] = beta[i] + a[i];
    int halving = 0;
    double best = ll;
    for (int iter = 1; iter <= maxiter; ++iter) {
      const double newlk = eval(newbeta.data(), u.data(), imat.data());
      r.flag = cholesky2(imat.data(), n, opt.toler_chol);
      const bool notfinite = !finite_all(u) || !finite_all(imat) || !std::isfinite(newlk);
      if (!notfinite && converged_test(best, newlk)) {
        r.loglik = newlk;
        r.iter = iter;
        r.converged = true;
        if (halving) r.flag = -2;
        finish(newbeta);
        return r;
      }
      next_step(notfinite || newlk < best, true, newlk, halving, best, beta, newbeta, u, imat);
    }
    // ran out of iterations
    r.iter = maxiter + 1;
    r.loglik = best;
    if (maxiter > 1) {
      r.loglik = eval(beta.data(), u.data(), imat.data());
      // as coxfit6: the information at beta is inverted without being factored, i.e. only its
      // diagonal is used
      for (std::size_t i = 0; i < p; ++i)
        for (std::size_t j = 0; j < p; ++j)
          if (i != j) imat[i * p + j] = 0;
    }
    r.flag = 1000;
    finish(beta);
    return r;
  }

  if (scheme == Scheme::agfit4) {
    std::vector<double> oldbeta = beta;
    for (std::size_t i = 0; i < p; ++i) beta[i] += a[i];
    int halving = 0;
    double best = ll, newlk = ll;
    int iter = 1;
    for (; iter <= maxiter; ++iter) {
      newlk = eval(beta.data(), u.data(), imat.data());
      int fail = 0;
      for (std::size_t i = 0; i < p; ++i)
        if (!std::isfinite(imat[i * p + i])) ++fail;
      const int rank2 = cholesky2(imat.data(), n, opt.toler_chol);
      fail += std::isnan(newlk) + std::isinf(newlk) + std::abs(r.rank - rank2);
      if (fail == 0 && halving == 0 && converged_test(best, newlk)) {
        r.converged = true;
        break;
      }
      if (iter == maxiter) {
        if (maxiter > 1 && (newlk - best) / std::fabs(best) < -opt.eps) {
          // the last try was worse than an earlier one: return the last good beta
          beta = oldbeta;
          newlk = eval(beta.data(), u.data(), imat.data());
          cholesky2(imat.data(), n, opt.toler_chol);
        }
        break;
      }
      next_step(fail > 0 || newlk < best, true, newlk, halving, best, oldbeta, beta, u, imat);
    }
    r.iter = std::min(iter, maxiter);
    r.loglik = newlk;
    r.flag = r.converged ? r.rank : 1000;
    finish(beta);
    return r;
  }

  // coxexact and agexact: plain halving, no halving in progress to stop
  std::vector<double> oldbeta = beta;
  for (std::size_t i = 0; i < p; ++i) beta[i] += a[i];
  int halving = 0;
  double best = ll, newlk = ll;
  for (int iter = 1; iter <= maxiter; ++iter) {
    newlk = eval(beta.data(), u.data(), imat.data());
    r.flag = cholesky2(imat.data(), n, opt.toler_chol);
    const bool notfinite = !finite_all(u) || !finite_all(imat) || !std::isfinite(newlk);
    if (!notfinite && halving == 0 && converged_test(best, newlk)) {
      r.loglik = newlk;
      r.iter = iter;
      r.converged = true;
      finish(beta);
      return r;
    }
    if (iter == maxiter) break;
    // agexact.c tests only newlk < best; a non-finite likelihood is a fall here for both
    next_step(notfinite || newlk < best, false, newlk, halving, best, oldbeta, beta, u, imat);
  }
  if (scheme == Scheme::coxexact && maxiter > 1) {
    // as coxexact: recomputed at the last good beta, inverted unfactored
    beta = oldbeta;
    newlk = eval(beta.data(), u.data(), imat.data());
    for (std::size_t i = 0; i < p; ++i)
      for (std::size_t j = 0; j < p; ++j)
        if (i != j) imat[i * p + j] = 0;
  }
  // agexact: the last trial beta, with the full inverse of its (factored) information
  r.loglik = newlk;
  r.iter = maxiter;
  r.flag = 1000;
  finish(beta);
  return r;
}

}  // namespace hazard::detail
