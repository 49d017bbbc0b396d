// Log-normal distribution, flexsurv's "lnorm": meanlog mu, sdlog sigma > 0, estimated as
// theta = (mu, log sigma); covariates act on mu (the location: AFT).
// With w = (log t - mu)/sigma: dw = (-1/sigma, -w), d2w = ((0, 1/sigma), (1/sigma, w)).
//   log f = -log t - log sigma - log(2 pi)/2 - w^2/2:
//       gradient -w dw - (0, 1), Hessian -(dw dw' + w d2w)
//   log S = L(w) = log(1 - Phi(w)) (log_norm_upper, special.hpp: stable in both tails),
//       L' = -r, L'' = -r (r - w), r = phi(w)/(1 - Phi(w)) = exp(log phi(w) - L(w)):
//       gradient L' dw, Hessian L'' dw dw' + L' d2w.
// Quantile exp(mu + sigma Phi^-1(1 - s)); mean exp(mu + sigma^2/2). survreg(dist = "lognormal"):
// intercept mu, Log(scale) = log sigma.
#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "parametric/family.hpp"
#include "parametric/special.hpp"

namespace hazard::detail::parametric {
namespace {

struct LogNormalRows {
  // exp(-theta_1) of the fit's sdlog, reused for the rows whose sdlog has no covariate
  double th1 = std::nan(""), is1 = 0;
  double inv_sigma(double t1) const { return t1 == th1 ? is1 : std::exp(-t1); }

  double log_s_row(const double* th, double, double lt, int order, Deriv& d) const {
    const double is = inv_sigma(th[1]);
    const double w = (lt - th[0]) * is;
    const double L = log_norm_upper(w);
    if (order >= 1) {
      const double r = std::exp(-0.5 * w * w - log_sqrt_2pi - L);
      const double L1 = -r;
      d.g[0] = -L1 * is;
      d.g[1] = -L1 * w;
      if (order >= 2) {
        const double L2 = -r * (r - w);
        d.h[0] = L2 * is * is;
        d.h[1] = d.h[2] = L2 * is * w + L1 * is;
        d.h[3] = L2 * w * w + L1 * w;
      }
    }
    return L;
  }
  double log_f_row(const double* th, double, double lt, int order, Deriv& d) const {
    const double is = inv_sigma(th[1]);
    const double w = (lt - th[0]) * is;
    if (order >= 1) {
      d.g[0] = w * is;
      d.g[1] = w * w - 1;
    }
    if (order >= 2) {
      d.h[0] = -is * is;
      d.h[1] = d.h[2] = -2 * w * is;
      d.h[3] = -2 * w * w;
    }
    return -lt - th[1] - log_sqrt_2pi - 0.5 * w * w;
  }
};

class LogNormal final : public RowFamily<LogNormalRows> {
 public:
  int m() const override { return 2; }
  Evaluation evaluate(const Model& model, const Eigen::VectorXd& beta, int order) const override {
    LogNormalRows rows{beta[1], std::exp(-beta[1])};
    return accumulate(rows, model, beta, order);
  }
  double quantile(const double* th, double s) const override {
    const boost::math::normal n;
    return std::exp(th[0] + std::exp(th[1]) * boost::math::quantile(boost::math::complement(n, s)));
  }
  double mean(const double* th) const override {
    const double sigma = std::exp(th[1]);
    return std::exp(th[0] + 0.5 * sigma * sigma);
  }
};

}  // namespace

std::unique_ptr<Family> make_lognormal() { return std::make_unique<LogNormal>(); }

}  // namespace hazard::detail::parametric
