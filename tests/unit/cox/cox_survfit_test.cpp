// Survival curves of a Cox fit (hazard::cox_survfit) against R survival's survfit.coxph and
// basehaz (tests/reference/cox_diag/make_cox_diag.R): per stratum at the means, and at newdata
// covariate values (with and without strata in newdata, with an offset), Efron and Breslow
// increments, weights, robust variance, (start, stop] data; standard errors and log CIs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "cox_diag_util.hpp"
#include "hazard/error.hpp"

namespace {

using hazard::test::json_vec;
using hazard::test::near_scaled;
using nlohmann::json;

double g_worst = 0;  // largest scaled difference seen, printed per case

void compare_curve(const hazard::CoxSurvCurve& got, const json& want) {
  const auto time = json_vec(want["time"]);
  ASSERT_EQ(got.time.size(), time.size());
  auto check = [&](const std::vector<double>& a, const char* key) {
    const auto b = json_vec(want[key]);
    ASSERT_EQ(a.size(), b.size()) << key;
    const double scale = hazard::test::max_abs(b);
    for (std::size_t k = 0; k < b.size(); ++k) {
      EXPECT_TRUE(near_scaled(a[k], b[k], hazard::tol::derived, scale)) << key << " at " << k;
      if (std::isfinite(b[k])) g_worst = std::max(g_worst, std::fabs(a[k] - b[k]) / std::max(std::fabs(b[k]), scale));
    }
  };
  check(got.time, "time");
  check(got.n_risk, "n_risk");
  check(got.n_event, "n_event");
  check(got.n_censor, "n_censor");
  check(got.cumhaz, "cumhaz");
  check(got.surv, "surv");
  check(got.std_err, "std_err");
  check(got.lower, "lower");
  check(got.upper, "upper");
}

class Survfit : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Survfit, MatchesSurvfit) {
  const json& c = hazard::test::diag_cases()[GetParam()];
  SCOPED_TRACE(c["name"].get<std::string>() + ": " + c["call"].get<std::string>());
  const json& in = c["input"];
  const json& e = c["expect"];
  const hazard::CoxData data = hazard::test::diag_data_of(in);
  const hazard::CoxResult fit = hazard::cox_fit(data, {.ties = hazard::test::diag_ties(c["ties"])});
  const hazard::CoxSurvfit b = hazard::cox_survfit(data, fit);
  ASSERT_EQ(b.curves.size(), e["baseline"].size());
  std::vector<double> basehaz;
  for (std::size_t k = 0; k < b.curves.size(); ++k) {
    SCOPED_TRACE("curve " + std::to_string(k));
    compare_curve(b.curves[k], e["baseline"][k]);
    basehaz.insert(basehaz.end(), b.curves[k].cumhaz.begin(), b.curves[k].cumhaz.end());
  }
  const auto bh = json_vec(e["basehaz"]);
  ASSERT_EQ(basehaz.size(), bh.size());
  for (std::size_t k = 0; k < bh.size(); ++k)
    EXPECT_TRUE(near_scaled(basehaz[k], bh[k], hazard::tol::derived, hazard::test::max_abs(bh))) << "basehaz " << k;

  std::printf("%-28s baseline curves %zu max scaled diff %.2e\n", c["name"].get<std::string>().c_str(), b.curves.size(), g_worst);
  g_worst = 0;
  if (!e.contains("newdata")) return;
  hazard::CoxSurvfitOptions opt;
  opt.newdata = hazard::test::json_matrix(in["newdata_x"]);
  if (in.contains("newdata_offset")) opt.new_offset = json_vec(in["newdata_offset"]);
  if (in.contains("newdata_stratum"))
    for (double s : json_vec(in["newdata_stratum"])) opt.new_stratum.push_back(static_cast<std::int32_t>(s));
  const hazard::CoxSurvfit nb = hazard::cox_survfit(data, fit, opt);
  ASSERT_EQ(nb.curves.size(), e["newdata"].size());
  // R lists curves by stratum then newdata row when newdata has no strata; match by key
  for (const auto& want : e["newdata"]) {
    const auto row = static_cast<std::size_t>(want["newdata_row"].get<int>() - 1);
    const std::int32_t s = want["stratum_index"].get<std::int32_t>();
    const hazard::CoxSurvCurve* got = nullptr;
    for (const auto& cv : nb.curves)
      if (cv.newdata_row == row && (data.stratum.empty() || cv.stratum == s)) got = &cv;
    ASSERT_NE(got, nullptr);
    SCOPED_TRACE("newdata row " + std::to_string(row) + " stratum " + std::to_string(s));
    compare_curve(*got, want);
  }
  std::printf("%-28s newdata  curves %zu max scaled diff %.2e\n", c["name"].get<std::string>().c_str(), nb.curves.size(), g_worst);
  g_worst = 0;
}

INSTANTIATE_TEST_SUITE_P(R, Survfit, ::testing::Range<std::size_t>(0, hazard::test::diag_case_count()));

// Hand-worked Breslow: three subjects, beta fixed at 0 (max_iter = 0), events at 1 and 3, a
// censoring at 2: H(1) = 1/3, H(2) = 1/3, H(3) = 1/3 + 1.
TEST(Survfit, HandWorked) {
  hazard::CoxData d;
  d.time = {1, 2, 3};
  d.status = {1, 0, 1};
  d.x = Eigen::MatrixXd(3, 1);
  d.x << 0, 1, 0;
  const hazard::CoxResult fit = hazard::cox_fit(d, {.ties = hazard::Ties::breslow, .max_iter = 0});
  const auto b = hazard::cox_survfit(d, fit);
  ASSERT_EQ(b.curves.size(), 1u);
  ASSERT_EQ(b.curves[0].cumhaz.size(), 3u);
  EXPECT_NEAR(b.curves[0].cumhaz[0], 1.0 / 3, 1e-15);
  EXPECT_NEAR(b.curves[0].cumhaz[1], 1.0 / 3, 1e-15);
  EXPECT_NEAR(b.curves[0].cumhaz[2], 4.0 / 3, 1e-15);
  EXPECT_NEAR(b.curves[0].surv[2], std::exp(-4.0 / 3), 1e-15);
  EXPECT_DOUBLE_EQ(b.curves[0].n_risk[1], 2.0);
}

TEST(Survfit, UnknownNewdataStratum) {
  hazard::CoxData d;
  d.time = {1, 2, 3, 4};
  d.status = {1, 0, 1, 1};
  d.stratum = {1, 1, 2, 2};
  d.x = Eigen::MatrixXd(4, 1);
  d.x << 0, 1, 0, 1;
  const hazard::CoxResult fit = hazard::cox_fit(d);
  hazard::CoxSurvfitOptions opt;
  opt.newdata = Eigen::MatrixXd::Zero(1, 1);
  opt.new_stratum = {7};
  EXPECT_THROW(hazard::cox_survfit(d, fit, opt), hazard::UsageError);
}

}  // namespace
