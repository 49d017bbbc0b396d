// cmh_test against R mantelhaen.test (tests/reference/response/kernels.json, make_response.R).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hazard/response.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;

TEST(Cmh, AgreesWithMantelhaenTest) {
  const auto ref = hazard::test::reference("response/kernels.json");
  for (const auto& c : ref["stratified"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    std::vector<hazard::TwoByTwo> s;
    for (std::size_t h = 0; h < c["x1"].size(); ++h)
      s.push_back({.x1 = c["x1"][h].get<std::size_t>(),
                   .n1 = c["n1"][h].get<std::size_t>(),
                   .x0 = c["x0"][h].get<std::size_t>(),
                   .n0 = c["n0"][h].get<std::size_t>()});
    const auto r = hazard::cmh_test(s, c["conf_level"].get<double>());
    const auto& m = c["cmh"];
    EXPECT_EQ(r.strata_dropped, c["strata_dropped"].get<std::size_t>());
    EXPECT_EQ(r.strata_used + r.strata_dropped, s.size());
    EXPECT_TRUE(near_rel(r.chisq, jnum(m["chisq"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.p, jnum(m["p"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.chisq_corrected, jnum(m["chisq_corrected"]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.p_corrected, jnum(m["p_corrected"]), hazard::tol::closed_form));
    // R's NA stands for NaN or an infinite odds ratio (no discordant reference responders).
    if (m["odds_ratio"].is_null()) {
      EXPECT_FALSE(std::isfinite(r.odds_ratio));
    } else {
      EXPECT_TRUE(near_rel(r.odds_ratio, jnum(m["odds_ratio"]), hazard::tol::closed_form));
      EXPECT_TRUE(near_rel(r.or_lower, jnum(m["or_lower"]), hazard::tol::closed_form));
      EXPECT_TRUE(near_rel(r.or_upper, jnum(m["or_upper"]), hazard::tol::closed_form));
    }
  }
}

TEST(Cmh, HandWorkedOneStratum) {
  // a = 10, b = 10, c = 5, d = 15 (n = 40): E(a) = 20 * 15 / 40 = 7.5, DELTA = 2.5,
  // V = 20 * 20 * 15 * 25 / (1600 * 39) = 2.4038..., chisq = 6.25 / V = 2.6; OR = 150 / 50 = 3.
  const std::vector<hazard::TwoByTwo> s{{.x1 = 10, .n1 = 20, .x0 = 5, .n0 = 20}};
  const auto r = hazard::cmh_test(s);
  EXPECT_TRUE(near_rel(r.chisq, 6.25 * 1600 * 39 / (20.0 * 20 * 15 * 25), 1e-14));
  EXPECT_TRUE(near_rel(r.chisq_corrected, 4.0 * 1600 * 39 / (20.0 * 20 * 15 * 25), 1e-14));
  EXPECT_TRUE(near_rel(r.odds_ratio, 3.0, 1e-15));
}

}  // namespace
