// Events, sample size and look times against rpact's getSampleSizeSurvival
// (tests/reference/design/make_design.R, survival.json). Each case carries the hazard CLI flags
// equivalent to the rpact call; this test maps them onto the library options directly.
#include <cmath>

#include <gtest/gtest.h>

#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "unit/design/design_flags.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

using hazard::test::jnum;
using hazard::test::near_rel;

namespace {

std::vector<double> vec(const nlohmann::json& j) {
  std::vector<double> v;
  for (const auto& x : j) v.push_back(jnum(x));
  return v;
}

TEST(SurvivalDesign, MatchesRpactGetSampleSizeSurvival) {
  auto ref = hazard::test::reference("design/survival.json");
  double worst_events = 0, worst_n = 0, worst_time = 0;
  auto rel = [](double a, double b) { return std::fabs(a - b) / std::fabs(b); };
  for (const auto& c : ref["cases"]) {
    SCOPED_TRACE(c["call"].get<std::string>());
    auto o = hazard::test::options_from_flags(c["flags"].get<std::string>()).design;
    auto d = hazard::design_survival(o);
    const std::size_t K = d.boundaries.looks();
    auto ev = vec(c["events"]);
    auto hb = vec(c["hr_boundary"]);
    ASSERT_EQ(ev.size(), K);
    EXPECT_TRUE(near_rel(d.events_fixed, c["events_fixed"].get<double>(), hazard::tol::design));
    for (std::size_t k = 0; k < K; ++k) {
      EXPECT_TRUE(near_rel(d.events[k], ev[k], hazard::tol::design)) << "look " << k + 1;
      EXPECT_TRUE(near_rel(d.hr_efficacy[k], hb[k], hazard::tol::design)) << "look " << k + 1;
      worst_events = std::max(worst_events, rel(d.events[k], ev[k]));
    }
    if (K > 1) {
      EXPECT_TRUE(near_rel(d.expected_events_h1, c["expected_events_h1"].get<double>(), hazard::tol::design));
      EXPECT_TRUE(near_rel(d.expected_events_h0, c["expected_events_h0"].get<double>(), hazard::tol::design));
      EXPECT_TRUE(near_rel(d.expected_events_h01, c["expected_events_h01"].get<double>(), hazard::tol::design));
    }
    if (c.contains("hr_futility")) {
      auto hf = vec(c["hr_futility"]);
      for (std::size_t k = 0; k + 1 < K; ++k) {
        EXPECT_TRUE(near_rel(d.hr_futility[k], hf[k], hazard::tol::design)) << "look " << k + 1;
      }
    }
    if (c.contains("sample_size")) {
      ASSERT_TRUE(d.plan.has_value());
      const auto& p = *d.plan;
      auto t = vec(c["time"]);
      auto n = vec(c["subjects"]);
      EXPECT_TRUE(near_rel(p.sample_size, c["sample_size"].get<double>(), hazard::tol::design));
      EXPECT_TRUE(near_rel(p.follow_up, c["follow_up"].get<double>(), hazard::tol::design));
      EXPECT_TRUE(near_rel(p.accrual_end, c["accrual_end"].get<double>(), hazard::tol::design));
      worst_n = std::max(worst_n, rel(p.sample_size, c["sample_size"].get<double>()));
      for (std::size_t k = 0; k < K; ++k) {
        EXPECT_TRUE(near_rel(p.time[k], t[k], hazard::tol::design)) << "look " << k + 1;
        EXPECT_TRUE(near_rel(p.subjects[k], n[k], hazard::tol::design)) << "look " << k + 1;
        worst_time = std::max(worst_time, rel(p.time[k], t[k]));
      }
      if (K > 1) {
        EXPECT_TRUE(near_rel(p.expected_duration_h1, c["expected_duration_h1"].get<double>(),
                             hazard::tol::design));
        EXPECT_TRUE(near_rel(p.expected_subjects_h1, c["expected_sample_size_h1"].get<double>(),
                             hazard::tol::design));
      }
    }
  }
  std::printf("max relative difference vs rpact: events %.3g, sample size %.3g, look times %.3g\n",
              worst_events, worst_n, worst_time);
}

TEST(SurvivalDesign, MarginsTwoSidedWangTsiatisUserAndRateMatchRpact) {
  // make_design_breadth.R "survival": thetaH0 (non-inferiority, superiority margin), sided = 2,
  // WT, asUser, accrual given as a rate; subjects per arm.
  auto ref = hazard::test::reference("design/breadth.json");
  for (const auto& c : ref["survival"]) {
    SCOPED_TRACE(c["call"].get<std::string>());
    auto o = hazard::test::options_from_flags(c["flags"].get<std::string>()).design;
    auto d = hazard::design_survival(o);
    const std::size_t K = d.boundaries.looks();
    auto ev = vec(c["events"].is_array() ? c["events"] : nlohmann::json::array({c["events"]}));
    auto hb = vec(c["hr_boundary"].is_array() ? c["hr_boundary"]
                                              : nlohmann::json::array({c["hr_boundary"]}));
    ASSERT_EQ(ev.size(), K);
    EXPECT_TRUE(near_rel(d.events_fixed, c["events_fixed"].get<double>(), hazard::tol::design));
    for (std::size_t k = 0; k < K; ++k) {
      EXPECT_TRUE(near_rel(d.events[k], ev[k], hazard::tol::design)) << "look " << k + 1;
      EXPECT_TRUE(near_rel(d.hr_efficacy[k], hb[k], hazard::tol::design)) << "look " << k + 1;
    }
    if (c["hr_boundary_other"].is_number() || c["hr_boundary_other"].is_array()) {
      auto ho =
          vec(c["hr_boundary_other"].is_array() ? c["hr_boundary_other"]
                                                : nlohmann::json::array({c["hr_boundary_other"]}));
      for (std::size_t k = 0; k < K; ++k) {
        EXPECT_TRUE(near_rel(d.hr_efficacy_other[k], ho[k], hazard::tol::design)) << k + 1;
      }
    }
    ASSERT_TRUE(d.plan.has_value());
    const auto& p = *d.plan;
    const double n = c["sample_size"].get<double>();
    EXPECT_TRUE(near_rel(p.sample_size, n, hazard::tol::design));
    const double r = o.ratio;
    if (c["sample_size_1"].is_number()) {  // rpact gives the arms for unequal allocation
      EXPECT_TRUE(near_rel(p.sample_size * r / (1 + r), c["sample_size_1"].get<double>(),
                           hazard::tol::design));
      EXPECT_TRUE(
          near_rel(p.sample_size / (1 + r), c["sample_size_2"].get<double>(), hazard::tol::design));
    }
    EXPECT_TRUE(near_rel(p.follow_up, c["follow_up"].get<double>(), hazard::tol::design));
    EXPECT_TRUE(near_rel(p.accrual_end, c["accrual_end"].get<double>(), hazard::tol::design));
    auto t = vec(c["time"].is_array() ? c["time"] : nlohmann::json::array({c["time"]}));
    for (std::size_t k = 0; k < K; ++k) {
      EXPECT_TRUE(near_rel(p.time[k], t[k], hazard::tol::design)) << "look " << k + 1;
    }
    if (K > 1) {
      EXPECT_TRUE(near_rel(d.expected_events_h1, c["expected_events_h1"].get<double>(),
                           hazard::tol::design));
      EXPECT_TRUE(near_rel(p.expected_duration_h1, c["expected_duration_h1"].get<double>(),
                           hazard::tol::design));
    }
  }
}

/// Power-mode cases (getPowerSurvival) of breadth.json section `section`.
void check_power(const nlohmann::json& cases, bool rounded) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c["call"].get<std::string>());
    auto o = hazard::test::options_from_flags(c["flags"].get<std::string>()).design;
    auto d = hazard::design_survival(o);
    if (rounded) d = hazard::round_up(o, d);
    EXPECT_TRUE(d.power_mode);
    const std::size_t K = d.boundaries.looks();
    auto L = [](const nlohmann::json& j) { return j.is_array() ? j : nlohmann::json::array({j}); };
    auto ev = vec(L(c["events"]));
    auto rj = vec(L(c["reject"]));
    ASSERT_EQ(ev.size(), K);
    EXPECT_TRUE(near_rel(d.power, c["power"].get<double>(), hazard::tol::design));
    for (std::size_t k = 0; k < K; ++k) {
      EXPECT_TRUE(near_rel(d.events[k], ev[k], 1e-12)) << "look " << k + 1;
      EXPECT_TRUE(near_rel(d.reject_h1[k], rj[k], hazard::tol::design)) << "look " << k + 1;
    }
    EXPECT_TRUE(
        near_rel(d.expected_events_h1, c["expected_events_h1"].get<double>(), hazard::tol::design));
    ASSERT_TRUE(d.plan.has_value());
    const auto& p = *d.plan;
    EXPECT_TRUE(near_rel(p.sample_size, c["sample_size"].get<double>(), 1e-12));
    EXPECT_TRUE(near_rel(p.follow_up, c["follow_up"].get<double>(), hazard::tol::design));
    auto t = vec(L(c["time"]));
    auto n = vec(L(c["subjects"]));
    for (std::size_t k = 0; k < K; ++k) {
      EXPECT_TRUE(near_rel(p.time[k], t[k], hazard::tol::design)) << "look " << k + 1;
      EXPECT_TRUE(near_rel(p.subjects[k], n[k], hazard::tol::design)) << "look " << k + 1;
    }
    if (K > 1) {
      EXPECT_TRUE(near_rel(p.expected_duration_h1, c["expected_duration_h1"].get<double>(),
                           hazard::tol::design));
    }
  }
}

TEST(SurvivalDesign, PowerForGivenEventsOrSubjectsMatchesRpact) {
  // make_design_breadth.R "power": getPowerSurvival (power, stage-wise rejection, expected events,
  // look times, subjects) for --events / --n, two-sided, margins, Freedman/Hsieh, a rate.
  auto ref = hazard::test::reference("design/breadth.json");
  ASSERT_GE(ref["power"].size(), 7u);
  check_power(ref["power"], false);
}

TEST(SurvivalDesign, WholeNumbersMatchRpactAtTheCeilings) {
  // make_design_breadth.R "rounded": getPowerSurvival at ceiling(D) events and the per-arm
  // ceilings of N subjects.
  auto ref = hazard::test::reference("design/breadth.json");
  check_power(ref["rounded"], true);
  for (const auto& c : ref["rounded"]) {
    auto o = hazard::test::options_from_flags(c["flags"].get<std::string>()).design;
    auto d = hazard::design_survival(o);
    EXPECT_FALSE(d.power_mode);
    EXPECT_TRUE(near_rel(d.max_events, c["exact_events"].get<double>(), hazard::tol::design));
    EXPECT_TRUE(
        near_rel(d.plan->sample_size, c["exact_sample_size"].get<double>(), hazard::tol::design));
  }
}

TEST(SurvivalDesign, PowerAtTheDesignEventsIsTheTargetPower) {
  // Power mode at the events of the sample-size design returns 1 - beta.
  auto o = hazard::test::options_from_flags(
               "--hr 0.65 --alpha 0.025 --power 0.85 --ratio 2 --looks 4 --spending hsd:-2")
               .design;
  auto d = hazard::design_survival(o);
  o.max_events = d.max_events;
  auto p = hazard::design_survival(o);
  EXPECT_NEAR(p.power, 0.85, 1e-9);
  EXPECT_NEAR(p.expected_events_h1, d.expected_events_h1, 1e-6);
}

TEST(SurvivalDesign, RejectsInconsistentSampleSize) {
  auto o = hazard::test::options_from_flags(
               "--hr 0.7 --looks 2 --median-control 10 --accrual-time 12 --accrual-rate 10")
               .design;
  o.max_subjects = 150;  // the closed accrual gives 120
  EXPECT_THROW(hazard::design_survival(o), hazard::UsageError);
  auto q = hazard::test::options_from_flags("--hr 0.7 --looks 2").design;
  q.max_subjects = 150;  // no accrual and survival
  EXPECT_THROW(hazard::design_survival(q), hazard::UsageError);
}

}  // namespace
