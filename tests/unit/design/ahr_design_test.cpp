// The average-hazard-ratio design (src/design/ahr_design.cpp) against the AHR method written out
// in R (tests/reference/design/make_ahr.R, ahr.json), and hand cases.
#include "hazard/ahr_design.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/error.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

using hazard::test::near_rel;

namespace {

std::vector<double> vec(const nlohmann::json& j) {
  if (!j.is_array()) return {j.get<double>()};  // R's auto_unbox writes length-1 vectors as scalars
  std::vector<double> v;
  for (const auto& x : j) v.push_back(x.get<double>());
  return v;
}

hazard::AhrDesignOptions options(const nlohmann::json& a) {
  hazard::AhrDesignOptions o;
  o.alpha = a["alpha"].get<double>();
  o.beta = a["beta"].get<double>();
  o.ratio = a["ratio"].get<double>();
  o.start = vec(a["start"]);
  o.hazard_control = vec(a["lam_c"]);
  o.hr = vec(a["hr"]);
  o.dropout_hazard = vec(a["eta"]);
  o.accrual = {.end = vec(a["acc_end"]), .rate = vec(a["acc_rate"])};
  if (a.contains("study_duration")) o.study_duration = a["study_duration"].get<double>();
  return o;
}

TEST(AhrDesign, MatchesTheRScript) {
  auto ref = hazard::test::reference("design/ahr.json");
  ASSERT_EQ(ref["cases"].size(), 4u);
  for (const auto& c : ref["cases"]) {
    SCOPED_TRACE(c["flags"].get<std::string>());
    const auto o = options(c["args"]);
    const auto d = hazard::design_ahr(o);
    // with a study duration everything is closed form; without it the duration is a root
    const double tol = o.study_duration ? hazard::tol::closed_form : hazard::tol::iterative;
    EXPECT_TRUE(near_rel(d.events, c["events"].get<double>(), tol));
    EXPECT_TRUE(near_rel(d.sample_size, c["sample_size"].get<double>(), tol));
    EXPECT_TRUE(near_rel(d.ahr, c["ahr"].get<double>(), tol));
    EXPECT_TRUE(near_rel(d.study_duration, c["study_duration"].get<double>(), tol));
    EXPECT_TRUE(near_rel(d.at_end.total, c["expected_events"].get<double>(), tol));
    const auto pe = vec(c["piece_events"]), pc = vec(c["piece_control"]),
               px = vec(c["piece_experimental"]), rate = vec(c["accrual_rate"]);
    ASSERT_EQ(d.at_end.events.size(), pe.size());
    for (std::size_t j = 0; j < pe.size(); ++j) {
      EXPECT_TRUE(near_rel(d.at_end.events[j], pe[j], tol)) << "piece " << j + 1;
      EXPECT_TRUE(near_rel(d.at_end.control[j], pc[j], tol)) << "piece " << j + 1;
      EXPECT_TRUE(near_rel(d.at_end.experimental[j], px[j], tol)) << "piece " << j + 1;
    }
    for (std::size_t k = 0; k < rate.size(); ++k) {
      EXPECT_TRUE(near_rel(d.accrual_rate[k], rate[k], tol));
    }
    EXPECT_TRUE(near_rel(d.at_end.info, c["info"].get<double>(), tol));
  }
}

TEST(AhrDesign, ArmEventsUniformEntryClosedForm) {
  // One exponential piece, uniform entry of N over [0, A], T >= A, dropout eta:
  //   E = N lambda / mu (1 - (exp(-mu (T - A)) - exp(-mu T)) / (mu A)), mu = lambda + eta.
  const double N = 200, A = 10, T = 25, lambda = 0.08, eta = 0.02, mu = lambda + eta;
  const double hand =
      N * lambda / mu * (1 - (std::exp(-mu * (T - A)) - std::exp(-mu * T)) / (mu * A));
  auto e = hazard::ahr_arm_events(T, {A}, {N / A}, {0}, {lambda}, {eta});
  EXPECT_TRUE(near_rel(e[0], hand, 1e-13));
  // the same split into three pieces of equal hazard and two entry pieces of equal rate
  auto e3 = hazard::ahr_arm_events(T, {4, A}, {N / A, N / A}, {0, 3, 11}, {lambda, lambda, lambda},
                                   {eta, eta, eta});
  EXPECT_TRUE(near_rel(e3[0] + e3[1] + e3[2], hand, 1e-13));
  // tiny hazards (the series branch of int x exp(-mu x)): E ~ lambda N (T - A / 2) to O(mu)
  auto small = hazard::ahr_arm_events(T, {A}, {N / A}, {0}, {1e-9}, {0});
  EXPECT_TRUE(near_rel(small[0], 1e-9 * N * (T - A / 2), 1e-7));
}

TEST(AhrDesign, ProportionalHazardsIsSchoenfeld) {
  hazard::AhrDesignOptions o{.beta = 0.2,
                             .start = {0, 6},
                             .hazard_control = {0.06, 0.06},
                             .hr = {0.7, 0.7},
                             .accrual = {.end = {12}, .rate = {10}},
                             .study_duration = 30};
  auto d = hazard::design_ahr(o);
  EXPECT_TRUE(near_rel(d.ahr, 0.7, 1e-14));
  EXPECT_TRUE(near_rel(
      d.events, hazard::fixed_events(hazard::EventMethod::schoenfeld, 0.7, 0.025, 0.2, 1), 1e-12));
}

TEST(AhrDesign, TwoSidedSpendsHalfOnEachSide) {
  hazard::AhrDesignOptions o{.alpha = 0.05,
                             .sided = 2,
                             .start = {0, 4},
                             .hazard_control = {0.05, 0.05},
                             .hr = {1, 0.6},
                             .accrual = {.end = {12}, .rate = {20}},
                             .study_duration = 30};
  auto one = o;
  one.alpha = 0.025;
  one.sided = 1;
  const auto d2 = hazard::design_ahr(o), d1 = hazard::design_ahr(one);
  EXPECT_TRUE(near_rel(d2.events, d1.events, 1e-14));
  EXPECT_TRUE(near_rel(d2.z_alpha, 1.959963984540054, 1e-14));
}

TEST(AhrDesign, RejectsBadInput) {
  hazard::AhrDesignOptions o{.start = {0, 4},
                             .hazard_control = {0.05, 0.05},
                             .hr = {1, 0.6},
                             .accrual = {.end = {12}, .rate = {20}}};
  auto bad = o;
  bad.start = {1, 4};
  EXPECT_THROW(hazard::design_ahr(bad), hazard::UsageError);
  bad = o;
  bad.hr = {0.6};
  EXPECT_THROW(hazard::design_ahr(bad), hazard::UsageError);
  bad = o;
  bad.hr = {1.2, 1.1};  // harm on average
  EXPECT_THROW(hazard::design_ahr(bad), hazard::UsageError);
  bad = o;
  bad.study_duration = 6;  // before the end of accrual
  EXPECT_THROW(hazard::design_ahr(bad), hazard::UsageError);
  bad = o;
  bad.analysis_times = {30, 20};  // not increasing
  EXPECT_THROW(hazard::design_ahr(bad), hazard::UsageError);
  bad = o;
  bad.analysis_times = {8, 10};  // the last before the end of accrual
  EXPECT_THROW(hazard::design_ahr(bad), hazard::UsageError);
  bad = o;
  bad.analysis_times = {20, 30};
  bad.sided = 2;  // two-sided group-sequential: symmetric bounds, but no futility
  bad.futility = hazard::parse_spending("obf");
  EXPECT_THROW(hazard::design_ahr(bad), hazard::UsageError);
  bad = o;
  bad.accrual.rate = {1};  // 12 patients can never give the ~300 events needed
  EXPECT_THROW(hazard::design_ahr(bad), hazard::NumericalError);
}

}  // namespace

namespace {

TEST(AhrDesign, GroupSequentialMatchesTheRScript) {
  // rpact bounds (bisection to ~1e-8 on z) and mvtnorm's Miwa probabilities against the recursive
  // integration on rpact's grid: the design tolerance.
  auto ref = hazard::test::reference("design/ahr.json");
  ASSERT_EQ(ref["gs_cases"].size(), 2u);
  for (const auto& c : ref["gs_cases"]) {
    SCOPED_TRACE(c["flags"].get<std::string>());
    auto o = options(c["args"]);
    o.analysis_times = vec(c["args"]["times"]);
    const std::string sp = c["args"].value("spending", std::string("asOF"));
    o.efficacy = hazard::parse_spending(sp == "asP" ? "pocock" : "obf");
    const auto d = hazard::design_ahr(o);
    const auto ev = vec(c["events"]), ahr = vec(c["ahr"]), z = vec(c["z_efficacy"]),
               frac = vec(c["info_fraction"]);
    ASSERT_EQ(d.looks.size(), ev.size());
    for (std::size_t k = 0; k < ev.size(); ++k) {
      EXPECT_TRUE(near_rel(d.looks[k].events, ev[k], hazard::tol::design)) << "look " << k + 1;
      EXPECT_TRUE(near_rel(d.looks[k].ahr, ahr[k], hazard::tol::closed_form)) << "look " << k + 1;
      EXPECT_TRUE(near_rel(d.looks[k].info_fraction, frac[k], hazard::tol::closed_form));
      EXPECT_TRUE(near_rel(d.looks[k].z_efficacy, z[k], hazard::tol::design)) << "look " << k + 1;
    }
    EXPECT_TRUE(near_rel(d.sample_size, c["sample_size"].get<double>(), hazard::tol::design));
    EXPECT_TRUE(
        near_rel(d.events_fixed, c["events_fixed"].get<double>(), hazard::tol::closed_form));
    EXPECT_NEAR(d.power, 1 - o.beta, 1e-10);
    EXPECT_TRUE(near_rel(d.events, ev.back(), hazard::tol::design));
  }
}

TEST(AhrDesign, GroupSequentialFutilityAndTwoSidedMatchTheRScript) {
  // Futility by beta spending (non-binding and binding) and two-sided bounds: the bounds and the
  // scale solved in R by nested roots on mvtnorm's Miwa probabilities (make_ahr.R,
  // gs_futility_cases), against the recursive integration: tol::design_mvn.
  auto ref = hazard::test::reference("design/ahr.json");
  ASSERT_EQ(ref["gs_futility_cases"].size(), 6u);
  std::size_t binding = 0, two_sided = 0;
  for (const auto& c : ref["gs_futility_cases"]) {
    SCOPED_TRACE(c["flags"].get<std::string>());
    const auto& a = c["args"];
    auto o = options(a);
    o.analysis_times = vec(a["times"]);
    const std::string sp = a.value("spending", std::string("asOF"));
    o.efficacy = hazard::parse_spending(sp == "asP" ? "pocock" : "obf");
    o.sided = a.value("sided", 1);
    if (a.contains("futility")) {
      const std::string f = a["futility"].get<std::string>();
      const std::string g = a.contains("gamma_b") ? fmt::format("{}", a["gamma_b"].get<double>()) : "";
      o.futility = hazard::parse_spending(f == "bsOF"    ? "obf"
                                          : f == "bsP"   ? "pocock"
                                          : f == "bsHSD" ? "hsd:" + g
                                                         : "kd:" + g);
      o.binding = a.value("binding", false);
    }
    binding += o.binding ? 1 : 0;
    two_sided += o.sided == 2 ? 1 : 0;
    const auto d = hazard::design_ahr(o);
    const auto ev = vec(c["events"]), z = vec(c["z_efficacy"]);
    ASSERT_EQ(d.looks.size(), ev.size());
    for (std::size_t k = 0; k < ev.size(); ++k) {
      EXPECT_TRUE(near_rel(d.looks[k].events, ev[k], hazard::tol::design_mvn)) << "look " << k + 1;
      EXPECT_TRUE(near_rel(d.looks[k].z_efficacy, z[k], hazard::tol::design_mvn)) << "look " << k + 1;
    }
    if (o.futility) {
      const auto zf = vec(c["z_futility"]), bs = vec(c["beta_spent"]);
      for (std::size_t k = 0; k + 1 < ev.size(); ++k) {
        EXPECT_NEAR(d.looks[k].z_futility, zf[k], hazard::tol::design_mvn) << "look " << k + 1;
        EXPECT_TRUE(near_rel(d.looks[k].beta_spent, bs[k], hazard::tol::design_mvn)) << "look " << k + 1;
      }
      EXPECT_TRUE(std::isinf(d.looks.back().z_futility));
    } else {
      for (const auto& l : d.looks) EXPECT_TRUE(std::isinf(l.z_futility));
    }
    EXPECT_TRUE(near_rel(d.sample_size, c["sample_size"].get<double>(), hazard::tol::design_mvn));
    EXPECT_TRUE(near_rel(d.events_fixed, c["events_fixed"].get<double>(), hazard::tol::closed_form));
    EXPECT_NEAR(d.power, 1 - o.beta, 1e-9);
  }
  EXPECT_EQ(binding, 2u);
  EXPECT_EQ(two_sided, 2u);
}

TEST(AhrDesign, FutilityNeedsAOneSidedBetaSpendingDesign) {
  hazard::AhrDesignOptions o{.start = {0, 4},
                             .hazard_control = {0.05, 0.05},
                             .hr = {1, 0.6},
                             .accrual = {.end = {12}, .rate = {20}},
                             .analysis_times = {20, 30}};
  o.futility = hazard::parse_spending("obf");
  o.sided = 2;
  EXPECT_THROW(hazard::design_ahr(o), hazard::UsageError);
  o.sided = 1;
  o.efficacy = hazard::parse_spending("wt:0.25");
  EXPECT_THROW(hazard::design_ahr(o), hazard::UsageError);
  o.efficacy = hazard::parse_spending("obf");
  o.futility = hazard::parse_spending("hp:0.001");
  EXPECT_THROW(hazard::design_ahr(o), hazard::UsageError);
  // a futility design needs more events than the efficacy-only design (beta is spent early)
  o.futility = hazard::parse_spending("pocock");
  const auto fut = hazard::design_ahr(o);
  o.futility.reset();
  const auto eff = hazard::design_ahr(o);
  EXPECT_GT(fut.events, eff.events);
  EXPECT_GT(fut.looks[0].z_futility, -10.0);
}

TEST(AhrDesign, OneAnalysisGroupSequentialIsTheFixedDesign) {
  hazard::AhrDesignOptions o{.start = {0, 4},
                             .hazard_control = {0.05, 0.05},
                             .hr = {1, 0.6},
                             .accrual = {.end = {12}, .rate = {20}},
                             .study_duration = 30};
  const auto fixed = hazard::design_ahr(o);
  o.study_duration.reset();
  o.analysis_times = {30};
  const auto gs = hazard::design_ahr(o);
  EXPECT_TRUE(near_rel(gs.events, fixed.events, 1e-9));
  EXPECT_TRUE(near_rel(gs.sample_size, fixed.sample_size, 1e-9));
}

}  // namespace
