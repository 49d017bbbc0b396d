// `hazard logrank`: the K-group log-rank / Fleming–Harrington test, as R's survdiff
// (docs/cli/logrank.md). Parses flags, calls hazard::logrank, prints; no math here.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hazard/error.hpp"
#include "output_options.hpp"
#include "data_options.hpp"
#include "hazard/logrank.hpp"

namespace hazard::cli {
namespace {

struct LogrankCliOptions {
  DataOptions data;
  double rho = 0.0;
  double gamma = 0.0;
  bool no_timefix = false;
  bool json = false;
};

// R's timefix, as the method says it.
std::string timefix_text(const LogrankResult& r) {
  if (!r.options.timefix) return "times compared exactly (--no-timefix)";
  return r.times_merged ? "times within sqrt(machine eps) merged first, as R's timefix (some were)"
                        : "times within sqrt(machine eps) merged first, as R's timefix (none were)";
}

std::string method_text(const LogrankResult& r) {
  const auto& o = r.options;
  std::string test =
      (o.rho == 0.0 && o.gamma == 0.0)
          ? std::string("log-rank")
          : fmt::format("Fleming-Harrington G(rho = {:g}, gamma = {:g})", o.rho, o.gamma);
  if (r.stats.weighted)
    return test + ", case-weighted: score test of the weighted Cox model (Breslow ties)";
  return test + " (as R survdiff)";
}

// Keys in a fixed order: the contract keys first (docs/cli/logrank.md).
nlohmann::ordered_json to_json(const SurvData& d, const LogrankResult& r,
                               const LogrankCliOptions& o) {
  using json = nlohmann::ordered_json;
  const auto& s = r.stats;
  const std::size_t K = s.n_groups;
  const LogrankGroupColumns c = logrank_group_columns(s);
  json groups = json::array();
  for (std::size_t k = 0; k < K; ++k) {
    groups.push_back({{"group", d.group_levels[k]},
                      {"n", s.n[k]},
                      {"observed", s.observed[k]},
                      {"expected", s.expected[k]},
                      {"o_minus_e", c.o_minus_e[k]},
                      {"oe2_over_e", json(num(c.oe2_over_e[k]))},
                      {"oe2_over_v", json(num(c.oe2_over_v[k]))}});
  }
  json variance = json::array();
  for (std::size_t j = 0; j < K; ++j) {
    json row = json::array();
    for (std::size_t k = 0; k < K; ++k) row.push_back(s.var(j, k));
    variance.push_back(std::move(row));
  }
  json strata = nullptr;
  if (!d.stratum.empty()) {
    json levels = json::array();
    for (std::size_t st = 0; st < s.strata.size(); ++st) {
      json n = json::array(), obs = json::array(), exp = json::array();
      for (std::size_t k = 0; k < K; ++k) {
        n.push_back(s.n_by_stratum[st * K + k]);
        obs.push_back(s.observed_by_stratum[st * K + k]);
        exp.push_back(s.expected_by_stratum[st * K + k]);
      }
      levels.push_back({{"stratum", d.strata_levels[static_cast<std::size_t>(s.strata[st])]},
                        {"n", n},
                        {"observed", obs},
                        {"expected", exp}});
    }
    strata = {{"columns", d.strata_names}, {"levels", levels}};
  }
  json out;
  out["n"] = r.n;
  out["chisq"] = r.test.chisq;
  out["df"] = r.test.df;
  out["p"] = json(num(r.test.p));
  out["groups"] = groups;
  out["z"] = json(num(r.test.z));
  out["p_one_sided"] = json(num(r.test.p_one_sided));
  out["method"] = method_text(r);
  out["timefix"] = r.options.timefix;
  out["times_merged"] = r.times_merged;
  out["rho"] = r.options.rho;
  out["gamma"] = r.options.gamma;
  out["weight_log_scale"] = s.weight_log_scale;
  out["weighted"] = s.weighted;
  out["weights"] = s.weighted ? json(o.data.weights) : json(nullptr);
  out["group_column"] = d.group_name;
  out["reference"] = d.group_levels.front();
  out["strata"] = strata;
  out["variance"] = variance;
  out["excluded"] = json(exclusions_json(d.excluded));
  out["n_read"] = d.n_read;
  out["n_filtered"] = d.n_filtered;
  out["warnings"] = d.warnings;
  return out;
}

// A number in a table cell: 3 significant digits as R's print.survdiff (digits = 3); NaN and
// Inf printed as R prints them (a group with E = 0 has (O-E)^2/E = 0/0).
std::string cell(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  return fmt::format("{:.3g}", x);
}

void print_text(const SurvData& d, const LogrankResult& r) {
  const auto& s = r.stats;
  const std::size_t K = s.n_groups;
  fmt::print("hazard logrank: {}\n{}\n", printable(d.source), exclusions_text(d));
  fmt::print("test: {}; {}\n", method_text(r), timefix_text(r));
  if (!d.stratum.empty())
    fmt::print("stratified by {} ({} strata)\n", printable(fmt::format("{}", fmt::join(d.strata_names, ", "))),
               s.strata.size());
  if (s.weight_log_scale != 0.0)
    fmt::print("weights divided by exp({:.6g}), the largest at an event time: Observed, Expected and V are in its "
               "units (the test is unchanged)\n",
               s.weight_log_scale);
  fmt::print("\n");

  std::vector<std::string> names;
  std::size_t width = 0;
  for (std::size_t k = 0; k < K; ++k) {
    names.push_back(printable(d.group_name + "=" + d.group_levels[k]));  // a level may hold ESC, NUL...
    width = std::max(width, names.back().size());
  }
  fmt::print("{:<{}} {:>8} {:>9} {:>9} {:>10} {:>10}\n", "", width, "N", "Observed", "Expected",
             "(O-E)^2/E", "(O-E)^2/V");
  const LogrankGroupColumns c = logrank_group_columns(s);
  for (std::size_t k = 0; k < K; ++k) {
    fmt::print("{:<{}} {:>8} {:>9} {:>9} {:>10} {:>10}\n", names[k], width, s.n[k],
               cell(s.observed[k]), cell(s.expected[k]), cell(c.oe2_over_e[k]),
               cell(c.oe2_over_v[k]));
  }
  fmt::print("\n Chisq = {:.1f} on {} degrees of freedom, p = {}\n", r.test.chisq, r.test.df,
             cell(r.test.p));
  if (K == 2) {
    // z and Phi(z) of the non-reference arm; the direction of O - E is stated, not a conclusion
    if (!std::isfinite(r.test.z)) {
      fmt::print(" z ({} vs {}): not defined (the variance of O - E is 0)\n", names[1], names[0]);
    } else {
      const double oe = s.observed[1] - s.expected[1];
      const char* direction = oe < 0 ? "fewer events than expected" : oe > 0 ? "more events than expected"
                                                                                : "as many events as expected";
      fmt::print(" z ({} vs {}) = {}, one-sided p = Phi(z) = {} ({} had {}: O - E = {})\n", names[1],
                 names[0], cell(r.test.z), cell(r.test.p_one_sided), names[1], direction, cell(oe));
    }
  }
}

}  // namespace

void register_logrank(CLI::App& app) {
  auto opts = std::make_shared<LogrankCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "logrank", "K-group log-rank test, stratified, Fleming-Harrington weights (as R's survdiff)");
  add_data_options(cmd, opts->data, /*group_required=*/true);
  cmd->add_option("--rho", opts->rho,
                  "Fleming-Harrington rho: weight S(t-)^rho at each event time (default 0; 1 = "
                  "survdiff(rho = 1))");
  cmd->add_option("--gamma", opts->gamma,
                  "Fleming-Harrington gamma: weight (1 - S(t-))^gamma (default 0; >= 0)");
  cmd->add_flag("--no-timefix", opts->no_timefix,
                "Compare times exactly (default: merge times within sqrt(machine eps), as R's timefix)");
  cmd->add_flag("--json", opts->json, "Print one JSON document on stdout");
  cmd->callback([opts]() {
    const Roles roles = make_roles(opts->data);
    const SurvData data = load_surv_data(opts->data, roles);
    const LogrankResult result = within_memory(
        [&] {
          const double K = static_cast<double>(data.n_groups());
          return fmt::format("the {}-group log-rank test: its {} x {} variance matrix needs {}", data.n_groups(),
                             data.n_groups(), data.n_groups(), byte_size(8 * K * K));
        },
        [&] {
          return logrank(data, LogrankOptions{.rho = opts->rho, .gamma = opts->gamma, .timefix = !opts->no_timefix});
        });
    if (opts->json)
      std::cout << json_text(to_json(data, result, *opts)) << "\n";
    else
      print_text(data, result);
  });
}

}  // namespace hazard::cli
