// Logistic regression (src/crossover/logistic.cpp, IPCW's switching models) against
// glm(family = binomial) (tests/reference/crossover/make_models.R, models.json) on colon.csv.
#include <gtest/gtest.h>

#include "crossover_fixture.hpp"
#include "hazard/error.hpp"
#include "models_fixture.hpp"
#include "tolerances.hpp"

namespace {

using namespace hazard;
using test::near_rel;

TEST(Logistic, AgreesWithGlm) {
  const auto ref = test::reference("crossover/models.json");
  const test::ColonData d = test::colon();
  for (const auto& c : ref.at("logistic")) {
    const auto cols = test::strings(c.at("columns"));
    const LogisticFit f = logistic_fit(d.x(cols), d.status, cols);
    SCOPED_TRACE(c.at("name").get<std::string>());
    EXPECT_TRUE(f.converged);
    EXPECT_EQ(f.names, test::strings(c.at("names")));
    const auto coef = test::unboxed_vec(c.at("coef")), se = test::unboxed_vec(c.at("se"));
    ASSERT_EQ(static_cast<std::size_t>(f.coef.size()), coef.size());
    for (std::size_t k = 0; k < coef.size(); ++k) {
      EXPECT_TRUE(near_rel(f.coef[static_cast<Eigen::Index>(k)], coef[k], tol::iterative))
          << "coef " << k;
      EXPECT_TRUE(near_rel(f.se[static_cast<Eigen::Index>(k)], se[k], tol::iterative))
          << "se " << k;
    }
    EXPECT_TRUE(near_rel(f.deviance, test::jnum(c.at("deviance")), tol::iterative));
    EXPECT_TRUE(near_rel(f.null_deviance, test::jnum(c.at("null_deviance")), tol::closed_form));
    const auto fit5 = test::unboxed_vec(c.at("fitted_first"));
    for (std::size_t k = 0; k < fit5.size(); ++k)
      EXPECT_TRUE(near_rel(f.fitted[static_cast<Eigen::Index>(k)], fit5[k], tol::iterative));
  }
}

// The intercept-only model is closed form: logit of the event proportion, SE 1/sqrt(n p (1-p)).
TEST(Logistic, InterceptOnlyIsClosedForm) {
  const std::vector<std::uint8_t> y = {1, 0, 0, 1, 0, 0, 0, 1};  // 3 of 8
  const LogisticFit f = logistic_fit(Eigen::MatrixXd(8, 0), y, {});
  EXPECT_TRUE(near_rel(f.coef[0], std::log(3.0 / 5.0), tol::iterative));
  EXPECT_TRUE(near_rel(f.se[0], 1 / std::sqrt(8 * (3.0 / 8) * (5.0 / 8)), tol::iterative));
}

TEST(Logistic, AllOneOutcomeIsANumericalError) {
  const std::vector<std::uint8_t> y = {1, 1, 1};
  EXPECT_THROW(logistic_fit(Eigen::MatrixXd(3, 0), y, {}), NumericalError);
}

}  // namespace
