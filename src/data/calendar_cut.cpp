// Cutting patient-level data at a calendar time (include/hazard/calendar_cut.hpp).
// Input contract: `data` as built by build_surv_data (right-censored: no start times), `entry`
// one finite calendar entry time per row, `scale` > 0. A row is in the trial at the cut when
// e_i <= c; its calendar event/censoring time is e_i + time_i * scale; an event counts when that
// time is <= c (up to 1e-12 relative, so that an event cut at its own calendar time is in).
#include "hazard/calendar_cut.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "hazard/error.hpp"

namespace hazard {

namespace {

void check(const SurvData& data, std::span<const double> entry, double scale) {
  if (entry.size() != data.size()) {
    throw std::invalid_argument("cut_at_calendar: one entry time per row is needed");
  }
  if (!data.start.empty()) throw UsageError("counting-process (start, stop] data cannot be cut");
  if (!(scale > 0)) throw std::invalid_argument("cut_at_calendar: scale must be positive");
}

bool by(double t, double cut) { return t <= cut + 1e-12 * std::max(1.0, std::fabs(cut)); }

constexpr std::chrono::sys_days kSasEpoch =
    std::chrono::sys_days{std::chrono::year{1960} / std::chrono::January / 1};

}  // namespace

CalendarCut cut_at_calendar(const SurvData& data, std::span<const double> entry, double cut,
                            double scale) {
  check(data, entry, scale);
  if (!std::isfinite(cut)) throw UsageError("the calendar cut must be finite");
  CalendarCut out;
  out.cut = cut;
  SurvData& d = out.data;
  d.source = data.source;
  d.n_read = data.n_read;
  d.n_filtered = data.n_filtered;
  d.excluded = data.excluded;
  d.group_name = data.group_name;
  d.time_label = data.time_label;
  d.group_label = data.group_label;
  d.group_levels = data.group_levels;
  d.strata_names = data.strata_names;
  d.strata_levels = data.strata_levels;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (!by(entry[i], cut)) {
      ++out.not_yet_randomized;
      continue;
    }
    const double end = entry[i] + data.time[i] * scale;
    const bool event = data.status[i] != 0 && by(end, cut);
    const double t = by(end, cut) ? data.time[i] : std::max(0.0, (cut - entry[i]) / scale);
    d.time.push_back(t);
    d.status.push_back(event ? 1 : 0);
    if (!data.weight.empty()) d.weight.push_back(data.weight[i]);
    if (!data.group.empty()) d.group.push_back(data.group[i]);
    if (!data.stratum.empty()) d.stratum.push_back(data.stratum[i]);
    d.row.push_back(data.row[i]);
    d.line.push_back(data.line[i]);
    out.events += event ? 1 : 0;
  }
  if (out.not_yet_randomized > 0) {
    d.excluded.count += out.not_yet_randomized;
    d.excluded.reasons["randomized after the cut"] += out.not_yet_randomized;
  }
  return out;
}

double calendar_time_of_event(const SurvData& data, std::span<const double> entry,
                              std::size_t count, double scale) {
  check(data, entry, scale);
  if (count == 0) throw UsageError("an event count must be at least 1");
  std::vector<double> when;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data.status[i] != 0) when.push_back(entry[i] + data.time[i] * scale);
  }
  if (when.size() < count) {
    throw UsageError(fmt::format("{} events requested, but {} has {} events in all", count,
                                 data.source, when.size()));
  }
  std::nth_element(when.begin(), when.begin() + static_cast<std::ptrdiff_t>(count - 1), when.end());
  return when[count - 1];
}

std::optional<double> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int v[3] = {0, 0, 0};
  const std::size_t pos[3] = {0, 5, 8}, len[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k) {
    for (std::size_t i = pos[k]; i < pos[k] + len[k]; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v[k] = v[k] * 10 + (s[i] - '0');
    }
  }
  std::chrono::year_month_day ymd{std::chrono::year{v[0]},
                                  std::chrono::month{static_cast<unsigned>(v[1])},
                                  std::chrono::day{static_cast<unsigned>(v[2])}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<double>((std::chrono::sys_days{ymd} - kSasEpoch).count());
}

std::string format_iso_date(double sas_date) {
  const auto days = std::chrono::days{static_cast<long>(std::floor(sas_date))};
  std::chrono::year_month_day ymd{kSasEpoch + days};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

}  // namespace hazard
