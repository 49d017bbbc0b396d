// Shared by the Cox diagnostics tests (residuals_test, baseline_test, cox_zph_test): the cases
// of tests/reference/cox_diag/cox_diag.json as CoxData, refitted with cox_fit.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hazard/cox.hpp"
#include "hazard/cox_survfit.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace hazard::test {

inline const nlohmann::json& diag_cases() {
  static const nlohmann::json all = reference("cox_diag/cox_diag.json");
  return all;
}

/// The number of cases in cox_diag.json, for the suites' lists (without parsing it whole:
/// test_util.hpp, reference_names).
inline std::size_t diag_case_count() { return reference_names("cox_diag/cox_diag.json").size(); }

inline Eigen::MatrixXd json_matrix(const nlohmann::json& rows) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  const auto p = static_cast<Eigen::Index>(n > 0 && rows[0].is_array() ? rows[0].size() : 1);
  Eigen::MatrixXd m(n, p);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& r = rows[static_cast<std::size_t>(i)];
    for (Eigen::Index j = 0; j < p; ++j) m(i, j) = r.is_array() ? jnum(r[static_cast<std::size_t>(j)]) : jnum(r);
  }
  return m;
}

inline std::vector<double> json_vec(const nlohmann::json& v) {
  std::vector<double> out;
  if (v.is_array())
    for (const auto& e : v) out.push_back(jnum(e));
  else
    out.push_back(jnum(v));
  return out;
}

inline CoxData diag_data_of(const nlohmann::json& in) {
  CoxData d;
  d.time = json_vec(in.at("time"));
  if (in.contains("start") && !in["start"].is_null()) d.start = json_vec(in["start"]);
  for (const auto& v : in.at("status")) d.status.push_back(static_cast<std::uint8_t>(v.get<int>()));
  d.x = json_matrix(in.at("x"));
  const auto& names = in.at("names");
  if (names.is_array())
    for (const auto& v : names) d.names.push_back(v.get<std::string>());
  else
    d.names.push_back(names.get<std::string>());
  if (in.contains("weight")) d.weight = json_vec(in["weight"]);
  if (in.contains("offset")) d.offset = json_vec(in["offset"]);
  if (in.contains("stratum"))
    for (const auto& v : in["stratum"]) d.stratum.push_back(v.get<std::int32_t>());
  if (in.contains("cluster"))
    for (const auto& v : in["cluster"]) d.cluster.push_back(v.get<std::int32_t>());
  return d;
}

inline Ties diag_ties(const std::string& s) {
  if (s == "breslow") return Ties::breslow;
  if (s == "exact") return Ties::exact;
  return Ties::efron;
}

/// Agreement of a derived quantity: |a - b| <= tol * max(|b|, scale). `scale` is the largest
/// magnitude of the quantity over the case (a residual column, a curve): values that are
/// differences of nearly equal sums (a residual of 1e-12 next to ones of order 1) carry the
/// absolute error of the larger terms, not a relative one of their own.
inline ::testing::AssertionResult near_scaled(double a, double b, double tol, double scale) {
  if (std::isnan(a) && std::isnan(b)) return ::testing::AssertionSuccess();
  if (std::isinf(a) && std::isinf(b) && (a > 0) == (b > 0)) return ::testing::AssertionSuccess();
  const double diff = std::fabs(a - b);
  if (diff <= tol * std::max(std::fabs(b), scale)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << std::setprecision(17) << a << " vs reference " << b
                                       << " (diff " << diff << ", scale " << scale << ", tol " << tol << ")";
}

inline double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v)
    if (std::isfinite(x)) m = std::max(m, std::fabs(x));
  return m;
}

}  // namespace hazard::test
