// Royston–Parmar flexible parametric models (Royston & Parmar 2002; flexsurv::flexsurvspline
// with scale = "hazard" or "odds", timescale = "log"): parameters gamma_0..gamma_(K+1), all on the
// identity scale; covariates act on gamma_0 (the location: PH on the hazard scale, PO on the odds
// scale), z effects on gamma_1.. (time-varying effects, flexsurv's gamma1(x) ...).
//
// With x = log t, b(x) the basis and b'(x) its derivative (spline_basis.cpp),
//   s = sum theta_j b_j(x),  s' = sum theta_j b'_j(x)  (ds/dx; must be > 0 at event times)
// hazard scale (log cumulative hazard s):
//   log S = -e^s:                         g = -e^s b,            H = -e^s b b'
//   log f = log s' - log t + s - e^s:     g = b'/s' + (1 - e^s) b, H = -b' b''/s'^2 - e^s b b'
// odds scale (log cumulative odds s), p = e^s/(1 + e^s):
//   log S = -log(1 + e^s):                g = -p b,              H = -p (1 - p) b b'
//   log f = log s' - log t + s - 2 log(1 + e^s): g = b'/s' + (1 - 2p) b, H = -b'b''/s'^2 - 2p(1-p) bb'
// (b'' here means the outer product of the derivative vectors). A non-positive s' gives
// f = 0 (log f = -inf), as flexsurv, which the fit's step halving then avoids.
// Quantile: the first x where s(x) reaches the target (log(-log s) or log((1 - s)/s)), by a scan
// from below the first knot then bisection. Mean: quadrature (extrapolate.cpp); infinite when
// the slope of s beyond the last knot is <= 0 (hazard) or <= 1 (odds).
#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <numbers>

#include "parametric/family.hpp"

namespace hazard::detail::parametric {
namespace {

inline double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }
inline double logistic(double z) {
  return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
}

struct RpRows {
  bool odds = false;
  std::vector<double> knots;
  int m = 2;

  double spline(const double* th, double x, double* b, double* db, double& ds) const {
    spline_basis(knots, x, b, db);
    double s = 0;
    ds = 0;
    for (int j = 0; j < m; ++j) {
      s += th[j] * b[j];
      ds += th[j] * db[j];
    }
    return s;
  }

  double log_s_row(const double* th, double, double lt, int order, Deriv& d) const {
    double b[max_par], db[max_par], ds;
    const double s = spline(th, lt, b, db, ds);
    double f1, f2, value;  // d log S/ds, d2 log S/ds2
    if (odds) {
      const double p = logistic(s);
      value = -softplus(s);
      f1 = -p;
      f2 = -p * (1 - p);
    } else {
      const double es = std::exp(s);
      value = -es;
      f1 = f2 = -es;
    }
    if (order >= 1)
      for (int j = 0; j < m; ++j) d.g[j] = f1 * b[j];
    if (order >= 2)
      for (int j = 0; j < m; ++j)
        for (int k = 0; k < m; ++k) d.h[j * m + k] = f2 * b[j] * b[k];
    return value;
  }

  double log_f_row(const double* th, double, double lt, int order, Deriv& d) const {
    double b[max_par], db[max_par], ds;
    const double s = spline(th, lt, b, db, ds);
    if (!(ds > 0)) {
      if (order >= 1)
        for (int j = 0; j < m; ++j) d.g[j] = 0;
      if (order >= 2)
        for (int j = 0; j < m * m; ++j) d.h[j] = 0;
      return -std::numeric_limits<double>::infinity();
    }
    double f1, f2, value;
    if (odds) {
      const double p = logistic(s);
      value = std::log(ds) - lt + s - 2 * softplus(s);
      f1 = 1 - 2 * p;
      f2 = -2 * p * (1 - p);
    } else {
      const double es = std::exp(s);
      value = std::log(ds) - lt + s - es;
      f1 = 1 - es;
      f2 = -es;
    }
    const double ids = 1 / ds;
    if (order >= 1)
      for (int j = 0; j < m; ++j) d.g[j] = db[j] * ids + f1 * b[j];
    if (order >= 2)
      for (int j = 0; j < m; ++j)
        for (int k = 0; k < m; ++k)
          d.h[j * m + k] = -db[j] * db[k] * ids * ids + f2 * b[j] * b[k];
    return value;
  }
};

class RoystonParmar final : public RowFamily<RpRows> {
 public:
  RoystonParmar(bool odds, const std::vector<double>& knots) {
    rows_.odds = odds;
    rows_.knots = knots;
    rows_.m = static_cast<int>(knots.size());
  }
  int m() const override { return rows_.m; }
  double quantile(const double* th, double s) const override {
    const double target = rows_.odds ? std::log((1 - s) / s) : std::log(-std::log(s));
    double b[max_par], db[max_par], ds;
    const double k0 = rows_.knots.front(), k1 = rows_.knots.back();
    const double span = std::max(1.0, k1 - k0);
    // scan upwards from far below the first knot for the first point at or above the target
    double x = k0 - 20 * span, prev = x;
    const double step = span / 25;
    if (rows_.spline(th, x, b, db, ds) >= target) return std::exp(x);
    bool found = false;
    for (int k = 0; k < 25 * 80; ++k) {
      prev = x;
      x += step;
      if (rows_.spline(th, x, b, db, ds) >= target) {
        found = true;
        break;
      }
    }
    if (!found) return std::numeric_limits<double>::infinity();
    double lo = prev, hi = x;
    for (int k = 0; k < 200 && hi - lo > 1e-15 * (1 + std::fabs(hi)); ++k) {
      const double mid = 0.5 * (lo + hi);
      (rows_.spline(th, mid, b, db, ds) >= target ? hi : lo) = mid;
    }
    return std::exp(0.5 * (lo + hi));
  }
  std::string infinite_mean(const double* th) const override {
    double b[max_par], db[max_par], ds;
    rows_.spline(th, rows_.knots.back() + 1, b, db, ds);
    if (rows_.odds && !(ds > 1))
      return "rp-odds: the slope of the log cumulative odds beyond the last knot is <= 1, the "
             "mean is infinite";
    if (!rows_.odds && !(ds > 0))
      return "rp-hazard: the log cumulative hazard does not increase beyond the last knot, the "
             "mean is infinite";
    return {};
  }
  double mean(const double* th) const override {
    return infinite_mean(th).empty() ? std::nan("") : std::numeric_limits<double>::infinity();
  }
  // Beyond the last knot s = c0 + c1 log t, lambda = e^c0:
  //   hazard: int_T^inf exp(-lambda t^c1) dt = lambda^(-1/c1) Gamma(1 + 1/c1) Q(1/c1, lambda T^c1)
  //   odds:   int_T^inf dt / (1 + lambda t^c1) = (1/c1) lambda^(-1/c1) B(a, 1 - a)
  //           * I^c_v(a, 1 - a), a = 1/c1, v = y/(1 + y), y = lambda T^c1
  double tail_integral(const double* th, double t) const override {
    double b[max_par], db[max_par], c1;
    const double x = std::max(std::log(t), rows_.knots.back());
    const double s = rows_.spline(th, x, b, db, c1);
    const double c0 = s - c1 * x;
    if (std::log(t) < rows_.knots.back()) return std::nan("");  // the caller starts beyond it
    if (rows_.odds) {
      if (!(c1 > 1)) return std::numeric_limits<double>::infinity();
      const double a = 1 / c1, y = std::exp(c0 + c1 * x);
      const double v = y / (1 + y);
      return a * std::exp(-c0 * a) * std::numbers::pi / std::sin(std::numbers::pi * a) *
                         boost::math::ibetac(a, 1 - a, v);
    }
    if (!(c1 > 0)) return std::numeric_limits<double>::infinity();
    const double a = 1 / c1;
    const double u = std::exp(c0 + c1 * x);
    return std::exp(-c0 * a + boost::math::lgamma(1 + a)) * boost::math::gamma_q(a, u);
  }
};

}  // namespace

std::unique_ptr<Family> make_royston_parmar(bool odds, const std::vector<double>& knots) {
  return std::make_unique<RoystonParmar>(odds, knots);
}

}  // namespace hazard::detail::parametric
