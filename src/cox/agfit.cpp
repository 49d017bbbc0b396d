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
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

#include "cox/cox_detail.hpp"
#include "hazard/error.hpp"

namespace hazard::detail {

namespace {

// The next event row at or after k in kernel order (nused when there is none); on_stratum(row) is
// called where a new stratum starts, after `istrat` has been updated.
template <class F>
std::size_t next_event(const CoxSorted& d, std::size_t k, std::int32_t& istrat, F&& on_stratum) {
  for (; k < d.nused; ++k) {
    if (d.stratum[k] != istrat) {
      istrat = d.stratum[k];
      on_stratum(k);
    }
    if (d.status[k] == 1) break;
  }
  return k;
}

// The direct form: running sums of risk * x x' added and removed row by row (agfit4 as written).
// Used when the linear predictor needs recentring (see agfit_eval).
double agfit_running(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat) {
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
    // find the next event time; a new stratum resets the sums
    const std::size_t k = next_event(d, person, istrat, [&](std::size_t row) {
      reset();
      person = row;
      indx1 = row;
    });
    if (k == nused) break;
    const double dtime = d.time[k];

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

}  // namespace

// The information matrix in row form. At an event time t (Breslow) the information gains
//   w_t (C_t / D_t - m_t m_t'),   C_t = sum_{i at risk} r_i x_i x_i',  m_t = A_t / D_t,
// so summing over t and swapping the sums,
//   I = sum_i r_i H_i x_i x_i' - sum_t w_t m_t m_t',   H_i = sum_{t in (start_i, stop_i]} w_t /
//   D_t,
// where a row that dies at t enters with Efron's fractions ((k + 1) / m in the k-th of m terms).
// The sweep over event times then keeps only D and A (O(p) per row added or removed, instead of
// O(p^2)), records H_i from prefix sums of the per-time factors, and the first sum is one
// weighted Gram matrix X' diag(r H) X computed blockwise. Same value, about p/2 times fewer
// operations per row; agfit4's recentring of the linear predictor is not needed unless its
// running mean drifts by more than 200, in which case the running form above is used.
double agfit_eval(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat) {
  const std::size_t p = d.p;
  const std::size_t nused = d.nused;
  std::fill(u, u + p, 0.0);
  std::fill(imat, imat + p * p, 0.0);
  if (nused == 0) return 0;
  std::vector<double> eta(nused), risk(nused);
  for (std::size_t k = 0; k < nused; ++k) {
    double z = 0;
    const double* x = &d.x[k * p];
    for (std::size_t j = 0; j < p; ++j) z += beta[j] * x[j];
    eta[k] = z + d.offset[k];
  }
  // factor per event time (in sweep order) for rows at risk, and for rows dying at it
  std::vector<double> cum{0.0};  // cum[j] = sum of the factors of the first j event times
  std::vector<double> own;       // own[j] - c[j]: the correction for a row dying at event j
  std::vector<std::uint32_t> added(nused, 0), removed(nused, 0);
  std::vector<double> a(p), a2(p), mean(p), mm(p * p, 0.0);
  double loglik = 0, denom = 0, etasum = 0;
  std::size_t nrisk = 0, person = 0, indx1 = 0;
  std::int32_t istrat = d.stratum[0];
  std::vector<char> is_in(nused, 0);
  std::vector<std::size_t> stratum_rows;
  auto finish_stratum = [&] {
    const auto j_end = static_cast<std::uint32_t>(cum.size() - 1);
    for (std::size_t q : stratum_rows)
      if (is_in[q]) {
        removed[q] = j_end;
        is_in[q] = 0;
      }
    stratum_rows.clear();
  };
  while (person < nused) {
    const std::size_t k = next_event(d, person, istrat, [&](std::size_t row) {  // a new stratum
      finish_stratum();
      denom = 0;
      nrisk = 0;
      etasum = 0;
      std::fill(a.begin(), a.end(), 0.0);
      person = row;
      indx1 = row;
    });
    if (k == nused) break;
    const double dtime = d.time[k];
    const auto j = static_cast<std::uint32_t>(cum.size() - 1);  // this event time's index
    for (; indx1 < nused; ++indx1) {
      const std::size_t q = d.by_start[indx1];
      if (d.start[q] < dtime || d.stratum[q] != istrat) break;
      --nrisk;
      removed[q] = j;
      is_in[q] = 0;
      if (nrisk == 0) {
        etasum = 0;
        denom = 0;
        std::fill(a.begin(), a.end(), 0.0);
      } else {
        etasum -= eta[q];
        denom -= risk[q];
        const double* x = &d.x[q * p];
        for (std::size_t i = 0; i < p; ++i) a[i] -= risk[q] * x[i];
      }
    }
    double denom2 = 0, meanwt = 0;
    int deaths = 0;
    std::fill(a2.begin(), a2.end(), 0.0);
    for (; person < nused; ++person) {
      if (d.stratum[person] != istrat || d.time[person] < dtime) break;
      ++nrisk;
      etasum += eta[person];
      if (std::fabs(etasum / static_cast<double>(nrisk)) > 200)
        return agfit_running(d, efron, beta, u, imat);
      const double r = std::exp(eta[person]) * d.weight[person];
      risk[person] = r;
      added[person] = j;
      is_in[person] = 1;
      stratum_rows.push_back(person);
      const double* x = &d.x[person * p];
      if (d.status[person] == 1) {
        ++deaths;
        denom2 += r;
        meanwt += d.weight[person];
        loglik += d.weight[person] * eta[person];
        for (std::size_t i = 0; i < p; ++i) {
          u[i] += d.weight[person] * x[i];
          a2[i] += r * x[i];
        }
      } else {
        denom += r;
        for (std::size_t i = 0; i < p; ++i) a[i] += r * x[i];
      }
    }
    double c = 0, e = 0;  // factor for rows at risk, and for the rows dying now
    auto term = [&](double wt, double frac) {
      loglik -= wt * std::log(denom);
      const double f = wt / denom;
      c += f;
      e += f * frac;
      for (std::size_t i = 0; i < p; ++i) {
        mean[i] = a[i] / denom;
        u[i] -= wt * mean[i];
      }
      for (std::size_t i = 0; i < p; ++i)
        for (std::size_t l = 0; l <= i; ++l) mm[i * p + l] += wt * mean[i] * mean[l];
    };
    if (!efron || deaths == 1) {  // Breslow
      denom += denom2;
      for (std::size_t i = 0; i < p; ++i) a[i] += a2[i];
      term(meanwt, 1.0);
    } else {  // Efron
      const double wt = meanwt / deaths;
      for (int m = 0; m < deaths; ++m) {
        denom += denom2 / deaths;
        for (std::size_t i = 0; i < p; ++i) a[i] += a2[i] / deaths;
        term(wt, static_cast<double>(m + 1) / deaths);
      }
    }
    cum.push_back(cum.back() + c);
    own.push_back(e - c);
  }
  finish_stratum();
  // H_i and the weighted Gram matrix, blockwise, in two halves of the rows that are summed at
  // the end (on two threads for large data; the same sums either way)
  using RowMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  constexpr std::size_t block = 2048;
  auto gram_rows = [&](std::size_t lo, std::size_t hi, Eigen::MatrixXd& g) {
    g = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p));
    Eigen::VectorXd v(static_cast<Eigen::Index>(block));
    for (std::size_t b0 = lo; b0 < hi; b0 += block) {
      const std::size_t m = std::min(block, hi - b0);
      for (std::size_t q = 0; q < m; ++q) {
        const std::size_t k = b0 + q;
        double h = cum[removed[k]] - cum[added[k]];
        if (d.status[k] == 1) h += own[added[k]];
        v[static_cast<Eigen::Index>(q)] = std::sqrt(risk[k] * h);
      }
      Eigen::Map<const RowMat> xb(&d.x[b0 * p], static_cast<Eigen::Index>(m),
                                  static_cast<Eigen::Index>(p));
      const RowMat scaled = v.head(static_cast<Eigen::Index>(m)).asDiagonal() * xb;
      g.selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose());
    }
  };
  const std::size_t mid = (nused / 2 / block) * block;
  Eigen::MatrixXd g1, g2;
  if (nused >= 65536 && std::thread::hardware_concurrency() > 1) {
    std::exception_ptr error;
    std::thread helper([&] {
      try {
        gram_rows(mid, nused, g2);
      } catch (...) {
        error = std::current_exception();
      }
    });
    try {
      gram_rows(0, mid, g1);
    } catch (...) {  // e.g. bad_alloc: the helper is joined before the error leaves (else terminate)
      helper.join();
      throw;
    }
    helper.join();
    if (error) std::rethrow_exception(error);
  } else {
    gram_rows(0, mid, g1);
    gram_rows(mid, nused, g2);
  }
  const Eigen::MatrixXd gram = g1 + g2;
  for (std::size_t i = 0; i < p; ++i)
    for (std::size_t l = 0; l <= i; ++l) {
      const double val =
          gram(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(l)) - mm[i * p + l];
      imat[i * p + l] = imat[l * p + i] = val;
    }
  return loglik;
}

}  // namespace hazard::detail
