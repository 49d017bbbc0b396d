// A simulation stated as the user states it (hazard/simulation_settings.hpp): the settings of the
// rpact cases of tests/reference/simulate/simulate.json give rpact's critical values and the
// scenario rpact simulates; the rules of the conversion and its errors.
#include "hazard/simulation_settings.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "hazard/error.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

using hazard::test::near_rel;

namespace {
std::string error_of(const hazard::SimulationSettings& s) {
  try {
    hazard::simulation_setup(s);
  } catch (const hazard::UsageError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(SimulationSettings, RpactCases) {
  const auto ref = hazard::test::reference("simulate/simulate.json");
  for (const auto& c : ref["cases"]) {
    SCOPED_TRACE(c["call"].get<std::string>());
    const auto& h = c["hazard"];
    hazard::SimulationSettings s{.n = h["n"].get<std::size_t>(),
                                 .ratio = h["ratio"].get<double>(),
                                 .median_control = h["median_control"].get<double>(),
                                 .hr = h["hr"].get<double>(),
                                 .accrual_time = {h["accrual_time"].get<double>()},
                                 .dropout = h["dropout"].get<double>(),
                                 .events = h["events"].get<std::vector<double>>(),
                                 .spending = h["spending"].get<std::string>(),
                                 .alpha = h["alpha"].get<double>()};
    const auto setup = hazard::simulation_setup(s);
    const auto& z = c["critical_values"];
    ASSERT_EQ(setup.scenario.z_efficacy.size(), z.size());
    for (std::size_t k = 0; k < z.size(); ++k)
      EXPECT_TRUE(near_rel(setup.scenario.z_efficacy[k], z[k].get<double>(), hazard::tol::design))
          << k;
    // rpact's lambda2 = log(2) / median, lambda1 = hazardRatio * lambda2
    EXPECT_EQ(setup.scenario.control.rate,
              (std::vector<double>{std::log(2.0) / *s.median_control}));
    EXPECT_TRUE(near_rel(setup.scenario.experimental.rate.at(0),
                         *s.hr * std::log(2.0) / *s.median_control, hazard::tol::closed_form));
    EXPECT_TRUE(setup.scenario.z_futility.empty());
  }
}

TEST(SimulationSettings, Conventions) {
  auto setup = hazard::simulation_setup({.n = 100,
                                         .median_control = 10,
                                         .median_experimental = 20,
                                         .accrual_time = {12},
                                         .dropout = 0.1,
                                         .dropout_time = 12,
                                         .events = {30, 60},
                                         .futility = "pocock",
                                         .power = 0.9});
  EXPECT_EQ(setup.design.info, (std::vector<double>{0.5, 1}));  // events / last events
  EXPECT_EQ(setup.scenario.experimental.rate, (std::vector<double>{std::log(2.0) / 20}));
  EXPECT_EQ(setup.scenario.accrual.rate, (std::vector<double>{1.0}));
  // P(drop out by 12) = 0.1 under an exponential hazard
  EXPECT_TRUE(
      near_rel(1 - std::exp(-setup.scenario.dropout_control * 12), 0.1, hazard::tol::closed_form));
  EXPECT_EQ(setup.scenario.z_futility.size(), 2u);
  EXPECT_EQ(setup.futility, "pocock");
  // calendar looks: equally spaced information unless given; the scenario's design keys as defaults
  setup = hazard::simulation_setup(
      {.scenario_json = {{"n", 50},
                         {"control", {{"hazard", 0.1}}},
                         {"experimental", {{"hazard", 0.05}}},
                         {"accrual", {{"end", {6}}, {"rate", {1}}}},
                         {"design", {{"spending", "pocock"}, {"alpha", 0.05}}}},
       .times = {10, 20, 40}});
  EXPECT_EQ(setup.scenario.look_type, hazard::LookType::calendar);
  EXPECT_NEAR(setup.design.info[0], 1.0 / 3, 1e-15);
  EXPECT_EQ(setup.spending, "pocock");
  EXPECT_EQ(setup.alpha, 0.05);
}

TEST(SimulationSettings, Errors) {
  EXPECT_EQ(error_of({}), "the control hazard is required: --median-control or a scenario file");
  EXPECT_EQ(error_of({.median_control = 10}),
            "the effect is required: --hr, --median-experimental or a scenario file");
  EXPECT_EQ(error_of({.median_control = 10, .hr = 0.7}),
            "accrual is required: --accrual-time T (or a scenario file)");
  EXPECT_EQ(error_of({.median_control = 10, .hr = 0.7, .accrual_time = {12}}),
            "the looks are required: --events E1,...,EK or --times T1,...,TK");
  EXPECT_EQ(
      error_of(
          {.median_control = 10, .hr = 0.7, .accrual_time = {12}, .events = {10}, .times = {5}}),
      "give either --events or --times");
  EXPECT_EQ(
      error_of(
          {.median_control = 10, .hr = 0.7, .accrual_time = {12}, .events = {10, 20}, .looks = 3}),
      "--looks 3 but 2 looks given by --events/--times");
  EXPECT_EQ(error_of({.median_control = 10,
                      .hr = 0.7,
                      .accrual_time = {12},
                      .events = {10},
                      .hr_estimator = "wald"}),
            "--hr-estimator wald: expected pike or cox");
}
