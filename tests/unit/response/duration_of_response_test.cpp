// duration_of_response: KM among responders, responders without a record counted, errors.
#include <gtest/gtest.h>

#include <cmath>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/response.hpp"

namespace {

hazard::ResponseData data() {
  hazard::ResponseData d;
  d.group_name = "ARM";
  d.group_levels = {"C", "T"};
  using B = hazard::Bor;
  d.subject = {"S1", "S2", "S3", "S4", "S5"};
  d.bor = {B::pr, B::sd, B::cr, B::pr, B::pr};
  d.group = {0, 0, 1, 1, 1};
  d.line = {2, 3, 4, 5, 6};
  return d;
}

TEST(DurationOfResponse, KaplanMeierAmongResponders) {
  const auto t = hazard::parse_csv(
      "USUBJID,PARAMCD,AVAL,CNSR\nS1,DOR,4,0\nS3,DOR,2,0\nS4,DOR,5,1\nS9,DOR,1,0\n"
      "S3,PFS,9,0\n",
      "dor.csv");
  const auto keep = hazard::where_mask(t, {{"PARAMCD", "DOR"}});
  const auto r = hazard::duration_of_response(data(), t, keep, {});
  EXPECT_EQ(r.n_filtered, 1u);
  EXPECT_EQ(r.n_outside, 1u);  // S9 is not in the response data
  ASSERT_EQ(r.analyses.size(), 1u);
  const auto& a = r.analyses[0];
  EXPECT_EQ(a.responders, 4u);
  EXPECT_EQ(a.without_record, 1u);  // S5
  ASSERT_EQ(a.arms.size(), 2u);
  EXPECT_EQ(a.arms[0].n, 1u);
  EXPECT_EQ(a.arms[0].median.estimate, 4.0);
  EXPECT_EQ(a.arms[1].n, 2u);
  EXPECT_EQ(a.arms[1].events, 1.0);
  // T: event at 2 (S = 1/2 on [2, 5)), censored at 5: R quantile(survfit(Surv(c(2, 5), c(1, 0)) ~
  // 1), 0.5) gives 3.5 (the midpoint of the flat segment at exactly 0.5), lower limit 2, upper NA.
  EXPECT_EQ(a.arms[1].median.estimate, 3.5);
  EXPECT_EQ(a.arms[1].median.lower, 2.0);
  EXPECT_TRUE(std::isnan(a.arms[1].median.upper));
}

TEST(DurationOfResponse, ArmWithoutRespondersHasNoCurve) {
  auto d = data();
  d.bor[0] = hazard::Bor::sd;
  const auto t = hazard::parse_csv("USUBJID,AVAL,CNSR\nS3,2,0\n", "dor.csv");
  const auto r = hazard::duration_of_response(d, t, {}, {});
  EXPECT_EQ(r.analyses[0].arms[0].n, 0u);
  EXPECT_TRUE(std::isnan(r.analyses[0].arms[0].median.estimate));
  EXPECT_EQ(r.analyses[0].arms[1].n, 1u);
}

TEST(DurationOfResponse, Errors) {
  auto message = [](const std::string& text) {
    const auto t = hazard::parse_csv(text, "dor.csv");
    try {
      hazard::duration_of_response(data(), t, {}, {});
    } catch (const hazard::DataError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("USUBJID,AVAL,CNSR\nS2,3,0\n"),
            "dor.csv:2: column 'USUBJID': value 'S2': subject has a duration-of-response record "
            "but its best "
            "overall response is SD (only CR or PR responders have a duration of response)");
  EXPECT_EQ(message("USUBJID,AVAL,CNSR\nS1,3,0\nS1,4,0\n"),
            "dor.csv:3: column 'USUBJID': value 'S1': subject appears twice among the "
            "duration-of-response rows "
            "(also at line 2)");
  EXPECT_EQ(message("USUBJID,AVAL,CNSR\nS1,-3,0\n"),
            "dor.csv:2: column 'AVAL': value '-3': the duration of response must be a finite "
            "number >= 0");
  EXPECT_EQ(message("USUBJID,AVAL,CNSR\nS1,3,0.5\n"),
            "dor.csv:2: column 'CNSR': value '0.5': CNSR must be 0 (event) or a positive integer "
            "(censored)");
}

}  // namespace
