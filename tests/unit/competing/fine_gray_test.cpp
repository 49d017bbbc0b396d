// Tests of src/competing/fine_gray.cpp against R (tests/reference/competing/make_competing.R):
// cmprsk::crr's coefficients and variance (gtol = 1e-12, converged), crr with its default
// tolerance, and survival::finegray + coxph(weights = fgwt, ties = "breslow") — model-based and
// robust (cluster = id) variances — on data without ties, where both apply; mgus2, pbc and a
// follic-like simulated data set, with and without censoring groups (--strata).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "hazard/competing.hpp"
#include "hazard/error.hpp"
#include "hazard/read.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::near_rel;
using nlohmann::json;

const json& reference() {
  static const json j = hazard::test::reference("competing/competing.json");
  return j;
}

struct Fitted {
  hazard::CompetingData data;
  hazard::FineGrayResult fit;
};

Fitted fit_case(const json& c) {
  hazard::Roles roles;
  std::string status, censor = "0", cause;
  const json& fl = c.at("flags");
  for (std::size_t i = 0; i + 1 < fl.size(); i += 2) {
    const std::string k = fl[i].get<std::string>(), v = fl[i + 1].get<std::string>();
    if (k == "--time") roles.time = v;
    if (k == "--status") status = v;
    if (k == "--censor") censor = v;
    if (k == "--cause") cause = v;
    if (k == "--strata") roles.strata = {v};
    if (k == "--covariates") {
      std::size_t a = 0;
      while (a <= v.size()) {
        std::size_t b = v.find(',', a);
        if (b == std::string::npos) b = v.size();
        roles.covariates.push_back(v.substr(a, b - a));
        a = b + 1;
      }
    }
  }
  const hazard::Table t = hazard::read_data(std::string(HAZARD_REFERENCE_DIR) + "/competing/" +
                                            c.at("file").get<std::string>());
  Fitted f;
  f.data = hazard::build_competing_data(t, roles, status, censor);
  std::vector<hazard::DesignSpec> specs;
  for (const auto& name : roles.covariates) specs.push_back({.column = name});
  const hazard::FineGrayData fg =
      hazard::fine_gray_data(f.data, t, hazard::cause_index(f.data, cause), specs);
  f.fit = hazard::fine_gray(fg);
  return f;
}

class FineGrayReference : public ::testing::TestWithParam<std::size_t> {};

TEST_P(FineGrayReference, CoefficientsAndVarianceAsCrr) {
  const json& c = reference().at("finegray").at(GetParam());
  SCOPED_TRACE(c.at("name").get<std::string>() + ": " + c.at("call").get<std::string>());
  const Fitted f = fit_case(c);
  const auto& r = f.fit;
  ASSERT_TRUE(r.converged);
  ASSERT_EQ(r.n, c.at("n").get<std::size_t>());
  ASSERT_EQ(r.terms.size(), c.at("terms").size());
  for (std::size_t a = 0; a < r.terms.size(); ++a) {
    EXPECT_TRUE(near_rel(r.terms[a].coef, c.at("coef")[a].get<double>(), hazard::tol::crr))
        << c.at("terms")[a];
    EXPECT_TRUE(near_rel(r.terms[a].se, c.at("se")[a].get<double>(), hazard::tol::crr))
        << c.at("terms")[a];
    // covariances relative to the product of the SDs (a covariance near 0 has no relative scale)
    for (std::size_t b = 0; b < r.terms.size(); ++b) {
      const double ref = c.at("var")[a][b].get<double>();
      const double scale = std::sqrt(c.at("var")[a][a].get<double>() * c.at("var")[b][b].get<double>());
      EXPECT_LE(std::fabs(r.var(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) - ref),
                hazard::tol::crr * scale)
          << "var[" << a << "][" << b << "]";
    }
    // crr with its defaults (gtol = 1e-6) stops earlier: agreement to its own tolerance
    EXPECT_TRUE(near_rel(r.terms[a].coef, c.at("default_coef")[a].get<double>(), 1e-5));
  }
  EXPECT_TRUE(near_rel(r.loglik, c.at("loglik").get<double>(), hazard::tol::crr));
  EXPECT_TRUE(near_rel(r.loglik_null, c.at("loglik_null").get<double>(), hazard::tol::closed_form));
}

// finegray + coxph agree with crr only without ties (finegray moves failures before censorings
// at the same time; crr's censoring KM counts them at risk): the untied case.
TEST(FineGrayReference, FinegrayCoxphWithoutTies) {
  for (const json& c : reference().at("finegray")) {
    if (c.at("name") != "follic_relapse_untied") continue;
    const Fitted f = fit_case(c);
    for (std::size_t a = 0; a < f.fit.terms.size(); ++a) {
      // coxph's own convergence (relative loglik change 1e-9) limits the agreement
      EXPECT_TRUE(near_rel(f.fit.terms[a].coef, c.at("finegray_coef")[a].get<double>(),
                           hazard::tol::derived));
      EXPECT_TRUE(near_rel(f.fit.terms[a].se_model, c.at("finegray_naive_se")[a].get<double>(),
                           hazard::tol::derived));
      EXPECT_TRUE(near_rel(f.fit.terms[a].se_robust, c.at("finegray_robust_se")[a].get<double>(),
                           hazard::tol::derived));
    }
    return;
  }
  FAIL() << "no untied case in the reference";
}

INSTANTIATE_TEST_SUITE_P(R, FineGrayReference, ::testing::Range<std::size_t>(0, 7));

TEST(FineGrayReferenceFile, HasEveryCase) { EXPECT_EQ(reference().at("finegray").size(), 7u); }

TEST(FineGray, CensoringWeightsHandWorked) {
  // times 1 (cens), 2 (fail), 2 (cens), 3 (other), 4 (cens): G = 1, then 4/5 after t = 1,
  // at t = 2 Y = 4 with one censoring: 4/5 * 3/4 = 3/5 after 2.
  const std::vector<double> t{1, 2, 2, 3, 4};
  const std::vector<std::int32_t> cause{0, 1, 0, 2, 0};
  const std::vector<double> g = hazard::censoring_weights(t, cause, {});
  EXPECT_DOUBLE_EQ(g[0], 1.0);
  EXPECT_DOUBLE_EQ(g[1], 0.8);
  EXPECT_DOUBLE_EQ(g[2], 0.8);
  EXPECT_DOUBLE_EQ(g[3], 0.6);
  EXPECT_DOUBLE_EQ(g[4], 0.6);
}

TEST(FineGray, Errors) {
  hazard::FineGrayData d;
  d.time = {1, 2, 3};
  d.cause = {0, 2, 0};
  d.x = Eigen::MatrixXd::Ones(3, 1);
  d.names = {"x"};
  EXPECT_THROW(hazard::fine_gray(d), hazard::NumericalError);  // no failure of interest
  d.cause = {1, 2, 0};
  EXPECT_THROW(hazard::fine_gray(d), hazard::NumericalError);  // constant covariate
  d.cause = {1, 3, 0};
  EXPECT_THROW(hazard::fine_gray(d), hazard::UsageError);
  d.cause = {1, 2, 0};
  d.names = {};
  EXPECT_THROW(hazard::fine_gray(d), hazard::UsageError);
}

}  // namespace
