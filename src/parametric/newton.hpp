// Newton–Raphson maximisation of a log-likelihood with analytic gradient and Hessian (internal).
//
// Step: solve (-H + mu I) delta = g by Cholesky, mu = 0 while -H is positive definite, otherwise
// the smallest mu = 1e-8 * max|diag H| * 10^k that makes it so (Levenberg). Step halving (up to
// 50 times) until the log-likelihood is finite and not lower than before (allowing the rounding
// of a sum over many rows, 1e-12 relative). When an undamped step's Newton decrement g' delta / 2
// (the predicted gain, in log-likelihood units) is below `tolerance`, that step is taken (if it
// does not lower the log-likelihood) and the fit has converged if the decrement at the new point,
// from the derivatives evaluated there anyway, is below 1e-14 * tolerance (estimates within
// ~1e-10 standard errors of the maximum); otherwise Newton goes on, for at most three such
// polishing steps (beyond them the decrement is rounding noise). So one evaluation past the
// quadratic phase usually suffices. Not converged: max_iter reached, or no step improves
// (message says which).
#pragma once

#include <functional>
#include <string>

#include <Eigen/Dense>

#include "parametric/family.hpp"

namespace hazard::detail::parametric {

struct NewtonResult {
  Eigen::VectorXd beta{};
  Evaluation at{};       ///< order-2 evaluation at beta
  bool converged = false;
  int iterations = 0;
  std::string message{};
};

using Objective = std::function<Evaluation(const Eigen::VectorXd&, int)>;

/// Maximises `f` from `start` (where f must be finite; NumericalError otherwise).
NewtonResult newton_maximise(const Objective& f, const Eigen::VectorXd& start, int max_iter,
                             double tolerance);

}  // namespace hazard::detail::parametric
