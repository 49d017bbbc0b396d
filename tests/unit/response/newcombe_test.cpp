// newcombe_difference against Newcombe (1998) method 10 written out in R from prop.test's Wilson
// limits (tests/reference/response/kernels.json) and against the paper's worked examples.
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/response.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;

TEST(Newcombe, AgreesWithTheRReference) {
  const auto ref = hazard::test::reference("response/kernels.json");
  for (const auto& c : ref["difference"]) {
    const hazard::TwoByTwo t{.x1 = c["x1"].get<std::size_t>(),
                             .n1 = c["n1"].get<std::size_t>(),
                             .x0 = c["x0"].get<std::size_t>(),
                             .n0 = c["n0"].get<std::size_t>()};
    const auto r = hazard::newcombe_difference(t, c["conf_level"].get<double>());
    SCOPED_TRACE(c.dump());
    EXPECT_TRUE(near_rel(r.estimate, jnum(c["estimate"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.lower, jnum(c["newcombe"]["lower"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.upper, jnum(c["newcombe"]["upper"]), hazard::tol::closed_form));
    EXPECT_TRUE(std::isnan(r.std_err));
  }
}

TEST(Newcombe, PaperTableII) {
  // Newcombe (1998) Table II, method 10: (a) 56/70 - 48/80: 0.0524 to 0.3339;
  // (b) 9/10 - 3/10: 0.1705 to 0.8090 (published to 4 decimals).
  const auto a = hazard::newcombe_difference({.x1 = 56, .n1 = 70, .x0 = 48, .n0 = 80});
  EXPECT_NEAR(a.lower, 0.0524, 5e-5);
  EXPECT_NEAR(a.upper, 0.3339, 5e-5);
  const auto b = hazard::newcombe_difference({.x1 = 9, .n1 = 10, .x0 = 3, .n0 = 10});
  EXPECT_NEAR(b.lower, 0.1705, 5e-5);
  EXPECT_NEAR(b.upper, 0.8090, 5e-5);
}

}  // namespace
