// What a published HR implies, against hand-worked numbers.
//   CABINET pNET: HR 0.23 (0.12-0.42), 2:1.  z = qnorm(0.975) = 1.959963984540054;
//   se = log(0.42 / 0.12) / (2 z) = log(3.5) / 3.919927969080107 = 0.3195882624316066;
//   D = (1 + 2)^2 / (2 se^2) = 4.5 / 0.1021366... = 44.05861823608809;
//   z_wald = log(0.23) / se = -4.598654402626753; p = 2 pnorm(-4.598654...) = 4.252285041301308e-06
//   (the last two from R 4.2.2: 2*pnorm(-abs(log(0.23)/se))).
//   RADIANT-4: HR 0.48 (0.35-0.67) read as a 90% interval, 1:1: z = 1.6448536269514722,
//   se = log(0.67/0.35)/(2 z) = 0.19738673012048821, D = 4/se^2 = 102.66539585626946,
//   p = 2.0046307151078469e-04 (R: 2*pnorm(-abs(log(0.48)/se))).
#include <gtest/gtest.h>

#include "hazard/error.hpp"
#include "hazard/reconstruct.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

using hazard::published_hr;
using hazard::test::near_rel;
namespace tol = hazard::tol;

TEST(PublishedHr, CabinetPnet) {
  auto p = published_hr(0.23, 0.12, 0.42, {.ratio = 2.0});
  EXPECT_TRUE(near_rel(p.z_crit, 1.959963984540054, tol::closed_form));
  EXPECT_TRUE(near_rel(p.se_log_hr, 0.3195882624316066, tol::closed_form));
  EXPECT_TRUE(near_rel(p.events, 44.05861823608809, tol::closed_form));
  EXPECT_TRUE(near_rel(p.z, -4.598654402626753, tol::closed_form));
  EXPECT_TRUE(near_rel(p.p_value, 4.252285041301308e-06, tol::closed_form));
  EXPECT_TRUE(p.warnings.empty());
  // The same interval at 1:1 needs fewer events: 4 / se^2.
  auto q = published_hr(0.23, 0.12, 0.42);
  EXPECT_TRUE(
      near_rel(q.events, 4.0 / (0.3195882624316066 * 0.3195882624316066), tol::closed_form));
  // r and 1/r give the same count.
  auto h = published_hr(0.23, 0.12, 0.42, {.ratio = 0.5});
  EXPECT_TRUE(near_rel(h.events, p.events, tol::closed_form));
}

TEST(PublishedHr, OtherConfidenceLevel) {
  auto p = published_hr(0.48, 0.35, 0.67, {.conf_level = 0.90});
  EXPECT_TRUE(near_rel(p.z_crit, 1.6448536269514722, tol::closed_form));
  EXPECT_TRUE(near_rel(p.se_log_hr, 0.19738673012048821, tol::closed_form));
  EXPECT_TRUE(near_rel(p.events, 102.66539585626946, tol::closed_form));
  EXPECT_TRUE(near_rel(p.p_value, 2.0046307151078469e-04, tol::closed_form));
}

TEST(PublishedHr, WarnsWhenTheEstimateIsFarFromTheCentre) {
  // Centre of log(0.5)..log(2) is log 1; log(1.6) / se = 0.47 / 0.3536 = 1.33 se away.
  auto p = published_hr(1.6, 0.5, 2.0);
  EXPECT_EQ(p.warnings.size(), 1u);
  EXPECT_GT(p.asymmetry, 1.3);
}

TEST(PublishedHr, RejectsImpossibleInput) {
  EXPECT_THROW(published_hr(0.23, 0.42, 0.12), hazard::UsageError);
  EXPECT_THROW(published_hr(0.5, 0.12, 0.42), hazard::UsageError);
  EXPECT_THROW(published_hr(0.23, 0.0, 0.42), hazard::UsageError);
  EXPECT_THROW(published_hr(0.23, 0.12, 0.42, {.conf_level = 95}), hazard::UsageError);
  EXPECT_THROW(published_hr(0.23, 0.12, 0.42, {.ratio = 0}), hazard::UsageError);
}
