// Number formats and the efficacy table layout shared by the HTML and RTF writers.
#include "report/efficacy_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "hazard/report.hpp"
#include "unit/report/report_fixture.hpp"

namespace hr = hazard::report;

TEST(Format, Numbers) {
  EXPECT_EQ(hr::format_time(12.849), "12.8");
  EXPECT_EQ(hr::format_time(hr::na), "NE");
  EXPECT_EQ(hr::format_estimate({12.85, 7.0, hr::na}), "12.8 (7.0, NE)");  // 12.85 is 12.8499...
  EXPECT_EQ(hr::format_hr({0.328, 0.004, 0.554}), "0.33 (<0.01, 0.55)");
  EXPECT_EQ(hr::format_p(0.00004), "<0.0001");
  EXPECT_EQ(hr::format_p(0.04567), "0.0457");
  EXPECT_EQ(hr::format_p(1), "1.0000");
  EXPECT_EQ(hr::format_p(hr::na), "NE");
  EXPECT_EQ(hr::format_count_pct(39, 64), "39 (60.9)");
  EXPECT_EQ(hr::format_count_pct(0, 0), "0");
  EXPECT_EQ(hr::format_count_pct(2.5, 10), "2.5 (25.0)");  // weighted counts
}

TEST(EfficacyTable, Layout) {
  const hr::ReportModel m = hazard::test::sample_model();
  const auto t = hr::detail::efficacy_table(m);
  EXPECT_EQ(t.columns, 5u);  // label + 2 cohorts x 2 arms
  ASSERT_EQ(t.header.size(), 2u);
  EXPECT_EQ(t.header[0].cells[1].text, "pNET");
  EXPECT_EQ(t.header[0].cells[1].span, 2);
  EXPECT_EQ(t.header[1].cells[1].text, "Cabozantinib\n(N=10)");
  // Every non-section body row covers all columns.
  for (const auto& r : t.body) {
    if (r.section) continue;
    int span = 0;
    for (const auto& c : r.cells) span += c.span;
    EXPECT_EQ(span, 5) << r.cells[0].text;
  }
  bool hr_row = false;
  for (const auto& r : t.body)
    if (r.cells[0].text == "Hazard ratio, stratified (95% CI)") {
      hr_row = true;
      EXPECT_EQ(r.cells[1].text, "0.33 (0.19, 0.55)");
      EXPECT_EQ(r.cells[2].text, "0.51 (0.37, 0.71)");
    }
  EXPECT_TRUE(hr_row);
}

// Labels follow the analysis: the interval level of --conf-level, "stratified" rows only with
// strata, landmark rows named after the endpoint, times with their units only when stated.
TEST(EfficacyTable, LabelsFollowTheAnalysis) {
  hr::ReportModel m = hazard::test::sample_model();
  m.conf_level = 0.9;
  m.strata.clear();
  m.rate_name = "PFS";
  m.units = "months";
  auto labels = [](const hr::ReportModel& model) {
    std::vector<std::string> out;
    for (const auto& r : hr::detail::efficacy_table(model).body) out.push_back(r.cells[0].text);
    return out;
  };
  std::vector<std::string> l = labels(m);
  auto has = [&](const std::string& s) { return std::find(l.begin(), l.end(), s) != l.end(); };
  EXPECT_TRUE(has("Median (90% CI)"));
  EXPECT_TRUE(has("Hazard ratio (90% CI)"));
  EXPECT_TRUE(has("Log-rank p, two-sided"));
  EXPECT_TRUE(has("PFS rate at 12 months"));
  EXPECT_TRUE(has("Landmark rates, % (90% CI)"));
  for (const auto& s : l) {
    EXPECT_EQ(s.find("95%"), std::string::npos) << s;
    EXPECT_EQ(s.find("stratified,"), std::string::npos) << s;
  }
  for (const auto& f : hr::detail::method_notes(m))
    EXPECT_EQ(f.find("stratified by"), std::string::npos) << f;
  m.strata = {"STRAT1R"};
  m.units.clear();
  l = labels(m);
  EXPECT_TRUE(has("Hazard ratio, stratified (90% CI)"));
  EXPECT_TRUE(has("Hazard ratio, unstratified (90% CI)"));
  EXPECT_TRUE(has("Log-rank p, stratified, one-sided"));
  EXPECT_TRUE(has("PFS rate at 12"));  // no units stated: none assumed
  EXPECT_EQ(hr::time_heading(m), "Time");
  m.units = "days";
  EXPECT_EQ(hr::time_heading(m), "Time (days)");
  m.time_label = "Time from STARTDT to ADT (days)";
  EXPECT_EQ(hr::time_heading(m), "Time from STARTDT to ADT (days)");
  EXPECT_EQ(hr::ci_text(0.975), "97.5% CI");
}
