// The report's inference after a group-sequential stop (src/report/after_stop.cpp) against rpact
// (tests/reference/design/make_report_after_stop.R): a model holding the example trial's stratified
// log-rank z and events per cohort, as R's survdiff gives them, taken as look K of each design.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "hazard/error.hpp"
#include "hazard/report.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"
#include "unit/design/design_flags.hpp"

using hazard::test::jnum;
using hazard::test::near_rel;

namespace {

hazard::SavedDesign design_of(const nlohmann::json& c) {
  auto f = hazard::test::options_from_flags(c["design_flags"].get<std::string>());
  hazard::SavedDesign d{.boundaries = f.design.boundaries,
                        .hr = f.design.hr,
                        .hr0 = f.design.hr0,
                        .ratio = f.design.ratio,
                        .max_events = jnum(c["max_events"])};
  for (double t : d.boundaries.info) d.events.push_back(t * d.max_events);
  return d;
}

hazard::report::CohortResult cohort(const std::string& name, double z, double events) {
  hazard::report::CohortResult c;
  c.name = name;
  c.arms = {{.arm = "Cabozantinib"}, {.arm = "Placebo"}};
  c.control = "Placebo";
  c.comparisons.push_back({.experimental = "Cabozantinib",
                           .control = "Placebo",
                           .z_logrank = z,
                           .events_logrank = events});
  return c;
}

TEST(ReportAfterStop, MatchesRpactForTheExampleTrial) {
  auto ref = hazard::test::reference("design/report_after_stop.json");
  for (const auto& c : ref["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    hazard::report::ReportModel m;
    for (const auto& k : c["cohorts"])
      m.cohorts.push_back(cohort(k["cohort"], jnum(k["z_logrank"]), jnum(k["events"])));
    auto a = hazard::report::after_stop_analysis(
        m, {.design = design_of(c), .design_file = "d.json", .look = c["look"].get<std::size_t>()});
    ASSERT_EQ(a.cohorts.size(), c["cohorts"].size());
    for (std::size_t i = 0; i < a.cohorts.size(); ++i) {
      const auto& r = a.cohorts[i];
      const auto& k = c["cohorts"][i];
      ASSERT_TRUE(r.computed) << r.note;
      EXPECT_NEAR(r.z, -jnum(k["z_logrank"]), 1e-15);
      EXPECT_TRUE(near_rel(r.z_bound, jnum(k["critical_value"]), hazard::tol::design));
      EXPECT_EQ(r.boundary_crossed, k["boundary_crossed"].get<bool>());
      EXPECT_TRUE(near_rel(r.repeated_p, jnum(k["repeated_p"]), hazard::tol::repeated_p));
      EXPECT_TRUE(near_rel(r.rci_lower, jnum(k["rci_lower"]), hazard::tol::after_stop));
      EXPECT_TRUE(near_rel(r.rci_upper, jnum(k["rci_upper"]), hazard::tol::after_stop));
      if (k["final_stage"].is_null()) {
        EXPECT_FALSE(r.after_stop);
        EXPECT_TRUE(std::isnan(r.p_stagewise));
        EXPECT_EQ(r.note, "the trial continues: no bound crossed");
        continue;
      }
      ASSERT_TRUE(r.after_stop) << r.note;
      EXPECT_TRUE(near_rel(r.p_stagewise, jnum(k["p_stagewise"]), hazard::tol::after_stop));
      EXPECT_TRUE(
          near_rel(r.hr_median_unbiased, jnum(k["hr_median_unbiased"]), hazard::tol::after_stop));
      EXPECT_TRUE(near_rel(r.ci_lower, jnum(k["ci_lower"]), hazard::tol::after_stop));
      EXPECT_TRUE(near_rel(r.ci_upper, jnum(k["ci_upper"]), hazard::tol::after_stop));
      EXPECT_DOUBLE_EQ(r.ci_level, 0.95);
    }
  }
}

TEST(ReportAfterStop, NotesInsteadOfNumbers) {
  auto ref = hazard::test::reference("design/report_after_stop.json");
  const auto& c = ref["cases"][0];  // OBF, 3 looks, ~99.6 events; look 2
  hazard::report::ReportModel m;
  m.cohorts.push_back(cohort("few events", -4.0, 30));  // not above look 1's 33.2 planned events
  m.cohorts.push_back(cohort("no test", NAN, 0));
  m.cohorts.push_back(cohort("three arms", -3.0, 70));
  m.cohorts.back().comparisons.push_back(m.cohorts.back().comparisons.front());
  m.cohorts.push_back(cohort("Overall", -4.0, 70));
  auto a = hazard::report::after_stop_analysis(
      m, {.design = design_of(c), .design_file = "d.json", .look = 2, .last_is_pooled = true});
  ASSERT_EQ(a.cohorts.size(), 4u);
  for (const auto& r : a.cohorts) EXPECT_FALSE(r.computed) << r.cohort;
  EXPECT_EQ(a.cohorts[0].note.substr(0, 60),
            "30 events at look 2: not above the design's 33.19 events of ");
  EXPECT_EQ(a.cohorts[1].note, "no log-rank test: no group-sequential inference");
  EXPECT_EQ(a.cohorts[2].note, "several comparisons: the design compares two arms");
  EXPECT_EQ(a.cohorts[3].note,
            "the pooled cohorts are not a trial of the design: no group-sequential inference");
  // An interim look with the design's maximum already reached is not that look.
  m.cohorts = {cohort("too many", -2.0, 120)};
  a = hazard::report::after_stop_analysis(
      m, {.design = design_of(c), .design_file = "d.json", .look = 2});
  EXPECT_FALSE(a.cohorts[0].computed);
  EXPECT_NE(a.cohorts[0].note.find("at or above the design's maximum"), std::string::npos);
  EXPECT_THROW(hazard::report::after_stop_analysis(m, {.design = design_of(c), .look = 0}),
               hazard::UsageError);
  EXPECT_THROW(hazard::report::after_stop_analysis(m, {.design = design_of(c), .look = 4}),
               hazard::UsageError);
}

}  // namespace
