// `hazard response`: objective response and disease control rates per arm from an ADaM ADRS data
// set (best overall response), their comparison between arms, and the duration of response among
// responders (docs/cli/response.md). Parses flags, reads the data, calls the library, prints; no
// math here.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hazard/csv.hpp"
#include "hazard/output.hpp"
#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "hazard/read.hpp"
#include "hazard/readout_json.hpp"
#include "hazard/response.hpp"
#include "readout_analyses.hpp"

namespace hazard::cli {

namespace {

struct ResponseCliOptions {
  ReadoutOptions in;
  std::string response = "AVALC";
  double conf_level = 0.95;
  std::string adtte;
  std::string dor_param = "DOR";
  std::string dor_time = "AVAL";
  std::string dor_cnsr = "CNSR";
  std::string conf_type = "log-log";
  bool json = false;
  bool csv = false;
};

using json = nlohmann::ordered_json;

std::string level_text(double conf_level) { return fmt::format("{:g}%", conf_level * 100); }

json method_json(const ResponseData& d, const ResponseCliOptions& o) {
  json m;
  m["orr"] = "objective response rate: best overall response CR or PR";
  m["dcr"] = "disease control rate: best overall response CR, PR, SD or NON-CR/NON-PD";
  m["denominator"] =
      "every analysed subject of the arm; a blank response or (with --adsl) a subject of the "
      "population "
      "without a record counts as MISSING, a non-responder";
  m["rate_ci"] = "Clopper-Pearson exact interval, as R binom.test";
  m["difference"] = "arm minus reference";
  m["difference_wald"] = "Wald, as R prop.test(correct = FALSE)$conf.int";
  m["difference_newcombe"] =
      "Newcombe (1998) hybrid score interval, method 10 (Wilson score, no continuity correction)";
  m["stratified_difference"] =
      d.stratum.empty()
          ? "Mantel-Haenszel weighted difference over one stratum (no --strata): the Wald interval"
          : "Mantel-Haenszel (CMH) weights n1 n0 / n over the strata, Sato (1989) variance, as SAS "
            "PROC FREQ "
            "COMMONRISKDIFF(CL=MH)";
  m["cmh"] =
      d.stratum.empty()
          ? "Cochran-Mantel-Haenszel chi-square on one stratum (no --strata), without and with "
            "continuity "
            "correction (R mantelhaen.test formulas)"
          : "Cochran-Mantel-Haenszel chi-square over the strata (strata with fewer than 2 subjects "
            "left out), "
            "without (as SAS) and with continuity correction (as R mantelhaen.test's default)";
  m["odds_ratio"] =
      "Mantel-Haenszel common odds ratio with the Robins-Breslow-Greenland interval, as R "
      "mantelhaen.test";
  if (!o.adtte.empty())
    m["duration_of_response"] = fmt::format(
        "Kaplan-Meier among the responders (CR or PR) per arm, from {} where PARAMCD = {} ({}; "
        "CNSR 0 = event); "
        "median with {} CI (as R survfit, conf.type = \"{}\")",
        o.adtte, o.dor_param, o.dor_time, conf_type_name(parse_conf_type(o.conf_type)),
        o.conf_type);
  return m;
}

json rate_json(const ProportionCi& p) {
  return {{"responders", p.x},
          {"n", p.n},
          {"estimate", num(p.estimate)},
          {"lower", num(p.lower)},
          {"upper", num(p.upper)}};
}

json dor_json(const DorAnalysis& a) {
  json arms = json::array();
  for (const auto& g : a.arms)
    arms.push_back({{"group", g.level ? json(*g.level) : json(nullptr)},
                    {"n", g.n},
                    {"events", g.events},
                    {"median",
                     {{"estimate", num(g.median.estimate)},
                      {"lower", num(g.median.lower)},
                      {"upper", num(g.median.upper)}}}});
  return {{"responders", a.responders}, {"without_record", a.without_record}, {"arms", arms}};
}

json to_json(const ResponseData& d, const ResponseResult& r, const std::optional<DorResult>& dor,
             const ResponseCliOptions& o) {
  json out;
  out["n"] = d.size();
  out["n_read"] = d.n_read;
  out["n_filtered"] = d.n_filtered;
  out["n_without_record"] = d.n_without_record;
  nlohmann::json ex = exclusions_json(d.excluded);
  out["excluded"] = json::parse(ex.dump());
  out["group_column"] = d.group_name;
  out["reference"] = d.group_levels.front();
  out["strata"] = d.strata_names.empty() ? json(nullptr) : json(d.strata_names);
  out["by"] = d.by_name.empty() ? json(nullptr) : json(d.by_name);
  out["response_column"] = o.response;
  out["conf_level"] = r.options.conf_level;
  out["method"] = method_json(d, o);
  json analyses = json::array();
  for (std::size_t k = 0; k < r.analyses.size(); ++k) {
    const auto& a = r.analyses[k];
    json arms = json::array();
    for (const auto& arm : a.arms) {
      json bor;
      for (std::size_t b = 0; b < n_bor; ++b) bor[bor_code(static_cast<Bor>(b))] = arm.bor[b];
      arms.push_back({{"group", arm.level},
                      {"n", arm.n},
                      {"bor", bor},
                      {"orr", rate_json(arm.orr)},
                      {"dcr", rate_json(arm.dcr)}});
    }
    json comps = json::array();
    for (std::size_t c = 0; c < a.orr.size(); ++c)
      comps.push_back({{"group", a.orr[c].level},
                       {"reference", a.orr[c].reference},
                       {"orr", rate_comparison_json(a.orr[c])},
                       {"dcr", rate_comparison_json(a.dcr[c])}});
    json j;
    j["label"] = a.label;
    j["arms"] = arms;
    j["comparisons"] = comps;
    j["duration_of_response"] = dor ? dor_json(dor->analyses[k]) : json(nullptr);
    analyses.push_back(j);
  }
  out["analyses"] = analyses;
  if (dor)
    out["duration_of_response"] = {{"file", dor->source},
                                   {"n_read", dor->n_read},
                                   {"n_filtered", dor->n_filtered},
                                   {"n_outside", dor->n_outside},
                                   {"conf_type", conf_type_name(dor->conf_type)},
                                   {"conf_level", dor->conf_level}};
  else
    out["duration_of_response"] = nullptr;
  return out;
}

std::string csv_num(double x) { return std::isfinite(x) ? fmt::format("{}", x) : "NA"; }

void print_csv(const ResponseResult& r, const std::optional<DorResult>& dor) {
  std::string out = "analysis,group,reference,endpoint,statistic,estimate,lower,upper,n,events\n";
  auto row = [&](const std::string& a, const std::string& g, const std::string& ref,
                 const char* endpoint, const std::string& stat, double est, double lo, double hi,
                 const std::string& n, const std::string& x) {
    out +=
        fmt::format("{},{},{},{},{},{},{},{},{},{}\n", csv_text(a), csv_text(g), csv_text(ref),
                    endpoint, stat, csv_num(est), csv_num(lo), csv_num(hi), n, x);
  };
  const double nan = std::nan("");
  for (std::size_t k = 0; k < r.analyses.size(); ++k) {
    const auto& a = r.analyses[k];
    for (const auto& arm : a.arms) {
      for (std::size_t b = 0; b < n_bor; ++b)
        row(a.label, arm.level, "", "BOR", bor_code(static_cast<Bor>(b)), nan, nan, nan,
            fmt::format("{}", arm.n), fmt::format("{}", arm.bor[b]));
      row(a.label, arm.level, "", "ORR", "rate_clopper_pearson", arm.orr.estimate, arm.orr.lower,
          arm.orr.upper, fmt::format("{}", arm.n), fmt::format("{}", arm.orr.x));
      row(a.label, arm.level, "", "DCR", "rate_clopper_pearson", arm.dcr.estimate, arm.dcr.lower,
          arm.dcr.upper, fmt::format("{}", arm.n), fmt::format("{}", arm.dcr.x));
    }
    for (std::size_t c = 0; c < a.orr.size(); ++c) {
      for (const auto* cmp : {&a.orr[c], &a.dcr[c]}) {
        const char* ep = cmp == &a.orr[c] ? "ORR" : "DCR";
        row(a.label, cmp->level, cmp->reference, ep, "difference_wald", cmp->wald.estimate,
            cmp->wald.lower, cmp->wald.upper, "", "");
        row(a.label, cmp->level, cmp->reference, ep, "difference_newcombe", cmp->newcombe.estimate,
            cmp->newcombe.lower, cmp->newcombe.upper, "", "");
        row(a.label, cmp->level, cmp->reference, ep, "difference_mh", cmp->mh.estimate,
            cmp->mh.lower, cmp->mh.upper, "", "");
        row(a.label, cmp->level, cmp->reference, ep, "odds_ratio_mh", cmp->cmh.odds_ratio,
            cmp->cmh.or_lower, cmp->cmh.or_upper, "", "");
        row(a.label, cmp->level, cmp->reference, ep, "cmh_chisq", cmp->cmh.chisq, nan, nan, "", "");
        row(a.label, cmp->level, cmp->reference, ep, "cmh_p", cmp->cmh.p, nan, nan, "", "");
        row(a.label, cmp->level, cmp->reference, ep, "cmh_chisq_corrected",
            cmp->cmh.chisq_corrected, nan, nan, "", "");
        row(a.label, cmp->level, cmp->reference, ep, "cmh_p_corrected", cmp->cmh.p_corrected, nan,
            nan, "", "");
      }
    }
    if (dor)
      for (const auto& g : dor->analyses[k].arms)
        row(a.label, g.level.value_or(""), "", "DOR", "median_km", g.median.estimate,
            g.median.lower, g.median.upper, fmt::format("{}", g.n), fmt::format("{}", g.events));
  }
  std::cout << out;
}

std::string pct(double x) { return std::isfinite(x) ? fmt::format("{:.1f}", 100 * x) : "NE"; }
std::string val(double x, const char* f = "{:.4g}") {
  return std::isfinite(x) ? fmt::format(fmt::runtime(f), x)
                          : (std::isinf(x) ? (x > 0 ? "Inf" : "-Inf") : "NE");
}

void print_text(const ResponseData& d, const ResponseResult& r, const std::optional<DorResult>& dor,
                const ResponseCliOptions& o) {
  const std::string lv = level_text(r.options.conf_level);
  fmt::print("hazard response: {}\n", d.source);
  fmt::print("rows read: {}, removed by --where: {}, subjects analysed: {}", d.n_read, d.n_filtered,
             d.size());
  if (d.n_without_record)
    fmt::print(" (of which {} from ADSL without a record: MISSING)", d.n_without_record);
  if (d.excluded.count) {
    std::string why;
    for (const auto& [reason, count] : d.excluded.reasons)
      why += fmt::format("{}{}: {}", why.empty() ? "" : ", ", reason, count);
    fmt::print(", excluded: {} ({})", d.excluded.count, why);
  }
  fmt::print(
      "\nORR = CR + PR; DCR = CR + PR + SD + NON-CR/NON-PD; denominators: all analysed subjects of "
      "the arm\n");
  fmt::print(
      "Rates: {} Clopper-Pearson CI; differences (arm - {}): Wald and Newcombe (method 10) {} "
      "CIs;\n",
      lv, d.group_levels.front(), lv);
  if (d.stratum.empty())
    fmt::print("       CMH test and Mantel-Haenszel odds ratio on one stratum (no --strata)\n");
  else
    fmt::print(
        "       stratified by {}: MH-weighted difference (Sato variance), CMH test, MH odds ratio "
        "(RBG CI)\n",
        fmt::join(d.strata_names, ", "));
  for (std::size_t k = 0; k < r.analyses.size(); ++k) {
    const auto& a = r.analyses[k];
    fmt::print("\n== {} ==\n", a.label);
    fmt::print("{:<16} {:>5} {:>4} {:>4} {:>4} {:>6} {:>4} {:>4} {:>4}  {:<28} {}\n", d.group_name,
               "N", "CR", "PR", "SD", "NCR/NPD", "PD", "NE", "MISS",
               fmt::format("ORR % ({} CI)", lv), fmt::format("DCR % ({} CI)", lv));
    for (const auto& arm : a.arms)
      fmt::print("{:<16} {:>5} {:>4} {:>4} {:>4} {:>6} {:>4} {:>4} {:>4}  {:<28} {}\n", arm.level,
                 arm.n, arm.bor[0], arm.bor[1], arm.bor[2], arm.bor[3], arm.bor[4], arm.bor[5],
                 arm.bor[6],
                 fmt::format("{}/{} {} ({}, {})", arm.orr.x, arm.n, pct(arm.orr.estimate),
                             pct(arm.orr.lower), pct(arm.orr.upper)),
                 fmt::format("{}/{} {} ({}, {})", arm.dcr.x, arm.n, pct(arm.dcr.estimate),
                             pct(arm.dcr.lower), pct(arm.dcr.upper)));
    for (std::size_t c = 0; c < a.orr.size(); ++c) {
      for (const auto* cmp : {&a.orr[c], &a.dcr[c]}) {
        fmt::print("{} {} vs {}: difference {} (Wald {}, {}; Newcombe {}, {}); {} {} ({}, {})\n",
                   cmp == &a.orr[c] ? "ORR" : "DCR", cmp->level, cmp->reference,
                   pct(cmp->wald.estimate), pct(cmp->wald.lower), pct(cmp->wald.upper),
                   pct(cmp->newcombe.lower), pct(cmp->newcombe.upper),
                   cmp->stratified ? "stratified" : "MH", pct(cmp->mh.estimate), pct(cmp->mh.lower),
                   pct(cmp->mh.upper));
        fmt::print(
            "    CMH chi-square {} (p = {}; corrected {}, p = {}); MH odds ratio {} ({}, {})\n",
            val(cmp->cmh.chisq), val(cmp->cmh.p), val(cmp->cmh.chisq_corrected),
            val(cmp->cmh.p_corrected), val(cmp->cmh.odds_ratio), val(cmp->cmh.or_lower),
            val(cmp->cmh.or_upper));
      }
    }
    if (dor) {
      const auto& da = dor->analyses[k];
      fmt::print("Duration of response ({} responders, {} without a record):\n", da.responders,
                 da.without_record);
      for (const auto& g : da.arms)
        fmt::print("    {:<16} n = {:>3}, events = {:>3}, median {} ({} CI {}, {})\n",
                   g.level.value_or(""), g.n, g.events, val(g.median.estimate), lv,
                   val(g.median.lower), val(g.median.upper));
    }
  }
  (void)o;
}

void run(const ResponseCliOptions& o) {
  if (o.json && o.csv) throw UsageError("give at most one of --json, --csv");
  if (!(o.conf_level > 0 && o.conf_level < 1)) throw UsageError("--conf-level must be in (0, 1)");
  const ConfType conf_type = parse_conf_type(o.conf_type);
  const ResponseRun run = run_response({.in = o.in,
                                        .response = o.response,
                                        .options = {.conf_level = o.conf_level},
                                        .adtte = o.adtte,
                                        .dor_param = o.dor_param,
                                        .dor_time = o.dor_time,
                                        .dor_cnsr = o.dor_cnsr,
                                        .conf_type = conf_type});
  const ResponseData& data = run.data;
  const ResponseResult& result = run.result;
  const std::optional<DorResult>& dor = run.dor;
  if (o.json)
    std::cout << to_json(data, result, dor, o).dump(2) << "\n";
  else if (o.csv)
    print_csv(result, dor);
  else
    print_text(data, result, dor, o);
}

}  // namespace

void register_response(CLI::App& app) {
  auto o = std::make_shared<ResponseCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "response",
      "Objective response and disease control rates per arm (Clopper-Pearson), differences (Wald, "
      "Newcombe, "
      "MH-stratified), CMH test, MH odds ratio, duration of response (docs/cli/response.md)");
  add_readout_options(cmd, o->in, /*group_required=*/true);
  cmd->add_option("--response", o->response,
                  "Column with the best overall response (default AVALC)");
  cmd->add_option("--conf-level", o->conf_level,
                  "Confidence level of every interval (default 0.95)");
  cmd->add_option(
      "--adtte", o->adtte,
      "ADTTE-shaped file with the duration of response (PARAMCD = --dor-param) of the responders");
  cmd->add_option("--dor-param", o->dor_param,
                  "PARAMCD of the duration of response in --adtte (default DOR)");
  cmd->add_option("--dor-time", o->dor_time, "Time column of --adtte (default AVAL)");
  cmd->add_option("--dor-cnsr", o->dor_cnsr,
                  "Censoring column of --adtte (default CNSR: 0 = event)");
  cmd->add_option(
         "--conf-type", o->conf_type,
         "Duration of response: KM confidence interval type, log-log (default), log or plain")
      ->check(CLI::IsMember({"log-log", "log", "plain"}));
  cmd->add_flag("--json", o->json, "Print one JSON document");
  cmd->add_flag("--csv", o->csv, "Print the results as CSV (one statistic per row)");
  cmd->callback([o]() { run(*o); });
}

}  // namespace hazard::cli
