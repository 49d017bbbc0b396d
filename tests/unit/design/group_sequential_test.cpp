// Boundaries and characteristics against rpact (tests/reference/design/make_design.R,
// boundaries.json): every spending type, 1-5 looks, unequal information, beta-spending futility
// binding and non-binding.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

using hazard::test::jnum;
using hazard::test::near_rel;

namespace {

std::vector<double> vec(const nlohmann::json& j) {
  std::vector<double> v;
  for (const auto& x : j) v.push_back(jnum(x));
  return v;
}

hazard::BoundaryOptions options_of(const nlohmann::json& c) {
  hazard::BoundaryOptions o;
  o.alpha = c["alpha"].get<double>();
  o.beta = c["beta"].get<double>();
  o.info = vec(c["info"]);
  o.efficacy = hazard::parse_spending(c["spending"].get<std::string>());
  if (c.contains("sided")) o.sided = c["sided"].get<int>();
  if (c["futility"].is_string()) o.futility = hazard::parse_spending(c["futility"].get<std::string>());
  o.binding = c["binding"].get<bool>();
  return o;
}

/// rpact reports bounds >= 7.5 as Inf (which jsonlite writes as null: read as NaN); -6 futility
/// bounds mean none.
double z_ref(double z) { return z >= 7.5 || std::isnan(z) ? INFINITY : z; }
double f_ref(double z) { return z <= -6 ? -INFINITY : z; }

/// Compares every case of `cases` with the design hazard computes; returns the largest relative
/// difference of the z bounds and the inflation factor.
double check_against_rpact(const nlohmann::json& cases) {
  double worst = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c["call"].get<std::string>());
    auto d = hazard::GroupSequentialDesign::compute(options_of(c));
    const std::size_t K = d.looks();
    auto ze = vec(c["z_efficacy"]);
    auto as = vec(c["alpha_spent"]);
    auto cp = vec(c["cum_power"]);
    auto rj = K > 1 ? vec(c["reject_h1"]) : std::vector<double>{1 - c["beta"].get<double>()};
    if (ze.size() != K) {
      ADD_FAILURE() << "looks: " << ze.size() << " vs " << K;
      continue;
    }
    for (std::size_t k = 0; k < K; ++k) {
      EXPECT_TRUE(near_rel(d.z_efficacy[k], z_ref(ze[k]), hazard::tol::design)) << "look " << k + 1;
      if (k + 1 < K) {
        EXPECT_TRUE(near_rel(d.alpha_spent[k], as[k], hazard::tol::design)) << "look " << k + 1;
      } else {
        EXPECT_NEAR(d.alpha_spent[k], as[k], hazard::tol::design_alpha_floor);
      }
      EXPECT_TRUE(near_rel(d.cum_power[k], cp[k], hazard::tol::design)) << "look " << k + 1;
      EXPECT_TRUE(near_rel(d.reject_h1[k], rj[k], hazard::tol::design)) << "look " << k + 1;
      if (std::isfinite(d.z_efficacy[k])) {
        worst = std::max(worst, std::fabs(d.z_efficacy[k] - ze[k]) / std::fabs(ze[k]));
      }
    }
    if (c["futility"].is_string()) {
      auto zf = vec(c["z_futility"]);
      auto fh = vec(c["futility_h1"]);
      for (std::size_t k = 0; k + 1 < K; ++k) {
        EXPECT_TRUE(near_rel(d.z_futility[k], f_ref(zf[k]), hazard::tol::design)) << "look " << k + 1;
        EXPECT_TRUE(near_rel(d.futility_h1[k], fh[k], hazard::tol::design)) << "look " << k + 1;
        if (std::isfinite(d.z_futility[k]))
          worst = std::max(worst, std::fabs(d.z_futility[k] - zf[k]) / std::fabs(zf[k]));
      }
    } else {
      for (std::size_t k = 0; k < K; ++k) EXPECT_TRUE(std::isinf(d.z_futility[k]));
    }
    EXPECT_TRUE(near_rel(d.inflation, c["inflation"].get<double>(), hazard::tol::design));
    EXPECT_TRUE(near_rel(d.drift * d.drift, c["shift"].get<double>(), hazard::tol::design));
    if (K > 1) {
      EXPECT_TRUE(near_rel(d.asn_h1, c["asn_h1"].get<double>(), hazard::tol::design));
      EXPECT_TRUE(near_rel(d.asn_h01, c["asn_h01"].get<double>(), hazard::tol::design));
      EXPECT_TRUE(near_rel(d.asn_h0, c["asn_h0"].get<double>(), hazard::tol::design));
    }
    worst = std::max(worst, std::fabs(d.inflation - c["inflation"].get<double>()) / c["inflation"].get<double>());
  }
  return worst;
}

TEST(GroupSequential, MatchesRpact) {
  auto ref = hazard::test::reference("design/boundaries.json");
  double worst = check_against_rpact(ref["cases"]);
  RecordProperty("max_rel_diff_vs_rpact", std::to_string(worst));
  std::printf("max relative difference vs rpact (z bounds, inflation): %.3g\n", worst);
}

TEST(GroupSequential, WangTsiatisUserAndTwoSidedMatchRpact) {
  // tests/reference/design/make_design_breadth.R: typeOfDesign "WT" (deltaWT), "asUser"
  // (userAlphaSpending, with beta-spending futility), and sided = 2.
  auto ref = hazard::test::reference("design/breadth.json");
  ASSERT_GE(ref["boundaries"].size(), 16u);
  double worst = check_against_rpact(ref["boundaries"]);
  std::printf("max relative difference vs rpact (WT, user, two-sided): %.3g\n", worst);
}

TEST(GroupSequential, TwoSidedSpendsAlphaOnBothSides) {
  // Symmetric bounds: the upper side alone spends half of alpha; a single look is z_{1-alpha/2}.
  auto d = hazard::GroupSequentialDesign::compute({.alpha = 0.05,
                                                   .sided = 2,
                                                   .beta = 0.2,
                                                   .info = {0.5, 1},
                                                   .efficacy = hazard::parse_spending("pocock")});
  std::vector<double> lo{-INFINITY, -INFINITY};
  auto p = hazard::crossing_probabilities(d.info, d.z_efficacy, lo, 0);
  EXPECT_NEAR(p.upper[0] + p.upper[1], 0.025, hazard::tol::design_grid);
  EXPECT_NEAR(d.alpha_spent.back(), 0.05, 1e-10);
  auto one = hazard::GroupSequentialDesign::compute({.alpha = 0.05, .sided = 2, .info = {1}});
  EXPECT_NEAR(one.z_efficacy[0], 1.959963984540054, 1e-14);
}

TEST(GroupSequential, WangTsiatisShape) {
  // c_k = C t_k^(delta - 1/2): delta = 0.5 is constant (Pocock's classical bounds).
  auto d = hazard::GroupSequentialDesign::compute({.alpha = 0.025,
                                                   .beta = 0.2,
                                                   .info = {0.25, 0.5, 0.75, 1},
                                                   .efficacy = hazard::parse_spending("wt:0.5")});
  for (std::size_t k = 1; k < 4; ++k) EXPECT_NEAR(d.z_efficacy[k], d.z_efficacy[0], 1e-15);
  auto w = hazard::GroupSequentialDesign::compute({.alpha = 0.025,
                                                   .beta = 0.2,
                                                   .info = {0.25, 0.5, 0.75, 1},
                                                   .efficacy = hazard::parse_spending("wt:0")});
  EXPECT_NEAR(w.z_efficacy[0] * std::sqrt(0.25), w.z_efficacy[3], 1e-12);
  EXPECT_NEAR(w.alpha_spent.back(), 0.025, 1e-10);
}

TEST(GroupSequential, SingleLookIsTheFixedTest) {
  auto d = hazard::GroupSequentialDesign::compute({.alpha = 0.025, .beta = 0.1, .info = {1.0}});
  EXPECT_NEAR(d.z_efficacy[0], 1.959963984540054, 1e-14);
  EXPECT_DOUBLE_EQ(d.inflation, 1);
}

TEST(GroupSequential, ExactAlphaAtTheEnd) {
  // Total alpha spent equals alpha to the integration accuracy for every spending type.
  for (const char* s : {"obf", "pocock", "hsd:-4", "kd:2", "hp:0.001"}) {
    auto d = hazard::GroupSequentialDesign::compute(
        {.alpha = 0.025, .beta = 0.2, .info = {0.2, 0.5, 0.8, 1}, .efficacy = hazard::parse_spending(s)});
    EXPECT_NEAR(d.alpha_spent.back(), 0.025, 1e-10) << s;
  }
}

TEST(GroupSequential, RejectsBadOptions) {
  EXPECT_THROW(hazard::GroupSequentialDesign::compute({.info = {0.5, 0.4, 1}}), hazard::UsageError);
  EXPECT_THROW(hazard::GroupSequentialDesign::compute({.info = {0.5, 0.9}}), hazard::UsageError);
  EXPECT_THROW(hazard::parse_spending("obf:3"), hazard::UsageError);
  EXPECT_THROW(hazard::parse_spending("hsd"), hazard::UsageError);
  EXPECT_THROW(hazard::parse_spending("hp:0.7"), hazard::UsageError);
  EXPECT_THROW(hazard::parse_spending("wt"), hazard::UsageError);
  EXPECT_THROW(hazard::parse_spending("wt:2"), hazard::UsageError);
  EXPECT_THROW(hazard::parse_spending("user:0.01,0.005"), hazard::UsageError);
  EXPECT_THROW(hazard::parse_spending("user:0.01,x"), hazard::UsageError);
  // user spending must have one value per look and end at alpha
  EXPECT_THROW(hazard::GroupSequentialDesign::compute(
                   {.info = {0.5, 1}, .efficacy = hazard::parse_spending("user:0.01,0.02")}),
               hazard::UsageError);
  EXPECT_THROW(hazard::GroupSequentialDesign::compute(
                   {.info = {0.5, 1}, .efficacy = hazard::parse_spending("user:0.025")}),
               hazard::UsageError);
  // no futility with two-sided or Wang–Tsiatis designs
  EXPECT_THROW(
      hazard::GroupSequentialDesign::compute(
          {.alpha = 0.05, .sided = 2, .info = {0.5, 1}, .futility = hazard::parse_spending("obf")}),
      hazard::UsageError);
  EXPECT_THROW(hazard::GroupSequentialDesign::compute({.info = {0.5, 1},
                                                       .efficacy = hazard::parse_spending("wt:0.2"),
                                                       .futility = hazard::parse_spending("obf")}),
               hazard::UsageError);
  EXPECT_THROW(hazard::GroupSequentialDesign::compute(
                   {.info = {0.5, 1}, .efficacy = hazard::parse_spending("hp:0.05")}),
               hazard::UsageError);
}

}  // namespace
