// Duration of response (duration_of_response, response.hpp): Kaplan–Meier per arm among the
// responders (best overall response CR or PR) of each analysis, from an ADTTE-shaped table (one
// row per responder: AVAL = time from the first response to progression or death, CNSR = 0 for
// an event). The curves are kaplan_meier's (R survfit); responders without a record are counted,
// not guessed. Errors name file, line, column and value.
#include <fmt/format.h>

#include <cmath>
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

struct DorRecord {
  double time = 0;
  std::uint8_t status = 0;
  std::uint64_t line = 0;
};

}  // namespace

DorResult duration_of_response(const ResponseData& d, const Table& dor,
                               const std::vector<char>& keep, const DorColumns& c,
                               const KmOptions& km) {
  check_km_options(km);
  DorResult out;
  out.source = dor.source;
  out.n_read = dor.rows();
  out.conf_type = km.conf_type;
  out.conf_level = km.conf_level;
  const Column& subject = dor.at(c.subject);
  const Column& time = dor.at(c.time);
  const Column& cnsr = dor.at(c.cnsr);

  std::unordered_map<std::string, std::size_t> index;  // USUBJID -> subject in d
  for (std::size_t i = 0; i < d.size(); ++i) index.emplace(d.subject[i], i);

  std::unordered_map<std::size_t, DorRecord> records;  // subject in d -> record
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < dor.rows(); ++i) {
    if (i < keep.size() && !keep[i]) {
      ++out.n_filtered;
      continue;
    }
    if (subject.is_missing(i))
      throw DataError(at(dor, i, c.subject, ""), "missing subject identifier");
    const std::string id = subject.text(i);
    auto [it, inserted] = seen.emplace(id, i);
    if (!inserted)
      throw DataError(
          at(dor, i, c.subject, id),
          fmt::format("subject appears twice among the duration-of-response rows (also at {})",
                      detail::row_name(dor, it->second)));
    auto s = index.find(id);
    if (s == index.end()) {
      ++out.n_outside;
      continue;
    }
    const Bor b = d.bor[s->second];
    if (b != Bor::cr && b != Bor::pr)
      throw DataError(
          at(dor, i, c.subject, id),
          fmt::format("subject has a duration-of-response record but its best overall response is "
                      "{} (only CR or PR responders have a duration of response)",
                      bor_code(b)));
    if (!time.is_numeric() || time.is_missing(i) || !std::isfinite(time.numbers[i]) ||
        time.numbers[i] < 0)
      throw DataError(at(dor, i, c.time, time.text(i)),
                      "the duration of response must be a finite number >= 0");
    const double v = cnsr.is_numeric() && !cnsr.is_missing(i) ? cnsr.numbers[i] : std::nan("");
    if (!(v >= 0) || v != std::floor(v))
      throw DataError(at(dor, i, c.cnsr, cnsr.text(i)),
                      "CNSR must be 0 (event) or a positive integer (censored)");
    records.emplace(s->second, DorRecord{time.numbers[i], static_cast<std::uint8_t>(v == 0 ? 1 : 0),
                                         i < dor.line.size() ? dor.line[i] : i + 1});
  }

  auto analyse = [&](const std::vector<std::size_t>& rows, std::string label) {
    DorAnalysis a;
    a.label = std::move(label);
    const std::size_t K = d.group_levels.size();
    a.arms.resize(K);
    const double nan = std::nan("");
    for (std::size_t k = 0; k < K; ++k) {
      a.arms[k].level = d.group_levels[k];
      a.arms[k].median = {.p = 0.5, .estimate = nan, .lower = nan, .upper = nan};
    }
    // Build the survival data of the responders with a record; arms without one get no curve.
    std::vector<std::int32_t> code(K, -1);
    SurvData sd;
    sd.source = dor.source;
    sd.group_name = d.group_name;
    for (std::size_t i : rows) {
      if (d.bor[i] != Bor::cr && d.bor[i] != Bor::pr) continue;
      ++a.responders;
      auto r = records.find(i);
      if (r == records.end()) {
        ++a.without_record;
        continue;
      }
      const auto g = static_cast<std::size_t>(d.group[i]);
      if (code[g] < 0) code[g] = 0;  // marked present; numbered below
      sd.time.push_back(r->second.time);
      sd.status.push_back(r->second.status);
      sd.group.push_back(d.group[i]);
      sd.row.push_back(i);
      sd.line.push_back(r->second.line);
    }
    if (sd.time.empty()) return a;
    std::int32_t next = 0;
    for (std::size_t k = 0; k < K; ++k)
      if (code[k] == 0) {
        code[k] = next++;
        sd.group_levels.push_back(d.group_levels[k]);
      }
    for (auto& g : sd.group) g = code[static_cast<std::size_t>(g)];
    sd.n_read = sd.time.size();
    const KmResult fit = kaplan_meier(sd, km);
    for (std::size_t k = 0; k < K; ++k)
      if (code[k] >= 0) a.arms[k] = fit.groups[static_cast<std::size_t>(code[k])];
    return a;
  };

  if (!d.by.empty()) {
    for (std::size_t b = 0; b < d.by_levels.size(); ++b) {
      std::vector<std::size_t> rows;
      for (std::size_t i = 0; i < d.size(); ++i)
        if (d.by[i] == static_cast<std::int32_t>(b)) rows.push_back(i);
      out.analyses.push_back(analyse(rows, d.by_levels[b]));
    }
  }
  std::vector<std::size_t> all(d.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  out.analyses.push_back(analyse(all, "Overall"));
  return out;
}

}  // namespace hazard
