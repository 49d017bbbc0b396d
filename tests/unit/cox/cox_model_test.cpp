// The model data of a Cox fit from a table and column roles (hazard/cox_model.hpp), fitted and
// compared with R's coxph on the same CSV files (tests/reference/cox/make_cox.R, cox_cli.json),
// and the rules of the assembly on small hand-written tables.
#include "hazard/cox_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/read.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;

hazard::Table table_of(const std::string& file) {
  return hazard::read_data(std::string(HAZARD_REFERENCE_DIR) + "/cox/" + file);
}

// element j of a reference vector (R's toJSON writes a vector of length 1 as a number)
double at(const nlohmann::json& v, std::size_t j) { return jnum(v.is_array() ? v[j] : v); }

void expect_matches(const hazard::CoxResult& r, const nlohmann::json& e) {
  const std::size_t p = e["coef"].is_array() ? e["coef"].size() : 1;
  ASSERT_EQ(r.terms.size(), p);
  for (std::size_t j = 0; j < p; ++j) {
    EXPECT_TRUE(near_rel(r.terms[j].coef, at(e["coef"], j), hazard::tol::iterative)) << j;
    EXPECT_TRUE(near_rel(r.terms[j].se, at(e["se"], j), hazard::tol::iterative)) << j;
    if (!e["robust_se"].is_null()) {
      EXPECT_TRUE(near_rel(r.terms[j].robust_se, at(e["robust_se"], j), hazard::tol::iterative))
          << j;
    }
  }
  EXPECT_TRUE(near_rel(r.loglik, jnum(e["loglik"][1]), hazard::tol::iterative));
  EXPECT_EQ(r.n, e["n"].get<std::size_t>());
}

}  // namespace

TEST(CoxModel, MatchesCoxphOnTheReferenceFiles) {
  const nlohmann::json ref = hazard::test::reference("cox/cox_cli.json");
  {  // coxph(Surv(time, status) ~ age + sex + ph.ecog, data = L)
    auto m = hazard::cox_model_data(
        table_of("lung.csv"),
        {.roles = {.time = "time", .event = "status"},
         .covariates = {{.column = "age"}, {.column = "sex"}, {.column = "ph.ecog"}}});
    EXPECT_EQ(m.model.names, (std::vector<std::string>{"age", "sex", "ph.ecog"}));
    EXPECT_EQ(m.data.excluded.count, 0u);  // make_cox.R wrote the complete cases
    expect_matches(hazard::cox_fit(m.model), ref["lung"]);
  }
  {  // coxph(Surv(time, status) ~ age + sex + strata(ph.ecog), weights = w, data = L)
    auto m = hazard::cox_model_data(
        table_of("lung.csv"),
        {.roles = {.time = "time", .event = "status", .strata = {"ph.ecog"}, .weights = "w"},
         .covariates = {{.column = "age"}, {.column = "sex"}}});
    expect_matches(hazard::cox_fit(m.model), ref["lung_strata_weights"]);
  }
  {  // coxph(Surv(start, stop, event) ~ rx + number + size, cluster = id, data = B)
    auto m = hazard::cox_model_data(
        table_of("bladder2.csv"),
        {.roles = {.time = "stop", .start = "start", .event = "event", .cluster = "id"},
         .covariates = {{.column = "rx"}, {.column = "number"}, {.column = "size"}}});
    EXPECT_EQ(m.model.cluster.size(), m.model.time.size());
    expect_matches(hazard::cox_fit(m.model), ref["bladder2_cluster"]);
  }
  {  // coxph(Surv(time, status) ~ x, data = A, ties = "exact"): the arm as --group
    auto m = hazard::cox_model_data(table_of("aml.csv"),
                                    {.roles = {.time = "time", .event = "status", .group = "x"}});
    EXPECT_EQ(m.model.names, (std::vector<std::string>{"x[Nonmaintained]"}));
    EXPECT_EQ(m.term_names, (std::vector<std::string>{"x"}));
    expect_matches(hazard::cox_fit(m.model, {.ties = hazard::Ties::exact}), ref["aml_exact"]);
  }
}

TEST(CoxModel, ArmFirstThenCovariatesWithTheirTerms) {
  const auto t = hazard::parse_csv(
      "t,e,arm,x,site,off\n1,1,B,0.5,s1,0.1\n2,0,A,1.5,s2,0.2\n3,1,C,-1,s3,0.3\n4,1,B,2,s1,0.4\n"
      "5,0,A,0,s2,0.5\n6,1,C,1,s3,0.6\n",
      "d.csv");
  auto m = hazard::cox_model_data(
      t, {.roles = {.time = "t",
                    .event = "e",
                    .group = "arm",
                    .ref = "B",
                    .offset = "off",
                    .cluster = "site"},
          .covariates = {{.column = "x"}, {.column = "arm"}, {.column = "site"}, {.column = "x"}}});
  EXPECT_EQ(m.model.names,
            (std::vector<std::string>{"arm[A]", "arm[C]", "x", "site[s2]", "site[s3]"}));
  EXPECT_EQ(m.term, (std::vector<std::size_t>{0, 0, 1, 2, 2}));
  EXPECT_EQ(m.term_names, (std::vector<std::string>{"arm", "x", "site"}));
  EXPECT_EQ(m.design.names, m.model.names);  // the whole design, the arm's columns first
  EXPECT_EQ(m.design.x.size(), 0);
  ASSERT_EQ(m.model.x.rows(), 6);
  // row 2 (arm A, x 1.5, site s2)
  EXPECT_EQ(m.model.x(1, 0), 1.0);
  EXPECT_EQ(m.model.x(1, 1), 0.0);
  EXPECT_EQ(m.model.x(1, 2), 1.5);
  EXPECT_EQ(m.model.x(1, 3), 1.0);
  EXPECT_EQ(m.model.offset, (std::vector<double>{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}));
  EXPECT_EQ(m.model.cluster, (std::vector<std::int32_t>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(m.model.time, (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(m.data.time.empty());  // moved into the model
}

TEST(CoxModel, RejectsAModelWithoutColumns) {
  const auto t = hazard::parse_csv("t,e,arm\n1,1,A\n2,0,A\n", "d.csv");
  EXPECT_THROW(hazard::cox_model_data(t, {.roles = {.time = "t", .event = "e"}}),
               hazard::UsageError);
  try {
    hazard::cox_model_data(t, {.roles = {.time = "t", .event = "e", .group = "arm"}});
    ADD_FAILURE() << "no error";
  } catch (const hazard::DataError& e) {  // one level: bad data (exit 3), as in every command
    EXPECT_NE(std::string(e.what()).find("--group arm has 1 level in the analysed rows"), std::string::npos)
        << e.what();
  }
}

namespace {

// The releasing forms (cox_model_data_releasing, cox_fit_releasing) against the keeping ones on
// the same table and model: the same design matrix and fit to the bit (the kernel's copy of the
// covariates is the same expression of the same values), the linear predictor equal up to
// rounding (computed from the centred copy when the design is consumed), the table's columns and
// the model data emptied.
// the same double, NaN included (a robust SE that was not asked for)
bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

void expect_releasing_same(const std::string& file, const hazard::CoxModelSpec& spec,
                           const hazard::CoxOptions& opt = {}) {
  SCOPED_TRACE(file);
  const hazard::Table keep = table_of(file);
  hazard::Table released = keep;
  const hazard::CoxModelData a = hazard::cox_model_data(keep, spec);
  hazard::CoxModelData b = hazard::cox_model_data_releasing(released, spec);
  for (const hazard::Column& c : released.columns) {
    EXPECT_TRUE(c.numbers.empty() && c.codes.empty()) << c.name;
    EXPECT_FALSE(c.name.empty());
  }
  ASSERT_EQ(a.model.x.rows(), b.model.x.rows());
  ASSERT_EQ(a.model.x.cols(), b.model.x.cols());
  EXPECT_TRUE(a.model.x == b.model.x);
  EXPECT_EQ(a.model.names, b.model.names);
  EXPECT_EQ(a.term, b.term);
  EXPECT_EQ(a.model.time, b.model.time);
  EXPECT_EQ(a.model.status, b.model.status);

  const hazard::CoxResult ra = hazard::cox_fit(a.model, opt);
  const hazard::CoxResult rb = hazard::cox_fit_releasing(b.model, opt);
  EXPECT_EQ(b.model.x.size(), 0);
  EXPECT_TRUE(b.model.time.empty() && b.model.status.empty() && b.model.weight.empty() &&
              b.model.stratum.empty() && b.model.cluster.empty());
  ASSERT_EQ(ra.terms.size(), rb.terms.size());
  for (std::size_t j = 0; j < ra.terms.size(); ++j) {
    EXPECT_PRED2(same, ra.terms[j].coef, rb.terms[j].coef) << j;
    EXPECT_PRED2(same, ra.terms[j].se, rb.terms[j].se) << j;
    EXPECT_PRED2(same, ra.terms[j].robust_se, rb.terms[j].robust_se) << j;
  }
  EXPECT_PRED2(same, ra.loglik, rb.loglik);
  EXPECT_PRED2(same, ra.loglik0, rb.loglik0);
  EXPECT_PRED2(same, ra.score.stat, rb.score.stat);
  EXPECT_PRED2(same, ra.wald.stat, rb.wald.stat);
  EXPECT_EQ(ra.iterations, rb.iterations);
  ASSERT_EQ(ra.linear_predictor.size(), rb.linear_predictor.size());
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < ra.linear_predictor.size(); ++i) {
    worst = std::max(worst, std::fabs(ra.linear_predictor[i] - rb.linear_predictor[i]));
    scale = std::max(scale, std::fabs(ra.linear_predictor[i]));
  }
  EXPECT_LE(worst, hazard::tol::distributed * std::max(scale, 1.0));
  EXPECT_EQ(ra.concordance.concordant, rb.concordance.concordant);
  EXPECT_EQ(ra.concordance.discordant, rb.concordance.discordant);
  EXPECT_EQ(ra.concordance.tied_x, rb.concordance.tied_x);
  EXPECT_NEAR(ra.concordance.std_err, rb.concordance.std_err, hazard::tol::distributed);
}

}  // namespace

TEST(CoxModel, ReleasingFormsAreTheKeepingFormsAndMatchCoxph) {
  const nlohmann::json ref = hazard::test::reference("cox/cox_cli.json");
  // R's cases above, now through the releasing forms
  {
    hazard::Table t = table_of("lung.csv");
    auto m = hazard::cox_model_data_releasing(
        t, {.roles = {.time = "time", .event = "status"},
            .covariates = {{.column = "age"}, {.column = "sex"}, {.column = "ph.ecog"}}});
    expect_matches(hazard::cox_fit_releasing(m.model), ref["lung"]);
  }
  {
    hazard::Table t = table_of("aml.csv");
    auto m = hazard::cox_model_data_releasing(
        t, {.roles = {.time = "time", .event = "status", .group = "x"}});
    expect_matches(hazard::cox_fit_releasing(m.model, {.ties = hazard::Ties::exact}),
                   ref["aml_exact"]);
  }
  {  // robust (clusters) and (start, stop]: the design is read after the fit, so it is not consumed
    hazard::Table t = table_of("bladder2.csv");
    auto m = hazard::cox_model_data_releasing(
        t, {.roles = {.time = "stop", .start = "start", .event = "event", .cluster = "id"},
            .covariates = {{.column = "rx"}, {.column = "number"}, {.column = "size"}}});
    expect_matches(hazard::cox_fit_releasing(m.model), ref["bladder2_cluster"]);
  }
  // against the keeping forms: Efron, Breslow and exact; strata and weights; a factor arm, a
  // categorical covariate and interactions (a numeric variable read by two model columns)
  expect_releasing_same(
      "lung.csv", {.roles = {.time = "time", .event = "status"},
                   .covariates = {{.column = "age"}, {.column = "sex"}, {.column = "ph.ecog"}}});
  expect_releasing_same(
      "lung.csv",
      {.roles = {.time = "time", .event = "status", .strata = {"ph.ecog"}, .weights = "w"},
       .covariates = {{.column = "age"}, {.column = "sex"}}},
      {.ties = hazard::Ties::breslow});
  expect_releasing_same("veteran.csv",
                        {.roles = {.time = "time", .event = "status", .group = "trt"},
                         .model = hazard::parse_model_terms({"celltype", "karno*age"}, "trt")});
  expect_releasing_same("veteran.csv",
                        {.roles = {.time = "time", .event = "status"},
                         .model = hazard::parse_model_terms({"karno:age", "karno", "diagtime"})});
  expect_releasing_same("aml.csv", {.roles = {.time = "time", .event = "status", .group = "x"}},
                        {.ties = hazard::Ties::exact});
  expect_releasing_same(
      "bladder2.csv",
      {.roles = {.time = "stop", .start = "start", .event = "event", .cluster = "id"},
       .covariates = {{.column = "rx"}, {.column = "number"}, {.column = "size"}}});
}
