// Log partial likelihood, score and information of the Cox model for right-censored data, with
// Breslow or Efron handling of tied event times (R survival's coxfit6.c, coxfit6_iter).
//
//   loglik = sum_i w_i d_i eta_i - sum_t sum_{k<m_t} wbar_t log(R_t - (k/m_t) E_t)
// where at an event time t with m_t events, R_t is the weighted sum of risks exp(eta) over the
// risk set, E_t that over the events, wbar_t their mean case weight (Breslow: the k-terms all use
// R_t). Score and information are the first and second derivatives.
//
// Information in row form (as agfit.cpp). coxfit6 keeps running sums of risk * x x' over the risk
// set and adds, per term k of an event time, f_k (C_k / D_k... ) i.e.
//   I = sum_t sum_k f_tk (C_tk - A_tk A_tk' / D_tk),   f_tk = wbar_t / D_tk,
// with C_tk = sum_{i at risk} r_i x_i x_i' where a row dying at t enters term k (0-based) with
// weight (k + 1) / m_t (Efron; Breslow: one term, weight 1). Swapping the sums,
//   I = sum_i r_i H_i x_i x_i' - sum_tk f_tk A_tk A_tk' / D_tk,
//   H_i = sum_{event times t < time_i in i's stratum} c_t + (i dies at time_i ? e_t : c_t'),
// c_t = sum_k f_tk, e_t = sum_k f_tk (k + 1) / m_t (c_t' = c_t of row i's own time, 0 if no row
// dies then). So one evaluation is
//   1. eta = offset + x beta and r = w exp(eta) for all rows, and the event rows' part of loglik
//      and score (sum w eta, sum w x): independent rows, two halves on two threads;
//   2. the backward pass over time (a prefix sum, serial): only D and A = sum r x (O(p) per row),
//      per event time the k-terms (log, score, A A' / D), c_t and e_t;
//   3. H_i forward from the recorded c_t, e_t (a prefix sum again, restarted in each half from
//      the recorded values) and the weighted Gram matrix sum_i r_i H_i x_i x_i': two halves on
//      two threads, summed.
// H_i is a sum of positive terms (no cancellation); the only difference taken is the final one,
// as in coxfit6's per-time C - A A'/D (the covariates are centred). No recentring is needed:
// coxfit6 has none either, and exp(eta) overflows the same way in both forms.
//
// Speed: the kernel is compiled for each p up to 12 so that the per-row sums stay in registers
// (p > 12: run-time p, with a blocked Eigen rank update for the Gram matrix). Cost per row: one
// exp, 3p multiply-adds (eta, A, the dying rows' A) and p(p+1)/2 + p in the Gram matrix, of which
// only the 2p of A are serial; per Efron term p(p+1)/2 + O(p) (serial).
//
// Input contract (detail::prepare): rows sorted by stratum, then ascending time; covariates
// centred; tied times never cross strata.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <thread>
#include <vector>

#include "cox/cox_detail.hpp"
#ifdef COXROW_PROF
#include <chrono>
#include <cstdio>
#define PROF(k) prof_t[k] = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count()
#else
#define PROF(k)
#endif

namespace hazard::detail {
namespace {

// Scratch of M doubles: a fixed-size array for M > 0 (kept in registers), a vector for M == 0
// (run-time size).
template <int M>
struct Buf {
  double v[M];
  explicit Buf(std::size_t) {}
  double* data() { return v; }
};
template <>
struct Buf<0> {
  std::vector<double> v;
  explicit Buf(std::size_t m) : v(m, 0.0) {}
  double* data() { return v.data(); }
};

constexpr int tri(int p) { return p * (p + 1) / 2; }

// Rows below this are evaluated on one thread (two thread starts cost more than the work).
constexpr std::size_t two_thread_rows = 32768;

// Runs f(0) and f(1) (the two halves of the rows), on two threads for large data.
template <class F>
void two_halves(std::size_t n, F&& f) {
  if (n >= two_thread_rows && std::thread::hardware_concurrency() > 1) {
    std::exception_ptr error;
    std::thread helper([&] {
      try {
        f(1);
      } catch (...) {
        error = std::current_exception();
      }
    });
    f(0);
    helper.join();
    if (error) std::rethrow_exception(error);
  } else {
    f(0);
    f(1);
  }
}

// An event time: rows [begin, end) share it (within one stratum); c and e are the factors of H
// for the rows at risk and for the rows dying at it.
struct EventTime {
  std::size_t begin, end;
  double c, e;
};

// Phase 1 on rows [lo, hi): r = w exp(eta); returns sum over event rows of w eta, adds their
// w x to ud.
template <int P>
double risk_rows(const CoxSorted& d, std::size_t p, const double* beta, std::size_t lo,
                 std::size_t hi, double* r, double* ud) {
  const double* const X = d.x.data();
  Buf<P> us(p), bs(p);
  double* const uu = us.data();
  double* const bu = bs.data();
  for (std::size_t j = 0; j < p; ++j) uu[j] = 0;
  double ll = 0;
  constexpr std::size_t block = 1024;  // two-level sums, as in gram_rows
  for (std::size_t b0 = lo; b0 < hi; b0 += block) {
    const std::size_t b1 = std::min(hi, b0 + block);
    for (std::size_t j = 0; j < p; ++j) bu[j] = 0;
    double bl = 0;
    for (std::size_t i = b0; i < b1; ++i) {
      const double* x = X + i * p;
      double eta = d.offset[i];
      for (std::size_t j = 0; j < p; ++j) eta += beta[j] * x[j];
      r[i] = std::exp(eta) * d.weight[i];
      const double wd = d.status[i] ? d.weight[i] : 0.0;
      bl += wd * eta;
      for (std::size_t j = 0; j < p; ++j) bu[j] += wd * x[j];
    }
    ll += bl;
    for (std::size_t j = 0; j < p; ++j) uu[j] += bu[j];
  }
  for (std::size_t j = 0; j < p; ++j) ud[j] = uu[j];
  return ll;
}

// Phase 3 on rows [lo, hi): H_i from the event times (ev, in descending time order as recorded)
// and the packed lower triangle of sum r_i H_i x_i x_i' into g (p(p+1)/2).
template <int P>
void gram_rows(const CoxSorted& d, std::size_t p, const std::vector<EventTime>& ev,
               const double* r, std::size_t lo, std::size_t hi, double* g) {
  const std::size_t T = p * (p + 1) / 2;
  for (std::size_t t = 0; t < T; ++t) g[t] = 0;
  if (lo >= hi) return;
  // ev is in descending order; k counts event times in ascending order: ev[nev - 1 - k].
  const std::size_t nev = ev.size();
  // the first event time (ascending) that ends after lo
  std::size_t k = static_cast<std::size_t>(
      std::partition_point(ev.rbegin(), ev.rend(), [&](const EventTime& e) { return e.end <= lo; }) -
      ev.rbegin());
  // H's prefix at lo: the c of the event times before lo in lo's stratum, summed in time order
  std::int32_t cur = d.stratum[lo];
  std::size_t k0 = k;
  while (k0 > 0 && d.stratum[ev[nev - k0].begin] == cur) --k0;
  double s = 0;
  for (std::size_t q = k0; q < k; ++q) s += ev[nev - 1 - q].c;

  const double* const X = d.x.data();
  std::size_t gb = k < nev ? ev[nev - 1 - k].begin : hi;
  using RowMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  constexpr std::size_t block = 1024;
  Eigen::VectorXd v;
  Eigen::MatrixXd gm;
  if constexpr (P == 0) {
    v.resize(static_cast<Eigen::Index>(block));
    gm = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p));
  }
  // per block of rows a fresh sum, then added to the total (two-level summation: the rounding
  // error of one long sum of n positive terms would exceed coxfit6's)
  Buf<tri(P)> acc(T), bacc(T);
  double* const a = acc.data();
  double* const ba = bacc.data();
  for (std::size_t t = 0; t < T; ++t) a[t] = 0;
  for (std::size_t b0 = lo; b0 < hi; b0 += block) {
    const std::size_t b1 = std::min(hi, b0 + block);
    for (std::size_t t = 0; t < T; ++t) ba[t] = 0;
    for (std::size_t i = b0; i < b1; ++i) {
      if (d.stratum[i] != cur) {  // a new stratum: H restarts
        cur = d.stratum[i];
        s = 0;
      }
      double h = s;
      if (i >= gb) {  // row i has an event time (its own tied set has events)
        const EventTime& e = ev[nev - 1 - k];
        h += d.status[i] ? e.e : e.c;
        if (i + 1 == e.end) {
          s += e.c;
          ++k;
          gb = k < nev ? ev[nev - 1 - k].begin : hi;
        }
      }
      const double wt = r[i] * h;
      if constexpr (P == 0) {
        v[static_cast<Eigen::Index>(i - b0)] = std::sqrt(wt);
      } else {
        const double* x = X + i * p;
        std::size_t t = 0;
        for (std::size_t j = 0; j < p; ++j) {
          const double wx = wt * x[j];
          for (std::size_t l = 0; l <= j; ++l) ba[t++] += wx * x[l];
        }
      }
    }
    for (std::size_t t = 0; t < T; ++t) a[t] += ba[t];
    if constexpr (P == 0) {
      const auto m = static_cast<Eigen::Index>(b1 - b0);
      Eigen::Map<const RowMat> xb(X + b0 * p, m, static_cast<Eigen::Index>(p));
      const RowMat scaled = v.head(m).asDiagonal() * xb;
      gm.selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose());
    }
  }
  if constexpr (P == 0) {
    std::size_t t = 0;
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t l = 0; l <= j; ++l)
        g[t++] = gm(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(l));
  } else {
    for (std::size_t t = 0; t < T; ++t) g[t] = a[t];
  }
}

template <int P>
double eval_p(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat) {
  const std::size_t n = d.n;
  const std::size_t p = P > 0 ? static_cast<std::size_t>(P) : d.p;
  const std::size_t T = p * (p + 1) / 2;
  const std::size_t mid = n / 2;  // the same split with one thread or two: the same sums
#ifdef COXROW_PROF
  double prof_t[4];
#endif
  PROF(0);
  std::vector<double> r(n);

  // 1. risks, and the event rows' part of loglik and score
  std::vector<double> ud(2 * p);
  double lld[2] = {0, 0};
  two_halves(n, [&](int half) {
    lld[half] = half == 0 ? risk_rows<P>(d, p, beta, 0, mid, r.data(), ud.data())
                          : risk_rows<P>(d, p, beta, mid, n, r.data(), ud.data() + p);
  });

  PROF(1);
  // 2. backward over time: D, A; per event time the k-terms
  Buf<P> sa(p), sa2(p), su(p), sub(p);
  Buf<tri(P)> smm(T);
  double* const a = sa.data();
  double* const a2 = sa2.data();
  double* const uu = sub.data();  // this block of event times' score terms
  double* const usum = su.data();
  std::size_t nblock = 0;
  double* const mm = smm.data();
  for (std::size_t j = 0; j < p; ++j) a[j] = a2[j] = uu[j] = usum[j] = 0;
  for (std::size_t t = 0; t < T; ++t) mm[t] = 0;
  std::vector<EventTime> ev;
  double loglik = 0, denom = 0;
  const double* const X = d.x.data();
  const double* const R = r.data();
  std::size_t i = n;
  while (i > 0) {
    const std::size_t last = i - 1;
    // a new stratum starts (walking backward) when the row after `last` is in another stratum
    if (last + 1 == n || d.stratum[last + 1] != d.stratum[last]) {
      denom = 0;
      for (std::size_t j = 0; j < p; ++j) a[j] = 0;
    }
    const double dtime = d.time[last];
    const std::int32_t st = d.stratum[last];
    int ndead = 0;
    double deadwt = 0, denom2 = 0;
    // walk through this set of tied times (within the stratum); the dying rows' sums apart
    // (selects, not branches: censoring is not predictable)
    while (i > 0 && d.time[i - 1] == dtime && d.stratum[i - 1] == st) {
      const std::size_t q = --i;
      const double* x = X + q * p;
      const bool dead = d.status[q] != 0;
      const double rd = dead ? R[q] : 0.0;
      const double rc = dead ? 0.0 : R[q];
      ndead += dead ? 1 : 0;
      deadwt += dead ? d.weight[q] : 0.0;
      denom += rc;
      denom2 += rd;
      for (std::size_t j = 0; j < p; ++j) {
        a[j] += rc * x[j];
        a2[j] += rd * x[j];
      }
    }
    if (ndead == 0) continue;
    // The k-terms of this event time in closed form. Term k (0-based) has D_k = D + b_k E and
    // A_k = A + b_k A2 (D, A: the rows at risk but not dying; E, A2: the dying rows), with
    // b_k = (k + 1)/m for Efron (coxfit6 adds E/m and A2/m m times) and one term with b = 1 for
    // Breslow, and weight wt (Efron: the mean case weight of the deaths; Breslow: their sum). It
    // adds -wt log D_k to loglik, -wt A_k / D_k to the score and wt A_k A_k' / D_k^2 to the part
    // of I subtracted at the end. Summed over k:
    //   c = wt sum_k 1/D_k,  e = wt sum_k b_k/D_k,  score -= c A + e A2,
    //   mm += wt (q0 A A' + q1 (A A2' + A2 A') + q2 A2 A2'),  q_j = sum_k b_k^j / D_k^2,
    // so an event time costs O(p^2) however many deaths it has.
    double c, e;
    if (!efron || ndead == 1) {  // Breslow
      denom += denom2;
      for (std::size_t j = 0; j < p; ++j) {
        a[j] += a2[j];
        a2[j] = 0;
      }
      const double inv = 1 / denom;
      loglik -= deadwt * std::log(denom);
      c = e = deadwt * inv;
      for (std::size_t j = 0; j < p; ++j) uu[j] -= c * a[j];
      const double f = c * inv;
      std::size_t t = 0;
      for (std::size_t j = 0; j < p; ++j) {
        const double fa = f * a[j];
        for (std::size_t l = 0; l <= j; ++l) mm[t++] += fa * a[l];
      }
    } else {
      const double wt = deadwt / ndead;
      double s0 = 0, s1 = 0, q0 = 0, q1 = 0, q2 = 0, lsum = 0, prod = 1;
      for (int k = 0; k < ndead; ++k) {
        const double b = static_cast<double>(k + 1) / ndead;
        const double dk = denom + b * denom2;
        const double inv = 1 / dk;
        s0 += inv;
        s1 += b * inv;
        const double inv2 = inv * inv;
        q0 += inv2;
        q1 += b * inv2;
        q2 += b * b * inv2;
        // sum of logs as the log of a product (one log per event time unless it would overflow)
        const double pk = prod * dk;
        if (pk > 1e-250 && pk < 1e250) {
          prod = pk;
        } else {
          lsum += std::log(prod);
          prod = dk;
        }
      }
      lsum += std::log(prod);
      loglik -= wt * lsum;
      c = wt * s0;
      e = wt * s1;
      std::size_t t = 0;
      for (std::size_t j = 0; j < p; ++j) {
        uu[j] -= c * a[j] + e * a2[j];
        const double f0 = wt * (q0 * a[j] + q1 * a2[j]);
        const double f2 = wt * (q1 * a[j] + q2 * a2[j]);
        for (std::size_t l = 0; l <= j; ++l) mm[t++] += f0 * a[l] + f2 * a2[l];
      }
      denom += denom2;
      for (std::size_t j = 0; j < p; ++j) {
        a[j] += a2[j];
        a2[j] = 0;
      }
    }
    ev.push_back({i, last + 1, c, e});
    // two-level sum of the score terms: the events' own w x are summed apart (phase 1), so
    // this sum grows large and then cancels
    if (++nblock == 256) {
      for (std::size_t j = 0; j < p; ++j) {
        usum[j] += uu[j];
        uu[j] = 0;
      }
      nblock = 0;
    }
  }

  PROF(2);
  // 3. H and the weighted Gram matrix, two halves
  std::vector<double> g(2 * T);
  two_halves(n, [&](int half) {
    if (half == 0)
      gram_rows<P>(d, p, ev, R, 0, mid, g.data());
    else
      gram_rows<P>(d, p, ev, R, mid, n, g.data() + T);
  });

  PROF(3);
#ifdef COXROW_PROF
  std::fprintf(stderr, "phases %.2f %.2f %.2f ms (%zu event times)\n", (prof_t[1]-prof_t[0])*1e3, (prof_t[2]-prof_t[1])*1e3, (prof_t[3]-prof_t[2])*1e3, ev.size());
#endif
  loglik += lld[0] + lld[1];
  for (std::size_t j = 0; j < p; ++j) u[j] = (ud[j] + ud[p + j]) + (usum[j] + uu[j]);
  std::size_t t = 0;
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t l = 0; l <= j; ++l, ++t)
      imat[j * p + l] = imat[l * p + j] = (g[t] + g[T + t]) - mm[t];
  // A variance within the risk sets below the rounding error of the difference is zero: a
  // covariate that never varies within a risk set (coxfit6's per-time form gives exactly 0 there)
  // must stay aliased for cholesky2, whose tolerance is relative to the largest diagonal.
  for (std::size_t j = 0; j < p; ++j) {
    const std::size_t tj = j * (j + 1) / 2 + j;  // packed (j, j)
    if (imat[j * p + j] <= 64 * std::numeric_limits<double>::epsilon() * (g[tj] + g[T + tj]))
      for (std::size_t l = 0; l < p; ++l) imat[j * p + l] = imat[l * p + j] = 0;
  }
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
