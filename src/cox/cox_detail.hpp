// Internals of the Cox fit, shared by the fitting kernels and by what is computed from a fit
// (robust variance, concordance, and later residuals, cox.zph and baseline hazards).
//
// CoxSorted holds the data once, in the order the kernels want, with the covariates centred
// and scaled as R's coxfit6/agfit4 do (row-major: the p covariates of a row are contiguous).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "hazard/cox.hpp"

namespace hazard::detail {

struct CoxSorted {
  std::size_t n = 0;                  ///< rows
  std::size_t p = 0;                  ///< covariates
  bool counting = false;              ///< (start, stop] data
  bool descending = false;            ///< kernel order has descending time (counting, exact)
  // Kernel order. Right-censored: by stratum, then ascending time (R's order(strata, time)).
  // Counting process: position k holds row sort2[k] (stratum, descending stop; rows that no
  // event time can reach last, R's `ignore`), and `order` == sort2.
  std::vector<std::size_t> order;     ///< kernel position -> input row
  std::vector<double> time;           ///< stop time, kernel order
  std::vector<double> start;          ///< start time, kernel order (counting only)
  std::vector<std::uint8_t> status;
  std::vector<double> weight;
  std::vector<double> offset;
  std::vector<std::int32_t> stratum;  ///< dense codes 0.., kernel order
  std::vector<double> x;              ///< n*p row-major, centred and scaled, kernel order
  std::vector<double> means;          ///< p: the centring constants (original scale)
  std::vector<double> scale;          ///< p: x_scaled = (x - mean) * scale
  // Counting process only: `by_start[k]` is the kernel position of the row with the k-th
  // largest start within stratum (R's sort1); rows [nused, n) are ignored by the fit.
  std::vector<std::size_t> by_start;
  std::size_t nused = 0;
};

/// Sorts and centres the data as R does for the given tie method (exact: descending time).
/// `x` replaces data.x when given (so that callers need not copy the design matrix).
CoxSorted prepare(const CoxData& data, Ties ties, const Eigen::MatrixXd* x = nullptr);

/// Log partial likelihood at beta (scaled coordinates), its score u (p) and information imat
/// (p*p, only the upper triangle imat[j*p+i], j<=i... see each file) for one tie method.
/// `imat` is filled completely (symmetric).
double coxfit_eval(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat);
double agfit_eval(const CoxSorted& d, bool efron, const double* beta, double* u, double* imat);
double exact_eval(const CoxSorted& d, const double* beta, double* u, double* imat);

// R's cholesky2 / chsolve2 / chinv2 on a dense row-major n x n matrix: a generalised Cholesky
// that sets the pivots below toler * max(diag) to zero (aliased columns) instead of failing.
int cholesky2(double* m, int n, double toler);
void chsolve2(const double* m, int n, double* y);
void chinv2(double* m, int n);  ///< after cholesky2: m becomes the (generalised) inverse, symmetric

/// b' V^-1 b with V's generalised inverse as coxph.wtest (rank-deficient parts dropped).
double wald_stat(const Eigen::MatrixXd& v, const Eigen::VectorXd& b, double toler);

/// Score residuals (R's residuals.coxph type "score", unweighted) for risk scores `risk`
/// (exp(linear predictor), kernel order), on the original (uncentred) covariates `x0` (n*p
/// row-major, kernel order). Result n*p row-major, kernel order. Efron or Breslow.
std::vector<double> score_residuals(const CoxSorted& d, const std::vector<double>& x0,
                                    const std::vector<double>& risk, bool efron);

/// Harrell's concordance of `lp` (kernel order) as R's concordancefit(reverse = TRUE) with
/// timewt "n", per stratum; `cluster` (kernel order, dense codes, or empty) collapses the
/// influence for the SE.
CoxConcordance concordance(const CoxSorted& d, const std::vector<double>& lp,
                           const std::vector<std::int32_t>& cluster);

/// R's aeqSurv: times closer than sqrt(machine eps) (absolutely or relative to the mean
/// absolute time) are made equal. Modifies time (and start) in place.
void aeq_surv(std::vector<double>& time, std::vector<double>& start);

}  // namespace hazard::detail

#include <functional>

namespace hazard::detail {

/// The iteration schemes of R's three fitting routines; they differ in small ways that decide
/// the iteration count and the answer when a fit does not converge.
enum class Scheme { coxfit6, agfit4, coxexact };

/// loglik at beta; fills u (p) and imat (p*p, symmetric).
using CoxEval = std::function<double(const double* beta, double* u, double* imat)>;

struct NewtonResult {
  std::vector<double> beta;   ///< scaled coordinates
  std::vector<double> u;      ///< score at the returned beta
  std::vector<double> var;    ///< inverse information (generalised), p*p
  double loglik0 = 0, loglik = 0;
  double sctest = 0;          ///< score test at the initial value
  int iter = 0;
  int flag = 0;               ///< R's flag: rank, 1000 = not converged, -2 = converged while halving
  int rank = 0;
  bool converged = false;
};

/// Newton–Raphson from beta = 0 as R's coxfit6 / agfit4 / coxexact (see newton.cpp).
NewtonResult newton(Scheme scheme, const CoxEval& eval, std::size_t p, const CoxOptions& options);

}  // namespace hazard::detail
