// Tests of src/km/stratified_comparison.cpp (stratified_rmst_test, stratified_milestone_test)
// against R survival (tests/reference/nph/make_stratified_rmst.R): per stratum
// summary(survfit, rmean = tau) or summary(survfit, times = t, extend = TRUE), combined by hand
// with inverse-variance and size weights, on lung (strata ph.ecog, with case weights too), veteran
// (celltype) and colon (node4; sex and node4).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/nph.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::near_rel;
using nlohmann::json;

// The rows the case's CLI flags select.
hazard::SurvData load(const json& c) {
  const auto cli = c.at("cli").get<std::vector<std::string>>();
  hazard::Roles roles;
  for (std::size_t k = 0; k + 1 < cli.size(); ++k) {
    const std::string& f = cli[k];
    const std::string& v = cli[k + 1];
    if (f == "--time") roles.time = v;
    if (f == "--group") roles.group = v;
    if (f == "--ref") roles.ref = v;
    if (f == "--weights") roles.weights = v;
    if (f == "--where") roles.where.push_back(hazard::parse_where(v));
    if (f == "--strata") {
      std::size_t b = 0;
      while (true) {
        const std::size_t e = v.find(',', b);
        roles.strata.push_back(v.substr(b, e - b));
        if (e == std::string::npos) break;
        b = e + 1;
      }
    }
    if (f == "--event") {
      const auto eq = v.find('=');
      roles.event = v.substr(0, eq);
      if (eq != std::string::npos) {
        roles.event_value = v.substr(eq + 1);
        roles.coding = hazard::EventCoding::equals;
      }
    }
  }
  const hazard::Table t = hazard::read_csv(std::string(HAZARD_REFERENCE_DIR) + "/nph/" +
                                           c.at("file").get<std::string>());
  return hazard::build_surv_data(t, roles);
}

void expect_near(double mine, const json& ref, const char* what) {
  EXPECT_TRUE(near_rel(mine, ref.get<double>(), hazard::tol::closed_form))
      << what << ": " << mine << " vs " << ref;
}

TEST(StratifiedComparison, AgreesWithSurvfitPerStratumCombinedByHand) {
  const json ref = hazard::test::reference("nph/stratified_rmst.json");
  ASSERT_GE(ref.at("cases").size(), 16u);
  std::size_t beyond = 0;
  for (const json& c : ref.at("cases")) {
    const std::string name =
        c.at("test").get<std::string>() + ":" + c.at("name").get<std::string>();
    SCOPED_TRACE(name);
    const hazard::SurvData d = load(c);
    const bool rmst = c.at("test") == "rmst";
    for (const char* key : {"ivw", "size"}) {
      SCOPED_TRACE(key);
      const hazard::StratifiedTestOptions o{.weights = hazard::parse_stratum_weights(key)};
      const double t = c.at("time").get<double>();
      const hazard::StratifiedTest r =
          rmst ? hazard::stratified_rmst_test(d, t, o) : hazard::stratified_milestone_test(d, t, o);
      EXPECT_EQ(r.n, c.at("n").get<std::size_t>());
      const json& rs = c.at("strata");
      ASSERT_EQ(r.strata.size(), rs.size());
      // R lists the strata by their sorted values; hazard by its level order: match by label
      std::map<std::string, const json*> by_label;
      for (const json& s : rs) by_label[s.at("stratum").get<std::string>()] = &s;
      const json& comb = c.at(key);
      for (std::size_t k = 0; k < r.strata.size(); ++k) {
        const auto& st = r.strata[k];
        ASSERT_TRUE(by_label.count(st.stratum)) << st.stratum;
        const json& s = *by_label[st.stratum];
        std::size_t index = 0;
        while (rs[index].at("stratum") != st.stratum) ++index;
        EXPECT_EQ(st.n, s.at("n").get<std::size_t>());
        EXPECT_EQ(st.reference.n, s.at("n_arm")[0].get<std::size_t>());
        expect_near(st.reference.estimate, s.at("estimate")[0], "estimate 0");
        expect_near(st.comparison.estimate, s.at("estimate")[1], "estimate 1");
        expect_near(st.reference.std_err, s.at("std_err_arm")[0], "se 0");
        expect_near(st.comparison.std_err, s.at("std_err_arm")[1], "se 1");
        if (!rmst) {
          expect_near(st.reference.n_risk, s.at("n_risk")[0], "n_risk 0");
          expect_near(st.comparison.n_risk, s.at("n_risk")[1], "n_risk 1");
        }
        expect_near(st.difference, s.at("difference"), "stratum difference");
        expect_near(st.std_err, s.at("se"), "stratum se");
        expect_near(st.weight, comb.at("weights")[index], "weight");
        const bool past =
            t > s.at("last_time")[0].get<double>() || t > s.at("last_time")[1].get<double>();
        EXPECT_EQ(st.beyond_last_time, past);
        beyond += past ? 1 : 0;
      }
      expect_near(r.combined.difference, comb.at("difference"), "difference");
      expect_near(r.combined.std_err, comb.at("std_err"), "std_err");
      expect_near(r.combined.lower, comb.at("lower"), "lower");
      expect_near(r.combined.upper, comb.at("upper"), "upper");
      expect_near(r.combined.z, comb.at("z"), "z");
      expect_near(r.combined.p, comb.at("p"), "p");
      expect_near(r.combined.p_one_sided, comb.at("p_one_sided"), "p_one_sided");
    }
  }
  EXPECT_GT(beyond, 0u);  // the references hold strata where tau is past an arm's last time
}

// One stratum: the unstratified test's numbers.
TEST(StratifiedComparison, OneStratumIsTheUnstratifiedTest) {
  hazard::SurvData d;
  d.time = {1, 2, 3, 4, 5, 6, 7, 8};
  d.status = {1, 1, 0, 1, 1, 1, 0, 1};
  d.group = {0, 1, 0, 1, 0, 1, 0, 1};
  d.group_levels = {"A", "B"};
  d.group_name = "arm";
  hazard::SurvData s = d;
  s.stratum.assign(8, 0);
  s.strata_levels = {"x=1"};
  const auto u = hazard::rmst_test(d, 6.5);
  const auto st = hazard::stratified_rmst_test(s, 6.5);
  EXPECT_DOUBLE_EQ(st.combined.difference, u.difference.estimate);
  EXPECT_DOUBLE_EQ(st.combined.std_err, u.difference.std_err);
  const auto m = hazard::milestone_test(d, 4.5);
  const auto sm =
      hazard::stratified_milestone_test(s, 4.5, {.weights = hazard::StratumWeights::size});
  EXPECT_DOUBLE_EQ(sm.combined.difference, m.difference);
  EXPECT_DOUBLE_EQ(sm.combined.std_err, m.std_err);
  EXPECT_DOUBLE_EQ(sm.combined.p, m.p);
}

TEST(StratifiedComparison, ErrorsNameTheStratum) {
  hazard::SurvData d;
  d.source = "t.csv";
  d.time = {1, 2, 3, 4, 5, 6};
  d.status = {1, 1, 1, 1, 1, 1};
  d.group = {0, 1, 0, 1, 0, 0};
  d.group_levels = {"A", "B"};
  d.group_name = "arm";
  EXPECT_THROW(hazard::stratified_rmst_test(d, 3.0), hazard::UsageError);  // no strata
  d.stratum = {0, 0, 0, 0, 1, 1};
  d.strata_levels = {"s=1", "s=2"};
  try {
    hazard::stratified_rmst_test(d, 3.0);
    FAIL() << "no error";
  } catch (const hazard::DataError& e) {
    EXPECT_NE(e.message().find("stratum s=2 has no rows of arm=B"), std::string::npos)
        << e.message();
  }
  d.group = {0, 1, 0, 1, 0, 1};
  EXPECT_THROW(hazard::stratified_rmst_test(d, 0.0), hazard::UsageError);
  EXPECT_THROW(hazard::stratified_milestone_test(d, -1.0), hazard::UsageError);
  // t = 0.5: before every event, no SE in any stratum
  try {
    hazard::stratified_milestone_test(d, 0.5);
    FAIL() << "no error";
  } catch (const hazard::NumericalError& e) {
    EXPECT_NE(
        std::string(e.what()).find("stratum s=1: the milestone difference has standard error 0"),
        std::string::npos)
        << e.what();
  }
  EXPECT_THROW(hazard::stratified_milestone_test(d, 0.5, {.weights = hazard::StratumWeights::size}),
               hazard::NumericalError);
}

}  // namespace
