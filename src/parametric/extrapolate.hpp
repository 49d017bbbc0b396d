// Pieces of the extrapolation shared with the simulation of draws (internal).
#pragma once

#include <vector>

#include <Eigen/Dense>

#include "hazard/parametric.hpp"
#include "parametric/family.hpp"

namespace hazard::detail::parametric {

/// theta at covariates and its Jacobian in the full parameter vector (m x k).
struct CurveTheta {
  std::vector<double> th{};
  Eigen::MatrixXd jac{};
};
CurveTheta curve_theta(const ParametricFit& fit, const Eigen::VectorXd& beta,
                       const CurveCovariates& at);

/// int_0^tau S(t) dt at theta (tau = +inf: the mean, with the family's tail integral), and for
/// order 1 its gradient in theta (m entries) in `grad` (may be null for order 0).
double integrate_survival(const Family& fam, const double* th, double tau, int order, int m,
                          double* grad);

}  // namespace hazard::detail::parametric
