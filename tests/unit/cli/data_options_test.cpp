// The command line's shared data flags end to end (parse -> roles -> load_surv_data) on the
// fixtures of tests/reference/formats/ (written by make_formats.R with R's haven); expectations
// come from R (the merged CSV R wrote) or from the plain reading of the test data.
#include "data_options.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hazard/error.hpp"
#include "hazard/read.hpp"

using namespace hazard;
using hazard::cli::DataOptions;

namespace {

std::string fixture(const std::string& name) { return std::string(HAZARD_REFERENCE_DIR) + "/formats/" + name; }

SurvData load(std::vector<std::string> args, Table* table = nullptr) {
  CLI::App app;
  DataOptions o;
  hazard::cli::add_data_options(&app, o);
  std::vector<std::string> argv = {"hazard"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  app.parse(static_cast<int>(raw.size()), raw.data());
  Roles roles = hazard::cli::make_roles(o);
  return hazard::cli::load_surv_data(o, roles, table);
}

std::string error_of(std::vector<std::string> args) {
  try {
    load(std::move(args));
  } catch (const DataError& e) {
    return e.what();
  } catch (const UsageError& e) {
    return std::string("usage: ") + e.what();
  }
  return "no error";
}

}  // namespace

TEST(DataOptions, AdslJoinGivesWhatRsMergeGives) {
  // R merged ADTTE and ADSL on STUDYID/USUBJID (make_formats.R) and wrote adtte_adsl.csv.
  SurvData joined = load({"--data", fixture("adtte.xpt"), "--adsl", fixture("adsl.xpt"), "--time", "AVAL",
                          "--cnsr", "CNSR", "--group", "TRT01P", "--ref", "Placebo", "--strata", "STRAT1",
                          "--where", "PARAMCD=PFS", "--population", "ITTFL"});
  SurvData csv = load({"--data", fixture("adtte_adsl.csv"), "--time", "AVAL", "--cnsr", "CNSR", "--group",
                       "TRT01P", "--ref", "Placebo", "--strata", "STRAT1", "--where", "PARAMCD=PFS",
                       "--population", "ITTFL"});
  EXPECT_EQ(joined.time, csv.time);
  EXPECT_EQ(joined.status, csv.status);
  EXPECT_EQ(joined.group, csv.group);
  EXPECT_EQ(joined.group_levels, (std::vector<std::string>{"Placebo", "Drug"}));
  EXPECT_EQ(joined.stratum, csv.stratum);
  EXPECT_EQ(joined.strata_levels, csv.strata_levels);
  EXPECT_EQ(joined.n_read, 456u);                 // 228 subjects x 2 parameters
  EXPECT_EQ(joined.size(), 228u - 22u);           // ITTFL = "N" for every 10th subject
  EXPECT_EQ(joined.n_filtered, 456u - 206u);
}

TEST(DataOptions, TimeFromSasDates) {
  Table t;
  SurvData days = load({"--data", fixture("lung_v5.xpt"), "--time-from", "STARTDT", "--time-to", "ADT",
                        "--cnsr", "CNSR"}, &t);
  SurvData aval = load({"--data", fixture("lung.csv"), "--time", "AVAL", "--cnsr", "CNSR"});
  EXPECT_EQ(days.time, aval.time);  // ADT - STARTDT = AVAL by construction in make_formats.R
  EXPECT_EQ(t.at("ADT-STARTDT").label, "Time from STARTDT to ADT (days)");
  SurvData months = load({"--data", fixture("lung.json"), "--time-from", "STARTDT", "--time-to", "ADT",
                          "--units", "months", "--cnsr", "CNSR"});
  SurvData years = load({"--data", fixture("lung.sas7bdat"), "--time-from", "STARTDT", "--time-to", "ADT",
                         "--units", "years", "--cnsr", "CNSR"});
  ASSERT_EQ(months.size(), aval.size());
  for (std::size_t i = 0; i < aval.size(); ++i) {
    EXPECT_EQ(months.time[i], aval.time[i] / 30.4375);
    EXPECT_EQ(years.time[i], aval.time[i] / 365.25);
  }
}

// --units states the unit of the time column; --display-units converts before the analysis (the
// clinical convention: 7 days a week, 30.4375 a month, 365.25 a year), as R's Surv(time / 30.4375).
TEST(DataOptions, DisplayUnitsConvertTheTime) {
  SurvData days = load({"--data", fixture("lung.csv"), "--time", "AVAL", "--cnsr", "CNSR"});
  SurvData months = load({"--data", fixture("lung.csv"), "--time", "AVAL", "--cnsr", "CNSR",
                          "--units", "days", "--display-units", "months"});
  SurvData weeks = load({"--data", fixture("lung.csv"), "--time", "AVAL", "--cnsr", "CNSR",
                         "--units", "weeks", "--display-units", "days"});
  SurvData stated =
      load({"--data", fixture("lung.csv"), "--time", "AVAL", "--cnsr", "CNSR", "--units", "weeks"});
  ASSERT_EQ(months.size(), days.size());
  for (std::size_t i = 0; i < days.size(); ++i) {
    EXPECT_EQ(months.time[i], days.time[i] / 30.4375);
    EXPECT_EQ(weeks.time[i], days.time[i] * 7);
    EXPECT_EQ(stated.time[i], days.time[i]);  // --units alone only states the unit
  }
  // A derived time goes straight to the display units.
  SurvData derived = load({"--data", fixture("lung_v5.xpt"), "--time-from", "STARTDT", "--time-to",
                           "ADT", "--cnsr", "CNSR", "--display-units", "weeks"});
  for (std::size_t i = 0; i < days.size(); ++i) EXPECT_EQ(derived.time[i], days.time[i] / 7);
  // Converting needs the unit of the time column.
  EXPECT_NE(error_of({"--data", fixture("lung.csv"), "--time", "AVAL", "--cnsr", "CNSR",
                      "--display-units", "months"})
                .find("--display-units months converts from the units of the time column"),
            std::string::npos);
}

TEST(DataOptions, UnitsText) {
  DataOptions o;
  EXPECT_EQ(hazard::cli::analysis_units(o), "");
  EXPECT_EQ(hazard::cli::units_text(o), "");
  o.units = "days";
  EXPECT_EQ(hazard::cli::units_text(o), "times in days");
  o.display_units = "months";
  EXPECT_EQ(hazard::cli::analysis_units(o), "months");
  EXPECT_EQ(hazard::cli::units_text(o),
            "times in months (converted from days: 30.4375 days a month)");
  o.units = "weeks";
  o.display_units = "days";
  EXPECT_EQ(hazard::cli::units_text(o), "times in days (converted from weeks: 7 days a week)");
}

TEST(DataOptions, SubjectMissingFromAdsl) {
  std::string e = error_of({"--data", fixture("dup_subject.csv"), "--adsl", fixture("adsl_part.csv"), "--where",
                            "PARAMCD=PFS", "--time", "AVAL", "--cnsr", "CNSR", "--group", "ARM"});
  EXPECT_EQ(e, fixture("dup_subject.csv") + ":2: column 'USUBJID': value 'S1': subject S1 is not in the ADSL file " +
                   fixture("adsl_part.csv"));
}

TEST(DataOptions, SubjectTwiceWithinAParameter) {
  // adtte.xpt has OS and PFS rows for every subject: without --where PARAMCD=... the subjects are
  // still unique within each PARAMCD, so that is fine ...
  EXPECT_NO_THROW(load({"--data", fixture("adtte.xpt"), "--time", "AVAL", "--cnsr", "CNSR"}));
  // ... but the joined CSV without PARAMCD's help (a population filter on the same rows) is fine too,
  // while a file with a repeated row is not.
  std::string e = error_of({"--data", fixture("dup_subject.csv"), "--time", "AVAL", "--cnsr", "CNSR"});
  EXPECT_EQ(e, fixture("dup_subject.csv") +
                   ":4: column 'USUBJID': value 'S1': subject appears twice within PARAMCD=OS among the "
                   "analysed rows (also at line 2): one row per subject is expected");
}

TEST(DataOptions, SubjectTwiceInAdsl) {
  std::string e = error_of({"--data", fixture("dup_subject.csv"), "--adsl", fixture("dup_subject.csv"),
                            "--where", "PARAMCD=PFS", "--time", "AVAL", "--cnsr", "CNSR", "--group", "ARM"});
  EXPECT_NE(e.find("subject appears twice in the ADSL file"), std::string::npos) << e;
}

TEST(DataOptions, UsageErrors) {
  EXPECT_EQ(error_of({"--data", "x", "--cnsr", "CNSR"}),
            "usage: --time is required (or derive the time with --time-from and --time-to)");
  EXPECT_EQ(error_of({"--data", "x", "--time-from", "A", "--cnsr", "CNSR"}),
            "usage: --time-from and --time-to go together (the time is --time-to minus --time-from)");
  EXPECT_EQ(error_of({"--data", "x", "--time", "T", "--time-from", "A", "--time-to", "B", "--cnsr", "C"}),
            "usage: give either --time or --time-from/--time-to, not both");
}

TEST(DataOptions, Latin1Flag) {
  SurvData d = load({"--data", fixture("site_latin1.csv"), "--encoding", "latin1", "--time", "AVAL",
                     "--event", "STATUS=2", "--group", "SITE", "--ref", "Zürich"});
  EXPECT_EQ(d.group_levels[0], "Zürich");
  EXPECT_NE(error_of({"--data", fixture("site_latin1.csv"), "--time", "AVAL", "--event", "STATUS=2"})
                .find("--encoding latin1"),
            std::string::npos);
}
