// The per-subject scores of one questionnaire parameter (build_qol_data, deterioration.hpp): the
// baseline record (ABLFL = Y, one per subject) and the other assessments in ascending time, from
// the kept rows of an ADQS-shaped table; with ADSL, the subjects of the population without a kept
// row too (they have no baseline and are censored at the origin). Arms and --by levels are coded
// as R's factor() over the subjects (util/levels.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include "hazard/deterioration.hpp"
#include "hazard/error.hpp"
#include "util/levels.hpp"
#include "util/location.hpp"

namespace hazard {

namespace {

Location at(const Table& t, std::size_t i, const std::string& column, std::string value) {
  return location_at(t, i, column, std::move(value));
}

struct Pending {
  std::string subject, study, group, by;
  std::vector<std::string> carried;
  double base = std::numeric_limits<double>::quiet_NaN();
  double base_time = std::numeric_limits<double>::quiet_NaN();
  std::size_t base_row = SIZE_MAX;
  std::vector<QolAssessment> visits;
  std::vector<std::size_t> visit_rows;
};

const Column& numeric(const Table& t, const std::vector<char>& keep, const std::string& name,
                      const char* what) {
  const Column& c = t.at(name);
  if (c.is_numeric()) return c;
  for (std::size_t i = 0; i < t.rows(); ++i)
    if ((i >= keep.size() || keep[i]) && !c.is_missing(i))
      throw DataError(at(t, i, name, c.text(i)), fmt::format("the {} must be a number", what));
  return c;  // all missing
}

}  // namespace

QolData build_qol_data(const Table& records, const std::vector<char>& keep, const QolColumns& c,
                       const Table* adsl, const std::vector<char>& adsl_keep) {
  if (c.group.empty()) throw UsageError("--group is required: the arms to compare");
  QolData out;
  out.source = records.source;
  out.n_read = records.rows();
  out.group_name = c.group;
  out.by_name = c.by;
  out.carry_names = c.carry;
  const Column& subject = records.at(c.subject);
  const Column* study = records.find("STUDYID");
  const Column& value = numeric(records, keep, c.value, "score (--value)");
  const Column& time = numeric(records, keep, c.time, "assessment time (--time)");
  const Column& flag = records.at(c.baseline_flag);
  const Column& group = records.at(c.group);
  const Column* by = c.by.empty() ? nullptr : &records.at(c.by);
  std::vector<const Column*> carry;
  for (const auto& name : c.carry) carry.push_back(&records.at(name));
  bool numeric_group = group.is_numeric(), numeric_by = by && by->is_numeric();

  std::vector<Pending> subjects;
  std::unordered_map<std::string, std::size_t> index;  // key -> subject
  for (std::size_t i = 0; i < records.rows(); ++i) {
    if (i < keep.size() && !keep[i]) {
      ++out.n_filtered;
      continue;
    }
    if (subject.is_missing(i))
      throw DataError(at(records, i, c.subject, ""), "missing subject identifier");
    const std::string key = detail::subject_key(study, subject, i);
    auto [it, inserted] = index.emplace(key, subjects.size());
    if (inserted) {
      Pending p;
      p.subject = subject.text(i);
      p.study = study ? study->text(i) : std::string();
      p.group = group.text(i);
      if (by) p.by = by->text(i);
      for (const Column* col : carry) p.carried.push_back(col->text(i));
      subjects.push_back(std::move(p));
    }
    Pending& p = subjects[it->second];
    // The baseline flag: Y, N or blank (ADaM: Y or null).
    bool is_base = false;
    if (!flag.is_missing(i)) {
      std::string f = flag.text(i);
      std::transform(f.begin(), f.end(), f.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
      if (f == "Y")
        is_base = true;
      else if (f != "N" && !f.empty())
        throw DataError(at(records, i, c.baseline_flag, flag.text(i)),
                        "the baseline flag must be Y, N or blank");
    }
    if (is_base) {
      if (p.base_row != SIZE_MAX)
        throw DataError(
            at(records, i, c.subject, p.subject),
            fmt::format(
                "subject has two baseline records ({} = Y; also at {}): one baseline per subject "
                "and parameter is expected (select the parameter with --param)",
                c.baseline_flag, detail::row_name(records, p.base_row)));
      p.base_row = i;
      p.base = value.is_missing(i) ? std::numeric_limits<double>::quiet_NaN() : value.numbers[i];
      p.base_time = time.is_missing(i) ? std::numeric_limits<double>::quiet_NaN() : time.numbers[i];
      continue;
    }
    if (value.is_missing(i)) {
      ++out.n_missing_value;
      continue;
    }
    if (time.is_missing(i)) {
      ++out.n_missing_time;
      continue;
    }
    p.visits.push_back(
        {time.numbers[i], value.numbers[i], i < records.line.size() ? records.line[i] : i + 1});
    p.visit_rows.push_back(i);
  }

  if (adsl) {
    const Column& a_subject = adsl->at(c.subject);
    const Column* a_study = study ? adsl->find("STUDYID") : nullptr;
    std::unordered_map<std::string, std::size_t> in_adsl;
    for (std::size_t j = 0; j < adsl->rows(); ++j)
      in_adsl.emplace(detail::subject_key(a_study, a_subject, j), j);
    // Subjects of the records must be in ADSL (keys without STUDYID when ADSL has none).
    for (std::size_t i = 0; i < records.rows(); ++i) {
      if (i < keep.size() && !keep[i]) continue;
      if (!in_adsl.count(detail::subject_key(a_study ? study : nullptr, subject, i)))
        throw DataError(
            at(records, i, c.subject, subject.text(i)),
            fmt::format("subject {} is not in the ADSL file {}", subject.text(i), adsl->source));
    }
    std::unordered_map<std::string, char> seen;
    for (const auto& [key, k] : index) {
      (void)k;
      std::string kk = key;
      if (!a_study) kk = kk.substr(kk.find('\x1f'));
      seen.emplace(kk, 1);
    }
    const Column* a_group = nullptr;
    const Column* a_by = nullptr;
    std::vector<const Column*> a_carry;
    for (std::size_t j = 0; j < adsl->rows(); ++j) {
      if (j < adsl_keep.size() && !adsl_keep[j]) continue;
      if (seen.count(detail::subject_key(a_study, a_subject, j))) continue;
      if (!a_group) {
        auto need = [&](const std::string& name) -> const Column& {
          if (const Column* col = adsl->find(name)) return *col;
          throw DataError({.file = adsl->source, .column = name},
                          "no such column in the ADSL file: it is needed for the subjects without "
                          "a questionnaire");
        };
        a_group = &need(c.group);
        if (by) a_by = &need(c.by);
        for (const auto& name : c.carry) a_carry.push_back(&need(name));
        numeric_group = numeric_group && a_group->is_numeric();
        if (a_by) numeric_by = numeric_by && a_by->is_numeric();
      }
      Pending p;
      p.subject = a_subject.text(j);
      p.study = a_study ? a_study->text(j) : std::string();
      p.group = a_group->text(j);
      if (a_by) p.by = a_by->text(j);
      for (const Column* col : a_carry) p.carried.push_back(col->text(j));
      subjects.push_back(std::move(p));
      ++out.n_without_record;
    }
  }

  std::vector<Pending> kept;
  for (auto& p : subjects) {
    if (p.group.empty())
      out.excluded.add("missing group");
    else if (by && p.by.empty())
      out.excluded.add("missing by");
    else
      kept.push_back(std::move(p));
  }
  if (kept.empty())
    throw DataError({.file = records.source},
                    fmt::format("no subjects left to analyse ({} rows read, {} removed by "
                                "--where/--param, {} excluded)",
                                out.n_read, out.n_filtered, out.excluded.count));
  std::vector<std::string> values;
  for (const auto& p : kept) values.push_back(p.group);
  detail::Coded g = detail::encode_levels(values, numeric_group);
  detail::put_first(g, c.ref, records.source, c.group);
  out.group_levels = g.levels;
  out.group = g.codes;
  if (by) {
    values.clear();
    for (const auto& p : kept) values.push_back(p.by);
    detail::Coded b = detail::encode_levels(values, numeric_by);
    out.by_levels = b.levels;
    out.by = b.codes;
  }
  for (auto& p : kept) {
    // Ascending time; two assessments at one time are ambiguous.
    std::vector<std::size_t> order(p.visits.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return p.visits[a].time < p.visits[b].time;
    });
    std::vector<QolAssessment> sorted;
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (k > 0 && p.visits[order[k]].time == p.visits[order[k - 1]].time) {
        const std::size_t i1 = p.visit_rows[std::min(order[k], order[k - 1])];
        const std::size_t i2 = p.visit_rows[std::max(order[k], order[k - 1])];
        throw DataError(
            at(records, i2, c.time, time.text(i2)),
            fmt::format(
                "subject {} has two assessments at the same time (also at {}): keep one per "
                "visit, e.g. --where ANL01FL=Y",
                p.subject, detail::row_name(records, i1)));
      }
      sorted.push_back(p.visits[order[k]]);
    }
    out.subject.push_back(std::move(p.subject));
    out.study.push_back(std::move(p.study));
    out.carried.push_back(std::move(p.carried));
    out.base.push_back(p.base);
    out.base_time.push_back(p.base_time);
    out.visits.push_back(std::move(sorted));
  }
  return out;
}

}  // namespace hazard
