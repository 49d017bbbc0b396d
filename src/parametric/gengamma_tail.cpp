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
  const Taylor2 e2 = exp_ratio2(q * v);
  const double v2 = v * v;
  Point p;
  p.lf = -log_sqrt_2pi - d.v - v2 * e2.v;
  p.a0 = d.d1 + v2 * v * e2.d1;
  p.b0 = d.d2 + v2 * v2 * e2.d2;
  return p;
}

// Integrals over [a, a + width] of exp(lf - ref) times 1, -a0, a0^2 - b0.
struct Sums {
  double s = 0, sq = 0, sqq = 0;
};
Sums panel(double q, const Taylor2& d, double a, double width, double ref) {
  Sums out;
  const double half = 0.5 * width;
  for (int k = 0; k < 5; ++k) {
    const Point p = point(q, d, a + half * (1 + gl_x[k]));
    const double e = gl_w[k] * half * std::exp(p.lf - ref);
    out.s += e;
    out.sq -= e * p.a0;
    out.sqq += e * (p.a0 * p.a0 - p.b0);
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
  return -log_sqrt_2pi - d - v * v * exp_ratio2(q * v).v;
}

GenGammaTail::GenGammaTail(double q, double w_lo, double w_hi) : q_(q), lo_(w_lo) {
  const double scale = std::max(1.0, std::fabs(q));
  h_ = 0.02 / scale;
  cells_ = std::max(1, static_cast<int>(std::ceil((w_hi - w_lo) / h_)));
  const Taylor2 d = stirling_rest(q);
  const int nodes = cells_ + 1;
  node_.assign(static_cast<std::size_t>(nodes) * 9, std::numeric_limits<double>::quiet_NaN());

  // The tail beyond the last node, relative to f_W there; panels widen slowly (the right tail of
  // Q < 0 decays only like exp(-v/|Q|)).
  const double v_end = lo_ + cells_ * h_;
  const double lf_end = point(q, d, v_end).lf;
  Sums tail;
  double a = v_end, width = 0.25 / scale;
  double prev_lf = lf_end;
  for (int k = 0; k < 200000; ++k) {
    const Sums s = panel(q, d, a, width, lf_end);
    tail.s += s.s;
    tail.sq += s.sq;
    tail.sqq += s.sqq;
    a += width;
    const double lf_next = point(q, d, a).lf;
    const bool falling = lf_next < prev_lf;
    prev_lf = lf_next;
    if (!(s.s == s.s)) break;  // NaN: give up (the node values become NaN)
    if (k >= 4 && falling && s.s <= 1e-17 * tail.s) break;
    width = std::min(width * 1.05, 0.5 * scale);
  }
  double ls = lf_end + std::log(tail.s);
  double lq = tail.sq / tail.s;
  double l2 = tail.sqq / tail.s;  // S_QQ / S

  auto store = [&](int j, double v, double lf) {
    double* n = &node_[static_cast<std::size_t>(j) * 9];
    const Taylor2 e1 = exp_ratio(q * v);
    const Taylor2 e2 = exp_ratio2(q * v);
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
    const Sums c = panel(q, d, v, h_, lf);
    const double ls_new = log_add(ls, lf + std::log(c.s));
    const double rho = std::exp(ls - ls_new), kappa = std::exp(lf - ls_new);
    lq = lq * rho + c.sq * kappa;
    l2 = l2 * rho + c.sqq * kappa;
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
