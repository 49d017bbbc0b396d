// The streaming Dataset-JSON reader (src/io/dataset_json.cpp): member order, version 1.0, wide
// metadata and the bounds it keeps. Every expected value is read off the JSON text written in the
// test (the formats' agreement with CSV is tested in read_test.cpp).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hazard/error.hpp"
#include "hazard/read.hpp"
#include "io/text.hpp"
#include "targets.hpp"

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

// ---- The fast path (simdjson On-Demand, rows in windows) against the reference path (nlohmann SAX) ----

namespace {

using hazard::fuzz::same_bits;  // fuzz/targets.hpp: the fuzz target's check

/// For windows of 16 to 90 bytes and of 1 MB: where the reference path gives a table, the fast path
/// gives the same to the bit (`fast_reads`: it must give one; else it may send the file back to the
/// reference path); where the reference path gives an error, the fast path gives up.
void agree(const std::string& text, DataFormat format, bool fast_reads, const ReadOptions& o = {}) {
  SCOPED_TRACE(text.substr(0, 200));
  std::optional<Table> ref;
  try {
    ref = detail::parse_dataset_json_reference(text, "t.json", format, o);
  } catch (const DataError&) {
  }
  for (std::size_t w : {std::size_t{16}, std::size_t{17}, std::size_t{23}, std::size_t{31}, std::size_t{40},
                        std::size_t{57}, std::size_t{90}, std::size_t{1} << 20}) {
    SCOPED_TRACE(w);
    std::optional<Table> fast;
    try {
      fast = detail::parse_dataset_json_fast(text, "t.json", format, o, w);
    } catch (const DataError&) {
    }
    if (!ref) {
      EXPECT_FALSE(fast) << "the fast path read what the reference path rejects";
      continue;
    }
    if (fast_reads) {
      ASSERT_TRUE(fast) << "the fast path gave up on a plain file";
    }
    if (fast) {
      EXPECT_TRUE(same_bits(*fast, *ref));
    }
  }
}

const std::string all_types =
    R"("columns":[{"name":"S","label":"a string","dataType":"string"},{"name":"I","dataType":"integer"},)"
    R"({"name":"D","dataType":"double"},{"name":"F","dataType":"float"},{"name":"M","dataType":"decimal"},)"
    R"({"name":"B","dataType":"boolean"},{"name":"DA","dataType":"date"},{"name":"DT","dataType":"datetime"},)"
    R"({"name":"TI","dataType":"time"},{"name":"U","dataType":"URI"}])";

// Rows of every dataType, with the numbers where parsers part (-0 as an integer, beyond 2^53, 2^63,
// 2^64, subnormals, the largest double, halfway cases), strings holding "],[", quotes and escapes.
const std::vector<std::string> plain_rows = {
    R"(["a",1,1.5,0.1,"1.25",true,"2024-02-29","2024-01-01T12:00:00.5Z","23:59:60","http://x"])",
    R"(["b\"],[\"c",-0,-0.0,-0e0,"  +2 ",false,0,-0,-0,"u"])",
    R"(["],[",9007199254740993,18446744073709551616,-9223372036854775809,"1e3",0,-0,"1960-01-01T00:00:00",)"
    R"("00:00:00.125",null])",
    R"([null,123456789012345678901234567890,4.9e-324,2.2250738585072011e-308,"   ",1,"    ",1e5,3600,""])",
    R"(["  ",-9223372036854775808,1.7976931348623157e308,0.30000000000000004,1.5,-0,null,null,null,"  x  "])",
    R"(["\u00e9\ud83d\ude00\t\\",9223372036854775807,2.5e-8,1e23,null,null,"2000-01-01",)"
    R"("2024-12-31T23:59:59+01:00","12:00:00Z","\n"])",
    R"(["x]y","0","1e2","-0",7,true,-21915.5,"2024-06-30T00:00:00","24:00:00","[1]"])"};

std::string document(const std::vector<std::string>& rs, const std::string& sep = ",") {
  std::string d = "{" + all_types + ",\"rows\":[";
  for (std::size_t i = 0; i < rs.size(); ++i) d += (i ? sep : "") + rs[i];
  return d + "],\"records\":" + std::to_string(rs.size()) + "}";
}

std::string ndjson(const std::vector<std::string>& rs, const std::string& sep = "\n") {
  std::string d = "{" + all_types + ",\"records\":" + std::to_string(rs.size()) + "}";
  for (const auto& r : rs) d += sep + r;
  return d + "\n";
}

}  // namespace

TEST(DatasetJson, FastPathReadsAsTheReferencePath) {
  std::vector<std::string> many;
  for (int i = 0; i < 12; ++i)
    for (const auto& r : plain_rows) many.push_back(r);
  // a row longer than a window
  many.push_back("[\"" + std::string(300, 'x') + "],[\\\"]\",1,1,1,1,true,null,null,null,null]");
  agree(document(plain_rows), DataFormat::dataset_json, true);
  agree(document(many), DataFormat::dataset_json, true);
  agree(document(many, " ,\n\t "), DataFormat::dataset_json, true);
  agree(document(many, "\n,"), DataFormat::dataset_json, true);
  agree(document({}), DataFormat::dataset_json, true);
  agree("{\"rows\":[ ],\"records\":0," + all_types + "}", DataFormat::dataset_json, true);
  // rows before columns, other members after the rows, a BOM, columns asked for (twice) or optional
  agree("{\"rows\":[" + plain_rows[0] + "," + plain_rows[1] + "]," + all_types + ",\"x\":{\"y\":[1,\"]\"]}}",
        DataFormat::dataset_json, true);
  agree("\xEF\xBB\xBF " + document(many) + " \n", DataFormat::dataset_json, true);
  agree(document(many), DataFormat::dataset_json, true, {.columns = {"D", "S", "D"}, .optional_columns = {"B", "Q"}});
  agree(ndjson(many), DataFormat::ndjson, true);
  agree(ndjson(many, "\r\n \n"), DataFormat::ndjson, true, {.columns = {"TI", "U"}});
  agree("\n\n" + ndjson({}), DataFormat::ndjson, true);
}

// Anything the reference path rejects the fast path gives back to it (the error is the reference
// path's), also in columns not asked for: bad literals, nested values, wrong counts, trailing
// commas, bad escapes, a wrong "records", numbers out of range, a second "rows".
TEST(DatasetJson, FastPathGivesErrorsToTheReferencePath) {
  const ReadOptions only_s{.columns = {"S"}};
  for (const std::string bad : {R"(tru)", R"([1])", R"({"a":1})", R"(1e400)", R"("\ud800")", R"("\x")", R"(01)",
                                R"(1.)", R"(-)", R"("a)", "\"\t\"", R"(nul)", R"(+1)", R"(.5)"}) {
    std::vector<std::string> rs = plain_rows;
    rs[3] = R"(["s",)" + bad + R"(,1,1,1,true,null,null,null,null])";
    agree(document(rs), DataFormat::dataset_json, false, only_s);
    agree(ndjson(rs), DataFormat::ndjson, false, only_s);
  }
  for (const std::string& d :
       {document(plain_rows, ",,"), document(plain_rows, " "), document(plain_rows) + ",",
        "{" + all_types + ",\"rows\":[" + plain_rows[0] + ",]}", "{" + all_types + ",\"rows\":[" + plain_rows[0] + "]",
        "{" + all_types + ",\"rows\":[" + plain_rows[0] + "],\"records\":2}",
        "{" + all_types + ",\"rows\":[" + plain_rows[0] + "],\"rows\":[]}",
        "{" + all_types + ",\"rows\":[" + plain_rows[0] + "]]}",
        "{" + all_types + ",\"rows\":[[" + plain_rows[0] + "]]}",
        "{" + all_types + ",\"rows\":[" + plain_rows[0] + "," + plain_rows[0].substr(0, 30) + "]}",
        "{" + all_types + ",\"rows\":[" + plain_rows[0] + "] \"records\":1}",
        "{" + all_types + ",\"rows\":[[\"a\"]]}", "[" + document(plain_rows) + "]"})
    agree(d, DataFormat::dataset_json, false);
  agree(ndjson(plain_rows, "\n ") + plain_rows[0] + plain_rows[1] + "\n", DataFormat::ndjson, false);
  agree(ndjson(plain_rows, "\n ") + plain_rows[0] + " " + plain_rows[1] + "\n", DataFormat::ndjson, false);
  agree(ndjson({plain_rows[0]}) + plain_rows[0].substr(0, 20) + "\n" + plain_rows[0].substr(20) + "\n",
        DataFormat::ndjson, false);
  // the public reader still names the record, the column and the value
  std::vector<std::string> rs = plain_rows;
  rs[5] = R"(["s",1,1,1,1,2,null,null,null,null])";
  EXPECT_EQ(error_of(document(rs)),
            "t.json: record 6: column 'B': value '2': expected true or false (the column's dataType is boolean)");
}

// A file's UTF-8 check reads it 1 MB at a time into a buffer (MappedFile::read): an invalid byte
// (or a NUL) past the first MB of a 2.5 MB file gives the error the same text gives in memory,
// naming its line; the file without it reads as the text does.
TEST(DatasetJson, FileChecksUtf8AsTextInMemory) {
  std::vector<std::string> many;
  while (many.size() * plain_rows[0].size() < (std::size_t{5} << 19))
    for (const auto& r : plain_rows) many.push_back(r);
  const std::string good = ndjson(many);
  const std::string path = (testing::TempDir().empty() ? std::string("/tmp/") : testing::TempDir()) +
                           "hazard_dataset_json_utf8.ndjson";
  auto from_file = [&](const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    detail::MappedFile file(path);
    try {
      const Table t = detail::parse_dataset_json_mapped(file.view(), "t.json", DataFormat::ndjson, {}, &file);
      return testing::PrintToString(t.rows());
    } catch (const DataError& e) {
      return std::string(e.what());
    }
  };
  EXPECT_EQ(from_file(good), testing::PrintToString(many.size()));
  for (const char bad : {'\xff', '\0'}) {
    std::string text = good;
    const std::size_t at = text.find("\"u\"", text.size() - 1000);  // inside a string near the end
    ASSERT_NE(at, std::string::npos);
    text[at + 1] = bad;
    const std::string expected = error_of(text, DataFormat::ndjson);
    EXPECT_NE(expected.find(bad ? "not UTF-8" : "NUL byte"), std::string::npos) << expected;
    EXPECT_EQ(from_file(text), expected);
  }
  std::remove(path.c_str());
}
