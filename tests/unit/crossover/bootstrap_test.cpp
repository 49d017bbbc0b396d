// The bootstrap of the crossover methods (src/crossover/bootstrap.cpp): resampling within arm,
// reproducible for a seed (Philox counter-based), different for another seed; the percentile
// interval is R's quantile(type = 7), checked by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "crossover/detail.hpp"
#include "hazard/crossover.hpp"
#include "tolerances.hpp"

namespace {

using namespace hazard;

TEST(CrossoverBootstrap, ResamplesWithinArmReproducibly) {
  const std::vector<std::int32_t> arm = {0, 1, 1, 0, 1, 0, 0, 1, 1, 1};
  const auto a = detail::bootstrap_indices(arm, 42, 3), b = detail::bootstrap_indices(arm, 42, 3);
  const auto c = detail::bootstrap_indices(arm, 43, 3), e = detail::bootstrap_indices(arm, 42, 4);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, e);
  ASSERT_EQ(a.size(), arm.size());
  std::size_t control = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    ASSERT_LT(a[k], arm.size());
    control += arm[a[k]] == 0;
  }
  EXPECT_EQ(control, 4u);  // as many control draws as control subjects
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(arm[a[k]], 0) << "control draws come first";
}

// quantile(c(1, 2, 3, 4, 10), c(0.025, 0.975), type = 7): 1 + 0.1 * 1 = 1.1 and 4 + 0.9 * 6 = 9.4
TEST(CrossoverBootstrap, PercentileIntervalIsQuantileType7) {
  EXPECT_NEAR(quantile7({10, 1, 3, 2, 4}, 0.025), 1.1, tol::closed_form);
  EXPECT_NEAR(quantile7({10, 1, 3, 2, 4}, 0.975), 9.4, tol::closed_form);
  const std::vector<double> lhr = {std::log(1.0), std::log(2.0), std::nan(""),
                                   std::log(3.0), std::log(4.0), std::log(10.0)};
  const BootstrapSummary s =
      detail::summarise_bootstrap({.replicates = 6, .seed = 1}, 0.95, lhr, {});
  EXPECT_EQ(s.failed, 1);
  EXPECT_NEAR(
      s.hr_lower,
      std::exp(quantile7({0, std::log(2.0), std::log(3.0), std::log(4.0), std::log(10.0)}, 0.025)),
      tol::closed_form);
}

}  // namespace
