// km_conf_limits (R's survfit_confint, logse = TRUE) on hand-worked values.
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/km.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

constexpr double z95 = 1.959963984540054;  // qnorm(0.975)

TEST(KmConfLimits, Plain) {
  const auto ci = hazard::km_conf_limits(0.5, 0.2, hazard::ConfType::plain, 0.95);
  EXPECT_DOUBLE_EQ(ci.lower, 0.5 - 0.5 * 0.2 * z95);
  EXPECT_DOUBLE_EQ(ci.upper, 0.5 + 0.5 * 0.2 * z95);
  const auto wide = hazard::km_conf_limits(0.9, 1.0, hazard::ConfType::plain, 0.95);
  EXPECT_EQ(wide.lower, 0.0);  // clipped
  EXPECT_EQ(wide.upper, 1.0);
}

TEST(KmConfLimits, Log) {
  const auto ci = hazard::km_conf_limits(0.5, 0.2, hazard::ConfType::log, 0.95);
  EXPECT_DOUBLE_EQ(ci.lower, 0.5 * std::exp(-0.2 * z95));
  EXPECT_DOUBLE_EQ(ci.upper, 0.5 * std::exp(0.2 * z95));
  EXPECT_TRUE(std::isnan(hazard::km_conf_limits(0, 1, hazard::ConfType::log, 0.95).lower));
}

TEST(KmConfLimits, LogLogIsSymmetricOnLogMinusLog) {
  const auto ci = hazard::km_conf_limits(0.5, 0.2, hazard::ConfType::log_log, 0.95);
  const double c = std::log(-std::log(0.5)), h = z95 * 0.2 / std::log(0.5);
  EXPECT_TRUE(
      hazard::test::near_rel(std::log(-std::log(ci.lower)), c - h, hazard::tol::closed_form));
  EXPECT_TRUE(
      hazard::test::near_rel(std::log(-std::log(ci.upper)), c + h, hazard::tol::closed_form));
  EXPECT_LT(ci.lower, 0.5);
  EXPECT_GT(ci.upper, 0.5);
  EXPECT_TRUE(std::isnan(hazard::km_conf_limits(1, 0, hazard::ConfType::log_log, 0.95).upper));
}

}  // namespace
