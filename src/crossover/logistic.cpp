// Logistic regression by maximum likelihood, as R's glm(y ~ x, family = binomial): the switching
// model of IPCW (pooled over subject-intervals).
//
//   logit P(y_i = 1) = b0 + x_i' b
// Newton-Raphson (= IRLS for the canonical link) from b = 0 (glm starts from mustart = (y + 0.5)/2,
// which leads to the same maximum); information X' W X, W = diag(mu (1 - mu)), solved by LDLT of
// the information. Converged when |dev - dev_old| / (|dev| + 0.1) < eps (glm.control's rule; the
// default here, 1e-12, is tighter than glm's 1e-8 so that the estimate is the maximum to ~1e-10).
// SE = sqrt(diag((X' W X)^-1)) at the estimate, z = b / SE, two-sided normal p (summary.glm).
// Input: y 0/1 per row, x rows x p (no intercept column: it is added first).
#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "hazard/crossover.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

double deviance(const Eigen::VectorXd& eta, const std::vector<std::uint8_t>& y) {
  double dev = 0;
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    // -2 log-likelihood, computed stably: log(1 + exp(-|eta|)) terms
    const double e = eta[i];
    const double log1pexp = e > 0 ? e + std::log1p(std::exp(-e)) : std::log1p(std::exp(e));
    dev += 2 * (log1pexp - (y[static_cast<std::size_t>(i)] ? e : 0.0));
  }
  return dev;
}

}  // namespace

LogisticFit logistic_fit(const Eigen::MatrixXd& x, const std::vector<std::uint8_t>& y,
                         std::vector<std::string> names, const LogisticOptions& o) {
  const Eigen::Index n = x.rows();
  if (static_cast<std::size_t>(n) != y.size())
    throw std::invalid_argument("logistic_fit: x and y differ in rows");
  if (n == 0) throw NumericalError("the switching model has no rows");
  double events = 0;
  for (auto v : y) events += v ? 1 : 0;
  if (events == 0 || events == static_cast<double>(n))
    throw NumericalError(fmt::format("the switching model has {} switches in {} rows: nothing to model",
                                     events, n));
  const Eigen::Index p = x.cols() + 1;
  Eigen::MatrixXd X(n, p);
  X.col(0).setOnes();
  X.rightCols(p - 1) = x;
  LogisticFit f;
  f.names.push_back("(Intercept)");
  for (auto& s : names) f.names.push_back(std::move(s));
  f.n = static_cast<std::size_t>(n);
  f.events = events;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  Eigen::VectorXd eta = Eigen::VectorXd::Zero(n), mu(n);
  double dev = deviance(eta, y);
  Eigen::MatrixXd info(p, p);
  for (int it = 1; it <= o.max_iter; ++it) {
    Eigen::VectorXd score = Eigen::VectorXd::Zero(p);
    Eigen::VectorXd w(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      mu[i] = 1 / (1 + std::exp(-eta[i]));
      w[i] = mu[i] * (1 - mu[i]);
    }
    for (Eigen::Index i = 0; i < n; ++i) score += X.row(i).transpose() * ((y[static_cast<std::size_t>(i)] ? 1.0 : 0.0) - mu[i]);
    info = X.transpose() * w.asDiagonal() * X;
    Eigen::LDLT<Eigen::MatrixXd> ldlt(info);
    if (ldlt.info() != Eigen::Success || ldlt.rcond() < 1e-14)
      throw NumericalError("the switching model's information matrix is singular (collinear covariates, or a "
                           "covariate constant among the modelled rows)");
    Eigen::VectorXd step = ldlt.solve(score);
    // step halving when the deviance rises or is not finite (glm.fit's inner loop)
    double dev_new = 0;
    Eigen::VectorXd beta_new = beta + step;
    for (int h = 0; h < 30; ++h) {
      eta = X * beta_new;
      dev_new = deviance(eta, y);
      if (std::isfinite(dev_new) && dev_new <= dev + 1e-12 * (std::fabs(dev) + 0.1)) break;
      step *= 0.5;
      beta_new = beta + step;
    }
    beta = beta_new;
    f.iterations = it;
    const double change = std::fabs(dev_new - dev) / (std::fabs(dev_new) + 0.1);
    dev = dev_new;
    if (change < o.eps) {
      f.converged = true;
      break;
    }
  }
  eta = X * beta;
  Eigen::VectorXd w(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    mu[i] = 1 / (1 + std::exp(-eta[i]));
    w[i] = mu[i] * (1 - mu[i]);
  }
  info = X.transpose() * w.asDiagonal() * X;
  const Eigen::MatrixXd var = info.ldlt().solve(Eigen::MatrixXd::Identity(p, p));
  f.coef = beta;
  f.se = var.diagonal().cwiseSqrt();
  const boost::math::normal N;
  for (Eigen::Index j = 0; j < p; ++j) {
    f.z.push_back(beta[j] / f.se[j]);
    f.p.push_back(2 * boost::math::cdf(boost::math::complement(N, std::fabs(f.z.back()))));
  }
  f.deviance = dev;
  const double pbar = events / static_cast<double>(n);
  f.null_deviance = -2 * (events * std::log(pbar) + (static_cast<double>(n) - events) * std::log1p(-pbar));
  f.fitted = mu;
  return f;
}

}  // namespace hazard
