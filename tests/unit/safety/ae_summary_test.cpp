// summarize_safety on hand-counted data: subjects counted once per row at their worst grade,
// percentages, order of the SOC/PT table, --min-percent, rates, differences, --by.
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/safety.hpp"

namespace {

// Arms: 0 = Placebo (subjects 0-3), 1 = Active (subjects 4-8); by: subjects 0, 1, 4, 5, 6 in "a".
hazard::SafetyPopulation population() {
  hazard::SafetyPopulation p;
  p.group_name = "ARM";
  p.group_levels = {"Placebo", "Active"};
  p.by_name = "COHORT";
  p.by_levels = {"a", "b"};
  for (int s = 0; s < 9; ++s) {
    p.subject.push_back(std::to_string(s));
    std::string key(1, '\x1f');  // no STUDYID
    key += std::to_string(s);
    p.key.push_back(key);
    p.arm.push_back(s < 4 ? 0 : 1);
    p.by.push_back(s == 0 || s == 1 || s == 4 || s == 5 || s == 6 ? 0 : 1);
    p.exposure_days.push_back(365.25 / 2);  // half a year each
    p.line.push_back(static_cast<std::uint64_t>(s + 2));
  }
  p.exposure_source = "test";
  return p;
}

hazard::AeData events() {
  hazard::AeData ae;
  ae.socs = {"GI", "Skin"};
  ae.terms = {"Diarrhoea", "Nausea", "Rash"};
  ae.term_soc = {0, 0, 1};
  auto rec = [&](std::size_t s, std::int32_t term, std::uint8_t grade, bool serious = false) {
    hazard::AeRecord r;
    r.subject = s;
    r.term = term;
    r.soc = ae.term_soc[static_cast<std::size_t>(term)];
    r.grade = grade;
    r.serious = serious;
    r.fatal = grade == 5;
    ae.records.push_back(r);
  };
  rec(4, 0, 1);
  rec(4, 0, 3);  // subject 4: diarrhoea twice, worst grade 3
  rec(4, 1, 2);
  rec(5, 0, 2);
  rec(6, 2, 0);  // no grade
  rec(7, 0, 4, true);
  rec(0, 1, 1);
  rec(1, 2, 5, true);
  return ae;
}

const hazard::SafetyRow& find(const std::vector<hazard::SafetyRow>& rows,
                              const std::string& label) {
  for (const auto& r : rows)
    if (r.label == label) return r;
  throw std::runtime_error("no row " + label);
}

TEST(AeSummary, CountsSubjectsOnceAtTheirWorstGrade) {
  const auto p = population();
  const auto r = hazard::summarize_safety(p, events());
  ASSERT_EQ(r.analyses.size(), 3u);  // a, b, Overall
  const auto& all = r.analyses[2];
  EXPECT_EQ(all.label, "Overall");
  EXPECT_EQ(all.n, (std::vector<std::size_t>{4, 5}));
  const auto& any = all.summary[0];
  EXPECT_EQ(any.id, "any");
  EXPECT_EQ(any.arms[1].n, 4u);  // subjects 4, 5, 6, 7
  EXPECT_DOUBLE_EQ(any.arms[1].percent, 80.0);
  EXPECT_EQ(any.arms[1].worst[0], 1u);  // subject 6: no grade
  EXPECT_EQ(any.arms[1].worst[2], 1u);  // subject 5
  EXPECT_EQ(any.arms[1].worst[3], 1u);  // subject 4 (1, 3, 2)
  EXPECT_EQ(any.arms[1].worst[4], 1u);  // subject 7
  EXPECT_EQ(any.arms[1].grade3, 2u);
  EXPECT_EQ(any.arms[0].n, 2u);
  EXPECT_EQ(all.summary[1].arms[1].n, 2u);  // grade >= 3
  EXPECT_EQ(all.summary[2].arms[1].n, 1u);  // serious: subject 7
  EXPECT_EQ(all.summary[5].arms[0].n, 1u);  // fatal: subject 1
  // rates: n per 100 patient-years; each arm has N / 2 patient-years
  EXPECT_DOUBLE_EQ(all.patient_years[1], 2.5);
  EXPECT_DOUBLE_EQ(any.arms[1].rate.estimate, 100 * 4 / 2.5);
  EXPECT_EQ(any.arms[1].rate.upper, 100 * hazard::poisson_exact(4, 2.5).upper);
  // difference: Active minus Placebo
  const hazard::TwoByTwo t{.x1 = 4, .n1 = 5, .x0 = 2, .n0 = 4};
  EXPECT_EQ(any.newcombe[0].lower, hazard::newcombe_difference(t).lower);
  EXPECT_EQ(any.wald[0].upper, hazard::wald_difference(t).upper);
}

TEST(AeSummary, SocPtOrderedByTheExperimentalArm) {
  const auto r = hazard::summarize_safety(population(), events());
  const auto& t = r.analyses[2].terms;
  ASSERT_EQ(t.size(), 5u);
  // GI: Active 3 subjects (4, 5, 7) before Skin (1); in GI, Diarrhoea (3) before Nausea (1).
  EXPECT_EQ(t[0].label, "GI");
  EXPECT_EQ(t[0].kind, hazard::SafetyRowKind::soc);
  EXPECT_EQ(t[0].arms[1].n, 3u);
  EXPECT_EQ(t[0].arms[0].n, 1u);  // subject 0 (nausea)
  EXPECT_EQ(t[1].label, "Diarrhoea");
  EXPECT_EQ(t[1].arms[1].worst[3], 1u);
  EXPECT_EQ(t[2].label, "Nausea");
  EXPECT_EQ(t[3].label, "Skin");
  EXPECT_EQ(t[4].label, "Rash");
  EXPECT_EQ(t[4].soc, "Skin");
}

TEST(AeSummary, MinPercentAndBy) {
  // Nausea: 1/4 = 25% Placebo, 1/5 = 20% Active; Rash: 25%, 20%; Diarrhoea 25%, 60%.
  const auto r = hazard::summarize_safety(population(), events(), {.min_percent = 30});
  const auto& t = r.analyses[2].terms;
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].label, "Diarrhoea");
  EXPECT_EQ(t[0].arms[1].n, 3u);  // the SOC keeps counting all its terms
  EXPECT_EQ(r.analyses[2].terms_below_min, 2u);
  // cohort a: subjects 0, 1 (Placebo), 4, 5, 6 (Active)
  const auto& a = r.analyses[0];
  EXPECT_EQ(a.n, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(find(a.summary, "Any TEAE").arms[1].n, 3u);
  EXPECT_EQ(find(a.summary, "TEAE leading to death").arms[0].n, 1u);
}

TEST(AeSummary, NoExposureNoRates) {
  auto p = population();
  p.exposure_days.clear();
  p.exposure_source.clear();
  const auto r = hazard::summarize_safety(p, events());
  EXPECT_FALSE(r.rates);
  EXPECT_TRUE(std::isnan(r.analyses[2].summary[0].arms[1].rate.estimate));
  EXPECT_TRUE(std::isnan(r.analyses[2].patient_years[0]));
}

}  // namespace
