// Log partial likelihood, score and information of the Cox model for right-censored data, with
// Breslow or Efron handling of tied event times (R survival's coxfit6.c, coxfit6_iter).
//
//   loglik = sum_i w_i d_i eta_i - sum_t sum_{k<m_t} wbar_t log(R_t - (k/m_t) E_t)
// where at an event time t with m_t events, R_t is the weighted sum of risks r = w exp(eta) over
// the risk set, E_t that over the events, wbar_t their mean case weight (Breslow: one term, R_t,
// weight the sum of the events' weights). Score and information are its derivatives.
//
// coxfit6 walks backward in time keeping running sums D = sum r, A = sum r x and C = sum r x x'
// over the risk set; term k of event time t adds f (C_k - A_k A_k' / D_k) to the information,
// f = wbar_t / D_k, where the rows dying at t enter term k (0-based) with weight b_k = (k + 1)/m_t
// (Efron; Breslow: b = 1). Swapping the sums over times and rows gives the row form (as
// agfit.cpp):
//   I = sum_i r_i H_i x_i x_i' - sum_{t,k} f A_k A_k' / D_k,
//   H_i = sum_{event times t <= time_i in i's stratum} c_t, except that at its own time a dying
//         row counts e_t instead of c_t,   c_t = sum_k f_tk,  e_t = sum_k b_k f_tk.
// The event times are found once per fit (coxfit_work): segment k runs from the first row of the
// k-th event time (a run of tied times with an event) to the next one or the end of the stratum;
// rows before a stratum's first event time are in no risk set at an event. One evaluation:
//   1. r = w exp(eta) for every row of a segment: independent, two halves on two threads (the
//      upper half also sums r and r x over its first stratum, where the lower half starts);
//   2. backward over the segments, D and A (O(p) per row: the censored rows join them, the
//      dying ones are kept apart for Efron) and per event time the k-terms in closed form
//      (loglik, score, the A A'/D part; O(p^2) per event time however many die), c_t, e_t. A
//      prefix sum, but in two halves on two threads: the lower half starts from the upper half's
//      sums of the stratum they share;
//   3. H_i forward (a prefix sum of c_t, restarted in the upper half from the recorded c_t) and
//      the weighted Gram matrix sum_i r_i H_i x_i x_i': two halves on two threads, summed.
// The events' own terms (sum w x, and sum w eta = sum w offset + beta' sum w x) are computed once
// per fit. The halves are always the same, so the result does not depend on the thread count.
// H_i is a sum of positive terms; the one difference taken is the final one, as coxfit6 takes
// C - A A'/D at each time (the covariates are centred, so A/D is small). No recentring of eta:
// coxfit6 has none, and exp(eta) overflows the same way in both forms. Long sums are two-level
// (per block, then over blocks) so that rounding stays at coxfit6's level or below.
//
// Cost per row: one exp and p(p+1)/2 + 4p multiply-adds, all on two threads; per event time
// O(p^2). The kernel is compiled for each p up to 12 so that the per-row sums stay in registers
// (p > 12: run-time p, and a blocked Eigen rank update for the Gram matrix). Below 32768 rows
// the two halves run on one thread.
//
// Input contract (detail::prepare): rows sorted by stratum, then ascending time; covariates
// centred; tied times never cross strata.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "cox/cox_detail.hpp"
#include "util/huge_pages.hpp"

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

// A sum of logs kept as the log of a running product: one log per ~10^2 factors (of the size of
// risk-set sums), the product folded into the sum before it could leave the range of double.
struct LogSum {
  double prod = 1, sum = 0;
  void add_log_of(double x) {
    const double px = prod * x;
    if (px > 1e-250 && px < 1e250) {
      prod = px;
    } else {
      sum += std::log(prod);
      prod = x;
    }
  }
  double value() const { return sum + std::log(prod); }
};

}  // namespace

CoxfitWork coxfit_work(const CoxSorted& d) {
  CoxfitWork w;
  const std::size_t n = d.n, p = d.p;
  // event times: the first row of each run of tied times (within a stratum) that has an event.
  // Two passes of selects (run boundaries and censoring are not predictable): the first counts
  // the event times K, the second stores them; slot K of the arrays always holds the K-th event
  // time found so far (slot 0 is scratch before the first, dropped at the end).
  if (n == 0) return w;
  auto scan = [&](auto store) {
    std::size_t K = 0, run = 0, last = n;  // last: the run of the latest event time (n: none yet)
    double cnd = 0, cdw = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const bool starts = (i == 0) | (d.time[i] != d.time[i > 0 ? i - 1 : 0]) |
                          (d.stratum[i] != d.stratum[i > 0 ? i - 1 : 0]);
      run = starts ? i : run;
      const bool ev = d.status[i] != 0;
      const bool new_time = ev & (run != last);
      last = new_time ? run : last;
      K += new_time ? 1 : 0;
      cnd = (new_time ? 0.0 : cnd) + (ev ? 1.0 : 0.0);
      cdw = (new_time ? 0.0 : cdw) + (ev ? d.weight[i] : 0.0);
      store(K, last, cnd, cdw);
    }
    return K;
  };
  const std::size_t K = scan([](std::size_t, std::size_t, double, double) {});
  resize_huge(w.begin, K + 1);
  resize_huge(w.ndead, K + 1);
  resize_huge(w.deadwt, K + 1);
  scan([&](std::size_t k, std::size_t last, double cnd, double cdw) {
    w.begin[k] = static_cast<std::uint32_t>(last);
    w.ndead[k] = cnd;
    w.deadwt[k] = cdw;
  });
  w.begin.erase(w.begin.begin());
  w.ndead.erase(w.ndead.begin());
  w.deadwt.erase(w.deadwt.begin());
  // a segment runs to the next event time or to the end of its stratum
  resize_huge(w.end, K);
  for (std::size_t k = 0; k < K; ++k) {
    const std::int32_t st = d.stratum[w.begin[k]];
    if (k + 1 < K && d.stratum[w.begin[k + 1]] == st) {
      w.end[k] = w.begin[k + 1];
    } else {
      std::size_t e = w.begin[k] + std::size_t{1};
      while (e < n && d.stratum[e] == st) ++e;
      w.end[k] = static_cast<std::uint32_t>(e);
    }
  }
  w.split =
      static_cast<std::size_t>(std::partition_point(w.begin.begin(), w.begin.end(),
                                                    [&](std::size_t b) { return b < n / 2; }) -
                               w.begin.begin());
  // the events' sum of w x and w offset (per block of rows, then over the blocks), and whether
  // weights and offsets are trivial; two halves of the rows
  std::vector<double> wx(2 * p, 0.0);
  double woff[2] = {0, 0};
  bool weighted[2] = {false, false}, offset[2] = {false, false};
  two_halves(n, [&](int half) {
    const auto [lo, hi] = half_range(n, half);
    double* const sx = wx.data() + static_cast<std::size_t>(half) * p;
    std::vector<double> bx(p);
    bool wt = false, of = false;
    for (std::size_t b0 = lo; b0 < hi; b0 += 1024) {
      std::fill(bx.begin(), bx.end(), 0.0);
      double bo = 0;
      for (std::size_t i = b0; i < std::min(hi, b0 + 1024); ++i) {
        const double wd = d.status[i] ? d.weight[i] : 0.0;
        for (std::size_t j = 0; j < p; ++j) bx[j] += wd * d.x[i * p + j];
        bo += wd * d.offset[i];
        wt |= d.weight[i] != 1;
        of |= d.offset[i] != 0;
      }
      for (std::size_t j = 0; j < p; ++j) sx[j] += bx[j];
      woff[half] += bo;
    }
    weighted[half] = wt;
    offset[half] = of;
  });
  w.wx_events.resize(p);
  for (std::size_t j = 0; j < p; ++j) w.wx_events[j] = wx[j] + wx[p + j];
  w.woff_events = woff[0] + woff[1];
  w.weighted = weighted[0] || weighted[1];
  w.offset = offset[0] || offset[1];
  // risks: written by every evaluation (first touched there, on two threads), except the rows
  // in no segment (before a stratum's first event time), which stay 0: in no risk set
  w.r.reset(new double[n]);
  advise_huge_pages(w.r.get(), n * sizeof(double));
  std::size_t covered = 0;
  for (std::size_t k = 0; k <= K; ++k) {
    const std::size_t b = k < K ? w.begin[k] : n;
    std::fill(w.r.get() + covered, w.r.get() + b, 0.0);
    if (k < K) covered = w.end[k];
  }
  resize_huge(w.c, K);
  resize_huge(w.e, K);
  return w;
}

namespace {

// Phase 1 on segments [k0, k1): r = w exp(eta) for their rows. With `lead` (p + 1), also the
// sums of r and r x over the leading segments that share k0's stratum (where phase 2's lower
// half starts).
template <int P>
void risks(const CoxSorted& d, CoxfitWork& w, std::size_t p, const double* beta, std::size_t k0,
           std::size_t k1, double* lead) {
  const bool weighted = w.weighted, offset = w.offset;  // else weights 1, offsets 0: not read
  const double* const X = d.x.data();
  double* const r = w.r.get();
  // the segments of one stratum are contiguous rows: one loop over them
  for (std::size_t k = k0; k < k1;) {
    const std::int32_t st = d.stratum[w.begin[k]];
    std::size_t kk = k + 1;
    while (kk < k1 && d.stratum[w.begin[kk]] == st) ++kk;
    const bool in_lead = lead && st == d.stratum[w.begin[k0]];
    for (std::size_t i = w.begin[k]; i < w.end[kk - 1]; ++i) {
      const double* x = X + i * p;
      double eta = offset ? d.offset[i] : 0.0;
      for (std::size_t j = 0; j < p; ++j) eta += beta[j] * x[j];
      r[i] = std::exp(eta) * (weighted ? d.weight[i] : 1.0);
      if (in_lead) {
        lead[0] += r[i];
        for (std::size_t j = 0; j < p; ++j) lead[1 + j] += r[i] * x[j];
      }
    }
    k = kk;
  }
}

// Phase 3 on segments [k0, k1): g (packed lower triangle, p(p+1)/2) = sum of r H x x' over
// their rows, summed per block of about 1024 rows and then over the blocks (two-level: one long
// sum of n positive terms would lose more than coxfit6's running sums).
template <int P>
void gram(const CoxSorted& d, CoxfitWork& w, std::size_t p, std::size_t k0, std::size_t k1,
          double* g) {
  const std::size_t T = p * (p + 1) / 2;
  for (std::size_t t = 0; t < T; ++t) g[t] = 0;
  if (k0 >= k1) return;
  double* const r = w.r.get();
  const double* const X = d.x.data();
  // H's running sum at segment k0: the c of the earlier segments of its stratum, in time order
  const auto stratum_of = [&](std::size_t k) { return d.stratum[w.begin[k]]; };
  std::size_t j0 = k0;
  while (j0 > 0 && stratum_of(j0 - 1) == stratum_of(k0)) --j0;
  double s = 0;
  for (std::size_t k = j0; k < k0; ++k) s += w.c[k];
  constexpr std::size_t block = 1024;
  if constexpr (P == 0) {
    // r becomes r H (rows between strata keep r = 0), then a blocked Eigen rank update
    for (std::size_t k = k0; k < k1; ++k) {
      if (k > k0 && stratum_of(k) != stratum_of(k - 1)) s = 0;
      const double hc = s + w.c[k], hd = s + w.e[k];
      for (std::size_t i = w.begin[k]; i < w.end[k]; ++i) r[i] *= d.status[i] ? hd : hc;
      s = hc;
    }
    const std::size_t lo = w.begin[k0], hi = w.end[k1 - 1];
    using RowMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const auto ep = static_cast<Eigen::Index>(p);
    Eigen::MatrixXd gm = Eigen::MatrixXd::Zero(ep, ep);
    Eigen::VectorXd v(static_cast<Eigen::Index>(block));
    for (std::size_t b0 = lo; b0 < hi; b0 += block) {
      const auto m = static_cast<Eigen::Index>(std::min(block, hi - b0));
      for (Eigen::Index q = 0; q < m; ++q) v[q] = std::sqrt(r[b0 + static_cast<std::size_t>(q)]);
      Eigen::Map<const RowMat> xb(X + b0 * p, m, ep);
      const RowMat scaled = v.head(m).asDiagonal() * xb;
      gm.selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose());
    }
    std::size_t t = 0;
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t l = 0; l <= j; ++l)
        g[t++] = gm(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(l));
  } else {
    // Row j of the lower triangle is kept in pairs of columns (2m, 2m + 1), 2m <= j, the
    // covariates padded to an even count: two products per instruction (SSE2), and for p = 6
    // 12 accumulators instead of 21, which stay in registers. The (j, j + 1) entries computed
    // on the way are not used.
    constexpr std::size_t H = (static_cast<std::size_t>(P) + 1) / 2;
    double ba[P][2 * H];
    double xp[2 * H];
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t l = 0; l < 2 * H; ++l) ba[j][l] = 0;
    xp[2 * H - 1] = 0;
    std::size_t rows = 0;
    for (std::size_t k = k0; k < k1; ++k) {
      if (k > k0 && stratum_of(k) != stratum_of(k - 1)) s = 0;
      const double hc = s + w.c[k], hd = s + w.e[k];
      for (std::size_t i = w.begin[k]; i < w.end[k]; ++i) {
        const double wt = r[i] * (d.status[i] ? hd : hc);
        const double* x = X + i * p;
        for (std::size_t j = 0; j < p; ++j) xp[j] = x[j];
        for (std::size_t j = 0; j < p; ++j) {
          const double wx = wt * xp[j];
          for (std::size_t m = 0; 2 * m <= j; ++m) {
            ba[j][2 * m] += wx * xp[2 * m];
            ba[j][2 * m + 1] += wx * xp[2 * m + 1];
          }
        }
      }
      s = hc;
      rows += w.end[k] - w.begin[k];
      if (rows >= block || k + 1 == k1) {
        std::size_t t = 0;
        for (std::size_t j = 0; j < p; ++j)
          for (std::size_t l = 0; l <= j; ++l) g[t++] += ba[j][l];
        for (std::size_t j = 0; j < p; ++j)
          for (std::size_t l = 0; l < 2 * H; ++l) ba[j][l] = 0;
        rows = 0;
      }
    }
  }
}

constexpr std::size_t kAhead = 32;  // rows prefetched ahead by the backward walk

template <int P>
double backward(const CoxSorted& d, CoxfitWork& w, std::size_t p, bool efron, std::size_t k0,
                std::size_t k1, const double* lead, double* us, double* mmo) {
  const std::size_t T = p * (p + 1) / 2;
  const std::size_t K = w.begin.size();
  const double* const X = d.x.data();
  const double* const r = w.r.get();
  Buf<P> sa(p), sa2(p), su(p), sub(p);
  Buf<tri(P)> smm(T);
  double* const a = sa.data();
  double* const a2 = sa2.data();  // the dying rows' r x
  double* const usum = su.data();
  double* const uu = sub.data();  // this block of event times' score terms
  double* const mm = smm.data();
  for (std::size_t j = 0; j < p; ++j) a[j] = uu[j] = usum[j] = 0;
  for (std::size_t t = 0; t < T; ++t) mm[t] = 0;
  double loglik = 0, denom = 0;
  // The log terms of weight 1 (unweighted data: every event time's terms) are summed as the log
  // of their product, one log per ~10^2 event times instead of one each (LogSum). Its relative
  // rounding grows by one unit per factor: ~10^-14 absolute in the loglik of a million-row fit,
  // below the rounding of the sum of a million logs.
  LogSum pass;
  if (lead) {
    denom = lead[0];
    for (std::size_t j = 0; j < p; ++j) a[j] = lead[1 + j];
  }
  for (std::size_t k = k1; k-- > k0;) {
    // a new stratum starts (walking backward) after the last segment of one
    if (k + 1 == K || d.stratum[w.begin[k + 1]] != d.stratum[w.begin[k]]) {
      denom = 0;
      for (std::size_t j = 0; j < p; ++j) a[j] = 0;
    }
    // this segment's rows: the censored ones join D and A, the dying ones are kept apart
    // (selects, not branches: censoring is not predictable)
    double denom2 = 0;
    for (std::size_t j = 0; j < p; ++j) a2[j] = 0;
    // The walk reads memory backwards in hops of a segment (often one row): the hardware
    // prefetchers miss it, so the rows ~1.5 kB ahead (below) are prefetched.
    if (w.begin[k] >= kAhead) {
      const std::size_t i = w.begin[k] - kAhead;
      __builtin_prefetch(X + i * p);
      __builtin_prefetch(X + i * p + 8);
      __builtin_prefetch(r + i);
    }
    for (std::size_t i = w.begin[k]; i < w.end[k]; ++i) {
      const double* x = X + i * p;
      const bool dead = d.status[i] != 0;
      const double rc = dead ? 0.0 : r[i];
      const double rd = dead ? r[i] : 0.0;
      denom += rc;
      denom2 += rd;
      for (std::size_t j = 0; j < p; ++j) {
        a[j] += rc * x[j];
        a2[j] += rd * x[j];
      }
    }
    const double deadwt = w.deadwt[k];
    // The k-terms in closed form. Term k has D_k = D + b_k E and A_k = A + b_k A2 (D, A: the
    // rows at risk but not dying; E, A2: the dying rows) and weight wt (Efron: the deaths' mean
    // case weight; Breslow: their sum); it adds -wt log D_k to loglik, -wt A_k / D_k to the
    // score and wt A_k A_k' / D_k^2 to mm, the part of I subtracted at the end. Summed over k:
    //   c = wt sum_k 1/D_k,  e = wt sum_k b_k/D_k,  score -= c A + e A2,
    //   mm += wt (q0 A A' + q1 (A A2' + A2 A') + q2 A2 A2'),  q_j = sum_k b_k^j / D_k^2,
    // so an event time costs O(p^2) however many rows die at it.
    double c, e;
    if (!efron || w.ndead[k] == 1) {  // Breslow
      denom += denom2;
      for (std::size_t j = 0; j < p; ++j) a[j] += a2[j];
      const double inv = 1 / denom;
      if (deadwt == 1)
        pass.add_log_of(denom);
      else
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
      const double m = w.ndead[k];
      const double wt = deadwt / m, invm = 1 / m;
      double s0 = 0, s1 = 0, q0 = 0, q1 = 0, q2 = 0;
      // weight 1: the D_k join the product of the whole pass; else one log per event time
      const bool unit = wt == 1;
      LogSum own;  // this event time's logs, weight wt
      for (double k2 = 1; k2 <= m; k2 += 1) {
        const double b = k2 * invm;
        const double dk = denom + b * denom2;
        const double inv = 1 / dk;
        s0 += inv;
        s1 += b * inv;
        const double inv2 = inv * inv;
        q0 += inv2;
        q1 += b * inv2;
        q2 += b * b * inv2;
        // the sum of the logs as the log of a product (unit weight: the pass's; else this
        // event time's: one log unless it would leave the range of double)
        (unit ? pass : own).add_log_of(dk);
      }
      if (!unit) loglik -= wt * own.value();
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
      for (std::size_t j = 0; j < p; ++j) a[j] += a2[j];
    }
    w.c[k] = c;
    w.e[k] = e;
    // two-level sum of the score terms: the events' own w x are summed apart (wx_events), so
    // this sum grows large before it cancels
    if (k % 256 == 0) {
      for (std::size_t j = 0; j < p; ++j) {
        usum[j] += uu[j];
        uu[j] = 0;
      }
    }
  }
  for (std::size_t j = 0; j < p; ++j) us[j] = usum[j] + uu[j];
  for (std::size_t t = 0; t < T; ++t) mmo[t] = mm[t];
  return loglik - pass.value();
}

template <int P>
double eval_p(const CoxSorted& d, CoxfitWork& w, bool efron, const double* beta, double* u,
              double* imat) {
  const std::size_t p = P > 0 ? static_cast<std::size_t>(P) : d.p;
  const std::size_t T = p * (p + 1) / 2;
  const std::size_t K = w.begin.size();
  std::fill(u, u + p, 0.0);
  std::fill(imat, imat + p * p, 0.0);
  if (K == 0) return 0;

  // 1. risks
  std::vector<double> lead(p + 1);
  two_halves(d.n, [&](int half) {
    if (half == 0)
      risks<P>(d, w, p, beta, 0, w.split, nullptr);
    else
      risks<P>(d, w, p, beta, w.split, K, lead.data());
  });

  // 2. backward over the segments; the lower half starts from the upper half's sums of its
  // stratum (lead, from phase 1)
  std::vector<double> us(2 * p), mm(2 * T);
  double llb[2] = {0, 0};
  const bool continues =
      w.split > 0 && w.split < K && d.stratum[w.begin[w.split - 1]] == d.stratum[w.begin[w.split]];
  two_halves(d.n, [&](int half) {
    llb[half] =
        half == 0 ? backward<P>(d, w, p, efron, 0, w.split, continues ? lead.data() : nullptr,
                                us.data(), mm.data())
                  : backward<P>(d, w, p, efron, w.split, K, nullptr, us.data() + p, mm.data() + T);
  });

  // 3. H and the weighted Gram matrix
  std::vector<double> g(2 * T);
  two_halves(d.n, [&](int half) {
    if (half == 0)
      gram<P>(d, w, p, 0, w.split, g.data());
    else
      gram<P>(d, w, p, w.split, K, g.data() + T);
  });

  // the events' own terms: sum w eta = sum w offset + beta' sum w x, and sum w x
  double ll_events = w.woff_events;
  for (std::size_t j = 0; j < p; ++j) ll_events += beta[j] * w.wx_events[j];
  const double loglik = ll_events + (llb[0] + llb[1]);
  for (std::size_t j = 0; j < p; ++j) u[j] = w.wx_events[j] + (us[j] + us[p + j]);
  std::size_t t = 0;
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t l = 0; l <= j; ++l, ++t)
      imat[j * p + l] = imat[l * p + j] = (g[t] + g[T + t]) - (mm[t] + mm[T + t]);
  // A variance within the risk sets below the rounding error of that difference is zero: a
  // covariate that never varies within a risk set (coxfit6's per-time form gives exactly 0) must
  // stay aliased for cholesky2, whose tolerance is relative to the largest diagonal element.
  for (std::size_t j = 0; j < p; ++j) {
    const std::size_t tj = j * (j + 1) / 2 + j;  // packed (j, j)
    if (imat[j * p + j] <= 64 * std::numeric_limits<double>::epsilon() * (g[tj] + g[T + tj]))
      for (std::size_t l = 0; l < p; ++l) imat[j * p + l] = imat[l * p + j] = 0;
  }
  return loglik;
}

}  // namespace

double coxfit_eval(const CoxSorted& d, CoxfitWork& w, bool efron, const double* beta, double* u,
                   double* imat) {
  switch (d.p) {
    case 1:
      return eval_p<1>(d, w, efron, beta, u, imat);
    case 2:
      return eval_p<2>(d, w, efron, beta, u, imat);
    case 3:
      return eval_p<3>(d, w, efron, beta, u, imat);
    case 4:
      return eval_p<4>(d, w, efron, beta, u, imat);
    case 5:
      return eval_p<5>(d, w, efron, beta, u, imat);
    case 6:
      return eval_p<6>(d, w, efron, beta, u, imat);
    case 7:
      return eval_p<7>(d, w, efron, beta, u, imat);
    case 8:
      return eval_p<8>(d, w, efron, beta, u, imat);
    case 9:
      return eval_p<9>(d, w, efron, beta, u, imat);
    case 10:
      return eval_p<10>(d, w, efron, beta, u, imat);
    case 11:
      return eval_p<11>(d, w, efron, beta, u, imat);
    case 12:
      return eval_p<12>(d, w, efron, beta, u, imat);
    default:
      return eval_p<0>(d, w, efron, beta, u, imat);
  }
}

double coxfit_eval(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat) {
  CoxfitWork w = coxfit_work(d);
  return coxfit_eval(d, w, efron, beta, u, imat);
}

}  // namespace hazard::detail
