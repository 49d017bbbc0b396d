// The safety tables (summarize_safety, safety.hpp). For every row (a summary category, a system
// organ class, a preferred term) and subject, the subject's worst grade over the row's records
// (missing grade = 0, below grade 1); the cell of an arm then counts its subjects with at least one
// record (n), their distribution by worst grade and those with worst grade >= 3. Percentages are
// 100 n / N, N the arm's subjects in the analysis (safety population, --by level). Exposure-
// adjusted incidence rate: n per `per_years` patient-years, patient-years = the arm's summed
// exposure days / 365.25, with the exact Poisson interval (poisson_exact.cpp); the numerator
// counts subjects (first occurrence), the denominator the whole exposure of the arm. Risk
// differences: each non-reference arm minus the reference, Newcombe (method 10) and Wald
// intervals on n / N (src/response/).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include "hazard/safety.hpp"
#include "response/detail.hpp"

namespace hazard {

namespace {

constexpr std::size_t n_summary = 6;
const char* summary_id[n_summary] = {"any", "grade3", "serious", "withdrawn", "reduced", "fatal"};
const char* summary_label[n_summary] = {"Any TEAE",
                                        "TEAE of grade 3 or higher",
                                        "Serious TEAE",
                                        "TEAE leading to treatment discontinuation",
                                        "TEAE leading to dose reduction",
                                        "TEAE leading to death"};

struct Key {
  std::size_t row;
  std::size_t subject;
  bool operator==(const Key& o) const { return row == o.row && subject == o.subject; }
};
struct KeyHash {
  std::size_t operator()(const Key& k) const {
    return std::hash<std::size_t>()(k.row * 1000003u ^ k.subject);
  }
};

}  // namespace

SafetyResult summarize_safety(const SafetyPopulation& p, const AeData& ae, const SafetyOptions& o) {
  detail::check_conf_level(o.conf_level);
  if (!(o.min_percent >= 0 && o.min_percent <= 100))
    throw UsageError("--min-percent must be between 0 and 100");
  if (!(o.per_years > 0)) throw UsageError("the rate unit (patient-years) must be > 0");
  SafetyResult res;
  res.options = o;
  const std::size_t K = p.group_levels.size();
  res.sort_arm = K > 1 ? 1 : 0;
  res.rates = p.exposure_days.size() == p.size() && !p.exposure_source.empty();

  // Rows: summary 0..5, then the SOCs, then the terms.
  const std::size_t soc0 = n_summary, term0 = soc0 + ae.socs.size(),
                    n_rows = term0 + ae.terms.size();
  std::unordered_map<Key, std::uint8_t, KeyHash> worst;  // (row, subject) -> worst grade
  auto note = [&](std::size_t row, std::size_t subject, std::uint8_t grade) {
    auto [it, inserted] = worst.emplace(Key{row, subject}, grade);
    if (!inserted) it->second = std::max(it->second, grade);
  };
  for (const AeRecord& r : ae.records) {
    note(0, r.subject, r.grade);
    if (r.grade >= 3) note(1, r.subject, r.grade);
    if (r.serious) note(2, r.subject, r.grade);
    if (r.withdrawn) note(3, r.subject, r.grade);
    if (r.reduced) note(4, r.subject, r.grade);
    if (r.fatal) note(5, r.subject, r.grade);
    note(soc0 + static_cast<std::size_t>(r.soc), r.subject, r.grade);
    note(term0 + static_cast<std::size_t>(r.term), r.subject, r.grade);
  }

  // Analyses: each --by level, then Overall.
  const std::size_t n_by = p.by.empty() ? 0 : p.by_levels.size();
  const std::size_t n_analyses = n_by + 1;
  std::vector<std::vector<std::size_t>> N(n_analyses, std::vector<std::size_t>(K, 0));
  std::vector<std::vector<double>> days(n_analyses, std::vector<double>(K, 0));
  for (std::size_t s = 0; s < p.size(); ++s) {
    const auto g = static_cast<std::size_t>(p.arm[s]);
    const double d = res.rates ? p.exposure_days[s] : 0;
    ++N[n_by][g];
    days[n_by][g] += d;
    if (n_by) {
      const auto b = static_cast<std::size_t>(p.by[s]);
      ++N[b][g];
      days[b][g] += d;
    }
  }
  // cells[analysis][row][arm]
  std::vector<std::vector<std::vector<SafetyCell>>> cells(
      n_analyses, std::vector<std::vector<SafetyCell>>(n_rows, std::vector<SafetyCell>(K)));
  for (const auto& entry : worst) {
    // Named copies rather than structured bindings: a lambda may not capture a binding before C++20
    // as clang 14 implements it.
    const auto& key = entry.first;
    const auto grade = entry.second;
    const auto g = static_cast<std::size_t>(p.arm[key.subject]);
    auto add = [&](std::size_t a) {
      SafetyCell& c = cells[a][key.row][g];
      ++c.n;
      ++c.worst[grade];
      if (grade >= 3) ++c.grade3;
    };
    add(n_by);                                                   // Overall
    if (n_by) add(static_cast<std::size_t>(p.by[key.subject]));  // the subject's --by level
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();

  for (std::size_t a = 0; a < n_analyses; ++a) {
    SafetyAnalysis an;
    an.label = a < n_by ? p.by_levels[a] : "Overall";
    an.n = N[a];
    for (std::size_t g = 0; g < K; ++g)
      an.patient_years.push_back(res.rates ? days[a][g] / 365.25 : nan);
    auto finish = [&](SafetyRow& row, std::size_t r) {
      row.arms = cells[a][r];
      for (std::size_t g = 0; g < K; ++g) {
        SafetyCell& c = row.arms[g];
        c.percent = an.n[g] ? 100.0 * static_cast<double>(c.n) / static_cast<double>(an.n[g]) : nan;
        if (res.rates) {
          c.rate = poisson_exact(c.n, an.patient_years[g], o.conf_level);
          c.rate.estimate *= o.per_years;
          c.rate.lower *= o.per_years;
          c.rate.upper *= o.per_years;
        } else {
          c.rate = {.events = c.n, .exposure = nan, .estimate = nan, .lower = nan, .upper = nan};
        }
      }
      for (std::size_t g = 1; g < K; ++g) {
        const TwoByTwo t{.x1 = row.arms[g].n, .n1 = an.n[g], .x0 = row.arms[0].n, .n0 = an.n[0]};
        row.newcombe.push_back(newcombe_difference(t, o.conf_level));
        row.wald.push_back(wald_difference(t, o.conf_level));
      }
    };
    for (std::size_t r = 0; r < n_summary; ++r) {
      SafetyRow row;
      row.kind = SafetyRowKind::summary;
      row.id = summary_id[r];
      row.label = summary_label[r];
      finish(row, r);
      an.summary.push_back(std::move(row));
    }
    // SOC / PT table, sorted by the experimental arm's count, then the total, then the name.
    auto total = [&](std::size_t r) {
      std::size_t t = 0;
      for (const auto& c : cells[a][r]) t += c.n;
      return t;
    };
    auto before = [&](std::size_t r1, const std::string& name1, std::size_t r2,
                      const std::string& name2) {
      const std::size_t e1 = cells[a][r1][res.sort_arm].n, e2 = cells[a][r2][res.sort_arm].n;
      if (e1 != e2) return e1 > e2;
      const std::size_t t1 = total(r1), t2 = total(r2);
      if (t1 != t2) return t1 > t2;
      return name1 < name2;
    };
    auto shown = [&](std::size_t r) {
      for (std::size_t g = 0; g < K; ++g) {
        const std::size_t n = cells[a][r][g].n;
        if (n && an.n[g] &&
            100.0 * static_cast<double>(n) / static_cast<double>(an.n[g]) >= o.min_percent)
          return true;
      }
      return false;
    };
    std::vector<std::size_t> socs;
    for (std::size_t s = 0; s < ae.socs.size(); ++s)
      if (total(soc0 + s)) socs.push_back(s);
    std::sort(socs.begin(), socs.end(), [&](std::size_t x, std::size_t y) {
      return before(soc0 + x, ae.socs[x], soc0 + y, ae.socs[y]);
    });
    for (std::size_t s : socs) {
      std::vector<std::size_t> terms;
      for (std::size_t t = 0; t < ae.terms.size(); ++t) {
        if (static_cast<std::size_t>(ae.term_soc[t]) != s || !total(term0 + t)) continue;
        if (shown(term0 + t))
          terms.push_back(t);
        else
          ++an.terms_below_min;
      }
      if (terms.empty()) continue;
      std::sort(terms.begin(), terms.end(), [&](std::size_t x, std::size_t y) {
        return before(term0 + x, ae.terms[x], term0 + y, ae.terms[y]);
      });
      SafetyRow soc_row;
      soc_row.kind = SafetyRowKind::soc;
      soc_row.label = soc_row.soc = ae.socs[s];
      finish(soc_row, soc0 + s);
      an.terms.push_back(std::move(soc_row));
      for (std::size_t t : terms) {
        SafetyRow row;
        row.kind = SafetyRowKind::term;
        row.label = ae.terms[t];
        row.soc = ae.socs[s];
        finish(row, term0 + t);
        an.terms.push_back(std::move(row));
      }
    }
    res.analyses.push_back(std::move(an));
  }
  return res;
}

}  // namespace hazard
