// Newton–Raphson with Levenberg damping and step halving; rules in newton.hpp.
#include "parametric/newton.hpp"

#include <cmath>
#include <utility>

#include "hazard/error.hpp"

namespace hazard::detail::parametric {

NewtonResult newton_maximise(const Objective& f, const Eigen::VectorXd& start, int max_iter,
                             double tolerance) {
  const double final_tolerance = 1e-14 * tolerance;
  int polish = 0;
  NewtonResult r;
  r.beta = start;
  r.at = f(r.beta, 2);
  if (!std::isfinite(r.at.loglik))
    throw NumericalError("the log-likelihood is not finite at the starting values");
  const Eigen::Index k = start.size();
  for (int it = 1; it <= max_iter; ++it) {
    r.iterations = it;
    const Eigen::MatrixXd A = -r.at.hess;
    const Eigen::VectorXd& g = r.at.grad;
    if (!g.allFinite() || !A.allFinite()) {
      r.message = "the gradient or Hessian is not finite";
      return r;
    }
    double mu = 0;
    const double scale = std::max(1e-300, A.diagonal().cwiseAbs().maxCoeff());
    Eigen::LLT<Eigen::MatrixXd> llt(A);
    for (int k10 = 0; llt.info() != Eigen::Success && k10 < 40; ++k10) {
      mu = scale * 1e-8 * std::pow(10.0, k10);
      llt.compute(A + mu * Eigen::MatrixXd::Identity(k, k));
    }
    if (llt.info() != Eigen::Success) {
      r.message = "no positive definite damping of the Hessian";
      return r;
    }
    const Eigen::VectorXd delta = llt.solve(g);
    const double decrement = 0.5 * g.dot(delta);
    const bool last = mu == 0 && decrement < tolerance;
    const double floor = r.at.loglik - 1e-12 * std::max(1.0, std::fabs(r.at.loglik));
    double step = 1;
    bool moved = false;
    for (int h = 0; h < 50; ++h, step *= 0.5) {
      const Eigen::VectorXd cand = r.beta + step * delta;
      // the full step is usually taken: evaluate it with its derivatives at once
      Evaluation e0 = f(cand, h == 0 ? 2 : 0);
      if (std::isfinite(e0.loglik) && e0.loglik >= floor) {
        r.beta = cand;
        r.at = h == 0 ? std::move(e0) : f(r.beta, 2);
        moved = true;
        break;
      }
      if (last) break;  // the converged step is only taken when it does not lose
    }
    if (last) {
      if (!moved) {
        r.converged = true;
        r.at = f(r.beta, 2);
        return r;
      }
      // the step taken: converged when the new point's own decrement (from the derivatives just
      // evaluated there, no further evaluation) is negligible; else iterate on
      Eigen::LLT<Eigen::MatrixXd> next(-r.at.hess);
      if (next.info() == Eigen::Success && r.at.grad.allFinite()) {
        const double dec2 = 0.5 * r.at.grad.dot(next.solve(r.at.grad));
        // at most three polishing steps: beyond, the decrement is rounding noise
        if (dec2 < final_tolerance || ++polish >= 3) {
          r.converged = true;
          return r;
        }
      }
      continue;
    }
    if (!moved) {
      r.message = "no step improves the log-likelihood (step halving failed)";
      return r;
    }
  }
  r.message = "the iteration limit was reached before convergence";
  return r;
}

}  // namespace hazard::detail::parametric
