// The per-subject data of the response analysis (build_response_data, response.hpp): one best
// overall response per subject from the kept ADRS rows, and (with ADSL) the subjects of the
// population without a kept row, as `missing` (non-responders in the denominator: intention to
// treat). Group, strata and --by levels are coded over the analysed subjects (util/levels.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "hazard/error.hpp"
#include "hazard/response.hpp"
#include "util/levels.hpp"
#include "util/location.hpp"

namespace hazard {

namespace {

Location at(const Table& t, std::size_t i, const std::string& column, std::string value) {
  return location_at(t, i, column, std::move(value));
}

// A subject's role values before coding.
struct Pending {
  std::string key, subject;
  Bor bor = Bor::missing;
  std::string group, by;
  std::vector<std::string> strata;
  std::uint64_t line = 0;
};

}  // namespace

ResponseData build_response_data(const Table& records, const std::vector<char>& keep,
                                 const ResponseColumns& c, const Table* adsl,
                                 const std::vector<char>& adsl_keep) {
  if (c.group.empty()) throw UsageError("--group is required: the arms to compare");
  ResponseData out;
  out.source = records.source;
  out.n_read = records.rows();
  out.group_name = c.group;
  out.strata_names = c.strata;
  out.by_name = c.by;

  const Column* subject = records.find(c.subject);
  if (!subject && adsl) records.at(c.subject);  // the DataError naming the missing column
  const Column* study = adsl && adsl->find("STUDYID") ? records.find("STUDYID") : nullptr;
  const Column& response = records.at(c.response);
  const Column& group = records.at(c.group);
  std::vector<const Column*> strata;
  for (const auto& s : c.strata) strata.push_back(&records.at(s));
  const Column* by = c.by.empty() ? nullptr : &records.at(c.by);
  bool numeric_group = group.is_numeric(), numeric_by = by && by->is_numeric();
  std::vector<char> numeric_stratum;
  for (const Column* s : strata) numeric_stratum.push_back(s->is_numeric());

  std::vector<Pending> subjects;
  std::unordered_map<std::string, std::size_t> seen;  // key -> row of the kept record
  for (std::size_t i = 0; i < records.rows(); ++i) {
    if (i < keep.size() && !keep[i]) {
      ++out.n_filtered;
      continue;
    }
    Pending p;
    p.line = i < records.line.size() ? records.line[i] : i + 1;
    if (subject) {
      if (subject->is_missing(i))
        throw DataError(at(records, i, c.subject, ""), "missing subject identifier");
      p.key = detail::subject_key(study, *subject, i);
      p.subject = subject->text(i);
      auto [it, inserted] = seen.emplace(p.key, i);
      if (!inserted)
        throw DataError(
            at(records, i, c.subject, p.subject),
            fmt::format("subject appears twice among the analysed rows (also at {}): one best "
                        "overall response per subject is expected (select it with --where "
                        "PARAMCD=BOR)",
                        detail::row_name(records, it->second)));
    } else {
      p.subject = fmt::format("{}", p.line);
    }
    if (response.is_numeric()) {
      if (!response.is_missing(i))
        throw DataError(
            at(records, i, c.response, response.text(i)),
            "the response column holds numbers; it must hold the RECIST 1.1 terms CR, PR, SD, "
            "NON-CR/NON-PD, PD, NE (use --response AVALC)");
    } else if (!parse_bor(response.text(i), p.bor)) {
      throw DataError(
          at(records, i, c.response, response.text(i)),
          "not a best overall response term: expected CR, PR, SD, NON-CR/NON-PD, PD or NE (RECIST "
          "1.1 controlled terms; blank = no assessment)");
    }
    p.group = group.text(i);
    for (const Column* s : strata) p.strata.push_back(s->text(i));
    if (by) p.by = by->text(i);
    subjects.push_back(std::move(p));
  }

  if (adsl) {
    const Column& a_subject = adsl->at(c.subject);
    const Column* a_study = study ? adsl->find("STUDYID") : nullptr;
    std::unordered_map<std::string, std::size_t> in_adsl;
    for (std::size_t j = 0; j < adsl->rows(); ++j)
      in_adsl.emplace(detail::subject_key(a_study, a_subject, j), j);
    for (std::size_t i = 0; i < records.rows(); ++i) {
      if (i < keep.size() && !keep[i]) continue;
      if (!in_adsl.count(detail::subject_key(study, *subject, i)))
        throw DataError(
            at(records, i, c.subject, subject->text(i)),
            fmt::format("subject {} is not in the ADSL file {}", subject->text(i), adsl->source));
    }
    // Subjects of the population without a kept record: no assessment.
    const Column* a_group = nullptr;
    const Column* a_by = nullptr;
    std::vector<const Column*> a_strata;
    auto need = [&](const std::string& name) -> const Column& {
      if (const Column* col = adsl->find(name)) return *col;
      throw DataError(
          {.file = adsl->source, .column = name},
          "no such column in the ADSL file: it is needed for the subjects without a response "
          "record");
    };
    for (std::size_t j = 0; j < adsl->rows(); ++j) {
      if (j < adsl_keep.size() && !adsl_keep[j]) continue;
      if (seen.count(detail::subject_key(a_study, a_subject, j))) continue;
      if (!a_group) {
        a_group = &need(c.group);
        for (const auto& s : c.strata) a_strata.push_back(&need(s));
        if (by) a_by = &need(c.by);
        numeric_group = numeric_group && a_group->is_numeric();
        for (std::size_t s = 0; s < a_strata.size(); ++s)
          numeric_stratum[s] = numeric_stratum[s] && a_strata[s]->is_numeric();
        if (a_by) numeric_by = numeric_by && a_by->is_numeric();
      }
      Pending p;
      p.subject = a_subject.text(j);
      p.bor = Bor::missing;
      p.group = a_group->text(j);
      for (const Column* s : a_strata) p.strata.push_back(s->text(j));
      if (a_by) p.by = a_by->text(j);
      subjects.push_back(std::move(p));
      ++out.n_without_record;
    }
  }

  // Exclusions for missing roles, then the coding.
  std::vector<Pending> kept;
  for (auto& p : subjects) {
    if (p.group.empty())
      out.excluded.add("missing group");
    else if (std::any_of(p.strata.begin(), p.strata.end(),
                         [](const std::string& s) { return s.empty(); }))
      out.excluded.add("missing stratum");
    else if (by && p.by.empty())
      out.excluded.add("missing by");
    else
      kept.push_back(std::move(p));
  }
  if (kept.empty())
    throw DataError(
        {.file = records.source},
        fmt::format(
            "no subjects left to analyse ({} rows read, {} removed by --where, {} excluded)",
            out.n_read, out.n_filtered, out.excluded.count));

  std::vector<std::string> values;
  for (const auto& p : kept) values.push_back(p.group);
  detail::Coded g = detail::encode_levels(values, numeric_group);
  detail::put_first(g, c.ref, records.source, c.group);
  out.group_levels = g.levels;
  out.group = g.codes;
  if (!strata.empty()) {
    std::vector<detail::Coded> parts;
    for (std::size_t s = 0; s < strata.size(); ++s) {
      values.clear();
      for (const auto& p : kept) values.push_back(p.strata[s]);
      parts.push_back(detail::encode_levels(values, numeric_stratum[s]));
    }
    detail::Coded st = detail::combine_strata(parts, c.strata);
    out.strata_levels = st.levels;
    out.stratum = st.codes;
  }
  if (by) {
    values.clear();
    for (const auto& p : kept) values.push_back(p.by);
    detail::Coded b = detail::encode_levels(values, numeric_by);
    out.by_levels = b.levels;
    out.by = b.codes;
  }
  for (auto& p : kept) {
    out.subject.push_back(std::move(p.subject));
    out.bor.push_back(p.bor);
    out.line.push_back(p.line);
  }
  return out;
}

}  // namespace hazard
