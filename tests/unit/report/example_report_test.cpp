// End to end on the shipped example (examples/cabinet, SIMULATED data): read ADTTE, run hazard's
// Kaplan–Meier and stratified log-rank per cohort, fill the ReportModel with the adapters, write
// every file. Checks that the writers carry the estimators' numbers unchanged (results.csv and the
// HTML data-value attributes equal the KM output) and that every figure is drawn. The statistics
// themselves are tested against R in tests/unit/km and tests/unit/logrank.
#include <gtest/gtest.h>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "hazard/csv.hpp"
#include "hazard/digest.hpp"
#include "hazard/km.hpp"
#include "hazard/logrank.hpp"
#include "hazard/plot.hpp"
#include "hazard/report.hpp"
#include "hazard/survdata.hpp"

namespace hr = hazard::report;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(ExampleReport, CabinetPfsFromHazardEstimators) {
  const std::string path = std::string(HAZARD_SOURCE_DIR) + "/examples/cabinet/adtte.csv";
  const hazard::Table table = hazard::read_csv(path);
  hr::ReportModel m;
  m.title = "CABINET-SIM: progression-free survival";
  m.notice = "SIMULATED DATA \u2014 not trial data.";
  m.by = "COHORT";
  m.landmark_times = {6, 12};
  m.inputs = {{.path = "examples/cabinet/adtte.csv", .sha256 = hazard::sha256_file(path), .bytes = 0}};
  std::vector<hazard::KmGroup> km_of_active;
  for (const char* cohort : {"pNET", "epNET"}) {
    hazard::Roles roles;
    roles.time = "AVAL";
    roles.event = "CNSR";
    roles.coding = hazard::EventCoding::cnsr;
    roles.group = "TRT01P";
    roles.ref = "Placebo";
    roles.strata = {"STRAT1R", "STRAT2R"};
    roles.where = {{.column = "PARAMCD", .value = "PFS"}, {.column = "COHORT", .value = cohort}};
    const hazard::SurvData d = hazard::build_surv_data(table, roles);
    const hazard::KmResult km = hazard::kaplan_meier(d, {.times = m.landmark_times});
    const hazard::LogrankResult lr = hazard::logrank(d);
    ASSERT_EQ(km.groups.size(), 2u);
    hr::CohortResult c;
    c.name = cohort;
    c.arms = {hr::arm_from_km(km.groups[1], d.group_levels[1]),  // experimental first
              hr::arm_from_km(km.groups[0], d.group_levels[0])};
    c.control = d.group_levels[0];
    c.comparisons = {{.experimental = d.group_levels[1],
                      .control = d.group_levels[0],
                      .p_two_sided = lr.test.p,
                      .p_one_sided = lr.test.p_one_sided,
                      .note = ""}};
    km_of_active.push_back(km.groups[1]);
    m.cohorts.push_back(std::move(c));
  }
  m.forest = hr::cohort_forest_rows(m);
  EXPECT_EQ(m.cohorts[0].arms[0].n, 64);
  EXPECT_EQ(m.cohorts[0].arms[1].n, 31);
  EXPECT_EQ(m.cohorts[1].arms[0].n, 134);
  EXPECT_EQ(m.cohorts[1].arms[1].n, 69);

  const auto dir = std::filesystem::temp_directory_path() / "hazard_example_report_test";
  std::filesystem::remove_all(dir);
  hr::write_report(m, dir.string());

  // The numbers written are the estimators' numbers, unrounded.
  const std::string csv = slurp(dir / "results.csv");
  const std::string html = slurp(dir / "report.html");
  for (std::size_t k = 0; k < 2; ++k) {
    const std::string cohort = m.cohorts[k].name;
    const double median = km_of_active[k].median.estimate;
    EXPECT_NE(csv.find(fmt::format("PFS,{},Cabozantinib,median,,{},", cohort, median)), std::string::npos);
    EXPECT_NE(html.find(fmt::format("data-cohort=\"{}\" data-arm=\"Cabozantinib\" data-stat=\"median\" data-value=\"{}\"",
                                    cohort, median)),
              std::string::npos);
  }
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_NE(html.find("SIMULATED DATA"), std::string::npos);
  // Every figure drawn, in both arms' colours.
  for (const char* f : {"km_1_pNET.png", "km_2_epNET.png"}) {
    const std::string png = slurp(dir / f);
    EXPECT_GT(hazard::plot::png_stats(png).non_background, 50000u) << f;
    EXPECT_GT(hazard::plot::png_colour_pixels(png, hazard::plot::okabe_ito()[0]), 2000u) << f;
    EXPECT_GT(hazard::plot::png_colour_pixels(png, hazard::plot::okabe_ito()[1]), 2000u) << f;
  }
  // No HR yet (Cox lands separately): the forest rows say so instead of drawing nothing.
  EXPECT_EQ(m.forest[0].note, "not estimable");
  EXPECT_GT(hazard::plot::png_stats(slurp(dir / "forest.png")).non_background, 10000u);
  std::filesystem::remove_all(dir);
}
