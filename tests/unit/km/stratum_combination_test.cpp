// combine_stratum_differences (src/km/stratum_combination.cpp) on hand-worked numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::StratumWeights;
using hazard::test::near_rel;

const std::vector<hazard::StratumDifference> two_strata = {
    {.stratum = "s=1", .n = 30, .difference = 2.0, .std_err = 1.0},
    {.stratum = "s=2", .n = 10, .difference = 6.0, .std_err = 2.0}};

TEST(StratumCombination, InverseVarianceWeights) {
  // w = (1, 1/4) / (5/4) = (0.8, 0.2); D = 1.6 + 1.2 = 2.8; SE^2 = 1 / (5/4) = 0.8
  const auto r =
      hazard::combine_stratum_differences(two_strata, StratumWeights::inverse_variance, 0.95, "x");
  ASSERT_EQ(r.weights.size(), 2u);
  EXPECT_TRUE(near_rel(r.weights[0], 0.8, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.weights[1], 0.2, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.difference, 2.8, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.std_err, std::sqrt(0.8), hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.z, 2.8 / std::sqrt(0.8), hazard::tol::closed_form));
  // R: 2 * pnorm(-2.8 / sqrt(0.8)); pnorm(-2.8 / sqrt(0.8))
  EXPECT_TRUE(near_rel(r.p, 0.0017451186995289052, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.p_one_sided, 0.00087255934976445261, hazard::tol::closed_form));
  EXPECT_TRUE(
      near_rel(r.lower, 2.8 - 1.959963984540054 * std::sqrt(0.8), hazard::tol::closed_form));
}

TEST(StratumCombination, SizeWeights) {
  // w = (30, 10) / 40 = (0.75, 0.25); D = 1.5 + 1.5 = 3; SE^2 = 0.5625 * 1 + 0.0625 * 4 = 0.8125
  const auto r = hazard::combine_stratum_differences(two_strata, StratumWeights::size, 0.9, "x");
  EXPECT_TRUE(near_rel(r.weights[0], 0.75, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.difference, 3.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.std_err, std::sqrt(0.8125), hazard::tol::closed_form));
  EXPECT_TRUE(
      near_rel(r.upper, 3.0 + 1.6448536269514715 * std::sqrt(0.8125), hazard::tol::closed_form));
}

TEST(StratumCombination, OneStratumIsTheStratumItself) {
  const std::vector<hazard::StratumDifference> one = {
      {.stratum = "a", .n = 5, .difference = -1.5, .std_err = 0.5}};
  for (auto w : {StratumWeights::inverse_variance, StratumWeights::size}) {
    const auto r = hazard::combine_stratum_differences(one, w, 0.95, "x");
    EXPECT_EQ(r.difference, -1.5);
    EXPECT_EQ(r.std_err, 0.5);
    EXPECT_EQ(r.z, -3.0);
  }
}

TEST(StratumCombination, ZeroStandardErrorNamesTheStratum) {
  std::vector<hazard::StratumDifference> s = two_strata;
  s[1].std_err = 0.0;
  s[1].difference = 0.0;
  try {
    hazard::combine_stratum_differences(s, StratumWeights::inverse_variance, 0.95,
                                        "RMST difference");
    FAIL() << "no error";
  } catch (const hazard::NumericalError& e) {
    EXPECT_NE(std::string(e.what()).find("stratum s=2: the RMST difference has standard error 0"),
              std::string::npos)
        << e.what();
  }
  // size weights keep the stratum: D = 0.75 * 2, SE = 0.75 * 1
  const auto r = hazard::combine_stratum_differences(s, StratumWeights::size, 0.95, "x");
  EXPECT_DOUBLE_EQ(r.difference, 1.5);
  EXPECT_DOUBLE_EQ(r.std_err, 0.75);
  s[0].std_err = 0.0;
  EXPECT_THROW(hazard::combine_stratum_differences(s, StratumWeights::size, 0.95, "x"),
               hazard::NumericalError);
  EXPECT_THROW(hazard::combine_stratum_differences({}, StratumWeights::size, 0.95, "x"),
               std::invalid_argument);
  EXPECT_THROW(hazard::combine_stratum_differences(two_strata, StratumWeights::size, 1.0, "x"),
               hazard::UsageError);
}

TEST(StratumCombination, WeightNames) {
  EXPECT_EQ(hazard::parse_stratum_weights("ivw"), StratumWeights::inverse_variance);
  EXPECT_EQ(hazard::parse_stratum_weights("size"), StratumWeights::size);
  EXPECT_STREQ(hazard::stratum_weights_name(StratumWeights::size), "size");
  EXPECT_STREQ(hazard::stratum_weights_name(StratumWeights::inverse_variance), "ivw");
  EXPECT_THROW(hazard::parse_stratum_weights("cmh"), hazard::UsageError);
}

}  // namespace
