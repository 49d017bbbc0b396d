// results.csv / results.json: one row per number, unrounded, NA/null for not estimable; and
// write_report writes every file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "hazard/plot.hpp"
#include "hazard/report.hpp"
#include "unit/report/report_fixture.hpp"

namespace hr = hazard::report;

TEST(Results, RowsForEveryNumber) {
  const hr::ReportModel m = hazard::test::sample_model();
  const auto rows = hr::result_rows(m);
  // Per arm: n, events, events_pct, censored, censored_pct (5) + median, q25, q75 with CIs (9)
  // + median follow-up with CI (3) + 2 landmark rates with CIs (6) = 23; per cohort comparison:
  // 2 HRs with CIs (6) + 2 p = 8; per stratified cohort: the patients not in the stratified
  // analyses (1).
  EXPECT_EQ(rows.size(), 2u * (2 * 23 + 8 + 1));
  bool found = false;
  for (const auto& r : rows)
    if (r.cohort == "epNET" && r.arm == "Cabozantinib" && r.statistic == "median_upper") {
      EXPECT_TRUE(std::isnan(r.value));
      found = true;
    }
  EXPECT_TRUE(found);
}

TEST(Results, CsvRoundTripsValues) {
  const hr::ReportModel m = hazard::test::sample_model();
  const std::string csv = hr::render_results_csv(m);
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "endpoint,cohort,arm,statistic,timepoint,value,method");
  EXPECT_NE(csv.find("PFS,pNET,Cabozantinib,median,,12.8125,"), std::string::npos);
  EXPECT_NE(csv.find("PFS,pNET,Cabozantinib vs Placebo,p_two_sided,,3.1e-05,"), std::string::npos);
  EXPECT_NE(csv.find("PFS,epNET,Cabozantinib,median_upper,,NA,"), std::string::npos);
  EXPECT_NE(csv.find("PFS,pNET,Placebo,rate,12,0.523,"), std::string::npos);
  std::size_t lines = 0;
  while (std::getline(in, line)) ++lines;
  EXPECT_EQ(lines, hr::result_rows(m).size());
}

TEST(Results, JsonHasMetadataAndSameRows) {
  const hr::ReportModel m = hazard::test::sample_model();
  const auto j = nlohmann::json::parse(hr::render_results_json(m));
  EXPECT_EQ(j["notice"], m.notice);
  EXPECT_EQ(j["inputs"][0]["sha256"], m.inputs[0].sha256);
  EXPECT_EQ(j["results"].size(), hr::result_rows(m).size());
  EXPECT_EQ(j["results"][5]["statistic"], "median");
  EXPECT_EQ(j["results"][5]["value"].get<double>(), 12.8125);
}

TEST(Results, FileStem) {
  EXPECT_EQ(hr::file_stem("pNET"), "pNET");
  EXPECT_EQ(hr::file_stem("Age <65 / F"), "Age__65___F");
  EXPECT_EQ(hr::file_stem(""), "_");
  EXPECT_EQ(hr::file_stem(std::string(100, 'x')).size(), 40u);
  EXPECT_EQ(hr::km_file_stem(0, "X Y"), "km_1_X_Y");
  EXPECT_EQ(hr::km_file_stem(1, "X_Y"), "km_2_X_Y");
}

// Figure names come from the cohort's index: levels "X Y" and "X_Y" and a level named "Overall"
// next to the pooled Overall cannot overwrite each other. A rerun into the folder removes the
// figures of cohorts that are gone (listed in the previous manifest) and nothing it did not write.
TEST(WriteReport, IndexedNamesAndNoStaleFigures) {
  namespace fs = std::filesystem;
  const auto dir = fs::temp_directory_path() / "hazard_write_report_names";
  fs::remove_all(dir);
  hr::ReportModel m = hazard::test::sample_model();
  m.forest.clear();
  std::vector<hr::CohortResult> cohorts;
  for (const char* name : {"X Y", "X_Y", "Overall", "Overall"}) {
    hr::CohortResult c = m.cohorts[0];
    c.name = name;
    cohorts.push_back(c);
  }
  m.cohorts = cohorts;
  hr::write_report(m, dir.string());
  std::set<std::string> km;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".svg") km.insert(e.path().filename().string());
  EXPECT_EQ(km, (std::set<std::string>{"km_1_X_Y.svg", "km_2_X_Y.svg", "km_3_Overall.svg",
                                       "km_4_Overall.svg"}));
  // User files in the folder, one of them named like a figure.
  std::ofstream(dir / "notes.txt") << "mine";
  std::ofstream(dir / "km_mine.svg") << "<svg/>";
  m.cohorts.resize(2);
  hr::write_report(m, dir.string());
  EXPECT_TRUE(fs::exists(dir / "km_1_X_Y.png"));
  EXPECT_TRUE(fs::exists(dir / "km_2_X_Y.pdf"));
  EXPECT_FALSE(fs::exists(dir / "km_3_Overall.svg"));
  EXPECT_FALSE(fs::exists(dir / "km_4_Overall.png"));
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  EXPECT_TRUE(fs::exists(dir / "km_mine.svg"));
  // A manifest that is not ours (or lists a path outside the folder) removes nothing.
  std::ofstream(dir / hr::manifest_name)
      << R"({"generated_by": "someone", "files": ["notes.txt"]})";
  hr::write_report(m, dir.string());
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  std::ofstream(dir / hr::manifest_name)
      << R"({"generated_by": "hazard report", "files": ["../x.svg", "notes.txt", "km_mine.svg"]})";
  m.cohorts.resize(1);
  hr::write_report(m, dir.string());
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));  // not a name the report writes
  EXPECT_FALSE(
      fs::exists(dir / "km_mine.svg"));  // listed by a hazard manifest and named as a figure
  fs::remove_all(dir);
}

TEST(WriteReport, WritesEveryFile) {
  const auto dir = std::filesystem::temp_directory_path() / "hazard_write_report_test";
  std::filesystem::remove_all(dir);
  const auto written = hr::write_report(hazard::test::sample_model(), dir.string());
  for (const char* name : {"report.html", "efficacy.rtf", "results.csv", "results.json",
                           "km_1_pNET.svg", "km_1_pNET.png", "km_1_pNET.pdf", "km_2_epNET.png",
                           "forest.svg", "forest.png", "forest.pdf"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / name)) << name;
    EXPECT_GT(std::filesystem::file_size(dir / name), 100u) << name;
  }
  EXPECT_EQ(written.size(), 14u);  // 2 cohorts x 3 KM + 3 forest + html, rtf, csv, json, manifest
  std::ifstream png(dir / "km_1_pNET.png", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(png)), std::istreambuf_iterator<char>());
  EXPECT_GT(hazard::plot::png_stats(bytes).non_background, 20000u);
  std::filesystem::remove_all(dir);
}

TEST(Forest, OneRowPerCohortWithNotes) {
  hr::ReportModel m = hazard::test::sample_model();
  m.cohorts[1].comparisons.clear();
  m.cohorts[1].note = "one arm only: no comparison";
  const auto rows = hr::cohort_forest_rows(m);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].label, "pNET");
  EXPECT_EQ(rows[0].n_experimental, 10);
  EXPECT_EQ(rows[0].events_control, 5);
  EXPECT_EQ(rows[0].hr, 0.328);
  EXPECT_TRUE(rows[0].note.empty());
  EXPECT_TRUE(std::isnan(rows[1].hr));
  EXPECT_EQ(rows[1].note, "one arm only: no comparison");
}

// The KM figure and forest plot say what was done: "HR" without strata, "Stratified HR" with them,
// the interval level given, the axis from the endpoint (default "Survival probability (%)").
TEST(Figures, LabelsFollowTheAnalysis) {
  hr::ReportModel m = hazard::test::sample_model();
  m.conf_level = 0.9;
  m.strata.clear();
  hr::AnalysisOptions ao;
  ao.km.conf_level = 0.9;
  m.methods = hr::describe_methods(ao, m.strata);
  hazard::plot::KmPlot kp = hr::km_plot(m, m.cohorts[0]);
  EXPECT_EQ(kp.options.annotation.rfind("HR 0.34 (90% CI 0.20\u20130.57)", 0), 0u)
      << kp.options.annotation;
  EXPECT_NE(kp.options.annotation.find("\nLog-rank p<0.0001"), std::string::npos)
      << kp.options.annotation;
  EXPECT_EQ(kp.options.y_label, "Survival probability (%)");
  EXPECT_EQ(kp.options.x_label, "Time");
  EXPECT_EQ(hr::forest_plot(m).options.estimate_label, "HR (90% CI)");
  m.strata = {"STRAT1R", "STRAT2R"};
  m.methods = hr::describe_methods(ao, m.strata);
  m.y_label = "Progression-free survival (%)";
  m.units = "months";
  kp = hr::km_plot(m, m.cohorts[0]);
  EXPECT_EQ(kp.options.annotation.rfind("Stratified HR 0.33 (90% CI", 0), 0u)
      << kp.options.annotation;
  EXPECT_NE(kp.options.annotation.find("Stratified log-rank p"), std::string::npos);
  EXPECT_EQ(kp.options.y_label, "Progression-free survival (%)");
  EXPECT_EQ(kp.options.x_label, "Time (months)");
  const std::string html = hr::render_html(m);
  EXPECT_EQ(html.find("95%"), std::string::npos);
  EXPECT_NE(html.find("pointwise 90% confidence bands"), std::string::npos);
  EXPECT_EQ(hr::render_rtf(m).find("95%"), std::string::npos);
}
