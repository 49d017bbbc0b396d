// wilson against R prop.test(x, n, correct = FALSE) (tests/reference/response/kernels.json).
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/response.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;

TEST(Wilson, AgreesWithPropTest) {
  const auto ref = hazard::test::reference("response/kernels.json");
  for (const auto& c : ref["binomial"]) {
    const auto r = hazard::wilson(c["x"].get<std::size_t>(), c["n"].get<std::size_t>(),
                                  c["conf_level"].get<double>());
    SCOPED_TRACE(c["wilson"]["call"].get<std::string>());
    EXPECT_TRUE(near_rel(r.lower, jnum(c["wilson"]["lower"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.upper, jnum(c["wilson"]["upper"]), hazard::tol::closed_form));
  }
}

TEST(Wilson, HandWorked) {
  // x = 5 of n = 10, z = 1.96 (conf_level for which qnorm = 1.96 is not exact: check symmetry).
  const auto r = hazard::wilson(5, 10);
  EXPECT_NEAR(r.lower + r.upper, 1.0, 1e-15);  // symmetric about 1/2
  EXPECT_EQ(hazard::wilson(0, 4).lower, 0.0);
  EXPECT_EQ(hazard::wilson(4, 4).upper, 1.0);
  EXPECT_TRUE(std::isnan(hazard::wilson(0, 0).lower));
}

}  // namespace
