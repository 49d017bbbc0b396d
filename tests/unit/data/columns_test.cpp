// Tables built in memory (hazard/columns.hpp): level order, missing values, the checks, and the
// "row N" locations of the errors the data layer raises on them.
#include "hazard/columns.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "hazard/survdata.hpp"

using namespace hazard;

namespace {
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(Columns, FactorLevelsKeepTheirOrderAndTheFirstIsTheReference) {
  std::vector<Column> cols;
  cols.push_back(numeric_column("t", {1, 2, 3, 4, 5}));
  cols.push_back(numeric_column("e", {1, 0, 1, 1, 0}));
  cols.push_back(categorical_column("arm", {"placebo", "drug", "low"}, {0, 1, 2, -1, 1}));
  const Table t = make_table("df", std::move(cols));
  const SurvData d = build_surv_data(t, {.time = "t", .event = "e", .group = "arm"});
  EXPECT_EQ(d.group_levels, (std::vector<std::string>{"placebo", "drug", "low"}));
  EXPECT_EQ(d.group, (std::vector<std::int32_t>{0, 1, 2, 1}));
  EXPECT_EQ(d.excluded.reasons.at("missing group"), 1u);
  EXPECT_EQ(d.line, (std::vector<std::uint64_t>{1, 2, 3, 5}));
  // as a covariate: one indicator per non-reference level, in the factor's order
  const Design x = build_design(t, d.row, {{.column = "arm"}});
  EXPECT_EQ(x.names, (std::vector<std::string>{"arm[drug]", "arm[low]"}));
}

TEST(Columns, AnEmptyLevelIsMissing) {
  const Column c = categorical_column("s", {"b", "", "a"}, {0, 1, 2, -1, 1});
  EXPECT_EQ(c.levels, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(c.codes, (std::vector<std::int32_t>{0, -1, 1, -1, -1}));
  EXPECT_TRUE(c.character);
}

TEST(Columns, TextValuesAreSortedAndEmptyOrFlaggedValuesMissing) {
  const std::vector<std::string_view> v{"b", "a", "", "c", "b", "B"};
  const std::vector<std::uint8_t> miss{0, 0, 0, 1, 0, 0};
  const Column c = text_column("s", v, miss);
  EXPECT_EQ(c.levels, (std::vector<std::string>{"B", "a", "b"}));  // byte order, as R's C locale
  EXPECT_EQ(c.codes, (std::vector<std::int32_t>{2, 1, -1, -1, 2, 0}));
  EXPECT_TRUE(c.character);
  EXPECT_EQ(text_column("s", v).codes, (std::vector<std::int32_t>{2, 1, -1, 3, 2, 0}));  // B a b c
  EXPECT_THROW(text_column("s", v, std::vector<std::uint8_t>{0}), UsageError);
}

TEST(Columns, DataErrorsNameTheRow) {
  std::vector<Column> cols;
  cols.push_back(numeric_column("t", {1, -3, std::nan("")}));
  cols.push_back(numeric_column("e", {1, 0, 1}));
  const Table t = make_table("lung", std::move(cols));
  EXPECT_EQ(error_of([&] { build_surv_data(t, {.time = "t", .event = "e"}); }),
            "lung: row 2: column 't': value '-3': time is negative");
  std::vector<Column> inf;
  inf.push_back(numeric_column("t", {1, INFINITY}));
  inf.push_back(numeric_column("e", {1, 0}));
  EXPECT_EQ(error_of([&] {
              build_surv_data(make_table("d", std::move(inf)), {.time = "t", .event = "e"});
            }),
            "d: row 2: column 't': value 'inf': time is not a finite number");
}

TEST(Columns, Checks) {
  EXPECT_EQ(error_of([] {
              categorical_column("g", {"a", "a"}, {0});
            }),
            "column 'g': level 'a' is repeated");
  EXPECT_EQ(error_of([] {
              categorical_column("g", {"a", "b"}, {0, 2});
            }),
            "column 'g': row 2: level code 2 is not one of the 2 levels");
  EXPECT_EQ(error_of([] {
              std::vector<Column> c;
              c.push_back(numeric_column("a", {1, 2}));
              c.push_back(numeric_column("b", {1}));
              make_table("df", std::move(c));
            }),
            "df: column 'b' has 1 rows, column 'a' 2");
  EXPECT_EQ(error_of([] {
              std::vector<Column> c;
              c.push_back(numeric_column("a", {1}));
              c.push_back(numeric_column("a", {1}));
              make_table("df", std::move(c));
            }),
            "df: column 'a' is given twice");
}
