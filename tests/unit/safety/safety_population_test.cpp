// safety_population: population flag, arms coded with the reference first, exclusions, errors.
#include <gtest/gtest.h>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/safety.hpp"

namespace {

const char* adsl =
    "STUDYID,USUBJID,TRT01A,SAFFL,COHORT\n"
    "S,1,B,Y,x\n"
    "S,2,A,Y,y\n"
    "S,3,,N,x\n"
    "S,4,,Y,x\n"
    "S,5,B,Y,x\n";

TEST(SafetyPopulation, FlagArmsAndExclusions) {
  const auto t = hazard::parse_csv(adsl, "adsl.csv");
  const auto keep = hazard::where_mask(t, {{"SAFFL", "Y"}});
  const auto p =
      hazard::safety_population(t, keep, {.group = "TRT01A", .ref = "B", .by = "COHORT"});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p.n_filtered, 1u);
  EXPECT_EQ(p.excluded.reasons.at("missing group"), 1u);  // subject 4: SAFFL = Y without an arm
  EXPECT_EQ(p.group_levels, (std::vector<std::string>{"B", "A"}));
  EXPECT_EQ(p.arm, (std::vector<std::int32_t>{0, 1, 0}));
  EXPECT_EQ(p.by_levels, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(p.subject[2], "5");
  EXPECT_EQ(p.line[2], 6u);
}

TEST(SafetyPopulation, DuplicateSubjectIsAnError) {
  const auto t = hazard::parse_csv("USUBJID,TRT01A\n1,A\n2,B\n1,A\n", "adsl.csv");
  try {
    hazard::safety_population(t, {}, {.group = "TRT01A"});
    FAIL() << "no error";
  } catch (const hazard::DataError& e) {
    EXPECT_STREQ(
        e.what(),
        "adsl.csv:4: column 'USUBJID': value '1': subject appears twice in the ADSL file (also at "
        "line 2); ADSL has one row per subject");
  }
  EXPECT_THROW(hazard::safety_population(t, {0, 0, 0}, {.group = "TRT01A"}), hazard::DataError);
}

}  // namespace
