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
#include "hazard/logrank.hpp"
#include "hazard/simulate.hpp"
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
