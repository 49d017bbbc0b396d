// report::analyse_cohort calls the estimators as `hazard km/cox/logrank` do: its numbers equal
// kaplan_meier, cox_fit (with and without strata) and logrank on the same SurvData, and the
// degenerate cohorts (one arm, an arm without events, a stratum with one subject) give messages
// instead of numbers. R agreement of the estimators themselves: tests/unit/{km,cox,logrank}.
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/cox.hpp"
#include "hazard/km.hpp"
#include "hazard/logrank.hpp"
#include "hazard/report.hpp"

namespace hr = hazard::report;

namespace {

// 30 subjects, two arms, two strata; arm B (code 1) has longer times.
hazard::SurvData make_data() {
  hazard::SurvData d;
  d.group_name = "ARM";
  d.group_levels = {"A", "B"};
  d.strata_names = {"S"};
  d.strata_levels = {"S=x", "S=y"};
  for (int i = 0; i < 30; ++i) {
    const int g = i % 2;
    d.time.push_back(1.0 + (i * 7 % 11) + 3.0 * g);
    d.status.push_back(static_cast<std::uint8_t>(i % 5 != 0));
    d.group.push_back(g);
    d.stratum.push_back(i % 3 == 0 ? 1 : 0);
  }
  return d;
}

}  // namespace

TEST(AnalyseCohort, NumbersAreTheEstimators) {
  const hazard::SurvData d = make_data();
  hr::AnalysisOptions o;
  o.km.times = {3, 6};
  const hr::CohortResult c = hr::analyse_cohort(d, "All", o);
  ASSERT_EQ(c.arms.size(), 2u);
  EXPECT_EQ(c.arms[0].arm, "B");  // experimental first
  const hazard::KmResult km = hazard::kaplan_meier(d, o.km);
  EXPECT_EQ(c.arms[0].median.value, km.groups[1].median.estimate);
  EXPECT_EQ(c.arms[1].landmarks[1].value, km.groups[0].at[1].surv);
  const hazard::LogrankResult lr = hazard::logrank(d);
  EXPECT_EQ(c.comparisons[0].p_two_sided, lr.test.p);
  EXPECT_EQ(c.comparisons[0].p_one_sided, lr.test.p_one_sided);
  hazard::CoxData cd{.time = d.time, .status = d.status, .stratum = d.stratum};
  cd.x.resize(30, 1);
  for (int i = 0; i < 30; ++i) cd.x(i, 0) = d.group[static_cast<std::size_t>(i)];
  cd.names = {"ARM[B]"};
  const hazard::CoxResult strat = hazard::cox_fit(cd);
  EXPECT_EQ(c.comparisons[0].hr_stratified.value, strat.terms[0].hr);
  EXPECT_EQ(c.comparisons[0].hr_stratified.upper, strat.terms[0].upper);
  cd.stratum.clear();
  const hazard::CoxResult unstrat = hazard::cox_fit(cd);
  EXPECT_EQ(c.comparisons[0].hr_unstratified.value, unstrat.terms[0].hr);
  EXPECT_NE(c.comparisons[0].hr_unstratified.value, c.comparisons[0].hr_stratified.value);
  EXPECT_TRUE(c.messages.empty());
}

TEST(AnalyseCohort, DegenerateCohortsGiveMessages) {
  hazard::SurvData d = make_data();
  // An arm without events: no HR, a note; the log-rank p is still given.
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d.group[i] == 1) d.status[i] = 0;
  hr::CohortResult c = hr::analyse_cohort(d, "X", {});
  EXPECT_TRUE(std::isnan(c.comparisons[0].hr_stratified.value));
  EXPECT_NE(c.comparisons[0].note.find("no events in B"), std::string::npos);
  EXPECT_TRUE(std::isfinite(c.comparisons[0].p_two_sided));
  // One arm only.
  hazard::SurvData one = make_data();
  one.group.assign(one.size(), 0);
  one.group_levels = {"A"};
  c = hr::analyse_cohort(one, "Y", {});
  EXPECT_EQ(c.arms.size(), 1u);
  EXPECT_EQ(c.note, "one arm only: no comparison");
  EXPECT_TRUE(c.comparisons.empty());
  // A stratum with one subject.
  hazard::SurvData lonely = make_data();
  lonely.strata_levels.push_back("S=z");
  lonely.stratum[4] = 2;
  c = hr::analyse_cohort(lonely, "Z", {});
  ASSERT_FALSE(c.messages.empty());
  EXPECT_NE(c.messages[0].find("S=z has one subject"), std::string::npos);
  EXPECT_TRUE(std::isfinite(c.comparisons[0].hr_stratified.value));
}

// Three arms: each arm against the control, HRs from ONE Cox model with two arm indicators (as
// coxph(Surv ~ arm + strata(S))), log-rank p from the two arms' rows (as survdiff on the subset),
// and the 3-group log-rank test of all arms.
TEST(AnalyseCohort, ThreeArmsEachAgainstTheControl) {
  hazard::SurvData d = make_data();
  d.group_levels = {"A", "B", "C"};
  for (std::size_t i = 0; i < d.size(); ++i)
    d.group[i] = static_cast<std::int32_t>(i / 3 % 3);  // mixes with S
  for (std::size_t i = 0; i < d.size(); ++i) d.time[i] += d.group[i] == 2 ? 2.5 : 0.0;
  const hr::CohortResult c = hr::analyse_cohort(d, "All", {});
  ASSERT_EQ(c.arms.size(), 3u);
  EXPECT_EQ(c.arms[0].arm, "B");
  EXPECT_EQ(c.arms[2].arm, "A");  // the control last
  ASSERT_EQ(c.comparisons.size(), 2u);
  EXPECT_EQ(c.comparisons[1].label(), "C vs A");
  EXPECT_TRUE(c.note.empty());

  hazard::CoxData cd{.time = d.time, .status = d.status, .stratum = d.stratum};
  cd.x = Eigen::MatrixXd::Zero(30, 2);
  for (int i = 0; i < 30; ++i)
    if (d.group[static_cast<std::size_t>(i)] > 0)
      cd.x(i, d.group[static_cast<std::size_t>(i)] - 1) = 1;
  cd.names = {"ARM[B]", "ARM[C]"};
  const hazard::CoxResult strat = hazard::cox_fit(cd);
  EXPECT_EQ(c.comparisons[0].hr_stratified.value, strat.terms[0].hr);
  EXPECT_EQ(c.comparisons[1].hr_stratified.lower, strat.terms[1].lower);
  cd.stratum.clear();
  const hazard::CoxResult unstrat = hazard::cox_fit(cd);
  EXPECT_EQ(c.comparisons[1].hr_unstratified.value, unstrat.terms[1].hr);

  // C vs A: the log-rank test of the rows of A and C only (C recoded 1).
  hazard::SurvData ac = d;
  ac.time.clear(), ac.status.clear(), ac.group.clear(), ac.stratum.clear(), ac.row.clear();
  ac.group_levels = {"A", "C"};
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d.group[i] != 1) {
      ac.time.push_back(d.time[i]);
      ac.status.push_back(d.status[i]);
      ac.group.push_back(d.group[i] == 2 ? 1 : 0);
      ac.stratum.push_back(d.stratum[i]);
      ac.row.push_back(i);
    }
  const hazard::LogrankResult lr_ac = hazard::logrank(ac);
  EXPECT_EQ(c.comparisons[1].p_two_sided, lr_ac.test.p);
  EXPECT_EQ(c.comparisons[1].p_one_sided, lr_ac.test.p_one_sided);
  const hazard::LogrankResult all = hazard::logrank(d);
  EXPECT_EQ(c.global.p, all.test.p);
  EXPECT_EQ(c.global.chisq, all.test.chisq);
  EXPECT_EQ(c.global.df, 2);
  EXPECT_NE(c.global.p, c.comparisons[1].p_two_sided);

  // The subgroup rows: a heading and one row per comparison.
  const auto rows = hr::subgroup_forest_rows(d, "level", 1, {});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[0].heading);
  EXPECT_EQ(rows[2].comparison, "C vs A");
  EXPECT_EQ(rows[2].indent, 2);
  EXPECT_EQ(rows[2].hr, unstrat.terms[1].hr);
  EXPECT_EQ(rows[2].n_experimental, 9);  // i / 3 % 3 == 2: i = 6-8, 15-17, 24-26
}

// Monotone likelihood: every event of arm A comes before any patient of arm B leaves the risk set,
// and arm B's events happen with nobody of A at risk, so the partial likelihood keeps rising as the
// log HR of B goes to -infinity (R: "Loglik converged before variable 1; coefficient may be
// infinite"). The HR is NE with that reason, never a number such as "<0.01"; the log-rank p stays.
TEST(AnalyseCohort, InfiniteCoefficientIsNotEstimable) {
  hazard::SurvData d;
  d.group_name = "ARM";
  d.group_levels = {"A", "B"};
  for (int i = 0; i < 10; ++i) {
    d.time.push_back(1.0 + i);  // A: events at 1..10
    d.status.push_back(1);
    d.group.push_back(0);
    d.time.push_back(20.0 + i);  // B: events at 20..29
    d.status.push_back(1);
    d.group.push_back(1);
  }
  const hr::CohortResult c = hr::analyse_cohort(d, "X", {});
  ASSERT_EQ(c.comparisons.size(), 1u);
  EXPECT_TRUE(std::isnan(c.comparisons[0].hr_stratified.value));
  EXPECT_TRUE(std::isnan(c.comparisons[0].hr_unstratified.value));
  EXPECT_NE(c.comparisons[0].note.find("not estimable (NE)"), std::string::npos)
      << c.comparisons[0].note;
  EXPECT_NE(c.comparisons[0].note.find("infinite"), std::string::npos) << c.comparisons[0].note;
  EXPECT_TRUE(std::isfinite(c.comparisons[0].p_two_sided));
  EXPECT_EQ(hr::format_hr(c.comparisons[0].hr_stratified), "NE");
}

// N stays the randomized N: a patient with a missing stratification factor is in N, the KM
// estimates and the unstratified HR (data `d`), and only the stratified model and the log-rank test
// use the rows with every factor (`s`, as R's coxph/survdiff drop an NA stratum); the difference
// is counted with its reason.
TEST(AnalyseCohort, MissingStratumKeepsThePatientInN) {
  hazard::SurvData d = make_data();
  d.stratum.clear();
  d.strata_names.clear();
  d.strata_levels.clear();
  hazard::SurvData s = make_data();  // rows 0, 7 and 11 have a missing stratum
  for (std::size_t i : {11u, 7u, 0u}) {
    s.time.erase(s.time.begin() + static_cast<long>(i));
    s.status.erase(s.status.begin() + static_cast<long>(i));
    s.group.erase(s.group.begin() + static_cast<long>(i));
    s.stratum.erase(s.stratum.begin() + static_cast<long>(i));
  }
  s.excluded.add("missing stratum");
  s.excluded.add("missing stratum");
  s.excluded.add("missing stratum");
  const hr::CohortResult c = hr::analyse_cohort(d, "All", {}, &s);
  EXPECT_EQ(c.arms[0].n + c.arms[1].n, 30);
  EXPECT_EQ(c.n_excluded_stratified, 3);
  EXPECT_EQ(c.excluded_stratified, "missing stratification factor (S): 3");
  hazard::CoxData cs{.time = s.time, .status = s.status, .stratum = s.stratum};
  cs.x.resize(27, 1);
  for (int i = 0; i < 27; ++i) cs.x(i, 0) = s.group[static_cast<std::size_t>(i)];
  EXPECT_EQ(c.comparisons[0].hr_stratified.value, hazard::cox_fit(cs).terms[0].hr);
  hazard::CoxData cu{.time = d.time, .status = d.status};
  cu.x.resize(30, 1);
  for (int i = 0; i < 30; ++i) cu.x(i, 0) = d.group[static_cast<std::size_t>(i)];
  EXPECT_EQ(c.comparisons[0].hr_unstratified.value, hazard::cox_fit(cu).terms[0].hr);
  EXPECT_EQ(c.comparisons[0].p_two_sided, hazard::logrank(s).test.p);
}
