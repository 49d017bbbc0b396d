// Royston–Parmar spline models (src/parametric/royston_parmar.cpp): fits on the log cumulative
// hazard and log cumulative odds scales against a log-likelihood written out in R with the spline
// basis written out there too (tests/reference/parametric/make_optim.R), default knots as
// flexsurvspline; delayed entry; time-varying effects (covariates on gamma1, gamma2); K = 0 is the
// Weibull; analytic derivatives.
#include <gtest/gtest.h>

#include "parametric_fixture.hpp"

namespace {

using namespace hazard;

TEST(RoystonParmar, HazardScaleAgreesWithOptim) { EXPECT_EQ(test::check_optim_cases("rp-hazard"), 6); }
TEST(RoystonParmar, OddsScaleAgreesWithOptim) { EXPECT_EQ(test::check_optim_cases("rp-odds"), 2); }

TEST(RoystonParmar, DerivativesAreAnalytic) {
  const std::vector<double> knots{-1.0, 0.4, 1.5, 3.0};
  for (bool odds : {false, true}) {
    const auto fam = detail::parametric::make_royston_parmar(odds, knots);
    for (double t : {0.2, 1.0, 3.0, 40.0})
      for (auto th : std::vector<std::vector<double>>{{-1.0, 1.2, 0.01, -0.02}, {0.5, 0.8, -0.03, 0.05}}) {
        test::check_derivatives(*fam, th, t, true, odds ? "odds log f" : "hazard log f");
        test::check_derivatives(*fam, th, t, false, odds ? "odds log S" : "hazard log S");
      }
  }
}

TEST(RoystonParmar, ZeroKnotsIsTheWeibull) {
  const auto rp = detail::parametric::make_royston_parmar(false, {0.0, 3.0});
  const auto wb = detail::parametric::make_weibull();
  // gamma0 = -a log b, gamma1 = a
  const double a = 1.3, b = 7.0;
  const std::vector<double> g{-a * std::log(b), a}, w{std::log(a), std::log(b)};
  const std::vector<double> t{0.5, 2.0, 9.0};
  std::vector<double> x(3), y(3);
  rp->log_f(g.data(), t, 0, x.data(), nullptr);
  wb->log_f(w.data(), t, 0, y.data(), nullptr);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(test::near_rel(x[i], y[i], tol::closed_form));
  EXPECT_TRUE(test::near_rel(rp->quantile(g.data(), 0.5), wb->quantile(w.data(), 0.5), 1e-13));
}

}  // namespace
