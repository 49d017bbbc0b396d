// Weibull accelerated failure time model by maximum likelihood, as R's
// survreg(Surv(time, status) ~ x, dist = "weibull"):
//
//   log T_i = eta_i + sigma W_i,  eta_i = b0 + x_i' b,  W standard minimum extreme value
//   (S_W(w) = exp(-e^w)), tau = log sigma;  z_i = (log t_i - eta_i) / sigma
//   l = sum_i d_i (-tau - log t_i + z_i - e^z_i) + (1 - d_i) (-e^z_i)   (survreg's loglik, on the
//       time scale: it includes the Jacobian -log t of the events)
//   dl/db   = sum x_i (e^z_i - d_i) / sigma,        dl/dtau = sum z_i (e^z_i - d_i) - d_i
//   d2l/db2 = -sum x_i x_i' e^z_i / sigma^2,       d2l/db dtau = -sum x_i (z_i e^z_i + e^z_i - d_i) / sigma
//   d2l/dtau2 = -sum z_i (e^z_i - d_i) + z_i^2 e^z_i
// Newton-Raphson from the exponential fit of the intercept (b0 = log(sum t / sum d), b = 0,
// tau = 0), step halving while the log-likelihood falls, a Levenberg shift when -H is not
// positive definite; converged when |l - l_old| <= eps |l| (survreg's rel.tolerance rule, here
// 1e-12 by default against survreg's 1e-9). Variance = (-H)^-1 at the estimate, rows and
// columns (b0, b, log(scale)) as survreg's var.
// Input: time > 0 (finite), status 0/1, x rows x q without an intercept column.
#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "hazard/crossover.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

struct Eval {
  double loglik = 0;
  Eigen::VectorXd grad;
  Eigen::MatrixXd hess;
};

Eval evaluate(const Eigen::VectorXd& theta, const Eigen::MatrixXd& X, const std::vector<double>& logt,
              const std::vector<std::uint8_t>& d, bool derivatives) {
  const Eigen::Index n = X.rows(), p = X.cols();
  const double tau = theta[p], sigma = std::exp(tau);
  const Eigen::VectorXd eta = X * theta.head(p);
  Eval e;
  if (derivatives) {
    e.grad = Eigen::VectorXd::Zero(p + 1);
    e.hess = Eigen::MatrixXd::Zero(p + 1, p + 1);
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto ii = static_cast<std::size_t>(i);
    const double z = (logt[ii] - eta[i]) / sigma, ez = std::exp(z);
    const double di = d[ii] ? 1.0 : 0.0;
    e.loglik += di * (-tau - logt[ii] + z) - ez;
    if (!derivatives) continue;
    const auto xi = X.row(i).transpose();
    e.grad.head(p) += xi * ((ez - di) / sigma);
    e.grad[p] += z * (ez - di) - di;
    e.hess.topLeftCorner(p, p) -= xi * xi.transpose() * (ez / (sigma * sigma));
    const Eigen::VectorXd cross = -xi * ((z * ez + ez - di) / sigma);
    e.hess.col(p).head(p) += cross;
    e.hess(p, p) -= z * (ez - di) + z * z * ez;
  }
  if (derivatives) e.hess.row(p).head(p) = e.hess.col(p).head(p).transpose();
  return e;
}

}  // namespace

WeibullAftFit weibull_aft(const std::vector<double>& time, const std::vector<std::uint8_t>& status,
                          const Eigen::MatrixXd& x, std::vector<std::string> names,
                          const WeibullAftOptions& o) {
  const std::size_t n = time.size();
  if (status.size() != n || static_cast<std::size_t>(x.rows()) != n)
    throw std::invalid_argument("weibull_aft: lengths differ");
  if (n == 0) throw NumericalError("the AFT model has no rows");
  std::vector<double> logt(n);
  double sum_t = 0, events = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(time[i] > 0) || !std::isfinite(time[i]))
      throw NumericalError(fmt::format("the AFT model needs times > 0 (found {})", time[i]));
    logt[i] = std::log(time[i]);
    sum_t += time[i];
    events += status[i] ? 1 : 0;
  }
  if (events == 0) throw NumericalError("the AFT model has no events");
  const Eigen::Index p = x.cols() + 1;
  Eigen::MatrixXd X(static_cast<Eigen::Index>(n), p);
  X.col(0).setOnes();
  X.rightCols(p - 1) = x;
  WeibullAftFit f;
  f.names.push_back("(Intercept)");
  for (auto& s : names) f.names.push_back(std::move(s));
  f.names.push_back("Log(scale)");
  f.n = n;
  f.events = events;
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(p + 1);
  theta[0] = std::log(sum_t / events);
  Eval e = evaluate(theta, X, logt, status, true);
  for (int it = 1; it <= o.max_iter; ++it) {
    Eigen::MatrixXd info = -e.hess;
    double shift = 0;
    Eigen::LLT<Eigen::MatrixXd> llt(info);
    while (llt.info() != Eigen::Success) {
      shift = shift == 0 ? 1e-6 * (1 + info.diagonal().cwiseAbs().maxCoeff()) : shift * 10;
      if (!std::isfinite(shift)) throw NumericalError("the AFT model's information matrix is not finite");
      llt.compute(info + shift * Eigen::MatrixXd::Identity(p + 1, p + 1));
    }
    Eigen::VectorXd step = llt.solve(e.grad);
    Eigen::VectorXd next = theta + step;
    Eval en = evaluate(next, X, logt, status, false);
    for (int h = 0; h < 40 && !(std::isfinite(en.loglik) && en.loglik >= e.loglik - 1e-12 * std::fabs(e.loglik)); ++h) {
      step *= 0.5;
      next = theta + step;
      en = evaluate(next, X, logt, status, false);
    }
    if (!std::isfinite(en.loglik)) throw NumericalError("the AFT model's log-likelihood is not finite");
    const double old = e.loglik;
    theta = next;
    e = evaluate(theta, X, logt, status, true);
    f.iterations = it;
    if (std::fabs(e.loglik - old) <= o.eps * std::fabs(e.loglik)) {
      f.converged = true;
      break;
    }
  }
  Eigen::LDLT<Eigen::MatrixXd> ldlt(-e.hess);
  if (ldlt.info() != Eigen::Success || ldlt.rcond() < 1e-14)
    throw NumericalError("the AFT model's information matrix is singular (collinear covariates, or no "
                         "switchers or no non-switchers among the progressed control patients)");
  f.var = ldlt.solve(Eigen::MatrixXd::Identity(p + 1, p + 1));
  f.coef = theta;
  f.scale = std::exp(theta[p]);
  f.loglik = e.loglik;
  const boost::math::normal N;
  for (Eigen::Index j = 0; j <= p; ++j) {
    f.se.push_back(std::sqrt(f.var(j, j)));
    f.z.push_back(theta[j] / f.se.back());
    f.p.push_back(2 * boost::math::cdf(boost::math::complement(N, std::fabs(f.z.back()))));
  }
  return f;
}

}  // namespace hazard
