// derive_deterioration on hand-worked score sequences: the three rules, both directions, the
// boundary worse = MID, censoring at the last assessment and at the origin.
#include "hazard/deterioration.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "hazard/error.hpp"

namespace {

// One subject per sequence: baseline 70 at day 0, then (day, score) pairs.
hazard::QolData data(const std::vector<std::vector<std::pair<double, double>>>& seqs,
                     double base = 70) {
  hazard::QolData d;
  d.group_name = "ARM";
  d.group_levels = {"A"};
  for (std::size_t s = 0; s < seqs.size(); ++s) {
    d.subject.push_back(std::to_string(s));
    d.study.emplace_back();
    d.group.push_back(0);
    d.carried.emplace_back();
    d.base.push_back(base);
    d.base_time.push_back(0);
    std::vector<hazard::QolAssessment> v;
    for (const auto& [t, y] : seqs[s]) v.push_back({t, y, 0});
    d.visits.push_back(v);
  }
  return d;
}

using R = hazard::DeteriorationRule;

TEST(Deterioration, TheThreeRules) {
  // scores: 65 (-5), 58 (-12), 66 (-4), 55 (-15), 50 (-20)
  const auto d = data({{{29, 65}, {57, 58}, {85, 66}, {113, 55}, {141, 50}}});
  auto row = [&](R rule) {
    return hazard::derive_deterioration(d, {.mid = 10, .rule = rule}).rows[0];
  };
  EXPECT_TRUE(row(R::first).event);
  EXPECT_EQ(row(R::first).time, 57);        // first -12
  EXPECT_EQ(row(R::confirmed).time, 113);   // -12 not confirmed (-4 next); -15 then -20
  EXPECT_EQ(row(R::definitive).time, 113);  // from 113 on every score is deteriorated
  EXPECT_DOUBLE_EQ(row(R::confirmed).change, -15);
  EXPECT_EQ(row(R::first).n_assessments, 5u);
}

TEST(Deterioration, LastAssessment) {
  // A deterioration only at the last assessment: first and definitive count it, confirmed not.
  const auto d = data({{{29, 65}, {57, 55}}});
  EXPECT_TRUE(hazard::derive_deterioration(d, {.mid = 10, .rule = R::first}).rows[0].event);
  EXPECT_TRUE(hazard::derive_deterioration(d, {.mid = 10, .rule = R::definitive}).rows[0].event);
  const auto c = hazard::derive_deterioration(d, {.mid = 10, .rule = R::confirmed}).rows[0];
  EXPECT_FALSE(c.event);
  EXPECT_EQ(c.time, 57);  // censored at the last assessment
  EXPECT_EQ(c.description, "Censored at the last post-baseline assessment");
}

TEST(Deterioration, BoundaryAndDirection) {
  // exactly MID worse is a deterioration; an improvement never is.
  const auto d = data({{{29, 60}}, {{29, 80}}});
  auto r = hazard::derive_deterioration(d, {.mid = 10});
  EXPECT_TRUE(r.rows[0].event);
  EXPECT_FALSE(r.rows[1].event);
  // symptom scale: higher is worse
  r = hazard::derive_deterioration(d, {.mid = 10, .higher_is_worse = true});
  EXPECT_FALSE(r.rows[0].event);
  EXPECT_TRUE(r.rows[1].event);
  EXPECT_NE(r.rule_text.find("an increase (AVAL - BASE) of at least 10 points"), std::string::npos);
}

TEST(Deterioration, CensoredAtTheOrigin) {
  auto d = data({{}, {{29, 40}}, {{0.5, 40}, {-3, 30}}});
  d.base[1] = std::nan("");  // no baseline score
  const auto r = hazard::derive_deterioration(d, {.mid = 10, .origin = 1});
  for (const auto& row : r.rows) {
    EXPECT_FALSE(row.event);
    EXPECT_EQ(row.time, 1);
  }
  EXPECT_EQ(r.no_post, 2u);  // subject 0 (none), subject 2 (only before the origin)
  EXPECT_EQ(r.no_baseline, 1u);
  EXPECT_EQ(r.n_not_after_baseline, 2u);
  EXPECT_EQ(r.rows[1].description, "Censored at the origin: no baseline assessment");
}

TEST(Deterioration, AvalUnitsAndOptions) {
  const auto d = data({{{61, 40}}});
  const auto r = hazard::derive_deterioration(d, {.mid = 10, .days_per_unit = 30.4375});
  EXPECT_DOUBLE_EQ(hazard::ttd_aval(r.rows[0], r.options), 61 / 30.4375);
  EXPECT_THROW(hazard::derive_deterioration(d, {.mid = 0}), hazard::UsageError);
  EXPECT_THROW(hazard::derive_deterioration(d, {.mid = std::nan("")}), hazard::UsageError);
}

TEST(Deterioration, KaplanMeierPerArm) {
  auto d = data({{{29, 40}}, {{57, 40}}, {{29, 70}}});
  d.group_levels = {"A", "B"};
  d.group = {0, 1, 1};
  const auto r = hazard::derive_deterioration(d, {.mid = 10});
  const auto km = hazard::deterioration_km(d, r);
  ASSERT_EQ(km.size(), 1u);
  EXPECT_EQ(km[0].n, (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(km[0].events, (std::vector<std::size_t>{1, 1}));
  EXPECT_EQ(km[0].km.groups[0].median.estimate, 29);
}

}  // namespace
