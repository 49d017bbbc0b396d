// A design stated as the user states it (hazard/design_settings.hpp): the rpact cases of
// tests/reference/design/survival.json, whose "flags" are parsed here into DesignSettings (one
// field per flag), give rpact's events and sample size; and the rules of the conversion.
#include "hazard/design_settings.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>

#include "hazard/error.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

using hazard::test::jnum;
using hazard::test::near_rel;

namespace {

std::vector<double> numbers(const std::string& s) {
  std::vector<double> v;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) v.push_back(std::stod(item));
  return v;
}

hazard::DesignSettings settings_of(const std::string& flags) {
  hazard::DesignSettings s;
  std::stringstream in(flags);
  std::string key, value;
  while (in >> key) {
    if (key == "--binding") {
      s.binding = true;
      continue;
    }
    in >> value;
    if (key == "--hr")
      s.hr = std::stod(value);
    else if (key == "--median-control")
      s.median_control = std::stod(value);
    else if (key == "--median-experimental")
      s.median_experimental = std::stod(value);
    else if (key == "--alpha")
      s.alpha = std::stod(value);
    else if (key == "--power")
      s.power = std::stod(value);
    else if (key == "--ratio")
      s.ratio = std::stod(value);
    else if (key == "--method")
      s.method = value;
    else if (key == "--looks")
      s.looks = std::stoi(value);
    else if (key == "--info")
      s.info = numbers(value);
    else if (key == "--spending")
      s.spending = value;
    else if (key == "--futility")
      s.futility = value;
    else if (key == "--accrual-time")
      s.accrual_time = numbers(value);
    else if (key == "--accrual-rate")
      s.accrual_rate = numbers(value);
    else if (key == "--follow-up")
      s.follow_up = std::stod(value);
    else if (key == "--dropout")
      s.dropout = std::stod(value);
    else if (key == "--dropout-time")
      s.dropout_time = std::stod(value);
    else
      ADD_FAILURE() << "unknown flag " << key;
  }
  return s;
}

std::string error_of(const hazard::DesignSettings& s) {
  try {
    hazard::survival_design_options(s);
  } catch (const hazard::UsageError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(DesignSettings, RpactSampleSizeCases) {
  const auto ref = hazard::test::reference("design/survival.json");
  for (const auto& c : ref["cases"]) {
    SCOPED_TRACE(c["call"].get<std::string>());
    const auto setup = hazard::survival_design_options(settings_of(c["flags"].get<std::string>()));
    const auto d = hazard::design_survival(setup.options);
    const auto& ev = c["events"];
    EXPECT_TRUE(near_rel(d.max_events, jnum(ev.is_array() ? ev.back() : ev), hazard::tol::design));
    ASSERT_TRUE(d.plan.has_value());
    EXPECT_TRUE(near_rel(d.plan->sample_size, jnum(c["sample_size"]), hazard::tol::design));
    EXPECT_TRUE(near_rel(d.plan->follow_up, jnum(c["follow_up"]), hazard::tol::design));
    EXPECT_TRUE(near_rel(d.plan->accrual_end, jnum(c["accrual_end"]), hazard::tol::design));
  }
}

TEST(DesignSettings, Conventions) {
  // the medians give the HR; equally spaced looks; beta = 1 - power
  auto s = hazard::survival_design_options(
      {.median_control = 6, .median_experimental = 10, .power = 0.9, .looks = 4});
  EXPECT_EQ(s.options.hr, 0.6);
  EXPECT_EQ(s.options.boundaries.info, (std::vector<double>{0.25, 0.5, 0.75, 1}));
  EXPECT_NEAR(s.options.boundaries.beta, 0.1, 1e-15);
  ASSERT_TRUE(s.options.plan.has_value());
  EXPECT_EQ(s.options.plan->lambda_control, std::log(2.0) / 6);
  EXPECT_EQ(s.options.plan->accrual.end, (std::vector<double>{12.0}));  // rpact's default accrual
  EXPECT_TRUE(std::isnan(s.options.plan->follow_up));
  // rpact's accrualTime = c(0, 18): the leading 0 is dropped
  s = hazard::survival_design_options(
      {.hr = 0.7, .median_control = 8, .accrual_time = {0, 18}, .follow_up = 6});
  EXPECT_EQ(s.options.plan->accrual.end, (std::vector<double>{18}));
  EXPECT_TRUE(s.warnings.empty());
  // absolute rates over a closed accrual fix the sample size: the follow-up is ignored, with a
  // warning
  s = hazard::survival_design_options(
      {.hr = 0.7, .median_control = 8, .accrual_time = {12}, .accrual_rate = {20}, .follow_up = 6});
  EXPECT_TRUE(std::isnan(s.options.plan->follow_up));
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0],
            "the accrual rates fix the sample size; the follow-up is computed and --follow-up 6 is "
            "ignored (as rpact)");
  // without a control median: events and boundaries only
  EXPECT_FALSE(
      hazard::survival_design_options({.hr = 0.7, .futility = "none"}).options.plan.has_value());
  EXPECT_TRUE(hazard::survival_design_options({.hr = 0.7, .futility = "pocock"})
                  .options.boundaries.futility.has_value());
}

TEST(DesignSettings, Errors) {
  EXPECT_EQ(error_of({}), "the effect is required: --hr HR or --median-experimental M");
  EXPECT_EQ(error_of({.hr = 0.7, .median_experimental = 3}),
            "give either --hr or --median-experimental, not both");
  EXPECT_EQ(error_of({.median_experimental = 3}), "--median-experimental needs --median-control");
  EXPECT_EQ(error_of({.hr = 1}), "--hr must be positive and not 1");
  EXPECT_EQ(error_of({.hr = 0.7, .alpha = 0.5}), "--alpha 0.5: expected a one-sided level in [1e-6, 0.5) (rpact's range)");
  EXPECT_EQ(error_of({.hr = 0.7, .power = 0.01}),
            "--power 0.01: expected a power above --alpha and at most 0.9999 (rpact's range)");
  EXPECT_EQ(error_of({.hr = 0.7, .looks = 21}), "--looks must be between 1 and 20");
  EXPECT_EQ(error_of({.hr = 0.7, .looks = 2, .info = {0.5, 0.9}}),
            "the last --info fraction must be 1");
  EXPECT_EQ(error_of({.hr = 0.7, .looks = 3, .info = {0.5, 1}}),
            "--info has 2 fractions for --looks 3");
  EXPECT_EQ(error_of({.hr = 0.7, .binding = true}), "--binding needs --futility");
  EXPECT_EQ(error_of({.hr = 0.7, .accrual_time = {12}}),
            "sample size and timing need --median-control");
  EXPECT_EQ(error_of({.hr = 0.7, .dropout = 0.1}), "--dropout needs --median-control and accrual");
}
