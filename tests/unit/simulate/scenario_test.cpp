// Scenario pieces of the simulator: piecewise hazards, allocation blocks, rpact's accrual grid,
// patient generation, the JSON scenario format.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "cabinet_scenario.hpp"
#include "hazard/error.hpp"
#include "hazard/simulate.hpp"
#include "tolerances.hpp"

namespace {

TEST(Scenario, PiecewiseQuantileInvertsCumulativeHazard) {
  hazard::PiecewiseHazard h{.start = {0.0, 2.0, 5.0}, .rate = {0.5, 0.1, 0.2}};
  // H(2) = 1, H(5) = 1.3, H(t > 5) = 1.3 + 0.2 (t - 5)
  EXPECT_NEAR(hazard::piecewise_quantile(h, 0.5), 1.0, 1e-14);
  EXPECT_NEAR(hazard::piecewise_quantile(h, 1.1), 3.0, 1e-14);
  EXPECT_NEAR(hazard::piecewise_quantile(h, 1.5), 6.0, 1e-14);
  // hazard doubled: rates 1, 0.2, 0.4, H(2) = 2, H(5) = 2.6
  EXPECT_NEAR(hazard::piecewise_quantile(h, 1.5, 2.0), 1.5, 1e-14);
  EXPECT_NEAR(hazard::piecewise_quantile(h, 2.3, 2.0), 3.5, 1e-14);
  EXPECT_NEAR(hazard::piecewise_quantile(h, 3.0, 2.0), 6.0, 1e-14);
  hazard::PiecewiseHazard cure{.start = {0.0, 1.0}, .rate = {1.0, 0.0}};
  EXPECT_TRUE(std::isinf(hazard::piecewise_quantile(cure, 2.0)));
}

TEST(Scenario, DelayedEffectMergesPieces) {
  hazard::PiecewiseHazard c{.start = {0.0, 6.0}, .rate = {0.1, 0.2}};
  auto e = hazard::multiply_hazard(c, std::vector<double>{0.0, 3.0}, std::vector<double>{1.0, 0.5});
  ASSERT_EQ(e.start, (std::vector<double>{0.0, 3.0, 6.0}));
  EXPECT_DOUBLE_EQ(e.rate[0], 0.1);
  EXPECT_DOUBLE_EQ(e.rate[1], 0.05);
  EXPECT_DOUBLE_EQ(e.rate[2], 0.1);
}

TEST(Scenario, AllocationBlocksAsRpact) {
  EXPECT_EQ(hazard::allocation_fraction(2.0), std::make_pair(2, 1));
  EXPECT_EQ(hazard::allocation_fraction(1.5), std::make_pair(3, 2));
  EXPECT_EQ(hazard::allocation_fraction(1.0), std::make_pair(1, 1));
  EXPECT_THROW(hazard::allocation_fraction(0.0), hazard::UsageError);
}

hazard::SimulationScenario base() { return hazard::test::cabinet_like({3.71, 2.51, 1.99}); }

TEST(Scenario, FixedEntryGridAndBlocks) {
  auto s = base();
  std::vector<hazard::SimulatedPatient> p;
  hazard::generate_patients(s, 1, 0, p);
  ASSERT_EQ(p.size(), 216u);
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_NEAR(p[i].entry, static_cast<double>(i + 1) * 12.0 / 216.0, 1e-12);
    EXPECT_EQ(p[i].arm, i % 3 < 2 ? 1 : 0);  // E, E, C, ...
    EXPECT_TRUE(std::isinf(p[i].dropout));
  }
  std::vector<hazard::SimulatedPatient> q;
  hazard::generate_patients(s, 1, 0, q);
  EXPECT_EQ(p[5].survival, q[5].survival);
  hazard::generate_patients(s, 1, 1, q);
  EXPECT_NE(p[5].survival, q[5].survival);
}

TEST(Scenario, ExponentialTimesHaveTheRightMean) {
  auto s = base();
  s.n = 20000;
  s.ratio = 1;
  s.looks = {100};
  s.z_efficacy = {2.0};
  s.dropout_control = s.dropout_experimental = 0.05;
  std::vector<hazard::SimulatedPatient> p;
  hazard::generate_patients(s, 9, 0, p);
  double sc = 0, nc = 0, sd = 0;
  for (const auto& x : p) {
    if (x.arm == 0) { sc += x.survival; nc += 1; }
    sd += x.dropout;
  }
  double mean = 6 / std::log(2.0);  // SD of the mean: mean / sqrt(n)
  EXPECT_NEAR(sc / nc, mean, 4 * mean / std::sqrt(nc));
  EXPECT_NEAR(sd / 20000, 20.0, 4 * 20.0 / std::sqrt(20000.0));
}

TEST(Scenario, EventLooksHappenAtTheDthEvent) {
  auto s = base();
  std::vector<hazard::SimulatedPatient> p;
  hazard::generate_patients(s, 1, 4, p);
  s.z_efficacy = {100, 100, 100};  // never stop
  auto o = hazard::analyse_trial(s, p);
  ASSERT_EQ(o.looks_done, 3);
  std::vector<double> cal;
  for (const auto& x : p) cal.push_back(x.entry + x.survival);
  std::sort(cal.begin(), cal.end());
  EXPECT_EQ(o.time_look[0], cal[60]);
  EXPECT_EQ(o.time_look[2], cal[182]);
  EXPECT_EQ(o.events_look[1], 122);
  EXPECT_EQ(o.events, 183);
}

TEST(Scenario, JsonFormat) {
  auto j = nlohmann::json::parse(R"({
    "n": 300, "ratio": 1,
    "control": {"start": [0, 6], "hazard": [0.1, 0.05]},
    "experimental": {"start": [0, 3], "hr": [1, 0.6]},
    "strata": [{"name": "A", "prevalence": 0.4, "hazard_multiplier": 1.5}, {"name": "B", "prevalence": 0.6}],
    "accrual": {"end": [6, 12], "rate": [10, 20]},
    "dropout": {"rate": 0.1, "time": 12},
    "looks": {"events": [80, 160]},
    "design": {"alpha": 0.025, "spending": "pocock"}
  })");
  auto f = hazard::scenario_from_json(j);
  EXPECT_EQ(f.scenario.n, 300u);
  EXPECT_EQ(f.scenario.experimental.start, (std::vector<double>{0.0, 3.0, 6.0}));
  EXPECT_DOUBLE_EQ(f.scenario.experimental.rate[1], 0.06);
  EXPECT_EQ(f.scenario.strata.size(), 2u);
  EXPECT_NEAR(f.scenario.dropout_control, -std::log(0.9) / 12, 1e-15);
  EXPECT_EQ(f.design["spending"], "pocock");
  EXPECT_THROW(hazard::scenario_from_json(nlohmann::json::parse(R"({"nn": 3})")), hazard::UsageError);
}

}  // namespace
