// The exact (discrete, conditional logistic) partial likelihood for tied event times: R
// survival's ties = "exact" (coxexact.c), SAS PHREG TIES=DISCRETE, for right-censored data.
//
// At an event time with m events among a risk set R, the contribution is
//   sum_{events} eta_i - log D_m(R),   D_m(R) = sum over m-subsets S of R of prod_{i in S} r_i,
// r_i = exp(eta_i) (no case weights). D and its derivatives are built a row at a time
// (ExactSums, below). Risk sets in a stratum are nested, so the rows are added in descending
// time and the sums over m = 0..M (M = most tied events in the stratum) are updated in place:
// O(n M p^2) per iteration, the same values coxexact's memoised recursion computes.
//
// Input contract (detail::prepare with Ties::exact): rows sorted by stratum, then descending
// time; covariates centred and scaled as R's coxexact.fit (scale()); no case weights.
#include <algorithm>
#include <cmath>
#include <vector>

#include "cox/cox_detail.hpp"

namespace hazard::detail {

void ExactSums::reset(std::size_t p, std::size_t max_m) {
  p_ = p;
  w_ = max_m + 1;
  d0_.assign(w_, 0.0);
  d1_.assign(p * w_, 0.0);
  d2_.assign(p * p * w_, 0.0);
  ubar_.assign(p, 0.0);
  d0_[0] = 1;
}

void ExactSums::add(const double* x, double r) {
  const std::size_t p = p_, w = w_;
  // descending m, so that the m - 1 terms are still those of the set without this row
  for (std::size_t m = w - 1; m >= 1; --m) {
    const double prev0 = d0_[m - 1];
    for (std::size_t j = 0; j < p; ++j) {
      const double d1j = d1_[j * w + m - 1];
      for (std::size_t l = 0; l <= j; ++l) {
        double& v = d2_[(j * p + l) * w + m];
        v += r * (x[j] * x[l] * prev0 + x[j] * d1_[l * w + m - 1] + x[l] * d1j + d2_[(j * p + l) * w + m - 1]);
      }
    }
    for (std::size_t j = 0; j < p; ++j) d1_[j * w + m] += r * (x[j] * prev0 + d1_[j * w + m - 1]);
    d0_[m] += r * prev0;
  }
}

double ExactSums::event(std::size_t m, double* u, double* imat) const {
  const std::size_t p = p_, w = w_;
  const double den = d0_[m];
  for (std::size_t j = 0; j < p; ++j) {
    ubar_[j] = d1_[j * w + m] / den;
    u[j] -= ubar_[j];
  }
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t l = 0; l <= j; ++l) imat[l * p + j] += d2_[(j * p + l) * w + m] / den - ubar_[j] * ubar_[l];
  return std::log(den);
}

double exact_eval(const CoxSorted& d, const double* beta, double* u, double* imat) {
  const std::size_t p = d.p;
  std::fill(u, u + p, 0.0);
  std::fill(imat, imat + p * p, 0.0);
  double loglik = 0;
  ExactSums sums;
  std::size_t i = 0;
  while (i < d.n) {
    // one stratum: [i, end)
    std::size_t end = i;
    while (end < d.n && d.stratum[end] == d.stratum[i]) ++end;
    std::size_t maxd = 0;
    for (std::size_t k = i; k < end;) {
      std::size_t m = 0, k2 = k;
      for (; k2 < end && d.time[k2] == d.time[k]; ++k2) m += d.status[k2];
      maxd = std::max(maxd, m);
      k = k2;
    }
    sums.reset(p, maxd);
    for (std::size_t k = i; k < end;) {
      const double t = d.time[k];
      std::size_t ndeath = 0;
      for (; k < end && d.time[k] == t; ++k) {
        const double* x = &d.x[k * p];
        double eta = d.offset[k];
        for (std::size_t j = 0; j < p; ++j) eta += beta[j] * x[j];
        if (d.status[k] == 1) {
          ++ndeath;
          loglik += eta;
          for (std::size_t j = 0; j < p; ++j) u[j] += x[j];
        }
        sums.add(x, std::exp(eta));
      }
      if (ndeath > 0) loglik -= sums.event(ndeath, u, imat);
    }
    i = end;
  }
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t l = 0; l < j; ++l) imat[j * p + l] = imat[l * p + j];
  return loglik;
}

}  // namespace hazard::detail
