// hazard::cox_two_arm and two_arm_tallies against R's coxph with the arm as the only covariate
// (tests/reference/cox/make_two_arm.R: heavily tied times, with and without strata).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "tolerances.hpp"

namespace {

const std::vector<double> kTime = {1,  17, 18, 9, 6,  27, 9,  44, 3,  1,  10, 8,  20, 20, 13,
                                   4,  8,  11, 6, 10, 25, 7,  5,  5,  6,  4,  5,  13, 18, 20,
                                   14, 9,  20, 1, 6,  5,  2,  4,  10, 10, 8,  3,  16, 2,  11,
                                   7,  15, 27, 6, 12, 15, 12, 43, 2,  2,  2,  12, 7,  20, 14};
const std::vector<std::uint8_t> kStatus = {
    1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0,
    0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1};

struct Case {
  hazard::Ties ties;
  bool strata;
  double coef, se;
  int iter;
};

TEST(CoxTwoArm, MatchesCoxphWithTheArmAsOnlyCovariate) {
  std::vector<std::int32_t> arm(kTime.size()), s(kTime.size());
  for (std::size_t i = 0; i < kTime.size(); ++i) {
    arm[i] = static_cast<std::int32_t>(i % 2);
    s[i] = i < kTime.size() / 2 ? 0 : 1;
  }
  const Case cases[] = {
      {hazard::Ties::efron, false, 0.28734600383703401, 0.33210532031928219, 3},
      {hazard::Ties::efron, true, 0.33123167978053492, 0.34518201294994449, 3},
      {hazard::Ties::breslow, false, 0.28528409534517724, 0.33212328299329241, 3},
      {hazard::Ties::breslow, true, 0.33121544723715479, 0.34440904615549139, 3},
  };
  for (const Case& c : cases) {
    const auto tallies = hazard::two_arm_tallies(
        kTime, kStatus, arm,
        c.strata ? std::span<const std::int32_t>(s) : std::span<const std::int32_t>());
    const hazard::TwoArmCox fit = hazard::cox_two_arm(tallies, {.ties = c.ties});
    EXPECT_NEAR(fit.coef, c.coef, hazard::tol::iterative * std::fabs(c.coef)) << c.strata;
    EXPECT_NEAR(fit.se, c.se, hazard::tol::iterative * c.se) << c.strata;
    EXPECT_EQ(fit.iterations, c.iter);
    EXPECT_TRUE(fit.converged);
  }
}

TEST(CoxTwoArm, TalliesOfAHandWorkedExample) {
  // times 1, 2, 2, 3 (arms 0, 1, 0, 1; statuses 1, 1, 1, 0): at t = 1 four at risk (2 + 2), one
  // control event; at t = 2 three at risk (1 control, 2 experimental), one event in each arm;
  // t = 3 is censored (no tally).
  const auto t = hazard::two_arm_tallies(std::vector<double>{1, 2, 2, 3},
                                         std::vector<std::uint8_t>{1, 1, 1, 0},
                                         std::vector<std::int32_t>{0, 1, 0, 1});
  ASSERT_EQ(t.size(), 2u);
  // descending time: t = 2 first
  EXPECT_EQ(t[0].at_risk0, 1);
  EXPECT_EQ(t[0].at_risk1, 2);
  EXPECT_EQ(t[0].events0, 1);
  EXPECT_EQ(t[0].events1, 1);
  EXPECT_EQ(t[1].at_risk0, 2);
  EXPECT_EQ(t[1].at_risk1, 2);
  EXPECT_EQ(t[1].events0, 1);
  EXPECT_EQ(t[1].events1, 0);
}

TEST(CoxTwoArm, RefusesExactTiesAndNoEvents) {
  std::vector<hazard::TwoArmTally> none = {{.at_risk0 = 3, .at_risk1 = 2}};
  EXPECT_THROW(hazard::cox_two_arm(none), hazard::NumericalError);
  EXPECT_THROW(hazard::cox_two_arm(none, {.ties = hazard::Ties::exact}), hazard::UsageError);
}

}  // namespace
