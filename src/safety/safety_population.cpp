// The safety population (safety_population, safety.hpp): one entry per ADSL subject passing the
// population flag and the --where clauses on ADSL columns, with its arm (--group, e.g. TRT01A,
// the actual treatment) and --by level coded as R's factor() over the analysed subjects.
#include <fmt/format.h>

#include <string>
#include <unordered_map>

#include "hazard/error.hpp"
#include "hazard/safety.hpp"
#include "util/levels.hpp"

namespace hazard {

SafetyPopulation safety_population(const Table& adsl, const std::vector<char>& keep,
                                   const SafetyColumns& c) {
  if (c.group.empty()) throw UsageError("--group is required: the arms to compare (e.g. TRT01A)");
  SafetyPopulation out;
  out.source = adsl.source;
  out.n_read = adsl.rows();
  out.group_name = c.group;
  out.by_name = c.by;
  const Column& subject = adsl.at(c.subject);
  const Column* study = adsl.find("STUDYID");
  const Column& group = adsl.at(c.group);
  const Column* by = c.by.empty() ? nullptr : &adsl.at(c.by);
  std::unordered_map<std::string, std::size_t> seen;
  std::vector<std::string> groups, bys;
  for (std::size_t i = 0; i < adsl.rows(); ++i) {
    auto where = [&](const std::string& value) {
      return Location{.file = adsl.source,
                      .line = i < adsl.line.size() ? adsl.line[i] : 0,
                      .column = c.subject,
                      .value = value,
                      .has_value = true,
                      .unit = adsl.record_unit};
    };
    if (subject.is_missing(i)) throw DataError(where(""), "missing USUBJID in the ADSL file");
    auto [it, inserted] = seen.emplace(detail::subject_key(study, subject, i), i);
    if (!inserted)
      throw DataError(where(subject.text(i)),
                      fmt::format("subject appears twice in the ADSL file (also at {}); ADSL "
                                  "has one row per subject",
                                  detail::row_name(adsl, it->second)));
    if (i < keep.size() && !keep[i]) {
      ++out.n_filtered;
      continue;
    }
    if (group.is_missing(i)) {
      out.excluded.add("missing group");
      continue;
    }
    if (by && by->is_missing(i)) {
      out.excluded.add("missing by");
      continue;
    }
    out.key.push_back(it->first);
    out.subject.push_back(subject.text(i));
    out.line.push_back(i < adsl.line.size() ? adsl.line[i] : i + 1);
    groups.push_back(group.text(i));
    if (by) bys.push_back(by->text(i));
  }
  if (out.subject.empty())
    throw DataError(
        {.file = adsl.source},
        fmt::format(
            "no subjects in the safety population ({} ADSL rows, {} outside the population, {} "
            "excluded)",
            out.n_read, out.n_filtered, out.excluded.count));
  detail::Coded g = detail::encode_levels(groups, group.is_numeric());
  detail::put_first(g, c.ref, adsl.source, c.group);
  out.group_levels = g.levels;
  out.arm = g.codes;
  if (by) {
    detail::Coded b = detail::encode_levels(bys, by->is_numeric());
    out.by_levels = b.levels;
    out.by = b.codes;
  }
  return out;
}

}  // namespace hazard
