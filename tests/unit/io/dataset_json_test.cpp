// The streaming Dataset-JSON reader (src/io/dataset_json.cpp): member order, version 1.0, wide
// metadata and the bounds it keeps. Every expected value is read off the JSON text written in the
// test (the formats' agreement with CSV is tested in read_test.cpp).
#include <chrono>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hazard/error.hpp"
#include "hazard/read.hpp"

using namespace hazard;

namespace {

std::string error_of(std::string_view bytes, DataFormat format = DataFormat::dataset_json,
                     const ReadOptions& o = {}) {
  try {
    parse_dataset_json(bytes, "t.json", format, o);
  } catch (const DataError& e) {
    return e.what();
  }
  return "no error";
}

const std::string columns = R"("columns":[{"name":"ID","label":"Id","dataType":"string"},{"name":"T","dataType":"double"}])";
const std::string rows = R"("rows":[["a",1.5],["b",null],["a",-2]])";

void expect_three_rows(const Table& t) {
  ASSERT_EQ(t.rows(), 3u);
  ASSERT_EQ(t.columns.size(), 2u);
  const Column& id = t.at("ID");
  EXPECT_TRUE(id.character);
  EXPECT_EQ(id.label, "Id");
  EXPECT_EQ(id.levels, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(id.codes, (std::vector<std::int32_t>{0, 1, 0}));
  const Column& time = t.at("T");
  EXPECT_EQ(time.numbers[0], 1.5);
  EXPECT_TRUE(time.is_missing(1));
  EXPECT_EQ(time.numbers[2], -2.0);
  EXPECT_EQ(t.line, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(t.record_unit, "record");
}

}  // namespace

// JSON members are unordered: "rows" before "columns" (read in a second pass) gives the same table.
TEST(DatasetJson, RowsBeforeColumnsReadTheSame) {
  expect_three_rows(parse_dataset_json("{" + columns + "," + rows + ",\"records\":3}", "t.json", DataFormat::dataset_json));
  expect_three_rows(parse_dataset_json("{\"records\":3," + rows + "," + columns + "}", "t.json", DataFormat::dataset_json));
  // The errors of rows read in the second pass name their record as in the first.
  EXPECT_EQ(error_of(R"({"rows":[["a",1],["b","x"]],)" + columns + "}"),
            "t.json: record 2: column 'T': value '\"x\"': expected a number (the column's dataType is double)");
  EXPECT_EQ(error_of(R"({"rows":[["a",1],["b",2)"),
            "t.json: record 2: column '#2': value '2': invalid JSON: syntax error while parsing array - unexpected "
            "end of input; expected ']' (a truncated file?)");
}

// Dataset-JSON 1.0: clinicalData/referenceData -> itemGroupData -> {OID: {items, itemData}}, with
// "type" for the data type, in either member order.
TEST(DatasetJson, Version10ItemsAndItemData) {
  const std::string items =
      R"("items":[{"OID":"ITEMGROUPDATASEQ","name":"ITEMGROUPDATASEQ","type":"integer"},{"name":"ID","label":"Id","type":"string"},{"name":"T","type":"double"}])";
  const std::string data = R"("itemData":[[1,"a",1.5],[2,"b",null],[3,"a",-2]])";
  for (const std::string& group : {items + "," + data + ",\"records\":3", data + "," + items + ",\"records\":3"}) {
    for (const char* key : {"clinicalData", "referenceData"}) {
      const std::string doc = fmt::format(R"({{"creationDateTime":"2024","{}":{{"studyOID":"S","itemGroupData":{{"IG.ADTTE":{{{}}}}}}}}})", key, group);
      Table t = parse_dataset_json(doc, "t.json", DataFormat::dataset_json, {.columns = {"ID", "T"}});
      expect_three_rows(t);
    }
  }
  EXPECT_EQ(error_of(R"({"clinicalData":{"itemGroupData":{"IG":{"items":[{"name":"A","type":"integer"}],"records":2,"itemData":[[1]]}}}})"),
            "t.json: value '2': \"records\" says 2 rows but the file holds 1 (a truncated file?)");
}

// Metadata errors keep their messages.
TEST(DatasetJson, MetadataErrors) {
  EXPECT_EQ(error_of("[1,2]"), "t.json: the file is not a Dataset-JSON object");
  EXPECT_EQ(error_of(R"({"columns":{"a":1}})"), "t.json: \"columns\" is not an array");
  EXPECT_EQ(error_of(R"({"columns":[5]})"), "t.json: an entry of \"columns\" is not an object");
  EXPECT_EQ(error_of(R"({"columns":[{"dataType":"string"}]})"), "t.json: column 1 has no \"name\"");
  EXPECT_EQ(error_of(R"({"columns":[{"name":"a"}]})"), "t.json: column 'a' has no \"dataType\"");
  EXPECT_EQ(error_of(R"({"columns":[{"name":"a","dataType":"odd"}]})"),
            "t.json: column 'a': value 'odd': unknown dataType (expected string, integer, decimal, float, double, "
            "boolean, date, datetime, time or URI)");
  EXPECT_EQ(error_of(R"({"columns":[{"name":"a","dataType":"string"},{"name":"a","dataType":"integer"}]})"),
            "t.json: column 'a': value 'a': duplicate column name (columns 1 and 2)");
  EXPECT_EQ(error_of(R"({"columns":[{"name":"a","dataType":"integer"}],"rows":{"a":1}})"), "t.json: \"rows\" is not an array");
  EXPECT_EQ(error_of(R"({"a":1})"), "t.json: no \"columns\" array: not a Dataset-JSON file");
  // A member that says where the data are, given twice, is refused (a parser keeping one of them
  // would read half the file without a word).
  EXPECT_EQ(error_of("{" + columns + "," + rows + "," + rows + "}"), "t.json: \"rows\" appears twice");
  EXPECT_EQ(error_of("{" + columns + "," + columns + "}"), "t.json: \"columns\" appears twice");
  EXPECT_EQ(error_of("{" + std::string(65, '[') + std::string(65, ']') + "}"),
            "t.json:1: invalid JSON: syntax error while parsing object key - unexpected '['; expected string literal");
  EXPECT_EQ(error_of("{\"a\":" + std::string(64, '[') + std::string(64, ']') + "}"),
            "t.json:1: JSON nested more than 64 levels deep: not a Dataset-JSON file");
}

// Rows: values of a row nested deeper are errors naming the record; a row that is not an array too.
TEST(DatasetJson, RowErrors) {
  EXPECT_EQ(error_of(R"({"columns":[{"name":"a","dataType":"integer"}],"rows":[[1],[[1,2]]]})"),
            "t.json: record 2: column 'a': value '[1,2]': expected a number (the column's dataType is integer)");
  EXPECT_EQ(error_of(R"({"columns":[{"name":"a","dataType":"integer"}],"rows":[[1],7]})"),
            "t.json: record 2: value '7': a row must be a JSON array of values");
  EXPECT_EQ(error_of(R"({"columns":[{"name":"a","dataType":"integer"}],"rows":[{"a":1}]})"),
            "t.json: record 1: value '{\"a\":1}': a row must be a JSON array of values");
  EXPECT_EQ(error_of("{\"columns\":[{\"name\":\"a\",\"dataType\":\"integer\"}]}\n[1]\n7\n", DataFormat::ndjson),
            "t.json:3: value '7': a row must be a JSON array of values");
}

// Control characters and a NUL written as JSON escapes are data: kept in the level as they are.
TEST(DatasetJson, EscapedControlCharactersAreData) {
  Table t = parse_dataset_json(R"({"columns":[{"name":"a","dataType":"string"}],"rows":[["x\u0000y"],["\u001b[31m"]]})",
                               "t.json", DataFormat::dataset_json);
  EXPECT_EQ(t.at("a").levels, (std::vector<std::string>{std::string("\x1b[31m"), std::string("x\0y", 3)}));
}

// 200,000 column entries: names are checked for duplicates through a hash table (the pairwise
// check it replaces was quadratic), and the columns asked for are found by name.
TEST(DatasetJson, WideMetadataIsLinear) {
  const std::size_t n = 200000;
  std::string doc = "{\"columns\":[";
  std::string row = "[";
  for (std::size_t j = 0; j < n; ++j) {
    doc += fmt::format("{}{{\"name\":\"c{}\",\"dataType\":\"integer\"}}", j ? "," : "", j);
    row += fmt::format("{}{}", j ? "," : "", j);
  }
  doc += "],\"rows\":[" + row + "]]}";
  const auto start = std::chrono::steady_clock::now();
  Table t = parse_dataset_json(doc, "t.json", DataFormat::dataset_json, {.columns = {"c199999", "c7"}});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(t.rows(), 1u);
  EXPECT_EQ(t.columns[0].numbers[0], 199999.0);
  EXPECT_EQ(t.columns[1].numbers[0], 7.0);
  EXPECT_LT(seconds, 20.0);  // quadratic: 2e10 string comparisons (minutes); linear: well under a second
  std::string dup = doc;
  dup.replace(dup.find("\"c199999\""), 9, "\"c3\"");
  EXPECT_EQ(error_of(dup), "t.json: column 'c3': value 'c3': duplicate column name (columns 4 and 200000)");
  EXPECT_EQ(error_of(doc, DataFormat::dataset_json, {.columns = {"nope"}}),
            "t.json: column 'nope': no such column in the Dataset-JSON file (columns: c0, c1, c2, c3, c4, c5, c6, "
            "c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, ... (200000 columns))");
}
