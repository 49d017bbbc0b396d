// Event probability over the accrual (closed forms) and the look-time equations.
#include <cmath>

#include <gtest/gtest.h>

#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "test_util.hpp"

using hazard::test::near_rel;

namespace {

TEST(SurvivalPlan, EventProbabilityUniformAccrualClosedForm) {
  // Uniform entry on [0, A], one arm (hr 1), no dropout, t >= A:
  //   P(t) = 1 - (exp(-lambda (t - A)) - exp(-lambda t)) / (lambda A).
  std::vector<double> end{10}, rate{1};
  const double lambda = 0.1, t = 15, A = 10;
  double expected = 1 - (std::exp(-lambda * (t - A)) - std::exp(-lambda * t)) / (lambda * A);
  EXPECT_TRUE(near_rel(hazard::event_probability(t, end, rate, lambda, 1.0, 1, 0), expected, 1e-14));
  // Two pieces with equal rates are the same accrual.
  std::vector<double> end2{4, 10}, rate2{3, 3};
  EXPECT_TRUE(near_rel(hazard::event_probability(t, end2, rate2, lambda, 1.0, 1, 0), expected, 1e-14));
  // Dropout: events are a lambda / (lambda + phi) share of the exits.
  const double phi = 0.05, mu = lambda + phi;
  double with_dropout =
      lambda / mu * (1 - (std::exp(-mu * (t - A)) - std::exp(-mu * t)) / (mu * A));
  EXPECT_TRUE(near_rel(hazard::event_probability(t, end, rate, lambda, 1.0, 1, phi), with_dropout, 1e-14));
}

TEST(SurvivalPlan, LookTimesSolveTheEventEquation) {
  hazard::SurvivalPlanOptions o{.hr = 0.7, .ratio = 2, .lambda_control = std::log(2.0) / 6,
                                .accrual = {.end = {6, 20}, .rate = {5, 12}}};
  std::vector<double> events{60, 120, 150};
  auto p = hazard::plan_survival(o, events, {});
  EXPECT_TRUE(near_rel(p.sample_size, 5 * 6 + 12 * 14, 1e-15));
  std::vector<double> end{6, 20}, rate{5, 12};
  for (std::size_t k = 0; k < 3; ++k) {
    double d = p.sample_size * hazard::event_probability(p.time[k], end, rate, o.lambda_control,
                                                         0.7, 2, 0);
    EXPECT_NEAR(d, events[k], 1e-8);
  }
  EXPECT_TRUE(near_rel(p.follow_up, p.time[2] - 20, 1e-14));
}

TEST(SurvivalPlan, RejectsInconsistentAccrual) {
  hazard::SurvivalPlanOptions p{.lambda_control = 0.1, .accrual = {.end = {12}, .rate = {10}},
                                .follow_up = 12};
  std::vector<double> ev{100};
  EXPECT_THROW(hazard::plan_survival(p, ev, {}), hazard::UsageError);
  p.accrual = {.end = {12}, .rate = {10, 20, 30}};
  EXPECT_THROW(hazard::plan_survival(p, ev, {}), hazard::UsageError);
}

}  // namespace
