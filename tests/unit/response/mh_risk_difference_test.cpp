// mh_risk_difference (MH weights, Sato variance) against the formulas written out in R
// (tests/reference/response/kernels.json, make_response.R: mh_sato).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hazard/response.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;

std::vector<hazard::TwoByTwo> strata(const nlohmann::json& c) {
  std::vector<hazard::TwoByTwo> s;
  for (std::size_t h = 0; h < c["x1"].size(); ++h)
    s.push_back({.x1 = c["x1"][h].get<std::size_t>(),
                 .n1 = c["n1"][h].get<std::size_t>(),
                 .x0 = c["x0"][h].get<std::size_t>(),
                 .n0 = c["n0"][h].get<std::size_t>()});
  return s;
}

TEST(MhRiskDifference, AgreesWithTheRReference) {
  const auto ref = hazard::test::reference("response/kernels.json");
  ASSERT_GE(ref["stratified"].size(), 6u);
  for (const auto& c : ref["stratified"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const auto s = strata(c);
    const auto r = hazard::mh_risk_difference(s, c["conf_level"].get<double>());
    EXPECT_TRUE(near_rel(r.estimate, jnum(c["mh"]["estimate"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.std_err, jnum(c["mh"]["std_err"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.lower, jnum(c["mh"]["lower"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.upper, jnum(c["mh"]["upper"]), hazard::tol::closed_form));
  }
}

TEST(MhRiskDifference, OneStratumIsTheWaldInterval) {
  const hazard::TwoByTwo t{.x1 = 17, .n1 = 40, .x0 = 9, .n0 = 35};
  const auto mh = hazard::mh_risk_difference(std::vector<hazard::TwoByTwo>{t});
  const auto wald = hazard::wald_difference(t);
  EXPECT_TRUE(near_rel(mh.estimate, wald.estimate, 1e-15));
  EXPECT_TRUE(near_rel(mh.std_err, wald.std_err, 1e-14));
}

TEST(MhRiskDifference, NoInformativeStratumIsNaN) {
  const std::vector<hazard::TwoByTwo> s{{.x1 = 2, .n1 = 5, .x0 = 0, .n0 = 0}};
  EXPECT_TRUE(std::isnan(hazard::mh_risk_difference(s).estimate));
}

}  // namespace
