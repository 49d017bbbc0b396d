// The response analysis (analyze_response, response.hpp): per arm the best overall response
// counts, the objective response rate (ORR: CR or PR) and the disease control rate (DCR: CR, PR,
// SD or NON-CR/NON-PD) with Clopper–Pearson intervals; each arm against the reference: the
// difference with Wald and Newcombe intervals, and over the strata (one stratum without
// --strata) the Mantel–Haenszel weighted difference (Sato variance), the CMH test and the
// Mantel–Haenszel odds ratio. One analysis per --by level, then all subjects ("Overall"). The
// denominators are every analysed subject of the arm, subjects without an assessment included
// (they are non-responders). Formulas: docs/methods/response.md.
#include <cstdint>
#include <vector>

#include "hazard/response.hpp"

namespace hazard {

namespace {

bool is_responder(Bor b) { return b == Bor::cr || b == Bor::pr; }
bool is_controlled(Bor b) { return is_responder(b) || b == Bor::sd || b == Bor::non_cr_non_pd; }

RateComparison compare(const ResponseData& d, const std::vector<std::size_t>& rows,
                       std::int32_t arm, bool (*success)(Bor), double conf_level) {
  const std::size_t n_strata = d.stratum.empty() ? 1 : d.strata_levels.size();
  std::vector<TwoByTwo> strata(n_strata);
  TwoByTwo all;
  for (std::size_t i : rows) {
    const std::int32_t g = d.group[i];
    if (g != arm && g != 0) continue;
    const bool yes = success(d.bor[i]);
    TwoByTwo& t = strata[d.stratum.empty() ? 0 : static_cast<std::size_t>(d.stratum[i])];
    if (g == arm) {
      ++t.n1, ++all.n1;
      if (yes) ++t.x1, ++all.x1;
    } else {
      ++t.n0, ++all.n0;
      if (yes) ++t.x0, ++all.x0;
    }
  }
  // Strata absent from this analysis (another --by level) are empty and drop out; the CMH test
  // only counts as dropped the strata that have a subject.
  std::vector<TwoByTwo> present;
  for (const auto& t : strata)
    if (t.n1 + t.n0 > 0) present.push_back(t);
  RateComparison r;
  r.level = d.group_levels[static_cast<std::size_t>(arm)];
  r.reference = d.group_levels[0];
  r.wald = wald_difference(all, conf_level);
  r.newcombe = newcombe_difference(all, conf_level);
  r.stratified = !d.stratum.empty();
  r.mh = mh_risk_difference(present, conf_level);
  r.cmh = cmh_test(present, conf_level);
  return r;
}

ResponseAnalysis analyze(const ResponseData& d, const std::vector<std::size_t>& rows,
                         std::string label, double conf_level) {
  ResponseAnalysis a;
  a.label = std::move(label);
  const std::size_t K = d.group_levels.size();
  a.arms.resize(K);
  for (std::size_t k = 0; k < K; ++k) a.arms[k].level = d.group_levels[k];
  for (std::size_t i : rows) {
    ArmResponse& arm = a.arms[static_cast<std::size_t>(d.group[i])];
    ++arm.n;
    ++arm.bor[static_cast<std::size_t>(d.bor[i])];
  }
  for (auto& arm : a.arms) {
    const std::size_t orr = arm.bor[0] + arm.bor[1];
    const std::size_t dcr = orr + arm.bor[2] + arm.bor[3];
    arm.orr = clopper_pearson(orr, arm.n, conf_level);
    arm.dcr = clopper_pearson(dcr, arm.n, conf_level);
  }
  for (std::size_t k = 1; k < K; ++k) {
    a.orr.push_back(compare(d, rows, static_cast<std::int32_t>(k), is_responder, conf_level));
    a.dcr.push_back(compare(d, rows, static_cast<std::int32_t>(k), is_controlled, conf_level));
  }
  return a;
}

}  // namespace

ResponseResult analyze_response(const ResponseData& d, const ResponseOptions& options) {
  ResponseResult r;
  r.options = options;
  if (!d.by.empty()) {
    for (std::size_t b = 0; b < d.by_levels.size(); ++b) {
      std::vector<std::size_t> rows;
      for (std::size_t i = 0; i < d.size(); ++i)
        if (d.by[i] == static_cast<std::int32_t>(b)) rows.push_back(i);
      r.analyses.push_back(analyze(d, rows, d.by_levels[b], options.conf_level));
    }
  }
  std::vector<std::size_t> all(d.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  r.analyses.push_back(analyze(d, all, "Overall", options.conf_level));
  return r;
}

}  // namespace hazard
