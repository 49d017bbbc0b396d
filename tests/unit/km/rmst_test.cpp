// km_rmst and rmst_difference on hand-worked curves (survmean / survRM2 formulas).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

TEST(KmRmst, AreaUnderTheStepFunction) {
  // S = 0.75, 0.5, 0.25, 0 at 1, 2, 4, 6. To tau = 5: 1 + 0.75 + 0.5*2 + 0.25*1 = 3.
  const auto c =
      hazard::km_curve(std::vector<double>{1, 2, 4, 6}, std::vector<std::uint8_t>{1, 1, 1, 1});
  const auto r = hazard::km_rmst(c, 5);
  EXPECT_DOUBLE_EQ(r.estimate, 3.0);
  // Var = sum_j A_j^2 d_j / (n_j (n_j - d_j)), A_j = area from t_j to 5:
  //   t=1: A = 2, 1/(4*3); t=2: A = 1.25, 1/(3*2); t=4: A = 0.25, 1/(2*1)
  const double var = 4.0 / 12 + 1.5625 / 6 + 0.0625 / 2;
  EXPECT_DOUBLE_EQ(r.std_err, std::sqrt(var));
  EXPECT_DOUBLE_EQ(r.lower, r.estimate - 1.959963984540054 * r.std_err);
}

TEST(KmRmst, TauBeyondTheLastTimeExtendsTheCurve) {
  const auto c = hazard::km_curve(std::vector<double>{1, 2}, std::vector<std::uint8_t>{1, 0});
  // S = 0.5 from 1 on: 1 + 0.5 * 9 = 5.5
  EXPECT_DOUBLE_EQ(hazard::km_rmst(c, 10).estimate, 5.5);
}

TEST(KmRmst, TauBeforeTheFirstTimeIsTau) {
  const auto c = hazard::km_curve(std::vector<double>{3}, std::vector<std::uint8_t>{1});
  const auto r = hazard::km_rmst(c, 2);
  EXPECT_EQ(r.estimate, 2.0);
  EXPECT_EQ(r.std_err, 0.0);
  EXPECT_THROW(hazard::km_rmst(c, 0), hazard::UsageError);
}

TEST(RmstDifference, OtherMinusReferenceWithTwoSidedP) {
  hazard::Rmst a, b;
  a.estimate = 10;
  a.std_err = 3;
  b.estimate = 14;
  b.std_err = 4;
  const auto d = hazard::rmst_difference(a, b);
  EXPECT_DOUBLE_EQ(d.estimate, 4.0);
  EXPECT_DOUBLE_EQ(d.std_err, 5.0);
  EXPECT_DOUBLE_EQ(d.z, 0.8);
  EXPECT_TRUE(hazard::test::near_rel(d.p, 0.42371079716679333,
                                     hazard::tol::closed_form));  // R: 2 * pnorm(-0.8)
}

}  // namespace
