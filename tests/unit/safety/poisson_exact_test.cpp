// poisson_exact against R poisson.test (tests/reference/safety/poisson.json, make_safety.R) and
// hand-worked limits.
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/error.hpp"
#include "hazard/safety.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;

TEST(PoissonExact, AgreesWithPoissonTest) {
  const auto ref = hazard::test::reference("safety/poisson.json");
  ASSERT_GE(ref["cases"].size(), 8u);
  for (const auto& c : ref["cases"]) {
    SCOPED_TRACE(c["call"].get<std::string>());
    const auto r = hazard::poisson_exact(c["x"].get<std::size_t>(), c["exposure"].get<double>(),
                                         c["conf_level"].get<double>());
    EXPECT_TRUE(near_rel(r.estimate, jnum(c["estimate"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.lower, jnum(c["lower"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.upper, jnum(c["upper"]), hazard::tol::closed_form));
  }
}

TEST(PoissonExact, HandWorked) {
  // x = 0: upper solves exp(-mu) = a/2, mu = -log(0.025); per exposure 2.
  const auto r = hazard::poisson_exact(0, 2.0);
  EXPECT_EQ(r.lower, 0.0);
  EXPECT_TRUE(near_rel(r.upper, -std::log(0.025) / 2, 1e-14));
  // x = 1: lower solves 1 - exp(-mu) = a/2, mu = -log(0.975).
  EXPECT_TRUE(near_rel(hazard::poisson_exact(1, 1.0).lower, -std::log(0.975), 1e-13));
  EXPECT_TRUE(std::isnan(hazard::poisson_exact(1, 0.0).estimate));
  EXPECT_THROW(hazard::poisson_exact(1, 1.0, 1.5), hazard::UsageError);
}

}  // namespace
