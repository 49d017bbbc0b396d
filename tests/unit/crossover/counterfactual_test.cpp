// Counterfactual times of the switching methods (src/crossover/counterfactual.cpp), worked by
// hand: U = T_off + exp(psi) T_on, re-censoring C* = min(C, C exp(psi)) in an arm whose treatment
// varies (rpsftm's autoswitch), and the data checks.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "hazard/crossover.hpp"

namespace {

using namespace hazard;

TEST(Counterfactual, UntreatedTimesFollowTheFormula) {
  // By hand: experimental T = 10 (treated throughout), control switcher T = 10 switching at 4,
  // control non-switcher T = 5; psi = log(0.5); censoring time 12 for all.
  SwitchData d{.time = {10, 10, 5},
               .status = {1, 1, 0},
               .arm = {1, 0, 0},
               .switched = {0, 1, 0},
               .switch_time = {std::nan(""), 4, std::nan("")},
               .censor_time = {12, 12, 12}};
  const Counterfactual u = untreated_times(d, std::log(0.5), false);
  EXPECT_DOUBLE_EQ(u.time[0], 5.0);
  EXPECT_DOUBLE_EQ(u.time[1], 4 + 0.5 * 6);
  EXPECT_DOUBLE_EQ(u.time[2], 5.0);
  // Re-censoring at C* = min(12, 6) = 6 in the control arm (its treatment varies): 7 > 6.
  const Counterfactual rc = untreated_times(d, std::log(0.5), true);
  EXPECT_DOUBLE_EQ(rc.time[1], 6.0);
  EXPECT_EQ(rc.status[1], 0);
  EXPECT_DOUBLE_EQ(rc.time[2], 5.0);
  // The experimental arm is treated throughout: not re-censored (autoswitch).
  const Counterfactual up = untreated_times(d, std::log(2.0), true);
  EXPECT_DOUBLE_EQ(up.time[0], 20.0);
  EXPECT_EQ(up.status[0], 1);
  // unswitched_times keeps the observed experimental time.
  EXPECT_DOUBLE_EQ(unswitched_times(d, std::log(0.5), true).time[0], 10.0);
}

// Nobody switched: the control arm is untreated throughout and not re-censored either.
TEST(Counterfactual, NoSwitchNoRecensoring) {
  SwitchData d{.time = {10, 8},
               .status = {1, 1},
               .arm = {1, 0},
               .switched = {0, 0},
               .switch_time = {std::nan(""), std::nan("")},
               .censor_time = {9, 8.5}};
  d.time[0] = 9;
  const Counterfactual u = untreated_times(d, std::log(0.5), true);
  EXPECT_DOUBLE_EQ(u.time[1], 8.0);
  EXPECT_EQ(u.status[1], 1);
}

TEST(Counterfactual, ChecksTheData) {
  SwitchData d{.time = {10, 10},
               .status = {1, 1},
               .arm = {1, 0},
               .switched = {1, 0},
               .switch_time = {2, std::nan("")}};
  EXPECT_THROW(check_switch_data(d), std::invalid_argument);  // a switch in the experimental arm
  d.switched = {0, 1};
  d.switch_time = {std::nan(""), 11};
  EXPECT_THROW(check_switch_data(d), std::invalid_argument);  // switch after the end of follow-up
  d.switch_time = {std::nan(""), 4};
  d.censor_time = {9, 12};
  EXPECT_THROW(check_switch_data(d), std::invalid_argument);  // censor time below the time
  d.censor_time = {12, 12};
  EXPECT_NO_THROW(check_switch_data(d));
}

}  // namespace
