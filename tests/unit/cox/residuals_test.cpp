// Residuals of a Cox fit (hazard::cox_residuals, src/cox/cox_residuals.cpp) against R survival's
// residuals.coxph (tests/reference/cox_diag/make_cox_diag.R, 28 fits): martingale, deviance,
// score, schoenfeld, scaledsch, dfbeta (and R's dfbetas = dfbeta / se) for right-censored and
// (start, stop] data, Efron, Breslow and exact ties, strata, weights, offsets, clusters.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "cox_diag_util.hpp"
#include "hazard/error.hpp"

namespace {

hazard::ResidualType type_of(const std::string& s) {
  using T = hazard::ResidualType;
  for (T t : {T::martingale, T::deviance, T::score, T::schoenfeld, T::scaledsch, T::dfbeta})
    if (hazard::to_string(t) == s) return t;
  throw std::invalid_argument(s);
}

using hazard::test::near_scaled;
using nlohmann::json;

class Residuals : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Residuals, MatchR) {
  const json& c = hazard::test::diag_cases()[GetParam()];
  SCOPED_TRACE(c["name"].get<std::string>() + ": " + c["call"].get<std::string>());
  const hazard::CoxData data = hazard::test::diag_data_of(c["input"]);
  const hazard::CoxResult fit = hazard::cox_fit(data, {.ties = hazard::test::diag_ties(c["ties"])});
  const json& r = c["expect"]["residuals"];
  for (const auto& [name, ref] : r.items()) {
    if (name == "schoenfeld_time" || name == "schoenfeld_row") continue;
    SCOPED_TRACE("type " + name);
    // dfbetas (not a type of cox_residuals): dfbeta with column j divided by sqrt(V_jj), as R
    hazard::CoxResiduals res = hazard::cox_residuals(data, fit, type_of(name == "dfbetas" ? "dfbeta" : name));
    if (name == "dfbetas")
      for (Eigen::Index j = 0; j < res.values.cols(); ++j) res.values.col(j) /= std::sqrt(fit.var(j, j));
    const Eigen::MatrixXd want = hazard::test::json_matrix(ref);
    ASSERT_EQ(res.values.rows(), want.rows());
    ASSERT_EQ(res.values.cols(), want.cols());
    double worst = 0;
    for (Eigen::Index j = 0; j < want.cols(); ++j) {
      const double scale = want.col(j).cwiseAbs().maxCoeff();
      for (Eigen::Index i = 0; i < want.rows(); ++i) {
        EXPECT_TRUE(near_scaled(res.values(i, j), want(i, j), hazard::tol::derived, scale)) << "row " << i << " col " << j;
        worst = std::max(worst, std::fabs(res.values(i, j) - want(i, j)) / std::max(std::fabs(want(i, j)), scale));
      }
    }
    std::printf("%-28s %-10s rows %4d  max scaled diff %.2e\n", c["name"].get<std::string>().c_str(), name.c_str(),
                static_cast<int>(want.rows()), worst);
    if (name == "schoenfeld" || name == "scaledsch") {
      const auto t = hazard::test::json_vec(r["schoenfeld_time"]);
      const auto rows = hazard::test::json_vec(r["schoenfeld_row"]);
      ASSERT_EQ(res.time.size(), t.size());
      for (std::size_t k = 0; k < t.size(); ++k) {
        EXPECT_DOUBLE_EQ(res.time[k], t[k]);
        EXPECT_EQ(static_cast<double>(res.row[k]), rows[k]);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(R, Residuals, ::testing::Range<std::size_t>(0, hazard::test::diag_case_count()));

// Hand-worked: two subjects, one event each at distinct times, one covariate 0/1, beta = 0
// fixed by max_iter = 0: risk 1 each. Lambda(t1) = 1/2, Lambda(t2) = 1/2 + 1.
// Martingale: 1 - 1/2 = 0.5 and 1 - 1.5 = -0.5.
TEST(Residuals, HandWorkedMartingale) {
  hazard::CoxData d;
  d.time = {1, 2};
  d.status = {1, 1};
  d.x = Eigen::MatrixXd(2, 1);
  d.x << 0, 1;
  const hazard::CoxResult fit = hazard::cox_fit(d, {.max_iter = 0});
  const auto m = hazard::cox_residuals(d, fit, hazard::ResidualType::martingale);
  EXPECT_NEAR(m.values(0, 0), 0.5, 1e-15);
  EXPECT_NEAR(m.values(1, 0), -0.5, 1e-15);
  // Schoenfeld at t1: x - (0 + 1)/2 = -0.5; at t2 only subject 2 at risk: 1 - 1 = 0
  const auto s = hazard::cox_residuals(d, fit, hazard::ResidualType::schoenfeld);
  EXPECT_NEAR(s.values(0, 0), -0.5, 1e-15);
  EXPECT_NEAR(s.values(1, 0), 0.0, 1e-15);
}

// Efron with two tied deaths among three at risk, beta = 0: the deaths' expected count is
// 1/3 + (1/2)(1/2) = 7/12 (second sub-step denominator 3 - 1 = 2, each death half in it);
// the survivor's 1/3 + 1/2 = 5/6.
TEST(Residuals, EfronTiedMartingale) {
  hazard::CoxData d;
  d.time = {1, 1, 2};
  d.status = {1, 1, 0};
  d.x = Eigen::MatrixXd(3, 1);
  d.x << 0, 1, 0;
  const hazard::CoxResult fit = hazard::cox_fit(d, {.max_iter = 0});
  const auto m = hazard::cox_residuals(d, fit, hazard::ResidualType::martingale);
  EXPECT_NEAR(m.values(0, 0), 1 - 7.0 / 12, 1e-15);
  EXPECT_NEAR(m.values(1, 0), 1 - 7.0 / 12, 1e-15);
  EXPECT_NEAR(m.values(2, 0), -5.0 / 6, 1e-15);
}

TEST(Residuals, ScoreTypesRejectExactTies) {
  hazard::CoxData d;
  d.time = {1, 1, 2, 3};
  d.status = {1, 1, 0, 1};
  d.x = Eigen::MatrixXd(4, 1);
  d.x << 0, 1, 0, 1;
  const hazard::CoxResult fit = hazard::cox_fit(d, {.ties = hazard::Ties::exact});
  EXPECT_THROW(hazard::cox_residuals(d, fit, hazard::ResidualType::schoenfeld), hazard::UsageError);
  EXPECT_THROW(hazard::cox_residuals(d, fit, hazard::ResidualType::dfbeta), hazard::UsageError);
  EXPECT_NO_THROW(hazard::cox_residuals(d, fit, hazard::ResidualType::deviance));
}

}  // namespace
