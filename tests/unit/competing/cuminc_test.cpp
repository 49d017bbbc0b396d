// Tests of src/competing/cuminc.cpp against R (tests/reference/competing/make_competing.R):
// cmprsk::cuminc's estimates and Gray's variance at every jump point, cmprsk::timepoints, and
// survival's multi-state survfit (infinitesimal-jackknife SE, log-log / log / plain CIs) at every
// time of its table, on mgus2, pbc and a follic-like simulated data set; plus hand-worked cases.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <algorithm>
#include <span>

#include "competing/detail.hpp"
#include "hazard/competing.hpp"
#include "km/km_detail.hpp"
#include "hazard/error.hpp"
#include "hazard/read.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;
using nlohmann::json;

const json& reference() {
  static const json j = hazard::test::reference("competing/competing.json");
  return j;
}

// The flags of a case as roles: --time --status [--censor] [--group] [--strata] [--rho]
struct CaseFlags {
  hazard::Roles roles;
  std::string status, censor = "0";
  double rho = 0;
};

CaseFlags flags_of(const json& c) {
  CaseFlags f;
  const json& fl = c.at("flags");
  for (std::size_t i = 0; i + 1 < fl.size(); i += 2) {
    const std::string k = fl[i].get<std::string>(), v = fl[i + 1].get<std::string>();
    if (k == "--time") f.roles.time = v;
    if (k == "--status") f.status = v;
    if (k == "--censor") f.censor = v;
    if (k == "--group") f.roles.group = v;
    if (k == "--strata") f.roles.strata = {v};
    if (k == "--rho") f.rho = std::stod(v);
    if (k == "--covariates") {
      std::size_t a = 0;
      while (a <= v.size()) {
        std::size_t b = v.find(',', a);
        if (b == std::string::npos) b = v.size();
        f.roles.covariates.push_back(v.substr(a, b - a));
        a = b + 1;
      }
    }
  }
  return f;
}

hazard::CompetingData load(const json& c, const CaseFlags& f) {
  const hazard::Table t = hazard::read_data(std::string(HAZARD_REFERENCE_DIR) + "/competing/" +
                                            c.at("file").get<std::string>());
  return hazard::build_competing_data(t, f.roles, f.status, f.censor);
}

std::size_t group_index(const hazard::CumincResult& r, const std::string& level) {
  for (std::size_t g = 0; g < r.groups.size(); ++g)
    if (!r.groups[g].level || *r.groups[g].level == level) return g;
  ADD_FAILURE() << "no group " << level;
  return 0;
}

class CumincReference : public ::testing::TestWithParam<std::size_t> {};

TEST_P(CumincReference, EstimateAndGrayVarianceAtEveryJump) {
  const json& c = reference().at("cuminc").at(GetParam());
  SCOPED_TRACE(c.at("name").get<std::string>() + ": " + c.at("call").get<std::string>());
  const CaseFlags f = flags_of(c);
  const hazard::CompetingData d = load(c, f);
  ASSERT_EQ(d.surv.size(), c.at("n").get<std::size_t>());
  ASSERT_EQ(d.cause_levels.size(), c.at("causes").size());
  const hazard::CumincResult r = hazard::cuminc(d, {.rho = f.rho});
  ASSERT_EQ(r.groups.size(), c.at("groups").size());
  std::size_t checked = 0;
  for (const json& cv : c.at("curves")) {
    const std::size_t g = group_index(r, cv.at("group").get<std::string>());
    const std::size_t k = hazard::cause_index(d, cv.at("cause").get<std::string>());
    const hazard::CifCurve& curve = r.groups[g].causes[k];
    ASSERT_EQ(curve.time.size(), cv.at("time").size()) << cv.at("group") << " " << cv.at("cause");
    for (std::size_t i = 0; i < curve.time.size(); ++i) {
      EXPECT_EQ(curve.time[i], cv.at("time")[i].get<double>());
      EXPECT_TRUE(near_rel(curve.estimate[i], cv.at("est")[i].get<double>(), hazard::tol::closed_form));
      EXPECT_TRUE(near_rel(curve.variance[i], cv.at("var")[i].get<double>(), hazard::tol::closed_form))
          << "Gray's variance at " << curve.time[i];
      ++checked;
    }
    EXPECT_EQ(r.groups[g].last_time, cv.at("last_time").get<double>());
  }
  EXPECT_GT(checked, 50u);
}

TEST_P(CumincReference, GrayTest) {
  const json& c = reference().at("cuminc").at(GetParam());
  if (c.at("tests").is_null()) GTEST_SKIP() << "one group: no test";
  SCOPED_TRACE(c.at("name").get<std::string>() + ": " + c.at("call").get<std::string>());
  const CaseFlags f = flags_of(c);
  const hazard::CompetingData d = load(c, f);
  const hazard::CumincResult r = hazard::cuminc(d, {.rho = f.rho});
  ASSERT_EQ(r.tests.size(), d.n_causes());
  for (const json& t : c.at("tests")) {
    const std::size_t k = hazard::cause_index(d, t.at("cause").get<std::string>());
    EXPECT_TRUE(near_rel(r.tests[k].stat, t.at("stat").get<double>(), hazard::tol::closed_form))
        << "cause " << t.at("cause");
    EXPECT_EQ(r.tests[k].df, t.at("df").get<int>());
    EXPECT_TRUE(near_rel(r.tests[k].p, t.at("p_upper").get<double>(), hazard::tol::closed_form));
  }
}

TEST_P(CumincReference, Timepoints) {
  const json& c = reference().at("cuminc").at(GetParam());
  if (c.at("timepoints").is_null()) GTEST_SKIP() << "no timepoints in this case";
  const CaseFlags f = flags_of(c);
  const hazard::CompetingData d = load(c, f);
  std::vector<double> times;
  for (const json& t : c.at("timepoints").at("times")) times.push_back(t.get<double>());
  const hazard::CumincResult r = hazard::cuminc(d, {.times = times});
  ASSERT_EQ(r.times.size(), times.size());
  for (const json& e : c.at("timepoints").at("est")) {
    // cuminc names curves "<group> <cause>"
    const std::string name = e.at("curve").get<std::string>();
    const std::size_t sp = name.rfind(' ');
    const std::size_t g = group_index(r, name.substr(0, sp));
    const std::size_t k = hazard::cause_index(d, name.substr(sp + 1));
    for (std::size_t i = 0; i < times.size(); ++i) {
      const hazard::CifPoint& p = r.groups[g].at[k][i];
      EXPECT_EQ(p.time, times[i]);
      if (e.at("est")[i].is_null()) {
        EXPECT_TRUE(p.beyond_follow_up) << name << " at " << times[i];
        continue;
      }
      EXPECT_FALSE(p.beyond_follow_up);
      EXPECT_TRUE(near_rel(p.estimate, e.at("est")[i].get<double>(), hazard::tol::closed_form))
          << name << " at " << times[i];
      EXPECT_TRUE(near_rel(p.variance, e.at("var")[i].get<double>(), hazard::tol::closed_form))
          << name << " at " << times[i];
    }
  }
}

// survfit's table: every time of every group, via the reported times
TEST_P(CumincReference, SurvfitStdErrAndLimits) {
  const json& c = reference().at("cuminc").at(GetParam());
  SCOPED_TRACE(c.at("name").get<std::string>() + ": " + c.at("survfit_call").get<std::string>());
  const CaseFlags f = flags_of(c);
  const hazard::CompetingData d = load(c, f);
  struct Conf {
    hazard::ConfType type;
    const char* lower;
    const char* upper;
  };
  const Conf confs[] = {{hazard::ConfType::log_log, "lower_loglog", "upper_loglog"},
                        {hazard::ConfType::log, "lower_log", "upper_log"},
                        {hazard::ConfType::plain, "lower_plain", "upper_plain"}};
  for (const json& sg : c.at("survfit")) {
    std::vector<double> times;
    for (const json& t : sg.at("time")) times.push_back(t.get<double>());
    const std::size_t g0 = 0;
    (void)g0;
    for (const Conf& conf : confs) {
      const hazard::CumincResult r = hazard::cuminc(d, {.conf_type = conf.type, .times = times});
      const std::size_t g = group_index(r, sg.at("group").get<std::string>());
      std::size_t checked = 0;
      for (const json& sc : sg.at("causes")) {
        const std::size_t k = hazard::cause_index(d, sc.at("cause").get<std::string>());
        for (std::size_t i = 0; i < times.size(); ++i) {
          // the result's times are sorted and unique, as survfit's
          const hazard::CifPoint& p = r.groups[g].at[k][i];
          ASSERT_EQ(p.time, times[i]);
          EXPECT_TRUE(near_rel(p.estimate, sc.at("pstate")[i].get<double>(), hazard::tol::closed_form));
          EXPECT_TRUE(near_rel(p.std_err, sc.at("std_err")[i].get<double>(), hazard::tol::closed_form))
              << "survfit std.err at " << times[i];
          EXPECT_TRUE(near_rel(p.lower, jnum(sc.at(conf.lower)[i]), hazard::tol::closed_form))
              << conf.lower << " at " << times[i];
          EXPECT_TRUE(near_rel(p.upper, jnum(sc.at(conf.upper)[i]), hazard::tol::closed_form))
              << conf.upper << " at " << times[i];
          ++checked;
        }
      }
      EXPECT_GT(checked, 10u);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(R, CumincReference, ::testing::Range<std::size_t>(0, 8));

TEST(CumincReferenceFile, HasEveryCase) { EXPECT_EQ(reference().at("cuminc").size(), 8u); }

// Hand-worked: 5 subjects, times 1..5, causes a, b, censored, a, b (no ties).
// S: 1 -> 4/5 -> 3/5 -> 3/5 -> 3/10 -> 0.
// F_a: 1/5 at t=1, + (3/5)(1/2) = 1/2 at t=4. F_b: (4/5)(1/4) = 1/5 at 2, + 3/10 = 1/2 at 5.
TEST(Cuminc, HandWorkedFiveSubjects) {
  hazard::CompetingData d;
  d.surv.time = {1, 2, 3, 4, 5};
  d.surv.status = {1, 1, 0, 1, 1};
  d.surv.row = hazard::IndexSequence::iota(0, 5);
  d.cause = {1, 2, 0, 1, 2};
  d.cause_levels = {"a", "b"};
  const hazard::CumincResult r = hazard::cuminc(d, {.times = {0.5, 2.5, 4, 10}});
  ASSERT_EQ(r.groups.size(), 1u);
  const auto& a = r.groups[0].causes[0];
  const auto& b = r.groups[0].causes[1];
  ASSERT_EQ(a.time, (std::vector<double>{1, 4}));
  ASSERT_EQ(b.time, (std::vector<double>{2, 5}));
  EXPECT_DOUBLE_EQ(a.estimate[0], 0.2);
  EXPECT_DOUBLE_EQ(a.estimate[1], 0.5);
  EXPECT_DOUBLE_EQ(b.estimate[0], 0.2);
  EXPECT_DOUBLE_EQ(b.estimate[1], 0.5);
  // at t = 1 one failure among 5: Gray's variance (1 + F/S')^2 S-^2/Y^2 + ... with F = 1/5,
  // S' = 4/5: v1 = (1 + 1/4)^2 / 25, v2 = (5/4)(5/4)/25, v3 = (5/4)^2/25
  // var = v1 + F^2 v3 - 2 F v2 = (25/16)(1 + 1/25 - 2/5)/25 = (25/16)(16/25)/25 = 1/25
  EXPECT_NEAR(a.variance[0], 1.0 / 25, 1e-15);
  // survfit: the binomial variance at the first failure, F(1-F)/n = 0.16/5
  EXPECT_NEAR(a.std_err[0] * a.std_err[0], 0.2 * 0.8 / 5, 1e-15);
  const auto& at = r.groups[0].at;
  EXPECT_EQ(at[0][0].estimate, 0);
  EXPECT_EQ(at[0][0].variance, 0);
  EXPECT_EQ(at[0][0].std_err, 0);
  EXPECT_DOUBLE_EQ(at[0][1].estimate, 0.2);
  EXPECT_DOUBLE_EQ(at[1][1].estimate, 0.2);
  EXPECT_DOUBLE_EQ(at[0][2].estimate, 0.5);
  EXPECT_DOUBLE_EQ(at[1][2].estimate, 0.2);
  EXPECT_TRUE(at[0][3].beyond_follow_up);
  EXPECT_FALSE(at[0][2].beyond_follow_up);
  EXPECT_DOUBLE_EQ(at[1][3].estimate, 0.5);
  EXPECT_TRUE(r.tests.empty());
}

// Tied data with n >= 4096 take cuminc's counting path (rows counted per stratum, group, time and
// cause). pbc (trt, stratified by sex) replicated 20 times: the Aalen-Johansen estimate does not
// change under replication (an independent truth, checked against the sorted path on the original
// rows), and every number equals that of the sorted-rows kernels on the replicated rows:
// cuminc_group on rows sorted by time, gray_test (its own sort) for the test.
TEST(Cuminc, CountedPathOnTiedDataAgreesWithSortedRows) {
  const hazard::Table t =
      hazard::read_data(std::string(HAZARD_REFERENCE_DIR) + "/competing/pbc_cr.csv");
  hazard::Roles roles;
  roles.time = "time";
  roles.group = "trt";
  roles.strata = {"sex"};
  const hazard::CompetingData d = hazard::build_competing_data(t, roles, "status", "0");
  hazard::CompetingData big = d;
  constexpr std::size_t reps = 20;
  for (auto* v : {&big.surv.time}) v->clear();
  big.surv.status.clear();
  big.surv.group.clear();
  big.surv.stratum.clear();
  big.cause.clear();
  for (std::size_t r = 0; r < reps; ++r) {
    big.surv.time.insert(big.surv.time.end(), d.surv.time.begin(), d.surv.time.end());
    big.surv.status.insert(big.surv.status.end(), d.surv.status.begin(), d.surv.status.end());
    big.surv.group.insert(big.surv.group.end(), d.surv.group.begin(), d.surv.group.end());
    big.surv.stratum.insert(big.surv.stratum.end(), d.surv.stratum.begin(), d.surv.stratum.end());
    big.cause.insert(big.cause.end(), d.cause.begin(), d.cause.end());
  }
  big.surv.row = hazard::IndexSequence::iota(0, big.surv.time.size());
  big.surv.line = hazard::IndexSequence::iota(1, big.surv.time.size());
  ASSERT_GE(big.surv.size(), 4096u);
  const hazard::CumincOptions opt{.times = {500, 1000, 2000, 5000}};
  const hazard::CumincResult small = hazard::cuminc(d, opt);
  const hazard::CumincResult r = hazard::cuminc(big, opt);
  const std::size_t C = big.n_causes(), K = big.surv.n_groups();
  ASSERT_EQ(r.groups.size(), K);
  ASSERT_EQ(r.tests.size(), C);
  const double z = hazard::detail::km_z(0.95);
  for (std::size_t g = 0; g < K; ++g) {
    std::vector<hazard::detail::KeyedRow> rows;
    for (std::size_t i = 0; i < big.surv.size(); ++i)
      if (static_cast<std::size_t>(big.surv.group[i]) == g)
        rows.push_back({hazard::detail::time_key(big.surv.time[i]),
                        static_cast<std::uint32_t>(big.cause[i]), static_cast<std::int32_t>(g)});
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    const hazard::CumincGroup want = hazard::detail::cuminc_group(
        std::span<const hazard::detail::KeyedRow>(rows), C, r.times, opt.conf_type, z);
    const hazard::CumincGroup& got = r.groups[g];
    EXPECT_EQ(got.n, want.n);
    EXPECT_EQ(got.n, small.groups[g].n * reps);
    EXPECT_EQ(got.last_time, want.last_time);
    for (std::size_t k = 0; k < C; ++k) {
      const hazard::CifCurve &a = got.causes[k], &b = want.causes[k], &s1 = small.groups[g].causes[k];
      ASSERT_EQ(a.time.size(), b.time.size());
      ASSERT_EQ(a.time.size(), s1.time.size());
      EXPECT_EQ(got.events[k], small.groups[g].events[k] * reps);
      for (std::size_t i = 0; i < a.time.size(); ++i) {
        EXPECT_EQ(a.time[i], b.time[i]);
        EXPECT_EQ(a.n_risk[i], b.n_risk[i]);
        EXPECT_EQ(a.n_event[i], b.n_event[i]);
        EXPECT_PRED3(near_rel, a.estimate[i], s1.estimate[i], hazard::tol::closed_form);
        for (auto m : {&hazard::CifCurve::estimate, &hazard::CifCurve::variance,
                       &hazard::CifCurve::std_err, &hazard::CifCurve::lower,
                       &hazard::CifCurve::upper, &hazard::CifCurve::gray_lower,
                       &hazard::CifCurve::gray_upper}) {
          const double x = (a.*m)[i], y = (b.*m)[i];
          if (std::isnan(y)) EXPECT_TRUE(std::isnan(x));
          else EXPECT_PRED3(near_rel, x, y, hazard::tol::closed_form);
        }
      }
      for (std::size_t j = 0; j < r.times.size(); ++j) {
        EXPECT_PRED3(near_rel, got.at[k][j].estimate, want.at[k][j].estimate, hazard::tol::closed_form);
        EXPECT_PRED3(near_rel, got.at[k][j].std_err, want.at[k][j].std_err, hazard::tol::closed_form);
        EXPECT_PRED3(near_rel, got.at[k][j].variance, want.at[k][j].variance, hazard::tol::closed_form);
        EXPECT_EQ(got.at[k][j].beyond_follow_up, want.at[k][j].beyond_follow_up);
      }
    }
  }
  for (std::size_t k = 0; k < C; ++k) {
    const hazard::GrayTest want =
        hazard::gray_test(big.surv.time, big.cause, static_cast<std::int32_t>(k + 1), big.surv.group,
                          K, big.surv.stratum, 0.0);
    EXPECT_PRED3(near_rel, r.tests[k].stat, want.stat, hazard::tol::closed_form);
    EXPECT_PRED3(near_rel, r.tests[k].p, want.p, hazard::tol::closed_form);
    EXPECT_EQ(r.tests[k].df, want.df);
  }
}

TEST(Cuminc, RejectsBadOptions) {
  hazard::CompetingData d;
  d.surv.time = {1};
  d.surv.status = {1};
  d.cause = {1};
  d.cause_levels = {"x"};
  EXPECT_THROW(hazard::cuminc(d, {.conf_level = 1.0}), hazard::UsageError);
  EXPECT_THROW(hazard::cuminc(d, {.rho = NAN}), hazard::UsageError);
  EXPECT_THROW(hazard::cuminc(d, {.times = {-1}}), hazard::UsageError);
}

}  // namespace
