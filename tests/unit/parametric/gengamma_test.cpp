// The generalised gamma family (src/parametric/gengamma.cpp): fits against a log-likelihood
// written out in R from flexsurv's dgengamma / pgengamma formulas and maximised by optim
// (tests/reference/parametric/make_optim.R), including log-normal data (Q near 0), delayed entry,
// covariates on sigma and Q, and case weights; analytic derivatives, also at and near Q = 0;
// the special cases Q = 0 (log-normal) and Q = 1 (Weibull).
#include <gtest/gtest.h>

#include <boost/math/special_functions/gamma.hpp>

#include "parametric_fixture.hpp"

namespace {

using namespace hazard;

TEST(GenGamma, AgreesWithOptim) { EXPECT_EQ(test::check_optim_cases("gengamma"), 8); }

TEST(GenGamma, DerivativesAreAnalytic) {
  const auto fam = detail::parametric::make_gengamma();
  for (double t : {0.05, 0.7, 3.0, 40.0})
    for (auto th : std::vector<std::vector<double>>{
             {0.3, 0.1, 0.0}, {1.0, -0.5, 1e-7}, {0.5, 0.2, 0.8}, {-0.2, -0.3, -1.2}, {2.0, 0.4, 2.5}}) {
      test::check_derivatives(*fam, th, t, true, "log f");
      test::check_derivatives(*fam, th, t, false, "log S");
    }
}

TEST(GenGamma, QZeroIsTheLogNormalAndQOneTheWeibull) {
  const auto gg = detail::parametric::make_gengamma();
  const auto ln = detail::parametric::make_lognormal();
  const auto wb = detail::parametric::make_weibull();
  const std::vector<double> t{0.2, 1.0, 4.0, 25.0};
  std::vector<double> a(4), b(4);
  const double mu = 1.1, ls = -0.4;
  const std::vector<double> g0{mu, ls, 0.0}, l0{mu, ls};
  gg->log_f(g0.data(), t, 0, a.data(), nullptr);
  ln->log_f(l0.data(), t, 0, b.data(), nullptr);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(test::near_rel(a[i], b[i], tol::closed_form));
  gg->log_s(g0.data(), t, 0, a.data(), nullptr);
  ln->log_s(l0.data(), t, 0, b.data(), nullptr);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(test::near_rel(a[i], b[i], tol::gengamma_tail));
  // Q = 1: Weibull with shape 1/sigma, scale e^mu
  const std::vector<double> g1{mu, ls, 1.0}, w1{-ls, mu};
  gg->log_f(g1.data(), t, 0, a.data(), nullptr);
  wb->log_f(w1.data(), t, 0, b.data(), nullptr);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(test::near_rel(a[i], b[i], tol::closed_form));
  gg->log_s(g1.data(), t, 0, a.data(), nullptr);
  wb->log_s(w1.data(), t, 0, b.data(), nullptr);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(test::near_rel(a[i], b[i], tol::gengamma_tail));
}

TEST(GenGamma, MeanAndQuantileHaveTheirClosedForms) {
  const auto gg = detail::parametric::make_gengamma();
  // E T = e^mu Q^(2 sigma/Q) Gamma(1/Q^2 + sigma/Q) / Gamma(1/Q^2), here Q = 0.5, sigma = 0.8
  const double mu = 0.3, sigma = 0.8, q = 0.5, a = 1 / (q * q);
  const std::vector<double> th{mu, std::log(sigma), q};
  const double mean = std::exp(mu) * std::pow(q * q, sigma / q) * std::tgamma(a + sigma / q) / std::tgamma(a);
  EXPECT_TRUE(test::near_rel(gg->mean(th.data()), mean, tol::closed_form));
  // near Q = 0 the mean tends to the log-normal's
  const std::vector<double> th0{mu, std::log(sigma), 1e-7};
  EXPECT_NEAR(gg->mean(th0.data()), std::exp(mu + sigma * sigma / 2), 1e-6);
  // median: Q(a, a e^(Q w)) = 1/2
  const double x = boost::math::gamma_q_inv(a, 0.5);
  EXPECT_TRUE(test::near_rel(gg->quantile(th.data(), 0.5), std::exp(mu + sigma * std::log(x / a) / q), tol::closed_form));
  // and below 0.01 by bisection on the table: at Q = 0 the log-normal median e^mu
  const std::vector<double> thz{mu, std::log(sigma), 0.0};
  EXPECT_NEAR(gg->quantile(thz.data(), 0.5), std::exp(mu), 1e-12);
  // sigma Q <= -1: infinite mean
  const std::vector<double> thinf{mu, std::log(2.0), -0.6};
  EXPECT_TRUE(std::isinf(gg->mean(thinf.data())));
  EXPECT_FALSE(gg->infinite_mean(thinf.data()).empty());
}

}  // namespace
