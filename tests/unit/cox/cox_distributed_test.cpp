// The distributed Cox fit (src/cox/cox_distributed.cpp) on a Cluster of threads: R's data sets
// of tests/reference/cox (make_cox.R: lung, veteran with a factor and strata, weights, offsets,
// robust variances, a monotone likelihood, aliased columns; make_cox_distributed.R: colon with a
// factor, strata and fractional weights; make_coxfit_large.R: 70000 rows with heavy ties, strata
// and weights) split over 1 to 4 ranks in parts of unequal size (one part
// empty), compared with cox_fit on all rows (tol::distributed) and with R's values
// (tol::iterative, as cox_fit_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"
#include "unit/parallel/thread_cluster.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;
using nlohmann::json;

hazard::CoxData make_data(const json& in) {
  hazard::CoxData d;
  for (const auto& v : in.at("time")) d.time.push_back(v.get<double>());
  for (const auto& v : in.at("status")) d.status.push_back(static_cast<std::uint8_t>(v.get<int>()));
  const auto& rows = in.at("x");
  const auto n = static_cast<Eigen::Index>(rows.size());
  const auto p = static_cast<Eigen::Index>(rows[0].is_array() ? rows[0].size() : 1);
  d.x.resize(n, p);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& r = rows[static_cast<std::size_t>(i)];
    for (Eigen::Index j = 0; j < p; ++j)
      d.x(i, j) = r.is_array() ? r[static_cast<std::size_t>(j)].get<double>() : r.get<double>();
  }
  const auto& names = in.at("names");
  if (names.is_array())
    for (const auto& v : names) d.names.push_back(v.get<std::string>());
  else
    d.names.push_back(names.get<std::string>());
  if (in.contains("weight"))
    for (const auto& v : in["weight"]) d.weight.push_back(v.get<double>());
  if (in.contains("offset"))
    for (const auto& v : in["offset"]) d.offset.push_back(v.get<double>());
  if (in.contains("stratum"))
    for (const auto& v : in["stratum"]) d.stratum.push_back(v.get<std::int32_t>());
  return d;
}

// make_coxfit_large.R's gen(n) (as coxfit_test.cpp)
hazard::CoxData generate(std::size_t n, bool strata, bool weights, bool coarse, bool many) {
  hazard::CoxData d;
  d.x.resize(static_cast<Eigen::Index>(n), 3);
  d.names = {"x1", "x2", "x3"};
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    const double x1 = static_cast<double>(i % 2);
    const std::size_t t =
        (i * 7919) % 997 + 1 + 300 * (i % 2) + (i * 31) % 101 + 20 * ((i * 17) % 13);
    d.time.push_back(static_cast<double>(coarse ? t / 50 : t));
    const bool last = i >= n - 500;
    d.status.push_back(i % 3 != 0 && !last ? 1 : 0);
    d.x(r, 0) = x1;
    d.x(r, 1) = static_cast<double>((i * 31) % 101) / 50 - 1;
    d.x(r, 2) = many ? static_cast<double>((i * 7919) % 307) / 100
                     : static_cast<double>((i * 17) % 13) / 4 - x1;
    if (weights) d.weight.push_back(1 + static_cast<double>(i % 4) / 2);
    if (strata) d.stratum.push_back(last ? 4 : static_cast<std::int32_t>(i % 3 + 1));
  }
  return d;
}

// Row i of `all` goes to part part_of(i): unequal sizes, rows interleaved, and with 4 parts
// part 2 empty. With `sorted_blocks` part k holds a contiguous block of the rows instead (so that
// whole strata and runs of event times sit on one rank).
std::vector<hazard::CoxData> split(const hazard::CoxData& all, int parts, bool blocks = false) {
  std::vector<hazard::CoxData> out(static_cast<std::size_t>(parts));
  const std::size_t n = all.time.size();
  std::vector<std::vector<Eigen::Index>> rows(out.size());
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t k = 0;
    if (blocks) {
      k = std::min<std::size_t>(static_cast<std::size_t>(parts) - 1,
                                (i * 5 / n) * static_cast<std::size_t>(parts) / 4);
      if (parts == 4 && k == 2) k = 3;
    } else if (parts == 2) {
      k = (i % 5 < 3) ? 0 : 1;
    } else if (parts == 3) {
      k = i % 7 < 4 ? 0 : i % 7 < 6 ? 1 : 2;
    } else if (parts == 4) {
      const std::size_t m = (i * 13) % 11;
      k = m < 5 ? 0 : m < 6 ? 1 : 3;
    }
    rows[k].push_back(static_cast<Eigen::Index>(i));
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    hazard::CoxData& d = out[k];
    d.names = all.names;
    d.x.resize(static_cast<Eigen::Index>(rows[k].size()), all.x.cols());
    // rank k's rows in reverse order for odd k: the input order must not matter
    if (k % 2 == 1) std::reverse(rows[k].begin(), rows[k].end());
    for (std::size_t q = 0; q < rows[k].size(); ++q) {
      const Eigen::Index i = rows[k][q];
      const auto u = static_cast<std::size_t>(i);
      d.time.push_back(all.time[u]);
      d.status.push_back(all.status[u]);
      if (!all.weight.empty()) d.weight.push_back(all.weight[u]);
      if (!all.offset.empty()) d.offset.push_back(all.offset[u]);
      if (!all.stratum.empty()) d.stratum.push_back(all.stratum[u]);
      d.x.row(static_cast<Eigen::Index>(q)) = all.x.row(i);
    }
  }
  return out;
}

// Runs the distributed fit on `parts` threads; result per rank
std::vector<hazard::CoxResult> run(const std::vector<hazard::CoxData>& parts,
                                   const hazard::CoxOptions& opt) {
  std::vector<hazard::CoxResult> res(parts.size());
  hazard::test::run_ranks(static_cast<int>(parts.size()), [&](const hazard::Cluster& c) {
    const auto r = static_cast<std::size_t>(c.rank());
    res[r] = hazard::cox_fit_distributed(parts[r], opt, c);
  });
  return res;
}

// The largest relative difference seen (printed at the end, for the report)
double worst = 0, worst_diverged = 0;
std::string worst_what;

// |a - b| relative to `scale` (the size of the quantity: |b|, or a natural unit for values that
// are zero up to rounding, as a score vector at the estimate)
// The tolerance of the current comparison: tol::distributed, or tol::derived for a fit where a
// coefficient runs to infinity (see check_all_splits)
double tolerance = hazard::tol::distributed;

::testing::AssertionResult same(double a, double b, const std::string& what, double scale = 0) {
  if (std::isnan(a) && std::isnan(b)) return ::testing::AssertionSuccess();
  if (std::isinf(a) && std::isinf(b) && (a > 0) == (b > 0)) return ::testing::AssertionSuccess();
  const double s = std::max(std::fabs(b), scale);
  const double rel = s > 0 ? std::fabs(a - b) / s : std::fabs(a - b);
  if (tolerance != hazard::tol::distributed) {
    worst_diverged = std::max(worst_diverged, rel);
  } else if (rel > worst) {
    worst = rel;
    worst_what = what;
  }
  if (rel <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << what << ": " << a << " vs " << b << " (relative " << rel << ")";
}

// A p-value on the log scale: p ~ exp(-stat / 2) turns a relative difference e of the statistic
// into one of stat e / 2 in p (4.6e-53 from an LR statistic of 240), so the digits a p-value
// can keep are those of log p, compared in units of 1 (as the statistic itself)
::testing::AssertionResult same_p(double a, double b, const std::string& what, double scale = 1) {
  if (a == b) return ::testing::AssertionSuccess();
  return same(std::log(a), std::log(b), what, scale);
}

// `scale`: the size of what the statistic is a difference of (the LR test: 2 |loglik|, whose
// rounding it inherits; 70000 rows: loglik -3.6e5, LR 2e3)
void same_test(const hazard::CoxTest& a, const hazard::CoxTest& b, const std::string& what,
               double scale = 0) {
  EXPECT_TRUE(same(a.stat, b.stat, what + ".stat", scale));
  EXPECT_EQ(a.df, b.df) << what;
  EXPECT_TRUE(same_p(a.p, b.p, what + ".p", std::max(1.0, scale)));
}

// Every rank's result against the one-process fit of all rows (`order`: each rank's rows as
// indices into all rows, for the linear predictor)
void compare(const std::vector<hazard::CoxResult>& res, const std::vector<hazard::CoxData>& parts,
             const hazard::CoxData& all, const hazard::CoxResult& one) {
  // the linear predictor of each rank's rows: find each row of the part in `all`
  for (std::size_t k = 0; k < res.size(); ++k) {
    SCOPED_TRACE("rank " + std::to_string(k));
    const hazard::CoxResult& r = res[k];
    EXPECT_EQ(r.n, one.n);
    EXPECT_EQ(r.events, one.events);
    EXPECT_EQ(r.iterations, one.iterations);
    EXPECT_EQ(r.converged, one.converged);
    EXPECT_EQ(r.diverged, one.diverged);
    EXPECT_EQ(r.rank, one.rank);
    EXPECT_EQ(r.robust, one.robust);
    EXPECT_EQ(r.warnings, one.warnings);
    EXPECT_TRUE(same(r.loglik0, one.loglik0, "loglik0"));
    EXPECT_TRUE(same(r.loglik, one.loglik, "loglik"));
    const Eigen::Index p = one.coef.size();
    ASSERT_EQ(r.coef.size(), p);
    for (Eigen::Index j = 0; j < p; ++j) {
      EXPECT_TRUE(same(r.coef[j], one.coef[j], "coef"));
      // a mean near 0 is a sum that cancels: its rounding is relative to the size of the values
      EXPECT_TRUE(same(r.means[j], one.means[j], "means", all.x.col(j).cwiseAbs().maxCoeff()));
      // the score at the estimate is 0 up to the rounding of its sum, sum_events w x - ...: its
      // scale is the sum of the events' |w x|
      double size = 0;
      for (std::size_t i = 0; i < all.time.size(); ++i)
        if (all.status[i])
          size += (all.weight.empty() ? 1.0 : all.weight[i]) *
                  std::fabs(all.x(static_cast<Eigen::Index>(i), j));
      EXPECT_TRUE(same(r.score_vector[j], one.score_vector[j], "score_vector", size));
      for (Eigen::Index l = 0; l < p; ++l)
        EXPECT_TRUE(same(r.var(j, l), one.var(j, l), "var",
                         std::sqrt(std::fabs(one.var(j, j) * one.var(l, l)))));
      if (one.robust) {
        for (Eigen::Index l = 0; l < p; ++l)
          EXPECT_TRUE(same(r.robust_var(j, l), one.robust_var(j, l), "robust_var",
                           std::sqrt(std::fabs(one.robust_var(j, j) * one.robust_var(l, l)))));
      }
    }
    same_test(r.lr, one.lr, "lr", 2 * std::max(std::fabs(one.loglik0), std::fabs(one.loglik)));
    same_test(r.score, one.score, "score");
    same_test(r.wald, one.wald, "wald");
    ASSERT_EQ(r.robust_score.has_value(), one.robust_score.has_value());
    if (one.robust_score) same_test(*r.robust_score, *one.robust_score, "robust_score");
    ASSERT_EQ(r.terms.size(), one.terms.size());
    for (std::size_t j = 0; j < one.terms.size(); ++j) {
      const hazard::CoxTerm &a = r.terms[j], &b = one.terms[j];
      EXPECT_EQ(a.term, b.term);
      EXPECT_EQ(a.estimable, b.estimable);
      EXPECT_EQ(a.not_estimable, b.not_estimable);
      EXPECT_TRUE(same(a.coef, b.coef, "term.coef"));
      EXPECT_TRUE(same(a.se, b.se, "term.se"));
      EXPECT_TRUE(same(a.robust_se, b.robust_se, "term.robust_se"));
      EXPECT_TRUE(same(a.z, b.z, "term.z", 1));
      EXPECT_TRUE(same_p(a.p, b.p, "term.p"));
      EXPECT_TRUE(same(a.hr, b.hr, "term.hr"));
      EXPECT_TRUE(same(a.lower, b.lower, "term.lower"));
      EXPECT_TRUE(same(a.upper, b.upper, "term.upper"));
    }
    const hazard::CoxConcordance &ca = r.concordance, &cb = one.concordance;
    EXPECT_TRUE(same(ca.concordant, cb.concordant, "concordant"));
    EXPECT_TRUE(same(ca.discordant, cb.discordant, "discordant"));
    EXPECT_TRUE(same(ca.tied_x, cb.tied_x, "tied_x"));
    EXPECT_TRUE(same(ca.tied_y, cb.tied_y, "tied_y"));
    EXPECT_TRUE(same(ca.tied_xy, cb.tied_xy, "tied_xy"));
    EXPECT_TRUE(same(ca.estimate, cb.estimate, "concordance"));
    EXPECT_TRUE(same(ca.std_err, cb.std_err, "concordance.std_err"));
    // the linear predictor of the rank's own rows, in its input order
    ASSERT_EQ(r.linear_predictor.size(), parts[k].time.size());
  }
}

// The rows of `all` in the order of the concatenated parts (for the linear predictor)
hazard::CoxData concat(const std::vector<hazard::CoxData>& parts) {
  hazard::CoxData d;
  Eigen::Index rows = 0;
  for (const auto& q : parts) rows += q.x.rows();
  d.names = parts[0].names;
  d.x.resize(rows, parts[0].x.cols());
  Eigen::Index at = 0;
  for (const auto& q : parts) {
    d.time.insert(d.time.end(), q.time.begin(), q.time.end());
    d.status.insert(d.status.end(), q.status.begin(), q.status.end());
    d.weight.insert(d.weight.end(), q.weight.begin(), q.weight.end());
    d.offset.insert(d.offset.end(), q.offset.begin(), q.offset.end());
    d.stratum.insert(d.stratum.end(), q.stratum.begin(), q.stratum.end());
    if (q.x.rows() > 0) d.x.middleRows(at, q.x.rows()) = q.x;
    at += q.x.rows();
  }
  return d;
}

// The distributed fit of `all` split into 1..4 parts (interleaved and in blocks) against
// cox_fit on the concatenated parts; returns the 3-part fit. `few`: only 3 parts interleaved and
// 4 in blocks (large data).
hazard::CoxResult check_all_splits(const hazard::CoxData& all, const hazard::CoxOptions& opt,
                                   bool few = false) {
  hazard::CoxResult three;
  for (int parts = 1; parts <= 4; ++parts)
    for (bool blocks : {false, true}) {
      if (parts == 1 && blocks) continue;
      if (few && !(parts == 3 && !blocks) && !(parts == 4 && blocks)) continue;
      SCOPED_TRACE(std::to_string(parts) + " ranks" + (blocks ? " (blocks)" : ""));
      const std::vector<hazard::CoxData> sp = split(all, parts, blocks);
      const hazard::CoxData cat = concat(sp);
      const hazard::CoxResult one = hazard::cox_fit(cat, opt);
      const std::vector<hazard::CoxResult> res = run(sp, opt);
      // A coefficient that runs to infinity stops where the log-likelihood stops changing, with
      // an information near 0 in its direction (collinear: SE 2e4): the last iterate's digits
      // are not determined by the data, and rounding moves them (measured 2e-7 in its variance,
      // 2.4e-9 in the coefficients); compared as cox_fit_test.cpp compares them with R
      tolerance = one.diverged ? hazard::tol::derived : hazard::tol::distributed;
      compare(res, sp, all, one);
      std::size_t at = 0;
      for (std::size_t k = 0; k < res.size(); ++k)
        for (double lp : res[k].linear_predictor) {
          EXPECT_TRUE(same(lp, one.linear_predictor[at], "linear_predictor", 1));
          ++at;
        }
      tolerance = hazard::tol::distributed;
      if (parts == 3 && !blocks) three = res[1];
    }
  return three;
}

hazard::Ties ties_of(const std::string& s) {
  return s == "breslow" ? hazard::Ties::breslow : hazard::Ties::efron;
}

// One reference case: the distributed fit against cox_fit on every split, and against R
void check_case(const json& c) {
  SCOPED_TRACE(c["name"].get<std::string>() + ": " + c["call"].get<std::string>());
  const hazard::CoxData d = make_data(c["input"]);
  const hazard::CoxOptions opt{.ties = ties_of(c["ties"].get<std::string>()),
                               .max_iter = c["max_iter"].get<int>(),
                               .robust = c["robust"].get<bool>()};
  const hazard::CoxResult r = check_all_splits(d, opt);
  // against R (the checks of cox_fit_test.cpp that concern the fit)
  const json& e = c["expect"];
  bool infinite = false;
  for (const auto& w : e["warnings"])
    infinite = infinite || w.get<std::string>().find("infinite") != std::string::npos;
  const double tol = infinite ? hazard::tol::derived : hazard::tol::iterative;
  EXPECT_EQ(r.n, e["n"].get<std::size_t>());
  EXPECT_EQ(r.events, e["nevent"].get<double>());
  EXPECT_EQ(r.iterations, e["iter"].get<int>());
  for (std::size_t j = 0; j < r.terms.size(); ++j) {
    const double coef = e["coef"].is_array() ? jnum(e["coef"][j]) : jnum(e["coef"]);
    const double se = e["se"].is_array() ? jnum(e["se"][j]) : jnum(e["se"]);
    EXPECT_TRUE(near_rel(r.coef[static_cast<Eigen::Index>(j)], coef, tol));
    if (r.terms[j].estimable) {
      EXPECT_TRUE(near_rel(r.terms[j].se, se, tol));
    }
    if (c["robust"].get<bool>()) {
      const double rse = e["robust_se"].is_array() ? jnum(e["robust_se"][j]) : jnum(e["robust_se"]);
      EXPECT_TRUE(near_rel(r.terms[j].robust_se, rse, tol));
    }
  }
  EXPECT_TRUE(near_rel(r.loglik0, jnum(e["loglik"][0]), hazard::tol::iterative));
  EXPECT_TRUE(near_rel(r.loglik, jnum(e["loglik"][1]), hazard::tol::iterative));
  EXPECT_TRUE(near_rel(r.score.stat, jnum(e["score"]), hazard::tol::iterative));
  if (c["robust"].get<bool>()) {
    ASSERT_TRUE(r.robust_score.has_value());
    EXPECT_TRUE(near_rel(r.robust_score->stat, jnum(e["rscore"]), tol));
  }
  const json& cc = e["concordance"];
  EXPECT_TRUE(near_rel(r.concordance.concordant, jnum(cc[0]), hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.concordance.discordant, jnum(cc[1]), hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.concordance.tied_x, jnum(cc[2]), hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.concordance.tied_y, jnum(cc[3]), hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.concordance.tied_xy, jnum(cc[4]), hazard::tol::closed_form));
  EXPECT_TRUE(near_rel(r.concordance.estimate, jnum(cc[5]), hazard::tol::iterative));
  EXPECT_TRUE(near_rel(r.concordance.std_err, jnum(cc[6]), tol));
}

TEST(CoxDistributed, MatchesOneProcessAndR) {
  static const json all = hazard::test::reference("cox/cox.json");
  int cases = 0;
  for (const json& c : all) {
    const json& in = c["input"];
    const bool counting = in.contains("start") && !in["start"].is_null();
    if (counting || c["ties"] == "exact" || in.contains("cluster")) continue;
    ++cases;
    check_case(c);
  }
  EXPECT_GE(cases, 15);
  std::printf(
      "largest relative difference from cox_fit: %.3g (%s); in fits with a diverging coefficient: "
      "%.3g\n",
      worst, worst_what.c_str(), worst_diverged);
}

// colon (make_cox_distributed.R): 1822 rows, a 3-level factor, strata, tied times, fractional
// weights (robust variance and robust score test)
TEST(CoxDistributed, ColonMatchesOneProcessAndR) {
  static const json all = hazard::test::reference("cox/cox_distributed.json");
  ASSERT_EQ(all.size(), 3u);
  for (const json& c : all) check_case(c);
  std::printf("largest relative difference from cox_fit: %.3g (%s)\n", worst, worst_what.c_str());
}

TEST(CoxDistributed, LargeHeavyTiesStrataWeights) {
  static const json all = hazard::test::reference("cox/coxfit_large.json");
  for (const json& c : all["cases"]) {
    if (c["ties"] == "exact") continue;
    const std::string name = c["name"].get<std::string>();
    if (name.find("strata") == std::string::npos && name.find("coarse") == std::string::npos)
      continue;
    SCOPED_TRACE(name + ": " + c["call"].get<std::string>());
    const hazard::CoxData d =
        generate(c["n"].get<std::size_t>(), c["strata"].get<bool>(), c["weights"].get<bool>(),
                 c["coarse"].get<bool>(), c["many"].get<bool>());
    const hazard::CoxOptions opt{.ties = ties_of(c["ties"].get<std::string>())};
    const hazard::CoxResult r = check_all_splits(d, opt, true);
    const json& e = c["expect"];
    EXPECT_EQ(r.iterations, e["iter"].get<int>());
    for (std::size_t j = 0; j < 3; ++j) {
      EXPECT_TRUE(near_rel(r.coef[static_cast<Eigen::Index>(j)], jnum(e["coef"][j]),
                           hazard::tol::iterative));
      EXPECT_TRUE(near_rel(r.terms[j].se, jnum(e["se"][j]), hazard::tol::iterative));
    }
    EXPECT_TRUE(near_rel(r.loglik, jnum(e["loglik"][1]), hazard::tol::iterative));
    EXPECT_TRUE(
        near_rel(r.concordance.estimate, jnum(e["concordance"][5]), hazard::tol::iterative));
    EXPECT_TRUE(near_rel(r.concordance.std_err, jnum(e["concordance"][6]), hazard::tol::iterative));
  }
  std::printf(
      "largest relative difference from cox_fit: %.3g (%s); in fits with a diverging coefficient: "
      "%.3g\n",
      worst, worst_what.c_str(), worst_diverged);
}

// Times that differ by a few ulps on different ranks are merged as by one process (timefix)
TEST(CoxDistributed, TimefixAcrossRanks) {
  hazard::CoxData d;
  const double t[] = {1, 2, 3, 3.0000000000001, 4, 5, 5, 6, 7, 7.6, 7.6000000000076, 9};
  const int s[] = {1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1};
  d.x.resize(12, 1);
  for (int i = 0; i < 12; ++i) {
    d.time.push_back(t[i]);
    d.status.push_back(static_cast<std::uint8_t>(s[i]));
    d.x(i, 0) = (i * 7) % 5;
  }
  d.names = {"z"};
  check_all_splits(d, {});
}

// Weights and offsets given on some ranks only: a rank without them has weight 1 and offset 0
TEST(CoxDistributed, WeightsAndOffsetsOnSomeRanks) {
  static const json all = hazard::test::reference("cox/cox.json");
  for (const json& c : all) {
    if (c["name"] != "lung_weights_efron" && c["name"] != "lung_offset_breslow") continue;
    SCOPED_TRACE(c["name"].get<std::string>());
    hazard::CoxData d = make_data(c["input"]);
    // rank 1's rows (i % 7 in {4, 5}) get weight 1 / offset 0, and rank 1 passes none
    std::vector<hazard::CoxData> sp = split(d, 3);
    for (double& w : sp[1].weight) w = 1;
    for (double& o : sp[1].offset) o = 0;
    const hazard::CoxData cat = concat(sp);
    sp[1].weight.clear();
    sp[1].offset.clear();
    const hazard::CoxOptions opt{.ties = ties_of(c["ties"].get<std::string>())};
    const hazard::CoxResult one = hazard::cox_fit(cat, opt);
    const std::vector<hazard::CoxResult> res = run(sp, opt);
    compare(res, sp, cat, one);
    EXPECT_TRUE(same(res[0].coef[0], one.coef[0], "coef"));
    // and the fit differs from the one with rank 1's values (the test can fail)
    EXPECT_GT(std::fabs(res[0].loglik - hazard::cox_fit(d, opt).loglik), 1e-3);
  }
}

// A check that fails on one rank only fails on every rank alike (no rank waits for the others)
TEST(CoxDistributed, RefusalsOnEveryRank) {
  static const json all = hazard::test::reference("cox/cox.json");
  const hazard::CoxData d = make_data(all[0]["input"]);
  std::vector<hazard::CoxData> sp = split(d, 3);
  auto usage_everywhere = [&](const std::vector<hazard::CoxData>& parts,
                              const hazard::CoxOptions& opt, const std::string& words) {
    int thrown = 0;
    hazard::test::run_ranks(3, [&](const hazard::Cluster& c) {
      try {
        hazard::cox_fit_distributed(parts[static_cast<std::size_t>(c.rank())], opt, c);
      } catch (const hazard::UsageError& e) {
        EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
        static std::mutex m;
        std::lock_guard lock(m);
        ++thrown;
      }
    });
    EXPECT_EQ(thrown, 3);
  };
  usage_everywhere(sp, {.ties = hazard::Ties::exact}, "exact");
  auto bad = sp;
  bad[1].weight.assign(bad[1].time.size(), 1.0);
  bad[1].weight[0] = -1;
  usage_everywhere(bad, {}, "positive");
  bad = sp;
  bad[2].start.assign(bad[2].time.size(), 0.0);
  usage_everywhere(bad, {}, "right-censored");
  bad = sp;
  bad[0].cluster.assign(bad[0].time.size(), 1);
  usage_everywhere(bad, {}, "cluster");
  bad = sp;
  bad[2].names[0] = "other";
  usage_everywhere(bad, {}, "different covariates");
}

}  // namespace
