// The analyses of a simulated trial (src/simulate/trial.cpp) against a direct construction: at
// each look, the data cut built patient by patient from the definition (entry <= t; time =
// min(event, dropout) if that exit falls by t, else t - entry; an event if it is one and falls by
// t) and tested with the general log-rank (logrank_stats, which sorts). The simulator's cut and
// merge without a sort, its bucket sort and its fused log-rank must give the same look times,
// counts and statistics, including with tied entry times, dropout, random accrual and strata.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "cabinet_scenario.hpp"
#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "hazard/logrank.hpp"
#include "hazard/nph.hpp"
#include "hazard/simulate.hpp"
#include "hazard/survdata.hpp"
#include "tolerances.hpp"

namespace {

// never stop: every look is analysed
hazard::SimulationScenario base() { return hazard::test::cabinet_like({100, 100, 100}); }

struct Cut {
  double z = 0, events = 0, subjects = 0;
  double cox_hr = 0;  // exp(coef) of the general Cox fit (hazard::cox_fit, Efron), when asked
};

// The look at calendar time t, from the definition.
Cut direct_cut(const hazard::SimulationScenario& s, const std::vector<hazard::SimulatedPatient>& p,
               double t) {
  std::vector<double> time;
  std::vector<std::uint8_t> status;
  std::vector<std::int32_t> group, stratum;
  for (const auto& x : p) {
    if (x.entry > t) continue;
    const double exit = std::min(x.survival, x.dropout);
    const bool out = x.entry + exit <= t;
    time.push_back(out ? exit : t - x.entry);
    status.push_back(out && x.survival < x.dropout ? 1 : 0);
    group.push_back(x.arm);
    stratum.push_back(x.stratum);
  }
  hazard::LogrankInput in{.time = time, .status = status, .group = group, .n_groups = 2};
  if (s.strata.size() > 1) in.stratum = stratum;
  const auto st = hazard::logrank_stats(in);
  Cut c;
  const double oe = st.observed[1] - st.expected[1], v = st.var(1, 1);
  c.z = v > 0 ? -oe / std::sqrt(v) : 0.0;
  c.events = static_cast<double>(std::count(status.begin(), status.end(), 1));
  c.subjects = static_cast<double>(time.size());
  if (s.hr_estimator == hazard::HrEstimator::cox) {
    hazard::CoxData cd{.time = time, .status = status};
    cd.x.resize(static_cast<Eigen::Index>(time.size()), 1);
    for (std::size_t i = 0; i < time.size(); ++i) cd.x(static_cast<Eigen::Index>(i), 0) = group[i];
    if (s.strata.size() > 1) cd.stratum = stratum;
    c.cox_hr = std::exp(hazard::cox_fit(cd).coef[0]);
  }
  return c;
}

// Compares every look of `trials` trials; returns the number of looks compared.
// `entry_shift` moves every entry (analyse_trial takes any patients, also entries before 0).
int check_trials(const hazard::SimulationScenario& s, int trials, double entry_shift = 0.0) {
  int looks = 0;
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<hazard::SimulatedPatient> p;
    hazard::generate_patients(s, 7, static_cast<std::uint64_t>(trial), p);
    for (auto& x : p) x.entry += entry_shift;
    const auto o = hazard::analyse_trial(s, p);
    std::vector<double> cal;
    for (const auto& x : p)
      if (x.survival < x.dropout) cal.push_back(x.entry + x.survival);
    std::sort(cal.begin(), cal.end());
    for (int k = 0; k < o.looks_done; ++k) {
      const auto kk = static_cast<std::size_t>(k);
      double t = s.looks[kk];
      if (s.look_type == hazard::LookType::events) {
        const auto d = static_cast<std::size_t>(std::ceil(s.looks[kk]));
        if (d > cal.size()) {
          ADD_FAILURE() << "trial " << trial << ": look " << k << " without its events";
          return looks;
        }
        t = cal[d - 1];
      }
      EXPECT_EQ(o.time_look[kk], t) << "trial " << trial << " look " << k;
      const Cut c = direct_cut(s, p, t);
      EXPECT_EQ(o.events_look[kk], c.events) << "trial " << trial << " look " << k;
      EXPECT_NEAR(o.z_look[kk], c.z, hazard::tol::closed_form * (1 + std::fabs(c.z)))
          << "trial " << trial << " look " << k;
      if (s.hr_estimator == hazard::HrEstimator::cox) {
        EXPECT_NEAR(o.hr_look[kk], c.cox_hr, hazard::tol::iterative * c.cox_hr)
            << "trial " << trial << " look " << k;
      }
      if (k + 1 == o.looks_done) {
        EXPECT_EQ(o.subjects, c.subjects);
      }
      ++looks;
    }
    if (s.look_type == hazard::LookType::events &&
        o.looks_done < static_cast<int>(s.looks.size())) {
      EXPECT_TRUE(o.events_not_achieved);
    }
  }
  return looks;
}

TEST(Trial, CutAndLogrankAsDefined) { EXPECT_GT(check_trials(base(), 300), 300); }

TEST(Trial, TiedEntriesAndDropout) {
  // two accrual pieces: the grid's leftover entries sit at the accrual end, tied; censored rows
  // at t - entry then tie with each other and, for the patient whose event sets the look, with
  // an event time
  auto s = base();
  s.n = 150;
  s.ratio = 1;
  s.accrual = {.end = {4.0, 12.0}, .rate = {5.0, 20.0}};
  s.dropout_control = s.dropout_experimental = -std::log1p(-0.2) / 12;
  s.looks = {40, 80, 120};
  EXPECT_GT(check_trials(s, 2000), 2000);
}

TEST(Trial, RandomAccrualAndAllocation) {
  auto s = base();
  s.random_accrual = s.random_allocation = true;
  s.dropout_control = 0.02;
  EXPECT_GT(check_trials(s, 300), 300);
}

TEST(Trial, StrataAndCalendarLooks) {
  auto s = base();
  s.strata = {{.name = "a", .prevalence = 0.6, .hazard_multiplier = 1.0},
              {.name = "b", .prevalence = 0.4, .hazard_multiplier = 1.5}};
  s.experimental = {.start = {0.0, 3.0}, .rate = {std::log(2.0) / 6, 0.5 * std::log(2.0) / 6}};
  s.look_type = hazard::LookType::calendar;
  s.looks = {10, 18, 30};
  EXPECT_EQ(check_trials(s, 300), 900);
}

TEST(Trial, CoxHazardRatioPerLook) {
  // the Cox HR from the simulator's per-look tallies (cox_two_arm) against the general Cox fit
  // of the same cut, without and with strata
  auto s = base();
  s.hr_estimator = hazard::HrEstimator::cox;
  EXPECT_GT(check_trials(s, 100), 100);
  s.strata = {{.name = "a", .prevalence = 0.6, .hazard_multiplier = 1.0},
              {.name = "b", .prevalence = 0.4, .hazard_multiplier = 1.5}};
  EXPECT_GT(check_trials(s, 100), 100);
}

// The z of s.analysis at calendar time t from the definition: the cut as in direct_cut, as a
// SurvData, and the general entry points of hazard logrank --test / hazard km / hazard cox.
double direct_analysis_z(const hazard::SimulationScenario& s,
                         const std::vector<hazard::SimulatedPatient>& p, double t) {
  hazard::SurvData d;
  for (const auto& x : p) {
    if (x.entry > t) continue;
    const double exit = std::min(x.survival, x.dropout);
    const bool out = x.entry + exit <= t;
    d.time.push_back(out ? exit : t - x.entry);
    d.status.push_back(out && x.survival < x.dropout ? 1 : 0);
    d.group.push_back(x.arm);
    d.stratum.push_back(x.stratum);
  }
  d.group_levels = {"control", "experimental"};
  const bool strata = s.strata.size() > 1;
  if (strata) {
    for (const auto& st : s.strata) d.strata_levels.push_back(st.name);
  } else {
    d.stratum.clear();
  }
  const auto& a = s.analysis;
  hazard::KmOptions km;
  km.timefix = false;
  switch (a.test) {
    case hazard::AnalysisTest::fh: {
      const auto table = hazard::two_arm_event_times(d, false);
      return -hazard::weighted_logrank(table, hazard::fh_weights(table, {a.rho, a.gamma})).z;
    }
    case hazard::AnalysisTest::maxcombo: {
      hazard::MaxComboOptions o;
      o.timefix = false;
      const double p1 = hazard::maxcombo(d, o).p_one_sided;  // default accuracy (1e-7)
      // Phi^{-1}(1 - p) by bisection on erfc (independent of the simulator's quantile)
      double lo = -40, hi = 40;
      for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (0.5 * std::erfc(mid / std::sqrt(2.0)) > p1 ? lo : hi) = mid;
      }
      return 0.5 * (lo + hi);
    }
    case hazard::AnalysisTest::rmst: {
      d.stratum.clear();
      const auto r = hazard::rmst_test(d, a.time, km);
      return r.difference.z;
    }
    case hazard::AnalysisTest::milestone: {
      d.stratum.clear();
      return hazard::milestone_test(d, a.time, km).z;
    }
    case hazard::AnalysisTest::cox: {
      hazard::CoxData cd{.time = d.time, .status = d.status};
      cd.x.resize(static_cast<Eigen::Index>(d.time.size()), 1);
      for (std::size_t i = 0; i < d.time.size(); ++i)
        cd.x(static_cast<Eigen::Index>(i), 0) = d.group[i];
      if (strata) cd.stratum = d.stratum;
      const auto f = hazard::cox_fit(cd);
      return -f.coef[0] / std::sqrt(f.var(0, 0));
    }
    case hazard::AnalysisTest::logrank: break;
  }
  return std::nan("");
}

// Every look's z of `trials` trials under s.analysis against direct_analysis_z; returns looks.
// `tol` is relative in z; with `p_tol` > 0 the one-sided p-values 1 - Phi(z) are compared instead,
// to `p_tol` absolute.
int check_analysis(const hazard::SimulationScenario& s, int trials, double tol,
                   double p_tol = 0.0) {
  int looks = 0;
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<hazard::SimulatedPatient> p;
    hazard::generate_patients(s, 3, static_cast<std::uint64_t>(trial), p);
    const auto o = hazard::analyse_trial(s, p);
    for (int k = 0; k < o.looks_done; ++k) {
      const auto kk = static_cast<std::size_t>(k);
      const double z = direct_analysis_z(s, p, o.time_look[kk]);
      if (p_tol > 0) {
        auto p_of = [](double x) { return 0.5 * std::erfc(x / std::sqrt(2.0)); };
        EXPECT_NEAR(p_of(o.z_look[kk]), p_of(z), p_tol)
            << hazard::analysis_name(s.analysis) << " trial " << trial << " look " << k;
      } else {
        EXPECT_NEAR(o.z_look[kk], z, tol * (1 + std::fabs(z)))
            << hazard::analysis_name(s.analysis) << " trial " << trial << " look " << k;
      }
      ++looks;
    }
  }
  return looks;
}

TEST(Trial, AnalysesPerLookAsDefined) {
  // each --analysis statistic at each look equals the library's general entry point on the cut
  auto s = base();
  s.experimental = hazard::multiply_hazard(s.control, std::vector<double>{0.0, 3.0},
                                           std::vector<double>{1.0, 0.6});
  for (const char* a : {"fh:0,1", "fh:1,0", "fh:0.5,2", "rmst:4", "milestone:6", "cox"}) {
    s.analysis = hazard::parse_simulation_analysis(a);
    // the Cox Wald z: two Newton fits, each to R's convergence rule
    const double tol = s.analysis.test == hazard::AnalysisTest::cox ? hazard::tol::iterative
                                                                     : hazard::tol::closed_form;
    EXPECT_GE(check_analysis(s, 40, tol), 40) << a;
  }
  // MaxCombo: the simulator integrates the one-sided p to 1e-4 absolute (3 SEs over the shifts),
  // the reference to 1e-7: compared in p
  s.analysis = hazard::parse_simulation_analysis("maxcombo");
  EXPECT_GE(check_analysis(s, 15, 0.0, 1e-4), 15);
  // stratified FH and Cox
  s.strata = {{.name = "a", .prevalence = 0.6, .hazard_multiplier = 1.0},
              {.name = "b", .prevalence = 0.4, .hazard_multiplier = 1.5}};
  for (const char* a : {"fh:0,1", "cox"}) {
    s.analysis = hazard::parse_simulation_analysis(a);
    const double tol = s.analysis.test == hazard::AnalysisTest::cox ? hazard::tol::iterative
                                                                     : hazard::tol::closed_form;
    EXPECT_GE(check_analysis(s, 40, tol), 40) << a;
  }
}

TEST(Trial, AnalysisNames) {
  EXPECT_EQ(hazard::analysis_name(hazard::parse_simulation_analysis("fh:0,1")), "fh:0,1");
  EXPECT_EQ(hazard::analysis_name(hazard::parse_simulation_analysis("rmst:24.5")), "rmst:24.5");
  EXPECT_EQ(hazard::analysis_name(hazard::parse_simulation_analysis("milestone:12")),
            "milestone:12");
  EXPECT_EQ(hazard::analysis_name({}), "logrank");
  EXPECT_THROW(hazard::parse_simulation_analysis("fh:1"), hazard::UsageError);
  EXPECT_THROW(hazard::parse_simulation_analysis("rmst:0"), hazard::UsageError);
  EXPECT_THROW(hazard::parse_simulation_analysis("cox:1"), hazard::UsageError);
}

TEST(Trial, EntriesBeforeZero) {
  // calendar = entry + exit < exit: a patient can have left by t with an exit after t
  EXPECT_GT(check_trials(base(), 300, -6.0), 300);
}

TEST(Trial, EventsNotAchieved) {
  // about 20 events expected in all: half of the trials reach the first look, few the last
  auto s = base();
  s.n = 60;
  s.control.rate = {std::log(2.0) / 20};
  s.experimental.rate = {0.6 * std::log(2.0) / 20};
  s.dropout_control = s.dropout_experimental = 0.05;
  s.looks = {20, 30, 40};
  const int looks = check_trials(s, 300);
  EXPECT_GT(looks, 100);
  EXPECT_LT(looks, 300);
}

}  // namespace
