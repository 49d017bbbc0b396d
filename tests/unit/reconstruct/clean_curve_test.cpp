// Cleaning digitized points: hand-worked isotonic regression, percent scale, ties, clamping.
#include <gtest/gtest.h>

#include <vector>

#include "hazard/error.hpp"
#include "hazard/reconstruct.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

using hazard::clean_curve;
using hazard::test::near_rel;

TEST(CleanCurve, PoolsAdjacentViolators) {
  // 0.8 then 0.9 violate a non-increasing curve: both become their mean 0.85. Then 0.7, 0.75, 0.74
  // pool as (0.75 + 0.74) / 2 = 0.745 > 0.7, and then with 0.7: (0.7 + 0.75 + 0.74) / 3 = 0.73.
  std::vector<double> t{0, 1, 2, 3, 4, 5};
  std::vector<double> s{1.0, 0.8, 0.9, 0.7, 0.75, 0.74};
  auto c = clean_curve(t, s);
  ASSERT_EQ(c.time.size(), 6u);
  const std::vector<double> expect{1.0, 0.85, 0.85, 0.73, 0.73, 0.73};
  for (std::size_t i = 0; i < expect.size(); ++i) {
    EXPECT_TRUE(near_rel(c.surv[i], expect[i], hazard::tol::closed_form)) << i;
  }
  EXPECT_EQ(c.n_adjusted, 5u);
  EXPECT_TRUE(near_rel(c.max_adjustment, 0.05, hazard::tol::closed_form));
}

TEST(CleanCurve, SortsPercentAndKeepsTheBottomOfADrop) {
  // Unsorted percent clicks; the drop at t = 2 was clicked top (90) and bottom (70).
  std::vector<double> t{2, 0, 2, 3, 1};
  std::vector<double> s{70, 100, 90, 70, 90};
  auto c = clean_curve(t, s);
  EXPECT_TRUE(c.percent);
  ASSERT_EQ(c.time, (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(c.surv, (std::vector<double>{1.0, 0.9, 0.7, 0.7}));
  EXPECT_EQ(c.n_merged, 1u);
  EXPECT_EQ(c.n_adjusted, 0u);
}

TEST(CleanCurve, ClampsClicksOutsideTheAxes) {
  std::vector<double> t{-0.02, 1, 2};
  std::vector<double> s{1.004, 0.5, -0.001};
  auto c = clean_curve(t, s, {.scale = hazard::SurvScale::fraction});
  EXPECT_FALSE(c.percent);
  EXPECT_EQ(c.n_clamped, 2u);  // points, not values: the first is out on both axes
  EXPECT_EQ(c.time, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(c.surv, (std::vector<double>{1.0, 0.5, 0.0}));
}

TEST(CleanCurve, ExplicitScaleOverridesTheGuess) {
  // A percent curve that never rises above 1.2% would be taken for fractions by the guess.
  std::vector<double> t{0, 1};
  std::vector<double> s{1.2, 0.6};
  auto c = clean_curve(t, s, {.scale = hazard::SurvScale::percent});
  EXPECT_TRUE(near_rel(c.surv[0], 0.012, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(c.surv[1], 0.006, hazard::tol::closed_form));
}

TEST(CleanCurve, RejectsBadInput) {
  std::vector<double> t{0, 1};
  std::vector<double> s{1.0, std::nan("")};
  EXPECT_THROW(clean_curve(t, s), hazard::DataError);
  std::vector<double> s1{1.0};
  EXPECT_THROW(clean_curve(t, s1), hazard::DataError);
  EXPECT_THROW(clean_curve(std::vector<double>{}, std::vector<double>{}), hazard::UsageError);
}
