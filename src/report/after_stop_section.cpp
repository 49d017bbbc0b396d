// Rendering of the inference after a group-sequential stop (after_stop_section.hpp). The numbers
// come from ReportModel::after_stop (after_stop.cpp, i.e. hazard::monitor_interim); this file only
// lays them out next to the naive estimates of each comparison and words the footnotes.
#include "report/after_stop_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "hazard/design.hpp"

namespace hazard::report::detail {

namespace {

const AfterStopResult* result_of(const AfterStopAnalysis& a, const std::string& cohort) {
  for (const AfterStopResult& r : a.cohorts)
    if (r.cohort == cohort) return &r;
  return nullptr;
}

double level_of(const AfterStopAnalysis& a) {
  const auto& b = a.design.boundaries;
  return 1 - 2 * b.alpha / b.sided;
}

std::string sided_text(const AfterStopAnalysis& a) {
  return a.design.boundaries.sided == 2 ? "two-sided" : "one-sided";
}

std::string describe_spending(const Spending& s) {
  const std::string name = spending_name(s);
  switch (s.type) {
    case SpendingType::obrien_fleming:
      return "Lan–DeMets O'Brien–Fleming-type spending (" + name + ")";
    case SpendingType::pocock:
      return "Lan–DeMets Pocock-type spending (" + name + ")";
    case SpendingType::hsd:
      return fmt::format("Hwang–Shih–DeCani spending, gamma {:g} ({})", s.parameter, name);
    case SpendingType::kim_demets:
      return fmt::format("Kim–DeMets power spending, rho {:g} ({})", s.parameter, name);
    case SpendingType::haybittle_peto:
      return fmt::format("Haybittle–Peto bounds, nominal p {:g} at each interim ({})", s.parameter,
                         name);
    case SpendingType::wang_tsiatis:
      return fmt::format("Wang–Tsiatis bounds, delta {:g} ({})", s.parameter, name);
    case SpendingType::user:
      return "user-defined alpha spending (" + name + ")";
  }
  return name;
}

std::string fixed(double x, int digits) {
  return std::isfinite(x) ? fmt::format("{:.{}f}", x, digits) : std::string("NE");
}

}  // namespace

void append_after_stop_rows(const ReportModel& m, const std::string& vs, Table& t) {
  const AfterStopAnalysis& a = m.after_stop;
  if (!a.requested) return;
  const std::string level = fmt::format("{:g}%", 100 * level_of(a));
  const std::string sided = sided_text(a);
  const std::size_t looks = a.design.boundaries.info.size();
  const std::size_t first_row = t.body.size();
  auto row = [&](const std::string& label, auto cell_of) {
    Row r{.cells = {{.text = label}}, .indent = 1};
    for (const CohortResult& c : m.cohorts) {
      const AfterStopResult* res = result_of(a, c.name);
      Cell cell;
      bool ours = false;
      for (const Comparison& cmp : c.comparisons) ours = ours || cmp.label() == vs;
      if (!ours || !res)
        cell.text = "\u2013";
      else if (!res->computed)
        cell.text = t.body.size() == first_row ? res->note : "\u2013";  // the note once
      else {
        cell = cell_of(*res);
        cell.arm = vs;
      }
      cell.span = static_cast<int>(std::max<std::size_t>(c.arms.size(), 1));
      cell.cohort = c.name;
      r.cells.push_back(std::move(cell));
    }
    t.body.push_back(std::move(r));
  };
  row(fmt::format("Group-sequential look {} of {} (design)", a.look, looks),
      [&](const AfterStopResult& r) {
        return Cell{.text = fmt::format("{:g} events, information {}; z {} vs bound {}: {}",
                                        r.events, fixed(r.info, 2), fixed(r.z, 2),
                                        std::isinf(r.z_bound) ? "none" : fixed(r.z_bound, 2),
                                        r.boundary_crossed ? "crossed (" + r.decision + ")"
                                        : r.final_look     ? "final analysis (" + r.decision + ")"
                                                           : "not crossed, the trial continues"),
                    .stat = "z_look",
                    .value = r.z};
      });
  const std::string not_given = "not given: no bound crossed at this interim";
  row(fmt::format("HR, median-unbiased, stage-wise ordering ({} final CI)", level),
      [&](const AfterStopResult& r) {
        return Cell{.text = r.after_stop ? format_hr({r.hr_median_unbiased, r.ci_lower, r.ci_upper})
                                         : not_given,
                    .stat = "hr_median_unbiased",
                    .value = r.hr_median_unbiased};
      });
  row(fmt::format("p, stage-wise ordering, {}", sided), [&](const AfterStopResult& r) {
    return Cell{.text = r.after_stop ? format_p(r.p_stagewise) : not_given,
                .stat = "p_stagewise",
                .value = r.p_stagewise};
  });
  row(fmt::format("Repeated p-value, {}", sided), [&](const AfterStopResult& r) {
    return Cell{.text = std::isfinite(r.repeated_p) ? format_p(r.repeated_p)
                                                    : "not defined at a Haybittle–Peto interim",
                .stat = "repeated_p",
                .value = r.repeated_p};
  });
  row(fmt::format("HR from the log-rank z (repeated {} CI)", level), [&](const AfterStopResult& r) {
    return Cell{.text = format_hr({r.hr_naive, r.rci_lower, r.rci_upper}),
                .stat = "hr_logrank",
                .value = r.hr_naive};
  });
}

std::vector<std::string> after_stop_notes(const ReportModel& m) {
  const AfterStopAnalysis& a = m.after_stop;
  if (!a.requested) return {};
  const SavedDesign& d = a.design;
  const auto& b = d.boundaries;
  std::vector<std::string> info;
  for (double t : b.info) info.push_back(fmt::format("{:.4g}", t));
  std::string futility;
  if (b.futility)
    futility = fmt::format(", futility bounds by {} ({})", describe_spending(*b.futility),
                           b.binding ? "binding" : "non-binding");
  std::vector<std::string> earlier;
  for (double e : a.earlier_events) earlier.push_back(fmt::format("{:.2f}", e));
  std::vector<std::string> out;
  out.push_back(fmt::format(
      "Group-sequential design ({}): {}{}; {} look{} at information fractions {}; {} alpha {:g}; "
      "maximum {:.2f} events; allocation {:g}:1; design HR {:g}{}. The rows of look {} are the "
      "analysis of this report taken as look {} of the design, in each cohort{} from its "
      "{}log-rank z and events, the efficacy bound recomputed at the observed "
      "information (events / maximum){}{}.",
      a.design_file, describe_spending(b.efficacy), futility, b.info.size(),
      b.info.size() == 1 ? "" : "s", fmt::join(info, ", "), sided_text(a), b.alpha, d.max_events,
      d.ratio, d.hr,
      d.hr0 != 1 ? fmt::format(" (H0: HR {} {:g})", d.hr < d.hr0 ? ">=" : "<=", d.hr0) : "", a.look,
      a.look, m.cohorts.size() > 1 ? " separately" : "", a.stratified ? "stratified " : "",
      earlier.empty() ? ""
                      : fmt::format("; the earlier looks at the design's planned events ({}), "
                                    "where no bound was crossed",
                                    fmt::join(earlier, ", ")),
      a.look == b.info.size() ? "; the final analysis spends all remaining alpha" : ""));
  out.push_back(
      "Stage-wise ordering p-value, median-unbiased hazard ratio and final confidence interval "
      "(Tsiatis, Rosner & Mehta 1984; Jennison & Turnbull 2000, section 8.4; as rpact "
      "getFinalPValue and getFinalConfidenceInterval), given when a bound is crossed at this look "
      "or it is the final analysis; repeated p-value and repeated confidence interval (Jennison & "
      "Turnbull 1989), valid whatever the later course of the trial. The numbers are those of "
      "hazard monitor for the same events and z; their hazard ratios are on the log-rank scale "
      "exp(-z (1 + r) / sqrt(r d)) (Schoenfeld), not the Cox model's.");
  out.push_back(
      "After a stop at an interim analysis the naive hazard ratio, confidence interval and p-value "
      "(the Cox and log-rank rows above) are biased: the hazard ratio away from 1, the interval "
      "too narrow, the p-value too small. The stage-wise ordering estimates account for the "
      "stopping rule.");
  return out;
}

void append_after_stop_results(const ReportModel& m, std::vector<ResultRow>& rows) {
  const AfterStopAnalysis& a = m.after_stop;
  if (!a.requested) return;
  const std::string method = after_stop_method(a);
  const std::string sided = sided_text(a);
  for (const AfterStopResult& r : a.cohorts) {
    if (!r.computed) continue;
    auto add = [&](const std::string& stat, double v, const std::string& what) {
      rows.push_back(
          {.endpoint = m.endpoint_code,
           .cohort = r.cohort,
           .arm = r.comparison,
           .statistic = stat,
           .value = v,
           .method = what + "; " + method + (r.note.empty() ? "" : " (" + r.note + ")")});
    };
    add("after_stop_look", static_cast<double>(a.look), "look of the design");
    add("events_logrank", r.events,
        a.stratified ? "events of the stratified log-rank test" : "events of the log-rank test");
    add("z_look", r.z, "efficacy-oriented log-rank z against hr0");
    add("z_bound", r.z_bound, "efficacy bound at the observed information");
    add("boundary_crossed", r.boundary_crossed ? 1 : 0, "1: a bound crossed at the look");
    add("p_stagewise", r.p_stagewise, "stage-wise ordering p-value, " + sided);
    add("hr_median_unbiased", r.hr_median_unbiased, "median-unbiased HR");
    add("hr_median_unbiased_lower", r.ci_lower, "final CI, lower");
    add("hr_median_unbiased_upper", r.ci_upper, "final CI, upper");
    add("repeated_p", r.repeated_p, "repeated p-value, " + sided);
    add("hr_logrank", r.hr_naive, "HR from the log-rank z (Schoenfeld), naive");
    add("hr_logrank_repeated_lower", r.rci_lower, "repeated CI, lower");
    add("hr_logrank_repeated_upper", r.rci_upper, "repeated CI, upper");
  }
}

nlohmann::json after_stop_json(const ReportModel& m) {
  using nlohmann::json;
  const AfterStopAnalysis& a = m.after_stop;
  if (!a.requested) return nullptr;
  auto num = [](double x) { return std::isfinite(x) ? json(x) : json(nullptr); };
  const SavedDesign& d = a.design;
  const auto& b = d.boundaries;
  json design = {{"file", a.design_file},
                 {"spending", spending_name(b.efficacy)},
                 {"futility", b.futility ? json(spending_name(*b.futility)) : json(nullptr)},
                 {"binding", b.binding},
                 {"sided", b.sided},
                 {"alpha", b.alpha},
                 {"power", 1 - b.beta},
                 {"hr", d.hr},
                 {"hr0", d.hr0},
                 {"ratio", d.ratio},
                 {"max_events", d.max_events},
                 {"looks", b.info.size()},
                 {"info", b.info},
                 {"events", d.events}};
  const std::string method = after_stop_method(a);
  json cohorts = json::array();
  for (const AfterStopResult& r : a.cohorts)
    cohorts.push_back({{"cohort", r.cohort},
                       {"comparison", r.comparison},
                       {"computed", r.computed},
                       {"look", a.look},
                       {"final_look", r.final_look},
                       {"events", num(r.events)},
                       {"info", num(r.info)},
                       {"z", num(r.z)},
                       {"z_bound", num(r.z_bound)},
                       {"boundary_crossed", r.boundary_crossed},
                       {"decision", r.decision},
                       {"reason", r.after_stop ? json(r.reason) : json(nullptr)},
                       {"p_stagewise", num(r.p_stagewise)},
                       {"hr_median_unbiased", num(r.hr_median_unbiased)},
                       {"ci_lower", num(r.ci_lower)},
                       {"ci_upper", num(r.ci_upper)},
                       {"ci_level", num(level_of(a))},
                       {"repeated_p", num(r.repeated_p)},
                       {"rci_lower", num(r.rci_lower)},
                       {"rci_upper", num(r.rci_upper)},
                       {"hr_logrank", num(r.hr_naive)},
                       {"p_naive", num(r.p_naive)},
                       {"sided", b.sided},
                       {"method", method},
                       {"note", r.note}});
  return {{"design", design},
          {"look", a.look},
          {"looks", b.info.size()},
          {"final_look", a.look == b.info.size()},
          {"earlier_events", a.earlier_events},
          {"method", method},
          {"cohorts", cohorts}};
}

}  // namespace hazard::report::detail
