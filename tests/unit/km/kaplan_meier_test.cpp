// Kaplan–Meier against R survival: every case of tests/reference/km/km.json (written by
// tests/reference/km/make_km.R) is rebuilt in memory and compared: counts exactly, everything
// else to tol::closed_form. The cases cover lung, veteran, ovarian, aml and hand-built edge cases
// (all censored, ties, one subject, S reaching 0, flat segments at 0.5, an event at time 0,
// integer and fractional weights, three CI types, landmarks before the first and after the last
// time, RMST with and without groups and with tau beyond the last time).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using nlohmann::json;

// The largest relative difference from R seen over all comparisons (printed at the end, for the
// accuracy statement in docs/methods/kaplan_meier.md), when this file's tests ran (the test
// executable holds every test file; ctest runs each test in its own process).
double worst_rel = 0;
std::size_t compared = 0;

::testing::AssertionResult near_rel(double a, double b, double tol) {
  ++compared;
  if (std::isfinite(a) && std::isfinite(b) && b != 0)
    worst_rel = std::max(worst_rel, std::fabs(a - b) / std::fabs(b));
  return hazard::test::near_rel(a, b, tol);
}

class ReportWorst : public ::testing::Environment {
 public:
  void TearDown() override {
    if (compared == 0) return;
    std::printf("km: largest relative difference from R over all compared values: %.3g\n",
                worst_rel);
  }
};
const auto* const report_worst = ::testing::AddGlobalTestEnvironment(new ReportWorst);

std::vector<double> nums(const json& a) {
  std::vector<double> v;
  for (const auto& x : a) v.push_back(jnum(x));
  return v;
}

hazard::SurvData data_of(const json& c) {
  hazard::SurvData d;
  const json& in = c["data"];
  d.time = nums(in["time"]);
  for (const auto& s : in["status"]) d.status.push_back(static_cast<std::uint8_t>(s.get<int>()));
  d.weight = nums(in["weight"]);
  for (const auto& g : in["group"]) d.group.push_back(g.get<std::int32_t>());
  for (const auto& l : in["levels"]) d.group_levels.push_back(l.get<std::string>());
  return d;
}

hazard::KmOptions options_of(const json& c) {
  const json& o = c["options"];
  hazard::KmOptions opt;
  opt.conf_type = hazard::parse_conf_type(o["conf_type"].get<std::string>());
  opt.conf_level = o["conf_level"].get<double>();
  opt.times = nums(o["times"]);
  if (!o["tau"].is_null()) opt.rmst_tau = o["tau"].get<double>();
  opt.quantiles = nums(o["quantiles"]);
  // R's survfit(robust =) when the case sets it; unset = R's default (robust for non-integer
  // weights), which hazard must choose the same way
  if (o.contains("robust") && !o["robust"].is_null()) opt.robust = o["robust"].get<bool>();
  return opt;
}

void expect_column(const std::vector<double>& got, const json& ref, const std::string& what,
                   bool exact) {
  ASSERT_EQ(got.size(), ref.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (exact)
      EXPECT_EQ(got[i], jnum(ref[i])) << what << "[" << i << "]";
    else
      EXPECT_TRUE(near_rel(got[i], jnum(ref[i]), hazard::tol::closed_form))
          << what << "[" << i << "]";
  }
}

// The group's summaries (median, quantiles, landmarks, RMST) against R's.
void expect_summaries(const hazard::KmGroup& got, const json& ref) {
  const double tol = hazard::tol::closed_form;
  const json& m = ref["median"];
  EXPECT_TRUE(near_rel(got.median.estimate, jnum(m["estimate"]), tol)) << "median";
  EXPECT_TRUE(near_rel(got.median.lower, jnum(m["lower"]), tol)) << "median lower";
  EXPECT_TRUE(near_rel(got.median.upper, jnum(m["upper"]), tol)) << "median upper";

  const json& q = ref["quantiles"];
  ASSERT_EQ(got.quantiles.size(), q["p"].size());
  for (std::size_t k = 0; k < got.quantiles.size(); ++k) {
    EXPECT_EQ(got.quantiles[k].p, jnum(q["p"][k]));
    EXPECT_TRUE(near_rel(got.quantiles[k].estimate, jnum(q["estimate"][k]), tol))
        << "quantile " << k;
    EXPECT_TRUE(near_rel(got.quantiles[k].lower, jnum(q["lower"][k]), tol))
        << "quantile lower " << k;
    EXPECT_TRUE(near_rel(got.quantiles[k].upper, jnum(q["upper"][k]), tol))
        << "quantile upper " << k;
  }

  if (ref.contains("at")) {
    const json& a = ref["at"];
    ASSERT_EQ(got.at.size(), a["time"].size());
    for (std::size_t k = 0; k < got.at.size(); ++k) {
      SCOPED_TRACE("at " + std::to_string(k));
      EXPECT_EQ(got.at[k].time, jnum(a["time"][k]));
      EXPECT_EQ(got.at[k].n_risk, jnum(a["n_risk"][k]));
      EXPECT_TRUE(near_rel(got.at[k].surv, jnum(a["surv"][k]), tol));
      EXPECT_TRUE(near_rel(got.at[k].std_err, jnum(a["std_err"][k]), tol));
      EXPECT_TRUE(near_rel(got.at[k].lower, jnum(a["lower"][k]), tol));
      EXPECT_TRUE(near_rel(got.at[k].upper, jnum(a["upper"][k]), tol));
    }
  } else {
    EXPECT_TRUE(got.at.empty());
  }

  if (ref.contains("rmst")) {
    ASSERT_TRUE(got.rmst.has_value());
    const json& s = ref["rmst"];
    EXPECT_EQ(got.rmst->tau, s["tau"].get<double>());
    EXPECT_TRUE(near_rel(got.rmst->estimate, jnum(s["estimate"]), tol)) << "rmst";
    EXPECT_TRUE(near_rel(got.rmst->std_err, jnum(s["std_err"]), tol)) << "rmst se";
    EXPECT_TRUE(near_rel(got.rmst->lower, jnum(s["lower"]), tol)) << "rmst lower";
    EXPECT_TRUE(near_rel(got.rmst->upper, jnum(s["upper"]), tol)) << "rmst upper";
  } else {
    EXPECT_FALSE(got.rmst.has_value());
  }
}

class KaplanMeierReference : public ::testing::TestWithParam<std::size_t> {};

TEST_P(KaplanMeierReference, MatchesR) {
  static const json cases = hazard::test::reference("km/km.json");
  const json& c = cases.at(GetParam());
  SCOPED_TRACE(c["name"].get<std::string>() + ": " + c["call"].get<std::string>());
  const hazard::SurvData data = data_of(c);
  const hazard::KmResult r = hazard::kaplan_meier(data, options_of(c));
  const double tol = hazard::tol::closed_form;

  ASSERT_EQ(r.groups.size(), c["groups"].size());
  EXPECT_EQ(r.robust, c["options"]["variance"] == "robust");
  for (std::size_t g = 0; g < r.groups.size(); ++g) {
    const hazard::KmGroup& got = r.groups[g];
    const json& ref = c["groups"][g];
    SCOPED_TRACE("group " + std::to_string(g));
    if (ref["group"].is_null())
      EXPECT_FALSE(got.level.has_value());
    else
      EXPECT_EQ(got.level.value_or("?"), ref["group"].get<std::string>());
    EXPECT_EQ(static_cast<double>(got.n), ref["n"].get<double>());
    EXPECT_TRUE(near_rel(got.events, ref["events"].get<double>(), tol));

    const json& t = ref["table"];
    expect_column(got.curve.time, t["time"], "time", true);
    expect_column(got.curve.n_risk, t["n_risk"], "n_risk", true);
    expect_column(got.curve.n_event, t["n_event"], "n_event", true);
    expect_column(got.curve.n_censor, t["n_censor"], "n_censor", true);
    expect_column(got.curve.surv, t["surv"], "surv", false);
    expect_column(got.curve.std_err, t["std_err"], "std_err", false);
    expect_column(got.curve.lower, t["lower"], "lower", false);
    expect_column(got.curve.upper, t["upper"], "upper", false);
    expect_column(got.curve.cumhaz, t["cumhaz"], "cumhaz", false);

    expect_summaries(got, ref);
  }

  if (c.contains("rmst_difference")) {
    ASSERT_TRUE(r.rmst_difference.has_value());
    const json& d = c["rmst_difference"];
    EXPECT_TRUE(near_rel(r.rmst_difference->estimate, jnum(d["estimate"]), tol));
    EXPECT_TRUE(near_rel(r.rmst_difference->std_err, jnum(d["std_err"]), tol));
    EXPECT_TRUE(near_rel(r.rmst_difference->lower, jnum(d["lower"]), tol));
    EXPECT_TRUE(near_rel(r.rmst_difference->upper, jnum(d["upper"]), tol));
    EXPECT_TRUE(near_rel(r.rmst_difference->z, jnum(d["z"]), tol));
    EXPECT_TRUE(near_rel(r.rmst_difference->p, jnum(d["p"]), tol));
  } else {
    EXPECT_FALSE(r.rmst_difference.has_value());
  }
}

TEST_P(KaplanMeierReference, SummariesWithoutTheCurveMatchR) {
  // KmOptions::keep_curve = false (the CLI's text summary): the curve is not stored, only the
  // rows the summaries read; every summary is R's, and the same to the bit as with the curve.
  static const json cases = hazard::test::reference("km/km.json");
  const json& c = cases.at(GetParam());
  SCOPED_TRACE(c["name"].get<std::string>() + ": " + c["call"].get<std::string>());
  const hazard::SurvData data = data_of(c);
  hazard::KmOptions opt = options_of(c);
  const hazard::KmResult whole = hazard::kaplan_meier(data, opt);
  opt.keep_curve = false;
  const hazard::KmResult r = hazard::kaplan_meier(data, opt);
  ASSERT_EQ(r.groups.size(), c["groups"].size());
  auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
  for (std::size_t g = 0; g < r.groups.size(); ++g) {
    const hazard::KmGroup& got = r.groups[g];
    const json& ref = c["groups"][g];
    SCOPED_TRACE("group " + std::to_string(g));
    EXPECT_EQ(got.curve.size(), 0u);
    EXPECT_EQ(got.curve_rows, ref["table"]["time"].size());
    EXPECT_EQ(static_cast<double>(got.n), ref["n"].get<double>());
    EXPECT_TRUE(near_rel(got.events, ref["events"].get<double>(), hazard::tol::closed_form));
    expect_summaries(got, ref);
    const hazard::KmGroup& w = whole.groups[g];
    EXPECT_EQ(got.events, w.events);
    ASSERT_EQ(got.quantiles.size(), w.quantiles.size());
    for (std::size_t k = 0; k <= got.quantiles.size(); ++k) {
      const hazard::KmQuantile& a = k < got.quantiles.size() ? got.quantiles[k] : got.median;
      const hazard::KmQuantile& b = k < w.quantiles.size() ? w.quantiles[k] : w.median;
      EXPECT_TRUE(same(a.estimate, b.estimate) && same(a.lower, b.lower) && same(a.upper, b.upper))
          << "quantile " << k;
    }
    ASSERT_EQ(got.at.size(), w.at.size());
    for (std::size_t k = 0; k < got.at.size(); ++k)
      EXPECT_TRUE(same(got.at[k].n_risk, w.at[k].n_risk) && same(got.at[k].surv, w.at[k].surv) &&
                  same(got.at[k].std_err, w.at[k].std_err) &&
                  same(got.at[k].lower, w.at[k].lower) && same(got.at[k].upper, w.at[k].upper))
          << "landmark " << k;
    ASSERT_EQ(got.rmst.has_value(), w.rmst.has_value());
    if (got.rmst) {
      EXPECT_TRUE(same(got.rmst->estimate, w.rmst->estimate) &&
                  same(got.rmst->std_err, w.rmst->std_err));
    }
  }
}

const std::vector<std::string>& case_names() { return hazard::test::reference_names("km/km.json"); }

INSTANTIATE_TEST_SUITE_P(R, KaplanMeierReference, ::testing::Range<std::size_t>(0, case_names().size()),
                         [](const ::testing::TestParamInfo<std::size_t>& param) {
                           return hazard::test::gtest_name(case_names()[param.param]);
                         });

TEST(KaplanMeier, CaseCountIsWhatTheScriptWrites) {
  // Guards against an empty or truncated reference file silently passing.
  EXPECT_GE(case_names().size(), 40u);
  // the suite's list (read with simdjson) is the file's cases
  const json all = hazard::test::reference("km/km.json");
  ASSERT_EQ(case_names().size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(case_names()[i], all[i].at("name"));
}

TEST(KaplanMeier, KmCurveEqualsTheOverallGroup) {
  // km_curve (the reusable entry point) sorts its own input and matches kaplan_meier.
  const std::vector<double> time = {5, 1, 3, 3, 2, 8};
  const std::vector<std::uint8_t> status = {1, 0, 1, 1, 0, 1};
  hazard::SurvData d;
  d.time = time;
  d.status = status;
  const auto viaResult = hazard::kaplan_meier(d).groups.at(0).curve;
  const auto curve = hazard::km_curve(time, status);
  EXPECT_EQ(curve.time, viaResult.time);
  EXPECT_EQ(curve.surv, viaResult.surv);
  // hand computation: at risk 6,5,4,2,1 at times 1,2,3,5,8; S = 1, 1, 2/4, 2/4*1/2, 0
  EXPECT_EQ(curve.time, (std::vector<double>{1, 2, 3, 5, 8}));
  EXPECT_EQ(curve.n_risk, (std::vector<double>{6, 5, 4, 2, 1}));
  EXPECT_DOUBLE_EQ(curve.surv[2], 0.5);
  EXPECT_DOUBLE_EQ(curve.surv[3], 0.25);
  EXPECT_EQ(curve.surv[4], 0.0);
  EXPECT_TRUE(std::isinf(curve.se_log[4]));
  EXPECT_TRUE(std::isnan(curve.std_err[4]));
}

TEST(KaplanMeier, AGroupLevelWithoutRowsIsNotEstimable) {
  hazard::SurvData d;
  d.time = {1, 2, 3};
  d.status = {1, 1, 0};
  d.group = {0, 0, 0};
  d.group_levels = {"a", "b"};
  const auto r = hazard::kaplan_meier(d, {.times = {2}, .rmst_tau = 2.0});
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[1].n, 0u);
  EXPECT_TRUE(r.groups[1].curve.time.empty());
  EXPECT_TRUE(std::isnan(r.groups[1].median.estimate));
  EXPECT_TRUE(std::isnan(r.groups[1].at.at(0).surv));
  EXPECT_TRUE(std::isnan(r.groups[1].rmst->estimate));
  EXPECT_TRUE(std::isnan(r.rmst_difference->estimate));
}

// Without case weights the rows are split by group as 8-byte keys (on two threads from 32768
// rows) and checked on the way; case weights take 16-byte records. Weights of 1 give the
// unweighted estimate, so the two paths must agree bit for bit: here with ties (within and across
// groups), a group without rows, everything censored in one group, landmarks and RMST, with the
// Greenwood and with the robust variance.
TEST(KaplanMeier, PackedPathMatchesTheWeightedPath) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::size_t n : {std::size_t{1}, std::size_t{700}, std::size_t{90000}}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    hazard::SurvData d;
    d.group_levels = {"a", "b", "c", "d"};
    for (std::size_t i = 0; i < n; ++i) {
      const auto g = static_cast<std::int32_t>(u(rng) * 3);  // level "d" has no rows
      d.time.push_back(g == 1 ? std::floor(u(rng) * 50) : std::round(u(rng) * 1e6) / 1e4);
      d.status.push_back(g == 2 || u(rng) < 0.3 ? 0 : 1);  // "c" all censored
      d.group.push_back(g);
    }
    hazard::SurvData w = d;
    w.weight.assign(n, 1.0);
    for (const std::optional<bool> robust : {std::optional<bool>{}, std::optional<bool>{true}}) {
      const hazard::KmOptions o{.times = {1, 10, 40}, .rmst_tau = 30.0, .robust = robust};
      const auto a = hazard::kaplan_meier(d, o), b = hazard::kaplan_meier(w, o);
      EXPECT_EQ(a.robust, robust.has_value());
      ASSERT_EQ(a.groups.size(), b.groups.size());
      for (std::size_t g = 0; g < a.groups.size(); ++g) {
        const auto &x = a.groups[g], &y = b.groups[g];
        EXPECT_EQ(x.n, y.n);
        EXPECT_EQ(x.events, y.events);
        for (auto col :
             {&hazard::KmCurve::time, &hazard::KmCurve::n_risk, &hazard::KmCurve::n_event,
              &hazard::KmCurve::n_censor, &hazard::KmCurve::surv, &hazard::KmCurve::cumhaz})
          EXPECT_EQ(x.curve.*col, y.curve.*col);
        // NaN (R's NA) compares unequal to itself: compare the bits
        for (auto col : {&hazard::KmCurve::se_log, &hazard::KmCurve::std_err,
                         &hazard::KmCurve::lower, &hazard::KmCurve::upper}) {
          ASSERT_EQ((x.curve.*col).size(), (y.curve.*col).size());
          for (std::size_t i = 0; i < (x.curve.*col).size(); ++i)
            EXPECT_EQ(std::memcmp(&(x.curve.*col)[i], &(y.curve.*col)[i], sizeof(double)), 0);
        }
        EXPECT_EQ(std::memcmp(&x.median, &y.median, sizeof x.median), 0);
      }
    }
  }
}

// The checks made inside the split report the same errors, in the same order, as before it.
TEST(KaplanMeier, BadRowsAreReportedInOrder) {
  for (std::size_t n : {std::size_t{10}, std::size_t{50000}}) {
    hazard::SurvData d;
    d.time.assign(n, 1.0);
    d.status.assign(n, 1);
    d.group.assign(n, 0);
    d.group_levels = {"a", "b"};
    d.group[n - 1] = 2;  // outside the levels
    auto message = [&] {
      try {
        hazard::kaplan_meier(d);
      } catch (const std::invalid_argument& e) {
        return std::string(e.what());
      }
      return std::string("no error");
    };
    EXPECT_EQ(message(), "km: a group code is outside the group levels");
    d.time[n - 1] = -1;  // a bad time is reported first, wherever it is
    d.group[n - 1] = 0;
    d.group[0] = -1;
    EXPECT_EQ(message(), "km: times must be finite and >= 0");
    d.time[n - 1] = std::numeric_limits<double>::infinity();
    EXPECT_EQ(message(), "km: times must be finite and >= 0");
    d.time[n - 1] = 1;
    EXPECT_EQ(message(), "km: a group code is outside the group levels");
    EXPECT_THROW(
        hazard::km_curve(std::vector<double>{1, std::nan("")}, std::vector<std::uint8_t>{1, 1}),
        std::invalid_argument);
  }
}

TEST(KaplanMeier, RejectsBadOptions) {
  hazard::SurvData d;
  d.time = {1, 2};
  d.status = {1, 0};
  EXPECT_THROW(hazard::kaplan_meier(d, {.conf_level = 1.0}), hazard::UsageError);
  EXPECT_THROW(hazard::kaplan_meier(d, {.times = {-1}}), hazard::UsageError);
  EXPECT_THROW(hazard::kaplan_meier(d, {.rmst_tau = 0.0}), hazard::UsageError);
  EXPECT_THROW(hazard::kaplan_meier(d, {.quantiles = {1.5}}), hazard::UsageError);
  EXPECT_THROW(hazard::parse_conf_type("logit"), hazard::UsageError);
}

}  // namespace
