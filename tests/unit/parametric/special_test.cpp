// Stable special functions of the parametric families (src/parametric/special.cpp) against
// closed forms evaluated where they have no cancellation, and against Boost.
#include <gtest/gtest.h>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <cmath>

#include "parametric/special.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

namespace dp = hazard::detail::parametric;

TEST(Special, LogNormalUpperTail) {
  // R 4.2.2: print(pnorm(w, lower.tail = FALSE, log.p = TRUE), digits = 17)
  EXPECT_TRUE(hazard::test::near_rel(dp::log_norm_upper(0), -0.69314718055994529, 1e-15));
  EXPECT_TRUE(hazard::test::near_rel(dp::log_norm_upper(-8), -6.2209605742717868e-16, 1e-10));
  EXPECT_TRUE(hazard::test::near_rel(dp::log_norm_upper(5), -15.064998393988725, 1e-13));
  EXPECT_TRUE(hazard::test::near_rel(dp::log_norm_upper(29.9), -451.32291245852861, 1e-13));
  EXPECT_TRUE(hazard::test::near_rel(dp::log_norm_upper(30.1), -457.32956441638225, 1e-13));
  EXPECT_TRUE(hazard::test::near_rel(dp::log_norm_upper(50), -1254.8313611394199, 1e-13));
}

TEST(Special, ExpRatiosMatchTheirClosedForms) {
  for (double z : {-30.0, -3.0, -0.7, -0.49, -0.1, -1e-6, 0.0, 1e-6, 0.2, 0.499, 0.51, 2.0, 40.0}) {
    const dp::ExpRatios r = dp::exp_ratios(z);
    // long double closed forms (cancellation near 0 is then below double precision for |z| > 1e-3)
    const long double Z = z, ez = std::exp(Z);
    if (std::fabs(z) > 1e-3) {
      const long double E = std::expm1(Z) / Z, E1 = (ez - E) / Z, E2 = (ez - 2 * E1) / Z;
      const long double P = (E - 1) / Z, P1 = (E - 2 * P) / Z, P2 = (E1 - 3 * P1) / Z;
      EXPECT_TRUE(hazard::test::near_rel(r.e.v, static_cast<double>(E), 1e-14)) << z;
      EXPECT_TRUE(hazard::test::near_rel(r.e.d1, static_cast<double>(E1), 1e-13)) << z;
      EXPECT_TRUE(hazard::test::near_rel(r.e.d2, static_cast<double>(E2), 1e-12)) << z;
      EXPECT_TRUE(hazard::test::near_rel(r.p.v, static_cast<double>(P), 1e-13)) << z;
      EXPECT_TRUE(hazard::test::near_rel(r.p.d1, static_cast<double>(P1), 1e-12)) << z;
      EXPECT_TRUE(hazard::test::near_rel(r.p.d2, static_cast<double>(P2), 1e-11)) << z;
    }
    EXPECT_TRUE(hazard::test::near_rel(r.ez, std::exp(z), 1e-15)) << z;
  }
  const dp::ExpRatios r0 = dp::exp_ratios(0);
  EXPECT_EQ(r0.e.v, 1.0);
  EXPECT_EQ(r0.e.d1, 0.5);
  EXPECT_DOUBLE_EQ(r0.e.d2, 1.0 / 3);
  EXPECT_EQ(r0.p.v, 0.5);
  EXPECT_DOUBLE_EQ(r0.p.d1, 1.0 / 6);
  EXPECT_DOUBLE_EQ(r0.p.d2, 1.0 / 12);
}

TEST(Special, StirlingRestAndItsDerivatives) {
  // delta(a) = lgamma(a) - (a - 1/2) log a + a - log(2 pi)/2 at a = 1/Q^2, both branches
  for (double q : {-2.0, -0.31, -0.29, 0.05, 0.29, 0.31, 1.0, 3.0}) {
    const double a = 1 / (q * q);
    const long double A = a;
    const long double delta = std::lgamma(A) - (A - 0.5L) * std::log(A) + A - 0.5L * std::log(2 * M_PIl);
    const dp::Taylor2 d = dp::stirling_rest(q);
    EXPECT_NEAR(d.v, static_cast<double>(delta), 1e-14 * std::max(1.0, std::fabs(static_cast<double>(delta)))) << q;
    // derivatives: delta'(a) da/dQ etc. from Boost's digamma and trigamma
    const double d1 = boost::math::digamma(a) - std::log(a) + 0.5 / a;
    const double d2 = boost::math::trigamma(a) - 1 / a - 0.5 / (a * a);
    const double da = -2 / (q * q * q), dda = 6 / (q * q * q * q);
    // (below |Q| = 0.3 the function uses its series; the Boost form loses ~4 digits at a = 12
    // and ~7 at Q = 0.05 to cancellation, hence the tolerances)
    const double tol = std::fabs(q) >= 0.25 ? 1e-9 : 1e-5;
    EXPECT_TRUE(hazard::test::near_rel(d.d1, d1 * da, tol)) << q;
    EXPECT_TRUE(hazard::test::near_rel(d.d2, d2 * da * da + d1 * dda, tol)) << q;
  }
  EXPECT_EQ(dp::stirling_rest(0).v, 0.0);
  EXPECT_DOUBLE_EQ(dp::stirling_rest(0).d2, 1.0 / 6);
}

}  // namespace
