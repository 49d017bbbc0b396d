// The data layer of the switching methods (src/crossover/switch_data.cpp): values read from a
// table, and every invalid value a DataError naming file, line, column and value.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <string_view>

#include "hazard/crossover.hpp"
#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/survdata.hpp"

namespace {

using namespace hazard;

constexpr std::string_view header = "USUBJID,AVAL,CNSR,ARM,XOFL,XOTM,DCO\n";

// header + body (built by append: GCC 12 warns falsely (-Wrestrict) on some inlined string
// concatenations and literal assignments at -O3)
std::string csv(std::string_view head, const std::string& body) {
  std::string text(head);
  text.append(body);
  return text;
}

SwitchData build(const std::string& body, SwitchRoles roles = {}) {
  const Table t = parse_csv(csv(header, body), "t.csv");
  const Roles r{
      .time = "AVAL", .event = "CNSR", .coding = EventCoding::cnsr, .group = "ARM", .ref = "C"};
  const SurvData sd = build_surv_data(t, r);
  roles.switch_flag = std::string("XOFL");
  roles.switch_time = std::string("XOTM");
  return build_switch_data(t, sd, roles);
}

void expect_error(const std::string& body, std::uint64_t line, const std::string& column,
                  const std::string& value, SwitchRoles roles = {}) {
  try {
    build(body, roles);
    ADD_FAILURE() << "no error for\n" << body;
  } catch (const DataError& e) {
    EXPECT_EQ(e.where().file, "t.csv");
    EXPECT_EQ(e.where().line, line);
    EXPECT_EQ(e.where().column, column);
    EXPECT_EQ(e.where().value, value);
  }
}

TEST(SwitchData, ReadsFlagsTimesAndCensoring) {
  const SwitchData d = build("a,10,0,C,Y,4,20\nb,12,1,E,,,20\nc,7,0,C,n,,30\nd,9,0,C,1,0,30\n",
                             {.censor_time = "DCO"});
  EXPECT_EQ(d.arm, (std::vector<std::int32_t>{0, 1, 0, 0}));
  EXPECT_EQ(d.switched, (std::vector<std::uint8_t>{1, 0, 0, 1}));
  EXPECT_EQ(d.switch_time[0], 4);
  EXPECT_TRUE(std::isnan(d.switch_time[1]));
  EXPECT_EQ(d.switch_time[3], 0);
  EXPECT_EQ(d.censor_time, (std::vector<double>{20, 20, 30, 30}));
  EXPECT_EQ(d.status, (std::vector<std::uint8_t>{1, 0, 1, 1}));
}

TEST(SwitchData, CensoringFromCutoffAndRandomizationDate) {
  // (cut-off - randomization + 1) days, in months of 30.4375 days
  const Table t = parse_csv(
      "USUBJID,AVAL,CNSR,ARM,XOFL,XOTM,RANDDT\na,1,0,C,N,,100\nb,2,0,E,N,,200\n", "t.csv");
  Roles r{.time = "AVAL", .event = "CNSR", .coding = EventCoding::cnsr, .group = "ARM", .ref = "C"};
  const SurvData sd = build_surv_data(t, r);
  const SwitchData d = build_switch_data(t, sd,
                                         {.switch_flag = "XOFL",
                                          .switch_time = "XOTM",
                                          .cutoff_date = 400,
                                          .rand_date = "RANDDT",
                                          .days_per_unit = 30.4375});
  EXPECT_DOUBLE_EQ(d.censor_time[0], 301 / 30.4375);
  EXPECT_DOUBLE_EQ(d.censor_time[1], 201 / 30.4375);
}

TEST(SwitchData, ErrorsNameLineColumnAndValue) {
  expect_error("a,10,0,C,maybe,4,20\nb,10,0,E,N,,20\n", 2, "XOFL", "maybe");
  expect_error("a,10,0,C,N,,20\nb,10,0,E,Y,4,20\n", 3, "XOFL",
               "Y");  // switch in the experimental arm
  expect_error("a,10,0,E,N,,20\nb,10,0,C,Y,,20\n", 3, "XOTM", "");  // flag without a time
  expect_error("a,10,0,C,Y,11,20\nb,10,0,E,N,,20\n", 2, "XOTM",
               "11");  // after the end of follow-up
  expect_error("a,10,0,C,Y,4,9\nb,10,0,E,N,,20\n", 2, "DCO", "9", {.censor_time = "DCO"});
  expect_error("a,10,0,C,Y,4,\nb,10,0,E,N,,20\n", 2, "DCO", "", {.censor_time = "DCO"});
}

// as a one-level --group in logrank and cox: a data error (exit 3)
TEST(SwitchData, OneArmIsADataError) {
  EXPECT_THROW(build("a,10,0,C,N,,20\nb,10,0,C,N,,20\n"), DataError);
}

}  // namespace
