// Cutting patient data at a calendar time (hazard monitor --looks-events / --looks-dates), on a
// hand-worked five-patient trial.
#include "hazard/calendar_cut.hpp"

#include <gtest/gtest.h>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"

using namespace hazard;

namespace {

// entry (calendar), time from entry, status: calendar ends 0+5=5 (event), 1+2=3 (event),
// 2+6=8 (censored), 4+3=7 (event), 9+1=10 (event).
SurvData trial() {
  const char* csv = "t,e,g\n5,1,A\n2,1,B\n6,0,A\n3,1,B\n1,1,A\n";
  Roles r{.time = "t", .event = "e", .group = "g"};
  return build_surv_data(parse_csv(csv, "d.csv", {.columns = r.columns()}), r);
}
const std::vector<double> kEntry{0, 1, 2, 4, 9};

}  // namespace

TEST(CalendarCut, EventsInCalendarOrder) {
  auto d = trial();
  EXPECT_EQ(calendar_time_of_event(d, kEntry, 1, 1.0), 3);
  EXPECT_EQ(calendar_time_of_event(d, kEntry, 2, 1.0), 5);
  EXPECT_EQ(calendar_time_of_event(d, kEntry, 3, 1.0), 7);
  EXPECT_EQ(calendar_time_of_event(d, kEntry, 4, 1.0), 10);
  EXPECT_THROW(calendar_time_of_event(d, kEntry, 5, 1.0), UsageError);
}

TEST(CalendarCut, FollowsEveryoneToTheCut) {
  // As of calendar time 6: patient 5 not yet randomized; patient 1 event at 5 (time 5); patient 2
  // event at 3 (time 2); patient 3 followed 4 (censored); patient 4 followed 2 (its event at 7 is
  // after the cut: censored).
  auto c = cut_at_calendar(trial(), kEntry, 6, 1.0);
  EXPECT_EQ(c.not_yet_randomized, 1u);
  EXPECT_EQ(c.events, 2u);
  EXPECT_EQ(c.data.time, (std::vector<double>{5, 2, 4, 2}));
  EXPECT_EQ(c.data.status, (std::vector<std::uint8_t>{1, 1, 0, 0}));
  EXPECT_EQ(c.data.group, (std::vector<std::int32_t>{0, 1, 0, 1}));
  EXPECT_EQ(c.data.line, (std::vector<std::uint64_t>{2, 3, 4, 5}));
  EXPECT_EQ(c.data.excluded.reasons.at("randomized after the cut"), 1u);
}

TEST(CalendarCut, AnEventOnTheCutIsIn) {
  auto d = trial();
  auto c = cut_at_calendar(d, kEntry, calendar_time_of_event(d, kEntry, 3, 1.0), 1.0);
  EXPECT_EQ(c.events, 3u);
}

TEST(CalendarCut, ScaleConvertsTheTimeToTheCalendar) {
  // Times in months, calendar in days (30.4375 days a month): patient 5's event is on day
  // 9 + 30.4375, patient 2's on day 1 + 2 * 30.4375 = 61.875.
  auto c = cut_at_calendar(trial(), kEntry, 61, 30.4375);
  EXPECT_EQ(c.not_yet_randomized, 0u);
  EXPECT_EQ(c.events, 1u);
  EXPECT_NEAR(c.data.time[1], 60 / 30.4375, 1e-15);
  auto c2 = cut_at_calendar(trial(), kEntry, 1 + 2 * 30.4375, 30.4375);
  EXPECT_EQ(c2.events, 2u);
}

TEST(CalendarCut, IsoDates) {
  EXPECT_EQ(parse_iso_date("1960-01-01"), 0);
  EXPECT_EQ(parse_iso_date("2021-02-01"),
            22312);  // R: as.Date("2021-02-01") - as.Date("1960-01-01")
  EXPECT_EQ(parse_iso_date("1959-12-31"), -1);
  EXPECT_FALSE(parse_iso_date("2021-02-30"));
  EXPECT_FALSE(parse_iso_date("2021-2-01"));
  EXPECT_FALSE(parse_iso_date("12.5"));
  EXPECT_EQ(format_iso_date(22476), "2021-07-15");
  EXPECT_EQ(format_iso_date(-1), "1959-12-31");
}
