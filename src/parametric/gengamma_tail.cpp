// Tabulated survival function of the standardised generalised gamma; method in gengamma_tail.hpp.
#include "parametric/gengamma_tail.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "parametric/special.hpp"

namespace hazard::detail::parametric {

namespace {

// 5-point Gauss–Legendre on [-1, 1]
constexpr double gl_x[5] = {-0.90617984593866399280, -0.53846931010568309104, 0.0,
                            0.53846931010568309104, 0.90617984593866399280};
constexpr double gl_w[5] = {0.23692688505618908751, 0.47862867049936646804,
                            0.56888888888888888889, 0.47862867049936646804,
                            0.23692688505618908751};

struct Point {
  double lf;  // log f_W
  double a0;  // D' + G_Q
  double b0;  // D'' + G_QQ
};

Point point(double q, const Taylor2& d, double v) {
  const Taylor2 e2 = exp_ratios(q * v).p;
  const double v2 = v * v;
  Point p;
  p.lf = -log_sqrt_2pi - d.v - v2 * e2.v;
  p.a0 = d.d1 + v2 * v * e2.d1;
  p.b0 = d.d2 + v2 * v2 * e2.d2;
  return p;
}

// |d log f_W / dv| = |G_w| = |v E(Qv)|: the local rate at which f_W changes.
double slope(double q, double v) { return std::fabs(v * exp_ratios(q * v).e.v); }

double log_add(double a, double b);

// The integral of f_W over [a, a + width] on the log scale, and the averages of -A0 and
// A0^2 - B0 over it (weights f_W): 5-point Gauss–Legendre on sub-panels narrow enough that f_W
// changes by at most a factor e^(1/2) across each (the right tail of Q > 0 falls like
// exp(-e^(Qv)/Q^2)).
struct Cell {
  double log_int = -std::numeric_limits<double>::infinity();
  double mq = 0, mqq = 0;
};
Cell cell_integral(double q, const Taylor2& d, double a, double width, double log_floor) {
  Cell out;
  const double lf_a = point(q, d, a).lf, lf_b = point(q, d, a + width).lf;
  // a cell whose ends lie 45 below the floor (1e-18 of the integral so far, with room for a
  // mode inside) adds nothing
  if (std::max(lf_a, lf_b) + std::log(width) < log_floor - 45) return out;
  const double rate = std::max(slope(q, a), slope(q, a + width));
  const int k = std::clamp(static_cast<int>(std::ceil(width * rate / 0.5)), 1, 100000);
  const double sub = width / k;
  // sub-panels from the end where f_W is larger, so that a steep side can stop early
  const bool from_right = lf_b > lf_a;
  double lf[5], a0[5], b0[5];
  for (int s = 0; s < k; ++s) {
    const int idx = from_right ? k - 1 - s : s;
    const double left = a + idx * sub, half = 0.5 * sub;
    double ref = -std::numeric_limits<double>::infinity();
    for (int j = 0; j < 5; ++j) {
      const Point p = point(q, d, left + half * (1 + gl_x[j]));
      lf[j] = p.lf;
      a0[j] = p.a0;
      b0[j] = p.b0;
      ref = std::max(ref, p.lf);
    }
    if (!(ref > -std::numeric_limits<double>::infinity())) break;
    double sum = 0, sq = 0, sqq = 0;
    for (int j = 0; j < 5; ++j) {
      const double e = gl_w[j] * half * std::exp(lf[j] - ref);
      sum += e;
      sq -= e * a0[j];
      sqq += e * (a0[j] * a0[j] - b0[j]);
    }
    const double li = ref + std::log(sum);
    const double tot = log_add(out.log_int, li);
    const double r_old = std::exp(out.log_int - tot), r_new = std::exp(li - tot);
    out.mq = out.mq * r_old + (sq / sum) * r_new;
    out.mqq = out.mqq * r_old + (sqq / sum) * r_new;
    out.log_int = tot;
    // the rest of a falling side adds nothing once a sub-panel is 1e-18 of the total
    const bool falling = from_right ? lf[0] < lf[4] : lf[4] < lf[0];
    if (s > 0 && falling && li < std::max(tot, log_floor) - 41.5) break;
  }
  return out;
}

double log_add(double a, double b) {
  if (a == -std::numeric_limits<double>::infinity()) return b;
  if (b == -std::numeric_limits<double>::infinity()) return a;
  return a > b ? a + std::log1p(std::exp(b - a)) : b + std::log1p(std::exp(a - b));
}

}  // namespace

double gengamma_log_fw(double q, double d, double v) {
  return -log_sqrt_2pi - d - v * v * exp_ratios(q * v).p.v;
}

GenGammaTail::GenGammaTail(double q, double w_lo, double w_hi) : q_(q), lo_(w_lo) {
  const double scale = std::max(1.0, std::fabs(q));
  h_ = 0.02 / scale;
  cells_ = std::max(1, static_cast<int>(std::ceil((w_hi - w_lo) / h_)));
  const Taylor2 d = stirling_rest(q);
  const int nodes = cells_ + 1;
  node_.assign(static_cast<std::size_t>(nodes) * 9, std::numeric_limits<double>::quiet_NaN());

  // The tail beyond the last node: panels from there on, each narrow enough for f_W's local
  // rate, growing slowly (the right tail of Q < 0 decays only like exp(-v/|Q|)), until a panel
  // adds less than 1e-18 of the total while f_W falls.
  const double v_end = lo_ + cells_ * h_;
  const double lf_end = point(q, d, v_end).lf;
  Cell tail;
  double a = v_end, width = 0.25 / scale;
  for (int k = 0; k < 100000; ++k) {
    const double w_here = std::min(width, 0.5 / std::max(1e-300, slope(q, a)));
    const Cell c = cell_integral(q, d, a, std::max(w_here, 1e-6), tail.log_int);
    const double tot = log_add(tail.log_int, c.log_int);
    if (std::isnan(tot)) break;
    const double r_old = std::exp(tail.log_int - tot), r_new = std::exp(c.log_int - tot);
    tail.mq = tail.mq * r_old + c.mq * r_new;
    tail.mqq = tail.mqq * r_old + c.mqq * r_new;
    tail.log_int = tot;
    const double lf_a = point(q, d, a).lf;
    a += std::max(w_here, 1e-6);
    const bool falling = point(q, d, a).lf < lf_a;
    if (k >= 4 && falling && c.log_int < tot - 41.5) break;
    width = std::min(width * 1.05, 0.5 * scale);
  }
  double ls = tail.log_int;
  double lq = tail.mq;
  double l2 = tail.mqq;  // S_QQ / S

  auto store = [&](int j, double v, double lf) {
    double* n = &node_[static_cast<std::size_t>(j) * 9];
    const ExpRatios er = exp_ratios(q * v);
    const Taylor2& e1 = er.e;
    const Taylor2& e2 = er.p;
    const double v2 = v * v;
    const double g_w = v * e1.v, g_qw = v2 * e1.d1, g_qqw = v2 * v * e1.d2;
    const double a0 = d.d1 + v2 * v * e2.d1, b0 = d.d2 + v2 * v2 * e2.d2;
    const double r = std::exp(lf - ls);
    const double lqq = l2 - lq * lq;
    const double A = a0 + lq, B = b0 + lqq;
    const double rp = r * (r - g_w);  // dR/dw
    n[0] = ls;
    n[1] = -r;
    n[2] = r * g_w - r * r;
    n[3] = lq;
    n[4] = r * A;
    n[5] = rp * A + r * (g_qw + r * A);
    n[6] = lqq;
    n[7] = r * (B - A * A);
    n[8] = rp * (B - A * A) + r * (g_qqw + n[7] - 2 * A * (g_qw + r * A));
  };
  store(cells_, v_end, lf_end);
  for (int j = cells_ - 1; j >= 0; --j) {
    const double v = lo_ + j * h_;
    const double lf = point(q, d, v).lf;
    const Cell c = cell_integral(q, d, v, h_, ls);
    const double ls_new = log_add(ls, c.log_int);
    const double rho = std::exp(ls - ls_new), kappa = std::exp(c.log_int - ls_new);
    lq = lq * rho + c.mq * kappa;
    l2 = l2 * rho + c.mqq * kappa;
    ls = ls_new;
    store(j, v, lf);
  }
}

namespace {

// Quintic Hermite on [0, 1]: values p, first derivatives m, second a (scaled to the unit cell).
inline double hermite5(double t, double p0, double m0, double a0, double p1, double m1, double a1) {
  const double t2 = t * t, t3 = t2 * t, t4 = t3 * t, t5 = t4 * t;
  const double h0 = 1 - 10 * t3 + 15 * t4 - 6 * t5;
  const double h1 = t - 6 * t3 + 8 * t4 - 3 * t5;
  const double h2 = 0.5 * t2 - 1.5 * t3 + 1.5 * t4 - 0.5 * t5;
  const double h3 = 0.5 * t3 - t4 + 0.5 * t5;
  const double h4 = -4 * t3 + 7 * t4 - 3 * t5;
  const double h5 = 10 * t3 - 15 * t4 + 6 * t5;
  return h0 * p0 + h1 * m0 + h2 * a0 + h3 * a1 + h4 * m1 + h5 * p1;
}

}  // namespace

void GenGammaTail::eval(double w, double& log_s, double& l_q, double& l_qq) const {
  double u = (w - lo_) / h_;
  if (!(u > 0)) u = 0;  // also NaN
  int j = static_cast<int>(u);
  if (j >= cells_) j = cells_ - 1;
  const double t = std::min(1.0, u - j);
  const double* a = &node_[static_cast<std::size_t>(j) * 9];
  const double* b = a + 9;
  const double h = h_, h2 = h_ * h_;
  log_s = hermite5(t, a[0], a[1] * h, a[2] * h2, b[0], b[1] * h, b[2] * h2);
  l_q = hermite5(t, a[3], a[4] * h, a[5] * h2, b[3], b[4] * h, b[5] * h2);
  l_qq = hermite5(t, a[6], a[7] * h, a[8] * h2, b[6], b[7] * h, b[8] * h2);
  if (std::isnan(w)) log_s = l_q = l_qq = w;
}

double GenGammaTail::log_s(double w) const {
  double ls, lq, lqq;
  eval(w, ls, lq, lqq);
  return ls;
}

}  // namespace hazard::detail::parametric
