// Reading back a `hazard design --json` document (src/design/design_file.cpp): the values of a
// hand-written document, and errors naming the file, line and key.
#include "hazard/design_file.hpp"

#include <gtest/gtest.h>

#include <string>

#include "hazard/error.hpp"

namespace {

// The keys hazard design --json writes that the reader uses (alphabetical, as nlohmann writes
// them), with two looks of a three-look design; other keys are ignored.
std::string doc(const std::string& info2 = "0.6666666666666666",
                const std::string& spending = "\"obf\"", const std::string& futility = "null") {
  return "{\n"
         "  \"alpha\": 0.025,\n"
         "  \"binding\": false,\n"
         "  \"drift\": 3.26,\n"
         "  \"events\": 99.5,\n"
         "  \"futility\": " +
         futility +
         ",\n"
         "  \"hr\": 0.5,\n"
         "  \"hr0\": 1.0,\n"
         "  \"looks\": [\n"
         "    {\"events\": 33.1, \"info\": 0.3333333333333333, \"look\": 1},\n"
         "    {\"events\": 66.3, \"info\": " +
         info2 +
         ", \"look\": 2},\n"
         "    {\"events\": 99.5, \"info\": 1.0, \"look\": 3}\n"
         "  ],\n"
         "  \"power\": 0.9,\n"
         "  \"ratio\": 2.0,\n"
         "  \"sided\": 1,\n"
         "  \"spending\": " +
         spending +
         "\n"
         "}\n";
}

std::string error_of(const std::string& text) {
  try {
    hazard::parse_design_json(text, "d.json");
  } catch (const hazard::DataError& e) {
    return e.what();
  }
  return "no error";
}

TEST(DesignFile, ReadsTheDesign) {
  auto d = hazard::parse_design_json(doc(), "d.json");
  EXPECT_EQ(d.boundaries.alpha, 0.025);
  EXPECT_DOUBLE_EQ(d.boundaries.beta, 0.1);
  EXPECT_EQ(d.boundaries.sided, 1);
  ASSERT_EQ(d.boundaries.info.size(), 3u);
  EXPECT_EQ(d.boundaries.info[1], 0.6666666666666666);
  EXPECT_EQ(d.boundaries.info[2], 1.0);
  EXPECT_EQ(d.boundaries.efficacy.type, hazard::SpendingType::obrien_fleming);
  EXPECT_FALSE(d.boundaries.futility.has_value());
  EXPECT_EQ(d.hr, 0.5);
  EXPECT_EQ(d.hr0, 1.0);
  EXPECT_EQ(d.ratio, 2.0);
  EXPECT_EQ(d.max_events, 99.5);
  EXPECT_EQ(d.events, (std::vector<double>{33.1, 66.3, 99.5}));
}

TEST(DesignFile, UserSpendingIsPlacedAtTheLooks) {
  auto d = hazard::parse_design_json(
      doc("0.6666666666666666", "\"user:0.001,0.01,0.025\"", "\"hsd:-2\""), "d.json");
  EXPECT_EQ(d.boundaries.efficacy.type, hazard::SpendingType::user);
  EXPECT_EQ(d.boundaries.efficacy.at, d.boundaries.info);
  ASSERT_TRUE(d.boundaries.futility.has_value());
  EXPECT_EQ(d.boundaries.futility->type, hazard::SpendingType::hsd);
  EXPECT_EQ(d.boundaries.futility->parameter, -2);
}

TEST(DesignFile, ErrorsNameFileLineAndKey) {
  EXPECT_EQ(error_of("{\n  \"alpha\": 0.025,\n  \"sided\": 1,,\n}"),
            "d.json:3: not a JSON document: character 14 of the line: syntax error while "
            "parsing object key - unexpected ','; expected string literal");
  EXPECT_EQ(error_of(doc("0.2")),
            "d.json:11: column 'looks[2].info': value '0.2': information fractions must be numbers "
            "increasing to 1 (is it a file written by `hazard design --json`?)");
  EXPECT_EQ(error_of(doc("0.6666666666666666", "\"obf2\"")).substr(0, 46),
            "d.json:17: column 'spending': value '\"obf2\"': ");
  std::string no_hr = doc();
  no_hr.erase(no_hr.find("  \"hr\": 0.5,\n"), 13);
  EXPECT_EQ(error_of(no_hr),
            "d.json: column 'hr': key missing (is it a file written by `hazard design --json`?)");
  EXPECT_EQ(error_of("[1, 2]"),
            "d.json:1: expected a JSON object, as `hazard design --json` writes");
  EXPECT_EQ(error_of(""),
            "d.json:1: not a JSON document: character 1 of the line: syntax error while parsing "
            "value - unexpected end of input; expected '[', '{', or a literal");
}

}  // namespace
