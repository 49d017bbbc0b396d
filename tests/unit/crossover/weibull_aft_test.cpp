// The Weibull AFT model of the two-stage method (src/crossover/weibull_aft.cpp) against
// survreg(dist = "weibull") (tests/reference/crossover/make_models.R, models.json) on colon.csv.
#include <gtest/gtest.h>

#include "crossover_fixture.hpp"
#include "hazard/error.hpp"
#include "models_fixture.hpp"
#include "tolerances.hpp"

namespace {

using namespace hazard;
using test::near_rel;

TEST(WeibullAft, AgreesWithSurvreg) {
  const auto ref = test::reference("crossover/models.json");
  const test::ColonData d = test::colon();
  for (const auto& c : ref.at("weibull_aft")) {
    const auto cols = test::strings(c.at("columns"));
    const WeibullAftFit f = weibull_aft(d.time, d.status, d.x(cols), cols);
    SCOPED_TRACE(c.at("name").get<std::string>());
    EXPECT_TRUE(f.converged);
    EXPECT_EQ(f.names, test::strings(c.at("names")));
    const auto coef = test::unboxed_vec(c.at("coef")), se = test::unboxed_vec(c.at("se"));
    ASSERT_EQ(static_cast<std::size_t>(f.coef.size()), coef.size());
    for (std::size_t k = 0; k < coef.size(); ++k) {
      EXPECT_TRUE(near_rel(f.coef[static_cast<Eigen::Index>(k)], coef[k], tol::iterative))
          << "coef " << k;
      EXPECT_TRUE(near_rel(f.se[k], se[k], tol::iterative)) << "se " << k;
    }
    EXPECT_TRUE(near_rel(f.loglik, test::jnum(c.at("loglik")), tol::iterative));
    EXPECT_TRUE(near_rel(f.scale, test::jnum(c.at("scale")), tol::iterative));
  }
}

// log t is taken: a time of 0 is refused (the two-stage method says to use --pps-offset).
TEST(WeibullAft, NonPositiveTimeIsRefused) {
  const std::vector<double> t = {1.0, 0.0, 2.0};
  const std::vector<std::uint8_t> s = {1, 1, 0};
  EXPECT_THROW(weibull_aft(t, s, Eigen::MatrixXd(3, 0), {}), NumericalError);
}

}  // namespace
