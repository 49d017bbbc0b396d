// Tests of src/logrank/logrank.cpp against R (tests/reference/logrank/make_logrank.R): survdiff for
// rho, survMisc::comp / an independent R implementation for gamma, the coxph score test for case
// weights, on lung, veteran, ovarian, aml and hand-built edge cases; and RADIANT-4.
#include "hazard/logrank.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"
#include "util/timefix.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;
using nlohmann::json;

struct CaseData {
  std::vector<double> time;
  std::vector<std::uint8_t> status;
  std::vector<std::int32_t> group;
  std::vector<std::int32_t> stratum;
  std::vector<double> weight;
  std::size_t n_groups = 0;

  hazard::LogrankInput input() const {
    return {.time = time,
            .status = status,
            .group = group,
            .stratum = stratum,
            .weight = weight,
            .n_groups = n_groups};
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
  d.n_groups = c.at("groups").size();
  return d;
}

hazard::LogrankOptions case_options(const json& c) {
  return {.rho = c.at("rho").get<double>(), .gamma = c.at("gamma").get<double>()};
}

const json& cases() {
  static const json ref = hazard::test::reference("logrank/logrank.json");
  return ref.at("cases");
}

// Compares everything the reference holds: counts exactly, the rest to closed_form.
void expect_matches(const json& c, const hazard::LogrankStats& s, const hazard::LogrankTest& t) {
  const double tol = hazard::tol::closed_form;
  const std::size_t K = c.at("groups").size();
  ASSERT_EQ(s.n_groups, K);
  for (std::size_t k = 0; k < K; ++k) {
    EXPECT_EQ(s.n[k], c.at("n_per_group")[k].get<std::size_t>()) << "group " << k;
    EXPECT_TRUE(near_rel(s.observed[k], jnum(c.at("observed")[k]), tol)) << "observed " << k;
    EXPECT_TRUE(near_rel(s.expected[k], jnum(c.at("expected")[k]), tol)) << "expected " << k;
    for (std::size_t j = 0; j < K; ++j)
      EXPECT_TRUE(near_rel(s.var(k, j), jnum(c.at("variance")[k][j]), tol))
          << "V " << k << "," << j;
  }
  // weights far from 1 are scaled by the largest (issue 19): the same scale as the reference
  const double scale = c.contains("weight_log_scale") ? jnum(c.at("weight_log_scale")) : 0.0;
  EXPECT_TRUE(scale == 0.0 ? s.weight_log_scale == 0.0 : near_rel(s.weight_log_scale, scale, tol))
      << "weight_log_scale " << s.weight_log_scale;
  EXPECT_EQ(t.df, c.at("df").get<int>());
  EXPECT_TRUE(near_rel(t.chisq, jnum(c.at("chisq")), tol)) << "chisq";
  EXPECT_TRUE(near_rel(t.p, jnum(c.at("p")), tol)) << "p";
  EXPECT_TRUE(near_rel(t.z, jnum(c.at("z")), tol)) << "z";
  EXPECT_TRUE(near_rel(t.p_one_sided, jnum(c.at("p_one_sided")), tol)) << "p_one_sided";
  if (c.contains("observed_by_stratum")) {
    const json& os = c.at("observed_by_stratum");
    const json& es = c.at("expected_by_stratum");
    ASSERT_EQ(s.strata.size(), os.size());
    for (std::size_t st = 0; st < os.size(); ++st)
      for (std::size_t k = 0; k < K; ++k) {
        EXPECT_TRUE(near_rel(s.observed_by_stratum[st * K + k], jnum(os[st][k]), tol));
        EXPECT_TRUE(near_rel(s.expected_by_stratum[st * K + k], jnum(es[st][k]), tol));
      }
  }
}

TEST(Logrank, ReferenceFileHasTheRequiredCases) {
  std::vector<std::string> names;
  for (const auto& c : cases()) names.push_back(c.at("name").get<std::string>());
  for (const char* required :
       {"lung_sex", "lung_sex_strata_ecog", "lung_sex_rho1", "veteran_trt",
        "veteran_trt_strata_celltype", "veteran_celltype", "ovarian_rx", "aml_x",
        "edge_b_all_censored", "edge_ties", "edge_one_subject_stratum", "edge_three_groups",
        "edge_zero_expected_group", "lung_sex_fh_0_1", "lung_sex_weights",
        // more groups than the direct O(K^2)-per-time variance update takes (issue 19)
        "many_groups", "many_groups_strata_rho1", "many_groups_strata_weights",
        "many_groups_strata_fh_0.5_1",
        // |rho| so large that the weights are scaled (survdiff fails at -200)
        "lung_sex_rho_minus100", "lung_sex_rho_minus200"})
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required;
}

class LogrankReference : public ::testing::TestWithParam<std::size_t> {};

TEST_P(LogrankReference, MatchesR) {
  const json& c = cases()[GetParam()];
  SCOPED_TRACE(c.at("name").get<std::string>() + ": " + c.at("call").get<std::string>());
  const CaseData d = case_data(c);
  const auto stats = hazard::logrank_stats(d.input(), case_options(c));
  EXPECT_EQ(stats.weighted, c.at("weighted").get<bool>());
  expect_matches(c, stats, hazard::logrank_test(stats));
}

const std::vector<std::string>& case_names() {
  return hazard::test::reference_names("logrank/logrank.json", "cases");
}

std::string case_name(const ::testing::TestParamInfo<std::size_t>& info) {
  return hazard::test::gtest_name(case_names()[info.param]);
}

INSTANTIATE_TEST_SUITE_P(AllCases, LogrankReference,
                         ::testing::Range<std::size_t>(0, case_names().size()), case_name);

// The same rows in another order give the same answer (the kernel sorts), and a reused
// workspace gives the same answer as a fresh one.
TEST(Logrank, OrderAndWorkspaceDoNotMatter) {
  hazard::LogrankWorkspace ws;
  hazard::LogrankStats reused;
  std::mt19937 rng(20261125);
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const CaseData d = case_data(c);
    std::vector<std::size_t> perm(d.time.size());
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::shuffle(perm.begin(), perm.end(), rng);
    CaseData p = d;
    for (std::size_t i = 0; i < perm.size(); ++i) {
      p.time[i] = d.time[perm[i]];
      p.status[i] = d.status[perm[i]];
      p.group[i] = d.group[perm[i]];
      if (!d.stratum.empty()) p.stratum[i] = d.stratum[perm[i]];
      if (!d.weight.empty()) p.weight[i] = d.weight[perm[i]];
    }
    hazard::logrank_stats(p.input(), case_options(c), reused, ws);
    expect_matches(c, reused, hazard::logrank_test(reused));
  }
}

// Large inputs take the radix-sort path, small ones std::sort: a stratified data set above the
// threshold must give the sum of its strata computed one by one (each below it). Times include
// -0.0 and +0.0 (one tied block) and negative values, which the radix key must order correctly.
TEST(Logrank, RadixSortPathMatchesStdSortPath) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> tick(-30, 400), coin(0, 1), site(0, 2), arm(0, 2);
  CaseData all;
  std::vector<CaseData> by(3);
  for (int i = 0; i < 5000; ++i) {
    double t = tick(rng) / 4.0;
    if (t == 0.0 && coin(rng) == 1) t = -0.0;
    const auto st = static_cast<std::uint8_t>(coin(rng));
    const std::int32_t g = arm(rng), s = site(rng);
    for (CaseData* d : {&all, &by[static_cast<std::size_t>(s)]}) {
      d->time.push_back(t);
      d->status.push_back(st);
      d->group.push_back(g);
    }
    all.stratum.push_back(s);
  }
  for (auto* d : {&all, &by[0], &by[1], &by[2]}) d->n_groups = 3;
  for (double rho : {0.0, 1.0}) {
    const hazard::LogrankOptions o{.rho = rho, .gamma = 0.5};
    const auto a = hazard::logrank_stats(all.input(), o);
    std::vector<double> O(3, 0.0), E(3, 0.0), V(9, 0.0);
    for (const auto& d : by) {
      ASSERT_LT(d.time.size(), 2048u);
      const auto b = hazard::logrank_stats(d.input(), o);
      for (std::size_t k = 0; k < 3; ++k) {
        O[k] += b.observed[k];
        E[k] += b.expected[k];
      }
      for (std::size_t k = 0; k < 9; ++k) V[k] += b.variance[k];
    }
    for (std::size_t k = 0; k < 3; ++k) {
      EXPECT_TRUE(near_rel(a.observed[k], O[k], hazard::tol::closed_form));
      EXPECT_TRUE(near_rel(a.expected[k], E[k], hazard::tol::closed_form));
    }
    for (std::size_t k = 0; k < 9; ++k)
      EXPECT_TRUE(near_rel(a.variance[k], V[k], hazard::tol::closed_form));
  }
}

// Two groups: chisq is z^2 and the one-sided p is Phi(z).
TEST(Logrank, TwoGroupChisqIsZSquared) {
  for (const auto& c : cases()) {
    if (c.at("groups").size() != 2) continue;
    SCOPED_TRACE(c.at("name").get<std::string>());
    const CaseData d = case_data(c);
    const auto t = hazard::logrank_test(hazard::logrank_stats(d.input(), case_options(c)));
    EXPECT_TRUE(near_rel(t.z * t.z, t.chisq, hazard::tol::closed_form));
    EXPECT_EQ(t.p_one_sided < 0.5, t.z < 0.0);
  }
}

// Integer case weights are replicated rows (for the Breslow-variance weighted test).
TEST(Logrank, IntegerWeightsEqualReplicatedRows) {
  const CaseData d = case_data(*std::find_if(
      cases().begin(), cases().end(), [](const json& c) { return c.at("name") == "lung_sex"; }));
  CaseData w = d, x;
  for (std::size_t i = 0; i < d.time.size(); ++i) {
    const int m = 1 + static_cast<int>(i % 3);
    w.weight.push_back(m);
    for (int r = 0; r < m; ++r) {
      x.time.push_back(d.time[i]);
      x.status.push_back(d.status[i]);
      x.group.push_back(d.group[i]);
      x.weight.push_back(1.0);
    }
  }
  for (double rho : {0.0, 1.0}) {
    const hazard::LogrankOptions o{.rho = rho, .gamma = rho};
    const auto a = hazard::logrank_stats(w.input(), o);
    const auto b = hazard::logrank_stats(x.input(), o);
    for (std::size_t k = 0; k < 2; ++k) {
      EXPECT_TRUE(near_rel(a.observed[k], b.observed[k], hazard::tol::closed_form));
      EXPECT_TRUE(near_rel(a.expected[k], b.expected[k], hazard::tol::closed_form));
      EXPECT_TRUE(near_rel(a.var(k, k), b.var(k, k), hazard::tol::closed_form));
    }
  }
}

// Far tails: p and the one-sided p come from complements and stay accurate down to 1e-198
// (R's pchisq(lower.tail = FALSE) and pnorm, recorded in logrank.json "tails").
TEST(Logrank, TinyPValuesStayAccurate) {
  const json ref = hazard::test::reference("logrank/logrank.json");
  const json& tails = ref.at("tails");
  ASSERT_FALSE(tails.empty());
  for (const auto& t : tails) {
    SCOPED_TRACE(t.at("call").get<std::string>());
    const auto K = t.at("n_groups").get<std::size_t>();
    const double u = t.at("o_minus_e").get<double>(), v = t.at("variance").get<double>();
    hazard::LogrankStats s;
    s.n_groups = K;
    s.n.assign(K, 1);
    s.expected.assign(K, 100.0);
    s.observed.assign(K, 100.0);
    s.observed[0] -= u;
    s.observed[1] += u;
    if (K == 2) {
      s.variance = {v, -v, -v, v};
    } else {
      s.variance = {2 * v, -v, -v, -v, v, 0, -v, 0, v};  // reduced block diag(v, v)
    }
    const auto r = hazard::logrank_test(s);
    EXPECT_EQ(r.df, t.at("df").get<int>());
    EXPECT_TRUE(near_rel(r.chisq, jnum(t.at("chisq")), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.p, jnum(t.at("p")), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.z, jnum(t.at("z")), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(r.p_one_sided, jnum(t.at("p_one_sided")), hazard::tol::closed_form));
  }
}

// Everything censored: no information; chisq 0 on 0 df, p 1, z undefined. (survdiff returns
// chisq 0 with df -1 here; hazard reports df 0, see docs/methods/logrank.md.)
TEST(Logrank, EverythingCensored) {
  const std::vector<double> time{1, 2, 3, 4};
  const std::vector<std::uint8_t> status{0, 0, 0, 0};
  const std::vector<std::int32_t> group{0, 1, 0, 1};
  const auto s = hazard::logrank_stats({.time = time, .status = status, .group = group});
  for (std::size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(s.observed[k], 0.0);
    EXPECT_EQ(s.expected[k], 0.0);
  }
  const auto t = hazard::logrank_test(s);
  EXPECT_EQ(t.chisq, 0.0);
  EXPECT_EQ(t.df, 0);
  EXPECT_EQ(t.p, 1.0);
  EXPECT_TRUE(std::isnan(t.z));
  EXPECT_TRUE(std::isnan(t.p_one_sided));
}

// A tiny case worked by hand. Times 1 (A dies), 2 (B dies), 3 (A censored), 4 (B dies).
// t=1: n=4, nA=2, d=1: E_A += 1/2, V += 1*(3/3)*(1/2)(1/2) = 1/4
// t=2: n=3, nA=1, d=1 (B): E_A += 1/3, V += (2/2)*(1/3)(2/3) = 2/9
// t=4: n=1, nA=0: E_A += 0, no variance. O_A = 1, E_A = 5/6, V = 17/36.
TEST(Logrank, HandWorked) {
  const std::vector<double> time{1, 2, 3, 4};
  const std::vector<std::uint8_t> status{1, 1, 0, 1};
  const std::vector<std::int32_t> group{0, 1, 0, 1};
  const auto s = hazard::logrank_stats({.time = time, .status = status, .group = group});
  EXPECT_TRUE(near_rel(s.observed[0], 1.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(s.expected[0], 5.0 / 6.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(s.var(0, 0), 17.0 / 36.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(s.var(0, 1), -17.0 / 36.0, hazard::tol::closed_form));
  const auto t = hazard::logrank_test(s);
  // z of group B: (2 - 13/6) / sqrt(17/36)
  EXPECT_TRUE(near_rel(t.z, (-1.0 / 6.0) / std::sqrt(17.0 / 36.0), hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(t.chisq, (1.0 / 36.0) / (17.0 / 36.0), hazard::tol::closed_form));
  // FH(0, 1): weights 1 - S(t-) = 0, 1/4, 1/2 (S = 1, 3/4, 3/4 * 2/3 = 1/2).
  const auto f = hazard::logrank_stats({.time = time, .status = status, .group = group},
                                       {.rho = 0.0, .gamma = 1.0});
  EXPECT_TRUE(near_rel(f.observed[1], 0.25 + 0.5, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(f.expected[0], 0.25 / 3.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(f.var(0, 0), 0.0625 * 2.0 / 9.0, hazard::tol::closed_form));
}

// print.survdiff's columns on the hand-worked case above: O - E = 1/6 (A), -1/6 (B);
// (O - E)^2 / E = (1/36) / (5/6) and (1/36) / (13/6); (O - E)^2 / V = (1/36) / (17/36) for both.
TEST(Logrank, GroupColumnsAsPrintSurvdiff) {
  const std::vector<double> time{1, 2, 3, 4};
  const std::vector<std::uint8_t> status{1, 1, 0, 1};
  const std::vector<std::int32_t> group{0, 1, 0, 1};
  const auto c = hazard::logrank_group_columns(
      hazard::logrank_stats({.time = time, .status = status, .group = group}));
  ASSERT_EQ(c.o_minus_e.size(), 2u);
  EXPECT_TRUE(near_rel(c.o_minus_e[0], 1.0 / 6.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(c.o_minus_e[1], -1.0 / 6.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(c.oe2_over_e[0], (1.0 / 36.0) / (5.0 / 6.0), hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(c.oe2_over_e[1], (1.0 / 36.0) / (13.0 / 6.0), hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(c.oe2_over_v[0], 1.0 / 17.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(c.oe2_over_v[1], 1.0 / 17.0, hazard::tol::closed_form));
}

TEST(Logrank, BadInputIsRejected) {
  const std::vector<double> time{1, 2, 3};
  const std::vector<std::uint8_t> status{1, 1, 0};
  const std::vector<std::int32_t> group{0, 1, 2};
  const std::vector<std::int32_t> short_group{0, 1};
  const std::vector<std::int32_t> negative_stratum{0, -1, 0};
  const std::vector<double> negative_weight{1, -1, 1};
  EXPECT_THROW(hazard::logrank_stats({.time = time, .status = status, .group = short_group}),
               std::invalid_argument);
  EXPECT_THROW(
      hazard::logrank_stats({.time = time, .status = status, .group = group, .n_groups = 2}),
      std::invalid_argument);
  EXPECT_THROW(hazard::logrank_stats(
                   {.time = time, .status = status, .group = group, .stratum = negative_stratum}),
               std::invalid_argument);
  EXPECT_THROW(hazard::logrank_stats(
                   {.time = time, .status = status, .group = group, .weight = negative_weight}),
               std::invalid_argument);
  EXPECT_THROW(hazard::logrank_stats({.time = time, .status = status, .group = group},
                                     {.rho = 0.0, .gamma = -1.0}),
               std::invalid_argument);
  EXPECT_THROW(hazard::logrank_stats({.time = time, .status = status, .group = group},
                                     {.rho = std::nan(""), .gamma = 0.0}),
               std::invalid_argument);
}

TEST(Logrank, SurvDataFrontEnd) {
  hazard::SurvData d;
  d.time = {1, 2, 3, 4};
  d.status = {1, 1, 0, 1};
  EXPECT_THROW(hazard::logrank(d), hazard::UsageError);  // no group
  d.group = {0, 0, 0, 0};
  d.group_levels = {"A", "B"};
  EXPECT_THROW(hazard::logrank(d), hazard::DataError);  // B has no rows: one level, bad data (exit 3)
  d.group = {0, 1, 0, 1};
  EXPECT_THROW(hazard::logrank(d, {.rho = 0.0, .gamma = -0.5}), hazard::UsageError);
  const auto r = hazard::logrank(d);
  EXPECT_EQ(r.n, 4u);
  EXPECT_TRUE(near_rel(r.stats.expected[0], 5.0 / 6.0, hazard::tol::closed_form));
}

// Without case weights (rho = gamma = 0, up to 8 groups, times >= 0) logrank_stats sorts each
// (stratum, group) cell as 8-byte keys and merges a stratum's cells in its pass; frequencies, FH
// weights or negative times take the 16-byte records sorted by (stratum, time). Frequencies of 1
// are the unweighted test of the same rows (survdiff's variance), so the two paths must agree
// bit for bit, here on ties across groups, gaps in the stratum codes, 300 strata, a group without
// rows, one row, everything censored, 8 groups, and sizes that use the two-thread split and sort.
TEST(Logrank, PackedPathMatchesTheRowPath) {
  struct Spec {
    std::size_t n;
    std::size_t groups;
    std::vector<std::int32_t> strata;  // codes drawn from; empty = no stratum column
    int ticks;                         // times on a grid of this many values (0: continuous)
    double censored;                   // share of censored rows
    bool empty_group;                  // group 1 gets no rows
  };
  std::vector<std::int32_t> many_strata(300);  // 600 cells of ~170 rows
  std::iota(many_strata.begin(), many_strata.end(), 0);
  const std::vector<Spec> specs{{1, 2, {}, 10, 0.3, false},
                                {2, 2, {}, 1, 0.0, false},
                                {50, 2, {}, 5, 1.0, false},
                                {3000, 3, {0, 2, 5}, 40, 0.3, true},
                                {100000, 2, {}, 500, 0.3, false},
                                {100000, 8, {0, 1, 2, 3}, 200, 0.5, false},
                                {70000, 4, {3, 1}, 0, 0.2, false},
                                {40000, 2, {0, 1}, 3, 0.9, false},
                                {100000, 2, many_strata, 60, 0.3, false}};
  std::mt19937 rng(2026);
  hazard::LogrankWorkspace ws_packed, ws_rows;
  for (const Spec& sp : specs) {
    SCOPED_TRACE("n = " + std::to_string(sp.n) + ", groups = " + std::to_string(sp.groups));
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::uniform_int_distribution<std::size_t> grp(0, sp.groups - 1), str(0, 1u << 20);
    CaseData d;
    d.n_groups = sp.groups;
    for (std::size_t i = 0; i < sp.n; ++i) {
      const double t = sp.ticks > 0 ? std::floor(u(rng) * sp.ticks) / 4.0
                                    : std::round(-std::log(u(rng)) * 1e4) / 1e3;
      d.time.push_back(t);
      d.status.push_back(u(rng) < sp.censored ? 0 : 1);
      std::size_t g = grp(rng);
      if (sp.empty_group && g == 1) g = 0;
      d.group.push_back(static_cast<std::int32_t>(g));
      if (!sp.strata.empty()) d.stratum.push_back(sp.strata[str(rng) % sp.strata.size()]);
    }
    hazard::LogrankStats a, b;
    hazard::logrank_stats(d.input(), {}, a, ws_packed);
    EXPECT_TRUE(ws_packed.packed);
    CaseData f = d;
    f.weight.assign(sp.n, 1.0);
    hazard::LogrankInput fin = f.input();
    fin.frequency = true;
    hazard::logrank_stats(fin, {}, b, ws_rows);
    EXPECT_FALSE(ws_rows.packed);
    EXPECT_EQ(a.n, b.n);
    EXPECT_EQ(a.observed, b.observed);
    EXPECT_EQ(a.expected, b.expected);
    EXPECT_EQ(a.variance, b.variance);
    EXPECT_EQ(a.strata, b.strata);
    EXPECT_EQ(a.n_by_stratum, b.n_by_stratum);
    EXPECT_EQ(a.observed_by_stratum, b.observed_by_stratum);
    EXPECT_EQ(a.expected_by_stratum, b.expected_by_stratum);
    EXPECT_EQ(a.weighted, b.weighted);
    const auto ta = hazard::logrank_test(a), tb = hazard::logrank_test(b);
    EXPECT_EQ(ta.df, tb.df);
    if (ta.df > 0) {
      EXPECT_EQ(ta.chisq, tb.chisq);
    }
  }
}

// The packed path by hand, with ties across groups and two strata (codes 0 and 3).
// Stratum 0: A 1 (dies), 2 (censored); B 1 (dies), 3 (dies).
//   t=1: n=4, n_A=2, d=2: E_A += 2 * 2/4 = 1, V += c (1/2)(1/2) with c = 2 * 2/3: 1/3
//   t=3: n=1 (B), d=1: E_B += 1, no variance (a risk set of one)
// Stratum 3: A 2 (dies); B 2 (censored). t=2: n=2, n_A=1, d=1: E_A += 1/2, V += 1 (1/2)(1/2).
// O_A = 2, E_A = 3/2, O_B = 2, E_B = 5/2, V_AA = 1/3 + 1/4 = 7/12.
TEST(Logrank, PackedPathHandWorkedWithTiesAndStrata) {
  const std::vector<double> time{1, 2, 1, 3, 2, 2};
  const std::vector<std::uint8_t> status{1, 0, 1, 1, 1, 0};
  const std::vector<std::int32_t> group{0, 0, 1, 1, 0, 1}, stratum{0, 0, 0, 0, 3, 3};
  hazard::LogrankWorkspace ws;
  hazard::LogrankStats s;
  hazard::logrank_stats({.time = time, .status = status, .group = group, .stratum = stratum}, {}, s,
                        ws);
  ASSERT_TRUE(ws.packed);
  EXPECT_EQ(s.n, (std::vector<std::size_t>{3, 3}));
  EXPECT_EQ(s.strata, (std::vector<std::int32_t>{0, 3}));
  EXPECT_EQ(s.n_by_stratum, (std::vector<std::size_t>{2, 2, 1, 1}));
  EXPECT_TRUE(near_rel(s.observed[0], 2.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(s.observed[1], 2.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(s.expected[0], 1.5, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(s.expected[1], 2.5, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(s.var(0, 0), 7.0 / 12.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(s.var(1, 0), -7.0 / 12.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(s.expected_by_stratum[0], 1.0, hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(s.expected_by_stratum[2], 0.5, hazard::tol::closed_form));
}

// The R reference cases without case weights and with rho = gamma = 0 (MatchesR above) run on the
// packed path; those with weights or FH weights on the 16-byte records.
TEST(Logrank, ReferenceCasesCoverBothPaths) {
  int packed = 0, rows = 0;
  for (const auto& c : cases()) {
    const CaseData d = case_data(c);
    hazard::LogrankWorkspace ws;
    hazard::LogrankStats s;
    hazard::logrank_stats(d.input(), case_options(c), s, ws);
    (ws.packed ? packed : rows) += 1;
    const hazard::LogrankOptions o = case_options(c);
    const bool can = d.weight.empty() && o.rho == 0.0 && o.gamma == 0.0 && d.n_groups <= 8 &&
                     std::all_of(d.time.begin(), d.time.end(), [](double t) { return t >= 0; });
    EXPECT_EQ(ws.packed, can) << c.at("name").get<std::string>();
  }
  EXPECT_GE(packed, 5);
  EXPECT_GE(rows, 5);
}

// R's timefix on the packed path: times a few ulps apart in different groups (one stratum, then
// across two strata) are merged, giving the test of the data written with equal times; without
// such times nothing is merged.
TEST(Logrank, TimefixOnThePackedPath) {
  for (bool strata : {false, true}) {
    SCOPED_TRACE(strata ? "two strata" : "one stratum");
    hazard::SurvData d;
    d.time = {7.6, 7.6000000000076, 9, 23.000000001, 23, 4, 12, 15};
    d.status = {1, 1, 0, 1, 1, 1, 0, 1};
    d.group = {0, 1, 0, 1, 0, 1, 0, 1};
    d.group_levels = {"A", "B"};
    if (strata) {
      d.stratum = {0, 0, 1, 1, 0, 1, 1, 0};
      d.strata_levels = {"x", "y"};
    }
    hazard::SurvData e = d;
    e.time = {7.6, 7.6, 9, 23, 23, 4, 12, 15};
    const auto r = hazard::logrank(d), q = hazard::logrank(e);
    EXPECT_TRUE(r.times_merged);
    EXPECT_FALSE(q.times_merged);
    EXPECT_EQ(r.stats.observed, q.stats.observed);
    EXPECT_EQ(r.stats.expected, q.stats.expected);
    EXPECT_EQ(r.stats.variance, q.stats.variance);
    const auto x = hazard::logrank(d, {.timefix = false});
    EXPECT_FALSE(x.times_merged);
    EXPECT_NE(x.stats.expected, q.stats.expected);
  }
}

// Times exactly at the boundary of aeqSurv's relative rule, where the check made during the
// pass cannot be certain (util/timefix.hpp, AeqScanDescending): logrank() then walks the sorted
// times in ascending order, and says "merged" exactly when aeq_surv changes a time.
TEST(Logrank, TimefixAtTheBoundaryOfTheRelativeRule) {
  // distinct times 1, 1 + 1e-7 and c: the gap 1e-7 merges once the mean of the three exceeds
  // 1e-7 / tol; c on either side of that boundary (by bisection on the doubles)
  auto merges = [](double c) {
    std::vector<double> t{1, 1 + 1e-7, c}, none;
    return hazard::detail::aeq_surv(t, none);
  };
  double lo = 2, hi = 100;
  while (std::nextafter(lo, hi) < hi) {
    const double mid = lo + (hi - lo) / 2;
    (merges(mid) ? hi : lo) = mid;
  }
  for (double c : {lo, hi}) {
    hazard::SurvData d;
    d.time = {1, 1 + 1e-7, c, 1, c};
    d.status = {1, 1, 1, 0, 1};
    d.group = {0, 1, 1, 0, 0};
    d.group_levels = {"A", "B"};
    EXPECT_EQ(hazard::logrank(d).times_merged, c == hi) << c;
  }
}

// RADIANT-4 PFS (kmdata reconstruction, ../shared/data): the whole library path (CSV reader,
// column roles, logrank) against survdiff on the same file, recorded by make_logrank.R in
// radiant4.json.
TEST(LogrankIntegration, Radiant4) {
  const std::string path = hazard::test::shared_file("published-curves/RADIANT4_2A.csv");
  if (path.empty()) GTEST_SKIP() << "../shared/data/published-curves/RADIANT4_2A.csv is absent";
  const json ref = hazard::test::reference("logrank/radiant4.json");
  const hazard::Table table = hazard::read_csv(path, {.columns = {"time", "event", "arm"}});
  const hazard::SurvData data =
      hazard::build_surv_data(table, {.time = "time", .event = "event", .group = "arm"});
  ASSERT_EQ(data.size(), ref.at("n").get<std::size_t>());
  ASSERT_EQ(data.group_levels, ref.at("groups").get<std::vector<std::string>>());
  const auto r = hazard::logrank(data);
  expect_matches(ref, r.stats, r.test);
}

}  // namespace

namespace {

// logrank_two_arm_sorted (the trial simulator's kernel) against R: every unweighted two-group
// log-rank case (rho = gamma = 0), rows put in time order (strata interleaved), O_1 - E_1 and V_11
// compared with survdiff's values.
TEST(LogrankTwoArmSorted, MatchesR) {
  std::vector<double> scratch;
  int checked = 0;
  for (const auto& c : cases()) {
    if (c.at("groups").size() != 2 || c.at("rho").get<double>() != 0 ||
        c.at("gamma").get<double>() != 0 || !c.at("data").at("weight").is_null())
      continue;
    SCOPED_TRACE(c.at("name").get<std::string>());
    const CaseData d = case_data(c);
    std::vector<std::size_t> o(d.time.size());
    std::iota(o.begin(), o.end(), std::size_t{0});
    std::stable_sort(o.begin(), o.end(),
                     [&](std::size_t a, std::size_t b) { return d.time[a] < d.time[b]; });
    CaseData s;
    std::size_t n_strata = 1;
    for (std::size_t i : o) {
      s.time.push_back(d.time[i]);
      s.status.push_back(d.status[i]);
      s.group.push_back(d.group[i]);
      if (!d.stratum.empty()) {
        s.stratum.push_back(d.stratum[i]);
        n_strata = std::max(n_strata, static_cast<std::size_t>(d.stratum[i]) + 1);
      }
    }
    const hazard::TwoArmLogrank r =
        hazard::logrank_two_arm_sorted(s.time, s.status, s.group, s.stratum, n_strata, scratch);
    const double oe = jnum(c.at("observed")[1]) - jnum(c.at("expected")[1]);
    EXPECT_NEAR(r.o_minus_e, oe, hazard::tol::closed_form * std::max(1.0, std::fabs(oe)));
    EXPECT_TRUE(near_rel(r.var, jnum(c.at("variance")[1][1]), hazard::tol::closed_form));
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

}  // namespace

// Issue 19: a K-group test costs O(K) per row, not O(K^2) per event time (4,000 groups took a
// minute and 1.4 GB before): 4,000 groups of two rows each, every row an event. The rows of V
// sum to zero (each group's score is balanced by the others), a property of the exact V.
TEST(Logrank, ManyGroupsCostLinearPerRow) {
  const std::size_t K = 4000, n = 2 * K;
  std::vector<double> time(n);
  std::vector<std::uint8_t> status(n, 1);
  std::vector<std::int32_t> group(n);
  for (std::size_t i = 0; i < n; ++i) {
    time[i] = static_cast<double>((i * 7919) % n);  // distinct times in a scrambled order
    group[i] = static_cast<std::int32_t>(i % K);
  }
  const auto start = std::chrono::steady_clock::now();
  const auto stats = hazard::logrank_stats({.time = time, .status = status, .group = group});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10.0) << "the O(D K^2) update took about a minute";
  double worst = 0.0;
  for (std::size_t j = 0; j < K; ++j) {
    double row = 0.0, scale = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      row += stats.var(j, k);
      scale += std::fabs(stats.var(j, k));
    }
    worst = std::max(worst, std::fabs(row) / scale);
  }
  EXPECT_LT(worst, hazard::tol::closed_form);
  EXPECT_GT(stats.var(0, 0), 0.0);
}
