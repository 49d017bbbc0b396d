// The data of a trial as they stood at an earlier calendar date: the looks of a group-sequential
// trial cut from patient-level data by an event count or a calendar date (hazard monitor
// --looks-events / --looks-dates).
//
// Each analysed row has a calendar time of entry (randomization) e_i; its event or censoring
// happens at calendar time e_i + time_i * scale, where `scale` converts the analysis time to the
// calendar unit (1 when both are the same; 30.4375 for a time in months and dates in days). As of
// calendar time c, a row entered after c is not yet in the trial (dropped, counted); the others
// are followed to min(time_i, (c - e_i) / scale), with an event only when it happened by c.
//
// Example:
//   auto c = hazard::calendar_time_of_event(data, entry, 40, 1.0);  // the 40th event
//   auto look = hazard::cut_at_calendar(data, entry, c, 1.0);      // 40 events (more with ties)
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hazard/survdata.hpp"

namespace hazard {

struct CalendarCut {
  double cut = 0;                      ///< calendar time of the cut
  SurvData data;                       ///< the rows in the trial at the cut, followed to it
  std::size_t not_yet_randomized = 0;  ///< rows entered after the cut (dropped)
  std::size_t events = 0;              ///< events by the cut
};

/// The data as of calendar time `cut`. `entry` has one finite value per row of `data`.
CalendarCut cut_at_calendar(const SurvData& data, std::span<const double> entry, double cut,
                            double scale);

/// Calendar time of the count-th event (events in calendar order, count >= 1). Throws UsageError
/// when the data have fewer events.
double calendar_time_of_event(const SurvData& data, std::span<const double> entry,
                              std::size_t count, double scale);

/// "YYYY-MM-DD" as a SAS date (days since 1960-01-01); nullopt if not a valid date.
std::optional<double> parse_iso_date(std::string_view text);

/// A SAS date as "YYYY-MM-DD" (the day containing it).
std::string format_iso_date(double sas_date);

}  // namespace hazard
