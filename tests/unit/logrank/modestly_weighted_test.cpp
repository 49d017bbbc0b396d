// Tests of src/logrank/modestly_weighted.cpp against the Magirr–Burman statistic written out in R
// (tests/reference/nph/make_maxcombo.R, mb.json; S(t*) checked there against survfit).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::near_rel;

TEST(ModestlyWeighted, AgreesWithR) {
  const auto ref = hazard::test::reference("nph/mb.json");
  ASSERT_GE(ref.at("cases").size(), 7u);
  for (const auto& c : ref.at("cases")) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const auto& data = c.at("data");
    std::vector<double> time, weight;
    std::vector<std::uint8_t> status;
    std::vector<std::int32_t> group, stratum;
    for (const auto& v : data.at("time")) time.push_back(v.get<double>());
    for (const auto& v : data.at("status"))
      status.push_back(static_cast<std::uint8_t>(v.get<int>()));
    for (const auto& v : data.at("group")) group.push_back(v.get<std::int32_t>());
    if (!data.at("stratum").is_null())
      for (const auto& v : data.at("stratum")) stratum.push_back(v.get<std::int32_t>());
    if (!data.at("weight").is_null())
      for (const auto& v : data.at("weight")) weight.push_back(v.get<double>());
    const auto table = hazard::two_arm_event_times(
        {.time = time, .status = status, .group = group, .stratum = stratum, .weight = weight});
    const auto r =
        hazard::modestly_weighted_logrank(table, {.t_star = c.at("t_star").get<double>()});
    EXPECT_TRUE(near_rel(r.test.u, c.at("u").get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.test.var, c.at("var").get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.test.z, c.at("z").get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.test.p, c.at("p").get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(
        near_rel(r.test.p_one_sided, c.at("p_one_sided").get<double>(), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.max_weight, c.at("max_weight").get<double>(), hazard::tol::closed_form));
    std::vector<double> s_star;
    const auto& js = c.at("surv_t_star");
    if (js.is_array())
      for (const auto& v : js) s_star.push_back(v.get<double>());
    else
      s_star.push_back(js.get<double>());
    ASSERT_EQ(r.surv_t_star.size(), s_star.size());
    for (std::size_t k = 0; k < s_star.size(); ++k)
      EXPECT_TRUE(near_rel(r.surv_t_star[k], s_star[k], hazard::tol::closed_form));
  }
}

TEST(ModestlyWeighted, EarlyTStarIsTheLogrank) {
  // t* before the first event: every weight is 1, the two-group log-rank z of logrank_test
  std::vector<double> time{1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<std::uint8_t> status{1, 1, 0, 1, 1, 1, 0, 1};
  std::vector<std::int32_t> group{0, 1, 0, 1, 1, 0, 1, 0};
  const hazard::LogrankInput in{.time = time, .status = status, .group = group};
  const auto mb =
      hazard::modestly_weighted_logrank(hazard::two_arm_event_times(in), {.t_star = 0.5});
  const auto lr = hazard::logrank_test(hazard::logrank_stats(in));
  EXPECT_TRUE(near_rel(mb.test.z, lr.z, hazard::tol::closed_form));
  EXPECT_EQ(mb.max_weight, 1.0);
}

TEST(ModestlyWeighted, RejectsBadTStar) {
  std::vector<double> time{1, 2};
  std::vector<std::uint8_t> status{1, 1};
  std::vector<std::int32_t> group{0, 1};
  const auto table = hazard::two_arm_event_times({.time = time, .status = status, .group = group});
  EXPECT_THROW(hazard::modestly_weighted_logrank(table, {.t_star = 0.0}), hazard::UsageError);
  EXPECT_THROW(hazard::modestly_weighted_logrank(table, {.t_star = -1.0}), hazard::UsageError);
}

}  // namespace
