// Inference after a group-sequential stop for the report (hazard/report_after_stop.hpp): each
// cohort's stratified log-rank test becomes look K of the saved design, and hazard::monitor_interim
// (src/design/interim_analysis.cpp, the computation of `hazard monitor`) gives the stage-wise
// ordering p-value, median-unbiased HR, final CI, repeated p-value and repeated CI. Nothing is
// computed here beyond choosing the inputs:
//   events d_K  = the events of the cohort's (stratified) log-rank test (both arms),
//   z_K         = -(O - E)/sqrt(V) of the experimental arm for a design HR below hr0, else +,
//                 i.e. positive favours the experimental arm (the orientation of `monitor --z`),
//   d_1..d_K-1  = the design's planned events of the earlier looks, their z unknown (the trial
//                 went on past them), so their bounds enter the stage-wise ordering as planned,
//   D_max, ratio, hr, hr0, spending = the design file's; K = the last look is the final analysis.
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <string>

#include "hazard/error.hpp"
#include "hazard/monitor.hpp"
#include "hazard/report.hpp"

namespace hazard::report {

AfterStopAnalysis after_stop_analysis(const ReportModel& m, const AfterStopRequest& q) {
  const SavedDesign& d = q.design;
  const std::size_t looks = d.boundaries.info.size();
  if (q.look < 1 || q.look > looks)
    throw UsageError(fmt::format("--look {}: the design {} has {} look{}: expected 1 to {}", q.look,
                                 q.design_file, looks, looks == 1 ? "" : "s", looks));
  AfterStopAnalysis a;
  a.requested = true;
  a.design_file = q.design_file;
  a.design = d;
  a.look = q.look;
  a.stratified = !m.strata.empty();
  a.earlier_events.assign(d.events.begin(),
                          d.events.begin() + static_cast<std::ptrdiff_t>(q.look - 1));
  const bool final_look = q.look == looks;
  for (std::size_t i = 0; i < m.cohorts.size(); ++i) {
    const CohortResult& c = m.cohorts[i];
    AfterStopResult r;
    r.cohort = c.name;
    r.final_look = final_look;
    if (q.last_is_pooled && i + 1 == m.cohorts.size()) {
      r.note = "the pooled cohorts are not a trial of the design: no group-sequential inference";
      a.cohorts.push_back(std::move(r));
      continue;
    }
    if (c.comparisons.size() != 1) {
      r.note = c.comparisons.empty() ? "no comparison: no group-sequential inference"
                                     : "several comparisons: the design compares two arms";
      a.cohorts.push_back(std::move(r));
      continue;
    }
    const Comparison& cmp = c.comparisons.front();
    r.comparison = cmp.label();
    r.events = cmp.events_logrank;
    if (!std::isfinite(cmp.z_logrank) || !(cmp.events_logrank > 0)) {
      r.note = "no log-rank test: no group-sequential inference";
      a.cohorts.push_back(std::move(r));
      continue;
    }
    if (q.look > 1 && !(r.events > d.events[q.look - 2])) {
      r.note = fmt::format(
          "{:g} events at look {}: not above the design's {:.2f} events of look {}; not a look {} "
          "of "
          "this design",
          r.events, q.look, d.events[q.look - 2], q.look - 1, q.look);
      a.cohorts.push_back(std::move(r));
      continue;
    }
    if (!final_look && r.events >= d.max_events) {
      r.note = fmt::format(
          "{:g} events at the interim look {}: at or above the design's maximum {:.2f}; give the "
          "final look ({})",
          r.events, q.look, d.max_events, looks);
      a.cohorts.push_back(std::move(r));
      continue;
    }
    InterimOptions io{
        .design = d.boundaries,
        .max_events = d.max_events,
        .hr = d.hr,
        .ratio = d.ratio,
        .hr0 = d.hr0,
        .events = a.earlier_events,
        .z = std::vector<double>(q.look - 1, std::numeric_limits<double>::quiet_NaN()),
        .final_analysis = final_look,
        .earlier_z_unknown = true};
    io.events.push_back(r.events);
    io.z.push_back(d.hr < d.hr0 ? -cmp.z_logrank : cmp.z_logrank);
    const InterimResult ir = monitor_interim(io);
    r.computed = true;
    r.info = ir.info.back();
    r.z = ir.z;
    r.z_bound = ir.z_efficacy.back();
    r.final_look = ir.final_analysis;
    r.decision = decision_name(ir.decision);
    r.boundary_crossed =
        ir.decision == Decision::reject_h0 || ir.decision == Decision::stop_futility;
    r.repeated_p = ir.repeated_p.back();
    r.rci_lower = ir.rci_lower.back();
    r.rci_upper = ir.rci_upper.back();
    r.hr_naive = ir.hr.back();
    r.p_naive = ir.p_value;
    if (ir.after_stop) {
      const AfterStop& s = *ir.after_stop;
      r.after_stop = true;
      r.reason = stop_reason_name(s.reason);
      r.p_stagewise = s.p_value;
      r.hr_median_unbiased = s.hr_median_unbiased;
      r.ci_lower = s.ci_lower;
      r.ci_upper = s.ci_upper;
      r.ci_level = s.ci_level;
    } else {
      r.note = ir.after_stop_note;
    }
    a.cohorts.push_back(std::move(r));
  }
  return a;
}

std::string after_stop_method(const AfterStopAnalysis& a) {
  return fmt::format(
      "group-sequential inference at look {} of {} (design {}), as hazard monitor: stage-wise "
      "ordering p-value, median-unbiased hazard ratio and final CI (Tsiatis, Rosner & Mehta 1984; "
      "Jennison & Turnbull 2000, 8.4; rpact getFinalPValue / getFinalConfidenceInterval), repeated "
      "p-value and repeated CI (Jennison & Turnbull 1989), from the {}log-rank z and its events, "
      "bounds recomputed at the observed events",
      a.look, a.design.boundaries.info.size(), a.design_file, a.stratified ? "stratified " : "");
}

}  // namespace hazard::report
