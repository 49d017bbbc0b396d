// Draws from the normal approximation (src/parametric/draws.cpp): reproducible for a seed,
// different for another, mean and covariance those of the estimates (Monte-Carlo bounds), and
// the simulated extrapolation's intervals bracket the point estimates.
#include <gtest/gtest.h>

#include "hazard/error.hpp"
#include "parametric_fixture.hpp"

namespace {

using namespace hazard;

ParametricFit lung_weibull() {
  const nlohmann::json sr = test::reference("parametric/survreg.json");
  for (const auto& c : sr.at("cases"))
    if (c.at("name") == "lung_sex_age_weibull")
      return fit_parametric(test::parametric_input(c.at("input")), parse_distribution("weibull"));
  throw std::runtime_error("case not found");
}

TEST(Draws, AreReproducibleAndHaveTheEstimatesMoments) {
  const ParametricFit f = lung_weibull();
  const Eigen::MatrixXd a = draw_parameters(f, 20000, 42), b = draw_parameters(f, 20000, 42);
  EXPECT_TRUE((a.array() == b.array()).all());
  const Eigen::MatrixXd c = draw_parameters(f, 5, 43);
  EXPECT_NE(a(0, 0), c(0, 0));
  const Eigen::VectorXd mean = a.colwise().mean().transpose();
  const Eigen::MatrixXd centred = a.rowwise() - mean.transpose();
  const Eigen::MatrixXd cov = centred.transpose() * centred / (static_cast<double>(a.rows()) - 1.0);
  const double n = static_cast<double>(a.rows());
  for (Eigen::Index j = 0; j < mean.size(); ++j) {
    const double se = std::sqrt(f.vcov(j, j));
    // the mean of 20000 draws is within 3 SE / sqrt(n) of the estimate (fails by chance p = 0.003)
    EXPECT_NEAR(mean[j], f.estimate[j], tol::mc_sigmas * se / std::sqrt(n)) << j;
    // the variance within 3 of its own SEs (sqrt(2/n) relative for a normal)
    EXPECT_NEAR(cov(j, j), f.vcov(j, j), tol::mc_sigmas * std::sqrt(2 / n) * f.vcov(j, j)) << j;
  }
  // the first draw's deviates: Philox4x64-10, key (42, 0), counter (0, j, 0, 0), inverse normal
  // CDF; a draw depends only on (seed, draw index), not on how many are drawn
  EXPECT_TRUE((draw_parameters(f, 3, 42).row(2).array() == a.row(2).array()).all());
}

TEST(Draws, SimulatedIntervalsBracketTheEstimates) {
  const ParametricFit f = lung_weibull();
  CurveCovariates at;
  at.x = Eigen::Vector2d(1, 60);
  ExtrapolationOptions o{.times = {0, 100, 300, 600, 1200}, .horizon = 1500, .rmst_tau = 365.0};
  const Extrapolation e = extrapolate(f, at, o);
  const SimulatedCurve s = simulate_extrapolation(f, at, o, draw_parameters(f, 2000, 7));
  ASSERT_EQ(s.lower.size(), o.times.size());
  for (std::size_t i = 1; i < o.times.size(); ++i) {
    EXPECT_LT(s.lower[i], e.surv[i]);
    EXPECT_GT(s.upper[i], e.surv[i]);
    // and are close to the delta-method ones (2000 draws: a few percent)
    EXPECT_NEAR(s.lower[i], e.lower[i], 0.03);
    EXPECT_NEAR(s.upper[i], e.upper[i], 0.03);
  }
  EXPECT_EQ(s.draw_median.size(), 2000u);
  EXPECT_LT(s.median.lower, e.median.estimate);
  EXPECT_GT(s.median.upper, e.median.estimate);
  EXPECT_NEAR(s.mean_restricted.se, e.mean_restricted.se, 0.1 * e.mean_restricted.se);
  ASSERT_TRUE(s.rmst.has_value());
  EXPECT_NEAR(s.rmst->estimate, e.rmst->estimate, 3 * e.rmst->se / std::sqrt(2000.0) + 0.01 * e.rmst->se);
}

TEST(Draws, NeedACovariance) {
  ParametricFit f = lung_weibull();
  EXPECT_THROW(draw_parameters(f, 0, 1), UsageError);
  f.vcov(0, 0) = std::nan("");
  EXPECT_THROW(draw_parameters(f, 10, 1), NumericalError);
}

}  // namespace
