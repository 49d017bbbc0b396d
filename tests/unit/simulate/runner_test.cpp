// Simulated power and type I error against rpact's getSimulationSurvival
// (tests/reference/simulate/make_simulate.R), and determinism across thread counts.
#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "cabinet_scenario.hpp"
#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "hazard/simulate.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::reference;

hazard::SimulationScenario scenario_of(const nlohmann::json& h, hazard::GroupSequentialDesign* out) {
  hazard::SimulationScenario s;
  s.n = h["n"].get<std::size_t>();
  s.ratio = jnum(h["ratio"]);
  double lambda = std::log(2.0) / jnum(h["median_control"]);
  s.control = {.start = {0.0}, .rate = {lambda}};
  s.experimental = {.start = {0.0}, .rate = {lambda * jnum(h["hr"])}};
  s.accrual = {.end = {jnum(h["accrual_time"])}, .rate = {1.0}};
  double drop = jnum(h["dropout"]);
  s.dropout_control = s.dropout_experimental = -std::log1p(-drop) / 12.0;
  s.looks = h["events"].get<std::vector<double>>();
  std::vector<double> info;
  for (double e : s.looks) info.push_back(e / s.looks.back());
  auto d = hazard::GroupSequentialDesign::compute(
      {.alpha = jnum(h["alpha"]), .info = info,
       .efficacy = hazard::parse_spending(h["spending"].get<std::string>())});
  s.z_efficacy = d.z_efficacy;
  if (out) *out = d;
  return s;
}

TEST(Simulate, AgreesWithRpactWithinMonteCarloError) {
  auto ref = reference("simulate/simulate.json");
  ASSERT_GE(ref["cases"].size(), 4u);
  for (const auto& c : ref["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    hazard::GroupSequentialDesign d;
    auto s = scenario_of(c["hazard"], &d);
    // the boundaries are rpact's
    auto crit = c["critical_values"].get<std::vector<double>>();
    ASSERT_EQ(crit.size(), d.z_efficacy.size());
    for (std::size_t k = 0; k < crit.size(); ++k)
      EXPECT_TRUE(hazard::test::near_rel(d.z_efficacy[k], crit[k], hazard::tol::design));
    auto r = hazard::simulate_trials(s, {.reps = 2000, .seed = 7, .threads = 2});
    double se = std::sqrt(r.mc_se * r.mc_se + std::pow(jnum(c["mc_se"]), 2));
    EXPECT_LE(std::fabs(r.power - jnum(c["power"])), hazard::tol::mc_sigmas * se)
        << "hazard " << r.power << " rpact " << jnum(c["power"]);
    // stage-wise rejection: binomial SEs of both
    auto stage = c["stagewise_rejection"].get<std::vector<double>>();
    for (std::size_t k = 0; k < stage.size(); ++k) {
      double p1 = r.stagewise_rejection[k], p2 = stage[k];
      double sek = std::sqrt(p1 * (1 - p1) / 2000 + p2 * (1 - p2) / jnum(c["iterations"]));
      EXPECT_LE(std::fabs(p1 - p2), hazard::tol::mc_sigmas * std::max(sek, 1e-3)) << "look " << k + 1;
    }
  }
}

TEST(Simulate, SameSeedSameResultForAnyThreadCount) {
  auto ref = reference("simulate/simulate.json");
  auto s = scenario_of(ref["cases"][0]["hazard"], nullptr);
  auto a = hazard::simulate_trials(s, {.reps = 300, .seed = 11, .threads = 1, .keep_trials = true});
  auto b = hazard::simulate_trials(s, {.reps = 300, .seed = 11, .threads = 2, .keep_trials = true});
  auto c = hazard::simulate_trials(s, {.reps = 300, .seed = 12, .threads = 2, .keep_trials = true});
  EXPECT_EQ(a.power, b.power);
  EXPECT_EQ(a.expected_events, b.expected_events);
  EXPECT_EQ(a.expected_duration, b.expected_duration);
  EXPECT_EQ(a.hr.mean, b.hr.mean);
  ASSERT_EQ(a.trials.size(), b.trials.size());
  for (std::size_t i = 0; i < a.trials.size(); ++i) {
    EXPECT_EQ(a.trials[i].z, b.trials[i].z);
    EXPECT_EQ(a.trials[i].duration, b.trials[i].duration);
  }
  EXPECT_NE(a.expected_duration, c.expected_duration);  // another seed, other trials
}

TEST(Simulate, StratifiedTestHoldsLevelWithStrongStratumEffect) {
  // Under H0 with a 4-fold hazard difference between strata and random allocation the stratified
  // log-rank test keeps its one-sided level (2.5%) within Monte-Carlo error.
  hazard::SimulationScenario s;
  s.n = 400;
  s.ratio = 1;
  s.control = {.start = {0.0}, .rate = {0.1}};
  s.experimental = s.control;
  s.strata = {{.name = "low", .prevalence = 0.7, .hazard_multiplier = 0.5},
              {.name = "high", .prevalence = 0.3, .hazard_multiplier = 2.0}};
  s.random_allocation = true;
  s.accrual = {.end = {12.0}, .rate = {1.0}};
  s.looks = {250};
  s.z_efficacy = {1.959963984540054};
  auto r = hazard::simulate_trials(s, {.reps = 3000, .seed = 3});
  double se = std::sqrt(0.025 * 0.975 / 3000);
  EXPECT_LE(std::fabs(r.power - 0.025), hazard::tol::mc_sigmas * se) << r.power;
  // and it has power under a stratum-constant HR of 0.7
  s.experimental = hazard::multiply_hazard(s.control, std::vector<double>{0.0}, std::vector<double>{0.7});
  auto r1 = hazard::simulate_trials(s, {.reps = 1000, .seed = 3});
  EXPECT_GT(r1.power, 0.6);
  EXPECT_NEAR(r1.hr.median, 0.7, 0.05);
}

}  // namespace

// Issue 19: the summary is folded trial by trial in trial order, without keeping the trials. With
// more trials than the HR summary keeps whole (2^17), its mean and type-7 quantiles must still be
// those of all the trials' estimates (kept here with keep_trials and computed directly), and the
// thread count must not matter.
TEST(Simulate, StreamedSummaryEqualsTheDirectOne) {
  hazard::SimulationScenario s;
  s.n = 24;
  s.control = {.start = {0.0}, .rate = {std::log(2.0) / 6}};
  s.experimental = {.start = {0.0}, .rate = {0.7 * std::log(2.0) / 6}};
  s.accrual = {.end = {6.0}, .rate = {1.0}};
  s.looks = {16};
  s.z_efficacy = {1.96};
  const std::size_t reps = 150'000;
  auto a = hazard::simulate_trials(s, {.reps = reps, .seed = 5, .threads = 2, .keep_trials = true});
  auto b = hazard::simulate_trials(s, {.reps = reps, .seed = 5, .threads = 1});
  std::vector<double> hr;
  double rejected = 0, events = 0, sum = 0;
  for (const auto& t : a.trials) {
    rejected += t.reject;
    events += t.events;
    if (std::isfinite(t.hr)) {
      hr.push_back(t.hr);
      sum += t.hr;
    }
  }
  ASSERT_GT(hr.size(), std::size_t{1} << 17);
  EXPECT_EQ(a.power, rejected / static_cast<double>(reps));
  EXPECT_EQ(a.expected_events, events / static_cast<double>(reps));
  EXPECT_EQ(a.hr.mean, sum / static_cast<double>(hr.size()));
  std::sort(hr.begin(), hr.end());
  auto type7 = [&](double p) {
    const double h = (static_cast<double>(hr.size()) - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, hr.size() - 1);
    return hr[lo] + (h - static_cast<double>(lo)) * (hr[hi] - hr[lo]);
  };
  EXPECT_EQ(a.hr.q025, type7(0.025));
  EXPECT_EQ(a.hr.q25, type7(0.25));
  EXPECT_EQ(a.hr.median, type7(0.5));
  EXPECT_EQ(a.hr.q75, type7(0.75));
  EXPECT_EQ(a.hr.q975, type7(0.975));
  // one thread, no trials kept: the same numbers
  EXPECT_EQ(a.power, b.power);
  EXPECT_EQ(a.hr.mean, b.hr.mean);
  EXPECT_EQ(a.hr.sd, b.hr.sd);
  EXPECT_EQ(a.hr.median, b.hr.median);
  EXPECT_EQ(a.mean_look_time, b.mean_look_time);
  EXPECT_TRUE(b.trials.empty());
}

TEST(Simulate, RepsOutOfRangeAreUsageErrors) {
  auto s = hazard::test::cabinet_like({3.5, 2.5, 2.0});
  EXPECT_THROW(hazard::simulate_trials(s, {.reps = 0}), hazard::UsageError);
  EXPECT_THROW(hazard::simulate_trials(s, {.reps = hazard::max_simulation_reps + 1}), hazard::UsageError);
}
