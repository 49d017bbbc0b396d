// build_qol_data: the baseline and the other assessments per subject, ADSL subjects without a
// record, and the errors (two baselines, two assessments at one time, bad flag).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "hazard/csv.hpp"
#include "hazard/deterioration.hpp"
#include "hazard/error.hpp"

namespace {

const char* adqs =
    "USUBJID,PARAMCD,AVAL,ABLFL,ADY,ARM\n"
    "1,GHS,70,Y,0,A\n"
    "1,GHS,60,,57,A\n"
    "1,GHS,65,,29,A\n"
    "1,GHS,,,85,A\n"
    "1,DI,0,Y,0,A\n"
    "2,GHS,50,,29,B\n";

std::string error_of(const std::string& text,
                     const std::vector<hazard::WhereClause>& where = {{"PARAMCD", "GHS"}}) {
  const auto t = hazard::parse_csv(text, "adqs.csv");
  try {
    hazard::build_qol_data(t, hazard::where_mask(t, where), {.group = "ARM"});
  } catch (const hazard::DataError& e) {
    return e.what();
  }
  return "no error";
}

TEST(QolData, BaselineAndSortedAssessments) {
  const auto t = hazard::parse_csv(adqs, "adqs.csv");
  const auto q = hazard::build_qol_data(t, hazard::where_mask(t, {{"PARAMCD", "GHS"}}),
                                        {.group = "ARM", .ref = "B"});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q.n_filtered, 1u);
  EXPECT_EQ(q.n_missing_value, 1u);
  EXPECT_EQ(q.group_levels, (std::vector<std::string>{"B", "A"}));
  EXPECT_EQ(q.base[0], 70);
  ASSERT_EQ(q.visits[0].size(), 2u);
  EXPECT_EQ(q.visits[0][0].time, 29);  // sorted by time
  EXPECT_EQ(q.visits[0][1].value, 60);
  EXPECT_TRUE(std::isnan(q.base[1]));  // subject 2 has no baseline
}

TEST(QolData, AdslSubjectsWithoutAQuestionnaire) {
  const auto t = hazard::parse_csv(adqs, "adqs.csv");
  const auto adsl = hazard::parse_csv("USUBJID,ARM\n1,A\n2,B\n3,B\n", "adsl.csv");
  const auto q = hazard::build_qol_data(t, hazard::where_mask(t, {{"PARAMCD", "GHS"}}),
                                        {.group = "ARM"}, &adsl);
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q.n_without_record, 1u);
  EXPECT_EQ(q.subject[2], "3");
  EXPECT_TRUE(std::isnan(q.base[2]));
}

TEST(QolData, Errors) {
  EXPECT_EQ(error_of(adqs, {}),
            "adqs.csv:6: column 'USUBJID': value '1': subject has two baseline records (ABLFL = Y; "
            "also at line 2): one "
            "baseline per subject and parameter is expected (select the parameter with --param)");
  EXPECT_EQ(error_of("USUBJID,AVAL,ABLFL,ADY,ARM\n1,70,Y,0,A\n1,60,,29,A\n1,50,,29,A\n", {}),
            "adqs.csv:4: column 'ADY': value '29': subject 1 has two assessments at the same time "
            "(also at line 3): "
            "keep one per visit, e.g. --where ANL01FL=Y");
  EXPECT_EQ(error_of("USUBJID,AVAL,ABLFL,ADY,ARM\n1,70,YES,0,A\n", {}),
            "adqs.csv:2: column 'ABLFL': value 'YES': the baseline flag must be Y, N or blank");
  EXPECT_EQ(error_of("USUBJID,AVAL,ABLFL,ADY,ARM\n1,high,Y,0,A\n", {}),
            "adqs.csv:2: column 'AVAL': value 'high': the score (--value) must be a number");
}

}  // namespace
