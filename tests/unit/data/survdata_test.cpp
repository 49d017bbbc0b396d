// Tests of the column-role rules of build_surv_data (docs/cli/data.md), on hand-written data.
#include "hazard/survdata.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"

using namespace hazard;

namespace {
SurvData build(const std::string& csv, const Roles& r) {
  return build_surv_data(parse_csv(csv, "d.csv", {.columns = r.columns()}), r);
}
std::string error_of(const std::string& csv, const Roles& r) {
  try {
    build(csv, r);
  } catch (const DataError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(SurvData, EventCodings) {
  const char* csv = "t,s,c,flag\n1,2,0,TRUE\n2,1,1,false\n3,2,3,T\n";
  auto eq = build(csv, {.time = "t", .event = "s", .coding = EventCoding::equals, .event_value = "2"});
  EXPECT_EQ(eq.status, (std::vector<std::uint8_t>{1, 0, 1}));
  auto cn = build(csv, {.time = "t", .event = "c", .coding = EventCoding::cnsr});
  EXPECT_EQ(cn.status, (std::vector<std::uint8_t>{1, 0, 0}));
  auto ind = build(csv, {.time = "t", .event = "flag"});
  EXPECT_EQ(ind.status, (std::vector<std::uint8_t>{1, 0, 1}));
}

TEST(SurvData, ExclusionsAreCountedByReason) {
  auto d = build("t,e,g\n1,1,A\nNA,1,A\n3,,B\n4,1,\n5,0,B\n",
                 {.time = "t", .event = "e", .group = "g"});
  EXPECT_EQ(d.size(), 2u);
  EXPECT_EQ(d.excluded.count, 3u);
  EXPECT_EQ(d.excluded.reasons.at("missing time"), 1u);
  EXPECT_EQ(d.excluded.reasons.at("missing event"), 1u);
  EXPECT_EQ(d.excluded.reasons.at("missing group"), 1u);
  EXPECT_EQ(d.line, (std::vector<std::uint64_t>{2, 6}));
}

TEST(SurvData, WhereFiltersAndRefReorders) {
  auto d = build("P,t,e,arm\nPFS,1,1,Placebo\nOS,2,1,Cabo\nPFS,3,0,Cabo\n",
                 {.time = "t", .event = "e", .group = "arm", .ref = "Placebo",
                  .where = {{"P", "PFS"}}});
  EXPECT_EQ(d.n_filtered, 1u);
  ASSERT_EQ(d.group_levels, (std::vector<std::string>{"Placebo", "Cabo"}));
  EXPECT_EQ(d.group, (std::vector<std::int32_t>{0, 1}));
}

TEST(SurvData, StrataLabelsAsR) {
  auto d = build("t,e,a,b\n1,1,y,2\n2,1,x,1\n3,0,y,1\n4,1,x,1\n",
                 {.time = "t", .event = "e", .strata = {"a", "b"}});
  ASSERT_EQ(d.strata_levels, (std::vector<std::string>{"a=x, b=1", "a=y, b=1", "a=y, b=2"}));
  EXPECT_EQ(d.stratum, (std::vector<std::int32_t>{2, 0, 1, 0}));
}

TEST(SurvData, NumericGroupLevelsSortNumerically) {
  auto d = build("t,e,g\n1,1,10\n2,1,9\n", {.time = "t", .event = "e", .group = "g"});
  EXPECT_EQ(d.group_levels, (std::vector<std::string>{"9", "10"}));
}

TEST(SurvData, ErrorsNameLineColumnValue) {
  Roles r{.time = "t", .event = "e"};
  EXPECT_EQ(error_of("t,e\n1,1\n-3,1\n", r), "d.csv:3: column 't': value '-3': time is negative");
  EXPECT_EQ(error_of("t,e\n1,1\nabc,1\n", r), "d.csv:3: column 't': value 'abc': time is not a finite number");
  EXPECT_EQ(error_of("t,e\n1,1\ninf,1\n", r), "d.csv:3: column 't': value 'inf': time is not a finite number");
  EXPECT_EQ(error_of("t,e\n1,2\n", r),
            "d.csv:2: column 'e': value '2': the event must be 1/0 or true/false (to count '2' as "
            "the event, give --event e=2)");
  EXPECT_EQ(error_of("t,e\n1,yes\n", r),
            "d.csv:2: column 'e': value 'yes': the event must be 1/0 or true/false (to count 'yes' "
            "as the event, give --event e=yes)");
  Roles c{.time = "t", .event = "e", .coding = EventCoding::cnsr};
  EXPECT_EQ(error_of("t,e\n1,-1\n", c),
            "d.csv:2: column 'e': value '-1': CNSR must be 0 (event) or a positive integer (censored)");
  EXPECT_EQ(error_of("t,e\nNA,1\n", r),
            "d.csv: no data rows left to analyse (1 read, 0 removed by --where, 1 excluded (missing time: 1))");
  Roles g{.time = "t", .event = "e", .group = "g", .ref = "Z"};
  EXPECT_EQ(error_of("t,e,g\n1,1,A\n", g),
            "d.csv: column 'g': value 'Z': the reference level is not a level of the column (levels: A)");
  Roles w{.time = "t", .event = "e", .weights = "w"};
  EXPECT_EQ(error_of("t,e,w\n1,1,-2\n", w), "d.csv:2: column 'w': value '-2': a weight must be a non-negative finite number");
}

TEST(SurvData, TextInAFilteredOutRowIsNotAnError) {
  auto d = build("P,t,e\nPFS,1,1\nOS,bad,1\n", {.time = "t", .event = "e", .where = {{"P", "PFS"}}});
  EXPECT_EQ(d.size(), 1u);
}

TEST(SurvData, WhereParsesEveryForm) {
  auto is = [](const std::string& text, const std::string& col, WhereOp op, const std::string& value) {
    const WhereClause w = parse_where(text);
    EXPECT_EQ(w.column, col) << text;
    EXPECT_EQ(w.op, op) << text;
    EXPECT_EQ(w.value, value) << text;
  };
  is("PARAMCD=OS", "PARAMCD", WhereOp::eq, "OS");
  is("tag=k=1,2", "tag", WhereOp::eq, "k=1,2");  // as before: split at the first '='
  is("A= b ", "A", WhereOp::eq, " b ");           // the equality form is taken as is
  is("etype==2", "etype", WhereOp::eq, "2");       // R's `==` is the same clause
  is("tag===x", "tag", WhereOp::eq, "=x");         // a value beginning with '=', after `==`
  is("AGE>=65", "AGE", WhereOp::ge, "65");
  is("AGE > 65", "AGE", WhereOp::gt, "65");
  is("AGE<65", "AGE", WhereOp::lt, "65");
  is("AGE<=65", "AGE", WhereOp::le, "65");
  is("rx!=Obs", "rx", WhereOp::ne, "Obs");
  is("`a<b`=1", "a<b", WhereOp::eq, "1");
  is("`x in y` >= 2", "x in y", WhereOp::ge, "2");
  const WhereClause set = parse_where("rx in Obs,Lev+5FU");
  EXPECT_EQ(set.op, WhereOp::in);
  EXPECT_EQ(set.column, "rx");
  EXPECT_EQ(set.values, (std::vector<std::string>{"Obs", "Lev+5FU"}));
  EXPECT_EQ(parse_where("rx IN \"a,b\", c , \"d\"\"e\"").values, (std::vector<std::string>{"a,b", "c", "d\"e"}));
  for (const char* text : {"AGE>=65", "rx in Obs,Lev+5FU", "tag=k=1,2", "`a<b`=1", "rx!=Obs", "g in \"a,b\",c", "tag===x"})
    EXPECT_EQ(to_string(parse_where(text)), text);
  for (const char* bad : {"AGE", "=3", ">=3", "x>=", "g in ", "g in a,,b", "g in \"a", "`a"})
    EXPECT_THROW(parse_where(bad), UsageError) << bad;
}

TEST(SurvData, WhereComparesNumbersAndSets) {
  const char* csv = "t,e,age,arm\n1,1,60,A\n2,1,65,B\n3,1,70,C\n4,1,,A\n5,1,64.5,\n";
  auto n = [&](const std::string& clause) {
    return build(csv, {.time = "t", .event = "e", .where = {parse_where(clause)}}).size();
  };
  EXPECT_EQ(n("age>=65"), 2u);
  EXPECT_EQ(n("age>65"), 1u);
  EXPECT_EQ(n("age<65"), 2u);
  EXPECT_EQ(n("age<=65"), 3u);
  EXPECT_EQ(n("age!=65"), 3u);  // the missing age never matches
  EXPECT_EQ(n("age in 60, 70"), 2u);
  EXPECT_EQ(n("arm in A,C"), 3u);
  EXPECT_EQ(n("arm!=A"), 2u);   // the missing arm never matches
  EXPECT_EQ(n("arm in B,Z"), 1u);
  EXPECT_THROW(n("age>=old"), UsageError);
  EXPECT_THROW(n("arm>=A"), UsageError);
  try {
    n("age in 60,x");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--where age in 60,x: column 'age' is numeric but 'x' is not a number");
  }
}

TEST(SurvData, AnEventCodingWithoutEventsIsAnErrorWithAHint) {
  // lung's coding: 1 = censored, 2 = dead
  const char* csv = "t,s,g\n1,1,A\n2,2,A\n3,1,B\n4,2,B\n";
  EXPECT_EQ(error_of(csv, {.time = "t", .event = "s", .coding = EventCoding::cnsr}),
            "d.csv: column 's': --cnsr s: no events: no analysed row has s = 0, CNSR's code for an "
            "event (its values: 1, 2); did you mean --event s=2?");
  EXPECT_EQ(error_of(csv, {.time = "t", .event = "s", .coding = EventCoding::equals, .event_value = "3"}),
            "d.csv: column 's': --event s=3: no events: no analysed row has s = 3 (its values: 1, 2); "
            "did you mean --event s=2?");
  // the values listed are those of the analysed rows
  EXPECT_NE(error_of("t,s,g\n1,1,A\n2,2,B\n", {.time = "t", .event = "s", .coding = EventCoding::equals,
                                                .event_value = "2", .where = {{"g", "A"}}})
                .find("(its values: 1)"),
            std::string::npos);
}

TEST(SurvData, AGroupWithoutEventsIsAWarning) {
  auto d = build("t,e,g\n1,0,A\n2,1,B\n3,0,C\n4,1,B\n",
                 {.time = "t", .event = "e", .group = "g"});
  EXPECT_EQ(d.warnings, (std::vector<std::string>{
                            "--group g: level 'A' has no events in the analysed rows (1 rows)",
                            "--group g: level 'C' has no events in the analysed rows (1 rows)"}));
  EXPECT_TRUE(build("t,e,g\n1,1,A\n2,1,B\n", {.time = "t", .event = "e", .group = "g"}).warnings.empty());
  // many levels without events: ten listed, then one line counting the rest
  std::string csv = "t,e,g\n1,1,Z\n";
  for (int k = 0; k < 15; ++k) csv += fmt::format("{},0,L{:02d}\n", k + 2, k);
  const auto many = build(csv, {.time = "t", .event = "e", .group = "g", .level_limit = {.max_levels = 100, .half_rows = false}});
  ASSERT_EQ(many.warnings.size(), 11u);
  EXPECT_EQ(many.warnings.back(), "--group g: 5 more levels have no events in the analysed rows (15 in all)");
}

// Issue 19: a column with too many levels for a group or a stratum (a subject identifier given
// by mistake) is refused, naming the column, its number of levels and the limit.
TEST(SurvData, LevelLimitRules) {
  const LevelLimit def;
  EXPECT_EQ(def.limit(3), 10u);      // a handful of levels is always allowed
  EXPECT_EQ(def.limit(100), 50u);    // half the rows
  EXPECT_EQ(def.limit(1'000'000), 1000u);
  const LevelLimit raised{.max_levels = 5000, .half_rows = false};
  EXPECT_EQ(raised.limit(100), 5000u);
}

TEST(SurvData, TooManyGroupOrStratumLevelsAreRefused) {
  std::string csv = "id,t,e,arm,site\n";
  for (int i = 0; i < 30; ++i) csv += fmt::format("S{},{},1,{},x\n", i, i + 1, i % 2 ? "A" : "B");
  // 30 levels in 30 rows: more than 10 and more than half the rows
  const std::string e = error_of(csv, {.time = "t", .event = "e", .group = "id"});
  EXPECT_NE(e.find("d.csv: column 'id': the group (--group) has 30 levels in 30 analysed rows, more "
                   "than the limit of 15"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("--max-levels"), std::string::npos) << e;
  const std::string s = error_of(csv, {.time = "t", .event = "e", .group = "arm", .strata = {"site", "id"}});
  EXPECT_NE(s.find("column 'id': the stratum (--strata) has 30 levels"), std::string::npos) << s;
  // raised: accepted
  auto d = build(csv, {.time = "t", .event = "e", .group = "id",
                       .level_limit = {.max_levels = 30, .half_rows = false}});
  EXPECT_EQ(d.group_levels.size(), 30u);
  EXPECT_NE(error_of(csv, {.time = "t", .event = "e", .group = "id",
                           .level_limit = {.max_levels = 29, .half_rows = false}})
                .find("more than the limit of 29 (--max-levels 29)"),
            std::string::npos);
  // two arms are never refused, whatever the number of rows
  EXPECT_EQ(build("t,e,arm\n1,1,A\n2,0,B\n3,1,A\n", {.time = "t", .event = "e", .group = "arm"})
                .group_levels.size(),
            2u);
}

// A table given up (Table&&) may lend its time column to the result: the result is the same as
// from a table kept (const Table&), with every row kept, with exclusions, and when the time
// column plays a second role.
TEST(SurvData, GivenUpTableGivesTheSameResult) {
  const std::vector<std::pair<std::string, Roles>> cases = {
      {"t,e,g\n1,1,A\n2,0,B\n\n3,1,A\n4.5,1,B\n", {.time = "t", .event = "e", .group = "g"}},
      {"t,e,g\n1,1,A\nNA,1,A\n3,,B\n4,1,\n5,0,B\n", {.time = "t", .event = "e", .group = "g"}},
      {"t,e,g\n1,1,A\n2,0,B\n3,1,A\n", {.time = "t", .event = "e", .group = "g", .weights = "t"}},
  };
  for (const auto& [csv, roles] : cases) {
    const Table kept = parse_csv(csv, "d.csv", {.columns = roles.columns()});
    const SurvData a = build_surv_data(kept, roles);
    const SurvData b = build_surv_data(parse_csv(csv, "d.csv", {.columns = roles.columns()}), roles);
    EXPECT_EQ(a.time, b.time) << csv;
    EXPECT_EQ(a.status, b.status) << csv;
    EXPECT_EQ(a.group, b.group) << csv;
    EXPECT_EQ(a.weight, b.weight) << csv;
    EXPECT_TRUE(a.row == b.row) << csv;
    EXPECT_TRUE(a.line == b.line) << csv;
    EXPECT_EQ(a.excluded.count, b.excluded.count) << csv;
    // the kept table still holds its time column
    EXPECT_EQ(kept.at("t").numbers.size(), kept.rows()) << csv;
  }
  // a blank line makes the line numbers explicit: 2, 3, 5, 6
  const SurvData d = build_surv_data(parse_csv(cases[0].first, "d.csv", {}), cases[0].second);
  EXPECT_EQ(d.line, (std::vector<std::uint64_t>{2, 3, 5, 6}));
  EXPECT_EQ(d.row, (std::vector<std::uint64_t>{0, 1, 2, 3}));
}

// A given-up table's text group column is moved into the result, not copied: the same result as
// from a kept table with --ref, a level present only in excluded rows, and a group column that
// also filters (--where: then it is copied).
TEST(SurvData, GivenUpGroupColumnGivesTheSameResult) {
  const std::string csv = "t,e,g\n1,1,B\n2,0,A\nNA,1,C\n3,1,B\n4,0,A\n5,1,\n";
  const std::vector<Roles> cases = {
      {.time = "t", .event = "e", .group = "g", .ref = "B"},
      {.time = "t", .event = "e", .group = "g", .where = {{"g", "C", WhereOp::ne}}},
      {.time = "t", .event = "e", .group = "g"},
  };
  for (const Roles& roles : cases) {
    const Table kept = parse_csv(csv, "d.csv", {.columns = roles.columns()});
    const SurvData a = build_surv_data(kept, roles);
    const SurvData b = build_surv_data(parse_csv(csv, "d.csv", {.columns = roles.columns()}), roles);
    EXPECT_EQ(a.group, b.group);
    EXPECT_EQ(a.group_levels, b.group_levels);
    EXPECT_EQ(a.warnings, b.warnings);
    EXPECT_EQ(a.excluded.reasons, b.excluded.reasons);
    EXPECT_EQ(a.n_filtered, b.n_filtered);
  }
  // by hand: C is only in the row without a time (dropped), the row without a group is excluded
  const SurvData ref = build_surv_data(parse_csv(csv, "d.csv", {}), cases[0]);
  EXPECT_EQ(ref.group_levels, (std::vector<std::string>{"B", "A"}));
  EXPECT_EQ(ref.group, (std::vector<std::int32_t>{0, 1, 0, 1}));
  EXPECT_EQ(ref.excluded.reasons.at("missing time"), 1u);
  EXPECT_EQ(ref.excluded.reasons.at("missing group"), 1u);
}

// The one-pass check of numeric time and event runs on two halves of the rows from 32768 rows:
// its verdicts, status and counts are those of the row-by-row rules (here reached through a
// weight column of ones, which the one-pass check does not take), and the counts are those
// worked out below row by row.
TEST(SurvData, NumericFastPathCountsAsTheRowRules) {
  const std::size_t n = 70001;
  std::string csv = "t,e,g,w,f,x\n";
  std::size_t filtered = 0, no_time = 0, no_event = 0, no_group = 0, no_covariate = 0, kept = 0;
  std::size_t events[3] = {0, 0, 0}, rows[3] = {0, 0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    const bool out = i % 11 == 0;               // removed by --where f != 1
    const bool nt = i % 1000 == 7;              // missing time
    const bool ne = i % 1500 == 8;              // missing event
    const bool ng = i % 2000 == 9 || i == 40000;  // missing group
    const bool nx = i % 700 == 10 || i == 40001;  // missing covariate
    // the level C only in ten rows of the second half, without events (a warning)
    const bool c = i >= 60000 && i < 60010;
    const int e = i % 3 == 0 && !c ? 1 : 0;
    const char* g = c ? "C" : i % 2 ? "A" : "B";
    // the level Z appears only in filtered rows: it is dropped
    if (out) g = i % 4 == 0 ? "Z" : g;
    csv += fmt::format("{},{},{},1,{},{}\n", nt ? "NA" : fmt::format("{}", i % 97), ne ? "" : fmt::format("{}", e),
                       ng ? "" : g, out ? 1 : 0, nx ? "NA" : fmt::format("{}", i % 5));
    if (out) ++filtered;
    else if (nt) ++no_time;
    else if (ne) ++no_event;
    else if (ng) ++no_group;
    else if (nx) ++no_covariate;
    else {
      ++kept;
      const std::size_t level = c ? 2 : i % 2 ? 0 : 1;  // A, B, C
      ++rows[level];
      events[level] += static_cast<std::size_t>(e);
    }
  }
  Roles fast{.time = "t", .event = "e", .group = "g", .where = {{"f", "1", WhereOp::ne}}};
  fast.covariates = {"x"};
  Roles rowwise = fast;
  rowwise.weights = "w";
  const SurvData a = build_surv_data(parse_csv(csv, "d.csv", {.threads = 1}), fast);
  const SurvData b = build_surv_data(parse_csv(csv, "d.csv", {.threads = 1}), rowwise);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.group, b.group);
  EXPECT_TRUE(a.row == b.row);
  EXPECT_TRUE(a.line == b.line);
  EXPECT_EQ(a.group_levels, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(a.warnings, b.warnings);
  EXPECT_EQ(a.warnings.size(), 1u);
  EXPECT_EQ(a.group_levels, b.group_levels);
  EXPECT_EQ(a.n_filtered, filtered);
  EXPECT_EQ(b.n_filtered, filtered);
  EXPECT_EQ(a.excluded.reasons, b.excluded.reasons);
  EXPECT_EQ(a.excluded.reasons.at("missing time"), no_time);
  EXPECT_EQ(a.excluded.reasons.at("missing event"), no_event);
  EXPECT_EQ(a.excluded.reasons.at("missing group"), no_group);
  EXPECT_EQ(a.excluded.reasons.at("missing covariate"), no_covariate);
  ASSERT_EQ(a.size(), kept);
  std::size_t a_rows[3] = {0, 0, 0}, a_events[3] = {0, 0, 0};
  for (std::size_t i = 0; i < a.size(); ++i) {
    ++a_rows[a.group[i]];
    a_events[a.group[i]] += a.status[i];
  }
  EXPECT_EQ(a_rows[0], rows[0]);
  EXPECT_EQ(a_rows[1], rows[1]);
  EXPECT_EQ(a_events[0], events[0]);
  EXPECT_EQ(a_events[1], events[1]);
  EXPECT_EQ(a_rows[2], rows[2]);
  EXPECT_EQ(a_events[2], 0u);
}

// Numeric time and event take a one-pass check; its errors are those of the row-by-row rules:
// the first invalid value in row order, rows removed by --where never checked.
TEST(SurvData, NumericFastPathReportsTheFirstInvalidRow) {
  const Roles r{.time = "t", .event = "e", .group = "g"};
  EXPECT_NE(error_of("t,e,g\nNA,1,A\n2,1,\n-3,1,B\n4,5,A\n", r).find("d.csv:4"), std::string::npos);
  EXPECT_NE(error_of("t,e,g\n1,1,A\n2,5,\n-3,1,B\n", r).find("d.csv:3"), std::string::npos);
  EXPECT_NE(error_of("t,e,g\n1,1,A\n2,0,B\ninf,1,B\n", r).find("time is not a finite number"), std::string::npos);
  const Roles where{.time = "t", .event = "e", .group = "g", .where = {{"g", "A"}}};
  EXPECT_EQ(error_of("t,e,g\n1,1,A\n-2,7,B\n3,0,A\n", where), "no error");
  const Roles cnsr{.time = "t", .event = "e", .coding = EventCoding::cnsr};
  EXPECT_NE(error_of("t,e\n1,0\n2,1.5\n", cnsr).find("CNSR must be 0"), std::string::npos);
}
