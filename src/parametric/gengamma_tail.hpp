// The survival function of the generalised gamma on the standardised scale, tabulated (internal).
//
// W = (log T - mu)/sigma has density (Prentice 1975; flexsurv's dgengamma, rewritten so that it is
// stable at Q = 0):
//   log f_W(v) = -log(2 pi)/2 - D(Q) - G(Q, v),   G(Q, v) = v^2 phi2(Q v) = (e^(Qv) - 1 - Qv)/Q^2,
// D(Q) = delta(1/Q^2) the remainder of Stirling's formula (special.hpp). At Q = 0, D = 0 and
// G = v^2/2: the standard normal (log-normal T). For Q != 0 this is |Q| a^a exp(a(Qv - e^(Qv)))
// / Gamma(a), a = 1/Q^2, i.e. flexsurv's density (the terms of order a cancel analytically).
//
// S(w) = P(W > w) (= gamma_q(a, a e^(Qw)) for Q > 0, gamma_p for Q < 0), and its derivatives
// in Q at fixed w, are the tail integrals of f_W, d f_W/dQ = -f_W A0, d2 f_W/dQ2 = f_W (A0^2 - B0),
// A0 = D' + G_Q, B0 = D'' + G_QQ, G_Q = v^3 phi2'(Qv), G_QQ = v^4 phi2''(Qv). The table holds
//   log S,  L_Q = d log S/dQ,  L_QQ = d2 log S/dQ2
// at nodes w_lo + j h (h = 0.02/max(1, |Q|)) with their first two derivatives in w, all closed
// forms given the node values (R = f_W/S, A = A0 + L_Q, B = B0 + L_QQ):
//   (log S)' = -R,           (log S)'' = R G_w - R^2
//   L_Q'     = R A,          L_Q''     = R (R - G_w) A + R (G_Qw + R A)
//   L_QQ'    = R (B - A^2),  L_QQ''    = R (R - G_w)(B - A^2) + R (G_QQw + L_QQ' - 2 A (G_Qw + R A))
// with G_w = v E(Qv), G_Qw = v^2 E'(Qv), G_QQw = v^3 E''(Qv). A value between nodes is the quintic
// Hermite interpolant (error ~ h^6/46080 times the sixth derivative: ~1e-15 relative).
// The node values come from the integrals accumulated from the right, on the log scale (no
// underflow in either tail): each cell by 5-point Gauss–Legendre, the tail beyond the last node by
// panels until a panel adds less than 1e-17 of the total. The incomplete gamma function is
// therefore never differentiated in its shape, and Q = 0 (and Q near 0) needs no special case.
#pragma once

#include <vector>

namespace hazard::detail::parametric {

class GenGammaTail {
 public:
  /// Tabulates S for parameter Q over [w_lo, w_hi] (w_lo <= w_hi, finite).
  GenGammaTail(double q, double w_lo, double w_hi);

  double q() const { return q_; }
  /// log S(w), d log S/dQ, d2 log S/dQ2 at w in [w_lo, w_hi] (clamped to the range).
  void eval(double w, double& log_s, double& l_q, double& l_qq) const;
  /// log S(w) only.
  double log_s(double w) const;

 private:
  double q_, lo_, h_;
  int cells_ = 0;
  // per node: value, first and second derivative in w, of log S, L_Q, L_QQ
  std::vector<double> node_;  // 9 per node
};

/// log f_W(v) = -log(2 pi)/2 - D(Q) - G(Q, v) (needs D(Q) = stirling_rest(q).v).
double gengamma_log_fw(double q, double d, double v);

}  // namespace hazard::detail::parametric
