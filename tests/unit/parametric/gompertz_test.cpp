// The Gompertz family (src/parametric/gompertz.cpp): fits against a log-likelihood written out in
// R and maximised by optim (tests/reference/parametric/make_optim.R), including delayed entry and
// a covariate on the shape; analytic derivatives, also at shape 0 (the exponential).
#include <gtest/gtest.h>

#include "parametric_fixture.hpp"

namespace {

using namespace hazard;

TEST(Gompertz, AgreesWithOptim) { EXPECT_EQ(test::check_optim_cases("gompertz"), 5); }

TEST(Gompertz, DerivativesAreAnalytic) {
  const auto fam = detail::parametric::make_gompertz();
  for (double t : {0.01, 0.7, 3.0, 40.0})
    for (auto th : std::vector<std::vector<double>>{{0.0, -1.0}, {0.05, -2.0}, {-0.3, 0.4}, {1e-9, 0.1}}) {
      test::check_derivatives(*fam, th, t, true, "log f");
      test::check_derivatives(*fam, th, t, false, "log S");
    }
}

TEST(Gompertz, ShapeZeroIsTheExponential) {
  const auto fam = detail::parametric::make_gompertz();
  const std::vector<double> th{0.0, std::log(0.2)};
  double ls;
  fam->log_s(th.data(), {3.0}, 0, &ls, nullptr);
  EXPECT_DOUBLE_EQ(ls, -0.6);
  EXPECT_DOUBLE_EQ(fam->quantile(th.data(), 0.5), std::log(2.0) / 0.2);
}

}  // namespace
