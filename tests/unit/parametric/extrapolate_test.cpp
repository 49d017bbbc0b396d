// hazard::extrapolate (src/parametric/extrapolate.cpp) against tests/reference/parametric/
// make_extrapolation.R: for models fitted in R (survreg / optim), S(t) and h(t) with their
// delta-method intervals, the median (uniroot), the restricted mean and RMST (integrate) and the
// mean (closed form or integrate to Inf), all with delta-method SEs computed in R independently.
// The fit's estimate and covariance are set to R's, so that only the extrapolation is compared.
#include <gtest/gtest.h>

#include "hazard/error.hpp"
#include "parametric_fixture.hpp"

namespace {

using namespace hazard;

struct Case {
  const char* name;        // in extrapolation.json
  const char* source;      // survreg.json or optim.json
  const char* fit;         // case there
  std::vector<double> x;   // covariate values of the curve
};

const nlohmann::json* find_case(const nlohmann::json& cases, const std::string& name) {
  for (const auto& c : cases)
    if (c.at("name") == name) return &c;
  return nullptr;
}

void expect_estimate(const Estimate& e, const nlohmann::json& r, double tol_est, double tol_se,
                     const std::string& what) {
  EXPECT_TRUE(test::near_rel(e.estimate, test::jnum(r.at("estimate")), tol_est)) << what;
  EXPECT_TRUE(test::near_rel(e.se, test::jnum(r.at("se")), tol_se)) << what << " se";
  EXPECT_TRUE(test::near_rel(e.lower, test::jnum(r.at("lower")), tol_se)) << what << " lower";
  EXPECT_TRUE(test::near_rel(e.upper, test::jnum(r.at("upper")), tol_se)) << what << " upper";
}

TEST(Extrapolate, AgreesWithRsDeltaMethodAndQuadrature) {
  const nlohmann::json ref = test::reference("parametric/extrapolation.json");
  const nlohmann::json sr = test::reference("parametric/survreg.json");
  const nlohmann::json op = test::reference("parametric/optim.json");
  const std::vector<Case> cases = {
      {"weibull_lung_sex_age", "survreg", "lung_sex_age_weibull", {1, 60}},
      {"loglogistic_veteran", "survreg", "veteran_loglogistic", {0, 70}},
      {"lognormal_colon", "survreg", "colon_lognormal", {0, 0, 60, 3}},
      {"gompertz_lung", "optim", "lung_sex_age_gompertz", {1, 60}},
      {"gengamma_colon", "optim", "colon_gengamma", {0, 0}},
      {"rp_hazard_veteran", "optim", "veteran_rp_hazard_3", {1}},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.name);
    const nlohmann::json* r = find_case(ref.at("cases"), k.name);
    const nlohmann::json* src = find_case((std::string(k.source) == "survreg" ? sr : op).at("cases"), k.fit);
    ASSERT_TRUE(r && src);
    const ParametricData d = test::parametric_input(src->at("input"));
    ParametricFit f = fit_parametric(d, parse_distribution(src->at("dist").get<std::string>()));
    const std::vector<double> est = test::jvec(r->at("estimate"));
    ASSERT_EQ(static_cast<std::size_t>(f.estimate.size()), est.size());
    for (std::size_t j = 0; j < est.size(); ++j) {
      f.estimate[static_cast<Eigen::Index>(j)] = est[j];
      const std::vector<double> row = test::jvec(src->at("expect").at("vcov")[j]);
      for (std::size_t l = 0; l < est.size(); ++l)
        f.vcov(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(l)) = row[l];
    }
    CurveCovariates at;
    at.x = Eigen::Map<const Eigen::VectorXd>(k.x.data(), static_cast<Eigen::Index>(k.x.size()));
    ExtrapolationOptions o;
    o.times = test::jvec(r->at("expect").at("time"));
    o.horizon = r->at("horizon").get<double>();
    o.rmst_tau = r->at("tau").get<double>();
    const Extrapolation e = extrapolate(f, at, o);
    const auto& x = r->at("expect");
    for (const char* key : {"surv", "lower", "upper", "hazard", "hazard_lower", "hazard_upper"}) {
      const std::vector<double> want = test::jvec(x.at(key));
      const std::vector<double>& got = std::string(key) == "surv" ? e.surv
                                       : std::string(key) == "lower" ? e.lower
                                       : std::string(key) == "upper" ? e.upper
                                       : std::string(key) == "hazard" ? e.hazard
                                       : std::string(key) == "hazard_lower" ? e.hazard_lower
                                                                            : e.hazard_upper;
      for (std::size_t i = 0; i < want.size(); ++i)
        EXPECT_TRUE(test::near_rel(got[i], want[i], 1e-6)) << key << " at " << o.times[i];
    }
    expect_estimate(e.median, x.at("median"), 1e-9, 1e-5, "median");
    expect_estimate(e.mean_restricted, x.at("mean_restricted"), 1e-8, 1e-4, "restricted mean");
    ASSERT_TRUE(e.rmst.has_value());
    expect_estimate(*e.rmst, x.at("rmst"), 1e-8, 1e-4, "rmst");
    EXPECT_TRUE(e.mean_finite) << e.mean_note;
    expect_estimate(e.mean, x.at("mean"), 1e-7, 1e-4, "mean");
  }
}

TEST(Extrapolate, InfiniteMeansAreReportedWithTheirReason) {
  // log-logistic shape <= 1
  ParametricData d;
  d.time = {1, 2, 3, 5, 8, 13, 21, 34};
  d.status = {1, 1, 1, 0, 1, 1, 0, 1};
  ParametricFit f = fit_parametric(d, parse_distribution("loglogistic"));
  f.estimate[0] = std::log(0.8);
  const Extrapolation e = extrapolate(f, {}, {.times = {0, 10}, .horizon = 50});
  EXPECT_FALSE(e.mean_finite);
  EXPECT_TRUE(std::isinf(e.mean.estimate));
  EXPECT_NE(e.mean_note.find("shape <= 1"), std::string::npos);
  EXPECT_TRUE(std::isfinite(e.mean_restricted.estimate));
  // S(0) = 1 with a degenerate interval, h(0) undefined
  EXPECT_EQ(e.surv[0], 1.0);
  EXPECT_EQ(e.lower[0], 1.0);
  EXPECT_TRUE(std::isnan(e.hazard[0]));
}

TEST(Extrapolate, GompertzWithANegativeShapeHasACureFraction) {
  // veteran ~ trt2 + karno: the shape is negative, S(inf) = exp(b/a) > 0, the mean is infinite
  const nlohmann::json op = test::reference("parametric/optim.json");
  const nlohmann::json* src = find_case(op.at("cases"), "veteran_gompertz");
  ASSERT_TRUE(src);
  const ParametricFit f = fit_parametric(test::parametric_input(src->at("input")), parse_distribution("gompertz"));
  ASSERT_LT(f.estimate[0], 0);
  CurveCovariates at;
  at.x = Eigen::Vector2d(1, 60);
  const Extrapolation e = extrapolate(f, at, {.times = {0, 1e6}, .horizon = 600});
  EXPECT_FALSE(e.mean_finite);
  EXPECT_NE(e.mean_note.find("never has the event"), std::string::npos);
  const double b = std::exp(f.estimate[1] + f.estimate[2] + 60 * f.estimate[3]);
  EXPECT_TRUE(test::near_rel(e.surv[1], std::exp(b / f.estimate[0]), 1e-6));  // the plateau
}

TEST(Extrapolate, RejectsBadOptions) {
  ParametricData d;
  d.time = {1, 2, 3};
  d.status = {1, 1, 0};
  const ParametricFit f = fit_parametric(d, parse_distribution("exponential"));
  EXPECT_THROW(extrapolate(f, {}, {.times = {0, 1}, .horizon = 0}), UsageError);
  EXPECT_THROW(extrapolate(f, {}, {.times = {2, 1}, .horizon = 5}), UsageError);
  EXPECT_THROW(extrapolate(f, {}, {.times = {0, 1}, .horizon = 5, .rmst_tau = -1.0}), UsageError);
  CurveCovariates wrong;
  wrong.x = Eigen::VectorXd::Ones(2);
  EXPECT_THROW(extrapolate(f, wrong, {.times = {0, 1}, .horizon = 5}), UsageError);
}

}  // namespace
