// Tests of src/util/mvnorm.cpp against mvtnorm::pmvnorm (tests/reference/nph/make_mvnorm.R) and
// closed forms.
#include "hazard/mvnorm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

double parse(const nlohmann::json& v) {
  const std::string s = v.get<std::string>();
  if (s == "Inf") return std::numeric_limits<double>::infinity();
  if (s == "-Inf") return -std::numeric_limits<double>::infinity();
  return std::stod(s);
}

TEST(MvnRectangle, AgreesWithPmvnorm) {
  const auto ref = hazard::test::reference("nph/mvnorm.json");
  ASSERT_GE(ref.at("cases").size(), 7u);
  for (const auto& c : ref.at("cases")) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    std::vector<double> lo, hi, corr;
    for (const auto& v : c.at("lower")) lo.push_back(parse(v));
    for (const auto& v : c.at("upper")) hi.push_back(parse(v));
    for (const auto& row : c.at("corr"))
      for (const auto& v : row) corr.push_back(v.get<double>());
    const hazard::MvnProbability p = hazard::mvn_rectangle(lo, hi, corr);
    // R's value is exact (closed form, Miwa) or GenzBretz with its error estimate
    const double r_err = c.at("name") == "fh_like_5" || c.at("name") == "equicorr_4_upper"
                             ? c.at("genzbretz_error").get<double>()
                             : 0.0;
    // the default rule stops at an error bound of 1e-7, or at 2^17 points (5 dimensions: 2.5e-6)
    EXPECT_LE(p.error, lo.size() <= 4 ? 1e-7 : 5e-6);
    EXPECT_NEAR(p.value, c.at("value").get<double>(), r_err + hazard::tol::mvn_p);
  }
}

TEST(MvnRectangle, OneDimensionIsExact) {
  const std::vector<double> corr{1.0}, lo{-1.959963984540054}, hi{1.959963984540054};
  const auto p = hazard::mvn_rectangle(lo, hi, corr);
  EXPECT_TRUE(hazard::test::near_rel(p.value, 0.95, hazard::tol::closed_form));
  // an upper tail keeps its relative accuracy: P(X > 8) = 6.220960574271784e-16
  const std::vector<double> lo8{8.0}, hi8{std::numeric_limits<double>::infinity()};
  EXPECT_TRUE(hazard::test::near_rel(hazard::mvn_rectangle(lo8, hi8, corr).value,
                                     6.220960574271784e-16, 1e-12));
}

TEST(MvnRectangle, PerfectCorrelationIsTheNarrowerInterval) {
  // X_2 = X_1: P(-1 < X < 2 and -1.5 < X < 1.5) = P(-1 < X < 1.5), no integral left
  const std::vector<double> corr{1, 1, 1, 1}, lo{-1, -1.5}, hi{2, 1.5};
  const auto p = hazard::mvn_rectangle(lo, hi, corr);
  EXPECT_TRUE(hazard::test::near_rel(p.value, 0.8413447460685429 - 0.0668072012688581, 1e-12));
  // X_2 = -X_1: P(-1 < X < 2 and -1.5 < -X < 1.5) = P(-1 < X < 1.5)
  const std::vector<double> neg{1, -1, -1, 1};
  EXPECT_TRUE(hazard::test::near_rel(hazard::mvn_rectangle(lo, hi, neg).value,
                                     0.9331927987311419 - 0.15865525393145707, 1e-12));
}

TEST(MvnRectangle, Deterministic) {
  const std::vector<double> corr{1, 0.5, 0.2, 0.5, 1, 0.4, 0.2, 0.4, 1}, lo{-1, -2, -0.5},
      hi{1, 2, 3};
  EXPECT_EQ(hazard::mvn_rectangle(lo, hi, corr).value, hazard::mvn_rectangle(lo, hi, corr).value);
}

TEST(MvnRectangle, RejectsBadInput) {
  const std::vector<double> corr{1, 0.5, 0.5, 1}, lo{0, 0}, hi{1, 1};
  EXPECT_THROW(hazard::mvn_rectangle(lo, std::vector<double>{1}, corr), std::invalid_argument);
  EXPECT_THROW(hazard::mvn_rectangle(hi, lo, corr), std::invalid_argument);  // lower > upper
  EXPECT_THROW(hazard::mvn_rectangle(lo, hi, std::vector<double>{1, 0.5, 0.4, 1}),
               std::invalid_argument);
  EXPECT_THROW(hazard::mvn_rectangle(lo, hi, std::vector<double>{2, 0.5, 0.5, 1}),
               std::invalid_argument);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(hazard::mvn_rectangle(std::vector<double>{nan, 0}, hi, corr), std::invalid_argument);
}

}  // namespace
