// The parametric families behind hazard::fit_parametric (internal).
//
// A family has m distribution parameters theta (on the estimation scale: log for positive
// parameters). Row i has its own theta_i = theta + (location: x_i' beta) + (ancillary: z_i' delta_k).
// Each family gives, at one time t, log f(t) and log S(t) with their gradients and Hessians in
// theta; `evaluate` sums the rows' contributions
//   w_i [ d_i log f(t_i) + (1 - d_i) log S(t_i) - log S(t0_i) ]
// and maps the per-row derivatives onto the full parameter vector (chain rule through the linear
// predictors). Families are instantiated with the row loop (accumulate<Fam>) in their own file, so
// the per-row functions inline; the rows are split in two halves on two threads
// (util/two_threads.hpp), summed in the same order whatever the thread count.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "hazard/parametric.hpp"
#include "util/two_threads.hpp"

namespace hazard::detail::parametric {

inline constexpr int max_par = 12;  // rp-*:10 has 12 spline parameters

/// Gradient and Hessian (row-major m x m, both triangles) of a per-row function in theta.
struct Deriv {
  double g[max_par];
  double h[max_par * max_par];
};

/// The data as the row loop reads them.
struct Model {
  std::size_t n = 0;
  const double* time = nullptr;
  const double* log_time = nullptr;
  const double* start = nullptr;      ///< null: no delayed entry
  const double* log_start = nullptr;  ///< log(start), -inf where start = 0
  const std::uint8_t* status = nullptr;
  const double* weight = nullptr;     ///< null: all 1
  const Eigen::MatrixXd* x = nullptr;
  const Eigen::MatrixXd* z = nullptr;
  int m = 0;                          ///< distribution parameters
  int loc = 0;                        ///< location parameter
  std::vector<int> anc{};             ///< parameters carrying the z effects

  int p() const { return x ? static_cast<int>(x->cols()) : 0; }
  int q() const { return z ? static_cast<int>(z->cols()) : 0; }
  int npar() const { return m + p() + static_cast<int>(anc.size()) * q(); }

  /// theta of row i for the full parameter vector beta.
  void theta(const Eigen::VectorXd& beta, std::size_t i, double* th) const {
    for (int k = 0; k < m; ++k) th[k] = beta[k];
    const int pp = p(), qq = q();
    const auto ii = static_cast<Eigen::Index>(i);
    for (int j = 0; j < pp; ++j) th[loc] += (*x)(ii, j) * beta[m + j];
    for (std::size_t a = 0; a < anc.size(); ++a)
      for (int j = 0; j < qq; ++j)
        th[anc[a]] += (*z)(ii, j) * beta[m + pp + static_cast<int>(a) * qq + j];
  }
};

/// The log-likelihood with, for order >= 1, its gradient and, for order 2, its Hessian.
struct Evaluation {
  double loglik = 0;
  Eigen::VectorXd grad{};
  Eigen::MatrixXd hess{};
};

/// Runtime interface of a family (one object per fit; its per-row functions are also used
/// directly by the row loop of its own file).
class Family {
 public:
  virtual ~Family() = default;
  virtual int m() const = 0;
  /// The log-likelihood and its derivatives (order 0, 1, 2) over the rows of `model`.
  virtual Evaluation evaluate(const Model& model, const Eigen::VectorXd& beta, int order) const = 0;
  /// log f(t) and log S(t) for one theta at several times; derivatives in theta when order >= 1.
  /// `deriv` may be null for order 0; otherwise it has one entry per time.
  virtual void log_f(const double* th, const std::vector<double>& t, int order, double* value,
                     Deriv* deriv) const = 0;
  virtual void log_s(const double* th, const std::vector<double>& t, int order, double* value,
                     Deriv* deriv) const = 0;
  /// The time where S(t) = s (0 < s < 1), +inf when S never falls to s.
  virtual double quantile(const double* th, double s) const = 0;
  /// The mean: a closed form where one is used; NaN = integrate S numerically; +inf = infinite.
  virtual double mean(const double* th) const { (void)th; return std::nan(""); }
  /// Why the mean is infinite at theta ("" when finite or unknown).
  virtual std::string infinite_mean(const double* th) const { (void)th; return {}; }
  /// The integral of S from t to infinity where the family has a closed form for a tail that the
  /// quadrature of the mean cannot reach (rp-*: beyond the last knot); 0 otherwise (the
  /// quadrature runs until S < 1e-17, which suffices for light tails).
  virtual double tail_integral(const double* th, double t) const { (void)th; (void)t; return 0; }
};

/// The family object of a distribution (knots: log-time knots of rp-*, boundary ones included).
std::unique_ptr<Family> make_family(const Distribution& dist, const std::vector<double>& knots);
std::unique_ptr<Family> make_exponential();
std::unique_ptr<Family> make_weibull();
std::unique_ptr<Family> make_gompertz();
std::unique_ptr<Family> make_lognormal();
std::unique_ptr<Family> make_loglogistic();
std::unique_ptr<Family> make_gengamma();
std::unique_ptr<Family> make_royston_parmar(bool odds, const std::vector<double>& knots);

/// Names, transforms ("log"/"identity") and the location index of a distribution's parameters.
struct FamilySpec {
  std::vector<std::string> names{};
  std::vector<std::string> transforms{};
  int location = 0;
};
FamilySpec family_spec(const Distribution& dist);

// ---- the row loop ----------------------------------------------------------------------------

/// Sums the rows [lo, hi) of `model` into `out` (loglik, and gradient/Hessian by order; `out`'s
/// vectors sized by the caller). `Fam` has log_f_row / log_s_row(const double* th, double t,
/// double log_t, int order, Deriv& d) and m().
template <class Fam>
void accumulate_rows(const Fam& fam, const Model& model, const Eigen::VectorXd& beta, int order,
                     std::size_t lo, std::size_t hi, Evaluation& out) {
  const int m = model.m, P = model.npar(), pp = model.p(), qq = model.q();
  // Full parameter r belongs to theta[pk[r]] with multiplier v[pv[r]]; v = (1, x_i, z_i).
  int pk[64], pv[64];
  for (int k = 0; k < m; ++k) pk[k] = k, pv[k] = 0;
  for (int j = 0; j < pp; ++j) pk[m + j] = model.loc, pv[m + j] = 1 + j;
  for (std::size_t a = 0; a < model.anc.size(); ++a)
    for (int j = 0; j < qq; ++j) {
      const int r = m + pp + static_cast<int>(a) * qq + j;
      pk[r] = model.anc[a];
      pv[r] = 1 + pp + j;
    }
  double v[64];
  v[0] = 1;
  double th[max_par];
  Deriv d, d0;
  double ll = 0;
  double* grad = order >= 1 ? out.grad.data() : nullptr;
  double* hess = order >= 2 ? out.hess.data() : nullptr;
  double gr[64];
  for (std::size_t i = lo; i < hi; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    for (int j = 0; j < pp; ++j) v[1 + j] = (*model.x)(ii, j);
    for (int j = 0; j < qq; ++j) v[1 + pp + j] = (*model.z)(ii, j);
    for (int k = 0; k < m; ++k) th[k] = beta[k];
    for (int j = 0; j < pp; ++j) th[model.loc] += v[1 + j] * beta[m + j];
    for (std::size_t a = 0; a < model.anc.size(); ++a)
      for (int j = 0; j < qq; ++j)
        th[model.anc[a]] += v[1 + pp + j] * beta[m + pp + static_cast<int>(a) * qq + j];
    const double t = model.time[i], lt = model.log_time[i];
    double l = model.status[i] ? fam.log_f_row(th, t, lt, order, d)
                               : fam.log_s_row(th, t, lt, order, d);
    const bool entry = model.start && model.start[i] > 0;
    if (entry) {
      l -= fam.log_s_row(th, model.start[i], model.log_start[i], order, d0);
      if (order >= 1)
        for (int k = 0; k < m; ++k) d.g[k] -= d0.g[k];
      if (order >= 2)
        for (int k = 0; k < m * m; ++k) d.h[k] -= d0.h[k];
    }
    const double w = model.weight ? model.weight[i] : 1.0;
    ll += w * l;
    if (order >= 1) {
      for (int r = 0; r < P; ++r) {
        gr[r] = v[pv[r]] * w;
        grad[r] += gr[r] * d.g[pk[r]];
      }
    }
    if (order >= 2) {
      for (int s = 0; s < P; ++s) {
        const double* hrow = d.h + pk[s] * m;
        const double vs = v[pv[s]];
        double* col = hess + static_cast<std::ptrdiff_t>(s) * P;
        for (int r = 0; r <= s; ++r) col[r] += gr[r] * vs * hrow[pk[r]];
      }
    }
  }
  out.loglik += ll;
}

/// evaluate() of a family: both halves of the rows, then their sum (half 0 first), Hessian
/// symmetrised. A non-finite log-likelihood is returned as -inf.
template <class Fam>
Evaluation accumulate(const Fam& fam, const Model& model, const Eigen::VectorXd& beta, int order) {
  const int P = model.npar();
  Evaluation half[2];
  for (auto& e : half) {
    if (order >= 1) e.grad = Eigen::VectorXd::Zero(P);
    if (order >= 2) e.hess = Eigen::MatrixXd::Zero(P, P);
  }
  two_halves(model.n, [&](int h) {
    const HalfRange r = half_range(model.n, h);
    accumulate_rows(fam, model, beta, order, r.lo, r.hi, half[h]);
  });
  Evaluation out;
  out.loglik = half[0].loglik + half[1].loglik;
  if (order >= 1) out.grad = half[0].grad + half[1].grad;
  if (order >= 2) {
    out.hess = half[0].hess + half[1].hess;
    for (int s = 0; s < P; ++s)
      for (int r = 0; r < s; ++r) out.hess(s, r) = out.hess(r, s);
  }
  if (!std::isfinite(out.loglik)) out.loglik = -std::numeric_limits<double>::infinity();
  return out;
}

/// log f / log S at several times by a family's per-row functions (the default of Family::log_f).
template <class Fam>
void rows_at(const Fam& fam, bool density, const double* th, const std::vector<double>& t,
             int order, double* value, Deriv* deriv) {
  Deriv scratch;
  for (std::size_t i = 0; i < t.size(); ++i) {
    Deriv& d = deriv ? deriv[i] : scratch;
    const double lt = std::log(t[i]);
    value[i] = density ? fam.log_f_row(th, t[i], lt, order, d) : fam.log_s_row(th, t[i], lt, order, d);
  }
}

/// A family computed row by row by a functor `Rows` (log_f_row / log_s_row, as rows_at and
/// accumulate take them): the likelihood and the curves at given times come from the functor, so a
/// family states only its parameters, quantile and mean. Every family but the generalised gamma.
template <class Rows>
class RowFamily : public Family {
 public:
  Evaluation evaluate(const Model& model, const Eigen::VectorXd& beta, int order) const override {
    return accumulate(rows_, model, beta, order);
  }
  void log_f(const double* th, const std::vector<double>& t, int order, double* value,
             Deriv* deriv) const override {
    rows_at(rows_, true, th, t, order, value, deriv);
  }
  void log_s(const double* th, const std::vector<double>& t, int order, double* value,
             Deriv* deriv) const override {
    rows_at(rows_, false, th, t, order, value, deriv);
  }

 protected:
  Rows rows_{};
};

/// Weibull and log-logistic: z = a (log t - log b) with theta = (log a, log b). A function
/// F(z) + c theta_0 then has gradient F' dz + (c, 0) and Hessian F'' dz dz' + F' d2z, with
/// dz = (z, -a), d2z = ((z, -a), (-a, 0)).
inline void shape_scale_chain(double z, double a, double f1, double f2, double c0, int order,
                              Deriv& d) {
  if (order >= 1) {
    d.g[0] = f1 * z + c0;
    d.g[1] = -f1 * a;
  }
  if (order >= 2) {
    d.h[0] = f2 * z * z + f1 * z;
    d.h[1] = d.h[2] = -f2 * z * a - f1 * a;
    d.h[3] = f2 * a * a;
  }
}

/// Fills the Hessian's symmetric entries h[j*m+k] = h[k*m+j] for k < j from the lower ones.
inline void symmetrise(double* h, int m) {
  for (int j = 0; j < m; ++j)
    for (int k = 0; k < j; ++k) h[k * m + j] = h[j * m + k];
}

}  // namespace hazard::detail::parametric
