// Tests of src/km/milestone.cpp (milestone_test) and src/km/rmst_comparison.cpp (rmst_test)
// against R survival (tests/reference/nph/make_rmst_milestone.R): summary(survfit, times =) with
// its Greenwood SE, and summary(survfit, rmean = tau)'s RMST and SE, on the CSV files of
// tests/reference/nph/.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/nph.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::near_rel;
using nlohmann::json;

// The rows the case's CLI flags select (--time T --event E[=V] --group G).
hazard::SurvData load(const json& c) {
  const auto cli = c.at("cli").get<std::vector<std::string>>();
  hazard::Roles roles;
  for (std::size_t k = 0; k + 1 < cli.size(); ++k) {
    if (cli[k] == "--time") roles.time = cli[k + 1];
    if (cli[k] == "--group") roles.group = cli[k + 1];
    if (cli[k] == "--event") {
      const std::string e = cli[k + 1];
      const auto eq = e.find('=');
      roles.event = e.substr(0, eq);
      if (eq != std::string::npos) {
        roles.event_value = e.substr(eq + 1);
        roles.coding = hazard::EventCoding::equals;
      }
    }
  }
  const hazard::Table t = hazard::read_csv(std::string(HAZARD_REFERENCE_DIR) + "/nph/" +
                                           c.at("file").get<std::string>());
  return hazard::build_surv_data(t, roles);
}

TEST(MilestoneTest, AgreesWithSurvfit) {
  const json ref = hazard::test::reference("nph/rmst_milestone.json");
  ASSERT_GE(ref.at("milestone").size(), 6u);
  for (const json& c : ref.at("milestone")) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const hazard::SurvData d = load(c);
    const hazard::MilestoneTest r = hazard::milestone_test(d, c.at("at").get<double>());
    EXPECT_EQ(r.n, c.at("n").get<std::size_t>());
    EXPECT_TRUE(
        near_rel(r.reference.surv, c.at("surv")[0].get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(
        near_rel(r.comparison.surv, c.at("surv")[1].get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.reference.std_err, c.at("std_err_arm")[0].get<double>(),
                         hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.comparison.std_err, c.at("std_err_arm")[1].get<double>(),
                         hazard::tol::closed_form));
    for (const char* key : {"difference", "std_err", "lower", "upper", "z", "p", "p_one_sided"}) {
      const double mine = std::string(key) == "difference" ? r.difference
                          : std::string(key) == "std_err"  ? r.std_err
                          : std::string(key) == "lower"    ? r.lower
                          : std::string(key) == "upper"    ? r.upper
                          : std::string(key) == "z"        ? r.z
                          : std::string(key) == "p"        ? r.p
                                                           : r.p_one_sided;
      EXPECT_TRUE(near_rel(mine, c.at(key).get<double>(), hazard::tol::closed_form)) << key;
    }
  }
}

TEST(RmstTest, AgreesWithSurvmean) {
  const json ref = hazard::test::reference("nph/rmst_milestone.json");
  ASSERT_GE(ref.at("rmst").size(), 6u);
  for (const json& c : ref.at("rmst")) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const hazard::SurvData d = load(c);
    const hazard::RmstTest r = hazard::rmst_test(d, c.at("tau").get<double>());
    EXPECT_TRUE(
        near_rel(r.reference.estimate, c.at("rmst")[0].get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(
        near_rel(r.comparison.estimate, c.at("rmst")[1].get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(
        near_rel(r.reference.std_err, c.at("std_err")[0].get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(
        near_rel(r.comparison.std_err, c.at("std_err")[1].get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.difference.estimate, c.at("difference").get<double>(),
                         hazard::tol::closed_form));
    EXPECT_TRUE(
        near_rel(r.difference.lower, c.at("lower").get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(
        near_rel(r.difference.upper, c.at("upper").get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.difference.z, c.at("z").get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.difference.p, c.at("p").get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(
        near_rel(r.p_one_sided, c.at("p_one_sided").get<double>(), hazard::tol::closed_form));
  }
}

TEST(MilestoneTest, ErrorsAreClear) {
  hazard::SurvData d;
  d.time = {1, 2, 3, 4};
  d.status = {1, 1, 1, 1};
  d.group = {0, 1, 0, 1};
  d.group_levels = {"A", "B"};
  d.group_name = "arm";
  EXPECT_THROW(hazard::milestone_test(d, -1.0), hazard::UsageError);
  EXPECT_THROW(hazard::rmst_test(d, 0.0), hazard::UsageError);
  // before the first event neither arm has a standard error: z is not defined
  EXPECT_THROW(hazard::milestone_test(d, 0.5), hazard::NumericalError);
  d.stratum = {0, 0, 1, 1};
  d.strata_levels = {"s=1", "s=2"};
  EXPECT_THROW(hazard::milestone_test(d, 2.0), hazard::UsageError);
}

}  // namespace
