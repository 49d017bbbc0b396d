// Every supported format reads into exactly the same Table and SurvData as the same data in CSV.
// The fixtures are written by tests/reference/formats/make_formats.R (R haven / jsonlite from R's
// lung data); the CSV is the reference, the other formats must reproduce it bit for bit.
#include "hazard/read.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hazard/error.hpp"
#include "hazard/survdata.hpp"

using namespace hazard;

namespace {

std::string fixture(const std::string& name) { return std::string(HAZARD_REFERENCE_DIR) + "/formats/" + name; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

::testing::AssertionResult same_table(const Table& a, const Table& b) {
  if (a.rows() != b.rows())
    return ::testing::AssertionFailure() << "rows " << a.rows() << " vs " << b.rows();
  if (a.columns.size() != b.columns.size())
    return ::testing::AssertionFailure() << "columns " << a.columns.size() << " vs " << b.columns.size();
  for (std::size_t k = 0; k < a.columns.size(); ++k) {
    const Column& x = a.columns[k];
    const Column& y = b.columns[k];
    if (x.name != y.name) return ::testing::AssertionFailure() << "name " << x.name << " vs " << y.name;
    if (x.kind != y.kind) return ::testing::AssertionFailure() << x.name << ": kind differs";
    if (x.levels != y.levels) return ::testing::AssertionFailure() << x.name << ": levels differ";
    if (x.codes != y.codes) return ::testing::AssertionFailure() << x.name << ": codes differ";
    for (std::size_t i = 0; i < x.numbers.size(); ++i) {
      double u = x.numbers[i], v = y.numbers[i];
      if (std::isnan(u) && std::isnan(v)) continue;
      if (std::memcmp(&u, &v, sizeof u) != 0)
        return ::testing::AssertionFailure() << x.name << "[" << i << "]: " << u << " vs " << v;
    }
  }
  return ::testing::AssertionSuccess();
}

const std::vector<std::string> lung_columns = {"STUDYID", "USUBJID", "PARAMCD", "AVAL",  "CNSR",
                                               "STATUS",  "AGE",     "SEX",     "ECOG",  "INST",
                                               "WTLOSS",  "AVALM",   "STARTDT", "ADT",   "SITE"};

std::string error_of(std::string_view bytes, const std::string& source, const ReadOptions& o = {}) {
  try {
    parse_data(bytes, source, o);
  } catch (const DataError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(ReadData, DetectsFormatFromContentNotName) {
  EXPECT_EQ(detect_format(slurp(fixture("lung_v5.xpt")), "x"), DataFormat::xport);
  EXPECT_EQ(detect_format(slurp(fixture("lung_v8.xpt")), "x"), DataFormat::xport);
  EXPECT_EQ(detect_format(slurp(fixture("lung.sas7bdat")), "x"), DataFormat::sas7bdat);
  EXPECT_EQ(detect_format(slurp(fixture("lung.json")), "x"), DataFormat::dataset_json);
  EXPECT_EQ(detect_format(slurp(fixture("lung.ndjson")), "x"), DataFormat::ndjson);
  EXPECT_EQ(detect_format(slurp(fixture("lung.csv")), "x"), DataFormat::csv);
  EXPECT_EQ(detect_format("{\n \"columns\": []\n}\n", "x"), DataFormat::dataset_json);
  EXPECT_THROW(detect_format("PK\x03\x04zzzz", "x.xlsx"), DataError);
}

TEST(ReadData, EveryFormatGivesTheSameTableAsCsv) {
  Table csv = read_data(fixture("lung.csv"), {.columns = lung_columns});
  ASSERT_EQ(csv.rows(), 228u);
  for (const char* f : {"lung_v5.xpt", "lung_v8.xpt", "lung.sas7bdat", "lung.json", "lung.ndjson"}) {
    SCOPED_TRACE(f);
    Table t = read_data(fixture(f), {.columns = lung_columns});
    EXPECT_TRUE(same_table(csv, t));
  }
}

TEST(ReadData, EveryFormatGivesTheSameSurvDataAsCsv) {
  Roles roles{.time = "AVAL", .event = "CNSR", .coding = EventCoding::cnsr, .group = "SEX", .ref = "Male",
              .strata = {"ECOG"}, .where = {{"PARAMCD", "OS"}}};
  SurvData csv = build_surv_data(read_data(fixture("lung.csv"), {.columns = roles.columns()}), roles);
  for (const char* f : {"lung_v5.xpt", "lung_v8.xpt", "lung.sas7bdat", "lung.json", "lung.ndjson"}) {
    SCOPED_TRACE(f);
    SurvData d = build_surv_data(read_data(fixture(f), {.columns = roles.columns()}), roles);
    EXPECT_EQ(d.time, csv.time);
    EXPECT_EQ(d.status, csv.status);
    EXPECT_EQ(d.group, csv.group);
    EXPECT_EQ(d.group_levels, csv.group_levels);
    EXPECT_EQ(d.stratum, csv.stratum);
    EXPECT_EQ(d.strata_levels, csv.strata_levels);
    EXPECT_EQ(d.excluded.reasons, csv.excluded.reasons);
    EXPECT_EQ(d.row, csv.row);
  }
  EXPECT_EQ(csv.excluded.reasons.at("missing stratum"), 1u);  // lung has one missing ph.ecog
  SurvData xpt = build_surv_data(read_data(fixture("lung_v8.xpt"), {.columns = roles.columns()}), roles);
  EXPECT_EQ(xpt.time_label, "Analysis Value (days)");  // labels reach the survival data (report headings)
  EXPECT_EQ(xpt.group_label, "Sex");
}

TEST(ReadData, SasLabelsAndSpecialMissings) {
  Table t = read_data(fixture("lung_v5.xpt"), {.columns = {"WTLOSS", "AVAL", "SEX"}});
  EXPECT_EQ(t.at("AVAL").label, "Analysis Value (days)");
  EXPECT_EQ(t.at("WTLOSS").label, "Weight loss in last six months (pounds)");
  EXPECT_TRUE(t.at("SEX").character);
  EXPECT_FALSE(t.at("AVAL").character);
  std::size_t missing = 0;
  for (std::size_t i = 0; i < t.rows(); ++i) missing += t.at("WTLOSS").is_missing(i);
  EXPECT_EQ(missing, 14u);  // lung$wt.loss has 14 NA, written as .A and .Z
  EXPECT_EQ(t.record_unit, "observation");
  EXPECT_EQ(t.line[5], 6u);
}

TEST(ReadData, SasNamesMatchIgnoringCase) {
  Table t = read_data(fixture("lung_v5.xpt"), {.columns = {"aval"}});
  EXPECT_EQ(t.columns[0].name, "aval");
  EXPECT_EQ(t.columns[0].numbers[0], 306.0);
}

TEST(ReadData, XportV8LongNamesAndLabels) {
  Table csv = read_data(fixture("long.csv"));
  Table xpt = read_data(fixture("long_v8.xpt"));
  EXPECT_TRUE(same_table(csv, xpt));
  EXPECT_EQ(xpt.at("TIME_TO_EVENT_DAYS").label,
            "Time from randomisation to death from any cause, in days (long label)");
}

TEST(ReadData, DatasetJsonLabelsAndDates) {
  Table t = read_data(fixture("lung.json"), {.columns = {"STARTDT", "AVAL"}});
  EXPECT_EQ(t.at("AVAL").label, "Analysis Value (days)");
  EXPECT_EQ(t.at("STARTDT").numbers[0], 21587.0);  // 2019-02-07 = SAS date 21587
  EXPECT_EQ(t.record_unit, "record");
}

TEST(ReadData, OptionalColumnsAreReadWhenPresent) {
  for (const char* f : {"lung.csv", "lung_v5.xpt", "lung.json"}) {
    Table t = read_data(fixture(f), {.columns = {"AVAL"}, .optional_columns = {"USUBJID", "NOPE"}});
    ASSERT_EQ(t.columns.size(), 2u) << f;
    EXPECT_EQ(t.columns[1].name, "USUBJID");
  }
}

TEST(ReadData, MissingVariableNamesTheFile) {
  EXPECT_THROW(read_data(fixture("lung_v5.xpt"), {.columns = {"NOPE"}}), DataError);
  EXPECT_THROW(read_data(fixture("lung.json"), {.columns = {"NOPE"}}), DataError);
}

TEST(ReadData, Latin1CsvWhenDeclared) {
  Table utf8 = read_data(fixture("site_utf8.csv"));
  Table latin = read_data(fixture("site_latin1.csv"), {.encoding = Encoding::latin1});
  EXPECT_TRUE(same_table(utf8, latin));
  EXPECT_EQ(latin.at("SITE").levels[0], "Genève");
  try {
    read_data(fixture("site_latin1.csv"));
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("not UTF-8 text"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("--encoding latin1"), std::string::npos);
  }
}

// ---- malformed input: one clear DataError each ----

TEST(ReadData, TruncatedXport) {
  std::string x = slurp(fixture("lung_v5.xpt"));
  for (std::size_t cut : {std::size_t{100}, std::size_t{500}, std::size_t{900}, x.size() / 2, x.size() - 81}) {
    SCOPED_TRACE(cut);
    std::string e = error_of(std::string_view(x).substr(0, cut), "t.xpt", {.columns = {"AVAL"}});
    EXPECT_EQ(e.rfind("t.xpt", 0), 0u) << e;
    EXPECT_NE(e, "no error");
  }
}

// Cut inside the observations, at any length (also a multiple of 80, which ReadStat alone would read
// as a shorter file): the error names the observation and the variable the file ends in.
TEST(ReadData, TruncatedXportNamesObservationAndVariable) {
  std::string x = slurp(fixture("lung_v5.xpt"));
  ASSERT_EQ(x.size() % 80, 0u);
  for (std::size_t cut : {x.size() / 2, x.size() / 2 + 3, x.size() - 81, x.size() / 160 * 80, x.size() - 160}) {
    SCOPED_TRACE(cut);
    try {
      parse_data(std::string_view(x).substr(0, cut), "t.xpt", {.columns = {"AVAL"}});
      ADD_FAILURE() << "no error";
    } catch (const DataError& e) {
      EXPECT_EQ(e.where().file, "t.xpt");
      EXPECT_EQ(e.where().unit, "observation") << e.what();
      EXPECT_GE(e.where().line, 1u);
      EXPECT_LE(e.where().line, 228u);  // lung has 228 observations
      EXPECT_NE(std::find(lung_columns.begin(), lung_columns.end(), e.where().column), lung_columns.end())
          << e.what();
      EXPECT_EQ(e.where().value, std::to_string(cut));
      EXPECT_NE(e.message().find("truncated or damaged SAS transport (XPORT) file"), std::string::npos) << e.what();
    }
  }
  // Later cuts end in later observations.
  auto obs = [&](std::size_t cut) {
    try {
      parse_data(std::string_view(x).substr(0, cut), "t.xpt");
    } catch (const DataError& e) {
      return e.where().line;
    }
    return std::uint64_t{0};
  };
  EXPECT_LT(obs(x.size() / 2), obs(x.size() - 81));
}

TEST(ReadData, WrongXportHeader) {
  std::string x = slurp(fixture("lung_v5.xpt"));
  x[25] = 'X';  // "LIBRARY" -> "LIBRXRY"
  std::string e = error_of(x, "bad.xpt", {.columns = {"AVAL"}});
  EXPECT_NE(e.find("bad.xpt"), std::string::npos) << e;
  EXPECT_NE(e.find("XPORT"), std::string::npos) << e;
}

TEST(ReadData, TruncatedSas7bdat) {
  std::string x = slurp(fixture("lung.sas7bdat"));
  for (std::size_t cut : {std::size_t{40}, std::size_t{700}, x.size() / 2, x.size() - 100}) {
    SCOPED_TRACE(cut);
    std::string e = error_of(std::string_view(x).substr(0, cut), "t.sas7bdat", {.columns = {"AVAL"}});
    EXPECT_EQ(e.rfind("t.sas7bdat", 0), 0u) << e;
    EXPECT_NE(e.find("sas7bdat"), std::string::npos) << e;
  }
}

// Cut inside the data pages: the observation the file ends in (the first one missing), its first
// variable and the file size; the message says how long the header says the file is.
TEST(ReadData, TruncatedSas7bdatNamesObservation) {
  std::string x = slurp(fixture("lung.sas7bdat"));
  std::uint64_t previous = 0;
  for (std::size_t cut : {x.size() / 2, x.size() * 3 / 4}) {
    SCOPED_TRACE(cut);
    try {
      parse_data(std::string_view(x).substr(0, cut), "t.sas7bdat", {.columns = {"AVAL"}});
      ADD_FAILURE() << "no error";
    } catch (const DataError& e) {
      EXPECT_EQ(e.where().unit, "observation") << e.what();
      EXPECT_GT(e.where().line, previous) << e.what();  // a later cut ends in a later observation
      EXPECT_LE(e.where().line, 228u);
      previous = e.where().line;
      EXPECT_EQ(e.where().column, "STUDYID");
      EXPECT_EQ(e.where().value, std::to_string(cut));
      EXPECT_NE(e.message().find(fmt::format("the file is {} bytes long but its header declares {}", cut, x.size())),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(ReadData, BadJson) {
  EXPECT_EQ(error_of("{\"columns\": [}", "b.json"),
            "b.json:1: invalid JSON: syntax error while parsing value - unexpected '}'; expected '[', '{', or a literal");
  std::string j = slurp(fixture("lung.json"));
  std::string e = error_of(std::string_view(j).substr(0, j.size() / 2), "t.json");
  EXPECT_EQ(e.rfind("t.json: record ", 0), 0u) << e;
  EXPECT_NE(e.find("invalid JSON"), std::string::npos) << e;
  EXPECT_NE(e.find("(a truncated file?)"), std::string::npos) << e;
  EXPECT_EQ(error_of("{\"columns\":[{\"name\":\"a\",\"dataType\":\"integer\"}],\"rows\":[[1],[\"x\"]]}", "r.json"),
            "r.json: record 2: column 'a': value '\"x\"': expected a number (the column's dataType is integer)");
  EXPECT_EQ(error_of("{\"columns\":[{\"name\":\"a\",\"dataType\":\"integer\"}],\"records\":3,\"rows\":[[1]]}", "r.json"),
            "r.json: value '3': \"records\" says 3 rows but the file holds 1 (a truncated file?)");
  EXPECT_EQ(error_of("{\"columns\":[{\"name\":\"a\",\"dataType\":\"integer\"}],\"rows\":[[1,2]]}", "r.json"),
            "r.json: record 1: value '[1,2]': the row has 2 values but there are 1 columns");
  EXPECT_EQ(error_of("{\"a\":1}", "r.json"), "r.json: no \"columns\" array: not a Dataset-JSON file");
  std::string nd = slurp(fixture("lung.ndjson"));
  nd.resize(nd.size() - 30);  // cut inside the last row
  e = error_of(nd, "t.ndjson");
  EXPECT_EQ(e.rfind("t.ndjson:229: column '", 0), 0u) << e;
}

// A truncated Dataset-JSON file names the record, the column and the value it ends in.
TEST(ReadData, TruncatedJsonNamesRecordColumnAndValue) {
  const std::string meta = "{\"columns\":[{\"name\":\"ID\",\"dataType\":\"string\"},"
                           "{\"name\":\"T\",\"dataType\":\"double\"}]";
  auto starts = [](const std::string& e, const std::string& head) {
    EXPECT_EQ(e.rfind(head, 0), 0u) << e;
    EXPECT_NE(e.find("(a truncated file?)"), std::string::npos) << e;
  };
  // Cut after a complete number: that value and its column.
  starts(error_of(meta + ",\"rows\":[[\"a\",1],[\"b\",2", "r.json"), "r.json: record 2: column 'T': value '2': invalid JSON: ");
  // Cut inside a string: the first column of the second row.
  starts(error_of(meta + ",\"rows\":[[\"a\",1],[\"b", "r.json"), "r.json: record 2: column 'ID': value '\"b': invalid JSON: ");
  // Cut after a comma: the next column, with an empty value.
  starts(error_of(meta + ",\"rows\":[[\"a\",", "r.json"), "r.json: record 1: column 'T': value '': invalid JSON: ");
  // NDJSON: the line, and the column from the metadata line.
  starts(error_of(meta + "}\n[\"a\",1]\n[\"b\",", "r.ndjson"), "r.ndjson:3: column 'T': value '': invalid JSON: ");
}

// A number beyond the range of a double is a data error naming where it is, not an escaping
// nlohmann::json::out_of_range (found by the dataset_json fuzzing target).
TEST(ReadData, JsonNumberOverflowIsADataError) {
  const std::string meta = "{\"columns\":[{\"name\":\"ID\",\"dataType\":\"string\"},"
                           "{\"name\":\"T\",\"dataType\":\"double\"}]";
  EXPECT_EQ(error_of(meta + ",\"rows\":[[\"a\",1],[\"b\",1e400]]}", "r.json"),
            "r.json: record 2: column 'T': value '1e400': invalid JSON: number overflow parsing '1e400'");
  EXPECT_EQ(error_of(meta + "}\n[\"a\",1]\n[\"b\",-2e999]\n", "r.ndjson"),
            "r.ndjson:3: column 'T': value '-2e999': invalid JSON: number overflow parsing '-2e999'");
  try {
    parse_dataset_json("1e400", "n.json", DataFormat::dataset_json);
    ADD_FAILURE() << "no error";
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "n.json:1: invalid JSON: number overflow parsing '1e400'");
  }
}

TEST(ReadData, Utf16JsonIsRefused) {
  const std::string u16("\xff\xfe{\0}\0", 6);
  std::string e = error_of(u16, "u.json");
  EXPECT_EQ(e.rfind("u.json:1: value '\\xFF\\xFE\\x7B\\x00': the file is UTF-16LE text, not UTF-8 or Latin-1", 0), 0u) << e;
}

TEST(ReadData, ErrorsNameObservationForSas) {
  // A character time column is an error naming the variable (survdata rule for declared text).
  Roles roles{.time = "SEX", .event = "STATUS"};
  try {
    build_surv_data(read_data(fixture("lung_v5.xpt"), {.columns = roles.columns()}), roles);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(e.message(), "the time column is character (text) in the file, not numeric") << e.what();
    EXPECT_EQ(e.where().line, 1u);
    EXPECT_EQ(e.where().unit, "observation");
    EXPECT_EQ(e.where().column, "SEX");
    EXPECT_EQ(e.where().value, "Male");
  }
}
