// Helpers shared by the tests: reading reference JSON files written by the R scripts under
// tests/reference/, and relative comparison.
#pragma once

#include <cmath>
#include <fstream>
#include <iomanip>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace hazard::test {

/// Reads tests/reference/<relative> (written by a script in the same folder).
inline nlohmann::json reference(const std::string& relative) {
  std::ifstream in(std::string(HAZARD_REFERENCE_DIR) + "/" + relative);
  if (!in) throw std::runtime_error("missing reference file " + relative);
  return nlohmann::json::parse(in);
}

/// The "name" of every case of tests/reference/<relative>: an array of objects, the file itself
/// or (`key`) its member. For the lists of parametrised suites: GoogleTest makes every suite's list
/// in every test process (ctest runs each test in its own process of the one test executable), so
/// the list must not parse the whole file with nlohmann::json (~0.4 s for all files); this reads it
/// with simdjson, once per file and key in a process (test_util.cpp).
const std::vector<std::string>& reference_names(const std::string& relative,
                                                const std::string& key = "");

/// `name` as a GoogleTest parameter name: every character but letters and digits becomes '_'.
std::string gtest_name(std::string name);

/// Relative agreement: |a - b| <= tol * |b|, or |a - b| <= 1e-14 for values that are zero up to
/// rounding (a difference of two sums, say). NaN matches NaN (R's NA), infinities match by sign.
inline ::testing::AssertionResult near_rel(double a, double b, double tol) {
  if (std::isnan(a) && std::isnan(b)) return ::testing::AssertionSuccess();
  if (std::isinf(a) && std::isinf(b) && (a > 0) == (b > 0)) return ::testing::AssertionSuccess();
  double diff = std::fabs(a - b);
  if (diff <= tol * std::fabs(b) || diff <= 1e-14) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << std::setprecision(17) << a << " vs reference " << b
                                       << " (relative diff " << diff / std::fabs(b) << ", tol "
                                       << tol << ")";
}

/// A JSON reference value as double: null is NaN (R's NA).
inline double jnum(const nlohmann::json& v) {
  return v.is_null() ? std::nan("") : v.get<double>();
}

/// The path of a file under ../shared/data, or "" when shared/ is absent (the test then says so).
inline std::string shared_file(const std::string& relative) {
  std::string p = std::string(HAZARD_SHARED_DIR) + "/data/" + relative;
  std::ifstream in(p);
  return in ? p : std::string();
}

}  // namespace hazard::test
