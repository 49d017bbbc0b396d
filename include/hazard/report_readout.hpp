// The readout sections of the trial report (`hazard report --adae/--adrs/--adqs`): safety,
// tumour response and quality of life next to the efficacy results. Each section holds the
// results of the library call that `hazard safety`, `hazard response` and `hazard deterioration`
// make (the same structs, so the report shows the commands' numbers), plus the names the tables
// need; the writers (src/report/readout_sections.cpp) only format them.
//
// Every table states its method: the section's `methods` lines are printed under it (HTML, RTF)
// and go to results.json; results.csv carries each number with its method.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hazard/crossover.hpp"
#include "hazard/deterioration.hpp"
#include "hazard/response.hpp"
#include "hazard/safety.hpp"

namespace hazard::report {

/// `hazard safety` on ADSL + ADAE (+ ADEX): summary of treatment-emergent adverse events and the
/// SOC/PT table with the worst grade, per analysis (each --by level, then "Overall").
struct SafetySection {
  SafetyResult result{};
  std::string group_name{};                ///< arm column, e.g. TRT01A (actual treatment)
  std::vector<std::string> group_levels{};  ///< [0] the reference
  std::string population{};                ///< e.g. "SAFFL = Y"
  std::size_t n = 0;                       ///< subjects of the safety population analysed
  std::string exposure{};                  ///< how exposure was derived ("" = no rates)
  std::vector<std::string> methods{};      ///< method lines shown under the tables
};

/// `hazard response` on ADRS (PARAMCD = BOR) and the duration of response.
struct ResponseSection {
  ResponseResult result{};
  std::optional<DorResult> dor{};
  std::string group_name{};
  std::vector<std::string> group_levels{};
  std::vector<std::string> strata{};  ///< stratification columns of the MH difference and CMH test
  std::string param{};                ///< the rows analysed, e.g. "PARAMCD=BOR"
  std::size_t n = 0;
  std::size_t n_without_record = 0;  ///< ADSL subjects without a record (counted as MISSING)
  std::vector<std::string> methods{};
};

/// `hazard deterioration` on ADQS: time to deterioration, Kaplan–Meier per arm.
struct QolSection {
  std::vector<TtdAnalysis> analyses{};
  std::string group_name{};
  std::vector<std::string> group_levels{};
  std::string param{};       ///< e.g. "PARAMCD=GHS"
  std::string paramcd{};     ///< the derived parameter, e.g. "TTDGHS"
  std::string name{};        ///< e.g. "Time to deterioration of GHS (MID 10)"
  std::string rule{};        ///< "first", "confirmed", "definitive"
  std::string rule_text{};   ///< the rule in words
  std::string direction{};   ///< "higher-better" or "higher-worse"
  double mid = 0;
  std::string units{};       ///< of the times (AVAL)
  std::size_t n = 0;
  std::size_t no_baseline = 0, no_post = 0;  ///< censored at the origin, and why
  std::vector<std::string> methods{};
};

/// `hazard crossover` on the report's data (all rows analysed, cohorts pooled): overall survival
/// adjusted for control patients switching to the experimental treatment, by RPSFTM (log-rank
/// g-estimation, stratified as the report) and, with progression columns, the simple two-stage
/// method.
struct CrossoverSection {
  RpsftmResult rpsftm{};
  std::optional<TwoStageResult> two_stage{};
  std::string group_name{};
  std::vector<std::string> group_levels{};  ///< [0] the control arm
  std::string switch_flag{}, switch_time{};
  std::size_t n = 0, n_control = 0, switchers = 0;
  std::string units{};
  std::vector<std::string> methods{};
};

/// The readout sections present in a report (none: an efficacy report as before).
struct Readout {
  std::optional<SafetySection> safety{};
  std::optional<ResponseSection> response{};
  std::optional<QolSection> qol{};
  std::optional<CrossoverSection> crossover{};
  bool empty() const { return !safety && !response && !qol && !crossover; }
};

// ---- filling the sections from the analyses (src/report/readout_sections.cpp) ----

/// The safety section of `summarize_safety(population, ae, ...)`; `population_flag` is the flag
/// column that defined the population (SAFFL). The methods state the counting rule, the grades,
/// the percentages, the SOC/PT order, the difference CIs and the rates' exposure and CI.
SafetySection safety_section(const SafetyPopulation& population, const AeData& ae,
                             const SafetyResult& result, const std::string& population_flag);

/// The response section of `analyze_response(data, ...)` and, when given,
/// `duration_of_response(data, ...)`; `param` names the rows analysed (e.g. "PARAMCD=BOR").
ResponseSection response_section(const ResponseData& data, const ResponseResult& result,
                                 const std::optional<DorResult>& dor, const std::string& param);

/// The quality-of-life section of `derive_deterioration(data, options)` and
/// `deterioration_km(...)`. `param` is the --param clause (e.g. "PARAMCD=GHS"), `units` the unit
/// of the derived times.
QolSection qol_section(const QolData& data, const DeteriorationResult& result,
                       const std::vector<TtdAnalysis>& analyses, const std::string& param,
                       const std::string& units);

/// The crossover section of `rpsftm(data, ...)` (and `two_stage`), with the method lines: the
/// test, re-censoring (`censor_source` says how C was found; "" = off), the HR's model and CIs.
CrossoverSection crossover_section(const SwitchData& data, const RpsftmResult& rpsftm,
                                   const std::optional<TwoStageResult>& two_stage,
                                   const std::string& group_name,
                                   const std::vector<std::string>& group_levels,
                                   const std::string& switch_flag, const std::string& switch_time,
                                   const std::string& censor_source, const std::string& units);

}  // namespace hazard::report
