// Log partial likelihood, score and information of the Cox model for right-censored data, with
// Breslow or Efron handling of tied event times (R survival's coxfit6.c, coxfit6_iter).
//
//   loglik = sum_i w_i d_i eta_i - sum_t sum_{k<m_t} wbar_t log(R_t - (k/m_t) E_t)
// where at an event time t with m_t events, R_t is the weighted sum of risks exp(eta) over the
// risk set, E_t that over the events, wbar_t their mean case weight (Breslow: the k-terms all use
// R_t). Score and information are the first and second derivatives, accumulated with running
// sums of risk, risk * x and risk * x x' (one backward pass over time, so O(n p^2)).
//
// Input contract (detail::prepare): rows sorted by stratum, then ascending time; covariates
// centred; tied times never cross strata.
#include <cmath>
#include <vector>

#include "cox/cox_detail.hpp"

namespace hazard::detail {

double coxfit_eval(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat) {
  const std::size_t p = d.p;
  std::vector<double> a(p), a2(p), cmat(p * p), cmat2(p * p);
  std::fill(u, u + p, 0.0);
  std::fill(imat, imat + p * p, 0.0);
  double loglik = 0;
  double denom = 0;
  std::size_t i = d.n;
  while (i > 0) {
    const std::size_t last = i - 1;
    // a new stratum starts (walking backward) when the row after `last` is in another stratum
    if (last + 1 == d.n || d.stratum[last + 1] != d.stratum[last]) {
      denom = 0;
      std::fill(a.begin(), a.end(), 0.0);
      std::fill(cmat.begin(), cmat.end(), 0.0);
    }
    const double dtime = d.time[last];
    const std::int32_t s = d.stratum[last];
    int ndead = 0;
    double deadwt = 0, denom2 = 0;
    // walk through this set of tied times (within the stratum)
    while (i > 0 && d.time[i - 1] == dtime && d.stratum[i - 1] == s) {
      const std::size_t r = --i;
      const double* x = &d.x[r * p];
      double zbeta = d.offset[r];
      for (std::size_t j = 0; j < p; ++j) zbeta += beta[j] * x[j];
      const double risk = std::exp(zbeta) * d.weight[r];
      if (d.status[r] == 0) {
        denom += risk;
        for (std::size_t j = 0; j < p; ++j) {
          a[j] += risk * x[j];
          for (std::size_t k = 0; k <= j; ++k) cmat[j * p + k] += risk * x[j] * x[k];
        }
      } else {
        ++ndead;
        deadwt += d.weight[r];
        denom2 += risk;
        loglik += d.weight[r] * zbeta;
        for (std::size_t j = 0; j < p; ++j) {
          u[j] += d.weight[r] * x[j];
          a2[j] += risk * x[j];
          for (std::size_t k = 0; k <= j; ++k) cmat2[j * p + k] += risk * x[j] * x[k];
        }
      }
    }
    if (ndead == 0) continue;
    if (!efron || ndead == 1) {  // Breslow
      denom += denom2;
      loglik -= deadwt * std::log(denom);
      for (std::size_t j = 0; j < p; ++j) {
        a[j] += a2[j];
        const double mean = a[j] / denom;
        u[j] -= deadwt * mean;
        for (std::size_t k = 0; k <= j; ++k) {
          cmat[j * p + k] += cmat2[j * p + k];
          imat[k * p + j] += deadwt * (cmat[j * p + k] - mean * a[k]) / denom;
        }
      }
    } else {
      // Efron: with m deaths there are m terms; in the k-th the deaths enter with weight
      // (m - k)/m. Adding a2/m, cmat2/m and denom2/m m times reproduces this.
      const double wtave = deadwt / ndead;
      for (int k = 0; k < ndead; ++k) {
        denom += denom2 / ndead;
        loglik -= wtave * std::log(denom);
        for (std::size_t j = 0; j < p; ++j) {
          a[j] += a2[j] / ndead;
          const double mean = a[j] / denom;
          u[j] -= wtave * mean;
          for (std::size_t l = 0; l <= j; ++l) {
            cmat[j * p + l] += cmat2[j * p + l] / ndead;
            imat[l * p + j] += wtave * (cmat[j * p + l] - mean * a[l]) / denom;
          }
        }
      }
    }
    std::fill(a2.begin(), a2.end(), 0.0);
    std::fill(cmat2.begin(), cmat2.end(), 0.0);
  }
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t k = 0; k < j; ++k) imat[j * p + k] = imat[k * p + j];
  return loglik;
}

}  // namespace hazard::detail
