// Royston–Parmar basis and default knots (src/parametric/spline_basis.cpp): the basis against its
// definition at hand-picked points, linearity beyond the boundary knots, the derivative against a
// difference, and the knots against R's quantile() (type 7) of the log event times, including
// flexsurv's replication of weighted events.
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/error.hpp"
#include "hazard/parametric.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using namespace hazard;

TEST(SplineBasis, IsRoystonParmarsNaturalCubicBasis) {
  // knots 0, 1, 3: l_1 = (3 - 1)/3 = 2/3; at x = 2: (2-1)^3 - (2/3) 2^3 - (1/3) 0 = 1 - 16/3
  const std::vector<double> k{0, 1, 3};
  double b[3], d[3];
  spline_basis(k, 2.0, b, d);
  EXPECT_EQ(b[0], 1.0);
  EXPECT_EQ(b[1], 2.0);
  EXPECT_DOUBLE_EQ(b[2], 1 - 16.0 / 3);
  EXPECT_DOUBLE_EQ(d[2], 3 * (1 - 2.0 / 3 * 4));
  // below the first knot the cubic term is 0; beyond the last it is linear in x
  spline_basis(k, -1.0, b, d);
  EXPECT_EQ(b[2], 0.0);
  double b4[3], b5[3], b6[3];
  spline_basis(k, 4.0, b4, nullptr);
  spline_basis(k, 5.0, b5, nullptr);
  spline_basis(k, 6.0, b6, nullptr);
  EXPECT_NEAR(b6[2] - b5[2], b5[2] - b4[2], 1e-12);
  // derivative by a central difference inside
  double bp[3], bm[3];
  spline_basis(k, 1.7 + 1e-6, bp, nullptr);
  spline_basis(k, 1.7 - 1e-6, bm, nullptr);
  spline_basis(k, 1.7, b, d);
  EXPECT_NEAR(d[2], (bp[2] - bm[2]) / 2e-6, 1e-6);
}

TEST(SplineKnots, AreQuantilesOfTheLogEventTimes) {
  // events at 1, 2, 4, 8, 16 (one censored at 3): log times 0, l2, 2 l2, 3 l2, 4 l2
  const std::vector<double> t{1, 2, 3, 4, 8, 16};
  const std::vector<std::uint8_t> s{1, 1, 0, 1, 1, 1};
  const double l2 = std::log(2.0);
  // K = 2: quantiles 1/3, 2/3 of 5 values (type 7): positions 4/3 and 8/3 (0-based)
  const std::vector<double> k = spline_knots(t, s, {}, 2);
  ASSERT_EQ(k.size(), 4u);
  EXPECT_DOUBLE_EQ(k[0], 0.0);
  EXPECT_NEAR(k[1], l2 * (1 + 1.0 / 3), 1e-15);
  EXPECT_NEAR(k[2], l2 * (2 + 2.0 / 3), 1e-15);
  EXPECT_NEAR(k[3], 4 * l2, 1e-15);
  // equal weights: flexsurv repeats each event 100 times, which moves a type-7 quantile
  // (position 499 * 1/3 = 166.33 falls inside the second block): l2, not 4/3 l2
  const std::vector<double> w(6, 2.0);
  const std::vector<double> kw = spline_knots(t, s, w, 2);
  EXPECT_NEAR(kw[1], l2, 1e-15);
  EXPECT_NEAR(kw[2], 3 * l2, 1e-15);
  EXPECT_THROW(spline_knots(t, std::vector<std::uint8_t>(6, 0), {}, 1), UsageError);
}

TEST(Distribution, NamesParseAndPrint) {
  EXPECT_EQ(distribution_name(parse_distribution("rp-odds:3")), "rp-odds:3");
  EXPECT_EQ(parse_distribution("lnorm").family, ParametricFamily::lognormal);
  EXPECT_EQ(parse_distribution("rp-hazard:0").knots, 0);
  EXPECT_THROW(parse_distribution("rp-hazard"), UsageError);
  EXPECT_THROW(parse_distribution("rp-hazard:11"), UsageError);
  EXPECT_THROW(parse_distribution("rp-hazard:x"), UsageError);
  EXPECT_THROW(parse_distribution("weibul"), UsageError);
}

}  // namespace
