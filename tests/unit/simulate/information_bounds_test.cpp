// Per-trial boundaries from observed information (src/simulate/information_bounds.cpp) against
// R: rpact 3.3.4's getDesignGroupSequential(informationRates = I / I_K) for the spending cases,
// and mvtnorm's pmvnorm with uniroot for the group-sequential MaxCombo bounds on a given joint
// correlation (tests/reference/nph/make_gs_info.R, gs_info.json).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <vector>

#include "hazard/information_bounds.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

// a sanitizer build (~10x slower) solves only the first, 4-variate, look of each MaxCombo case
#if defined(__SANITIZE_ADDRESS__)
#define HAZARD_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAZARD_TEST_SANITIZED 1
#endif
#endif
#ifndef HAZARD_TEST_SANITIZED
#define HAZARD_TEST_SANITIZED 0
#endif

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> vec(const nlohmann::json& j) { return j.get<std::vector<double>>(); }

TEST(InformationBounds, FractionsSkipLooksWithoutNewInformation) {
  // a look with no information (0, NaN) or no more than a later tested look is not tested
  const std::vector<double> info{0.0, 4.0, 3.0, 8.0};
  const auto f = hazard::information_fractions(info);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_TRUE(std::isnan(f[0]));
  EXPECT_TRUE(std::isnan(f[1]));  // 4 is not below the next tested look's 3
  EXPECT_EQ(f[2], 3.0 / 8.0);
  EXPECT_EQ(f[3], 1.0);
  const std::vector<double> none{2.0, 0.0};
  for (double x : hazard::information_fractions(none)) EXPECT_TRUE(std::isnan(x));
  const std::vector<double> nan_last{2.0, std::nan("")};
  for (double x : hazard::information_fractions(nan_last)) EXPECT_TRUE(std::isnan(x));
}

TEST(InformationBounds, UntestedLooksHaveNoBound) {
  hazard::BoundaryOptions d{.alpha = 0.025, .efficacy = hazard::parse_spending("obf")};
  const std::vector<double> info{0.0, 5.0, 10.0};
  const auto b = hazard::information_bounds(info, d);
  EXPECT_EQ(b.z_efficacy[0], kInf);
  EXPECT_EQ(b.z_futility[0], -kInf);
  // the two tested looks: the design at fractions (0.5, 1)
  const std::vector<double> t{0.5, 1.0};
  const auto e = hazard::efficacy_bounds(t, d.efficacy, 0.025);
  EXPECT_EQ(b.z_efficacy[1], e[0]);
  EXPECT_EQ(b.z_efficacy[2], e[1]);
}

TEST(InformationBounds, SpendingAtObservedInformationMatchesRpact) {
  const auto ref = hazard::test::reference("nph/gs_info.json");
  ASSERT_GE(ref["spending"].size(), 6u);
  double worst = 0;
  for (const auto& c : ref["spending"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    hazard::BoundaryOptions d;
    d.alpha = c["alpha"].get<double>();
    d.beta = c["beta"].get<double>();
    d.efficacy = hazard::parse_spending(c["spending"].get<std::string>());
    if (c["futility"].is_string()) {
      d.futility = hazard::parse_spending(c["futility"].get<std::string>());
      d.binding = c["binding"].get<bool>();
    }
    const auto info = vec(c["information"]);
    const auto b = hazard::information_bounds(info, d);
    const auto frac = vec(c["fractions"]);
    const auto crit = vec(c["critical_values"]);
    ASSERT_EQ(b.z_efficacy.size(), crit.size());
    for (std::size_t k = 0; k < crit.size(); ++k) {
      EXPECT_NEAR(b.fraction[k], frac[k], hazard::tol::closed_form);
      EXPECT_NEAR(b.z_efficacy[k], crit[k], hazard::tol::gs_information);
      worst = std::max(worst, std::fabs(b.z_efficacy[k] - crit[k]));
    }
    if (c.contains("futility_bounds")) {
      const auto& fj = c["futility_bounds"];  // a scalar for two looks (jsonlite's auto_unbox)
      const auto fut = fj.is_array() ? vec(fj) : std::vector<double>{fj.get<double>()};
      for (std::size_t k = 0; k < fut.size(); ++k) {
        EXPECT_NEAR(b.z_futility[k], fut[k], hazard::tol::gs_information);
        worst = std::max(worst, std::fabs(b.z_futility[k] - fut[k]));
      }
    }
  }
  std::printf("max |z - rpact| at observed information: %.3g\n", worst);
}

TEST(InformationBounds, MaxComboJointCorrelationMatchesR) {
  const auto ref = hazard::test::reference("nph/gs_info.json");
  for (const auto& c : ref["maxcombo"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    std::vector<double> cov;
    for (const auto& block : c["cov"])
      for (double x : vec(block)) cov.push_back(x);
    const auto r = hazard::maxcombo_joint_correlation(cov, 4);
    const auto expect = vec(c["joint_correlation"]);
    ASSERT_EQ(r.size(), expect.size());
    for (std::size_t i = 0; i < r.size(); ++i)
      EXPECT_NEAR(r[i], expect[i], hazard::tol::closed_form) << i;
  }
}

TEST(InformationBounds, MaxComboBoundsMatchMvtnorm) {
  const auto ref = hazard::test::reference("nph/gs_info.json");
  ASSERT_GE(ref["maxcombo"].size(), 3u);
  // tighter than the simulation's settings: the first look's probability (4 variables) to 1e-6
  // of the alpha spent, the later ones to 1e-3 of it (2^14 points a shift at most). The 12-variate third look of the
  // 3-look case is not solved here (minutes at this precision); its first two looks are.
  hazard::MaxComboBoundOptions first;
  first.rel_tol = 1e-6;
  first.abs_tol_floor = 1e-12;
  first.z_tolerance = 1e-9;
  first.mvn.max_points = std::size_t{1} << 17;
  hazard::MaxComboBoundOptions later = first;
  later.rel_tol = 1e-3;
  later.mvn.max_points = std::size_t{1} << 14;
  later.z_tolerance = 1e-6;
  double worst_first = 0, worst_later = 0;
  for (const auto& c : ref["maxcombo"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const auto alpha = vec(c["cumulative_alpha"]);
    const auto corr = vec(c["joint_correlation"]);
    const auto expect = vec(c["bounds"]);
    ASSERT_EQ(alpha.size(), expect.size());
    // each look's bound given R's earlier bounds, so that errors do not carry over
    const std::size_t looks = std::min<std::size_t>(HAZARD_TEST_SANITIZED ? 1 : 2, expect.size());
    for (std::size_t k = 0; k < looks; ++k) {
      const std::vector<double> prev(expect.begin(), expect.begin() + static_cast<std::ptrdiff_t>(k));
      const double b = hazard::maxcombo_bound(prev, k == 0 ? 0.0 : alpha[k - 1], alpha[k], corr, 4,
                                              k == 0 ? first : later);
      if (k == 0) {
        EXPECT_NEAR(b, expect[k], hazard::tol::gs_maxcombo_first);
        worst_first = std::max(worst_first, std::fabs(b - expect[k]));
      } else {
        EXPECT_NEAR(b, expect[k], hazard::tol::gs_maxcombo_later) << "look " << k + 1;
        worst_later = std::max(worst_later, std::fabs(b - expect[k]));
      }
    }
  }
  std::printf("max |b - R| MaxCombo: first look %.3g, later looks %.3g\n", worst_first,
              worst_later);
}

TEST(InformationBounds, MaxComboOneStatisticIsTheDesign) {
  // with one statistic per look and cov = information, the MaxCombo bounds are the canonical
  // group-sequential bounds (an independent truth: the recursive integration of the design)
  const std::vector<double> info{30.0, 55.0, 80.0};
  hazard::BoundaryOptions d{.alpha = 0.025, .efficacy = hazard::parse_spending("pocock")};
  const auto e = hazard::information_bounds(info, d).z_efficacy;
  std::vector<double> alpha;
  for (double x : info) alpha.push_back(hazard::spending_value(d.efficacy, 0.025, x / 80.0));
  alpha.back() = 0.025;
  hazard::MaxComboBoundOptions opt;
  opt.rel_tol = 1e-6;
  opt.abs_tol_floor = 1e-12;
  opt.z_tolerance = 1e-10;
  opt.mvn.max_points = std::size_t{1} << 15;
  const auto b = hazard::maxcombo_bounds(alpha, hazard::maxcombo_joint_correlation(info, 1), 1,
                                         opt);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(b[k], e[k], hazard::tol::design) << k;
}

TEST(InformationBounds, BadInput) {
  const std::vector<double> corr{1.0};
  const std::vector<double> alpha{0.6};
  EXPECT_THROW(hazard::maxcombo_bounds(alpha, corr, 1), std::invalid_argument);
  const std::vector<double> bad_cov{1.0, 2.0, 3.0};
  EXPECT_THROW(hazard::maxcombo_joint_correlation(bad_cov, 2), std::invalid_argument);
}

}  // namespace
