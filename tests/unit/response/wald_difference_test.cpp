// wald_difference against R prop.test(c(x1, x0), c(n1, n0), correct = FALSE)$conf.int
// (tests/reference/response/kernels.json).
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/response.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;

hazard::TwoByTwo table(const nlohmann::json& c) {
  return {.x1 = c["x1"].get<std::size_t>(),
          .n1 = c["n1"].get<std::size_t>(),
          .x0 = c["x0"].get<std::size_t>(),
          .n0 = c["n0"].get<std::size_t>()};
}

TEST(WaldDifference, AgreesWithPropTest) {
  const auto ref = hazard::test::reference("response/kernels.json");
  ASSERT_GE(ref["difference"].size(), 10u);
  for (const auto& c : ref["difference"]) {
    const auto r = hazard::wald_difference(table(c), c["conf_level"].get<double>());
    SCOPED_TRACE(c["wald"]["call"].get<std::string>());
    EXPECT_TRUE(near_rel(r.estimate, jnum(c["estimate"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.std_err, jnum(c["wald"]["std_err"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.lower, jnum(c["wald"]["lower"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.upper, jnum(c["wald"]["upper"]), hazard::tol::closed_form));
  }
}

TEST(WaldDifference, ClippedToMinusOneOne) {
  // 10/10 vs 0/10: SE 0, the interval is the point 1.
  const auto r = hazard::wald_difference({.x1 = 10, .n1 = 10, .x0 = 0, .n0 = 10});
  EXPECT_EQ(r.estimate, 1.0);
  EXPECT_EQ(r.upper, 1.0);
  EXPECT_TRUE(std::isnan(hazard::wald_difference({.x1 = 0, .n1 = 0, .x0 = 1, .n0 = 2}).estimate));
}

}  // namespace
