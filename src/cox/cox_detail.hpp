// Internals of the Cox fit, shared by the fitting kernels and by what is computed from a fit
// (robust variance, concordance, and later residuals, cox.zph and baseline hazards).
//
// CoxSorted holds the data once, in the order the kernels want, with the covariates centred
// and scaled as R's coxfit6/agfit4 do (row-major: the p covariates of a row are contiguous).
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include "hazard/cox.hpp"
#include "util/huge_pages.hpp"
#include "util/time_order.hpp"
#include "util/timefix.hpp"
#include "util/two_threads.hpp"

namespace hazard::detail {

/// A per-row value that is usually the same for every row (case weights 1, offsets 0): stored
/// only when given, so that an unweighted fit without offsets keeps no arrays of ones and zeros.
struct RowValues {
  HugeVector<double> values;  ///< kernel order; empty = every row has `fill`
  double fill = 0;
  double operator[](std::size_t i) const { return values.empty() ? fill : values[i]; }
};

struct CoxSorted {
  std::size_t n = 0;        ///< rows
  std::size_t p = 0;        ///< covariates
  bool counting = false;    ///< (start, stop] data
  bool descending = false;  ///< kernel order has descending time (counting, exact)
  // Kernel order. Right-censored: by stratum, then ascending time (R's order(strata, time)).
  // Counting process: position k holds row sort2[k] (stratum, descending stop; rows that no
  // event time can reach last, R's `ignore`), and `order` == sort2.
  // The n-sized arrays are HugeVector (util/huge_pages.hpp): whole huge pages, one page fault
  // per 2 MiB instead of 512.
  // Those that prepare writes in full on two threads right after sizing them are HugeScratch
  // (not zeroed first: the two threads share the first touch of the pages).
  HugeScratch<std::uint32_t> order;  ///< kernel position -> input row (n < 2^32: the sort checks)
  HugeScratch<double> time;          ///< stop time, kernel order
  HugeScratch<double> start;         ///< start time, kernel order (counting only)
  HugeScratch<std::uint8_t> status;
  RowValues weight{.values = {}, .fill = 1.0};
  RowValues offset{.values = {}, .fill = 0.0};
  HugeVector<std::int32_t> stratum;  ///< dense codes 0.., kernel order
  HugeScratch<double> x;             ///< n*p row-major, centred and scaled, kernel order
  std::vector<double> means;         ///< p: the centring constants (original scale)
  std::vector<double> scale;         ///< p: x_scaled = (x - mean) * scale
  // Counting process only: `by_start[k]` is the kernel position of the row with the k-th
  // largest start within stratum (R's sort1); rows [nused, n) are ignored by the fit.
  HugeVector<std::uint32_t> by_start;
  std::size_t nused = 0;
};

/// Sorts and centres the data as R does for the given tie method (exact: descending time).
/// `x` replaces data.x when given (so that callers need not copy the design matrix).
/// `sorted`, when given, is the kernel order already computed by the caller for right-censored
/// data without strata, Efron/Breslow: sort_rows_by_time(time, status), no time merged by
/// aeq_surv. The times, statuses and order are then read from it (data.time and data.status are
/// not read and may be empty), and it is freed once read.
/// `consumed`, when given, is the design matrix read instead of `x` and data.x, and emptied:
/// its columns are put into kernel order in place and their pages given back while the
/// kernel-order copy is written, so that the peak memory holds about one copy of the covariates
/// (the values of d.x are the same to the bit).
CoxSorted prepare(const CoxData& data, Ties ties, const Eigen::MatrixXd* x = nullptr,
                  HugeVector<KeyedRow>* sorted = nullptr, Eigen::MatrixXd* consumed = nullptr);

/// Log partial likelihood at beta (scaled coordinates), its score u (p) and information imat
/// (p*p, only the upper triangle imat[j*p+i], j<=i... see each file) for one tie method.
/// `imat` is filled completely (symmetric).
double coxfit_eval(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat);
/// Right-censored data: the event times, found once per fit, and scratch space that each
/// evaluation reuses (coxfit.cpp). One per fit; never shared between threads.
struct CoxfitWork {
  /// Segment k: rows [begin[k], end[k]) in kernel order, from an event time (the first row of a
  /// run of tied times with an event) to the next one or to the end of the stratum (32-bit: the
  /// kernel order holds fewer than 2^32 rows).
  HugeVector<std::uint32_t> begin, end;
  HugeVector<double> ndead, deadwt;       ///< per segment: events at its time, their case weights
  std::size_t split = 0;                  ///< first segment of the second half (by rows)
  bool weighted = false, offset = false;  ///< any weight != 1, any offset != 0
  /// Over the events: sum w x (p) and sum w offset (the events' part of score and loglik is
  /// linear in beta).
  std::vector<double> wx_events;
  double woff_events = 0;
  std::unique_ptr<double[]> r;  ///< scratch: risks (then r H) per row
  HugeVector<double> c, e;      ///< scratch: per segment
};
CoxfitWork coxfit_work(const CoxSorted& d);
/// As coxfit_eval above, reusing `w` (from coxfit_work(d)) across the Newton iterations.
double coxfit_eval(const CoxSorted& d, CoxfitWork& w, bool efron, const double* beta, double* u,
                   double* imat);
double agfit_eval(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat);
double exact_eval(const CoxSorted& d, const double* beta, double* u, double* imat);
/// The exact likelihood for (start, stop] data (agexact.cpp); kernel order as agfit_eval,
/// covariates centred as R's agexact.fit (column mean, not scaled).
double agexact_eval(const CoxSorted& d, const double* beta, double* u, double* imat);

/// Sums for the exact (discrete) partial likelihood over a set of rows that grows one row at a
/// time: D_m = sum over m-subsets S of prod_{i in S} r_i for m = 0..M, with its gradient D1_m
/// (p) and Hessian D2_m (p x p, lower triangle) in beta (Gail, Lubin & Rubinstein 1981):
///   D_m(R + i)  = D_m(R)  + r_i D_{m-1}(R)
///   D1_m(R + i) = D1_m(R) + r_i (x_i D_{m-1}(R) + D1_{m-1}(R))
///   D2_m(R + i) = D2_m(R) + r_i (x_i x_i' D_{m-1} + x_i D1_{m-1}' + D1_{m-1} x_i' + D2_{m-1}(R))
/// Adding a row costs O(M p^2). Used by coxexact.cpp (nested risk sets) and agexact.cpp.
class ExactSums {
 public:
  /// Empty set (D_0 = 1, everything else 0) for p covariates and subsets of up to max_m rows.
  void reset(std::size_t p, std::size_t max_m);
  /// Adds a row with covariates x (p) and risk score r = exp(eta).
  void add(const double* x, double r);
  /// The risk-set part of an event time with m events: u -= D1_m / D_m, and imat += D2_m / D_m
  /// - ubar ubar' (upper triangle only: imat[l*p + j], l <= j). Returns log D_m, which the caller
  /// subtracts from the log-likelihood (after adding the events' own eta and x).
  double event(std::size_t m, double* u, double* imat) const;

 private:
  std::size_t p_ = 0, w_ = 1;         // w_ = max_m + 1
  std::vector<double> d0_, d1_, d2_;  // d1_[j*w + m], d2_[(j*p + l)*w + m] (l <= j)
  mutable std::vector<double> ubar_;
};

// R's cholesky2 / chsolve2 / chinv2 on a dense row-major n x n matrix: a generalised Cholesky
// that sets the pivots below toler * max(diag) to zero (aliased columns) instead of failing.
int cholesky2(double* m, int n, double toler);
void chsolve2(const double* m, int n, double* y);
void chinv2(double* m, int n);  ///< after cholesky2: m becomes the (generalised) inverse, symmetric

/// The upper tail of the chi-square distribution with df degrees of freedom at stat (NaN when
/// stat is not finite or df <= 0; 1 for stat <= 0).
double chisq_upper(double stat, double df);

/// b' V^-1 b with V's generalised inverse as coxph.wtest (rank-deficient parts dropped).
double wald_stat(const Eigen::MatrixXd& v, const Eigen::VectorXd& b, double toler);

/// Score residuals (R's residuals.coxph type "score", unweighted) for risk scores `risk`
/// (exp(linear predictor), kernel order), on the original (uncentred) covariates `x0` (n*p
/// row-major, kernel order). Result n*p row-major, kernel order. Efron or Breslow.
std::vector<double> score_residuals(const CoxSorted& d, const std::vector<double>& x0,
                                    const std::vector<double>& risk, bool efron);

/// The rows [b, e) of one stratum of a CoxSorted by descending stop time and, for (start, stop]
/// data, by descending start time (stable: ties keep their kernel order). by_start is empty
/// for right-censored data.
struct StratumOrder {
  std::vector<std::size_t> by_stop, by_start;
};
StratumOrder stratum_order(const CoxSorted& d, std::size_t b, std::size_t e);

/// The weighted risk-set sums of one stratum walked from the last time down: s0 = sum_R w r and
/// s1 = sum_R w r x over R(t) = {start < t <= stop}, for risk scores `risk` and covariates `x0`
/// (n*p row-major), both in kernel order. advance(t) moves to time t (t must not increase
/// between calls): rows with stop >= t join, rows with start >= t leave. O(p) per row in total.
class RiskSetSums {
 public:
  RiskSetSums(const CoxSorted& d, const StratumOrder& order, const std::vector<double>& x0,
              const std::vector<double>& risk);
  void advance(double t);
  double s0 = 0;
  std::vector<double> s1;

 private:
  const CoxSorted& d_;
  const StratumOrder& o_;
  const std::vector<double>& x0_;
  const std::vector<double>& risk_;
  std::size_t joined_ = 0, left_ = 0;
};

/// Harrell's concordance of `lp` (input order, read through d.order) as R's
/// concordancefit(reverse = TRUE) with
/// timewt "n", per stratum; `cluster` (kernel order, dense codes, or empty) collapses the
/// influence for the SE.
CoxConcordance concordance(const CoxSorted& d, const std::vector<double>& lp,
                           const std::vector<std::int32_t>& cluster);

/// The concordance from its pair counts (discordant, concordant, tied on the score, tied on the
/// time, tied on both; R's count order) and the sum of the squared infinitesimal-jackknife terms
/// (dfbeta, collapsed by cluster when there is one): estimate 1 - (somers_d + 1) / 2, SE
/// sqrt(sum / 4), as R's concordancefit with reverse = TRUE.
CoxConcordance concordance_result(const double (&count)[5], double dfbeta_sum_squares);

// R's aeqSurv (timefix): util/timefix.hpp (aeq_surv, aeq_merges), shared with km and logrank.

}  // namespace hazard::detail

#include <functional>
#include <string>

namespace hazard::detail {

/// The iteration schemes of R's three fitting routines; they differ in small ways that decide
/// the iteration count and the answer when a fit does not converge.
enum class Scheme { coxfit6, agfit4, coxexact, agexact };

/// loglik at beta; fills u (p) and imat (p*p, symmetric).
using CoxEval = std::function<double(const double* beta, double* u, double* imat)>;

struct NewtonResult {
  std::vector<double> beta;  ///< scaled coordinates
  std::vector<double> u;     ///< score at the returned beta
  std::vector<double> var;   ///< inverse information (generalised), p*p
  double loglik0 = 0, loglik = 0;
  double sctest = 0;  ///< score test at the initial value
  int iter = 0;
  int flag = 0;  ///< R's flag: rank, 1000 = not converged, -2 = converged while halving
  int rank = 0;
  bool converged = false;
};

/// Newton–Raphson from beta = 0 as R's coxfit6 / agfit4 / coxexact / agexact (see newton.cpp).
NewtonResult newton(Scheme scheme, const CoxEval& eval, std::size_t p, const CoxOptions& options);

/// What cox_fit makes of a Newton–Raphson result (cox_fit.cpp), shared with the distributed fit
/// (cox_distributed.cpp).
struct CoxFinish {
  std::vector<bool> infinite;      ///< per column: runs to infinity (not estimable)
  std::vector<std::string> names;  ///< per column (x1, x2, ... when none were given)
  std::size_t df = 0;              ///< estimated (not aliased) columns
  double sctest = 0;               ///< score test at beta = 0
};
/// Fills r's iterations, converged, rank, loglik0/loglik, coef (NaN when aliased), var,
/// score_vector, means and R's warnings (r.n, events, ties, compat and robust are the caller's).
/// `linear_predictor(beta)` (beta on the original scale, r.means set) fills r.linear_predictor
/// for the caller's rows and returns the largest linear predictor over all rows of the fit.
CoxFinish cox_estimates(CoxResult& r, const NewtonResult& nr, const std::vector<double>& scale,
                        const std::vector<double>& means, Scheme scheme,
                        const std::vector<std::string>& names, const CoxOptions& opt,
                        const std::function<double(const Eigen::VectorXd&)>& linear_predictor);
/// The LR, score and Wald tests and the coefficient table (after r.robust_var when r.robust).
void cox_tests_terms(CoxResult& r, const CoxFinish& fin, const CoxOptions& opt);

}  // namespace hazard::detail
