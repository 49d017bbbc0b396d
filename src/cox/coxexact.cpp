// The exact (discrete, conditional logistic) partial likelihood for tied event times: R
// survival's ties = "exact" (coxexact.c), SAS PHREG TIES=DISCRETE.
//
// At an event time with m events among a risk set R, the contribution is
//   sum_{events} eta_i - log D_m(R),   D_m(R) = sum over m-subsets S of R of prod_{i in S} r_i,
// r_i = exp(eta_i) (no case weights). D and its first and second derivatives obey
//   D_m(R + {i}) = D_m(R) + r_i D_{m-1}(R)
//   D1_m(R + {i}) = D1_m(R) + r_i (x_i D_{m-1}(R) + D1_{m-1}(R))
//   D2_m(R + {i}) = D2_m(R) + r_i (x_i x_i' D_{m-1} + x_i D1_{m-1}' + D1_{m-1} x_i' + D2_{m-1}(R))
// (Gail, Lubin & Rubinstein 1981). Risk sets in a stratum are nested, so the rows are added one
// at a time in descending time and the arrays over m = 0..M (M = most tied events in the
// stratum) are updated in place: O(n M p^2) per iteration, the same values coxexact's memoised
// recursion computes.
//
// Input contract (detail::prepare with Ties::exact): rows sorted by stratum, then descending
// time; covariates centred and scaled as R's coxexact.fit (scale()); no case weights.
#include <algorithm>
#include <cmath>
#include <vector>

#include "cox/cox_detail.hpp"

namespace hazard::detail {

double exact_eval(const CoxSorted& d, const double* beta, double* u, double* imat) {
  const std::size_t p = d.p;
  const std::size_t np2 = p * p;
  std::fill(u, u + p, 0.0);
  std::fill(imat, imat + np2, 0.0);
  double loglik = 0;
  std::vector<double> d0, d1, d2, ubar(p);
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
    const std::size_t w = maxd + 1;
    d0.assign(w, 0.0);
    d1.assign(p * w, 0.0);
    d2.assign(np2 * w, 0.0);
    d0[0] = 1;
    for (std::size_t k = i; k < end;) {
      const double t = d.time[k];
      std::size_t ndeath = 0;
      for (; k < end && d.time[k] == t; ++k) {
        const double* x = &d.x[k * p];
        double eta = d.offset[k];
        for (std::size_t j = 0; j < p; ++j) eta += beta[j] * x[j];
        const double r = std::exp(eta);
        if (d.status[k] == 1) {
          ++ndeath;
          loglik += eta;
          for (std::size_t j = 0; j < p; ++j) u[j] += x[j];
        }
        for (std::size_t m = maxd; m >= 1; --m) {
          const double prev0 = d0[m - 1];
          for (std::size_t j = 0; j < p; ++j) {
            const double* d1jm = &d1[j * w];
            for (std::size_t l = 0; l <= j; ++l) {
              double& v = d2[(j * p + l) * w + m];
              v += r * (x[j] * x[l] * prev0 + x[j] * d1[l * w + m - 1] + x[l] * d1jm[m - 1] +
                        d2[(j * p + l) * w + m - 1]);
            }
          }
          for (std::size_t j = 0; j < p; ++j) d1[j * w + m] += r * (x[j] * prev0 + d1[j * w + m - 1]);
          d0[m] += r * prev0;
        }
      }
      if (ndeath == 0) continue;
      const double den = d0[ndeath];
      loglik -= std::log(den);
      for (std::size_t j = 0; j < p; ++j) {
        ubar[j] = d1[j * w + ndeath] / den;
        u[j] -= ubar[j];
      }
      for (std::size_t j = 0; j < p; ++j)
        for (std::size_t l = 0; l <= j; ++l)
          imat[l * p + j] += d2[(j * p + l) * w + ndeath] / den - ubar[j] * ubar[l];
    }
    i = end;
  }
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t l = 0; l < j; ++l) imat[j * p + l] = imat[l * p + j];
  return loglik;
}

}  // namespace hazard::detail
