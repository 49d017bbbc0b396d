// The JSON of readout results shared by the commands and the report (include/hazard/readout_json.hpp).
#include "hazard/readout_json.hpp"

#include <cmath>
#include <string>

namespace hazard {

namespace {

using json = nlohmann::ordered_json;

json num(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

const char* kind_name(SafetyRowKind k) {
  return k == SafetyRowKind::summary ? "summary" : k == SafetyRowKind::soc ? "soc" : "pt";
}

}  // namespace

json safety_row_json(const SafetyRow& row, const std::vector<std::string>& levels) {
  json j;
  j["type"] = kind_name(row.kind);
  if (row.kind == SafetyRowKind::summary) j["id"] = row.id;
  j["label"] = row.label;
  j["soc"] = row.kind == SafetyRowKind::summary ? json(nullptr) : json(row.soc);
  json arms = json::array();
  for (std::size_t g = 0; g < row.arms.size(); ++g) {
    const SafetyCell& c = row.arms[g];
    json worst;
    for (std::size_t k = 1; k <= 5; ++k) worst[std::to_string(k)] = c.worst[k];
    worst["missing"] = c.worst[0];
    arms.push_back({{"group", levels[g]},
                    {"n", c.n},
                    {"percent", num(c.percent)},
                    {"worst_grade", worst},
                    {"grade3", c.grade3},
                    {"rate",
                     {{"estimate", num(c.rate.estimate)},
                      {"lower", num(c.rate.lower)},
                      {"upper", num(c.rate.upper)}}}});
  }
  j["arms"] = arms;
  json diffs = json::array();
  for (std::size_t k = 0; k < row.newcombe.size(); ++k)
    diffs.push_back({{"group", levels[k + 1]},
                     {"reference", levels[0]},
                     {"estimate", num(100 * row.newcombe[k].estimate)},
                     {"newcombe",
                      {{"lower", num(100 * row.newcombe[k].lower)},
                       {"upper", num(100 * row.newcombe[k].upper)}}},
                     {"wald",
                      {{"std_err", num(100 * row.wald[k].std_err)},
                       {"lower", num(100 * row.wald[k].lower)},
                       {"upper", num(100 * row.wald[k].upper)}}}});
  j["differences"] = diffs;
  return j;
}

json rate_comparison_json(const RateComparison& c) {
  json j;
  j["difference"] = {{"estimate", num(c.wald.estimate)},
                     {"wald",
                      {{"std_err", num(c.wald.std_err)},
                       {"lower", num(c.wald.lower)},
                       {"upper", num(c.wald.upper)}}},
                     {"newcombe", {{"lower", num(c.newcombe.lower)}, {"upper", num(c.newcombe.upper)}}}};
  j["stratified_difference"] = {{"stratified", c.stratified},
                                {"estimate", num(c.mh.estimate)},
                                {"std_err", num(c.mh.std_err)},
                                {"lower", num(c.mh.lower)},
                                {"upper", num(c.mh.upper)}};
  j["cmh"] = {{"chisq", num(c.cmh.chisq)},
              {"df", 1},
              {"p", num(c.cmh.p)},
              {"chisq_corrected", num(c.cmh.chisq_corrected)},
              {"p_corrected", num(c.cmh.p_corrected)},
              {"strata_used", c.cmh.strata_used},
              {"strata_dropped", c.cmh.strata_dropped}};
  j["odds_ratio"] = {{"estimate", num(c.cmh.odds_ratio)},
                     {"lower", num(c.cmh.or_lower)},
                     {"upper", num(c.cmh.or_upper)}};
  return j;
}

}  // namespace hazard
