// The proportional-hazards test (hazard::cox_zph, src/cox/cox_zph.cpp) against R survival 3.5's cox.zph (tests/reference/cox_diag/
// make_cox_diag.R): per term (a categorical covariate is one term) and global, for the km,
// identity, rank and log transforms, right-censored and (start, stop] data, strata, weights.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "cox_diag_util.hpp"
#include "hazard/error.hpp"

namespace {

hazard::ZphTransform transform_of(const std::string& s) {
  if (s == "identity") return hazard::ZphTransform::identity;
  if (s == "rank") return hazard::ZphTransform::rank;
  if (s == "log") return hazard::ZphTransform::log;
  return hazard::ZphTransform::km;
}

using hazard::test::near_rel;
using nlohmann::json;

class Zph : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Zph, MatchesR) {
  const json& c = hazard::test::diag_cases()[GetParam()];
  SCOPED_TRACE(c["name"].get<std::string>() + ": " + c["call"].get<std::string>());
  const json& in = c["input"];
  const hazard::CoxData data = hazard::test::diag_data_of(in);
  const hazard::CoxResult fit = hazard::cox_fit(data, {.ties = hazard::test::diag_ties(c["ties"])});
  std::vector<std::size_t> term;
  std::vector<std::string> term_names;
  for (double a : hazard::test::json_vec(in["assign"])) term.push_back(static_cast<std::size_t>(a));
  if (in["term_names"].is_array())
    for (const auto& s : in["term_names"]) term_names.push_back(s.get<std::string>());
  else
    term_names.push_back(in["term_names"].get<std::string>());
  for (const auto& [tr, ref] : c["expect"]["zph"].items()) {
    SCOPED_TRACE("transform " + tr);
    const hazard::PhTest z = hazard::cox_zph(data, fit, transform_of(tr), term, term_names);
    EXPECT_EQ(hazard::to_string(z.transform), tr);
    const auto chisq = hazard::test::json_vec(ref["chisq"]);
    const auto df = hazard::test::json_vec(ref["df"]);
    const auto p = hazard::test::json_vec(ref["p"]);
    std::vector<std::string> terms;
    if (ref["terms"].is_array())
      for (const auto& s : ref["terms"]) terms.push_back(s.get<std::string>());
    else
      terms.push_back(ref["terms"].get<std::string>());
    ASSERT_EQ(z.terms.size(), terms.size());
    for (std::size_t k = 0; k < terms.size(); ++k) {
      EXPECT_EQ(z.terms[k].term, terms[k]);
      EXPECT_TRUE(near_rel(z.terms[k].chisq, chisq[k], hazard::tol::derived)) << terms[k];
      EXPECT_EQ(z.terms[k].df, df[k]);
      EXPECT_TRUE(near_rel(z.terms[k].p, p[k], hazard::tol::derived)) << terms[k];
    }
    const std::size_t g = terms.size();
    double worst = std::fabs(z.global.chisq - chisq[g]) / std::fabs(chisq[g]);
    for (std::size_t k = 0; k < terms.size() && k < z.terms.size(); ++k)
      worst = std::max(worst, std::fabs(z.terms[k].chisq - chisq[k]) / std::fabs(chisq[k]));
    std::printf("%-28s %-9s terms %zu global chisq %.6g  max rel diff %.2e\n", c["name"].get<std::string>().c_str(),
                tr.c_str(), terms.size(), z.global.chisq, worst);
    EXPECT_TRUE(near_rel(z.global.chisq, chisq[g], hazard::tol::derived)) << "GLOBAL";
    EXPECT_EQ(z.global.df, df[g]);
    EXPECT_TRUE(near_rel(z.global.p, p[g], hazard::tol::derived)) << "GLOBAL";
  }
}

INSTANTIATE_TEST_SUITE_P(R, Zph, ::testing::Range<std::size_t>(0, hazard::test::diag_case_count()));

}  // namespace
