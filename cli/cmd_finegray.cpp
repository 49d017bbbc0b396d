// `hazard finegray`: the Fine–Gray subdistribution hazards model, as cmprsk::crr
// (docs/cli/finegray.md). Parses flags, builds the design from the data layer's rows, calls
// hazard::fine_gray and prints; no math here.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "text_format.hpp"
#include "competing_options.hpp"
#include "data_options.hpp"
#include "hazard/competing.hpp"
#include "hazard/error.hpp"
#include "hazard/version.hpp"

namespace hazard::cli {
namespace {

// a number for an ordered JSON document: null when not finite (data_options.hpp num)
nlohmann::ordered_json jn(double x) { return nlohmann::ordered_json(num(x)); }

struct FineGrayCliOptions {
  DataOptions data;
  CompetingOptions competing;
  std::string cause;
  std::vector<std::string> covariates;
  double conf_level = 0.95;
  int max_iter = 50;
  bool json = false;
};

const char* method_text() {
  return "Fine-Gray proportional subdistribution hazards (Breslow ties), censoring weights "
         "G(t-)/G(T-) from the Kaplan-Meier of the censoring distribution, as cmprsk::crr";
}

const char* variance_text() {
  return "se: crr's sandwich, I^-1 sum (eta + psi)(eta + psi)' I^-1, with psi the term for the "
         "estimated censoring distribution (Fine & Gray 1999); se_model: I^-1 (coxph's naive "
         "variance on survival::finegray data); se_robust: the sandwich without psi (coxph's "
         "robust variance on finegray data, cluster = id)";
}

std::string fmt_jn(double x, int digits = 4) { return general_or_na(x, digits); }
std::string fmt_p(double p) { return p_value_text(p); }

nlohmann::ordered_json matrix_json(const Eigen::MatrixXd& m) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(jn(m(i, j)));
    a.push_back(row);
  }
  return a;
}

void run(const FineGrayCliOptions& o) {
  if (!(o.conf_level > 0 && o.conf_level < 1))
    throw UsageError(fmt::format("--conf-level must be in (0, 1), not {}", o.conf_level));
  if (o.max_iter < 1) throw UsageError("--max-iter must be at least 1");
  std::vector<std::string> covs;
  for (const auto& c : o.covariates)
    if (!c.empty() && c != o.data.group && std::find(covs.begin(), covs.end(), c) == covs.end())
      covs.push_back(c);
  if (covs.empty() && o.data.group.empty())
    throw UsageError("the model needs --covariates COL[,COL...] and/or --group COL");
  Table table;
  const CompetingData data = load_competing_data(o.data, o.competing, &table, covs);
  const std::size_t cause = cause_index(data, o.cause);
  const SurvData& sd = data.surv;
  std::vector<DesignSpec> specs;
  if (!sd.group.empty())
    specs.push_back({.column = sd.group_name, .ref = sd.group_levels.front(), .factor = true});
  for (const auto& c : covs) {
    const std::string ref = ref_for(o.data, c);
    specs.push_back({.column = c, .ref = ref, .factor = !ref.empty()});
  }
  const FineGrayData fg = fine_gray_data(data, table, cause, specs);
  if (fg.x.cols() == 0)
    throw UsageError(
        fmt::format("--group {}: only one level in the analysed rows, nothing to "
                    "compare",
                    sd.group_name));
  const FineGrayResult r = fine_gray(fg, {.max_iter = o.max_iter, .conf_level = o.conf_level});
  if (!r.converged)
    fmt::print(stderr, "hazard: warning: the Fine-Gray fit did not converge in {} iterations\n",
               r.iterations);

  if (o.json) {
    using json = nlohmann::ordered_json;
    json terms = json::array();
    for (const FineGrayTerm& t : r.terms)
      terms.push_back({{"term", t.term},
                       {"coef", jn(t.coef)},
                       {"shr", jn(t.shr)},
                       {"se", jn(t.se)},
                       {"z", jn(t.z)},
                       {"p", jn(t.p)},
                       {"lower", jn(t.lower)},
                       {"upper", jn(t.upper)},
                       {"se_model", jn(t.se_model)},
                       {"se_robust", jn(t.se_robust)}});
    json out;
    out["command"] = "finegray";
    out["hazard_version"] = version();
    out["data"] = o.data.data;
    out["time_units"] =
        analysis_units(o.data).empty() ? json(nullptr) : json(analysis_units(o.data));
    out["n"] = r.n;
    out["events"] = r.events;
    out["competing"] = r.competing;
    out["censored"] = r.censored;
    out["cause"] = data.cause_levels[cause];
    out["causes"] = data.cause_levels;
    out["status_column"] = data.status_name;
    out["censor"] = data.censor;
    out["terms"] = terms;
    out["variance"] = matrix_json(r.var);
    out["variance_model"] = matrix_json(r.var_model);
    out["variance_robust"] = matrix_json(r.var_robust);
    out["loglik"] = jn(r.loglik);
    out["loglik_null"] = jn(r.loglik_null);
    out["wald"] = {{"stat", jn(r.wald.stat)}, {"df", r.wald.df}, {"p", jn(r.wald.p)}};
    out["iterations"] = r.iterations;
    out["converged"] = r.converged;
    out["conf_level"] = o.conf_level;
    out["method"] = method_text();
    out["variance_method"] = variance_text();
    out["censoring_groups"] =
        sd.stratum.empty() ? json(nullptr)
                           : json{{"columns", sd.strata_names}, {"levels", sd.strata_levels}};
    out["excluded"] = json(exclusions_json(sd.excluded));
    out["n_read"] = sd.n_read;
    out["n_filtered"] = sd.n_filtered;
    std::cout << out.dump(2) << "\n";
    return;
  }
  fmt::print("Fine-Gray subdistribution hazards regression, cause {} = {}\n", data.status_name,
             data.cause_levels[cause]);
  fmt::print("  data: {}  ({})\n  {}\n", printable(o.data.data), exclusions_text(sd),
             printable(competing_summary(data)));
  if (!units_text(o.data).empty()) fmt::print("  {}\n", units_text(o.data));
  fmt::print("  n = {}, failures of interest = {}, competing = {}, censored = {}\n", r.n, r.events,
             r.competing, r.censored);
  if (!sd.stratum.empty())
    fmt::print("  censoring distribution estimated within {} ({} groups)\n",
               fmt::join(sd.strata_names, ", "), sd.strata_levels.size());
  fmt::print("  method: {}\n  iterations: {}{}\n\n", method_text(), r.iterations,
             r.converged ? "" : " (did not converge)");
  std::size_t w = 4;
  for (const auto& t : r.terms) w = std::max(w, t.term.size());
  const int pct = static_cast<int>(std::lround(100 * o.conf_level));
  fmt::print("{:<{}}  {:>10} {:>10} {:>10} {:>8} {:>10} {:>21}\n", "", w, "coef", "exp(coef)",
             "se(coef)", "z", "Pr(>|z|)", fmt::format("{}% CI of exp(coef)", pct));
  for (const auto& t : r.terms)
    fmt::print("{:<{}}  {:>10} {:>10} {:>10} {:>8} {:>10} {:>21}\n", t.term, w, fmt_jn(t.coef),
               fmt_jn(t.shr), fmt_jn(t.se), fmt_jn(t.z, 3), fmt_p(t.p),
               fmt::format("{} - {}", fmt_jn(t.lower), fmt_jn(t.upper)));
  fmt::print("\n{:<{}}  {:>12} {:>12}\n", "", w, "se (model)", "se (robust)");
  for (const auto& t : r.terms)
    fmt::print("{:<{}}  {:>12} {:>12}\n", t.term, w, fmt_jn(t.se_model), fmt_jn(t.se_robust));
  fmt::print("\nvariance: {}\n", variance_text());
  fmt::print("Wald test = {:.2f} on {:g} df, p = {}\n", r.wald.stat, r.wald.df, fmt_p(r.wald.p));
  fmt::print("Log pseudo-likelihood: {:.6f} (beta = 0), {:.6f} (estimate)\n", r.loglik_null,
             r.loglik);
}

}  // namespace

void register_finegray(CLI::App& app) {
  auto o = std::make_shared<FineGrayCliOptions>();
  CLI::App* cmd =
      app.add_subcommand("finegray",
                         "Competing risks: Fine-Gray subdistribution hazards model, as cmprsk::crr "
                         "(docs/cli/finegray.md)");
  add_data_options(cmd, o->data);
  add_competing_options(cmd, o->competing);
  cmd->add_option("--cause", o->cause, "The cause of interest (a value of --status)")->required();
  cmd->add_option("--covariates", o->covariates,
                  "Covariate columns COL[,COL...]: numeric as is, text as treatment contrasts "
                  "(reference level: --ref COL=LEVEL or the first sorted)")
      ->delimiter(',');
  cmd->add_option("--conf-level", o->conf_level, "Confidence level (default 0.95)");
  cmd->add_option("--max-iter", o->max_iter, "Newton-Raphson iterations (default 50)");
  cmd->add_flag("--json", o->json, "Print one JSON document on stdout");
  cmd->callback([o]() { run(*o); });
}

}  // namespace hazard::cli
