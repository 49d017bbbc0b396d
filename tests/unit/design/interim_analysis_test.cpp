// Interim monitoring against rpact (tests/reference/design/make_design.R): Lan–DeMets bounds at
// observed events (monitor.json: rpact designs with the observed information rates) and
// conditional power and repeated confidence intervals (analysis.json: getAnalysisResults).
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "hazard/error.hpp"
#include "hazard/monitor.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"
#include "unit/design/design_flags.hpp"

using hazard::test::jnum;
using hazard::test::near_rel;

namespace {

std::vector<double> vec(const nlohmann::json& j) {
  if (!j.is_array()) return {jnum(j)};
  std::vector<double> v;
  for (const auto& x : j) v.push_back(jnum(x));
  return v;
}

hazard::InterimOptions interim_of(const std::string& flags) {
  auto f = hazard::test::options_from_flags(flags);
  return {.design = f.design.boundaries, .max_events = f.max_events, .hr = f.design.hr,
          .ratio = f.design.ratio, .hr0 = f.hr0, .events = f.events, .z = f.z};
}

TEST(InterimAnalysis, BoundsAtObservedEventsMatchRpact) {
  auto ref = hazard::test::reference("design/monitor.json");
  for (const auto& c : ref["cases"]) {
    SCOPED_TRACE(c["call"].get<std::string>());
    auto r = hazard::monitor_interim(interim_of(c["flags"].get<std::string>()));
    auto info = vec(c["info"]);
    auto ze = vec(c["z_efficacy"]);
    auto ca = vec(c["cum_alpha"]);
    ASSERT_EQ(r.info.size(), info.size());
    for (std::size_t k = 0; k < info.size(); ++k) {
      EXPECT_TRUE(near_rel(r.info[k], info[k], 1e-14));
      EXPECT_TRUE(near_rel(r.z_efficacy[k], ze[k], hazard::tol::design)) << "look " << k + 1;
      if (r.final_analysis && k + 1 == info.size()) {
        EXPECT_NEAR(r.cum_alpha[k], ca[k], hazard::tol::design_alpha_floor);
      } else {
        EXPECT_TRUE(near_rel(r.cum_alpha[k], ca[k], hazard::tol::design)) << "look " << k + 1;
      }
    }
  }
}

TEST(InterimAnalysis, ConditionalPowerAndRepeatedCiMatchRpact) {
  auto ref = hazard::test::reference("design/analysis.json");
  for (const auto& c : ref["cases"]) {
    SCOPED_TRACE(c["call_h1"].get<std::string>());
    auto r = hazard::monitor_interim(interim_of(c["flags"].get<std::string>()));
    EXPECT_TRUE(near_rel(r.cp_h1, c["cp_h1"].get<double>(), hazard::tol::design));
    EXPECT_TRUE(near_rel(r.cp_trend, c["cp_trend"].get<double>(), hazard::tol::design));
    auto lo = vec(c["rci_lower"]);
    auto hi = vec(c["rci_upper"]);
    for (std::size_t k = 0; k < lo.size(); ++k) {
      EXPECT_TRUE(near_rel(r.rci_lower[k], lo[k], hazard::tol::design)) << "look " << k + 1;
      EXPECT_TRUE(near_rel(r.rci_upper[k], hi[k], hazard::tol::design)) << "look " << k + 1;
    }
  }
}

TEST(InterimAnalysis, RepeatedCiMatchesRpactAfterTheStop) {
  // getRepeatedConfidenceIntervals (tolerance 1e-12) at every look of the after-stop cases.
  auto ref = hazard::test::reference("design/after_stop.json");
  for (const auto& c : ref["cases"]) {
    SCOPED_TRACE(c["note"].get<std::string>() + ": " + c["flags"].get<std::string>());
    auto f = hazard::test::options_from_flags(c["flags"].get<std::string>());
    auto r = hazard::monitor_interim({.design = f.design.boundaries,
                                      .max_events = f.max_events,
                                      .hr = f.design.hr,
                                      .ratio = f.design.ratio,
                                      .hr0 = f.hr0,
                                      .events = f.events,
                                      .z = f.z});
    auto lo = vec(c["rci_lower"]);
    auto hi = vec(c["rci_upper"]);
    ASSERT_EQ(lo.size(), r.rci_lower.size());
    for (std::size_t k = 0; k < lo.size(); ++k) {
      EXPECT_TRUE(near_rel(r.rci_lower[k], lo[k], hazard::tol::design)) << "look " << k + 1;
      EXPECT_TRUE(near_rel(r.rci_upper[k], hi[k], hazard::tol::design)) << "look " << k + 1;
    }
  }
}

TEST(InterimAnalysis, Decisions) {
  hazard::InterimOptions o;
  o.design.alpha = 0.025;
  o.design.beta = 0.1;
  o.design.info = {1.0 / 3, 2.0 / 3, 1.0};
  o.max_events = 180;
  o.hr = 0.6;
  o.ratio = 2;
  o.events = {60};
  o.z = {4.0};
  EXPECT_EQ(hazard::monitor_interim(o).decision, hazard::Decision::reject_h0);
  o.z = {2.0};
  EXPECT_EQ(hazard::monitor_interim(o).decision, hazard::Decision::continue_trial);
  o.events = {60, 120, 180};
  o.z = {1.0, 1.5, 1.9};
  auto r = hazard::monitor_interim(o);
  EXPECT_TRUE(r.final_analysis);
  EXPECT_EQ(r.decision, hazard::Decision::accept_h0);
  EXPECT_TRUE(std::isnan(r.cp_h1));
  o.z = {1.0, 1.5, 2.0};
  EXPECT_EQ(hazard::monitor_interim(o).decision, hazard::Decision::reject_h0);
  // Futility (non-binding beta spending): a clearly negative trend stops.
  o.design.futility = hazard::parse_spending("obf");
  o.events = {60};
  o.z = {-1.5};
  EXPECT_EQ(hazard::monitor_interim(o).decision, hazard::Decision::stop_futility);
}

TEST(InterimAnalysis, FinalLookSpendsAllAlpha) {
  // Fewer events than planned at the final analysis: all alpha is still spent.
  hazard::InterimOptions o;
  o.design.info = {0.5, 1.0};
  o.design.beta = 0.1;
  o.max_events = 200;
  o.hr = 0.7;
  o.events = {100, 190};
  o.z = {1, 2};
  o.final_analysis = true;
  auto r = hazard::monitor_interim(o);
  EXPECT_NEAR(r.cum_alpha.back(), 0.025, 1e-10);
}

TEST(InterimAnalysis, EarlierLooksWithUnknownZMatchRpactAfterTheStop) {
  // Every rpact case stopping at the last look given (make_after_stop.R): the trial went on past
  // the earlier looks, so their z may be unknown (NaN) without changing the inference at the stop.
  auto ref = hazard::test::reference("design/after_stop.json");
  std::size_t n = 0;
  for (const auto& c : ref["cases"]) {
    auto f = hazard::test::options_from_flags(c["flags"].get<std::string>());
    if (c["final_stage"].get<std::size_t>() != f.events.size() || f.events.size() < 2) continue;
    SCOPED_TRACE(c["note"].get<std::string>());
    ++n;
    hazard::InterimOptions o{.design = f.design.boundaries,
                             .max_events = f.max_events,
                             .hr = f.design.hr,
                             .ratio = f.design.ratio,
                             .hr0 = f.hr0,
                             .events = f.events,
                             .z = f.z,
                             .final_analysis = c["flags"].get<std::string>().find("--final") != std::string::npos};
    for (std::size_t j = 0; j + 1 < o.z.size(); ++j) o.z[j] = NAN;
    EXPECT_THROW(hazard::monitor_interim(o), hazard::UsageError);  // not without the flag
    o.earlier_z_unknown = true;
    auto r = hazard::monitor_interim(o);
    ASSERT_TRUE(r.after_stop.has_value()) << r.after_stop_note;
    EXPECT_EQ(r.after_stop->look, f.events.size());
    EXPECT_TRUE(near_rel(r.after_stop->p_value, jnum(c["p_final"]), hazard::tol::after_stop));
    EXPECT_TRUE(near_rel(r.after_stop->hr_median_unbiased, jnum(c["median_unbiased"]),
                         hazard::tol::after_stop));
    EXPECT_TRUE(near_rel(r.after_stop->ci_lower, jnum(c["ci_lower"]), hazard::tol::after_stop));
    EXPECT_TRUE(near_rel(r.after_stop->ci_upper, jnum(c["ci_upper"]), hazard::tol::after_stop));
    const auto& want = c["repeated_p"][f.events.size() - 1];  // null: rpact has none (asUser)
    const double rp = want.is_null() ? NAN : std::min(0.5, jnum(want));
    if (!std::isnan(r.repeated_p.back()) && !std::isnan(rp)) {
      EXPECT_TRUE(near_rel(r.repeated_p.back(), rp, hazard::tol::repeated_p));
    }
    EXPECT_TRUE(std::isnan(r.repeated_p.front()));
    EXPECT_TRUE(std::isnan(r.hr.front()));
  }
  EXPECT_GE(n, 8u);
}

TEST(InterimAnalysis, RejectsBadInput) {
  hazard::InterimOptions o;
  o.design.info = {0.5, 1.0};
  o.max_events = 100;
  o.events = {50, 40};
  o.z = {1, 1};
  EXPECT_THROW(hazard::monitor_interim(o), hazard::UsageError);
  o.events = {50};
  EXPECT_THROW(hazard::monitor_interim(o), hazard::UsageError);
}

}  // namespace
