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

}  // namespace
