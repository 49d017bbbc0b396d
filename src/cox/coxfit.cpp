// Log partial likelihood, score and information of the Cox model for right-censored data, with
// Breslow or Efron handling of tied event times (R survival's coxfit6.c, coxfit6_iter).
//
//   loglik = sum_i w_i d_i eta_i - sum_t sum_{k<m_t} wbar_t log(R_t - (k/m_t) E_t)
// where at an event time t with m_t events, R_t is the weighted sum of risks exp(eta) over the
// risk set, E_t that over the events, wbar_t their mean case weight (Breslow: the k-terms all use
// R_t). Score and information are the first and second derivatives, accumulated with running
// sums of risk, risk * x and risk * x x' (one backward pass over time, so O(n p^2)).
//
// Speed: the running sums of x x' are kept as a packed lower triangle, and the kernel is compiled
// for each p up to 12 so that the per-row loops are unrolled and the sums stay in registers
// (p > 12 uses the same code with run-time p). Cost per row: one exp and p(p+3)/2 + p
// multiply-adds; per event time p(p+3)/2 more.
//
// Input contract (detail::prepare): rows sorted by stratum, then ascending time; covariates
// centred; tied times never cross strata.
#include <cmath>
#include <vector>

#include "cox/cox_detail.hpp"

namespace hazard::detail {
namespace {

// Scratch sums: fixed-size arrays for P > 0 (kept in registers), vectors for P == 0.
template <int P>
struct Sums {
  static constexpr std::size_t T = static_cast<std::size_t>(P * (P + 1) / 2);
  double a[P], a2[P], mean[P], c[T], c2[T], im[T];
  explicit Sums(std::size_t) {}
  static constexpr std::size_t size(std::size_t) { return static_cast<std::size_t>(P); }
};
template <>
struct Sums<0> {
  std::vector<double> va, va2, vmean, vc, vc2, vim;
  double *a, *a2, *mean, *c, *c2, *im;
  explicit Sums(std::size_t p)
      : va(p),
        va2(p),
        vmean(p),
        vc(p * (p + 1) / 2),
        vc2(p * (p + 1) / 2),
        vim(p * (p + 1) / 2),
        a(va.data()),
        a2(va2.data()),
        mean(vmean.data()),
        c(vc.data()),
        c2(vc2.data()),
        im(vim.data()) {}
  static std::size_t size(std::size_t p) { return p; }
};

template <int P>
double eval_p(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat) {
  const std::size_t p = Sums<P>::size(d.p);
  const std::size_t T = p * (p + 1) / 2;
  Sums<P> s(p);
  double* const a = s.a;
  double* const a2 = s.a2;
  double* const mean = s.mean;
  double* const c = s.c;
  double* const c2 = s.c2;
  double* const im = s.im;
  double ub[P > 0 ? P : 1];
  std::vector<double> ubv(P > 0 ? 0 : p);
  double* const uu = P > 0 ? ub : ubv.data();
  for (std::size_t j = 0; j < p; ++j) a[j] = a2[j] = uu[j] = 0;
  for (std::size_t t = 0; t < T; ++t) c[t] = c2[t] = im[t] = 0;
  double loglik = 0, denom = 0;
  const double* const X = d.x.data();
  std::size_t i = d.n;
  while (i > 0) {
    const std::size_t last = i - 1;
    // a new stratum starts (walking backward) when the row after `last` is in another stratum
    if (last + 1 == d.n || d.stratum[last + 1] != d.stratum[last]) {
      denom = 0;
      for (std::size_t j = 0; j < p; ++j) a[j] = 0;
      for (std::size_t t = 0; t < T; ++t) c[t] = 0;
    }
    const double dtime = d.time[last];
    const std::int32_t st = d.stratum[last];
    int ndead = 0;
    double deadwt = 0, denom2 = 0;
    // walk through this set of tied times (within the stratum)
    while (i > 0 && d.time[i - 1] == dtime && d.stratum[i - 1] == st) {
      const std::size_t r = --i;
      const double* x = X + r * p;
      double zbeta = d.offset[r];
      for (std::size_t j = 0; j < p; ++j) zbeta += beta[j] * x[j];
      const double risk = std::exp(zbeta) * d.weight[r];
      if (d.status[r] == 0) {
        denom += risk;
        std::size_t t = 0;
        for (std::size_t j = 0; j < p; ++j) {
          const double rx = risk * x[j];
          a[j] += rx;
          for (std::size_t k = 0; k <= j; ++k) c[t++] += rx * x[k];
        }
      } else {
        ++ndead;
        const double w = d.weight[r];
        deadwt += w;
        denom2 += risk;
        loglik += w * zbeta;
        std::size_t t = 0;
        for (std::size_t j = 0; j < p; ++j) {
          const double rx = risk * x[j];
          uu[j] += w * x[j];
          a2[j] += rx;
          for (std::size_t k = 0; k <= j; ++k) c2[t++] += rx * x[k];
        }
      }
    }
    if (ndead == 0) continue;
    if (!efron || ndead == 1) {  // Breslow
      denom += denom2;
      loglik -= deadwt * std::log(denom);
      const double scale = deadwt / denom;
      for (std::size_t j = 0; j < p; ++j) {
        a[j] += a2[j];
        mean[j] = a[j] / denom;
        uu[j] -= deadwt * mean[j];
        a2[j] = 0;
      }
      std::size_t t = 0;
      for (std::size_t j = 0; j < p; ++j)
        for (std::size_t k = 0; k <= j; ++k, ++t) {
          c[t] += c2[t];
          c2[t] = 0;
          im[t] += scale * (c[t] - mean[j] * a[k]);
        }
    } else {
      // Efron: with m deaths there are m terms; in the k-th the deaths enter with weight
      // (m - k)/m. Adding a2/m, c2/m and denom2/m m times reproduces this.
      const double wtave = deadwt / ndead;
      for (int k2 = 0; k2 < ndead; ++k2) {
        denom += denom2 / ndead;
        loglik -= wtave * std::log(denom);
        const double scale = wtave / denom;
        for (std::size_t j = 0; j < p; ++j) {
          a[j] += a2[j] / ndead;
          mean[j] = a[j] / denom;
          uu[j] -= wtave * mean[j];
        }
        std::size_t t = 0;
        for (std::size_t j = 0; j < p; ++j)
          for (std::size_t k = 0; k <= j; ++k, ++t) {
            c[t] += c2[t] / ndead;
            im[t] += scale * (c[t] - mean[j] * a[k]);
          }
      }
      for (std::size_t j = 0; j < p; ++j) a2[j] = 0;
      for (std::size_t t = 0; t < T; ++t) c2[t] = 0;
    }
  }
  for (std::size_t j = 0; j < p; ++j) u[j] = uu[j];
  std::size_t t = 0;
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t k = 0; k <= j; ++k, ++t) imat[j * p + k] = imat[k * p + j] = im[t];
  return loglik;
}

}  // namespace

double coxfit_eval(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat) {
  switch (d.p) {
    case 1:
      return eval_p<1>(d, efron, beta, u, imat);
    case 2:
      return eval_p<2>(d, efron, beta, u, imat);
    case 3:
      return eval_p<3>(d, efron, beta, u, imat);
    case 4:
      return eval_p<4>(d, efron, beta, u, imat);
    case 5:
      return eval_p<5>(d, efron, beta, u, imat);
    case 6:
      return eval_p<6>(d, efron, beta, u, imat);
    case 7:
      return eval_p<7>(d, efron, beta, u, imat);
    case 8:
      return eval_p<8>(d, efron, beta, u, imat);
    case 9:
      return eval_p<9>(d, efron, beta, u, imat);
    case 10:
      return eval_p<10>(d, efron, beta, u, imat);
    case 11:
      return eval_p<11>(d, efron, beta, u, imat);
    case 12:
      return eval_p<12>(d, efron, beta, u, imat);
    default:
      return eval_p<0>(d, efron, beta, u, imat);
  }
}

}  // namespace hazard::detail
