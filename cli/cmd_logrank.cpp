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
#include "data_options.hpp"
#include "hazard/error.hpp"
#include "hazard/logrank.hpp"
#include "hazard/nph.hpp"
#include "output_options.hpp"
#include "pooled_data.hpp"
#include "unknown_flags.hpp"

namespace hazard::cli {
namespace {

struct LogrankCliOptions {
  DataOptions data;
  double rho = 0.0;
  double gamma = 0.0;
  bool no_timefix = false;
  bool json = false;
  std::string test = "logrank";  ///< logrank | maxcombo | mb | rmst | milestone
  std::string fh;                ///< maxcombo: "r,g:r,g:..."
  double t_star = 0.0;           ///< mb
  double tau = 0.0;              ///< rmst
  double at = 0.0;               ///< milestone
  double conf_level = 0.95;      ///< rmst, milestone
  std::string stratum_weights = "ivw";  ///< rmst, milestone with --strata: ivw | size
};

// --fh "0,0:0,1:1,1": (rho, gamma) pairs separated by ':'.
std::vector<FhWeight> parse_fh(const std::string& text) {
  std::vector<FhWeight> out;
  std::size_t b = 0;
  while (b <= text.size()) {
    const std::size_t e = std::min(text.find(':', b), text.size());
    const std::string pair = text.substr(b, e - b);
    const std::size_t comma = pair.find(',');
    FhWeight w;
    bool ok = comma != std::string::npos && pair.find(',', comma + 1) == std::string::npos;
    if (ok) {
      try {
        std::size_t u = 0, v = 0;
        const std::string r = pair.substr(0, comma), g = pair.substr(comma + 1);
        w.rho = std::stod(r, &u);
        w.gamma = std::stod(g, &v);
        ok = u == r.size() && v == g.size() && std::isfinite(w.rho) && std::isfinite(w.gamma) && w.gamma >= 0;
      } catch (const std::exception&) {
        ok = false;
      }
    }
    if (!ok)
      throw UsageError(fmt::format(
          "--fh: '{}' is not a pair RHO,GAMMA (finite numbers, GAMMA >= 0); the list is pairs separated by "
          "':', e.g. --fh 0,0:0,1:1,0:1,1",
          printable(pair)));
    out.push_back(w);
    b = e + 1;
  }
  return out;
}

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

// Flags that belong to another --test, or a missing required one: usage errors before any data is
// read.
void check_test_flags(const CLI::App& cmd, const LogrankCliOptions& o) {
  const std::string& t = o.test;
  if (t != "logrank" && t != "maxcombo" && t != "mb" && t != "rmst" && t != "milestone")
    throw UsageError(fmt::format("--test: '{}' is not one of logrank, maxcombo, mb, rmst, milestone", printable(t)));
  auto only = [&](const char* flag, bool allowed, const char* tests) {
    if (times_given(cmd, flag) > 0 && !allowed)
      throw UsageError(fmt::format("{} applies to --test {} only (this is --test {})", flag, tests, t));
  };
  only("--rho", t == "logrank", "logrank");
  only("--gamma", t == "logrank", "logrank");
  only("--fh", t == "maxcombo", "maxcombo");
  only("--t-star", t == "mb", "mb");
  only("--tau", t == "rmst", "rmst");
  only("--at", t == "milestone", "milestone");
  only("--conf-level", t == "rmst" || t == "milestone", "rmst or milestone");
  auto need = [&](const char* flag) {
    if (times_given(cmd, flag) == 0) throw UsageError(fmt::format("--test {} needs {}", t, flag));
  };
  if (t == "mb") need("--t-star");
  if (t == "rmst") need("--tau");
  if (t == "milestone") need("--at");
  if (!(o.conf_level > 0.0 && o.conf_level < 1.0))
    throw UsageError(fmt::format("--conf-level must be in (0, 1), not {}", o.conf_level));
  if (times_given(cmd, "--stratum-weights") > 0) {
    if (t != "rmst" && t != "milestone")
      throw UsageError(fmt::format("--stratum-weights applies to --test rmst or milestone only (this is --test {})", t));
    if (o.data.strata.empty())
      throw UsageError("--stratum-weights combines the strata's differences: it needs --strata");
    parse_stratum_weights(o.stratum_weights);
  }
  if (t == "maxcombo" && !o.fh.empty()) parse_fh(o.fh);  // reports a bad list before reading data
}

std::string fh_name(const FhWeight& w) { return fmt::format("FH({:g},{:g})", w.rho, w.gamma); }

std::string timefix_note(bool timefix, bool merged) {
  if (!timefix) return "times compared exactly (--no-timefix)";
  return merged ? "times within sqrt(machine eps) merged first, as R's timefix (some were)"
                : "times within sqrt(machine eps) merged first, as R's timefix (none were)";
}

// The keys every --test shares (docs/cli/logrank.md).
nlohmann::ordered_json common_json(const SurvData& d, const LogrankCliOptions& o, std::size_t n) {
  nlohmann::ordered_json out;
  out["test"] = o.test;
  out["n"] = n;
  out["group_column"] = d.group_name;
  out["reference"] = d.group_levels.front();
  out["comparison"] = d.group_levels.size() > 1 ? nlohmann::ordered_json(d.group_levels[1]) : nullptr;
  out["strata"] = d.stratum.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d.strata_names);
  out["weighted"] = d.weighted();
  out["weights"] = d.weighted() ? nlohmann::ordered_json(o.data.weights) : nullptr;
  out["timefix"] = !o.no_timefix;
  return out;
}

void finish_json(nlohmann::ordered_json& out, const SurvData& d) {
  out["excluded"] = nlohmann::ordered_json(exclusions_json(d.excluded));
  out["n_read"] = d.n_read;
  out["n_filtered"] = d.n_filtered;
  out["warnings"] = d.warnings;
  std::cout << json_text(out) << "\n";
}

void print_header(const SurvData& d, const std::string& method) {
  fmt::print("hazard logrank: {}\n{}\n", printable(d.source), exclusions_text(d));
  fmt::print("test: {}\n", method);
  if (!d.stratum.empty())
    fmt::print("stratified by {} ({} strata)\n", printable(fmt::format("{}", fmt::join(d.strata_names, ", "))),
               d.strata_levels.size());
  fmt::print("\n");
}

std::string arm(const SurvData& d, std::size_t k) { return printable(d.group_name + "=" + d.group_levels[k]); }

void run_maxcombo(const SurvData& d, const LogrankCliOptions& o) {
  MaxComboOptions mo;
  if (!o.fh.empty()) mo.fh = parse_fh(o.fh);
  mo.timefix = !o.no_timefix;
  const MaxComboResult r = maxcombo(d, mo);
  std::vector<std::string> names;
  for (const auto& w : r.fh) names.push_back(fh_name(w));
  const std::string method = fmt::format(
      "MaxCombo: the largest |z| of {}{}, p from the joint normal distribution of the z's (correlation from the "
      "weighted log-rank covariances; Genz's method with randomized lattice rules, integration error stated); "
      "{}",
      fmt::join(names, ", "), r.weighted ? " (case-weighted: weighted Cox score statistics, Breslow ties)" : "",
      timefix_note(mo.timefix, r.times_merged));
  const std::size_t k = r.fh.size();
  // the statistic that attains max |z|
  std::size_t best = 0;
  for (std::size_t a = 0; a < k; ++a)
    if (std::fabs(r.stats[a].z) > std::fabs(r.stats[best].z)) best = a;
  if (o.json) {
    auto out = common_json(d, o, r.n);
    out["method"] = method;
    out["z"] = r.stats[best].z;
    out["p"] = r.p;
    out["p_one_sided"] = r.p_one_sided;
    out["max_abs_z"] = r.max_abs_z;
    out["p_error"] = r.p_error;
    out["min_z"] = r.min_z;
    out["p_one_sided_error"] = r.p_one_sided_error;
    nlohmann::ordered_json stats = nlohmann::ordered_json::array();
    for (std::size_t a = 0; a < k; ++a)
      stats.push_back({{"rho", r.fh[a].rho},
                       {"gamma", r.fh[a].gamma},
                       {"u", r.stats[a].u},
                       {"var", r.stats[a].var},
                       {"z", r.stats[a].z},
                       {"p", r.stats[a].p},
                       {"p_one_sided", r.stats[a].p_one_sided}});
    out["statistics"] = stats;
    nlohmann::ordered_json corr = nlohmann::ordered_json::array();
    for (std::size_t a = 0; a < k; ++a) {
      nlohmann::ordered_json row = nlohmann::ordered_json::array();
      for (std::size_t b = 0; b < k; ++b) row.push_back(r.corr[a * k + b]);
      corr.push_back(row);
    }
    out["correlation"] = corr;
    out["times_merged"] = r.times_merged;
    finish_json(out, d);
    return;
  }
  print_header(d, method);
  fmt::print("{:<14} {:>12} {:>12} {:>9} {:>10}\n", "statistic", "U (O-E)", "V", "z", "p (alone)");
  for (std::size_t a = 0; a < k; ++a)
    fmt::print("{:<14} {:>12} {:>12} {:>9} {:>10}\n", names[a], cell(r.stats[a].u), cell(r.stats[a].var),
               cell(r.stats[a].z), cell(r.stats[a].p));
  fmt::print("\ncorrelation of the z's:\n");
  for (std::size_t a = 0; a < k; ++a) {
    fmt::print("{:<14}", names[a]);
    for (std::size_t b = 0; b < k; ++b) fmt::print(" {:>7.4f}", r.corr[a * k + b]);
    fmt::print("\n");
  }
  fmt::print("\n max |z| = {} ({}), p = {} (two-sided; integration error <= {:.1e})\n", cell(r.max_abs_z),
             names[best], cell(r.p), r.p_error);
  fmt::print(" min z ({} vs {}) = {}, one-sided p = {} (small when {} has fewer events than expected; error <= {:.1e})\n",
             arm(d, 1), arm(d, 0), cell(r.min_z), cell(r.p_one_sided), arm(d, 1), r.p_one_sided_error);
}

void run_mb(const SurvData& d, const LogrankCliOptions& o) {
  const ModestlyWeightedResult r =
      modestly_weighted_logrank(d, ModestlyWeightedOptions{.t_star = o.t_star, .timefix = !o.no_timefix});
  const std::string method = fmt::format(
      "Magirr-Burman modestly weighted log-rank, weights 1 / max(S(t-), S(t*)), t* = {:g}, S the pooled "
      "Kaplan-Meier{}{}; {}",
      r.t_star, d.stratum.empty() ? "" : " of each stratum",
      r.weighted ? " (case-weighted: weighted Cox score statistic, Breslow ties)" : "",
      timefix_note(!o.no_timefix, r.times_merged));
  if (o.json) {
    auto out = common_json(d, o, r.n);
    out["method"] = method;
    out["z"] = num(r.test.z);
    out["p"] = num(r.test.p);
    out["p_one_sided"] = num(r.test.p_one_sided);
    out["t_star"] = r.t_star;
    out["u"] = r.test.u;
    out["var"] = r.test.var;
    out["surv_t_star"] = r.surv_t_star;
    out["max_weight"] = r.max_weight;
    out["times_merged"] = r.times_merged;
    finish_json(out, d);
    return;
  }
  print_header(d, method);
  std::vector<std::string> st;
  for (double x : r.surv_t_star) st.push_back(cell(x));
  fmt::print(" S(t*) = {}{}; largest weight 1 / S(t*) = {}\n", fmt::join(st, ", "),
             st.size() > 1 ? " (by stratum)" : "", cell(r.max_weight));
  fmt::print(" U (weighted O - E of {}) = {}, V = {}\n", arm(d, 1), cell(r.test.u), cell(r.test.var));
  fmt::print(" z ({} vs {}) = {}, two-sided p = {}, one-sided p = Phi(z) = {}\n", arm(d, 1), arm(d, 0),
             cell(r.test.z), cell(r.test.p), cell(r.test.p_one_sided));
}

KmOptions km_options(const LogrankCliOptions& o) {
  KmOptions k;
  k.conf_level = o.conf_level;
  k.timefix = !o.no_timefix;
  return k;
}

nlohmann::ordered_json arm_json(const SurvData& d, std::size_t k, const KmLandmark& l) {
  return {{"group", d.group_levels[k]}, {"surv", num(l.surv)}, {"std_err", num(l.std_err)}, {"n_risk", l.n_risk}};
}

void run_milestone(const SurvData& d, const LogrankCliOptions& o) {
  const MilestoneTest r = milestone_test(d, o.at, km_options(o));
  const std::string method = fmt::format(
      "milestone: S(t) of each arm's Kaplan-Meier at t = {:g} (SE {}) and their difference, SE sqrt(se0^2 + se1^2), "
      "z, Wald CI ({:g}%); {}",
      r.time, d.weighted() ? "as survfit with case weights" : "Greenwood", 100 * o.conf_level,
      timefix_note(!o.no_timefix, r.times_merged));
  if (o.json) {
    auto out = common_json(d, o, r.n);
    out["method"] = method;
    out["z"] = r.z;
    out["p"] = r.p;
    out["p_one_sided"] = r.p_one_sided;
    out["at"] = r.time;
    out["arms"] = {arm_json(d, 0, r.reference), arm_json(d, 1, r.comparison)};
    out["difference"] = r.difference;
    out["std_err"] = r.std_err;
    out["lower"] = r.lower;
    out["upper"] = r.upper;
    out["conf_level"] = o.conf_level;
    out["times_merged"] = r.times_merged;
    finish_json(out, d);
    return;
  }
  print_header(d, method);
  fmt::print(" {}: S({:g}) = {} (SE {}, {} at risk)\n", arm(d, 0), r.time, cell(r.reference.surv),
             cell(r.reference.std_err), cell(r.reference.n_risk));
  fmt::print(" {}: S({:g}) = {} (SE {}, {} at risk)\n", arm(d, 1), r.time, cell(r.comparison.surv),
             cell(r.comparison.std_err), cell(r.comparison.n_risk));
  fmt::print("\n difference ({} - {}) = {} (SE {}, {:g}% CI {} to {})\n", arm(d, 1), arm(d, 0), cell(r.difference),
             cell(r.std_err), 100 * o.conf_level, cell(r.lower), cell(r.upper));
  fmt::print(" z = {}, two-sided p = {}, one-sided p = 1 - Phi(z) = {} (small when {} survives longer)\n", cell(r.z),
             cell(r.p), cell(r.p_one_sided), arm(d, 1));
}

void run_rmst(const SurvData& d, const LogrankCliOptions& o) {
  const RmstTest r = rmst_test(d, o.tau, km_options(o));
  const std::string method = fmt::format(
      "RMST difference: the area under each arm's Kaplan-Meier to tau = {:g} (SE as survmean: print(survfit, rmean = "
      "tau)), difference SE sqrt(se0^2 + se1^2), z, Wald CI ({:g}%); {}",
      r.tau, 100 * o.conf_level, timefix_note(!o.no_timefix, r.times_merged));
  const auto& df = r.difference;
  if (o.json) {
    auto out = common_json(d, o, r.n);
    out["method"] = method;
    out["z"] = df.z;
    out["p"] = df.p;
    out["p_one_sided"] = r.p_one_sided;
    out["tau"] = r.tau;
    out["arms"] = {{{"group", d.group_levels[0]}, {"rmst", r.reference.estimate}, {"std_err", r.reference.std_err}},
                   {{"group", d.group_levels[1]}, {"rmst", r.comparison.estimate}, {"std_err", r.comparison.std_err}}};
    out["difference"] = df.estimate;
    out["std_err"] = df.std_err;
    out["lower"] = df.lower;
    out["upper"] = df.upper;
    out["conf_level"] = o.conf_level;
    out["times_merged"] = r.times_merged;
    finish_json(out, d);
    return;
  }
  print_header(d, method);
  fmt::print(" {}: RMST({:g}) = {} (SE {})\n", arm(d, 0), r.tau, cell(r.reference.estimate), cell(r.reference.std_err));
  fmt::print(" {}: RMST({:g}) = {} (SE {})\n", arm(d, 1), r.tau, cell(r.comparison.estimate), cell(r.comparison.std_err));
  fmt::print("\n difference ({} - {}) = {} (SE {}, {:g}% CI {} to {})\n", arm(d, 1), arm(d, 0), cell(df.estimate),
             cell(df.std_err), 100 * o.conf_level, cell(df.lower), cell(df.upper));
  fmt::print(" z = {}, two-sided p = {}, one-sided p = 1 - Phi(z) = {} (small when {} lives longer)\n", cell(df.z),
             cell(df.p), cell(r.p_one_sided), arm(d, 1));
}

std::string weights_text(StratumWeights w) {
  return w == StratumWeights::size
             ? "size weights w_s = n_s / N (--stratum-weights size)"
             : "inverse-variance weights w_s = (1/se_s^2) / sum(1/se^2), the fixed-effect combination "
               "(--stratum-weights ivw)";
}

// --test rmst|milestone --strata: the per-stratum differences and their combination.
void run_stratified(const SurvData& d, const LogrankCliOptions& o) {
  const bool rmst = o.test == "rmst";
  const StratifiedTestOptions so{.km = km_options(o), .weights = parse_stratum_weights(o.stratum_weights)};
  const StratifiedTest r = rmst ? stratified_rmst_test(d, o.tau, so) : stratified_milestone_test(d, o.at, so);
  const auto& c = r.combined;
  const std::string se_text =
      rmst ? std::string("SE as survmean: print(survfit, rmean = tau)")
           : std::string(r.robust ? "robust SE as survfit with non-integer case weights" : "Greenwood SE");
  const std::string method = fmt::format(
      "stratified {}: per stratum, {} of each arm's Kaplan-Meier on the stratum's rows ({}), the difference and its "
      "SE sqrt(se0^2 + se1^2); combined over the strata with {}: D = sum w_s D_s, SE = sqrt(sum w_s^2 se_s^2), z, "
      "Wald CI ({:g}%); {}",
      rmst ? "RMST difference" : "milestone difference",
      rmst ? fmt::format("the area under the curve to tau = {:g}", r.time) : fmt::format("S(t) at t = {:g}", r.time),
      se_text, weights_text(c.weighting), 100 * o.conf_level, timefix_note(!o.no_timefix, r.times_merged));
  const char* est = rmst ? "rmst" : "surv";
  if (o.json) {
    using json = nlohmann::ordered_json;
    auto out = common_json(d, o, r.n);
    out["method"] = method;
    out["z"] = c.z;
    out["p"] = c.p;
    out["p_one_sided"] = c.p_one_sided;
    out[rmst ? "tau" : "at"] = r.time;
    json rows = json::array();
    for (const StratifiedStratum& st : r.strata) {
      auto arm_row = [&](std::size_t k, const StratumArm& a) {
        json j = {{"group", d.group_levels[k]}, {"n", a.n}, {est, a.estimate}, {"std_err", a.std_err}};
        if (!rmst) j["n_risk"] = a.n_risk;
        j["last_time"] = a.last_time;
        return j;
      };
      rows.push_back({{"stratum", st.stratum},
                      {"n", st.n},
                      {"difference", st.difference},
                      {"se", st.std_err},
                      {"weight", st.weight},
                      {"beyond_last_time", st.beyond_last_time},
                      {"arms", {arm_row(0, st.reference), arm_row(1, st.comparison)}}});
    }
    out["strata"] = rows;
    out["strata_columns"] = d.strata_names;
    out["stratum_weights"] = stratum_weights_name(c.weighting);
    out["difference"] = c.difference;
    out["std_err"] = c.std_err;
    out["lower"] = c.lower;
    out["upper"] = c.upper;
    out["conf_level"] = o.conf_level;
    out["times_merged"] = r.times_merged;
    finish_json(out, d);
    return;
  }
  print_header(d, method);
  const std::string what = rmst ? fmt::format("RMST({:g})", r.time) : fmt::format("S({:g})", r.time);
  std::size_t width = 7;
  for (const auto& st : r.strata) width = std::max(width, printable(st.stratum).size());
  const std::string a0 = arm(d, 0), a1 = arm(d, 1);
  fmt::print("{:<{}} {:>6} {:>22} {:>22} {:>11} {:>9} {:>7}\n", "stratum", width, "N",
             fmt::format("{} {}", a0, what).substr(0, 22), fmt::format("{} {}", a1, what).substr(0, 22), "difference",
             "SE", "weight");
  bool beyond = false;
  for (const auto& st : r.strata) {
    fmt::print("{:<{}} {:>6} {:>22} {:>22} {:>11} {:>9} {:>7.4f}{}\n", printable(st.stratum), width, st.n,
               fmt::format("{} ({})", cell(st.reference.estimate), cell(st.reference.std_err)),
               fmt::format("{} ({})", cell(st.comparison.estimate), cell(st.comparison.std_err)), cell(st.difference),
               cell(st.std_err), st.weight, st.beyond_last_time ? " *" : "");
    beyond = beyond || st.beyond_last_time;
  }
  if (beyond)
    fmt::print("* {} = {:g} is past an arm's last time in this stratum: that curve is extended flat at its last value{}\n",
               rmst ? "tau" : "t", r.time, rmst ? " (as survmean)" : " (as summary.survfit(extend = TRUE))");
  fmt::print("\n stratified difference ({} - {}; {} weights) = {} (SE {}, {:g}% CI {} to {})\n", a1, a0,
             stratum_weights_name(c.weighting), cell(c.difference), cell(c.std_err), 100 * o.conf_level,
             cell(c.lower), cell(c.upper));
  fmt::print(" z = {}, two-sided p = {}, one-sided p = 1 - Phi(z) = {} (small when {} {})\n", cell(c.z), cell(c.p),
             cell(c.p_one_sided), a1, rmst ? "lives longer" : "survives longer");
}

void run_nph_test(const SurvData& d, const LogrankCliOptions& o) {
  if (o.test == "maxcombo") run_maxcombo(d, o);
  else if (o.test == "mb") run_mb(d, o);
  else if ((o.test == "milestone" || o.test == "rmst") && !d.stratum.empty()) run_stratified(d, o);
  else if (o.test == "milestone") run_milestone(d, o);
  else run_rmst(d, o);
}

}  // namespace

void register_logrank(CLI::App& app, const Cluster& cluster) {
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
  cmd->add_option("--test", opts->test,
                  "logrank (default: the G(rho, gamma) test of --rho/--gamma), maxcombo, mb (Magirr-Burman), "
                  "rmst (RMST difference), milestone (survival difference at --at)");
  cmd->add_option("--fh", opts->fh,
                  "maxcombo: the FH (rho, gamma) pairs combined, RHO,GAMMA:RHO,GAMMA:... (default "
                  "0,0:0,1:1,0:1,1)");
  cmd->add_option("--t-star", opts->t_star, "mb: weights 1 / max(S(t-), S(t*)) (required with --test mb)");
  cmd->add_option("--tau", opts->tau, "rmst: the truncation time (required with --test rmst)");
  cmd->add_option("--at", opts->at, "milestone: the time of the survival difference (required with --test milestone)");
  cmd->add_option("--conf-level", opts->conf_level, "rmst, milestone: level of the CI of the difference (default 0.95)");
  cmd->add_option("--stratum-weights", opts->stratum_weights,
                  "rmst, milestone with --strata: how the strata's differences are combined, ivw (inverse "
                  "variance, default) or size (the strata's shares of the rows)");
  cmd->add_flag("--json", opts->json, "Print one JSON document on stdout");
  cmd->callback([opts, cmd, &cluster]() {
    check_test_flags(*cmd, *opts);
    const Roles roles = make_roles(opts->data);
    // Several files or MPI ranks: the frequency table of all of them, on every rank (docs/scale.md);
    // rank 0 alone goes on to test and print.
    const SurvData data = pooled(opts->data, cluster)
                              ? load_pooled(opts->data, roles, {.tabulate = true}, cluster)
                              : load_surv_data(opts->data, roles);
    if (cluster.rank() != 0) return;
    if (opts->test != "logrank") {
      run_nph_test(data, *opts);
      return;
    }
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
