// The simple two-stage method (src/crossover/two_stage.cpp, weibull_aft.cpp) against the
// reference written in R (tests/reference/crossover/make_crossover.R: survreg(dist = "weibull")
// of post-progression survival of the control patients on the switch indicator and ECOG at
// progression, the switchers' times shrunk by exp(psi), re-censoring, coxph), on the crossover
// scenario of examples/cabinet.
#include <gtest/gtest.h>

#include "crossover_fixture.hpp"
#include "hazard/error.hpp"
#include "tolerances.hpp"

namespace {

using namespace hazard;
using test::near_rel;

struct Case {
  const char* name;
  bool recensor;
  double offset;
  bool strata;
};

class TwoStageReference : public ::testing::TestWithParam<Case> {};

TEST_P(TwoStageReference, AgreesWithR) {
  const Case c = GetParam();
  const auto ex = test::crossover_example();
  SwitchData d = ex.data;
  d.x2.resize(static_cast<Eigen::Index>(d.size()), 1);
  for (std::size_t i = 0; i < d.size(); ++i) d.x2(static_cast<Eigen::Index>(i), 0) = ex.ecog_pd[i];
  d.names2 = {"ECOGPD"};
  if (c.strata) d.stratum = ex.cohort;
  const TwoStageResult r = two_stage(d, {.recensor = c.recensor, .pps_offset = c.offset});
  const auto ref = test::crossover_case(c.name);
  const auto& aft = ref.at("aft");
  EXPECT_EQ(r.progressed, aft.at("n").get<std::size_t>());
  const auto coef = test::unboxed_vec(aft.at("coef")), se = test::unboxed_vec(aft.at("se"));
  ASSERT_EQ(static_cast<std::size_t>(r.aft.coef.size()), coef.size());
  for (std::size_t k = 0; k < coef.size(); ++k) {
    EXPECT_TRUE(near_rel(r.aft.coef[static_cast<Eigen::Index>(k)], coef[k], tol::iterative))
        << "coef " << k;
    EXPECT_TRUE(near_rel(r.aft.se[k], se[k], tol::iterative)) << "se " << k;
  }
  EXPECT_TRUE(near_rel(r.aft.loglik, test::jnum(aft.at("loglik")), tol::iterative));
  EXPECT_TRUE(near_rel(r.psi, test::jnum(ref.at("psi")), tol::iterative));
  EXPECT_TRUE(near_rel(r.psi_lower, test::jnum(ref.at("psi_lower")), tol::iterative));
  EXPECT_TRUE(near_rel(r.psi_upper, test::jnum(ref.at("psi_upper")), tol::iterative));
  EXPECT_TRUE(near_rel(r.hr.log_hr, test::jnum(ref.at("log_hr")), tol::iterative));
  EXPECT_TRUE(near_rel(r.hr.se, test::jnum(ref.at("se")), tol::iterative));
  EXPECT_TRUE(near_rel(r.hr.lower, test::jnum(ref.at("hr_lower")), tol::iterative));
  EXPECT_TRUE(near_rel(r.hr.upper, test::jnum(ref.at("hr_upper")), tol::iterative));
}

INSTANTIATE_TEST_SUITE_P(Example, TwoStageReference,
                         ::testing::Values(Case{"two_stage", true, 0.0, false},
                                           Case{"two_stage_offset_strata_no_recensor", false,
                                                1 / 30.4375, true}),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(TwoStage, NeedsProgressionData) {
  const auto ex = test::crossover_example();
  SwitchData d = ex.data;
  d.progressed.clear();
  d.progression_time.clear();
  EXPECT_THROW(two_stage(d), std::invalid_argument);
}

}  // namespace
