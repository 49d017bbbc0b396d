// The Fine–Gray proportional subdistribution hazards model (Fine & Gray 1999, JASA 94:496-509),
// as cmprsk::crr 2.2-11 (Fortran crrfsv, crrvv) without time-varying covariates.
//
// Rows sorted by time; cause 1 = the failure of interest, 2 = another cause, 0 = censored; Z the
// covariates, w_j = exp(beta' Z_j). G_g is the Kaplan–Meier of the censoring distribution within
// censoring group g (--strata; failures of any cause are censored observations of G), and G_g(t-)
// its value just before t (crr: approx(..., ftime * (1 - 100 eps)); 0 after the group's last
// time). The risk set at a failure time t holds everyone with T_j >= t (weight 1) and those who
// failed from another cause before t, weighted by G_g(t-)/G_g(T_j-):
//   S_r(t) = sum_{T_j >= t} w_j Z_j^r + sum_g G_g(t-) sum_{j in g: cause 2, T_j < t} w_j Z_j^r / G_g(T_j-)
// (r = 0, 1, 2). Both sums are running sums (a suffix and a prefix over time), so one evaluation of
// the log pseudo-likelihood, score and information costs O(n p^2), where crr's nested loops cost
// O(n x failures). Tied failures: Breslow, as crr:
//   loglik = sum_{t} [sum_{i fails at t} beta'Z_i - d(t) log S_0(t)],
//   U = sum_t [sum Z_i - d(t) S_1/S_0],  I = sum_t d(t) (S_2/S_0 - Zbar Zbar'),  Zbar = S_1/S_0.
// Newton–Raphson from beta = 0 with step halving while the log pseudo-likelihood does not rise by
// the Armijo margin (crr's backtracking), until every |step| <= tol * max(1, |beta|).
//
// Variance (crr): I^-1 (sum_i (eta_i + psi_i)(eta_i + psi_i)') I^-1 with, per row i,
//   eta_i = [cause_i = 1](Z_i - Zbar(T_i)) - w_i sum_{failures j: T_j <= T_i} (Z_i - Zbar(T_j))/S_0(T_j)
//           - [cause_i = 2] (w_i/G(T_i-)) sum_{failures j: T_j > T_i} G(T_j-) (Z_i - Zbar(T_j))/S_0(T_j)
//   (sums over failing subjects), and psi_i, the effect of estimating G:
//   q_g(u) = sum_{failures j1 in g: T_j1 >= u} G_g(T_j1-)/S_0(T_j1)
//              sum_{j2 in g: cause 2, T_j2 < u} w_j2 (Z_j2 - Zbar(T_j1)) / G_g(T_j2-),
//   psi_i = [cause_i = 0] q_g(T_i)/Y_g(T_i) - sum_{censorings u <= T_i in g} c_g(u) q_g(u)/Y_g(u)^2,
//   g = the row's censoring group, Y_g(u) = rows of g with T >= u, c_g(u) censored in g at u.
//   As crr, q_g sums over the failures j1 of group g only (with one censoring group, all).
// Also reported: the model-based variance I^-1 (what coxph gives on survival::finegray's weighted
// data with robust = FALSE) and the sandwich without psi (coxph's robust variance on those data,
// cluster = id): the weights treated as known.
// Covariates are centred before the fit (Z - mean): the estimates, loglik, eta and psi do not
// change, the sums lose less to cancellation.
#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "hazard/competing.hpp"
#include "hazard/error.hpp"
#include "util/time_order.hpp"

namespace hazard {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// The data sorted by time, with the censoring weights, shared by every evaluation.
struct Prepared {
  std::size_t n = 0, p = 0, ng = 1;
  std::vector<double> time;
  std::vector<std::int32_t> cause, cg;
  MatrixXd z;                   // n x p, centred, rows in time order
  VectorXd mean;                // column means subtracted
  std::vector<double> g_own;    // G_{g_i}(T_i-)
  // distinct time blocks: [block_start[b], block_start[b + 1])
  std::vector<std::size_t> block_start;
  // failure times (blocks with cause-1 failures): block index, count, G_g(t-) for every g
  std::vector<std::size_t> fail_block;
  std::vector<double> fail_d;
  std::vector<double> fail_g;  // [m * ng + g]
  std::vector<std::int32_t> block_fail;  // block -> failure-time index or -1
};

Prepared prepare(const FineGrayData& d) {
  Prepared P;
  const std::size_t n = d.time.size();
  P.n = n;
  P.p = static_cast<std::size_t>(d.x.cols());
  const std::vector<std::uint32_t> order = detail::order_by_code_time(d.time, {}, 0);
  P.time.resize(n);
  P.cause.resize(n);
  P.cg.resize(n);
  P.z.resize(static_cast<Index>(n), static_cast<Index>(P.p));
  std::int32_t max_g = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = order[i];
    P.time[i] = d.time[r];
    P.cause[i] = d.cause[r];
    P.cg[i] = d.cengroup.empty() ? 0 : d.cengroup[r];
    max_g = std::max(max_g, P.cg[i]);
    P.z.row(static_cast<Index>(i)) = d.x.row(static_cast<Index>(r));
  }
  P.ng = static_cast<std::size_t>(max_g) + 1;
  P.mean = P.z.colwise().mean().transpose();
  P.z.rowwise() -= P.mean.transpose();

  // blocks of equal time
  for (std::size_t i = 0; i < n; ++i)
    if (i == 0 || P.time[i] != P.time[i - 1]) P.block_start.push_back(i);
  P.block_start.push_back(n);
  const std::size_t nb = P.block_start.size() - 1;

  // censoring Kaplan–Meier per group, evaluated just before each block's time
  std::vector<double> at_risk(P.ng, 0.0), last(P.ng, -1.0), km(P.ng, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    at_risk[static_cast<std::size_t>(P.cg[i])] += 1;
    last[static_cast<std::size_t>(P.cg[i])] = P.time[i];
  }
  P.g_own.resize(n);
  P.block_fail.assign(nb, -1);
  std::vector<double> cens(P.ng), leave(P.ng), before(P.ng);
  for (std::size_t b = 0; b < nb; ++b) {
    const std::size_t lo = P.block_start[b], hi = P.block_start[b + 1];
    const double t = P.time[lo];
    std::fill(cens.begin(), cens.end(), 0.0);
    std::fill(leave.begin(), leave.end(), 0.0);
    double d1 = 0;
    for (std::size_t i = lo; i < hi; ++i) {
      const auto g = static_cast<std::size_t>(P.cg[i]);
      leave[g] += 1;
      if (P.cause[i] == 0) cens[g] += 1;
      if (P.cause[i] == 1) d1 += 1;
    }
    std::vector<double> after = km;
    for (std::size_t g = 0; g < P.ng; ++g)
      if (cens[g] > 0) after[g] = km[g] * (1 - cens[g] / at_risk[g]);
    for (std::size_t g = 0; g < P.ng; ++g) {
      // crr evaluates G at t (1 - 100 eps): just before t, except at t = 0 (G(0) itself), and
      // 0 after the group's last time
      before[g] = t > last[g] ? 0.0 : (t == 0 ? after[g] : km[g]);
    }
    for (std::size_t i = lo; i < hi; ++i) P.g_own[i] = before[static_cast<std::size_t>(P.cg[i])];
    if (d1 > 0) {
      P.block_fail[b] = static_cast<std::int32_t>(P.fail_block.size());
      P.fail_block.push_back(b);
      P.fail_d.push_back(d1);
      for (std::size_t g = 0; g < P.ng; ++g) P.fail_g.push_back(before[g]);
    }
    km = after;
    for (std::size_t g = 0; g < P.ng; ++g) at_risk[g] -= leave[g];
  }
  return P;
}

// Log pseudo-likelihood, score and information at beta; with `keep`, also S_0 and Zbar at each
// failure time.
struct Eval {
  double loglik = 0;
  VectorXd u;
  MatrixXd info;
  std::vector<double> s0;  // per failure time
  MatrixXd zbar;           // failures x p
  VectorXd w;              // exp(eta) per row
};

Eval evaluate(const Prepared& P, const VectorXd& beta, bool keep) {
  const std::size_t n = P.n, p = P.p, ng = P.ng, m = P.fail_block.size();
  const auto ip = static_cast<Index>(p);
  Eval E;
  E.u = VectorXd::Zero(ip);
  E.info = MatrixXd::Zero(ip, ip);
  const VectorXd eta = P.z * beta;
  E.w = eta.array().exp();
  if (!E.w.allFinite())
    throw NumericalError("Fine-Gray: exp(linear predictor) overflows; the fit diverges");
  // forward: the weighted other-cause sums of each group before each failure time, combined
  // with G_g(t-) and stored per failure time
  const std::size_t q = 1 + p + p * p;
  std::vector<double> bsum(m * q, 0.0);
  std::vector<double> B(ng * q, 0.0);
  const std::size_t nb = P.block_start.size() - 1;
  for (std::size_t b = 0; b < nb; ++b) {
    const std::int32_t f = P.block_fail[b];
    if (f >= 0) {
      double* out = &bsum[static_cast<std::size_t>(f) * q];
      for (std::size_t g = 0; g < ng; ++g) {
        const double gg = P.fail_g[static_cast<std::size_t>(f) * ng + g];
        if (gg == 0) continue;
        const double* bg = &B[g * q];
        for (std::size_t k = 0; k < q; ++k) out[k] += gg * bg[k];
      }
    }
    for (std::size_t i = P.block_start[b]; i < P.block_start[b + 1]; ++i) {
      if (P.cause[i] != 2) continue;
      const double wi = E.w(static_cast<Index>(i)) / P.g_own[i];
      double* bg = &B[static_cast<std::size_t>(P.cg[i]) * q];
      bg[0] += wi;
      for (std::size_t a = 0; a < p; ++a) {
        const double za = P.z(static_cast<Index>(i), static_cast<Index>(a));
        bg[1 + a] += wi * za;
        for (std::size_t c = 0; c <= a; ++c)
          bg[1 + p + a * p + c] += wi * za * P.z(static_cast<Index>(i), static_cast<Index>(c));
      }
    }
  }
  // backward: the risk set's unweighted part, and the sums at each failure time
  std::vector<double> A(q, 0.0), s(q);
  if (keep) {
    E.s0.assign(m, 0.0);
    E.zbar.resize(static_cast<Index>(m), ip);
  }
  VectorXd zsum(ip), zb(ip);
  for (std::size_t b = nb; b-- > 0;) {
    zsum.setZero();
    double eta_sum = 0;
    for (std::size_t i = P.block_start[b]; i < P.block_start[b + 1]; ++i) {
      const double wi = E.w(static_cast<Index>(i));
      A[0] += wi;
      for (std::size_t a = 0; a < p; ++a) {
        const double za = P.z(static_cast<Index>(i), static_cast<Index>(a));
        A[1 + a] += wi * za;
        for (std::size_t c = 0; c <= a; ++c)
          A[1 + p + a * p + c] += wi * za * P.z(static_cast<Index>(i), static_cast<Index>(c));
      }
      if (P.cause[i] == 1) {
        zsum += P.z.row(static_cast<Index>(i)).transpose();
        eta_sum += eta(static_cast<Index>(i));
      }
    }
    const std::int32_t f = P.block_fail[b];
    if (f < 0) continue;
    const double* bs = &bsum[static_cast<std::size_t>(f) * q];
    for (std::size_t k = 0; k < q; ++k) s[k] = A[k] + bs[k];
    const double d = P.fail_d[static_cast<std::size_t>(f)];
    const double s0 = s[0];
    E.loglik += eta_sum - d * std::log(s0);
    for (std::size_t a = 0; a < p; ++a) zb(static_cast<Index>(a)) = s[1 + a] / s0;
    E.u += zsum - d * zb;
    for (std::size_t a = 0; a < p; ++a)
      for (std::size_t c = 0; c <= a; ++c) {
        const double v = d * (s[1 + p + a * p + c] / s0 - zb(static_cast<Index>(a)) *
                                                               zb(static_cast<Index>(c)));
        E.info(static_cast<Index>(a), static_cast<Index>(c)) += v;
      }
    if (keep) {
      E.s0[static_cast<std::size_t>(f)] = s0;
      E.zbar.row(f) = zb.transpose();
    }
  }
  E.info.triangularView<Eigen::StrictlyUpper>() = E.info.transpose();
  if (!std::isfinite(E.loglik)) E.loglik = -std::numeric_limits<double>::infinity();
  (void)n;
  return E;
}

// eta_i + psi_i and eta_i for every row (rows in time order), at the estimate.
void influence(const Prepared& P, const Eval& E, MatrixXd& eta_psi, MatrixXd& eta) {
  const std::size_t n = P.n, p = P.p, ng = P.ng;
  const auto ip = static_cast<Index>(p);
  const std::size_t nb = P.block_start.size() - 1;
  eta = MatrixXd::Zero(static_cast<Index>(n), ip);
  eta_psi = MatrixXd::Zero(static_cast<Index>(n), ip);
  auto zrow = [&](std::size_t i) { return P.z.row(static_cast<Index>(i)).transpose(); };

  // backward pass: the other-cause rows' part of eta (failures after T_i), and
  // W_g(u) = sum over failures j1 of group g with T_j1 >= u of G_g(T_j1-)/S_0 (1, Zbar)
  std::vector<double> q0(ng, 0.0);
  MatrixXd q1 = MatrixXd::Zero(ip, static_cast<Index>(ng));
  std::vector<double> w0(ng, 0.0);
  MatrixXd w1 = MatrixXd::Zero(ip, static_cast<Index>(ng));
  std::vector<double> w0_at(nb * ng, 0.0);
  MatrixXd w1_at = MatrixXd::Zero(ip, static_cast<Index>(nb * ng));
  for (std::size_t b = nb; b-- > 0;) {
    const std::size_t lo = P.block_start[b], hi = P.block_start[b + 1];
    for (std::size_t i = lo; i < hi; ++i) {
      if (P.cause[i] != 2) continue;
      const auto g = static_cast<std::size_t>(P.cg[i]);
      const double c = E.w(static_cast<Index>(i)) / P.g_own[i];
      eta.row(static_cast<Index>(i)) -=
          (c * (zrow(i) * q0[g] - q1.col(static_cast<Index>(g)))).transpose();
    }
    const std::int32_t f = P.block_fail[b];
    if (f >= 0) {
      const double s0 = E.s0[static_cast<std::size_t>(f)];
      const VectorXd zb = E.zbar.row(f).transpose();
      const double d = P.fail_d[static_cast<std::size_t>(f)];
      for (std::size_t g = 0; g < ng; ++g) {
        const double gg = P.fail_g[static_cast<std::size_t>(f) * ng + g];
        q0[g] += d * gg / s0;
        q1.col(static_cast<Index>(g)) += (d * gg / s0) * zb;
      }
      for (std::size_t i = lo; i < hi; ++i) {
        if (P.cause[i] != 1) continue;
        const auto g = static_cast<std::size_t>(P.cg[i]);
        w0[g] += P.g_own[i] / s0;
        w1.col(static_cast<Index>(g)) += (P.g_own[i] / s0) * zb;
      }
    }
    for (std::size_t g = 0; g < ng; ++g) {
      w0_at[b * ng + g] = w0[g];
      w1_at.col(static_cast<Index>(b * ng + g)) = w1.col(static_cast<Index>(g));
    }
  }

  // forward pass: the rest of eta (failures at or before T_i), psi
  double p0 = 0;
  VectorXd p1 = VectorXd::Zero(ip);
  std::vector<double> r0(ng, 0.0);  // other-cause rows before u: sum w / G(T-)
  MatrixXd r1 = MatrixXd::Zero(ip, static_cast<Index>(ng));
  MatrixXd ss2 = MatrixXd::Zero(ip, static_cast<Index>(ng));
  std::vector<double> at_risk(ng, 0.0), cens(ng), leave(ng);
  for (std::size_t i = 0; i < n; ++i) at_risk[static_cast<std::size_t>(P.cg[i])] += 1;
  MatrixXd qu = MatrixXd::Zero(ip, static_cast<Index>(ng));
  for (std::size_t b = 0; b < nb; ++b) {
    const std::size_t lo = P.block_start[b], hi = P.block_start[b + 1];
    const std::int32_t f = P.block_fail[b];
    VectorXd zb;
    if (f >= 0) {
      const double s0 = E.s0[static_cast<std::size_t>(f)];
      zb = E.zbar.row(f).transpose();
      const double d = P.fail_d[static_cast<std::size_t>(f)];
      p0 += d / s0;
      p1 += (d / s0) * zb;
    }
    std::fill(cens.begin(), cens.end(), 0.0);
    std::fill(leave.begin(), leave.end(), 0.0);
    for (std::size_t i = lo; i < hi; ++i) {
      leave[static_cast<std::size_t>(P.cg[i])] += 1;
      if (P.cause[i] == 0) cens[static_cast<std::size_t>(P.cg[i])] += 1;
    }
    bool any_cens = false;
    for (double c : cens) any_cens |= c > 0;
    if (any_cens) {
      for (std::size_t g = 0; g < ng; ++g) {
        const auto col = static_cast<Index>(g);
        qu.col(col) = r1.col(col) * w0_at[b * ng + g] - r0[g] * w1_at.col(static_cast<Index>(b * ng + g));
        if (cens[g] > 0) ss2.col(col) -= cens[g] * qu.col(col) / (at_risk[g] * at_risk[g]);
      }
    }
    for (std::size_t i = lo; i < hi; ++i) {
      const auto g = static_cast<std::size_t>(P.cg[i]);
      const VectorXd zi = zrow(i);
      VectorXd e = eta.row(static_cast<Index>(i)).transpose();
      if (P.cause[i] == 1) e += zi - zb;
      e -= E.w(static_cast<Index>(i)) * (zi * p0 - p1);
      eta.row(static_cast<Index>(i)) = e.transpose();
      VectorXd psi = ss2.col(static_cast<Index>(g));
      if (P.cause[i] == 0) psi += qu.col(static_cast<Index>(g)) / at_risk[g];
      eta_psi.row(static_cast<Index>(i)) = (e + psi).transpose();
    }
    for (std::size_t i = lo; i < hi; ++i) {
      if (P.cause[i] != 2) continue;
      const auto g = static_cast<std::size_t>(P.cg[i]);
      const double c = E.w(static_cast<Index>(i)) / P.g_own[i];
      r0[g] += c;
      r1.col(static_cast<Index>(g)) += c * zrow(i);
    }
    for (std::size_t g = 0; g < ng; ++g) at_risk[g] -= leave[g];
  }
}

}  // namespace

std::vector<double> censoring_weights(std::span<const double> time,
                                      std::span<const std::int32_t> cause,
                                      std::span<const std::int32_t> cengroup) {
  FineGrayData d;
  d.time.assign(time.begin(), time.end());
  d.cause.assign(cause.begin(), cause.end());
  d.cengroup.assign(cengroup.begin(), cengroup.end());
  d.x = MatrixXd::Zero(static_cast<Index>(time.size()), 1);
  const Prepared P = prepare(d);
  const std::vector<std::uint32_t> order = detail::order_by_code_time(d.time, {}, 0);
  std::vector<double> out(time.size());
  for (std::size_t i = 0; i < order.size(); ++i) out[order[i]] = P.g_own[i];
  return out;
}

FineGrayResult fine_gray(const FineGrayData& data, const FineGrayOptions& options) {
  const std::size_t n = data.time.size();
  const auto p = static_cast<std::size_t>(data.x.cols());
  if (data.cause.size() != n || static_cast<std::size_t>(data.x.rows()) != n ||
      (!data.cengroup.empty() && data.cengroup.size() != n))
    throw UsageError("Fine-Gray: the data's columns have different lengths");
  if (p == 0) throw UsageError("Fine-Gray: the model needs at least one covariate (--covariates)");
  if (data.names.size() != p) throw UsageError("Fine-Gray: one name per covariate column needed");
  if (!(options.conf_level > 0 && options.conf_level < 1))
    throw UsageError("--conf-level must be in (0, 1)");
  FineGrayResult R;
  R.n = n;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(data.time[i]) || data.time[i] < 0)
      throw UsageError("Fine-Gray: times must be finite and >= 0");
    if (data.cause[i] < 0 || data.cause[i] > 2)
      throw UsageError("Fine-Gray: cause codes must be 0, 1 or 2");
    if (!data.cengroup.empty() && data.cengroup[i] < 0)
      throw UsageError("Fine-Gray: censoring group codes must be >= 0");
    (data.cause[i] == 1 ? R.events : data.cause[i] == 2 ? R.competing : R.censored) += 1;
  }
  if (!data.x.allFinite()) throw UsageError("Fine-Gray: covariates must be finite");
  if (R.events == 0)
    throw NumericalError("Fine-Gray: no failure from the cause of interest; nothing to fit");
  const Prepared P = prepare(data);
  R.n_cengroups = P.ng;
  const auto ip = static_cast<Index>(p);

  VectorXd beta = VectorXd::Zero(ip);
  Eval E = evaluate(P, beta, false);
  R.loglik_null = E.loglik;
  for (int it = 0; it < options.max_iter; ++it) {
    Eigen::LDLT<MatrixXd> ldlt(E.info);
    if (ldlt.info() != Eigen::Success || !ldlt.isPositive() ||
        ldlt.vectorD().minCoeff() <= 1e-12 * std::max(1.0, ldlt.vectorD().maxCoeff()))
      throw NumericalError(
          "Fine-Gray: the information matrix is singular (a covariate is constant among the "
          "risk sets, or collinear with others)");
    VectorXd step = ldlt.solve(E.u);
    // backtracking (crr): halve while loglik does not rise by 1e-4 of the predicted increase
    Eval next;
    int halvings = 0;
    for (;;) {
      next = evaluate(P, beta + step, false);
      if (std::isfinite(next.loglik) && next.loglik >= E.loglik + 1e-4 * step.dot(E.u)) break;
      if (++halvings > 20)
        throw NumericalError("Fine-Gray: the pseudo-likelihood does not increase along the Newton "
                             "direction (20 step halvings)");
      step *= 0.5;
    }
    beta += step;
    E = std::move(next);
    R.iterations = it + 1;
    bool small = true;
    for (Index a = 0; a < ip; ++a)
      small &= std::fabs(step(a)) <= options.tol * std::max(1.0, std::fabs(beta(a)));
    if (small) {
      R.converged = true;
      break;
    }
  }
  E = evaluate(P, beta, true);
  R.coef = beta;
  R.loglik = E.loglik;
  R.score = E.u;
  Eigen::LDLT<MatrixXd> ldlt(E.info);
  if (ldlt.info() != Eigen::Success || !ldlt.isPositive())
    throw NumericalError("Fine-Gray: the information matrix at the estimate is singular");
  const MatrixXd inv = ldlt.solve(MatrixXd::Identity(ip, ip));
  MatrixXd eta_psi, eta;
  influence(P, E, eta_psi, eta);
  const MatrixXd V = eta_psi.transpose() * eta_psi;
  const MatrixXd Vr = eta.transpose() * eta;
  R.var = inv * V * inv;
  R.var_model = inv;
  R.var_robust = inv * Vr * inv;

  const double z = boost::math::quantile(boost::math::normal(), 0.5 + options.conf_level / 2);
  for (std::size_t a = 0; a < p; ++a) {
    const auto ia = static_cast<Index>(a);
    FineGrayTerm t;
    t.term = data.names[a];
    t.coef = beta(ia);
    t.se = std::sqrt(R.var(ia, ia));
    t.se_model = std::sqrt(R.var_model(ia, ia));
    t.se_robust = std::sqrt(R.var_robust(ia, ia));
    t.z = t.coef / t.se;
    t.p = 2 * boost::math::cdf(boost::math::normal(), -std::fabs(t.z));
    t.shr = std::exp(t.coef);
    t.lower = std::exp(t.coef - z * t.se);
    t.upper = std::exp(t.coef + z * t.se);
    R.terms.push_back(t);
  }
  const double df = static_cast<double>(p);
  Eigen::LDLT<MatrixXd> vl(R.var);
  R.wald.stat = beta.dot(vl.solve(beta));
  R.wald.df = df;
  R.wald.p = boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), R.wald.stat));
  R.lr.stat = 2 * (R.loglik - R.loglik_null);
  R.lr.df = df;
  R.lr.p = R.lr.stat >= 0 ? boost::math::cdf(boost::math::complement(
                                boost::math::chi_squared(df), R.lr.stat))
                          : 1.0;
  return R;
}

}  // namespace hazard
