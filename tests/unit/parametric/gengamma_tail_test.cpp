// The tabulated generalised-gamma tail (src/parametric/gengamma_tail.cpp) against independent
// computations: boost::math::gamma_q / gamma_p (S = Q(a, a e^(Qw)) for Q > 0, P(a, a e^(Qw)) for
// Q < 0, a = 1/Q^2: flexsurv's pgengamma), the normal tail at Q = 0, and central differences in Q
// of log S from Boost for d log S/dQ and d2 log S/dQ2.
#include <gtest/gtest.h>

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>

#include "parametric/gengamma_tail.hpp"
#include "parametric/special.hpp"
#include "tolerances.hpp"

namespace {

using hazard::detail::parametric::GenGammaTail;

// log S_W(w; Q) by Boost (Q != 0), in the form that keeps its relative accuracy in both tails.
double boost_log_s(double q, double w) {
  const double a = 1 / (q * q);
  const double x = a * std::exp(q * w);
  const double s = q > 0 ? boost::math::gamma_q(a, x) : boost::math::gamma_p(a, x);
  return std::log(s);
}

TEST(GenGammaTail, AgreesWithTheIncompleteGammaFunction) {
  for (double q : {-2.0, -0.7, -0.05, 0.02, 0.3, 1.0, 2.5}) {
    const GenGammaTail tail(q, -6, 4);
    for (double w = -6; w <= 4; w += 0.173) {
      const double ref = boost_log_s(q, w);
      if (!std::isfinite(ref) || ref < -700) continue;  // beyond double range of S itself
      EXPECT_NEAR(tail.log_s(w), ref, hazard::tol::gengamma_tail * std::max(1.0, std::fabs(ref)))
          << "Q = " << q << ", w = " << w;
    }
  }
}

TEST(GenGammaTail, IsTheNormalTailAtQZero) {
  const GenGammaTail tail(0, -8, 8);
  for (double w = -8; w <= 8; w += 0.37) {
    const double ref = std::log(0.5 * std::erfc(w / std::sqrt(2.0)));
    EXPECT_NEAR(tail.log_s(w), ref, hazard::tol::gengamma_tail * std::max(1.0, std::fabs(ref))) << w;
  }
}

TEST(GenGammaTail, DeepRightTailKeepsRelativeAccuracy) {
  // S = exp(-e^w) at Q = 1 (Weibull): log S = -e^w, far beyond where S underflows
  const GenGammaTail tail(1, 5, 7);
  for (double w : {5.0, 6.3, 7.0})
    EXPECT_NEAR(tail.log_s(w), -std::exp(w), 1e-11 * std::exp(w)) << w;
}

TEST(GenGammaTail, DerivativesInQAgreeWithDifferencesOfBoost) {
  for (double q : {-1.3, -0.4, 0.6, 1.7}) {
    const GenGammaTail tail(q, -3, 3);
    for (double w = -3; w <= 3; w += 0.5) {
      double ls, lq, lqq;
      tail.eval(w, ls, lq, lqq);
      const double h = 1e-3;
      auto d1 = [&](double s) { return (boost_log_s(q + s, w) - boost_log_s(q - s, w)) / (2 * s); };
      auto d2 = [&](double s) {
        return (boost_log_s(q + s, w) - 2 * boost_log_s(q, w) + boost_log_s(q - s, w)) / (s * s);
      };
      const double n1 = (4 * d1(h / 2) - d1(h)) / 3, n2 = (4 * d2(h / 2) - d2(h)) / 3;
      EXPECT_NEAR(lq, n1, 1e-7 * (1 + std::fabs(n1))) << "Q = " << q << ", w = " << w;
      EXPECT_NEAR(lqq, n2, 1e-6 * (1 + std::fabs(n2))) << "Q = " << q << ", w = " << w;
    }
  }
}

TEST(GenGammaTail, IsSmoothThroughQZero) {
  // the log-likelihood of a censored row must not jump between Q = 0 and tiny Q
  const GenGammaTail t0(0, -3, 3), tp(1e-9, -3, 3), tm(-1e-9, -3, 3), t3(1e-3, -3, 3);
  for (double w : {-2.5, -0.3, 0.0, 1.1, 2.9}) {
    double l0, q0, qq0, lp, qp, qqp;
    t0.eval(w, l0, q0, qq0);
    tp.eval(w, lp, qp, qqp);
    EXPECT_NEAR(lp, l0 + 1e-9 * q0, 1e-14);
    EXPECT_NEAR(tm.log_s(w), l0 - 1e-9 * q0, 1e-14);
    EXPECT_NEAR(qp, q0, 1e-8);
    // first order in Q: log S(Q) = log S(0) + Q L_Q(0) + O(Q^2)
    EXPECT_NEAR(t3.log_s(w), l0 + 1e-3 * q0, 1e-5);
    // at Q = 0, d S/dQ = -(w^2 + 2) phi(w) / 6 (the integral of -v^3/6 phi(v) from w)
    const double phi = std::exp(-0.5 * w * w) / std::sqrt(2 * M_PI);
    EXPECT_NEAR(q0 * std::exp(l0), -(w * w + 2) * phi / 6, 1e-11) << w;
  }
}

}  // namespace
