// The exact (discrete, conditional logistic) partial likelihood for (start, stop] data: R
// survival's ties = "exact" with Surv(start, stop, event) (agexact.fit / agexact.c), SAS PHREG
// TIES=DISCRETE with (start, stop] rows.
//
// At an event time t of stratum s with m events the risk set is R_t = {rows of s with
// start < t <= stop}, and the contribution is
//   sum_{events at t} eta_i - log D_m(R_t),   D_m(R) = sum over m-subsets S of R of prod_{i in S}
//   r_i,
// r_i = exp(eta_i) (no case weights, as R). Unlike right-censored data the risk sets are not
// nested (rows leave at their start time), so D_m and its derivatives (ExactSums) are built
// afresh over each risk set: O(|R_t| m p^2) per event time. agexact.c enumerates the m-subsets
// one by one instead (O(C(|R_t|, m) m p^2)); the recursion gives the same sums.
//
// Input contract (detail::prepare with Ties::exact and start times): the kernel order of
// agfit_eval -- (stratum, descending stop), rows no event time can reach at positions >= nused
// -- with the covariates centred by their column mean and not scaled, as agexact.c.
#include <algorithm>
#include <cmath>
#include <vector>

#include "cox/cox_detail.hpp"

namespace hazard::detail {

double agexact_eval(const CoxSorted& d, const double* beta, double* u, double* imat) {
  const std::size_t p = d.p;
  const std::size_t nused = d.nused;
  std::fill(u, u + p, 0.0);
  std::fill(imat, imat + p * p, 0.0);
  std::vector<double> eta(nused);
  for (std::size_t k = 0; k < nused; ++k) {
    double z = d.offset[k];
    for (std::size_t j = 0; j < p; ++j) z += beta[j] * d.x[k * p + j];
    eta[k] = z;
  }
  double loglik = 0;
  ExactSums sums;
  std::size_t first = 0;  // first position of the current stratum
  for (std::size_t k = 0; k < nused;) {
    if (d.stratum[k] != d.stratum[first]) first = k;
    // the rows tied at this stop time: [k, k2)
    const double t = d.time[k];
    std::size_t k2 = k, m = 0;
    for (; k2 < nused && d.stratum[k2] == d.stratum[k] && d.time[k2] == t; ++k2) m += d.status[k2];
    if (m > 0) {
      // rows of the stratum with stop >= t are the positions [first, k2); of those, the ones
      // that entered before t are at risk
      sums.reset(p, m);
      for (std::size_t q = first; q < k2; ++q)
        if (d.start[q] < t) sums.add(&d.x[q * p], std::exp(eta[q]));
      for (std::size_t q = k; q < k2; ++q) {
        if (d.status[q] != 1) continue;
        loglik += eta[q];
        for (std::size_t j = 0; j < p; ++j) u[j] += d.x[q * p + j];
      }
      loglik -= sums.event(m, u, imat);
    }
    k = k2;
  }
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t l = 0; l < j; ++l) imat[j * p + l] = imat[l * p + j];
  return loglik;
}

}  // namespace hazard::detail
