// clopper_pearson against R binom.test (tests/reference/response/kernels.json, make_response.R)
// and hand-worked limits.
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/error.hpp"
#include "hazard/response.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;

TEST(ClopperPearson, AgreesWithBinomTest) {
  const auto ref = hazard::test::reference("response/kernels.json");
  ASSERT_GE(ref["binomial"].size(), 10u);
  for (const auto& c : ref["binomial"]) {
    const auto x = c["x"].get<std::size_t>(), n = c["n"].get<std::size_t>();
    const auto r = hazard::clopper_pearson(x, n, c["conf_level"].get<double>());
    SCOPED_TRACE(c["clopper_pearson"]["call"].get<std::string>());
    EXPECT_EQ(r.x, x);
    EXPECT_EQ(r.n, n);
    EXPECT_TRUE(near_rel(r.estimate, jnum(c["estimate"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.lower, jnum(c["clopper_pearson"]["lower"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.upper, jnum(c["clopper_pearson"]["upper"]), hazard::tol::closed_form));
  }
}

TEST(ClopperPearson, HandWorkedLimits) {
  // x = n = 1: lower solves p = a/2, i.e. 0.025; x = 0 of n: upper solves (1 - p)^n = a/2.
  EXPECT_TRUE(near_rel(hazard::clopper_pearson(1, 1).lower, 0.025, 1e-14));
  EXPECT_TRUE(near_rel(hazard::clopper_pearson(0, 10).upper, 1 - std::pow(0.025, 0.1), 1e-13));
  EXPECT_EQ(hazard::clopper_pearson(0, 10).lower, 0.0);
  EXPECT_EQ(hazard::clopper_pearson(10, 10).upper, 1.0);
}

TEST(ClopperPearson, EmptyArmIsNaNAndBadArgumentsThrow) {
  const auto r = hazard::clopper_pearson(0, 0);
  EXPECT_TRUE(std::isnan(r.estimate) && std::isnan(r.lower) && std::isnan(r.upper));
  EXPECT_THROW(hazard::clopper_pearson(3, 2), std::invalid_argument);
  EXPECT_THROW(hazard::clopper_pearson(1, 2, 1.0), hazard::UsageError);
  EXPECT_THROW(hazard::clopper_pearson(1, 2, 0.0), hazard::UsageError);
}

}  // namespace
