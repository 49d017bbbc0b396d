// Filling ArmResult from hazard::kaplan_meier: every field lands where the writers read it.
#include <gtest/gtest.h>

#include "hazard/km.hpp"
#include "hazard/report.hpp"

TEST(ArmFromKm, CopiesCountsQuantilesLandmarksAndCurve) {
  hazard::SurvData d;
  d.time = {1, 2, 2, 3, 4, 5, 6, 7, 8, 9};
  d.status = {1, 0, 1, 1, 0, 1, 0, 1, 1, 0};
  d.group = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
  d.group_levels = {"Placebo", "Active"};
  d.group_name = "ARM";
  const hazard::KmResult r = hazard::kaplan_meier(d, {.times = {2.5, 6}});
  ASSERT_EQ(r.groups.size(), 2u);
  const hazard::KmGroup& g = r.groups[0];
  const hazard::report::ArmResult a = hazard::report::arm_from_km(g, "Placebo");
  EXPECT_EQ(a.arm, "Placebo");
  EXPECT_EQ(a.n, 5);
  EXPECT_EQ(a.events, 3);
  EXPECT_EQ(a.censored, 2);
  EXPECT_EQ(a.median.value, g.median.estimate);
  ASSERT_EQ(g.quantiles.size(), 3u);
  EXPECT_EQ(a.q25.value, g.quantiles[0].estimate);
  EXPECT_EQ(a.q75.lower, g.quantiles[2].lower);
  ASSERT_EQ(a.landmarks.size(), 2u);
  EXPECT_EQ(a.landmarks[0].value, g.at[0].surv);
  EXPECT_EQ(a.landmarks[1].upper, g.at[1].upper);
  EXPECT_EQ(a.curve.label, "Placebo");
  EXPECT_EQ(a.curve.time, g.curve.time);
  EXPECT_EQ(a.curve.n_censor, g.curve.n_censor);
  EXPECT_EQ(a.curve.n, 5);
  // The figure's risk table reads the same counts: 5 at risk at 0, (2 events, 1 censored) before 3.
  const hazard::plot::RiskCounts rc = hazard::plot::risk_counts(a.curve, 3);
  EXPECT_EQ(rc.at_risk, 2);
  EXPECT_EQ(rc.events, 2);
  EXPECT_EQ(rc.censored, 1);
}
