// Treatment exposure of the safety population in days (exposure_from_dates, exposure_from_adex;
// safety.hpp), the denominator of exposure-adjusted incidence rates (patient-years = days /
// 365.25). From ADSL dates: TRTEDT - TRTSDT + 1 (both days counted, the ADaM convention for a
// duration); from ADEX: the value of one record per subject (e.g. PARAMCD = TRTDURD, AVAL in days).
// A subject of the population without a usable value is an error: a rate with part of its
// denominator missing would be wrong without saying so.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <unordered_map>

#include "hazard/error.hpp"
#include "hazard/safety.hpp"
#include "util/levels.hpp"
#include "util/location.hpp"

namespace hazard {

namespace {

Location at(const Table& t, std::size_t i, const std::string& column, std::string value) {
  return location_at(t, i, column, std::move(value));
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return s;
}

}  // namespace

void exposure_from_dates(SafetyPopulation& p, const Table& adsl, const std::string& start,
                         const std::string& end) {
  const Column& subject = adsl.at("USUBJID");
  const Column* study = adsl.find("STUDYID");
  const Column& s = adsl.at(start);
  const Column& e = adsl.at(end);
  std::unordered_map<std::string, std::size_t> row;
  for (std::size_t i = 0; i < adsl.rows(); ++i)
    row.emplace(detail::subject_key(study, subject, i), i);
  p.exposure_days.assign(p.size(), 0);
  for (std::size_t k = 0; k < p.size(); ++k) {
    const std::size_t i = row.at(p.key[k]);
    for (const Column* c : {&s, &e}) {
      if (!c->is_numeric() || c->is_missing(i))
        throw DataError(
            at(adsl, i, c->name, c->text(i)),
            fmt::format(
                "the treatment {} date of subject {} of the safety population is {}: its exposure "
                "is unknown (impute it, e.g. the cut-off date for ongoing treatment, give --adex, "
                "or --no-rates)",
                c == &s ? "start" : "end", p.subject[k],
                c->is_numeric() ? "missing" : "not a SAS date (a number of days)"));
    }
    const double days = e.numbers[i] - s.numbers[i] + 1;
    if (!(days >= 1))
      throw DataError(
          at(adsl, i, end, e.text(i)),
          fmt::format("the treatment end date is before the start date ({} = {}) of subject {}",
                      start, s.text(i), p.subject[k]));
    p.exposure_days[k] = days;
  }
  p.exposure_source = fmt::format("ADSL {} - {} + 1 days ({})", end, start, adsl.source);
}

void exposure_from_adex(SafetyPopulation& p, const Table& adex, const std::vector<char>& keep,
                        const std::string& value, const std::string& unit) {
  const Column& subject = adex.at("USUBJID");
  // STUDYID takes part in the match only when both ADSL (the population's keys) and ADEX have it.
  const bool adsl_study =
      !p.key.empty() && !p.key.front().empty() && p.key.front().front() != '\x1f';
  const Column* study = adsl_study ? adex.find("STUDYID") : nullptr;
  const Column& v = adex.at(value);
  const Column* u = unit.empty() ? nullptr : adex.find(unit);
  std::unordered_map<std::string, std::size_t> index;  // population key -> k
  const bool with_study = study != nullptr;
  for (std::size_t k = 0; k < p.size(); ++k) {
    std::string key = p.key[k];
    if (!with_study) key = key.substr(key.find('\x1f'));  // ADEX without STUDYID: USUBJID alone
    index.emplace(key, k);
  }
  std::vector<std::size_t> from(p.size(), SIZE_MAX);
  for (std::size_t i = 0; i < adex.rows(); ++i) {
    if (i < keep.size() && !keep[i]) continue;
    if (subject.is_missing(i)) throw DataError(at(adex, i, "USUBJID", ""), "missing USUBJID");
    std::string key = detail::subject_key(study, subject, i);
    auto it = index.find(key);
    if (it == index.end()) continue;  // not in the safety population
    const std::size_t k = it->second;
    if (from[k] != SIZE_MAX)
      throw DataError(
          at(adex, i, "USUBJID", subject.text(i)),
          fmt::format("subject has two exposure records (also at {}): select one parameter, e.g. "
                      "--exposure-param TRTDURD",
                      detail::row_name(adex, from[k])));
    if (u && !u->is_missing(i)) {
      const std::string t = upper(u->text(i));
      if (t != "DAYS" && t != "DAY" && t != "D")
        throw DataError(at(adex, i, unit, u->text(i)), "the exposure must be in days");
    }
    if (!v.is_numeric() || v.is_missing(i) || !(v.numbers[i] >= 0) || !std::isfinite(v.numbers[i]))
      throw DataError(at(adex, i, value, v.text(i)), "the exposure must be a number of days >= 0");
    from[k] = i;
  }
  p.exposure_days.assign(p.size(), 0);
  for (std::size_t k = 0; k < p.size(); ++k) {
    if (from[k] == SIZE_MAX)
      throw DataError(
          {.file = adex.source, .column = "USUBJID", .value = p.subject[k], .has_value = true},
          fmt::format("subject of the safety population (ADSL {}) has no exposure record",
                      fmt::format("line {}", p.line[k])));
    p.exposure_days[k] = v.numbers[from[k]];
  }
  p.exposure_source = fmt::format("{} {} (days)", adex.source, value);
}

}  // namespace hazard
