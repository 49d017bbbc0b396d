// analyze_response on hand-counted data: three arms, --by, strata; each number follows from the
// counts by the kernels' formulas (tested against R in their own tests).
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/response.hpp"

namespace {

hazard::ResponseData three_arms() {
  hazard::ResponseData d;
  d.group_name = "ARM";
  d.group_levels = {"Placebo", "Low", "High"};
  using B = hazard::Bor;
  // Placebo: CR 0, PR 1, SD 2, PD 2, NE 1, MISSING 1 (n = 7); Low: PR 2, SD 1, PD 1 (n = 4);
  // High: CR 1, PR 2, NON-CR/NON-PD 1, PD 1 (n = 5).
  const std::vector<std::pair<int, B>> rows = {
      {0, B::pr}, {0, B::sd},      {0, B::sd}, {0, B::pd}, {0, B::pd},
      {0, B::ne}, {0, B::missing}, {1, B::pr}, {1, B::pr}, {1, B::sd},
      {1, B::pd}, {2, B::cr},      {2, B::pr}, {2, B::pr}, {2, B::non_cr_non_pd},
      {2, B::pd}};
  for (const auto& [g, b] : rows) {
    d.group.push_back(g);
    d.bor.push_back(b);
    d.subject.push_back(std::to_string(d.subject.size()));
    d.line.push_back(d.line.size() + 2);
  }
  return d;
}

TEST(ResponseRate, CountsRatesAndComparisonsPerArm) {
  const auto d = three_arms();
  const auto r = hazard::analyze_response(d);
  ASSERT_EQ(r.analyses.size(), 1u);
  const auto& a = r.analyses[0];
  EXPECT_EQ(a.label, "Overall");
  ASSERT_EQ(a.arms.size(), 3u);
  EXPECT_EQ(a.arms[0].n, 7u);
  EXPECT_EQ(a.arms[0].bor[static_cast<std::size_t>(hazard::Bor::missing)], 1u);
  EXPECT_EQ(a.arms[0].orr.x, 1u);
  EXPECT_EQ(a.arms[0].dcr.x, 3u);
  EXPECT_EQ(a.arms[2].orr.x, 3u);
  EXPECT_EQ(a.arms[2].dcr.x, 4u);  // NON-CR/NON-PD is disease control
  const auto cp = hazard::clopper_pearson(3, 5);
  EXPECT_EQ(a.arms[2].orr.lower, cp.lower);
  ASSERT_EQ(a.orr.size(), 2u);  // Low and High, each against Placebo
  EXPECT_EQ(a.orr[1].level, "High");
  EXPECT_EQ(a.orr[1].reference, "Placebo");
  const hazard::TwoByTwo t{.x1 = 3, .n1 = 5, .x0 = 1, .n0 = 7};
  EXPECT_EQ(a.orr[1].newcombe.lower, hazard::newcombe_difference(t).lower);
  EXPECT_EQ(a.orr[1].wald.upper, hazard::wald_difference(t).upper);
  EXPECT_FALSE(a.orr[1].stratified);
  EXPECT_DOUBLE_EQ(a.orr[1].mh.estimate, 3.0 / 5 - 1.0 / 7);
  EXPECT_DOUBLE_EQ(a.orr[1].cmh.odds_ratio,
                   hazard::cmh_test(std::vector<hazard::TwoByTwo>{t}).odds_ratio);
}

TEST(ResponseRate, ByLevelsThenOverallAndStrata) {
  auto d = three_arms();
  d.by_name = "COHORT";
  d.by_levels = {"a", "b"};
  d.strata_names = {"S"};
  d.strata_levels = {"S=1", "S=2"};
  for (std::size_t i = 0; i < d.size(); ++i) {
    d.by.push_back(static_cast<std::int32_t>(i % 2));
    d.stratum.push_back(static_cast<std::int32_t>(i % 3 == 0));
  }
  const auto r = hazard::analyze_response(d);
  ASSERT_EQ(r.analyses.size(), 3u);
  EXPECT_EQ(r.analyses[0].label, "a");
  EXPECT_EQ(r.analyses[1].label, "b");
  EXPECT_EQ(r.analyses[2].label, "Overall");
  EXPECT_EQ(r.analyses[0].arms[0].n + r.analyses[1].arms[0].n, 7u);
  EXPECT_TRUE(r.analyses[2].orr[0].stratified);
  // The stratified difference is the MH one over the two strata of Low vs Placebo.
  std::vector<hazard::TwoByTwo> s(2);
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d.group[i] == 2) continue;
    auto& t = s[static_cast<std::size_t>(d.stratum[i])];
    const bool yes = d.bor[i] == hazard::Bor::cr || d.bor[i] == hazard::Bor::pr;
    if (d.group[i] == 1)
      t.n1++, t.x1 += yes;
    else
      t.n0++, t.x0 += yes;
  }
  EXPECT_EQ(r.analyses[2].orr[0].mh.estimate, hazard::mh_risk_difference(s).estimate);
  EXPECT_EQ(r.analyses[2].orr[0].cmh.chisq, hazard::cmh_test(s).chisq);
}

}  // namespace
