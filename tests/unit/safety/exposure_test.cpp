// exposure_from_dates and exposure_from_adex: days of exposure per subject, and the errors.
#include <gtest/gtest.h>

#include <functional>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/safety.hpp"

namespace {

hazard::SafetyPopulation population(const hazard::Table& adsl) {
  return hazard::safety_population(adsl, hazard::where_mask(adsl, {{"SAFFL", "Y"}}),
                                   {.group = "ARM"});
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const hazard::DataError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Exposure, FromDatesCountsBothDays) {
  const auto adsl = hazard::parse_csv(
      "USUBJID,ARM,SAFFL,TRTSDT,TRTEDT\n1,A,Y,100,100\n2,B,Y,100,130\n3,B,N,,\n", "adsl.csv");
  auto p = population(adsl);
  hazard::exposure_from_dates(p, adsl, "TRTSDT", "TRTEDT");
  EXPECT_EQ(p.exposure_days, (std::vector<double>{1, 31}));
  EXPECT_NE(p.exposure_source.find("TRTEDT - TRTSDT + 1"), std::string::npos);
}

TEST(Exposure, FromDatesErrors) {
  const auto adsl =
      hazard::parse_csv("USUBJID,ARM,SAFFL,TRTSDT,TRTEDT\n1,A,Y,100,\n2,B,Y,100,99\n", "adsl.csv");
  auto p = population(adsl);
  EXPECT_EQ(error_of([&] { hazard::exposure_from_dates(p, adsl, "TRTSDT", "TRTEDT"); }),
            "adsl.csv:2: column 'TRTEDT': value '': the treatment end date of subject 1 of the "
            "safety population is "
            "missing: its exposure is unknown (impute it, e.g. the cut-off date for ongoing "
            "treatment, give --adex, "
            "or --no-rates)");
  const auto adsl2 =
      hazard::parse_csv("USUBJID,ARM,SAFFL,TRTSDT,TRTEDT\n2,B,Y,100,99\n", "adsl.csv");
  auto p2 = population(adsl2);
  EXPECT_EQ(error_of([&] { hazard::exposure_from_dates(p2, adsl2, "TRTSDT", "TRTEDT"); }),
            "adsl.csv:2: column 'TRTEDT': value '99': the treatment end date is before the start "
            "date (TRTSDT = 100) "
            "of subject 2");
}

TEST(Exposure, FromAdex) {
  const auto adsl = hazard::parse_csv("USUBJID,ARM,SAFFL\n1,A,Y\n2,B,Y\n3,B,N\n", "adsl.csv");
  auto p = population(adsl);
  const auto adex = hazard::parse_csv(
      "USUBJID,PARAMCD,AVAL,AVALU\n1,TRTDURD,10,DAYS\n1,RDI,90,%\n2,TRTDURD,31,DAYS\n3,TRTDURD,5,"
      "DAYS\n",
      "adex.csv");
  hazard::exposure_from_adex(p, adex, hazard::where_mask(adex, {{"PARAMCD", "TRTDURD"}}));
  EXPECT_EQ(p.exposure_days, (std::vector<double>{10, 31}));
  // two records of one subject; a unit that is not days; a subject without a record
  EXPECT_EQ(error_of([&] { hazard::exposure_from_adex(p, adex, {}); }),
            "adex.csv:3: column 'USUBJID': value '1': subject has two exposure records (also at "
            "line 2): select one "
            "parameter, e.g. --exposure-param TRTDURD");
  const auto weeks = hazard::parse_csv("USUBJID,AVAL,AVALU\n1,2,WEEKS\n2,3,WEEKS\n", "adex.csv");
  EXPECT_EQ(error_of([&] { hazard::exposure_from_adex(p, weeks, {}); }),
            "adex.csv:2: column 'AVALU': value 'WEEKS': the exposure must be in days");
  const auto one = hazard::parse_csv("USUBJID,AVAL\n1,2\n", "adex.csv");
  EXPECT_EQ(error_of([&] { hazard::exposure_from_adex(p, one, {}); }),
            "adex.csv: column 'USUBJID': value '2': subject of the safety population (ADSL line 3) "
            "has no exposure "
            "record");
}

}  // namespace
