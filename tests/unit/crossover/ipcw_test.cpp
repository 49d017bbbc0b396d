// IPCW (src/crossover/ipcw.cpp, logistic.cpp) against the reference written in R
// (tests/reference/crossover/make_crossover.R: the long rows split by hand, glm(binomial)
// switching models, cumulative products of the weights, quantile(type = 7) truncation,
// coxph(Surv(tstart, tstop, event) ~ arm + AGE (+ strata), weights = w, cluster = id)), on the
// crossover scenario of examples/cabinet.
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "crossover_fixture.hpp"
#include "hazard/error.hpp"
#include "tolerances.hpp"

namespace {

using namespace hazard;
using test::near_rel;

// adtv_xo.csv as intervals: ECOG time-varying (denominator), switching eligible where PROGFL = Y.
SwitchIntervals example_intervals(const test::CrossoverExample& ex) {
  const Table t = read_csv(test::example_path("adtv_xo.csv"));
  std::map<std::string, std::size_t> row_of;
  for (std::size_t i = 0; i < ex.id.size(); ++i) row_of[ex.id[i]] = i;
  SwitchIntervals iv;
  iv.z.resize(static_cast<Eigen::Index>(t.rows()), 1);
  iv.z_names = {"ECOG"};
  for (std::size_t k = 0; k < t.rows(); ++k) {
    iv.subject.push_back(row_of.at(t.at("USUBJID").text(k)));
    iv.start.push_back(t.at("ASTART").numbers[k]);
    iv.stop.push_back(t.at("AEND").numbers[k]);
    iv.z(static_cast<Eigen::Index>(k), 0) = t.at("ECOG").numbers[k];
    iv.eligible.push_back(t.at("PROGFL").text(k) == "Y" ? 1 : 0);
  }
  return iv;
}

void expect_fit(const LogisticFit& f, const nlohmann::json& ref, const char* what) {
  const auto coef = test::unboxed_vec(ref.at("coef")), se = test::unboxed_vec(ref.at("se"));
  ASSERT_EQ(static_cast<std::size_t>(f.coef.size()), coef.size()) << what;
  for (std::size_t k = 0; k < coef.size(); ++k) {
    const auto e = static_cast<Eigen::Index>(k);
    EXPECT_TRUE(near_rel(f.coef[e], coef[k], tol::iterative)) << what << " coef " << k;
    EXPECT_TRUE(near_rel(f.se[e], se[k], tol::iterative)) << what << " se " << k;
  }
  EXPECT_TRUE(near_rel(f.deviance, test::jnum(ref.at("deviance")), tol::iterative)) << what;
}

void expect_weights(const WeightSummary& w, const nlohmann::json& ref) {
  EXPECT_EQ(w.rows, ref.at("rows").get<std::size_t>());
  EXPECT_TRUE(near_rel(w.mean, test::jnum(ref.at("mean")), tol::iterative));
  EXPECT_TRUE(near_rel(w.min, test::jnum(ref.at("min")), tol::iterative));
  EXPECT_TRUE(near_rel(w.max, test::jnum(ref.at("max")), tol::iterative));
  const auto q = test::unboxed_vec(ref.at("quantiles"));
  const double got[] = {w.p01, w.p05, w.p25, w.p50, w.p75, w.p95, w.p99};
  for (std::size_t k = 0; k < q.size(); ++k)
    EXPECT_TRUE(near_rel(got[k], q[k], tol::iterative)) << "quantile " << k;
}

struct Case {
  const char* name;
  bool stabilised, strata;
  std::optional<std::pair<double, double>> truncate;
};

class IpcwReference : public ::testing::TestWithParam<Case> {};

TEST_P(IpcwReference, AgreesWithR) {
  const Case c = GetParam();
  const auto ex = test::crossover_example();
  SwitchData d = ex.data;
  test::with_age(d, ex.age);
  if (c.strata) d.stratum = ex.cohort;
  const IpcwResult r =
      ipcw(d, example_intervals(ex), {.stabilised = c.stabilised, .truncate = c.truncate});
  const auto ref = test::crossover_case(c.name);
  EXPECT_EQ(r.rows.subject.size(), ref.at("rows").get<std::size_t>());
  std::size_t modelled = 0, switches = 0;
  for (std::size_t k = 0; k < r.rows.subject.size(); ++k) {
    modelled += r.rows.switch_row[k];
    switches += r.rows.switch_row[k] && r.rows.switch_y[k];
  }
  EXPECT_EQ(modelled, ref.at("switch_rows").get<std::size_t>());
  EXPECT_EQ(switches, ref.at("switches").get<std::size_t>());
  expect_fit(r.denominator, ref.at("denominator"), "denominator");
  if (c.stabilised) expect_fit(r.numerator, ref.at("numerator"), "numerator");
  expect_weights(r.weights_control, ref.at("weights_control"));
  expect_weights(r.weights_experimental, ref.at("weights_experimental"));
  EXPECT_TRUE(r.hr.robust);
  EXPECT_TRUE(near_rel(r.hr.log_hr, test::jnum(ref.at("log_hr")), tol::iterative));
  EXPECT_TRUE(near_rel(r.hr.se, test::jnum(ref.at("robust_se")), tol::iterative));
  EXPECT_TRUE(
      near_rel(std::sqrt(r.hr.fit.var(0, 0)), test::jnum(ref.at("naive_se")), tol::iterative));
  EXPECT_TRUE(near_rel(r.hr.lower, test::jnum(ref.at("hr_lower")), tol::iterative));
  EXPECT_TRUE(near_rel(r.hr.upper, test::jnum(ref.at("hr_upper")), tol::iterative));
  EXPECT_TRUE(near_rel(r.hr.p, test::jnum(ref.at("p")), tol::iterative));
}

INSTANTIATE_TEST_SUITE_P(Example, IpcwReference,
                         ::testing::Values(Case{"ipcw_stabilised", true, false, std::nullopt},
                                           Case{"ipcw_truncated_strata", true, true,
                                                std::make_pair(0.01, 0.99)},
                                           Case{"ipcw_unstabilised", false, false, std::nullopt}),
                         [](const auto& p) { return std::string(p.param.name); });

// By hand: one control subject, two intervals, the switching probability of the first p1 = 0.2
// gives the second interval weight 1 / (1 - 0.2) = 1.25 (unstabilised). Checked through the
// cumulative product on the example: the first row of every control subject has weight 1.
TEST(Ipcw, FirstRowOfEverySubjectHasWeightOne) {
  const auto ex = test::crossover_example();
  SwitchData d = ex.data;
  test::with_age(d, ex.age);
  const IpcwResult r = ipcw(d, example_intervals(ex), {.stabilised = false});
  for (std::size_t k = 0; k < r.rows.subject.size(); ++k)
    if (k == 0 || r.rows.subject[k] != r.rows.subject[k - 1]) {
      EXPECT_EQ(r.rows.weight[k], 1.0);
    }
}

TEST(Ipcw, BadTruncationIsAUsageError) {
  const auto ex = test::crossover_example();
  EXPECT_THROW(ipcw(ex.data, example_intervals(ex), {.truncate = std::make_pair(0.9, 0.1)}),
               UsageError);
}

}  // namespace
