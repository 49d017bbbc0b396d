// km_quantile (R's quantile.survfit) on hand-worked curves; the R comparison over many data sets
// is in kaplan_meier_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "km/km_detail.hpp"

namespace {

// q equals want exactly, NaN where want is NaN.
void expect_same_quantiles(const std::vector<double>& q, const std::vector<double>& want) {
  ASSERT_EQ(q.size(), want.size());
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (std::isnan(want[i]))
      EXPECT_TRUE(std::isnan(q[i])) << i;
    else
      EXPECT_EQ(q[i], want[i]) << i;
  }
}

TEST(Findq, MatchesRsFindqOnNonMonotoneAndMissingValues) {
  // Expected values from R: survival:::findq(x, y, p, sqrt(.Machine$double.eps)).
  const std::vector<double> x = {0, 1, 2, 3};
  const std::vector<double> y = {0, 0.6, 0.4, 0.6};  // not monotone: the sorted-dedup path
  EXPECT_EQ(hazard::detail::findq(x, y, {0.5}).at(0), 1.0);
  EXPECT_EQ(hazard::detail::findq(x, y, {0.4}).at(0),
            2.5);  // last kept y is 0.4: right end = last x
  const std::vector<double> x2 = {0, 1, 2, 3, 4};
  const std::vector<double> y2 = {0, NAN, 0.3, NAN, 0.5};  // NA values (undefined limits)
  EXPECT_EQ(hazard::detail::findq(x2, y2, {0.3}).at(0), 3.0);
  EXPECT_EQ(hazard::detail::findq(x2, y2, {0.5}).at(0), 4.0);
}

TEST(Findq, MatchesRsFindqOnNonDecreasingValuesWithMissingOnes) {
  // The binary search over the runs of non-missing points (y non-decreasing apart from NA, as the
  // limits of a curve that reaches 0), with flat runs, repeats across an NA and an NA at the end.
  // Expected values from R 4.2.2, survival 3.5-3: tol <- sqrt(.Machine$double.eps);
  //   survival:::findq(0:9, c(0, .1, NA, .1, .3, .3, NA, NA, .6, .6),
  //                    c(.1, .2, .3, .45, .6, .7, .3 + tol/2, .6 - tol/2, 0, .05), tol)
  //   -> 2.5 4 6 8 8.5 NA 6 8.5 0 1
  //   survival:::findq(0:6, c(0, .2, .2, .5, NA, NA, NA), c(.2, .5, .35, .5 - tol/2, .6), tol)
  //   -> 2 NA 3 NA NA
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  const std::vector<double> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<double> y = {0, 0.1, NAN, 0.1, 0.3, 0.3, NAN, NAN, 0.6, 0.6};
  const std::vector<double> q = hazard::detail::findq(
      x, y, {0.1, 0.2, 0.3, 0.45, 0.6, 0.7, 0.3 + tol / 2, 0.6 - tol / 2, 0, 0.05});
  const std::vector<double> want = {2.5, 4, 6, 8, 8.5, NAN, 6, 8.5, 0, 1};
  expect_same_quantiles(q, want);
  const std::vector<double> x2 = {0, 1, 2, 3, 4, 5, 6};
  const std::vector<double> y2 = {0, 0.2, 0.2, 0.5, NAN, NAN, NAN};
  const std::vector<double> q2 =
      hazard::detail::findq(x2, y2, {0.2, 0.5, 0.35, 0.5 - tol / 2, 0.6});
  EXPECT_EQ(q2[0], 2.0);
  EXPECT_TRUE(std::isnan(q2[1]));
  EXPECT_EQ(q2[2], 3.0);
  EXPECT_TRUE(std::isnan(q2[3]));
  EXPECT_TRUE(std::isnan(q2[4]));
}

TEST(Findq, MatchesRsFindqOnNonDecreasingValues) {
  // The binary-search path (y non-decreasing, no NA), with flat runs and a flat end. Expected
  // values from R 4.2.2, survival 3.5-3: tol <- sqrt(.Machine$double.eps);
  //   survival:::findq(0:7, c(0, .2, .2, .5, .5, .5, .8, .8),
  //                    c(0, .2, .35, .5, .8, .9, .2 + tol/2, .5 - tol/2), tol)
  //   -> 0 2 3 4.5 6.5 NA 2 4.5
  //   survival:::findq(0:4, c(0, .1, .3, .3, .6), c(.3, .6, .05, .61), tol) -> 3 4 1 NA
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  const std::vector<double> x = {0, 1, 2, 3, 4, 5, 6, 7};
  const std::vector<double> y = {0, 0.2, 0.2, 0.5, 0.5, 0.5, 0.8, 0.8};
  const std::vector<double> q =
      hazard::detail::findq(x, y, {0, 0.2, 0.35, 0.5, 0.8, 0.9, 0.2 + tol / 2, 0.5 - tol / 2});
  const std::vector<double> want = {0, 2, 3, 4.5, 6.5, NAN, 2, 4.5};
  expect_same_quantiles(q, want);
  const std::vector<double> q2 =
      hazard::detail::findq({0, 1, 2, 3, 4}, {0, 0.1, 0.3, 0.3, 0.6}, {0.3, 0.6, 0.05, 0.61});
  EXPECT_EQ(q2[0], 3.0);
  EXPECT_EQ(q2[1], 4.0);
  EXPECT_EQ(q2[2], 1.0);
  EXPECT_TRUE(std::isnan(q2[3]));
}

hazard::KmCurve curve(std::vector<double> time, std::vector<std::uint8_t> status) {
  return hazard::km_curve(time, status, {}, {.conf_type = hazard::ConfType::log});
}

TEST(KmQuantile, FirstTimeTheCurveReachesTheTarget) {
  // S = 4/5, 3/5, 2/5, 1/5, 0 at 1..5: the median is the first time S <= 0.5, t = 3.
  const auto c = curve({1, 2, 3, 4, 5}, {1, 1, 1, 1, 1});
  EXPECT_EQ(hazard::km_quantile(c, 0.5).estimate, 3.0);
  EXPECT_DOUBLE_EQ(hazard::km_quantile(c, 0.2).estimate,
                   1.5);  // S = 0.8 exactly on [1, 2): midpoint
}

TEST(KmQuantile, FlatSegmentExactlyAtTargetTakesItsMidpoint) {
  // S = 0.75, 0.5, 0.25, 0 at 1, 2, 4, 6: S = 0.5 on [2, 4), median (2 + 4) / 2 = 3.
  const auto c = curve({1, 2, 4, 6}, {1, 1, 1, 1});
  EXPECT_DOUBLE_EQ(hazard::km_quantile(c, 0.5).estimate, 3.0);
  EXPECT_DOUBLE_EQ(hazard::km_quantile(c, 0.25).estimate, 1.5);  // S = 0.75 on [1, 2)
}

TEST(KmQuantile, FlatLastSegmentUsesTheLastTime) {
  // S = 0.75, 0.5 at 1, 2, then censored at 3 and 4: flat at 0.5 to the end, median (2 + 4) / 2.
  const auto c = curve({1, 2, 3, 4}, {1, 1, 0, 0});
  EXPECT_DOUBLE_EQ(hazard::km_quantile(c, 0.5).estimate, 3.0);
}

TEST(KmQuantile, NotEstimableIsNaN) {
  const auto c = curve({1, 2, 3}, {1, 0, 0});  // S stays at 2/3
  EXPECT_TRUE(std::isnan(hazard::km_quantile(c, 0.5).estimate));
  EXPECT_EQ(hazard::km_quantile(c, 0.5).lower,
            1.0);  // the log lower band, 2/3 exp(-z sqrt(1/6)), is below 0.5 from t = 1
  EXPECT_TRUE(std::isnan(hazard::km_quantile(c, 0.5).upper));
}

TEST(KmQuantile, RejectsAProbabilityOutsideZeroOne) {
  const auto c = curve({1, 2}, {1, 1});
  EXPECT_THROW(hazard::km_quantile(c, 1.5), hazard::UsageError);
  EXPECT_THROW(hazard::km_quantile(c, std::nan("")), hazard::UsageError);
}

}  // namespace
