// Log-logistic distribution, flexsurv's "llogis" (AFT): shape a > 0, scale b > 0, estimated as
// theta = (log a, log b); covariates act on log b (the location).
//   S(t) = 1 / (1 + (t/b)^a),  f(t) = (a/b)(t/b)^(a-1) / (1 + (t/b)^a)^2.
// With z = a (log t - log b) and softplus(z) = log(1 + e^z), p = e^z/(1 + e^z):
//   log S = -softplus(z):              F' = -p,      F'' = -p (1 - p)
//   log f = log a - log t + z - 2 softplus(z): F' = 1 - 2p, F'' = -2 p (1 - p), c = 1
// (shape_scale_chain, family.hpp). Quantile b (1/s - 1)^(1/a); mean b (pi/a) / sin(pi/a) for
// a > 1, infinite otherwise. survreg(dist = "loglogistic"): intercept log b, Log(scale) = -log a.
#include <cmath>
#include <numbers>

#include "parametric/family.hpp"

namespace hazard::detail::parametric {
namespace {

inline double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }
inline double logistic(double z) {
  return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
}

struct LogLogisticRows {
  // exp(theta_0) of the fit's shape, reused for the rows whose shape has no covariate
  double th0 = std::nan(""), a0 = 0;
  double shape(double t0) const { return t0 == th0 ? a0 : std::exp(t0); }

  double log_s_row(const double* th, double, double lt, int order, Deriv& d) const {
    const double a = shape(th[0]);
    const double z = a * (lt - th[1]);
    const double p = logistic(z);
    shape_scale_chain(z, a, -p, -p * (1 - p), 0, order, d);
    return -softplus(z);
  }
  double log_f_row(const double* th, double, double lt, int order, Deriv& d) const {
    const double a = shape(th[0]);
    const double z = a * (lt - th[1]);
    const double p = logistic(z);
    shape_scale_chain(z, a, 1 - 2 * p, -2 * p * (1 - p), 1, order, d);
    return th[0] - lt + z - 2 * softplus(z);
  }
};

class LogLogistic final : public RowFamily<LogLogisticRows> {
 public:
  int m() const override { return 2; }
  Evaluation evaluate(const Model& model, const Eigen::VectorXd& beta, int order) const override {
    LogLogisticRows rows{beta[0], std::exp(beta[0])};
    return accumulate(rows, model, beta, order);
  }
  double quantile(const double* th, double s) const override {
    return std::exp(th[1] + std::log((1 - s) / s) / std::exp(th[0]));
  }
  double mean(const double* th) const override {
    const double a = std::exp(th[0]);
    if (!(a > 1)) return std::numeric_limits<double>::infinity();
    const double x = std::numbers::pi / a;
    return std::exp(th[1]) * x / std::sin(x);
  }
  std::string infinite_mean(const double* th) const override {
    return std::exp(th[0]) > 1 ? std::string() : "log-logistic shape <= 1: the mean is infinite";
  }
};

}  // namespace

std::unique_ptr<Family> make_loglogistic() { return std::make_unique<LogLogistic>(); }

}  // namespace hazard::detail::parametric
