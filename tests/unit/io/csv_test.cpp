// Tests of the CSV reader against hand-written RFC 4180 cases (each expectation is the plain
// reading of the text in the test, not output of hazard).
#include "hazard/csv.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "hazard/error.hpp"
#include "io/text.hpp"
#include "targets.hpp"

using hazard::ColumnKind;
using hazard::DataError;
using hazard::parse_csv;

namespace {
std::string error_of(const std::string& text, const hazard::CsvOptions& o = {}) {
  try {
    parse_csv(text, "t.csv", o);
  } catch (const DataError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(Csv, NumericAndCategoricalColumns) {
  auto t = parse_csv("time,status,arm\n1.5,1,B\n2,0,A\n3e1,NA,B\n", "t.csv");
  ASSERT_EQ(t.rows(), 3u);
  const auto& time = t.at("time");
  EXPECT_EQ(time.kind, ColumnKind::numeric);
  EXPECT_EQ(time.numbers[0], 1.5);
  EXPECT_EQ(time.numbers[2], 30.0);
  EXPECT_TRUE(t.at("status").is_missing(2));
  const auto& arm = t.at("arm");
  EXPECT_EQ(arm.kind, ColumnKind::categorical);
  ASSERT_EQ(arm.levels.size(), 2u);
  EXPECT_EQ(arm.levels[0], "A");  // sorted order: A is the reference, as R
  EXPECT_EQ(arm.codes[0], 1);
  EXPECT_EQ(arm.codes[1], 0);
  EXPECT_EQ(t.line[0], 2u);
}

TEST(Csv, QuotedFieldsWithCommasQuotesAndNewlines) {
  auto t = parse_csv("id,note\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n4,x\r\n", "t.csv");
  ASSERT_EQ(t.rows(), 4u);
  const auto& note = t.at("note");
  EXPECT_EQ(note.text(0), "a, b");
  EXPECT_EQ(note.text(1), "say \"hi\"");
  EXPECT_EQ(note.text(2), "two\nlines");
  EXPECT_EQ(note.text(3), "x");
  EXPECT_EQ(t.line[3], 6u);  // the quoted newline moves the next record down a line
}

TEST(Csv, ByteOrderMarkEmptyAndNaAreMissing) {
  auto t = parse_csv("\xEF\xBB\xBFtime,g\n1,\n,NA\n2,a\n", "t.csv");
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_TRUE(t.at("time").is_missing(1));
  EXPECT_TRUE(t.at("g").is_missing(0));
  EXPECT_TRUE(t.at("g").is_missing(1));
  EXPECT_EQ(t.at("g").text(2), "a");
}

TEST(Csv, OnlyRequestedColumnsAreRead) {
  auto t = parse_csv("a,b,c\n1,x,3\n", "t.csv", {.columns = {"c", "a"}});
  ASSERT_EQ(t.columns.size(), 2u);
  EXPECT_EQ(t.columns[0].name, "c");
  EXPECT_EQ(t.columns[0].numbers[0], 3.0);
}

TEST(Csv, ColumnTurningCategoricalLaterIsReadAsText) {
  auto t = parse_csv("v\n1\n2\nabc\n1\n", "t.csv");
  const auto& v = t.at("v");
  EXPECT_EQ(v.kind, ColumnKind::categorical);
  EXPECT_EQ(v.text(0), "1");
  EXPECT_EQ(v.text(2), "abc");
  EXPECT_EQ(v.codes[0], v.codes[3]);
}

TEST(Csv, InfNanAndOverflowAreNotNumbers) {
  EXPECT_EQ(parse_csv("v\n1\ninf\n", "t.csv").at("v").kind, ColumnKind::categorical);
  EXPECT_EQ(parse_csv("v\n1\nnan\n", "t.csv").at("v").kind, ColumnKind::categorical);
  EXPECT_EQ(parse_csv("v\n1\n1e999\n", "t.csv").at("v").kind, ColumnKind::categorical);
}

TEST(Csv, BlankLinesAndMissingFinalNewline) {
  auto t = parse_csv("a,b\n\n1,2\n\n3,4", "t.csv");
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.at("b").numbers[1], 4.0);
  EXPECT_EQ(t.line[1], 5u);
}

TEST(Csv, ErrorsNameFileLineColumnAndValue) {
  EXPECT_EQ(error_of("a,b\n1,2\n3\n"),
            "t.csv:3: column 'b': value '3': wrong number of fields: 1 instead of the header's 2 (no field for "
            "column 'b' and after: a truncated record?)");
  EXPECT_EQ(error_of("a,b\n1,2,3\n"), "t.csv:2: column '#3': value '3': too many fields: the header has 2 columns");
  EXPECT_EQ(error_of("a,a\n1,2\n"), "t.csv:1: column 'a': value 'a': duplicate column name (columns 1 and 2)");
  EXPECT_EQ(error_of("a,b\n1,\"open\n"),
            "t.csv:2: column 'b': value '\"open': unterminated quoted field (a '\"' opened here is never closed: a "
            "truncated file?)");
  EXPECT_EQ(error_of("a\n\xff\n"), "t.csv:2: column 'a': value '\\xFF': the file is not UTF-8 text (invalid byte; for a Latin-1 file give --encoding latin1)");
  EXPECT_EQ(error_of(std::string("a\n1\0\n", 5)), "t.csv:2: column 'a': value '1\\x00': the file is not text (it contains a NUL byte)");
  EXPECT_EQ(error_of(""), "t.csv: the file is empty: no header row");
  EXPECT_EQ(error_of("a\n1\n", {.columns = {"zz"}}), "t.csv:1: column 'zz': no such column in the header (columns: a)");
  EXPECT_EQ(error_of("a,b\n\"x\"y,2\n"), "t.csv:2: column 'a': value '\"x\"y': unexpected character after a closing quote");
}

// Issue 7's malformed inputs: each message names the file, the line, the column and the value.
TEST(Csv, TruncatedFileNamesTheCutRecord) {
  const std::string full = "id,time,status,arm\n1,5.5,1,\"A, old\"\n2,7,0,B\n";
  // Cut inside the last record's fields: the first column without a field is named.
  EXPECT_EQ(error_of(full.substr(0, full.size() - 5)),
            "t.csv:3: column 'status': value '2,7': wrong number of fields: 2 instead of the header's 4 (no field "
            "for column 'status' and after: a truncated record?)");
  // Cut inside a quoted field: the quote is never closed.
  EXPECT_EQ(error_of(full.substr(0, 32)),
            "t.csv:2: column 'arm': value '\"A, o': unterminated quoted field (a '\"' opened here is never closed: a "
            "truncated file?)");
}

TEST(Csv, InvalidUtf8NamesColumnAndEscapedValue) {
  EXPECT_EQ(error_of("id,site\n1,Paris\n2,Gen\xe8ve\n"),
            "t.csv:3: column 'site': value 'Gen\\xE8ve': the file is not UTF-8 text (invalid byte; for a Latin-1 "
            "file give --encoding latin1)");
  EXPECT_EQ(error_of("id,Gr\xf6\xdf" "e\n1,2\n"),
            "t.csv:1: column '#2': value 'Gr\\xF6\\xDFe': the file is not UTF-8 text (invalid byte; for a Latin-1 "
            "file give --encoding latin1)");
}

TEST(Csv, Utf16IsNamedAndRefusedEvenAsLatin1) {
  const std::string bom_le("\xff\xfe" "a\0,\0b\0\n\0" "1\0,\0" "2\0\n\0", 18);
  const std::string no_bom_be("\0a\0,\0b\0\n\0" "1\0,\0" "2\0\n", 16);
  const char* conv = "the file is UTF-16LE text, not UTF-8 or Latin-1: convert it first, e.g. iconv -f UTF-16LE -t UTF-8";
  EXPECT_EQ(error_of(bom_le), std::string("t.csv:1: value '\\xFF\\xFE\\x61\\x00': ") + conv);
  EXPECT_EQ(error_of(bom_le, {.encoding = hazard::Encoding::latin1}),
            std::string("t.csv:1: value '\\xFF\\xFE\\x61\\x00': ") + conv);
  EXPECT_NE(error_of(no_bom_be).find("the file is UTF-16BE text"), std::string::npos) << error_of(no_bom_be);
}

TEST(Csv, Utf8TextIsAccepted) {
  auto t = parse_csv("arm\nCabozantinib–é\n", "t.csv");
  EXPECT_EQ(t.at("arm").text(0), "Cabozantinib–é");
}

TEST(Csv, MissingFileIsAnIoError) {
  EXPECT_THROW(hazard::read_csv("/nonexistent/x.csv"), hazard::IoError);
}

TEST(Csv, HeaderOnlyGivesNoRows) {
  // no body at all (found by the csv fuzzing target: the chunk merge started from a part that did
  // not exist)
  for (const char* text : {"a,b\n", "a,b", "a,b\n\n"}) {
    const auto t = parse_csv(text, "t.csv");
    EXPECT_EQ(t.rows(), 0u) << text;
    EXPECT_TRUE(t.line.empty()) << text;
    ASSERT_EQ(t.columns.size(), 2u) << text;
    EXPECT_EQ(t.columns[0].size(), 0u) << text;
  }
}

TEST(Csv, ChunkedParallelParseEqualsSequential) {
  // Records with quoted delimiters, doubled quotes and line breaks, so that chunk cuts land inside
  // quoted fields; the result must not depend on the number of chunks.
  std::string text = "id,t,note,g\n";
  for (int i = 0; i < 2000; ++i) {
    text += std::to_string(i) + "," + (i % 7 == 0 ? "NA" : std::to_string(i * 0.25)) + ",";
    text += i % 3 == 0 ? "\"a,\n\"\"b\"\"\"" : "plain";
    text += i % 5 == 0 ? ",X\n" : (i % 11 == 0 ? ",\n" : ",Y\r\n");
  }
  auto one = parse_csv(text, "t.csv", {.threads = 1});
  for (std::size_t threads : {2u, 3u, 7u}) {
    auto many = parse_csv(text, "t.csv", {.threads = threads});
    ASSERT_EQ(many.rows(), one.rows());
    EXPECT_EQ(many.line, one.line);
    for (std::size_t c = 0; c < one.columns.size(); ++c) {
      const auto& a = one.columns[c];
      const auto& b = many.columns[c];
      EXPECT_EQ(a.kind, b.kind);
      EXPECT_EQ(a.levels, b.levels);
      EXPECT_EQ(a.codes, b.codes);
      ASSERT_EQ(a.numbers.size(), b.numbers.size());
      for (std::size_t i = 0; i < a.numbers.size(); ++i)
        EXPECT_TRUE(a.numbers[i] == b.numbers[i] || (std::isnan(a.numbers[i]) && std::isnan(b.numbers[i])));
    }
  }
  EXPECT_EQ(one.rows(), 2000u);
  EXPECT_EQ(one.at("note").text(3), "a,\n\"b\"");
}

// A quoted field that starts before one chunk cut and ends after the next (found by the csv fuzzing
// target: the next cut's quote count then started past its end and read out of bounds).
TEST(Csv, QuotedFieldSpanningTwoChunkCuts) {
  std::string text = "id,note\n1,\"opens here\n";
  for (int i = 0; i < 200; ++i) text += "still inside the quotes\n";
  text += "closes\"\n";
  for (int i = 2; i < 12; ++i) text += std::to_string(i) + ",x\n";
  auto one = parse_csv(text, "t.csv", {.threads = 1});
  ASSERT_EQ(one.rows(), 11u);
  EXPECT_EQ(one.line[1], 204u);  // 1 header + record 1 over 202 lines
  for (std::size_t threads : {2u, 3u, 5u}) {
    auto many = parse_csv(text, "t.csv", {.threads = threads});
    EXPECT_EQ(many.line, one.line) << threads;
    EXPECT_EQ(many.at("note").levels, one.at("note").levels) << threads;
    EXPECT_EQ(many.at("note").codes, one.at("note").codes) << threads;
  }
}

TEST(Csv, ChunksDisagreeingOnTypeAreReadAsText) {
  std::string text = "v\n";
  for (int i = 0; i < 100; ++i) text += "1\n";
  for (int i = 0; i < 100; ++i) text += "x\n";
  auto t = parse_csv(text, "t.csv", {.threads = 2});
  EXPECT_EQ(t.at("v").kind, ColumnKind::categorical);
  EXPECT_EQ(t.at("v").levels, (std::vector<std::string>{"1", "x"}));
}

TEST(Csv, ErrorInALaterChunkNamesItsLine) {
  std::string text = "a,b\n";
  for (int i = 0; i < 100; ++i) text += "1,2\n";
  text += "3\n";
  try {
    parse_csv(text, "t.csv", {.threads = 2});
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(e.where().line, 102u);
    EXPECT_EQ(e.where().column, "b");
    EXPECT_EQ(e.where().value, "3");
  }
}

// A quote inside an unquoted field is a literal character (RFC 4180 only quotes whole fields), so it
// does not open a quoted field: the chunk splitter must not count it, or it cuts inside the quoted
// multi-line fields that follow (issue 19: a > 8 MB file failed with a false "unterminated quoted
// field"). Every row's note is known from the text: row i has 'a"b' (i = 1), 'x<i>\ny' or 'z"q'.
TEST(Csv, StrayQuoteInUnquotedFieldDoesNotMoveChunkCuts) {
  std::string text = "id,note\n1,a\"b\n";
  for (int i = 2; i <= 400; ++i)
    text += i % 7 == 0 ? fmt::format("{},z\"q\n", i) : fmt::format("{},\"x{}\ny\"\n", i, i);
  for (std::size_t threads : {1u, 2u, 3u, 4u, 5u, 8u, 16u}) {
    auto t = parse_csv(text, "t.csv", {.threads = threads});
    ASSERT_EQ(t.rows(), 400u) << threads;
    const auto& note = t.at("note");
    EXPECT_EQ(note.text(0), "a\"b") << threads;
    std::uint64_t line = 3;
    for (std::size_t r = 1; r < 400; ++r) {
      const int i = static_cast<int>(r) + 1;
      const std::string expected = i % 7 == 0 ? std::string("z\"q") : fmt::format("x{}\ny", i);
      EXPECT_EQ(note.text(r), expected) << threads << " " << i;
      EXPECT_EQ(t.line[r], line) << threads << " " << i;
      line += i % 7 == 0 ? 1 : 2;
    }
  }
}

// The same with the stray quotes in the first field and CRLF line ends, and a doubled quote inside
// a quoted field that ends right at a line end.
TEST(Csv, ChunkCutsFollowTheTokenizerOnCrlfAndDoubledQuotes) {
  std::string text = "k,v\r\n";
  for (int i = 0; i < 300; ++i) {
    if (i % 5 == 0) text += fmt::format("q\"{},1\r\n", i);
    else if (i % 5 == 1) text += fmt::format("\"m\r\n\"\"{}\"\"\",2\r\n", i);
    else text += fmt::format("{},\"\"\"\r\n\"\r\n", i);
  }
  auto one = parse_csv(text, "t.csv", {.threads = 1});
  ASSERT_EQ(one.rows(), 300u);
  EXPECT_EQ(one.at("k").text(0), "q\"0");
  EXPECT_EQ(one.at("k").text(1), "m\r\n\"1\"");
  EXPECT_EQ(one.at("v").text(2), "\"\r\n");
  for (std::size_t threads : {2u, 3u, 4u, 7u, 16u}) {
    auto many = parse_csv(text, "t.csv", {.threads = threads});
    EXPECT_EQ(many.line, one.line) << threads;
    EXPECT_EQ(many.at("k").levels, one.at("k").levels) << threads;
    EXPECT_EQ(many.at("k").codes, one.at("k").codes) << threads;
    EXPECT_EQ(many.at("v").levels, one.at("v").levels) << threads;
    EXPECT_EQ(many.at("v").codes, one.at("v").codes) << threads;
  }
}

namespace {
using hazard::Table;
using hazard::detail::CsvCuts;
using hazard::fuzz::same_bits;  // fuzz/targets.hpp: the fuzz target's check

// The table or the error (message with file, line, column and value) of a parse.
struct Outcome {
  std::optional<Table> table;
  std::string error;
  hazard::Location where;
};
/// A random small text: the header "a,b", then fewer than `max_records` records of two fields
/// drawn from `fields`, each ending in LF, CRLF or with a blank line; one text in two then has a
/// byte replaced by the first byte of one of `replacements`.
std::string random_text(std::mt19937& rng, std::size_t max_records,
                        std::initializer_list<const char*> fields,
                        std::initializer_list<const char*> replacements) {
  auto one_of = [&](std::initializer_list<const char*> v) {
    return std::string(v.begin()[rng() % v.size()]);
  };
  std::string text = "a,b\n";
  const std::size_t records = rng() % max_records;
  for (std::size_t r = 0; r < records; ++r) {
    for (int f = 0; f < 2; ++f) {
      if (f) text += ',';
      text += one_of(fields);
    }
    text += one_of({"\n", "\r\n", "\n\n", "\n\r\n"});
  }
  if (rng() % 2 && text.size() > 4) text[4 + rng() % (text.size() - 4)] = one_of(replacements)[0];
  return text;
}

/// `chunk_bytes`: small values give many chunks per thread (taken in turn, appended in order).
Outcome outcome_of(const std::string& text, std::size_t threads,
                   CsvCuts cuts = CsvCuts::speculative,
                   std::size_t window = hazard::detail::csv_window,
                   std::size_t chunk_bytes = hazard::detail::csv_chunk_bytes) {
  Outcome o;
  try {
    o.table = hazard::detail::parse_csv_cuts(text, "t.csv", {.threads = threads}, cuts, window,
                                             true, chunk_bytes);
  } catch (const DataError& e) {
    o.error = e.what();
    o.where = e.where();
  }
  return o;
}

/// `got` is `expected`: the same error, or the same table to the bit; counts which it was.
void expect_same_outcome(const Outcome& got, const Outcome& expected, const std::string& what,
                         std::size_t& tables, std::size_t& errors) {
  ASSERT_EQ(got.error, expected.error) << what;
  ASSERT_EQ(got.table.has_value(), expected.table.has_value()) << what;
  if (expected.table) {
    ASSERT_TRUE(same_bits(*got.table, *expected.table)) << what;
    ++tables;
  } else {
    ++errors;
  }
}
}  // namespace

// Chunks are cut at the first line feed after each target and checked after the parse. Small texts
// with many records, so that for 1 to 8 threads cuts fall inside quoted fields with line breaks
// (the chunks are then cut again exactly), right after quoted fields, next to CRLF line ends, at
// blank lines, after plain quotes inside unquoted fields (`5"`), at the very end, and on a file of
// a single record. Every case reads as in one piece, and as with the exact cuts.
TEST(Csv, SpeculativeChunkCutsReadAsOnePiece) {
  std::vector<std::string> texts;
  {
    std::string t = "id,note\n";  // quoted line breaks, cut inside them
    for (int i = 0; i < 40; ++i) t += fmt::format("{},\"x{}\ny\nz\"\n", i, i);
    texts.push_back(t);
  }
  {
    std::string t = "id,note\n";  // quoted fields ending right at the line end
    for (int i = 0; i < 40; ++i) t += fmt::format("{},\"q,{}\"\n", i, i % 3);
    texts.push_back(t);
  }
  {
    std::string t = "id,v\r\n";  // CRLF, some blank CRLF lines, a quoted CRLF
    for (int i = 0; i < 40; ++i)
      t += i % 4 == 0 ? fmt::format("{},\"a\r\nb\"\r\n\r\n", i) : fmt::format("{},{}\r\n", i, i);
    texts.push_back(t);
  }
  {
    std::string t = "id,v\n\n\n";  // blank lines: runs of them, also before the first record
    for (int i = 0; i < 40; ++i)
      t += fmt::format("{},{}\n{}", i, i * 0.5, i % 3 == 0 ? "\n\n\n" : "");
    texts.push_back(t);
  }
  {
    std::string t = "len,note\n";  // plain quotes in unquoted fields, quoted fields after them
    for (int i = 0; i < 40; ++i)
      t += i % 2 ? fmt::format("{}\",a\"b\n", i) : fmt::format("{},\"c\n\"\"d\"\n", i);
    texts.push_back(t);
  }
  texts.push_back(
      "a,b\n1,2\n3,4\n5,\"a very long last field that holds most of the bytes of the file\"");
  texts.push_back("a,b\n1,2\n3,\"a quoted field\nthat runs over\nfour lines\nto the end\"\n");
  texts.push_back("a,b\n1,2\n");
  texts.push_back("a,b\n1,\"2\n\n\n\n\n\n\n\n\n3\"");
  texts.push_back("a,b\n");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const Outcome one = outcome_of(texts[i], 1);
    ASSERT_TRUE(one.table) << i << ": " << one.error;
    for (std::size_t threads = 2; threads <= 8; ++threads) {
      const Outcome many = outcome_of(texts[i], threads);
      ASSERT_TRUE(many.table) << i << " " << threads << ": " << many.error;
      EXPECT_TRUE(same_bits(*many.table, *one.table)) << i << " " << threads;
      const Outcome exact = outcome_of(texts[i], threads, CsvCuts::exact);
      ASSERT_TRUE(exact.table) << i << " " << threads;
      EXPECT_TRUE(same_bits(*exact.table, *one.table)) << i << " " << threads;
    }
    // many chunks per thread: 2 or 3 threads take chunks of 1 to 40 bytes in turn
    for (std::size_t threads : {2u, 3u}) {
      for (std::size_t chunk_bytes : {1u, 7u, 40u}) {
        for (CsvCuts cuts : {CsvCuts::speculative, CsvCuts::exact}) {
          const Outcome many =
              outcome_of(texts[i], threads, cuts, hazard::detail::csv_window, chunk_bytes);
          ASSERT_TRUE(many.table) << i << " " << threads << " " << chunk_bytes << ": "
                                  << many.error;
          EXPECT_TRUE(same_bits(*many.table, *one.table))
              << i << " " << threads << " " << chunk_bytes;
          EXPECT_EQ(many.table->line, one.table->line) << i << " " << threads << " " << chunk_bytes;
        }
      }
    }
  }
  // the lines, from the text: record i of the first text starts on line 2 + 3 i
  const Table t = *outcome_of(texts[0], 5).table;
  ASSERT_EQ(t.rows(), 40u);
  for (std::size_t r = 0; r < 40; ++r) EXPECT_EQ(t.line[r], 2 + 3 * r);
  EXPECT_EQ(t.at("note").text(39), "x39\ny\nz");
}

// An error in a later chunk names its line in the file (chunks are parsed with lines counted from
// their own start, then placed): the same message, line, column and value for 1 to 8 threads, for
// an error in the 2nd, 3rd or last chunk, after quoted line breaks and blank lines.
TEST(Csv, ErrorsInLaterChunksNameTheSameLineForAnyThreadCount) {
  struct Bad {
    const char* record;
    const char* message;
    const char* column;
    const char* value;
  };
  const Bad bad[] = {
      {"7\n", "wrong number of fields", "b", "7"},
      {"7,8,9\n", "too many fields", "#3", "9"},
      {"\"7\"x,8\n", "unexpected character after a closing quote", "a", "\"7\"x"},
      {"7,\"open\n", "unterminated quoted field", "b", "\"open"},
      {"7,\xff"
       "8\n",
       "not UTF-8", "b", "\\xFF8"},
  };
  for (const Bad& b : bad) {
    for (int at : {45, 70, 99}) {  // of 100 records: in the 2nd, 3rd or last of 3 chunks
      std::string text = "a,b\n";
      std::uint64_t line = 2, bad_line = 0;
      for (int i = 0; i < 100; ++i) {
        if (i == at) {
          text += b.record;
          bad_line = line;
          line += 1;
        } else if (i % 10 == 3 && i < at) {
          text += fmt::format("{},\"x\ny\"\n\n", i);  // a quoted line break and a blank line
          line += 3;
        } else {
          text += fmt::format("{},{}\n", i, i);
          line += 1;
        }
      }
      const Outcome one = outcome_of(text, 1);
      ASSERT_FALSE(one.table) << b.message << " " << at;
      EXPECT_NE(one.error.find(b.message), std::string::npos) << one.error;
      EXPECT_EQ(one.where.line, bad_line) << one.error;  // from the text
      EXPECT_EQ(one.where.column, b.column) << one.error;
      EXPECT_EQ(one.where.value, b.value) << one.error;
      for (std::size_t threads = 2; threads <= 8; ++threads) {
        const Outcome many = outcome_of(text, threads);
        EXPECT_EQ(many.error, one.error) << threads;
        EXPECT_EQ(many.where.line, one.where.line) << threads << " " << many.error;
        EXPECT_EQ(many.where.column, one.where.column) << threads;
        EXPECT_EQ(many.where.value, one.where.value) << threads;
      }
      // many chunks per thread (the error in any of them)
      for (std::size_t chunk_bytes : {5u, 64u, 300u}) {
        const Outcome many =
            outcome_of(text, 2, CsvCuts::speculative, hazard::detail::csv_window, chunk_bytes);
        EXPECT_EQ(many.error, one.error) << chunk_bytes;
        EXPECT_EQ(many.where.line, one.where.line) << chunk_bytes << " " << many.error;
        EXPECT_EQ(many.where.column, one.where.column) << chunk_bytes;
        EXPECT_EQ(many.where.value, one.where.value) << chunk_bytes;
      }
    }
  }
}

// Random small texts of records whose fields are plain, with a plain quote (`5"`), empty, or quoted
// (with delimiters, doubled quotes, LF and CRLF inside), ending in LF or CRLF, with blank lines;
// one text in two then has a byte replaced by one that matters to cutting (quote, delimiter, CR,
// LF, an invalid byte). The speculative cuts give the table or the error the exact cuts give, for 2
// to 8 chunks.
TEST(Csv, SpeculativeAndExactCutsAgreeOnRandomTexts) {
  std::mt19937 rng(20261205);
  std::size_t errors = 0, tables = 0;
  for (int n = 0; n < 400; ++n) {
    const std::string text =
        random_text(rng, 12,
                    {"x", "12", "5\"", "", "\"q\"", "\"a,\nb\"", "\"\"\"\r\n\"", "\"\n\n\"", "\"\xc3\xa9\""},
                    {"\"", ",", "\r", "\n", "\xff"});
    for (std::size_t threads = 2; threads <= 8; ++threads) {
      expect_same_outcome(outcome_of(text, threads), outcome_of(text, threads, CsvCuts::exact),
                          fmt::format("{} {}", threads, testing::PrintToString(text)), tables, errors);
      if (HasFatalFailure()) return;
    }
    // many chunks per thread, against one chunk
    const Outcome one = outcome_of(text, 1);
    for (std::size_t chunk_bytes : {3u, 11u}) {
      for (CsvCuts cuts : {CsvCuts::speculative, CsvCuts::exact}) {
        expect_same_outcome(
            outcome_of(text, 2, cuts, hazard::detail::csv_window, chunk_bytes), one,
            fmt::format("2 threads, chunks of {}: {}", chunk_bytes, testing::PrintToString(text)),
            tables, errors);
        if (HasFatalFailure()) return;
      }
    }
  }
  EXPECT_GT(errors, 400u);  // both outcomes are exercised
  EXPECT_GT(tables, 400u);
}

// The body is parsed a window at a time (windows end at record ends found by RecordEnds, a record
// longer than the window doubles it): random texts as above, one byte in two then replaced by one
// that matters, give in windows of 2 to 40 bytes the table or the error they give in one window.
TEST(Csv, SmallWindowsGiveWhatOneWindowGives) {
  std::mt19937 rng(20261206);
  std::size_t errors = 0, tables = 0;
  for (int n = 0; n < 600; ++n) {
    const std::string text =
        random_text(rng, 16,
                    {"x", "12", "5\"", "", "\"q\"", "\"a,\nb\"", "\"\"\"\r\n\"", "\"\n\n\"", "\"\xc3\xa9\"",
                     "\"long long long\nfield\"", "\xc3\xa9t\xc3\xa9"},
                    {"\"", ",", "\r", "\n", "\xff", "x"});
    const Outcome whole = outcome_of(text, 1, CsvCuts::automatic, std::numeric_limits<std::size_t>::max());
    for (std::size_t threads : {1u, 3u}) {
      for (std::size_t window = 2; window <= 40; window += 1 + rng() % 7) {
        expect_same_outcome(outcome_of(text, threads, CsvCuts::automatic, window), whole,
                            fmt::format("{} {} {}", threads, window, testing::PrintToString(text)),
                            tables, errors);
        if (HasFatalFailure()) return;
      }
    }
  }
  EXPECT_GT(errors, 500u);  // both outcomes are exercised
  EXPECT_GT(tables, 500u);
}

// An invalid byte in a chunk comes before a parse error earlier in that chunk (the chunk is checked
// a block ahead of its parse, and the rest of it when the parse stops early: as when the whole body
// was checked first; the first MB of the file is checked with the header). Here, with 2 threads, the
// speculative cut falls inside a quoted field, before its invalid byte (past the first MB), and the
// first chunk's parse stops at line 2: the exact first chunk reaches to the end of the quoted
// field, and its check names the invalid byte.
TEST(Csv, InvalidByteBeyondASpeculativeCutComesBeforeAParseErrorOfItsChunk) {
  const int n = 300000;
  std::string text = "a,b\n1\n";
  for (int i = 0; i < n; ++i) text += "2,2\n";
  text += "3,\"";  // body offsets 4n + 2 to 4n + 88, the midpoint 4n + 44 in its lines of x
  for (int i = 0; i < 40; ++i) text += "x\n";
  text += "\xff\"\n";
  for (int i = 0; i < n; ++i) text += "4,4\n";
  const Outcome one = outcome_of(text, 1);
  EXPECT_NE(one.error.find("not UTF-8"), std::string::npos) << one.error;
  EXPECT_EQ(one.where.line, 2u + n + 41u);  // header, "1", n records, 40 lines of the quoted field
  EXPECT_EQ(outcome_of(text, 2).error, one.error);
  for (std::size_t threads = 3; threads <= 8; ++threads)
    EXPECT_EQ(outcome_of(text, threads).error, outcome_of(text, threads, CsvCuts::exact).error)
        << threads;
}

// The UTF-8 check runs a block (1 MB) ahead of the parse; a record longer than that is parsed
// past the checked bytes. Here a quoted field of ~2.4 MB, from just before the first block's end,
// holds line feeds (where the blocks end) and an invalid byte near its end, and is followed by a
// character after its closing quote (a parse error on the same line): the invalid byte is the
// error, for 1 and 2 threads. Without the parse error, the same.
TEST(Csv, InvalidByteInARecordLongerThanTheCheckedBlockIsFound) {
  for (const bool parse_error : {true, false}) {
    std::string text = "a,b\n";
    const int short_records = 240000;  // 4 bytes each: ~0.96 MB
    for (int i = 0; i < short_records; ++i) text += "1,1\n";
    text += "2,\"";
    for (int i = 0; i < 24000; ++i) text += std::string(99, 'x') + "\n";  // 2.4 MB, 24000 lines
    text += "\xff\"";
    text += parse_error ? "x\n" : "\n";
    for (int i = 0; i < 10; ++i) text += "3,3\n";
    const std::uint64_t bad_line = 2u + short_records + 24000u;
    for (std::size_t threads : {1u, 2u}) {
      const Outcome o = outcome_of(text, threads);
      ASSERT_FALSE(o.table) << threads;
      EXPECT_NE(o.error.find("not UTF-8"), std::string::npos) << threads << " " << o.error;
      EXPECT_EQ(o.where.line, bad_line) << threads << " " << o.error;
    }
  }
}

// The automatic choice of cuts: exact only for a body whose start holds a line feed inside a
// quoted field (quotes read as the tokenizer reads them).
TEST(Csv, QuotedLineFeedsChooseExactCuts) {
  using hazard::detail::has_quoted_line_feed;
  EXPECT_FALSE(has_quoted_line_feed("1,2\n3,4\n", ','));
  EXPECT_FALSE(has_quoted_line_feed("1,\"a,b\"\n3,\"c\"\"d\"\n", ','));  // quoted, no line feed inside
  EXPECT_FALSE(has_quoted_line_feed("1,5\"\n3,4\"x\n", ','));           // plain quotes inside fields
  EXPECT_FALSE(has_quoted_line_feed("1,\"a\"\r\n3,\"b\"\r\n", ','));
  EXPECT_FALSE(has_quoted_line_feed("1;\"a,\nb\"\n", ','));  // with ',' the quote opens no field
  EXPECT_TRUE(has_quoted_line_feed("1;\"a,\nb\"\n", ';'));
  EXPECT_TRUE(has_quoted_line_feed("1,\"a\nb\"\n3,4\n", ','));
  EXPECT_TRUE(has_quoted_line_feed("1,\"a\"\"\nb\"\n", ','));  // after a doubled quote
  EXPECT_TRUE(has_quoted_line_feed("1,2\n3,\"x\ny", ','));     // the sample ends inside the field
  // every record with a quoted line break: the same table whatever the cuts
  std::string text = "id,note,t\n";
  for (int i = 0; i < 3000; ++i) text += fmt::format("{},\"line one\nline two {}\",{}\n", i, i, i % 7);
  for (std::size_t threads : {2, 3, 5}) {
    const Outcome automatic = outcome_of(text, threads, CsvCuts::automatic);
    const Outcome exact = outcome_of(text, threads, CsvCuts::exact);
    ASSERT_TRUE(automatic.table && exact.table);
    EXPECT_EQ(automatic.table->rows(), 3000u);
    EXPECT_TRUE(automatic.table->line == exact.table->line);
  }
}

// Records without quotes are read 64 bytes at a time from bit masks of their delimiters and line
// feeds (Tokenizer::quote_free_records); every other record by the general path. Random texts of
// 1 to 5 columns, some of them requested (the others only counted), with empty and NA fields,
// numbers and words, a '\r' inside a field or ending one, LF and CRLF line ends, blank lines, a
// last record with or without its line end, records with a field too few or too many, and in one
// text in four a quoted field: read with 1 to 3 threads and windows of 16 bytes to 256 kB, each
// gives the table (to the bit, lines included) or the error (message, line, column, value) of the
// general path alone.
TEST(Csv, QuoteFreePathReadsAsTheGeneralPath) {
  std::mt19937 rng(20261206);
  const char* pool[] = {"",
                        "NA",
                        "1",
                        "-2.5",
                        "1e3",
                        "0.000125",
                        "abc",
                        "x y",
                        " 7 ",
                        "a\rb",
                        "z\r",
                        "\xc3\xa9t\xc3\xa9",
                        "12345678901234567890",
                        "-1.903011"};
  std::size_t tables = 0, errors = 0, quote_free_texts = 0;
  for (int trial = 0; trial < 600; ++trial) {
    const std::size_t ncol = 1 + rng() % 5;
    std::vector<std::string> names;
    std::string text;
    for (std::size_t c = 0; c < ncol; ++c) {
      names.push_back(fmt::format("c{}", c));
      text += (c ? "," : "") + names.back();
    }
    text += "\n";
    const bool quotes = rng() % 4 == 0;
    const std::size_t records = rng() % 60;
    for (std::size_t r = 0; r < records; ++r) {
      std::size_t fields = ncol;
      if (rng() % 50 == 0) fields = rng() % 2 ? ncol + 1 : ncol - 1;
      for (std::size_t f = 0; f < fields; ++f) {
        if (f) text += ',';
        text += quotes && rng() % 10 == 0 ? std::string("\"q,\n1\"")
                                          : std::string(pool[rng() % std::size(pool)]);
      }
      if (r + 1 < records || rng() % 2) {
        const char* ends[] = {"\n", "\r\n", "\n\n", "\r\n\r\n", "\n"};
        text += ends[rng() % std::size(ends)];
      }
    }
    quote_free_texts += text.find('"') == std::string::npos;
    hazard::CsvOptions options;
    if (rng() % 2) {  // a subset of the columns, in any order
      for (std::size_t c = 0; c < ncol; ++c)
        if (rng() % 2) options.columns.push_back(names[c]);
      std::shuffle(options.columns.begin(), options.columns.end(), rng);
      if (options.columns.empty()) options.columns.push_back(names[rng() % ncol]);
    }
    for (std::size_t threads : {1u, 2u, 3u}) {
      options.threads = threads;
      for (std::size_t window :
           {std::size_t{16}, std::size_t{64}, std::size_t{100}, hazard::detail::csv_window}) {
        auto outcome = [&](bool quote_free) {
          Outcome o;
          try {
            o.table = hazard::detail::parse_csv_cuts(text, "t.csv", options, CsvCuts::automatic,
                                                     window, quote_free);
          } catch (const DataError& e) {
            o.error = e.what();
            o.where = e.where();
          }
          return o;
        };
        const std::string what =
            fmt::format("trial {} threads {} window {}:\n{}", trial, threads, window, text);
        const Outcome general = outcome(false), fast = outcome(true);
        expect_same_outcome(fast, general, what, tables, errors);
        if (general.table) {
          ASSERT_EQ(fast.table->line, general.table->line) << what;
        } else {
          ASSERT_EQ(fast.where.line, general.where.line) << what;
          ASSERT_EQ(fast.where.column, general.where.column) << what;
          ASSERT_EQ(fast.where.value, general.where.value) << what;
        }
      }
    }
  }
  // both kinds of outcome, and the quote-free path on whole texts, were met often
  EXPECT_GT(tables, 2000u);
  EXPECT_GT(errors, 1000u);
  EXPECT_GT(quote_free_texts, 300u);
}
