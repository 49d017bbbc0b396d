// Generalised gamma distribution (Prentice 1975), flexsurv's "gengamma": mu, sigma > 0, Q (any
// real), estimated as theta = (mu, log sigma, Q); covariates act on mu (the location: AFT).
// Q = 0 is the log-normal, Q = 1 the Weibull (shape 1/sigma, scale e^mu), Q = sigma the gamma.
//
// With w = (log t - mu)/sigma, z = Q w and f_W, D, G as in gengamma_tail.hpp:
//   log f(t) = -log t - log sigma - log(2 pi)/2 - D(Q) - G(Q, w)
//     G_w = w E(z), G_ww = e^z, G_Q = w^3 phi2'(z), G_QQ = w^4 phi2''(z), G_Qw = w^2 E'(z)
//   log S(t) = log S_W(w; Q) from the table (GenGammaTail), with
//     d/dw = -R, d2/dw2 = R G_w - R^2, d2/dw dQ = R (D' + G_Q + L_Q), R = f_W(w)/S_W(w)
// and the chain rule through dw/dtheta = (-1/sigma, -w, 0), d2w/dmu dlog sigma = 1/sigma,
// d2w/dlog sigma2 = w. Each evaluation tabulates S_W once per distinct Q among the censored and
// entry rows, over their range of w.
// Quantile: from boost::math::gamma_q_inv / gamma_p_inv (|Q| >= 0.01), else by bisection on the
// table. Mean: e^mu Q^(2 sigma/Q) Gamma(a + sigma/Q)/Gamma(a), a = 1/Q^2, finite iff
// 1 + sigma Q > 0, written as mu + lm(sigma Q)/Q^2 + (sigma/Q - 1/2) log1p(sigma Q)
// + delta(a (1 + sigma Q)) - delta(a), lm(x) = log1p(x) - x, which is stable as Q -> 0 (limit:
// the log-normal mean exp(mu + sigma^2/2)).
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>

#include "hazard/error.hpp"
#include "parametric/family.hpp"
#include "parametric/gengamma_tail.hpp"
#include "parametric/special.hpp"

namespace hazard::detail::parametric {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// delta(x) = lgamma(x) - (x - 1/2) log x + x - log(2 pi)/2
double stirling_delta(double x) {
  if (x >= 10) {
    static constexpr double c[8] = {1.0 / 12,   -1.0 / 360,      1.0 / 1260, -1.0 / 1680,
                                    1.0 / 1188, -691.0 / 360360, 1.0 / 156,  -3617.0 / 122400};
    const double r = 1 / (x * x);
    double p = 1 / x, s = 0;
    for (double ck : c) {
      s += ck * p;
      p *= r;
    }
    return s;
  }
  return boost::math::lgamma(x) - (x - 0.5) * std::log(x) + x - log_sqrt_2pi;
}

// log1p(x) - x
double log1p_minus(double x) {
  if (std::fabs(x) < 0.1) {
    double s = 0, p = x * x;
    for (int k = 2; k < 20; ++k) {
      s += ((k % 2) ? 1.0 : -1.0) * p / k;
      p *= x;
    }
    return s;
  }
  return std::log1p(x) - x;
}

struct GenGammaRows {
  std::vector<GenGammaTail> tails;
  std::vector<Taylor2> stirling;  // D(Q) of each table
  std::vector<double> dq;         // distinct Q of the rows, and their D(Q) (log f_row's cache)
  std::vector<Taylor2> dval;

  double th1 = std::nan(""), is1 = 0;  // exp(-theta_1) of the fit's sigma (rows without covariates on it)
  double inv_sigma(double t1) const { return t1 == th1 ? is1 : std::exp(-t1); }

  Taylor2 stirling_of(double q) const {
    for (std::size_t k = 0; k < dq.size(); ++k)
      if (dq[k] == q) return dval[k];
    return stirling_rest(q);
  }

  std::size_t nearest(double q) const {
    std::size_t best = 0;
    for (std::size_t k = 1; k < tails.size(); ++k)
      if (std::fabs(tails[k].q() - q) < std::fabs(tails[best].q() - q)) best = k;
    return best;
  }

  double log_f_row(const double* th, double, double lt, int order, Deriv& d) const {
    const double is = inv_sigma(th[1]), q = th[2];
    const double w = (lt - th[0]) * is, z = q * w;
    const ExpRatios er = exp_ratios(z);
    const Taylor2& e2 = er.p;
    const Taylor2 D = stirling_of(q);
    const double w2 = w * w;
    const double value = -lt - th[1] - log_sqrt_2pi - D.v - w2 * e2.v;
    if (order >= 1) {
      const Taylor2& e1 = er.e;
      const double g_w = w * e1.v, g_q = w2 * w * e2.d1;
      d.g[0] = g_w * is;
      d.g[1] = -1 + g_w * w;
      d.g[2] = -D.d1 - g_q;
      if (order >= 2) {
        const double g_ww = er.ez, g_qw = w2 * e1.d1, g_qq = w2 * w2 * e2.d2;
        d.h[0] = -g_ww * is * is;
        d.h[1] = d.h[3] = -(g_ww * is * w + g_w * is);
        d.h[4] = -(g_ww * w2 + g_w * w);
        d.h[2] = d.h[6] = g_qw * is;
        d.h[5] = d.h[7] = g_qw * w;
        d.h[8] = -D.d2 - g_qq;
      }
    }
    return value;
  }

  double log_s_row(const double* th, double, double lt, int order, Deriv& d) const {
    const double is = inv_sigma(th[1]), q = th[2];
    const double w = (lt - th[0]) * is;
    const std::size_t k = nearest(q);
    double ls, lq, lqq;
    tails[k].eval(w, ls, lq, lqq);
    if (order >= 1) {
      const Taylor2& D = stirling[k];
      const double z = q * w, w2 = w * w;
      const ExpRatios er = exp_ratios(z);
      const Taylor2& e2 = er.p;
      const double r = std::exp(-log_sqrt_2pi - D.v - w2 * e2.v - ls);
      const double sw = -r;
      d.g[0] = -sw * is;
      d.g[1] = -sw * w;
      d.g[2] = lq;
      if (order >= 2) {
        const double g_w = w * er.e.v;
        const double sww = r * g_w - r * r;
        const double swq = r * (D.d1 + w2 * w * e2.d1 + lq);
        d.h[0] = sww * is * is;
        d.h[1] = d.h[3] = sww * is * w + sw * is;
        d.h[4] = sww * w2 + sw * w;
        d.h[2] = d.h[6] = -swq * is;
        d.h[5] = d.h[7] = -swq * w;
        d.h[8] = lqq;
      }
    }
    return ls;
  }
};

// The range of w over the rows that need S, per distinct Q.
struct QRange {
  double q, lo, hi;
};
void add_point(std::vector<QRange>& ranges, double q, double w) {
  if (!std::isfinite(q) || !std::isfinite(w)) return;
  for (QRange& r : ranges)
    if (r.q == q) {
      r.lo = std::min(r.lo, w);
      r.hi = std::max(r.hi, w);
      return;
    }
  if (ranges.size() >= 64)
    throw UsageError(
        "generalised gamma: covariates on Q must take few distinct values (group indicators)");
  ranges.push_back({q, w, w});
}

// Tables for the distinct Q values, each over its range of w.
void build_tails(GenGammaRows& rows, std::vector<QRange> ranges, double q_default) {
  if (ranges.empty()) ranges.push_back({std::isfinite(q_default) ? q_default : 0.0, 0.0, 0.0});
  for (const QRange& r : ranges) {
    rows.tails.emplace_back(r.q, r.lo - 0.05, r.hi + 0.05);
    rows.stirling.push_back(stirling_rest(r.q));
  }
}

class GenGamma final : public Family {
 public:
  int m() const override { return 3; }

  Evaluation evaluate(const Model& model, const Eigen::VectorXd& beta, int order) const override {
    GenGammaRows rows;
    rows.th1 = beta[1];
    rows.is1 = std::exp(-beta[1]);
    std::vector<QRange> ranges;
    double th[max_par];
    // Q varies by row only when the z effects act on it
    const bool q_varies =
        model.q() > 0 && std::find(model.anc.begin(), model.anc.end(), 2) != model.anc.end();
    for (std::size_t i = 0; i < model.n; ++i) {
      const bool cens = !model.status[i];
      const bool entry = model.start && model.start[i] > 0;
      if (!cens && !entry && !q_varies) continue;
      model.theta(beta, i, th);
      if (q_varies && std::find(rows.dq.begin(), rows.dq.end(), th[2]) == rows.dq.end()) {
        if (rows.dq.size() >= 64)
          throw UsageError(
              "generalised gamma: covariates on Q must take few distinct values (group "
              "indicators)");
        rows.dq.push_back(th[2]);
        rows.dval.push_back(stirling_rest(th[2]));
      }
      const double is = rows.inv_sigma(th[1]);
      if (cens) add_point(ranges, th[2], (model.log_time[i] - th[0]) * is);
      if (entry) add_point(ranges, th[2], (model.log_start[i] - th[0]) * is);
    }
    if (!q_varies) {
      rows.dq.push_back(beta[2]);
      rows.dval.push_back(stirling_rest(beta[2]));
    }
    build_tails(rows, std::move(ranges), beta[2]);
    return accumulate(rows, model, beta, order);
  }

  void log_f(const double* th, const std::vector<double>& t, int order, double* value,
             Deriv* deriv) const override {
    GenGammaRows rows;
    rows_at(rows, true, th, t, order, value, deriv);
  }

  void log_s(const double* th, const std::vector<double>& t, int order, double* value,
             Deriv* deriv) const override {
    GenGammaRows rows;
    std::vector<QRange> ranges;
    const double is = std::exp(-th[1]);
    for (double ti : t) add_point(ranges, th[2], (std::log(ti) - th[0]) * is);
    build_tails(rows, std::move(ranges), th[2]);
    rows_at(rows, false, th, t, order, value, deriv);
  }

  double quantile(const double* th, double s) const override {
    const double mu = th[0], sigma = std::exp(th[1]), q = th[2];
    double w;
    if (std::fabs(q) >= 0.01) {
      const double a = 1 / (q * q);
      const double x = q > 0 ? boost::math::gamma_q_inv(a, s) : boost::math::gamma_p_inv(a, s);
      w = (std::log(x) - std::log(a)) / q;
    } else {
      // bisection on the table: near the log-normal, W is within a few units of 0
      const boost::math::normal n;
      const double w0 = boost::math::quantile(boost::math::complement(n, s));
      double lo = w0 - 2, hi = w0 + 2;
      const GenGammaTail tail(q, lo, hi);
      const double target = std::log(s);
      for (int k = 0; k < 200 && hi - lo > 1e-15 * (1 + std::fabs(lo)); ++k) {
        const double mid = 0.5 * (lo + hi);
        (tail.log_s(mid) > target ? lo : hi) = mid;
      }
      w = 0.5 * (lo + hi);
    }
    return std::exp(mu + sigma * w);
  }

  double mean(const double* th) const override {
    const double mu = th[0], sigma = std::exp(th[1]), q = th[2];
    if (q == 0) return std::exp(mu + 0.5 * sigma * sigma);
    const double x = sigma * q;
    if (!(1 + x > 0)) return inf;
    const double a = 1 / (q * q);
    const double lm = mu + log1p_minus(x) / (q * q) + (sigma / q - 0.5) * std::log1p(x) +
                      stirling_delta(a * (1 + x)) - stirling_delta(a);
    return std::exp(lm);
  }
  std::string infinite_mean(const double* th) const override {
    const double x = std::exp(th[1]) * th[2];
    return 1 + x > 0 ? std::string()
                     : "generalised gamma with sigma * Q <= -1: the mean is infinite";
  }
};

}  // namespace

std::unique_ptr<Family> make_gengamma() { return std::make_unique<GenGamma>(); }

}  // namespace hazard::detail::parametric
