// Recursive numerical integration against closed forms.
#include <cmath>

#include <gtest/gtest.h>

#include "hazard/design.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

double Phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

TEST(CrossingProbabilities, TwoLooksAgreeWithTheBivariateNormal) {
  // P(Z1 < 0, Z2 < 0) with corr sqrt(1/2) is 1/4 + asin(r) / (2 pi) = 3/8.
  std::vector<double> info{0.5, 1}, up{0, 0}, lo{-INFINITY, -INFINITY};
  auto p = hazard::crossing_probabilities(info, up, lo, 0);
  EXPECT_NEAR(p.upper[0], 0.5, 1e-15);
  EXPECT_NEAR(p.upper[0] + p.upper[1], 1 - 0.375, 1e-9);
}

TEST(CrossingProbabilities, UncrossableInterimsLeaveTheFinalMarginal) {
  // With no stop possible at the interims the final crossing is 1 - Phi(u - drift).
  std::vector<double> info{0.2, 0.5, 0.8, 1}, up{INFINITY, INFINITY, INFINITY, 1.96};
  std::vector<double> lo(4, -INFINITY);
  for (double drift : {0.0, 1.5, 3.0}) {
    auto p = hazard::crossing_probabilities(info, up, lo, drift);
    EXPECT_NEAR(p.upper[3], 1 - Phi(1.96 - drift), hazard::tol::design_grid) << drift;
    EXPECT_NEAR(p.lower[0] + p.lower[1] + p.lower[2], 0, 1e-8);
  }
}

TEST(CrossingProbabilities, ProbabilitiesAddUpToOne) {
  // Every path stops somewhere when the last look has lower = upper.
  std::vector<double> info{0.3, 0.6, 1}, up{2.5, 2.2, 2.0}, lo{-0.5, 0.5, 2.0};
  auto p = hazard::crossing_probabilities(info, up, lo, 1.0);
  double total = 0;
  for (std::size_t k = 0; k < 3; ++k) total += p.upper[k] + p.lower[k];
  EXPECT_NEAR(total, 1, 1e-9);
}

}  // namespace

// rpact's stageLevels = 1 - pnorm(criticalValues), against R 4.2.2 (17 digits):
// pnorm(1.9599639845400536, lower.tail = FALSE) = 0.025000000000000033,
// pnorm(5.61200124417479, lower.tail = FALSE) = 9.9999999999999324e-09; a bound that cannot be
// crossed gives 0.
TEST(CrossingProbabilities, NominalP) {
  EXPECT_TRUE(hazard::test::near_rel(hazard::nominal_p(1.9599639845400536), 0.025000000000000033,
                                     hazard::tol::closed_form));
  EXPECT_TRUE(hazard::test::near_rel(hazard::nominal_p(5.61200124417479), 9.9999999999999324e-09,
                                     hazard::tol::closed_form));
  EXPECT_EQ(hazard::nominal_p(INFINITY), 0.0);
  EXPECT_EQ(hazard::nominal_p(0.0), 0.5);
}
