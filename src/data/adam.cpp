// ADaM helpers (adam.hpp): ADSL join on STUDYID/USUBJID, time derivation from SAS dates, and the
// one-row-per-subject-and-parameter check.
//
// Join: one hash of ADSL's keys (O(n)), then one gather per joined column. Time units follow the
// usual clinical convention: a week is 7 days, a month 365.25 / 12 = 30.4375 days, a year 365.25
// days.
#include "hazard/adam.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "hazard/error.hpp"

namespace hazard {

namespace {

Location at_row(const Table& t, std::size_t i, const std::string& column, std::string value) {
  return {.file = t.source, .line = i < t.line.size() ? t.line[i] : 0, .column = column,
          .value = std::move(value), .has_value = true, .unit = t.record_unit};
}

std::string row_name(const Table& t, std::size_t i) {
  std::uint64_t l = i < t.line.size() ? t.line[i] : i + 1;
  return t.record_unit.empty() ? fmt::format("line {}", l) : fmt::format("{} {}", t.record_unit, l);
}

/// The join key of row i: "STUDYID\x1fUSUBJID" (or USUBJID alone).
std::string key_of(const Column* study, const Column& subject, std::size_t i) {
  std::string k = study ? study->text(i) : std::string();
  k.push_back('\x1f');
  k += subject.text(i);
  return k;
}

const Column& require(const Table& t, const std::string& name, const char* why) {
  if (const Column* c = t.find(name)) return *c;
  throw DataError({.file = t.source, .column = name}, fmt::format("no such column: {}", why));
}

}  // namespace

Table join_subject_level(const Table& adtte, const Table& adsl, const std::vector<std::string>& columns) {
  const Column& subj_a = require(adtte, "USUBJID", "the ADSL join needs USUBJID in both files");
  const Column& subj_s = require(adsl, "USUBJID", "the ADSL join needs USUBJID in both files");
  const Column* study_a = adtte.find("STUDYID");
  const Column* study_s = adsl.find("STUDYID");
  if (!study_a || !study_s) study_a = study_s = nullptr;  // join on USUBJID alone

  std::unordered_map<std::string, std::size_t> index;
  index.reserve(adsl.rows());
  for (std::size_t i = 0; i < adsl.rows(); ++i) {
    if (subj_s.is_missing(i)) throw DataError(at_row(adsl, i, "USUBJID", ""), "missing USUBJID in the ADSL file");
    auto [it, inserted] = index.emplace(key_of(study_s, subj_s, i), i);
    if (!inserted)
      throw DataError(at_row(adsl, i, "USUBJID", subj_s.text(i)),
                      fmt::format("subject appears twice in the ADSL file (also at {}); ADSL has one row per "
                                  "subject",
                                  row_name(adsl, it->second)));
  }
  std::vector<std::size_t> from(adtte.rows());
  for (std::size_t i = 0; i < adtte.rows(); ++i) {
    if (subj_a.is_missing(i)) throw DataError(at_row(adtte, i, "USUBJID", ""), "missing USUBJID");
    auto it = index.find(key_of(study_a, subj_a, i));
    if (it == index.end()) {
      std::string who = subj_a.text(i);
      if (study_a) who = study_a->text(i) + "/" + who;
      throw DataError(at_row(adtte, i, "USUBJID", subj_a.text(i)),
                      fmt::format("subject {} is not in the ADSL file {}", who, adsl.source));
    }
    from[i] = it->second;
  }

  Table out = adtte;
  for (const auto& name : columns) {
    if (out.find(name)) continue;
    const Column& src = require(adsl, name, "not in the analysis data set nor in the ADSL file");
    Column c;
    c.name = src.name;
    c.label = src.label;
    c.kind = src.kind;
    c.character = src.character;
    if (src.is_numeric()) {
      c.numbers.resize(from.size());
      for (std::size_t i = 0; i < from.size(); ++i) c.numbers[i] = src.numbers[from[i]];
    } else {
      // Keep only the levels that occur, in their (sorted) order.
      std::vector<std::int32_t> used(src.levels.size(), -1);
      c.codes.resize(from.size());
      for (std::size_t i = 0; i < from.size(); ++i) {
        std::int32_t code = src.codes[from[i]];
        c.codes[i] = code;
        if (code >= 0) used[static_cast<std::size_t>(code)] = 0;
      }
      for (std::size_t k = 0; k < used.size(); ++k) {
        if (used[k] < 0) continue;
        used[k] = static_cast<std::int32_t>(c.levels.size());
        c.levels.push_back(src.levels[k]);
      }
      for (auto& code : c.codes)
        if (code >= 0) code = used[static_cast<std::size_t>(code)];
    }
    out.columns.push_back(std::move(c));
  }
  return out;
}

double days_per(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::days: return 1.0;
    case TimeUnit::weeks:
      return 7.0;
    case TimeUnit::months: return 30.4375;
    case TimeUnit::years: return 365.25;
  }
  return 1.0;
}

const char* time_unit_name(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::days:
      return "days";
    case TimeUnit::weeks:
      return "weeks";
    case TimeUnit::months:
      return "months";
    case TimeUnit::years:
      return "years";
  }
  return "days";
}

std::optional<TimeUnit> parse_time_unit(std::string_view text) {
  for (TimeUnit u : {TimeUnit::days, TimeUnit::weeks, TimeUnit::months, TimeUnit::years})
    if (text == time_unit_name(u)) return u;
  return std::nullopt;
}

double convert_time(double t, TimeUnit from, TimeUnit to) {
  // Multiply first: days_per(days) = 1, so days -> months is t / 30.4375 to the last bit.
  return from == to ? t : t * days_per(from) / days_per(to);
}

void convert_time_column(Table& table, const std::string& column, TimeUnit from, TimeUnit to) {
  if (from == to) return;
  for (Column& c : table.columns) {
    if (c.name != column || !c.is_numeric()) continue;
    for (double& t : c.numbers) t = convert_time(t, from, to);  // NaN (missing) stays NaN
  }
}

void derive_time(Table& table, const TimeDerivation& d) {
  const Column& from = table.at(d.from);
  const Column& to = table.at(d.to);
  for (const Column* c : {&from, &to}) {
    if (!c->is_numeric()) {
      std::size_t i = 0;
      while (i < c->size() && c->is_missing(i)) ++i;
      throw DataError(i < c->size() ? at_row(table, i, c->name, c->text(i)) : Location{.file = table.source, .column = c->name},
                      "a date column must be numeric (a SAS date: days since 1960-01-01)");
    }
  }
  Column t;
  t.name = d.name;
  t.kind = ColumnKind::numeric;
  t.label = fmt::format("Time from {} to {} ({})", d.from, d.to, time_unit_name(d.unit));
  const double per = days_per(d.unit);
  t.numbers.resize(table.rows());
  for (std::size_t i = 0; i < table.rows(); ++i) {
    double a = from.numbers[i], b = to.numbers[i];
    t.numbers[i] = std::isnan(a) || std::isnan(b) ? std::numeric_limits<double>::quiet_NaN()
                   : d.unit == TimeUnit::days      ? b - a
                                                   : (b - a) / per;
  }
  table.columns.push_back(std::move(t));
}

void check_one_row_per_subject(const Table& table, const std::vector<char>& keep, const std::string& subject,
                               const std::string& param) {
  const Column& subj = table.at(subject);
  const Column* par = param.empty() ? nullptr : &table.at(param);
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < table.rows(); ++i) {
    if (i < keep.size() && !keep[i]) continue;
    if (subj.is_missing(i)) continue;
    auto [it, inserted] = seen.emplace(key_of(par, subj, i), i);
    if (inserted) continue;
    std::string where = par ? fmt::format(" within {}={}", param, par->text(i)) : std::string();
    throw DataError(at_row(table, i, subject, subj.text(i)),
                    fmt::format("subject appears twice{} among the analysed rows (also at {}): one row per "
                                "subject is expected",
                                where, row_name(table, it->second)));
  }
}

}  // namespace hazard
