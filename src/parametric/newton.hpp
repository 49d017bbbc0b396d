// Newton–Raphson maximisation of a log-likelihood with analytic gradient and Hessian (internal).
//
// Step: solve (-H + mu I) delta = g by Cholesky, mu = 0 while -H is positive definite, otherwise
// the smallest mu = 1e-8 * max|diag H| * 10^k that makes it so (Levenberg). Step halving (up to
// 50 times) until the log-likelihood is finite and not lower than before (allowing the rounding
// of a sum over many rows, 1e-12 relative). Converged when an undamped step's Newton decrement
// g' delta / 2 (the predicted gain, in log-likelihood units) is below `tolerance`; that last step
// is taken when it does not lower the log-likelihood. Not converged: max_iter reached, or no step
// improves (message says which).
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
