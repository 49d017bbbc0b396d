// Log partial likelihood, score and information of the Cox model for counting-process data
// (start, stop], Breslow or Efron ties (R survival's agfit4.c).
//
// The risk set at an event time t is {rows with start < t <= stop} within the stratum. Walking
// from the largest stop time down, rows are added when t reaches their stop time and removed
// when t falls to or below their start time: two indices, one over rows by descending stop and
// one by descending start, keep running sums of risk, risk * x and risk * x x'. One pass,
// O((n + d) p^2). As in agfit4 the linear predictor is recentred (`recenter`) when its running
// mean drifts by more than 200, to keep exp() finite; the constant cancels in every ratio.
//
// Input contract (detail::prepare): kernel order is (stratum, descending stop) with rows that no
// event time reaches last (positions >= nused); by_start lists positions by (stratum,
// descending start). Covariates centred within stratum.
#include <cmath>
#include <vector>

#include "cox/cox_detail.hpp"
#include "hazard/error.hpp"

namespace hazard::detail {

double agfit_eval(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat) {
  const std::size_t p = d.p;
  const std::size_t nused = d.nused;
  std::vector<double> eta(d.n), a(p), a2(p), cmat(p * p), cmat2(p * p);
  for (std::size_t k = 0; k < nused; ++k) {
    double z = 0;
    for (std::size_t j = 0; j < p; ++j) z += beta[j] * d.x[k * p + j];
    eta[k] = z + d.offset[k];
  }
  std::fill(u, u + p, 0.0);
  std::fill(imat, imat + p * p, 0.0);
  double loglik = 0;
  double recenter = 0, denom = 0, etasum = 0;
  std::size_t nrisk = 0;
  std::size_t person = 0, indx1 = 0;
  auto reset = [&] {
    denom = 0;
    nrisk = 0;
    etasum = 0;
    std::fill(a.begin(), a.end(), 0.0);
    std::fill(cmat.begin(), cmat.end(), 0.0);
  };
  if (nused == 0) return 0;
  std::int32_t istrat = d.stratum[0];
  while (person < nused) {
    // find the next event time
    std::size_t k = person;
    double dtime = 0;
    for (; k < nused; ++k) {
      if (d.stratum[k] != istrat) {  // a new stratum: reset the sums
        istrat = d.stratum[k];
        reset();
        person = k;
        indx1 = k;
      }
      if (d.status[k] == 1) {
        dtime = d.time[k];
        break;
      }
    }
    if (k == nused) break;

    // remove the rows whose start time is at or after this event time
    for (; indx1 < nused; ++indx1) {
      const std::size_t q = d.by_start[indx1];
      if (d.start[q] < dtime || d.stratum[q] != istrat) break;
      --nrisk;
      if (nrisk == 0) {  // everyone removed: zero the sums exactly (survSplit data)
        etasum = 0;
        denom = 0;
        std::fill(a.begin(), a.end(), 0.0);
        std::fill(cmat.begin(), cmat.end(), 0.0);
      } else {
        etasum -= eta[q];
        const double risk = std::exp(eta[q] - recenter) * d.weight[q];
        denom -= risk;
        const double* x = &d.x[q * p];
        for (std::size_t i = 0; i < p; ++i) {
          a[i] -= risk * x[i];
          for (std::size_t j = 0; j <= i; ++j) cmat[i * p + j] -= risk * x[i] * x[j];
        }
      }
    }

    // add the rows whose stop time is at or after this event time; events are kept apart
    double denom2 = 0, meanwt = 0;
    int deaths = 0;
    std::fill(a2.begin(), a2.end(), 0.0);
    std::fill(cmat2.begin(), cmat2.end(), 0.0);
    for (; person < nused; ++person) {
      if (d.stratum[person] != istrat || d.time[person] < dtime) break;
      ++nrisk;
      etasum += eta[person];
      if (std::fabs(etasum / static_cast<double>(nrisk) - recenter) > 200) {
        const double shift = etasum / static_cast<double>(nrisk) - recenter;
        recenter = etasum / static_cast<double>(nrisk);
        if (denom > 0) {
          if (std::fabs(shift) > 709) throw NumericalError("exp overflow due to covariates");
          const double f = std::exp(-shift);
          denom *= f;
          for (auto& v : a) v *= f;
          for (auto& v : cmat) v *= f;
        }
      }
      const double risk = std::exp(eta[person] - recenter) * d.weight[person];
      const double* x = &d.x[person * p];
      if (d.status[person] == 1) {
        ++deaths;
        denom2 += risk;
        meanwt += d.weight[person];
        loglik += d.weight[person] * (eta[person] - recenter);
        for (std::size_t i = 0; i < p; ++i) {
          u[i] += d.weight[person] * x[i];
          a2[i] += risk * x[i];
          for (std::size_t j = 0; j <= i; ++j) cmat2[i * p + j] += risk * x[i] * x[j];
        }
      } else {
        denom += risk;
        for (std::size_t i = 0; i < p; ++i) {
          a[i] += risk * x[i];
          for (std::size_t j = 0; j <= i; ++j) cmat[i * p + j] += risk * x[i] * x[j];
        }
      }
    }

    if (!efron || deaths == 1) {  // Breslow
      denom += denom2;
      loglik -= meanwt * std::log(denom);
      for (std::size_t i = 0; i < p; ++i) {
        a[i] += a2[i];
        const double mean = a[i] / denom;
        u[i] -= meanwt * mean;
        for (std::size_t j = 0; j <= i; ++j) {
          cmat[i * p + j] += cmat2[i * p + j];
          imat[j * p + i] += meanwt * ((cmat[i * p + j] - mean * a[j]) / denom);
        }
      }
    } else {  // Efron
      meanwt /= deaths;
      for (int m = 0; m < deaths; ++m) {
        denom += denom2 / deaths;
        loglik -= meanwt * std::log(denom);
        for (std::size_t i = 0; i < p; ++i) {
          a[i] += a2[i] / deaths;
          const double mean = a[i] / denom;
          u[i] -= meanwt * mean;
          for (std::size_t j = 0; j <= i; ++j) {
            cmat[i * p + j] += cmat2[i * p + j] / deaths;
            imat[j * p + i] += meanwt * ((cmat[i * p + j] - mean * a[j]) / denom);
          }
        }
      }
    }
  }
  for (std::size_t i = 0; i < p; ++i)
    for (std::size_t j = 0; j < i; ++j) imat[i * p + j] = imat[j * p + i];
  return loglik;
}

}  // namespace hazard::detail
