// Exponential distribution, flexsurv's "exp": one parameter, rate lambda > 0, estimated as
// theta = log(lambda) (the location: covariates act on log rate, a PH model).
//   S(t) = exp(-lambda t),  f(t) = lambda exp(-lambda t),  h(t) = lambda.
//   log S = -e^theta t:        d/dtheta = -lambda t,      d2 = -lambda t
//   log f = theta - e^theta t: d/dtheta = 1 - lambda t,   d2 = -lambda t
// Median log(2)/lambda, quantile -log(s)/lambda, mean 1/lambda. survreg(dist = "exponential")
// reports -log(lambda) as its intercept and the negated effects.
#include <cmath>

#include "parametric/family.hpp"

namespace hazard::detail::parametric {
namespace {

struct ExponentialRows {
  double log_s_row(const double* th, double t, double, int order, Deriv& d) const {
    const double lt = std::exp(th[0]) * t;
    if (order >= 1) d.g[0] = -lt;
    if (order >= 2) d.h[0] = -lt;
    return -lt;
  }
  double log_f_row(const double* th, double t, double, int order, Deriv& d) const {
    const double lt = std::exp(th[0]) * t;
    if (order >= 1) d.g[0] = 1 - lt;
    if (order >= 2) d.h[0] = -lt;
    return th[0] - lt;
  }
};

class Exponential final : public RowFamily<ExponentialRows> {
 public:
  int m() const override { return 1; }
  double quantile(const double* th, double s) const override { return -std::log(s) / std::exp(th[0]); }
  double mean(const double* th) const override { return std::exp(-th[0]); }
};

}  // namespace

std::unique_ptr<Family> make_exponential() { return std::make_unique<Exponential>(); }

}  // namespace hazard::detail::parametric
