// The efficacy table layout (efficacy_table.hpp) and the number formats every writer shares.
//
// Formats follow common clinical study report conventions: times and percentages to one decimal,
// hazard ratios to two, p-values to four ("<0.0001" below), CIs in parentheses separated by a
// comma, "NE" (not estimable) for a median not reached or an undefined CI bound.
#include "report/efficacy_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/after_stop_section.hpp"
#include "report/canvas.hpp"

namespace hazard::report {

std::string time_heading(const ReportModel& m) {
  const std::string base = m.time_label.empty() ? std::string("Time") : m.time_label;
  // A derived time's label already names its units: "Time from STARTDT to ADT (months)".
  if (m.units.empty() || base.find("(" + m.units + ")") != std::string::npos) return base;
  return base + " (" + m.units + ")";
}

std::string ci_text(double conf_level) { return fmt::format("{:g}% CI", conf_level * 100); }

std::string units_suffix(const ReportModel& m) {
  return m.units.empty() ? std::string() : " " + m.units;
}

std::string format_time(double v) {
  if (!std::isfinite(v)) return "NE";
  return fmt::format("{:.1f}", v);
}

std::string format_estimate(const Estimate& e, int decimals) {
  auto one = [&](double v) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string("NE"); };
  return one(e.value) + " (" + one(e.lower) + ", " + one(e.upper) + ")";
}

std::string format_hr(const Estimate& e) {
  if (!std::isfinite(e.value)) return "NE";  // the table's note says why
  auto one = [](double v) -> std::string {
    if (!std::isfinite(v)) return "NE";
    if (v < 0.005) return "<0.01";
    return fmt::format("{:.2f}", v);
  };
  return one(e.value) + " (" + one(e.lower) + ", " + one(e.upper) + ")";
}

std::string format_p(double p) {
  if (!std::isfinite(p)) return "NE";
  if (p < 0.0001) return "<0.0001";
  return fmt::format("{:.4f}", p);
}

std::string format_count_pct(double count, double n) {
  std::string c = plot::detail::format_count(count);
  if (!(n > 0) || !std::isfinite(count)) return c;
  return fmt::format("{} ({:.1f})", c, 100.0 * count / n);
}

namespace detail {

std::string timepoint_text(double t) { return fmt::format("{:g}", t); }

std::vector<std::string> method_notes(const ReportModel& m) {
  std::vector<std::string> out;
  out.push_back(
      "Events and censored: n (% of N). " +
      (m.units.empty()
           ? std::string("Times in the units of the time column (not stated: give --units)")
           : "Times in " + m.units) +
      "; NE: not estimable.");
  out.push_back("Median and percentiles: " + m.methods.km + "; " + m.methods.quantiles + ".");
  out.push_back("Median follow-up: " + m.methods.followup + ".");
  if (!m.landmark_times.empty())
    out.push_back(m.rate_name + " rates: " + m.methods.landmarks + ".");
  out.push_back("Hazard ratios: " +
                (m.strata.empty() ? m.methods.hr_unstratified
                                  : m.methods.hr_stratified + "; " + m.methods.hr_unstratified) +
                ". HR < 1 favours the first-named arm.");
  out.push_back("p-values: " + m.methods.logrank + "; one-sided for HR < 1.");
  for (std::string& note : after_stop_notes(m)) out.push_back(std::move(note));
  return out;
}

Table efficacy_table(const ReportModel& m) {
  Table t;
  t.columns = 1;
  for (const CohortResult& c : m.cohorts) t.columns += std::max<std::size_t>(c.arms.size(), 1);

  Row top{.cells = {{.text = ""}}};
  Row arms{.cells = {{.text = ""}}};
  for (const CohortResult& c : m.cohorts) {
    int span = static_cast<int>(std::max<std::size_t>(c.arms.size(), 1));
    top.cells.push_back({.text = c.name, .span = span});
    if (c.arms.empty()) arms.cells.push_back({.text = "no patients"});
    for (const ArmResult& a : c.arms)
      arms.cells.push_back({.text = fmt::format("{}\n(N={})", a.arm, plot::detail::format_count(a.n)),
                            .cohort = c.name, .arm = a.arm, .stat = "n", .value = a.n});
  }
  if (m.cohorts.size() > 1 || !m.by.empty()) t.header.push_back(std::move(top));
  t.header.push_back(std::move(arms));

  // A row with one cell per arm of every cohort.
  auto per_arm = [&](const std::string& label, int indent, auto cell_of) {
    Row r{.cells = {{.text = label}}, .indent = indent};
    for (const CohortResult& c : m.cohorts) {
      if (c.arms.empty()) r.cells.push_back({.text = ""});
      for (const ArmResult& a : c.arms) {
        Cell cell = cell_of(c, a);
        cell.cohort = c.name;
        cell.arm = a.arm;
        r.cells.push_back(std::move(cell));
      }
    }
    t.body.push_back(std::move(r));
  };
  auto section = [&](const std::string& label) {
    t.body.push_back(Row{.cells = {{.text = label}}, .section = true});
  };

  per_arm("Events, n (%)", 0, [](const CohortResult&, const ArmResult& a) {
    return Cell{.text = format_count_pct(a.events, a.n), .stat = "events", .value = a.events};
  });
  per_arm("Censored, n (%)", 0, [](const CohortResult&, const ArmResult& a) {
    return Cell{.text = format_count_pct(a.censored, a.n), .stat = "censored", .value = a.censored};
  });
  section(m.endpoint + ": " + time_heading(m));
  const std::string ci = ci_text(m.conf_level);
  const bool strat = !m.strata.empty();
  per_arm("Median (" + ci + ")", 1, [](const CohortResult&, const ArmResult& a) {
    return Cell{.text = format_estimate(a.median), .stat = "median", .value = a.median.value};
  });
  per_arm("25th percentile (" + ci + ")", 1, [](const CohortResult&, const ArmResult& a) {
    return Cell{.text = format_estimate(a.q25), .stat = "q25", .value = a.q25.value};
  });
  per_arm("75th percentile (" + ci + ")", 1, [](const CohortResult&, const ArmResult& a) {
    return Cell{.text = format_estimate(a.q75), .stat = "q75", .value = a.q75.value};
  });
  per_arm("Median follow-up (" + ci + "), reverse KM", 1,
          [](const CohortResult&, const ArmResult& a) {
            return Cell{.text = format_estimate(a.followup),
                        .stat = "followup_median",
                        .value = a.followup.value};
          });
  if (!m.landmark_times.empty()) {
    section("Landmark rates, % (" + ci + ")");
    for (std::size_t k = 0; k < m.landmark_times.size(); ++k) {
      const std::string tp = timepoint_text(m.landmark_times[k]);
      per_arm(
          m.rate_name + " rate at " + tp + units_suffix(m), 1,
          [&](const CohortResult&, const ArmResult& a) {
            Estimate e = k < a.landmarks.size() ? a.landmarks[k] : Estimate{};
            Estimate pct{100 * e.value, 100 * e.lower, 100 * e.upper};
            return Cell{
                .text = format_estimate(pct), .stat = "rate", .timepoint = tp, .value = e.value};
          });
    }
  }

  // Between-arm rows, one section per comparison ("B vs A"; with K arms, K - 1 of them): one cell
  // spanning each cohort's arms, empty in a cohort without that comparison.
  std::vector<std::string> versus;
  for (const CohortResult& c : m.cohorts)
    for (const Comparison& cmp : c.comparisons)
      if (std::find(versus.begin(), versus.end(), cmp.label()) == versus.end())
        versus.push_back(cmp.label());
  auto spanning = [&](const std::string& label, auto cell_of) {
    Row r{.cells = {{.text = label}}, .indent = 1};
    for (const CohortResult& c : m.cohorts) {
      Cell cell = cell_of(c);
      cell.span = static_cast<int>(std::max<std::size_t>(c.arms.size(), 1));
      cell.cohort = c.name;
      r.cells.push_back(std::move(cell));
    }
    t.body.push_back(std::move(r));
  };
  auto find = [](const CohortResult& c, const std::string& vs) -> const Comparison* {
    for (const Comparison& cmp : c.comparisons)
      if (cmp.label() == vs) return &cmp;
    return nullptr;
  };
  if (versus.empty()) section("Comparison between arms");
  for (const std::string& vs : versus) {
    section(vs);
    // A cell of this comparison, or an empty one where the cohort does not have it.
    auto per_cohort = [&](const std::string& label, auto cell_of) {
      spanning(label, [&](const CohortResult& c) {
        const Comparison* cmp = find(c, vs);
        if (!cmp) return Cell{.text = "\u2013"};
        Cell cell = cell_of(*cmp);
        cell.arm = vs;
        return cell;
      });
    };
    if (strat)
      per_cohort("Hazard ratio, stratified (" + ci + ")", [](const Comparison& cmp) {
        return Cell{.text = format_hr(cmp.hr_stratified),
                    .stat = "hr_stratified",
                    .value = cmp.hr_stratified.value};
      });
    per_cohort(strat ? "Hazard ratio, unstratified (" + ci + ")" : "Hazard ratio (" + ci + ")",
               [](const Comparison& cmp) {
                 return Cell{.text = format_hr(cmp.hr_unstratified),
                             .stat = "hr_unstratified",
                             .value = cmp.hr_unstratified.value};
               });
    per_cohort(strat ? "Log-rank p, stratified, two-sided" : "Log-rank p, two-sided",
               [](const Comparison& cmp) {
                 return Cell{.text = format_p(cmp.p_two_sided),
                             .stat = "p_two_sided",
                             .value = cmp.p_two_sided};
               });
    per_cohort(strat ? "Log-rank p, stratified, one-sided" : "Log-rank p, one-sided",
               [](const Comparison& cmp) {
                 return Cell{.text = format_p(cmp.p_one_sided),
                             .stat = "p_one_sided",
                             .value = cmp.p_one_sided};
               });
    append_after_stop_rows(m, vs, t);  // --design: the adjusted estimates next to the naive ones
  }
  // Three or more arms: the K-group test of all arms.
  bool any_global = false;
  for (const CohortResult& c : m.cohorts) any_global = any_global || c.comparisons.size() > 1;
  if (any_global) {
    section("All arms");
    spanning(strat ? "Log-rank p, stratified, all arms" : "Log-rank p, all arms",
             [&](const CohortResult& c) {
               if (c.comparisons.size() < 2) return Cell{.text = "\u2013"};
               return Cell{.text = fmt::format("{} (chi-square {:.2f}, {:g} df)",
                                               format_p(c.global.p), c.global.chisq, c.global.df),
                           .arm = "all arms",
                           .stat = "p_global",
                           .value = c.global.p};
             });
  }
  // N is every randomized patient; who is not in the stratified model, and why.
  bool any_excluded = false;
  for (const CohortResult& c : m.cohorts)
    any_excluded = any_excluded || c.n_excluded_stratified > 0;
  if (strat && any_excluded)
    spanning("Not in the stratified analyses, n", [&](const CohortResult& c) {
      return Cell{.text = c.n_excluded_stratified > 0 ? c.excluded_stratified : "0",
                  .arm = "all arms",
                  .stat = "n_excluded_stratified",
                  .value = c.n_excluded_stratified};
    });
  // Why a number is missing, per cohort.
  bool any_note = false;
  for (const CohortResult& c : m.cohorts) {
    any_note = any_note || !c.note.empty();
    for (const Comparison& cmp : c.comparisons) any_note = any_note || !cmp.note.empty();
  }
  if (any_note)
    spanning("Note", [&](const CohortResult& c) {
      std::vector<std::string> notes;
      if (!c.note.empty()) notes.push_back(c.note);
      for (const Comparison& cmp : c.comparisons)
        if (!cmp.note.empty() && std::find(notes.begin(), notes.end(), cmp.note) == notes.end())
          notes.push_back(c.comparisons.size() > 1 ? cmp.label() + ": " + cmp.note : cmp.note);
      return Cell{.text = fmt::format("{}", fmt::join(notes, "\n"))};
    });
  return t;
}

}  // namespace detail
}  // namespace hazard::report
