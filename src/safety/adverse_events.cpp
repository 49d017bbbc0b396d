// The treatment-emergent adverse events of the safety population (ae_data, safety.hpp), checked
// against the CDISC controlled terminology:
//   TRTEMFL, AESER, AESDTH: Y or N (blank allowed)
//   AEACN (codelist ACN): DOSE INCREASED, DOSE NOT CHANGED, DOSE RATE REDUCED, DOSE REDUCED,
//     DRUG INTERRUPTED, DRUG WITHDRAWN, NOT APPLICABLE, UNKNOWN (blank allowed)
//   AEOUT (codelist OUT): FATAL, NOT RECOVERED/NOT RESOLVED, RECOVERED/RESOLVED,
//     RECOVERED/RESOLVED WITH SEQUELAE, RECOVERING/RESOLVING, UNKNOWN (blank allowed)
//   AETOXGR: NCI-CTCAE grade 1-5, as a number or text ("3"); blank = missing grade (counted)
// Terms are compared ignoring case and surrounding blanks. Every row kept by --where is checked,
// treatment-emergent or not, so that a damaged file is reported wherever the damage is.
// Derived flags: discontinuation = DRUG WITHDRAWN; dose reduction = DOSE REDUCED or DOSE RATE
// REDUCED; death = AESDTH = Y, AEOUT = FATAL or grade 5.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
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

std::string normal(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out = s.substr(b, e - b);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return out;
}

constexpr std::array<const char*, 8> acn = {
    "DOSE INCREASED",   "DOSE NOT CHANGED", "DOSE RATE REDUCED", "DOSE REDUCED",
    "DRUG INTERRUPTED", "DRUG WITHDRAWN",   "NOT APPLICABLE",    "UNKNOWN"};
constexpr std::array<const char*, 6> out_terms = {"FATAL",
                                                  "NOT RECOVERED/NOT RESOLVED",
                                                  "RECOVERED/RESOLVED",
                                                  "RECOVERED/RESOLVED WITH SEQUELAE",
                                                  "RECOVERING/RESOLVING",
                                                  "UNKNOWN"};

template <std::size_t N>
bool in(const std::string& v, const std::array<const char*, N>& list) {
  return std::any_of(list.begin(), list.end(), [&](const char* t) { return v == t; });
}

template <std::size_t N>
std::string listed(const std::array<const char*, N>& list) {
  std::string s;
  for (const char* t : list) s += (s.empty() ? "" : ", ") + std::string(t);
  return s;
}

// Y/N flag: 1 = Y, 0 = N, -1 = blank; DataError otherwise.
int yes_no(const Table& t, const Column& c, std::size_t i) {
  if (c.is_missing(i)) return -1;
  const std::string v = normal(c.text(i));
  if (v == "Y") return 1;
  if (v == "N") return 0;
  if (v.empty()) return -1;
  throw DataError(at(t, i, c.name, c.text(i)), "expected Y or N (CDISC NY codelist) or blank");
}

// Grade 1-5; 0 = blank.
std::uint8_t grade_of(const Table& t, const Column& c, std::size_t i) {
  if (c.is_missing(i)) return 0;
  double g = std::nan("");
  if (c.is_numeric()) {
    g = c.numbers[i];
  } else {
    const std::string v = normal(c.text(i));
    if (v.empty()) return 0;
    if (v.size() == 1 && v[0] >= '0' && v[0] <= '9') g = v[0] - '0';
  }
  if (!(g >= 1 && g <= 5) || g != std::floor(g))
    throw DataError(at(t, i, c.name, c.text(i)),
                    "the adverse event grade must be 1, 2, 3, 4 or 5 (NCI-CTCAE)");
  return static_cast<std::uint8_t>(g);
}

}  // namespace

AeData ae_data(const Table& adae, const std::vector<char>& keep, const SafetyPopulation& p,
               const AeColumns& c, const Table& adsl) {
  AeData out;
  out.source = adae.source;
  out.n_read = adae.rows();
  const Column& subject = adae.at(c.subject);
  const Column& emergent = adae.at(c.emergent);
  const Column& soc = adae.at(c.soc);
  const Column& pt = adae.at(c.pt);
  const Column& grade = adae.at(c.grade);
  const Column& serious = adae.at(c.serious);
  const Column& action = adae.at(c.action);
  const Column* outcome = c.outcome.empty() ? nullptr : adae.find(c.outcome);
  const Column* death = c.death.empty() ? nullptr : adae.find(c.death);
  for (const Column* col : {&soc, &pt, &action}) {
    if (!col->is_numeric()) continue;
    for (std::size_t i = 0; i < adae.rows(); ++i)
      if ((i >= keep.size() || keep[i]) && !col->is_missing(i))
        throw DataError(at(adae, i, col->name, col->text(i)),
                        "expected text (a coded term), not a number");
  }

  // Subjects: ADSL keys; STUDYID takes part only when both files have it.
  const Column* adsl_study = adsl.find("STUDYID");
  const Column* study = adsl_study ? adae.find("STUDYID") : nullptr;
  if (!study) adsl_study = nullptr;
  const Column& adsl_subject = adsl.at("USUBJID");
  std::unordered_map<std::string, long> in_adsl;  // key -> population index or -1
  for (std::size_t j = 0; j < adsl.rows(); ++j)
    in_adsl.emplace(detail::subject_key(adsl_study, adsl_subject, j), -1);
  for (std::size_t k = 0; k < p.size(); ++k) {
    std::string key = p.key[k];
    if (!study) key = key.substr(key.find('\x1f'));
    in_adsl[key] = static_cast<long>(k);
  }

  std::map<std::string, std::int32_t> soc_index;
  std::map<std::pair<std::int32_t, std::string>, std::int32_t> term_index;
  for (std::size_t i = 0; i < adae.rows(); ++i) {
    if (i < keep.size() && !keep[i]) {
      ++out.n_filtered;
      continue;
    }
    if (subject.is_missing(i)) throw DataError(at(adae, i, c.subject, ""), "missing USUBJID");
    auto s = in_adsl.find(detail::subject_key(study, subject, i));
    if (s == in_adsl.end()) {
      std::string who = subject.text(i);
      if (study) who = study->text(i) + "/" + who;
      throw DataError(at(adae, i, c.subject, subject.text(i)),
                      fmt::format("subject {} is not in the ADSL file {}", who, adsl.source));
    }
    // Controlled terms, checked on every kept row.
    const int te = yes_no(adae, emergent, i);
    const std::uint8_t g = grade_of(adae, grade, i);
    const int ser = yes_no(adae, serious, i);
    const std::string act = action.is_missing(i) ? std::string() : normal(action.text(i));
    if (!act.empty() && !in(act, acn))
      throw DataError(
          at(adae, i, c.action, action.text(i)),
          fmt::format("not a CDISC action taken (ACN) term: expected {} or blank", listed(acn)));
    std::string outc;
    if (outcome && !outcome->is_missing(i)) {
      outc = normal(outcome->text(i));
      if (!outc.empty() && !in(outc, out_terms))
        throw DataError(
            at(adae, i, c.outcome, outcome->text(i)),
            fmt::format("not a CDISC outcome (OUT) term: expected {} or blank", listed(out_terms)));
    }
    const int dth = death ? yes_no(adae, *death, i) : -1;
    if (te != 1) {
      ++out.n_not_emergent;
      continue;
    }
    if (s->second < 0) {
      ++out.n_outside_population;
      continue;
    }
    for (const Column* col : {&soc, &pt})
      if (col->is_missing(i))
        throw DataError(at(adae, i, col->name, ""),
                        "a treatment-emergent adverse event without a coded term (system organ "
                        "class and preferred "
                        "term are required)");
    AeRecord r;
    r.subject = static_cast<std::size_t>(s->second);
    const std::string soc_name = soc.text(i);
    auto [si, new_soc] = soc_index.emplace(soc_name, static_cast<std::int32_t>(out.socs.size()));
    if (new_soc) out.socs.push_back(soc_name);
    r.soc = si->second;
    auto [ti, new_term] = term_index.emplace(std::make_pair(r.soc, pt.text(i)),
                                             static_cast<std::int32_t>(out.terms.size()));
    if (new_term) {
      out.terms.push_back(pt.text(i));
      out.term_soc.push_back(r.soc);
    }
    r.term = ti->second;
    r.grade = g;
    if (g == 0) ++out.n_missing_grade;
    r.serious = ser == 1;
    if (ser < 0) ++out.n_missing_serious;
    r.withdrawn = act == "DRUG WITHDRAWN";
    r.reduced = act == "DOSE REDUCED" || act == "DOSE RATE REDUCED";
    r.fatal = dth == 1 || outc == "FATAL" || g == 5;
    out.records.push_back(r);
  }
  return out;
}

}  // namespace hazard
