// build_response_data: one best overall response per subject, ADSL subjects without a record,
// and the errors naming file, line, column and value.
#include <gtest/gtest.h>

#include <string>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/response.hpp"

namespace {

hazard::Table csv(const std::string& text, const std::string& name) {
  return hazard::parse_csv(text, name);
}

const char* adrs =
    "USUBJID,PARAMCD,AVALC,ARM,S\n"
    "A1,BOR,CR,T,x\n"
    "A2,BOR,SD,T,y\n"
    "A3,BOR,,C,x\n"
    "A3,OVR,PR,C,x\n"
    "A4,BOR,pd,C,\n";

std::vector<char> bor_rows(const hazard::Table& t) {
  return hazard::where_mask(t, {{"PARAMCD", "BOR"}});
}

TEST(ResponseData, OneSubjectPerKeptRow) {
  const auto t = csv(adrs, "adrs.csv");
  const auto d = hazard::build_response_data(t, bor_rows(t), {.group = "ARM", .ref = "C"});
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d.n_filtered, 1u);
  EXPECT_EQ(d.group_levels, (std::vector<std::string>{"C", "T"}));
  EXPECT_EQ(d.bor[0], hazard::Bor::cr);
  EXPECT_EQ(d.bor[2], hazard::Bor::missing);  // blank: no assessment
  EXPECT_EQ(d.bor[3], hazard::Bor::pd);
  EXPECT_EQ(d.group[0], 1);
  EXPECT_EQ(d.line[3], 6u);
}

TEST(ResponseData, MissingStratumIsAnExclusion) {
  const auto t = csv(adrs, "adrs.csv");
  const auto d = hazard::build_response_data(t, bor_rows(t), {.group = "ARM", .strata = {"S"}});
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d.excluded.count, 1u);
  EXPECT_EQ(d.excluded.reasons.at("missing stratum"), 1u);
  EXPECT_EQ(d.strata_levels, (std::vector<std::string>{"S=x", "S=y"}));
}

TEST(ResponseData, AdslSubjectsWithoutARecordAreMissing) {
  const auto t = csv(adrs, "adrs.csv");
  const auto adsl =
      csv("USUBJID,ARM,ITTFL\nA1,T,Y\nA2,T,Y\nA3,C,Y\nA4,C,Y\nA5,T,Y\nA6,C,N\n", "adsl.csv");
  const auto keep = hazard::where_mask(adsl, {{"ITTFL", "Y"}});
  const auto d = hazard::build_response_data(t, bor_rows(t), {.group = "ARM"}, &adsl, keep);
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d.n_without_record, 1u);
  EXPECT_EQ(d.subject[4], "A5");
  EXPECT_EQ(d.bor[4], hazard::Bor::missing);
  EXPECT_EQ(d.group_levels[static_cast<std::size_t>(d.group[4])], "T");
}

TEST(ResponseData, ErrorsNameFileLineColumnValue) {
  auto message = [](const std::string& text, hazard::ResponseColumns c,
                    const hazard::Table* adsl = nullptr) {
    const auto t = csv(text, "adrs.csv");
    try {
      hazard::build_response_data(t, bor_rows(t), c, adsl);
    } catch (const hazard::DataError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("USUBJID,PARAMCD,AVALC,ARM\nA1,BOR,CR,T\nA2,BOR,VGPR,C\n", {.group = "ARM"}),
            "adrs.csv:3: column 'AVALC': value 'VGPR': not a best overall response term: expected "
            "CR, PR, SD, "
            "NON-CR/NON-PD, PD or NE (RECIST 1.1 controlled terms; blank = no assessment)");
  EXPECT_EQ(
      message("USUBJID,PARAMCD,AVALC,ARM\nA1,BOR,CR,T\nA1,BOR,PR,T\n", {.group = "ARM"}),
      "adrs.csv:3: column 'USUBJID': value 'A1': subject appears twice among the analysed rows "
      "(also at line "
      "2): one best overall response per subject is expected (select it with --where PARAMCD=BOR)");
  EXPECT_EQ(message("USUBJID,PARAMCD,AVALC,ARM\nA1,BOR,1,T\n", {.group = "ARM"}),
            "adrs.csv:2: column 'AVALC': value '1': the response column holds numbers; it must "
            "hold the RECIST "
            "1.1 terms CR, PR, SD, NON-CR/NON-PD, PD, NE (use --response AVALC)");
  const auto adsl = csv("USUBJID,ARM\nA1,T\n", "adsl.csv");
  EXPECT_EQ(
      message("USUBJID,PARAMCD,AVALC,ARM\nA1,BOR,CR,T\nA9,BOR,PR,C\n", {.group = "ARM"}, &adsl),
      "adrs.csv:3: column 'USUBJID': value 'A9': subject A9 is not in the ADSL file adsl.csv");
  EXPECT_NE(message("USUBJID,PARAMCD,AVALC,ARM\nA1,BOR,CR,T\n", {.group = "ARM", .ref = "Z"})
                .find("no such level"),
            std::string::npos);
}

}  // namespace
