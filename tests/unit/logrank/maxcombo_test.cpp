// Tests of src/logrank/maxcombo.cpp (and event_times.cpp, weighted_logrank.cpp) against R
// (tests/reference/nph/make_maxcombo.R): each FH statistic, written out in R and checked there
// against survdiff(rho =), survMisc::comp and the weighted coxph score test; the correlation
// matrix; the p-values of mvtnorm::pmvnorm (or a nested integral where R is singular).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::near_rel;
using nlohmann::json;

struct CaseData {
  std::vector<double> time;
  std::vector<std::uint8_t> status;
  std::vector<std::int32_t> group, stratum;
  std::vector<double> weight;
  hazard::LogrankInput input() const {
    return {.time = time,
            .status = status,
            .group = group,
            .stratum = stratum,
            .weight = weight,
            .n_groups = 2};
  }
};

CaseData case_data(const json& c) {
  CaseData d;
  const json& data = c.at("data");
  for (const auto& v : data.at("time")) d.time.push_back(v.get<double>());
  for (const auto& v : data.at("status"))
    d.status.push_back(static_cast<std::uint8_t>(v.get<int>()));
  for (const auto& v : data.at("group")) d.group.push_back(v.get<std::int32_t>());
  if (!data.at("stratum").is_null())
    for (const auto& v : data.at("stratum")) d.stratum.push_back(v.get<std::int32_t>());
  if (!data.at("weight").is_null())
    for (const auto& v : data.at("weight")) d.weight.push_back(v.get<double>());
  return d;
}

TEST(MaxCombo, AgreesWithR) {
  const json ref = hazard::test::reference("nph/maxcombo.json");
  ASSERT_GE(ref.at("cases").size(), 9u);
  for (const json& c : ref.at("cases")) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const CaseData d = case_data(c);
    const hazard::TwoArmEventTimes table = hazard::two_arm_event_times(d.input());
    EXPECT_EQ(table.size(), c.at("n_event_times").get<std::size_t>());
    hazard::MaxComboOptions o;
    o.fh.clear();
    for (const json& f : c.at("fh"))
      o.fh.push_back({f.at("rho").get<double>(), f.at("gamma").get<double>()});
    const auto t0 = std::chrono::steady_clock::now();
    const hazard::MaxComboResult r = hazard::maxcombo(table, o);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const std::size_t k = o.fh.size();
    for (std::size_t a = 0; a < k; ++a) {
      EXPECT_TRUE(near_rel(r.stats[a].u, c.at("u")[a].get<double>(), hazard::tol::closed_form));
      EXPECT_TRUE(near_rel(r.stats[a].var, c.at("var")[a].get<double>(), hazard::tol::closed_form));
      EXPECT_TRUE(near_rel(r.stats[a].z, c.at("z")[a].get<double>(), hazard::tol::closed_form));
      for (std::size_t b = 0; b < k; ++b)
        EXPECT_TRUE(near_rel(r.corr[a * k + b], c.at("corr")[a][b].get<double>(),
                             hazard::tol::closed_form));
    }
    EXPECT_TRUE(near_rel(r.max_abs_z, c.at("max_abs_z").get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.min_z, c.at("min_z").get<double>(), hazard::tol::closed_form));
    std::printf(
        "%-18s p %.12g R %.12g (pmvnorm %.12g +- %.2g) hazard err %.2g | one %.12g R %.12g "
        "(pmvnorm %.12g) err %.2g  %.1f ms\n",
        c.at("name").get<std::string>().c_str(), r.p, c.at("p").get<double>(),
        c.at("p_pmvnorm").get<double>(), c.at("p_error").get<double>(), r.p_error, r.p_one_sided,
        c.at("p_one_sided").get<double>(), c.at("p_one_sided_pmvnorm").get<double>(),
        r.p_one_sided_error, ms);
    EXPECT_NEAR(r.p, c.at("p").get<double>(), hazard::tol::mvn_p);
    EXPECT_NEAR(r.p_one_sided, c.at("p_one_sided").get<double>(), hazard::tol::mvn_p);
  }
}

}  // namespace

namespace {

struct Small {
  std::vector<double> time{1, 2, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<std::uint8_t> status{1, 1, 1, 0, 1, 1, 0, 1, 1, 0};
  std::vector<std::int32_t> group{0, 1, 0, 1, 1, 0, 1, 0, 1, 0};
  hazard::LogrankInput input() const { return {.time = time, .status = status, .group = group}; }
};

TEST(MaxCombo, OneStatisticIsItsOwnTest) {
  // k = 1: max |z| is |z| and the p-value that of the FH test alone (no integral)
  const Small s;
  const auto table = hazard::two_arm_event_times(s.input());
  hazard::MaxComboOptions o;
  o.fh = {{1, 0}};
  const auto r = hazard::maxcombo(table, o);
  const auto lr = hazard::logrank_test(hazard::logrank_stats(s.input(), {.rho = 1}));
  EXPECT_TRUE(hazard::test::near_rel(r.stats[0].z, lr.z, hazard::tol::closed_form));
  EXPECT_TRUE(hazard::test::near_rel(r.p, lr.p, 1e-12));
  EXPECT_TRUE(hazard::test::near_rel(r.p_one_sided, lr.p_one_sided, 1e-12));
}

TEST(MaxCombo, ErrorsAreClear) {
  const Small s;
  const auto table = hazard::two_arm_event_times(s.input());
  hazard::MaxComboOptions o;
  o.fh = {};
  EXPECT_THROW(hazard::maxcombo(table, o), hazard::UsageError);
  o.fh = {{0, 1}, {0, 1}};
  EXPECT_THROW(hazard::maxcombo(table, o), hazard::UsageError);
  o.fh = {{0, -1}};
  EXPECT_THROW(hazard::maxcombo(table, o), hazard::UsageError);
  // every event at the first time: S(t-) = 1 there, so FH(0,1) has weight 0 and variance 0
  std::vector<double> time{1, 1, 2, 3};
  std::vector<std::uint8_t> status{1, 1, 0, 0};
  std::vector<std::int32_t> group{0, 1, 0, 1};
  const auto t2 = hazard::two_arm_event_times({.time = time, .status = status, .group = group});
  o.fh = {{0, 0}, {0, 1}};
  EXPECT_THROW(hazard::maxcombo(t2, o), hazard::NumericalError);
  // inconsistent input
  std::vector<std::int32_t> three{0, 1, 2, 1};
  EXPECT_THROW(hazard::two_arm_event_times({.time = time, .status = status, .group = three}),
               std::invalid_argument);
}

}  // namespace
