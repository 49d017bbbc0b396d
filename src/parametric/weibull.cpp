// Weibull distribution, flexsurv's "weibull" (AFT): shape a > 0, scale b > 0, estimated as
// theta = (log a, log b); covariates act on log b (the location).
//   S(t) = exp(-(t/b)^a),  h(t) = (a/b)(t/b)^(a-1),  f = h S.
// With z = a (log t - log b): log S = -e^z, log f = log a - log t + z - e^z, so by
// shape_scale_chain (family.hpp): log S has F' = F'' = -e^z; log f has F' = 1 - e^z, F'' = -e^z
// and c = 1 (the log a term).
// Quantile b (-log s)^(1/a); mean b Gamma(1 + 1/a). survreg(dist = "weibull") estimates the same
// model as log T = log b + sigma W with sigma = 1/a (its Log(scale) = -log a); flexsurv's weibullPH
// is the same fit with scale m = b^-a and effects -a beta (ParametricFit::ph).
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>

#include "parametric/family.hpp"

namespace hazard::detail::parametric {
namespace {

struct WeibullRows {
  // exp(theta_0) of the fit's shape, reused for the rows whose shape has no covariate
  double th0 = std::nan(""), a0 = 0;
  double shape(double t0) const { return t0 == th0 ? a0 : std::exp(t0); }

  double log_s_row(const double* th, double, double lt, int order, Deriv& d) const {
    const double a = shape(th[0]);
    const double z = a * (lt - th[1]);
    const double ez = std::exp(z);
    shape_scale_chain(z, a, -ez, -ez, 0, order, d);
    return -ez;
  }
  double log_f_row(const double* th, double, double lt, int order, Deriv& d) const {
    const double a = shape(th[0]);
    const double z = a * (lt - th[1]);
    const double ez = std::exp(z);
    shape_scale_chain(z, a, 1 - ez, -ez, 1, order, d);
    return th[0] - lt + z - ez;
  }
};

class Weibull final : public RowFamily<WeibullRows> {
 public:
  int m() const override { return 2; }
  Evaluation evaluate(const Model& model, const Eigen::VectorXd& beta, int order) const override {
    WeibullRows rows{beta[0], std::exp(beta[0])};
    return accumulate(rows, model, beta, order);
  }
  double quantile(const double* th, double s) const override {
    return std::exp(th[1] + std::log(-std::log(s)) / std::exp(th[0]));
  }
  double mean(const double* th) const override {
    return std::exp(th[1] + boost::math::lgamma(1 + std::exp(-th[0])));
  }
};

}  // namespace

std::unique_ptr<Family> make_weibull() { return std::make_unique<Weibull>(); }

}  // namespace hazard::detail::parametric
