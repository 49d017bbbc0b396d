// The right-censored Cox kernel (src/cox/coxfit.cpp) on data large enough for its two-thread
// path, against R's coxph (tests/reference/cox/make_coxfit_large.R): heavy ties (Efron terms with
// about 30 deaths per time), case weights, strata, and a last stratum without events; scores
// with few and with tens of thousands of distinct values (the concordance's two paths). The rows
// are generated from the row number with the same integer arithmetic as the R script.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "hazard/cox.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

namespace {

using hazard::test::jnum;
using hazard::test::near_rel;
using nlohmann::json;

// make_coxfit_large.R's gen(n); `coarse`: times %/% 50; `many`: x3m (307 values) for x3;
// `distinct`: the times tdistinct (no ties)
hazard::CoxData generate(std::size_t n, bool strata, bool weights, bool coarse, bool many,
                         bool distinct) {
  hazard::CoxData d;
  d.x.resize(static_cast<Eigen::Index>(n), 3);
  d.names = {"x1", "x2", "x3"};
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    const double x1 = static_cast<double>(i % 2);
    const std::size_t t =
        (i * 7919) % 997 + 1 + 300 * (i % 2) + (i * 31) % 101 + 20 * ((i * 17) % 13);
    d.time.push_back(static_cast<double>(distinct ? (i * 7919) % 70001 + 1 : coarse ? t / 50 : t));
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

TEST(CoxfitLarge, MatchesR) {
  static const json all = hazard::test::reference("cox/coxfit_large.json");
  for (const json& c : all["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>() + ": " + c["call"].get<std::string>());
    const json& e = c["expect"];
    const hazard::CoxData d =
        generate(c["n"].get<std::size_t>(), c["strata"].get<bool>(), c["weights"].get<bool>(),
                 c["coarse"].get<bool>(), c["many"].get<bool>(), c.value("distinct", false));
    const hazard::CoxResult r = hazard::cox_fit(
        d, {.ties = c["ties"] == "efron"     ? hazard::Ties::efron
                    : c["ties"] == "exact" ? hazard::Ties::exact
                                           : hazard::Ties::breslow});
    EXPECT_EQ(r.iterations, e["iter"].get<int>());
    for (std::size_t j = 0; j < 3; ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      EXPECT_TRUE(near_rel(r.coef[jj], jnum(e["coef"][j]), hazard::tol::iterative));
      EXPECT_TRUE(near_rel(r.terms[j].se, jnum(e["se"][j]), hazard::tol::iterative));
    }
    EXPECT_TRUE(near_rel(r.loglik0, jnum(e["loglik"][0]), hazard::tol::iterative));
    EXPECT_TRUE(near_rel(r.loglik, jnum(e["loglik"][1]), hazard::tol::iterative));
    EXPECT_TRUE(near_rel(r.score.stat, jnum(e["score"]), hazard::tol::iterative));
    // concordance: the pair counts are sums of products of weights (exact up to rounding); C and
    // its SE come from the fitted scores
    const hazard::CoxConcordance& cc = r.concordance;
    const json& ec = e["concordance"];
    EXPECT_TRUE(near_rel(cc.concordant, jnum(ec[0]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(cc.discordant, jnum(ec[1]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(cc.tied_x, jnum(ec[2]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(cc.tied_y, jnum(ec[3]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(cc.tied_xy, jnum(ec[4]), hazard::tol::closed_form));
    EXPECT_TRUE(near_rel(cc.estimate, jnum(ec[5]), hazard::tol::iterative));
    EXPECT_TRUE(near_rel(cc.std_err, jnum(ec[6]), hazard::tol::iterative));
  }
}

}  // namespace
