// Gompertz distribution, flexsurv's "gompertz": shape a (any real), rate b > 0, estimated as
// theta = (a, log b); covariates act on log b (the location: a PH model).
//   h(t) = b e^(a t),  H(t) = (b/a)(e^(a t) - 1) = b t E(a t),  E(x) = (e^x - 1)/x (E(0) = 1).
// E and its derivatives come from exp_ratio (special.hpp: Taylor series near 0, so a = 0, the
// exponential, needs no special case). With H = b t E:
//   log S = -H: d/da = -b t^2 E',  d2/da2 = -b t^3 E'',  d/dlog b = -H,  d2/dlog b2 = -H,
//               d2/da dlog b = -b t^2 E'
//   log f = log b + a t - H: adds (t, 1) to the gradient.
// For a < 0, S(inf) = exp(b/a) > 0: a fraction never has the event, so the mean is infinite.
// Quantile: H = -log s gives t = log1p(-a log(s) / b) / a (infinite when 1 + a(-log s)/b <= 0).
#include <cmath>

#include "parametric/family.hpp"
#include "parametric/special.hpp"

namespace hazard::detail::parametric {
namespace {

struct GompertzRows {
  double log_s_row(const double* th, double t, double, int order, Deriv& d) const {
    const double a = th[0], b = std::exp(th[1]);
    const Taylor2 e = exp_ratios(a * t).e;
    const double H = b * t * e.v;
    if (order >= 1) {
      d.g[0] = -b * t * t * e.d1;
      d.g[1] = -H;
    }
    if (order >= 2) {
      d.h[0] = -b * t * t * t * e.d2;
      d.h[1] = d.h[2] = -b * t * t * e.d1;
      d.h[3] = -H;
    }
    return -H;
  }
  double log_f_row(const double* th, double t, double lt, int order, Deriv& d) const {
    const double ls = log_s_row(th, t, lt, order, d);
    if (order >= 1) {
      d.g[0] += t;
      d.g[1] += 1;
    }
    return th[1] + th[0] * t + ls;
  }
};

class Gompertz final : public RowFamily<GompertzRows> {
 public:
  int m() const override { return 2; }
  double quantile(const double* th, double s) const override {
    const double a = th[0], b = std::exp(th[1]), c = -std::log(s);
    if (a == 0) return c / b;
    const double u = a * c / b;
    if (u <= -1) return std::numeric_limits<double>::infinity();
    return std::log1p(u) / a;
  }
  double mean(const double* th) const override {
    if (th[0] < 0) return std::numeric_limits<double>::infinity();
    return std::nan("");  // by quadrature
  }
  std::string infinite_mean(const double* th) const override {
    return th[0] < 0 ? "Gompertz shape < 0: a fraction exp(rate/shape) never has the event, the "
                       "mean is infinite"
                     : std::string();
  }
};

}  // namespace

std::unique_ptr<Family> make_gompertz() { return std::make_unique<Gompertz>(); }

}  // namespace hazard::detail::parametric
