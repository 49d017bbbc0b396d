// ae_data: treatment-emergent records of the population, derived flags, and the errors for bad
// input (subject not in ADSL, grade outside 1-5, terms outside the CDISC codelists).
#include <gtest/gtest.h>

#include <string>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/safety.hpp"

namespace {

const char* adsl_text = "USUBJID,ARM,SAFFL\n1,A,Y\n2,B,Y\n3,B,N\n";
const char* header = "USUBJID,TRTEMFL,AEBODSYS,AEDECOD,AETOXGR,AESER,AEACN,AEOUT,AESDTH\n";

hazard::AeData run(const std::string& rows) {
  const auto adsl = hazard::parse_csv(adsl_text, "adsl.csv");
  const auto p =
      hazard::safety_population(adsl, hazard::where_mask(adsl, {{"SAFFL", "Y"}}), {.group = "ARM"});
  const auto adae = hazard::parse_csv(std::string(header) + rows, "adae.csv");
  return hazard::ae_data(adae, {}, p, {}, adsl);
}

std::string error_of(const std::string& rows) {
  try {
    run(rows);
  } catch (const hazard::DataError& e) {
    return e.what();
  }
  return "no error";
}

TEST(AdverseEvents, KeepsTreatmentEmergentRecordsOfThePopulation) {
  const auto ae =
      run("1,Y,Gastro,Diarrhoea,3,N,DOSE REDUCED,RECOVERED/RESOLVED,N\n"
          "1,,Gastro,Nausea,1,N,NOT APPLICABLE,RECOVERED/RESOLVED,N\n"  // not emergent
          "2,Y,Vascular,Hypertension,,Y,drug withdrawn,,\n"             // no grade, lower case term
          "3,Y,Gastro,Nausea,2,N,DOSE NOT CHANGED,RECOVERED/RESOLVED,N\n"  // SAFFL = N
          "2,Y,Cardiac,Cardiac arrest,5,Y,NOT APPLICABLE,FATAL,Y\n");
  EXPECT_EQ(ae.n_not_emergent, 1u);
  EXPECT_EQ(ae.n_outside_population, 1u);
  ASSERT_EQ(ae.records.size(), 3u);
  EXPECT_EQ(ae.n_missing_grade, 1u);
  EXPECT_TRUE(ae.records[0].reduced);
  EXPECT_EQ(ae.records[0].grade, 3);
  EXPECT_TRUE(ae.records[1].withdrawn);
  EXPECT_TRUE(ae.records[1].serious);
  EXPECT_TRUE(ae.records[2].fatal);
  EXPECT_EQ(ae.socs, (std::vector<std::string>{"Gastro", "Vascular", "Cardiac"}));
  EXPECT_EQ(ae.terms[static_cast<std::size_t>(ae.records[1].term)], "Hypertension");
}

TEST(AdverseEvents, BadInputNamesFileLineColumnValue) {
  EXPECT_EQ(error_of("9,Y,Gastro,Diarrhoea,3,N,DOSE REDUCED,RECOVERED/RESOLVED,N\n"),
            "adae.csv:2: column 'USUBJID': value '9': subject 9 is not in the ADSL file adsl.csv");
  EXPECT_EQ(error_of("1,Y,Gastro,Diarrhoea,6,N,DOSE REDUCED,RECOVERED/RESOLVED,N\n"),
            "adae.csv:2: column 'AETOXGR': value '6': the adverse event grade must be 1, 2, 3, 4 "
            "or 5 (NCI-CTCAE)");
  EXPECT_EQ(error_of("1,Y,Gastro,Diarrhoea,3,N,DOSE REDUCED,RECOVERED/RESOLVED,N\n"
                     "1,Y,Gastro,Diarrhoea,Grade 3,N,DOSE REDUCED,RECOVERED/RESOLVED,N\n"),
            "adae.csv:3: column 'AETOXGR': value 'Grade 3': the adverse event grade must be 1, 2, "
            "3, 4 or 5 "
            "(NCI-CTCAE)");
  EXPECT_EQ(error_of("1,Y,Gastro,Diarrhoea,2.5,N,DOSE REDUCED,RECOVERED/RESOLVED,N\n"),
            "adae.csv:2: column 'AETOXGR': value '2.5': the adverse event grade must be 1, 2, 3, 4 "
            "or 5 (NCI-CTCAE)");
  EXPECT_EQ(
      error_of("1,Y,Gastro,Diarrhoea,3,Yes,DOSE REDUCED,RECOVERED/RESOLVED,N\n"),
      "adae.csv:2: column 'AESER': value 'Yes': expected Y or N (CDISC NY codelist) or blank");
  EXPECT_NE(
      error_of("1,Y,Gastro,Diarrhoea,3,N,STOPPED,RECOVERED/RESOLVED,N\n")
          .find("adae.csv:2: column 'AEACN': value 'STOPPED': not a CDISC action taken (ACN) term"),
      std::string::npos);
  EXPECT_NE(error_of("1,Y,Gastro,Diarrhoea,3,N,DOSE REDUCED,DEAD,N\n")
                .find("adae.csv:2: column 'AEOUT': value 'DEAD': not a CDISC outcome (OUT) term"),
            std::string::npos);
  EXPECT_EQ(error_of("1,Y,,Diarrhoea,3,N,DOSE REDUCED,RECOVERED/RESOLVED,N\n"),
            "adae.csv:2: column 'AEBODSYS': value '': a treatment-emergent adverse event without a "
            "coded term "
            "(system organ class and preferred term are required)");
}

}  // namespace
