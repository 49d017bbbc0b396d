// Shared helpers of the parametric tests: reference cases as ParametricData, and a check of a
// family's analytic derivatives against central differences.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hazard/parametric.hpp"
#include "parametric/family.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace hazard::test {

/// The model input of a reference case: input.time, status, weight, x (rows), names; optional
/// start, z (rows), z_names.
inline ParametricData parametric_input(const nlohmann::json& in) {
  ParametricData d;
  d.time = in.at("time").get<std::vector<double>>();
  for (int s : in.at("status").get<std::vector<int>>()) d.status.push_back(static_cast<std::uint8_t>(s));
  if (in.contains("weight")) {
    d.weight = in.at("weight").get<std::vector<double>>();
    bool all_one = true;
    for (double w : d.weight) all_one = all_one && w == 1;
    if (all_one) d.weight.clear();
  }
  if (in.contains("start") && in.at("start").is_array()) d.start = in.at("start").get<std::vector<double>>();
  auto matrix = [](const nlohmann::json& rows, std::size_t n) {
    const std::size_t p = rows.empty() ? 0 : rows[0].size();
    Eigen::MatrixXd x(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(p));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < p; ++j)
        x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j].get<double>();
    return x;
  };
  if (in.contains("names") && !in.at("names").empty()) {
    d.x = matrix(in.at("x"), d.time.size());
    d.x_names = in.at("names").get<std::vector<std::string>>();
  }
  if (in.contains("z_names") && !in.at("z_names").empty()) {
    d.z = matrix(in.at("z"), d.time.size());
    d.z_names = in.at("z_names").get<std::vector<std::string>>();
  }
  return d;
}

/// A vector of doubles from JSON (null = NaN).
inline std::vector<double> jvec(const nlohmann::json& v) {
  std::vector<double> out;
  for (const auto& x : v) out.push_back(jnum(x));
  return out;
}

/// Relative-or-absolute closeness for derivatives.
inline ::testing::AssertionResult near_deriv(double a, double b, double scale) {
  if (std::fabs(a - b) <= tol::parametric_derivative * (std::fabs(b) + scale) + 1e-9)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << std::setprecision(17) << a << " vs numerical " << b;
}

/// Checks the gradient and Hessian of a family's log f (density = true) or log S at theta and
/// time t against central differences (Richardson: (4 D(h/2) - D(h)) / 3) of its values and of
/// its analytic gradient.
inline void check_derivatives(const detail::parametric::Family& fam, std::vector<double> theta,
                              double t, bool density, const std::string& what) {
  namespace dp = detail::parametric;
  const int m = fam.m();
  auto value = [&](const std::vector<double>& th, int order, dp::Deriv* d) {
    double v;
    if (density)
      fam.log_f(th.data(), {t}, order, &v, d);
    else
      fam.log_s(th.data(), {t}, order, &v, d);
    return v;
  };
  dp::Deriv d;
  const double v0 = value(theta, 2, &d);
  ASSERT_TRUE(std::isfinite(v0)) << what;
  double scale = std::fabs(v0) + 1;
  for (int k = 0; k < m; ++k) {
    auto diff = [&](double h, int comp) {  // comp < 0: value; else gradient component
      std::vector<double> tp = theta, tm = theta;
      tp[k] += h;
      tm[k] -= h;
      dp::Deriv dp_, dm_;
      const double fp = value(tp, 1, &dp_), fm = value(tm, 1, &dm_);
      return comp < 0 ? (fp - fm) / (2 * h) : (dp_.g[comp] - dm_.g[comp]) / (2 * h);
    };
    const double h = 1e-4;
    const double g = (4 * diff(h / 2, -1) - diff(h, -1)) / 3;
    EXPECT_TRUE(near_deriv(d.g[k], g, scale)) << what << ": d/dtheta" << k;
    for (int j = 0; j < m; ++j) {
      const double hh = (4 * diff(h / 2, j) - diff(h, j)) / 3;
      EXPECT_TRUE(near_deriv(d.h[j * m + k], hh, scale)) << what << ": d2/dtheta" << j << " dtheta" << k;
    }
  }
}

}  // namespace hazard::test

namespace hazard::test {

/// Every case of tests/reference/parametric/survreg.json for one distribution: estimates, SEs,
/// covariance, log-likelihood, AIC and BIC against survreg (mapped to flexsurv's parametrisation
/// by make_survreg.R).
inline void check_survreg_cases(const std::string& dist) {
  const nlohmann::json ref = reference("parametric/survreg.json");
  int seen = 0;
  for (const auto& c : ref.at("cases")) {
    if (c.at("dist") != dist) continue;
    ++seen;
    const std::string name = c.at("name");
    SCOPED_TRACE(name + ": " + c.at("call").get<std::string>());
    const ParametricData d = parametric_input(c.at("input"));
    const ParametricFit f = fit_parametric(d, parse_distribution(dist));
    ASSERT_TRUE(f.converged) << f.message;
    const auto& e = c.at("expect");
    const std::vector<double> est = jvec(e.at("estimate")), se = jvec(e.at("se"));
    ASSERT_EQ(static_cast<std::size_t>(f.estimate.size()), est.size());
    for (std::size_t j = 0; j < est.size(); ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      EXPECT_TRUE(near_rel(f.estimate[jj], est[j], tol::parametric_survreg)) << f.terms[j];
      EXPECT_TRUE(near_rel(std::sqrt(f.vcov(jj, jj)), se[j], tol::parametric_survreg)) << "se " << f.terms[j];
      const std::vector<double> vrow = jvec(e.at("vcov")[j]);
      for (std::size_t k = 0; k < est.size(); ++k)
        EXPECT_NEAR(f.vcov(jj, static_cast<Eigen::Index>(k)), vrow[k],
                    tol::parametric_survreg * std::sqrt(f.vcov(jj, jj) * f.vcov(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k))))
            << "vcov " << j << "," << k;
    }
    EXPECT_TRUE(near_rel(f.loglik, jnum(e.at("loglik")), tol::parametric_survreg));
    EXPECT_TRUE(near_rel(f.aic, jnum(e.at("aic")), tol::parametric_survreg));
    EXPECT_TRUE(near_rel(f.bic, jnum(e.at("bic")), tol::parametric_survreg));
    // the log-likelihood function itself, at survreg's estimates: closed form, so 1e-10
    Eigen::VectorXd b(static_cast<Eigen::Index>(est.size()));
    for (std::size_t j = 0; j < est.size(); ++j) b[static_cast<Eigen::Index>(j)] = est[j];
    EXPECT_TRUE(near_rel(parametric_log_likelihood(d, f, b), jnum(e.at("loglik_by_hand")), tol::closed_form));
  }
  EXPECT_EQ(seen, 5);
}

}  // namespace hazard::test

namespace hazard::test {

/// Every case of tests/reference/parametric/optim.json whose distribution starts with `dist`
/// (a log-likelihood written out in R, maximised by optim; Hessian by optimHess): the maximised
/// log-likelihood to 1e-5 (absolute), the estimates to 1e-4 times max(1, |estimate|), the SEs to
/// 1e-3 relative of optimHess's (differences of a numerical gradient) and to 1e-5 of the SEs from a
/// Richardson-extrapolated Hessian of the log-likelihood, and the log-likelihood function at R's
/// estimates to 1e-9 relative (the same formula, computed independently).
inline int check_optim_cases(const std::string& dist) {
  const nlohmann::json ref = reference("parametric/optim.json");
  int seen = 0;
  for (const auto& c : ref.at("cases")) {
    const std::string cd = c.at("dist");
    if (cd.rfind(dist, 0) != 0) continue;
    ++seen;
    const std::string name = c.at("name");
    SCOPED_TRACE(name + ": " + c.at("model").get<std::string>());
    const ParametricData d = parametric_input(c.at("input"));
    const ParametricFit f = fit_parametric(d, parse_distribution(cd));
    EXPECT_TRUE(f.converged) << f.message;
    const auto& e = c.at("expect");
    if (e.contains("knots")) {
      const std::vector<double> k = jvec(e.at("knots"));
      EXPECT_EQ(f.knots.size(), k.size());
      if (f.knots.size() != k.size()) continue;
      for (std::size_t j = 0; j < k.size(); ++j) EXPECT_TRUE(near_rel(f.knots[j], k[j], tol::closed_form));
    }
    const std::vector<double> est = jvec(e.at("estimate")), se = jvec(e.at("se"));
    EXPECT_EQ(static_cast<std::size_t>(f.estimate.size()), est.size());
    if (static_cast<std::size_t>(f.estimate.size()) != est.size()) continue;
    EXPECT_NEAR(f.loglik, jnum(e.at("loglik")), tol::parametric_optim_loglik);
    for (std::size_t j = 0; j < est.size(); ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      EXPECT_NEAR(f.estimate[jj], est[j], tol::parametric_optim_estimate * std::max(1.0, std::fabs(est[j])))
          << f.terms[j];
      EXPECT_TRUE(near_rel(std::sqrt(f.vcov(jj, jj)), se[j], 1e-3)) << "se " << f.terms[j];
      EXPECT_TRUE(near_rel(std::sqrt(f.vcov(jj, jj)), jnum(e.at("se_richardson")[j]), 1e-5))
          << "se (Richardson) " << f.terms[j];
    }
    Eigen::VectorXd b(static_cast<Eigen::Index>(est.size()));
    for (std::size_t j = 0; j < est.size(); ++j) b[static_cast<Eigen::Index>(j)] = est[j];
    EXPECT_TRUE(near_rel(parametric_log_likelihood(d, f, b), jnum(e.at("loglik")), 1e-9));
  }
  return seen;
}

}  // namespace hazard::test
