// `hazard parametric`: parametric survival models and their extrapolation (docs/cli/parametric.md).
// Parses flags, builds the model's data from the data layer's rows, calls hazard::fit_parametric,
// hazard::extrapolate and the simulation of draws, and prints text or JSON; with --out writes
// the CSV files and the figures. No math here.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "data_options.hpp"
#include "hazard/cox.hpp"
#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/output.hpp"
#include "hazard/km.hpp"
#include "hazard/parametric.hpp"
#include "hazard/plot.hpp"

namespace hazard::cli {
namespace {

constexpr const char* default_dists = "exponential,weibull,gompertz,lognormal,loglogistic,gengamma";

struct ParametricCliOptions {
  DataOptions data;
  std::string start;
  std::vector<std::string> covariates;
  bool strata_shape = false;
  std::vector<std::string> dists;
  std::optional<double> horizon;
  std::optional<double> step;
  std::optional<double> rmst;
  int draws = 0;
  std::uint64_t seed = 1;
  double conf_level = 0.95;
  bool json = false;
  std::string out;
  std::vector<std::string> plot_formats = {"svg"};
  int max_iter = 200;
};

// One extrapolated curve: a group level (or all), its covariate values.
struct Curve {
  std::string label;     // "GROUP=level" or "all"
  CurveCovariates at;
  std::optional<std::string> group;  // for JSON: null without --group
};

struct FitOutput {
  ParametricFit fit;
  std::vector<Extrapolation> curves;        // one per Curve
  std::vector<SimulatedCurve> simulated;    // with --draws
  Eigen::MatrixXd draws;
  int rank_aic = 0, rank_bic = 0;
  bool usable() const { return fit.estimate.size() > 0 && std::isfinite(fit.loglik); }
};

std::string n_(double x, int digits = 4) {
  if (std::isnan(x)) return "NA";
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  return fmt::format("{:.{}g}", x, digits);
}
std::string csv_num(double x) {
  if (std::isnan(x)) return "NA";
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  return fmt::format("{}", x);
}

nlohmann::json numbers(const std::vector<double>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (double x : v) a.push_back(num(x));
  return a;
}

nlohmann::json estimate_json(const Estimate& e) {
  return {{"estimate", num(e.estimate)}, {"se", num(e.se)}, {"lower", num(e.lower)}, {"upper", num(e.upper)}};
}

nlohmann::json coefficient_json(const ParametricCoefficient& c) {
  nlohmann::json j = {{"term", c.term},
                      {"parameter", c.parameter},
                      {"effect", c.effect},
                      {"transform", c.transform},
                      {"estimate", num(c.estimate)},
                      {"se", num(c.se)},
                      {"lower", num(c.lower)},
                      {"upper", num(c.upper)},
                      {"estimate_t", num(c.estimate_t)},
                      {"se_t", num(c.se_t)}};
  if (c.effect) {
    j["exp_estimate"] = num(c.exp_estimate);
    j["exp_lower"] = num(c.exp_lower);
    j["exp_upper"] = num(c.exp_upper);
  }
  return j;
}

std::string effect_scale(const Distribution& d) {
  switch (d.family) {
    case ParametricFamily::exponential: return "PH: effects on log(rate); exp(effect) is a hazard ratio";
    case ParametricFamily::weibull: return "AFT: effects on log(scale); exp(effect) is a time ratio (PH form in `ph`)";
    case ParametricFamily::gompertz: return "PH: effects on log(rate); exp(effect) is a hazard ratio";
    case ParametricFamily::lognormal: return "AFT: effects on meanlog; exp(effect) is a time ratio";
    case ParametricFamily::loglogistic: return "AFT: effects on log(scale); exp(effect) is a time ratio";
    case ParametricFamily::gengamma: return "AFT: effects on mu; exp(effect) is a time ratio";
    case ParametricFamily::rp_hazard: return "PH: effects on gamma0 (log cumulative hazard); exp(effect) is a hazard ratio";
    case ParametricFamily::rp_odds: return "PO: effects on gamma0 (log cumulative odds); exp(effect) is an odds ratio";
  }
  return "";
}

plot::Format parse_format(const std::string& f) {
  if (f == "svg") return plot::Format::svg;
  if (f == "png") return plot::Format::png;
  if (f == "pdf") return plot::Format::pdf;
  throw UsageError(fmt::format("--plot-format {}: expected svg, png or pdf", f));
}

// ---- data -------------------------------------------------------------------------------------

struct ModelInput {
  ParametricData pd;
  std::vector<Curve> curves;
  SurvData sd;
  std::size_t ng = 0;  // group indicator columns
};

ModelInput build_input(const ParametricCliOptions& o) {
  if (!o.data.strata.empty())
    throw UsageError("hazard parametric does not stratify: give the arm with --group (and "
                     "--strata-shape for arm-specific shapes) and other factors with --covariates");
  if (o.strata_shape && o.data.group.empty()) throw UsageError("--strata-shape needs --group");
  std::vector<std::string> covs;
  for (const auto& c : o.covariates)
    if (!c.empty() && c != o.data.group && std::find(covs.begin(), covs.end(), c) == covs.end())
      covs.push_back(c);
  Roles roles = make_roles(o.data);
  roles.start = o.start;
  roles.covariates = covs;
  Table table;
  ModelInput in;
  in.sd = load_surv_data(o.data, roles, &table);
  SurvData& sd = in.sd;
  const std::size_t n = sd.size();
  // log t: every time must be positive
  const Column* tcol = table.find(roles.time);
  for (std::size_t i = 0; i < n; ++i)
    if (!(sd.time[i] > 0))
      throw DataError({.file = sd.source, .line = sd.line[i], .column = roles.time,
                       .value = tcol ? tcol->text(sd.row[i]) : fmt::format("{}", sd.time[i]),
                       .has_value = true},
                      "time must be positive for a parametric model (its log is taken)");
  ParametricData& pd = in.pd;
  pd.time = sd.time;
  pd.start = sd.start;
  pd.status = sd.status;
  pd.weight = sd.weight;
  // the design: the arm's K - 1 indicator columns first ("ARM[LEVEL]"), then the covariates
  std::vector<DesignSpec> specs;
  if (!sd.group.empty())
    specs.push_back({.column = o.data.group, .ref = ref_for(o.data, o.data.group), .factor = true,
                     .level_limit = roles.level_limit});
  for (const auto& c : covs) {
    const std::string ref = ref_for(o.data, c);
    specs.push_back({.column = c, .ref = ref, .factor = !ref.empty(), .level_limit = roles.level_limit});
  }
  in.ng = sd.group.empty() ? 0 : sd.group_levels.size() - 1;
  const auto ng = static_cast<Eigen::Index>(in.ng);
  if (specs.empty()) {
    pd.x = Eigen::MatrixXd(static_cast<Eigen::Index>(n), 0);
  } else {
    Design design = build_design(table, sd.row, specs);
    pd.x = std::move(design.x);
    pd.x_names = design.names;
  }
  if (!sd.group.empty() && ng == 0)
    throw UsageError(fmt::format("--group {}: only one level in the analysed rows", sd.group_name));
  if (o.strata_shape) {
    pd.z = pd.x.leftCols(ng);
    pd.z_names.assign(pd.x_names.begin(), pd.x_names.begin() + ng);
  }
  // curves: one per group level, the other covariates at their means (indicator columns: the
  // proportions), as flexsurv's summary at the mean of the design matrix
  Eigen::VectorXd means = pd.x.cols() ? Eigen::VectorXd(pd.x.colwise().mean().transpose()) : Eigen::VectorXd();
  const std::size_t levels = sd.group.empty() ? 1 : sd.group_levels.size();
  for (std::size_t g = 0; g < levels; ++g) {
    Curve c;
    c.at.x = means;
    for (Eigen::Index k = 0; k < ng; ++k) c.at.x[k] = static_cast<Eigen::Index>(g) == k + 1 ? 1.0 : 0.0;
    if (o.strata_shape) c.at.z = c.at.x.head(ng);
    c.label = sd.group.empty() ? "all" : sd.group_name + "=" + sd.group_levels[g];
    if (!sd.group.empty()) c.group = sd.group_levels[g];
    c.at.label = c.label;
    in.curves.push_back(std::move(c));
  }
  return in;
}

// ---- output -----------------------------------------------------------------------------------

nlohmann::json extrapolation_json(const Extrapolation& e, const SimulatedCurve* sim) {
  nlohmann::json j = {{"time", numbers(e.time)},         {"surv", numbers(e.surv)},
                      {"lower", numbers(e.lower)},       {"upper", numbers(e.upper)},
                      {"hazard", numbers(e.hazard)},     {"hazard_lower", numbers(e.hazard_lower)},
                      {"hazard_upper", numbers(e.hazard_upper)}, {"cumhaz", numbers(e.cumhaz)}};
  if (sim) {
    j["sim_lower"] = numbers(sim->lower);
    j["sim_upper"] = numbers(sim->upper);
    j["sim_hazard_lower"] = numbers(sim->hazard_lower);
    j["sim_hazard_upper"] = numbers(sim->hazard_upper);
  }
  return j;
}

nlohmann::json mean_json(const Extrapolation& e, double horizon, const SimulatedCurve* sim) {
  nlohmann::json j = estimate_json(e.mean);
  if (!e.mean_finite) j["estimate"] = nullptr;
  j["finite"] = e.mean_finite;
  j["note"] = e.mean_note.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.mean_note);
  nlohmann::json r = estimate_json(e.mean_restricted);
  r["horizon"] = horizon;
  if (sim) {
    r["sim"] = estimate_json(sim->mean_restricted);
    j["sim"] = estimate_json(sim->mean);
  }
  j["restricted"] = r;
  return j;
}

nlohmann::json rmst_json(const Extrapolation& e, const SimulatedCurve* sim) {
  if (!e.rmst) return nullptr;
  nlohmann::json j = estimate_json(*e.rmst);
  j["tau"] = e.rmst_tau;
  if (sim && sim->rmst) j["sim"] = estimate_json(*sim->rmst);
  return j;
}

nlohmann::json median_json(const Extrapolation& e, const SimulatedCurve* sim) {
  nlohmann::json j = estimate_json(e.median);
  if (sim) j["sim"] = estimate_json(sim->median);
  return j;
}

nlohmann::json to_json(const ParametricCliOptions& o, const ModelInput& in, const std::vector<FitOutput>& fits,
                       double horizon, double step) {
  const SurvData& sd = in.sd;
  nlohmann::json out;
  out["command"] = "parametric";
  out["n"] = sd.size();
  out["n_read"] = sd.n_read;
  out["n_filtered"] = sd.n_filtered;
  out["excluded"] = exclusions_json(sd.excluded);
  double events = 0;
  for (std::size_t i = 0; i < sd.size(); ++i) events += sd.status[i] * sd.w(i);
  out["events"] = events;
  out["time_variable"] = o.data.time;
  out["group_variable"] = sd.group.empty() ? nlohmann::json(nullptr) : nlohmann::json(sd.group_name);
  out["covariates"] = in.pd.x_names;
  out["ancillary_covariates"] = in.pd.z_names;
  out["start_variable"] = o.start.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.start);
  out["weighted"] = sd.weighted();
  out["conf_level"] = o.conf_level;
  out["horizon"] = horizon;
  out["step"] = step;
  out["rmst_tau"] = o.rmst ? nlohmann::json(*o.rmst) : nlohmann::json(nullptr);
  out["draws"] = o.draws;
  out["seed"] = o.draws > 0 ? nlohmann::json(o.seed) : nlohmann::json(nullptr);
  out["method"] = {
      {"likelihood", "sum w [d log f(t) + (1 - d) log S(t) - log S(entry)], density on the time scale as flexsurv and survreg"},
      {"optimiser", "Newton-Raphson with analytic gradient and Hessian, Levenberg damping and step halving; converged when the Newton decrement is below 1e-6, after which one more Newton step is taken"},
      {"covariance", "inverse of the observed information at the maximum"},
      {"coefficients", "Wald intervals on the estimation scale (log for positive parameters), transformed back, as flexsurv"},
      {"aic", "-2 loglik + 2 k"},
      {"bic", "-2 loglik + k log(n), n = rows, as flexsurv and survreg"},
      {"curves", "one per --group level, other covariates at their means (indicator columns: proportions)"},
      {"surv_ci", "delta method on log(-log S)"},
      {"hazard_ci", "delta method on log h"},
      {"median", "time S(t) = 1/2; delta method on log t"},
      {"mean", "integral of S to infinity (closed forms where they exist, else quadrature); delta method with Richardson central differences; interval on log(mean)"},
      {"rmst", "integral of S from 0 to tau by Gauss-Legendre quadrature; delta method with the analytic gradient; Wald interval"},
      {"draws", "parameters drawn from N(estimate, covariance), Random123 Philox4x64-10 (key: seed), inverse normal CDF; the same seed for every distribution (common random numbers); percentile intervals"},
      {"spline_knots", "rp-*: internal knots at quantiles of the log event times (type 7), boundary knots at their extremes, as flexsurvspline"}};
  nlohmann::json ranking = nlohmann::json::array();
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < fits.size(); ++k)
    if (fits[k].usable()) order.push_back(k);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fits[a].fit.aic < fits[b].fit.aic; });
  const double best = order.empty() ? 0 : fits[order[0]].fit.aic;
  for (std::size_t k : order)
    ranking.push_back({{"dist", fits[k].fit.dist}, {"rank_aic", fits[k].rank_aic}, {"rank_bic", fits[k].rank_bic},
                       {"aic", num(fits[k].fit.aic)}, {"delta_aic", num(fits[k].fit.aic - best)},
                       {"bic", num(fits[k].fit.bic)}, {"loglik", num(fits[k].fit.loglik)},
                       {"npar", fits[k].fit.npar}, {"converged", fits[k].fit.converged}});
  out["ranking"] = ranking;
  nlohmann::json jf = nlohmann::json::array();
  for (const FitOutput& fo : fits) {
    const ParametricFit& f = fo.fit;
    nlohmann::json j;
    j["dist"] = f.dist;
    j["parameters"] = f.parameters;
    j["effects"] = effect_scale(f.distribution);
    j["npar"] = f.npar;
    j["loglik"] = num(f.loglik);
    j["aic"] = num(f.aic);
    j["bic"] = num(f.bic);
    j["rank_aic"] = fo.usable() ? nlohmann::json(fo.rank_aic) : nlohmann::json(nullptr);
    j["rank_bic"] = fo.usable() ? nlohmann::json(fo.rank_bic) : nlohmann::json(nullptr);
    j["converged"] = f.converged;
    j["iterations"] = f.iterations;
    j["message"] = f.message.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.message);
    j["knots"] = f.knots.empty() ? nlohmann::json(nullptr) : numbers(f.knots);
    nlohmann::json coefs = nlohmann::json::array();
    for (const auto& c : f.coefficients) coefs.push_back(coefficient_json(c));
    j["coefficients"] = coefs;
    if (!f.ph.empty()) {
      nlohmann::json ph = nlohmann::json::array();
      for (const auto& c : f.ph) ph.push_back(coefficient_json(c));
      j["ph"] = ph;
    } else {
      j["ph"] = nullptr;
    }
    nlohmann::json V = nlohmann::json::array();
    for (Eigen::Index r = 0; r < f.vcov.rows(); ++r) {
      nlohmann::json row = nlohmann::json::array();
      for (Eigen::Index c = 0; c < f.vcov.cols(); ++c) row.push_back(num(f.vcov(r, c)));
      V.push_back(row);
    }
    j["vcov"] = {{"terms", f.terms}, {"matrix", V}};
    nlohmann::json curves = nlohmann::json::array();
    for (std::size_t c = 0; c < fo.curves.size(); ++c) {
      const Extrapolation& e = fo.curves[c];
      const SimulatedCurve* sim = fo.simulated.empty() ? nullptr : &fo.simulated[c];
      curves.push_back({{"group", in.curves[c].group ? nlohmann::json(*in.curves[c].group) : nlohmann::json(nullptr)},
                        {"extrapolation", extrapolation_json(e, sim)},
                        {"median", median_json(e, sim)},
                        {"mean", mean_json(e, horizon, sim)},
                        {"rmst", rmst_json(e, sim)}});
    }
    j["curves"] = curves;
    if (!fo.curves.empty()) {
      j["extrapolation"] = curves[0]["extrapolation"];
      j["extrapolation"]["group"] = curves[0]["group"];
      j["median"] = curves[0]["median"];
      j["mean"] = curves[0]["mean"];
      j["rmst"] = curves[0]["rmst"];
    } else {
      j["extrapolation"] = nullptr;
      j["median"] = nullptr;
      j["mean"] = nullptr;
      j["rmst"] = nullptr;
    }
    jf.push_back(std::move(j));
  }
  out["fits"] = jf;
  return out;
}

void print_text(const ParametricCliOptions& o, const ModelInput& in, const std::vector<FitOutput>& fits,
                double horizon) {
  const SurvData& sd = in.sd;
  double events = 0;
  for (std::size_t i = 0; i < sd.size(); ++i) events += sd.status[i] * sd.w(i);
  const int pct = static_cast<int>(std::lround(o.conf_level * 100));
  fmt::print("Parametric survival models  (data: {})\n", o.data.data);
  fmt::print("{}; events: {}\n", exclusions_text(sd), n_(events, 10));
  std::string model = in.pd.x_names.empty() ? "no covariates"
                                            : "covariates on the location parameter: " + fmt::format("{}", fmt::join(in.pd.x_names, ", "));
  if (!in.pd.z_names.empty()) model += "; on every ancillary parameter: " + fmt::format("{}", fmt::join(in.pd.z_names, ", "));
  if (!o.start.empty()) model += fmt::format("; delayed entry at '{}'", o.start);
  if (sd.weighted()) model += fmt::format("; case weights '{}'", o.data.weights);
  fmt::print("Model: {}\n", model);
  fmt::print("Method: maximum likelihood (Newton-Raphson, analytic gradient and Hessian); SEs from the observed\n"
             "        information; {}% Wald CIs (log scale for positive parameters); S(t) CIs on log(-log S), h(t) on log h\n", pct);

  fmt::print("\nFits ranked by AIC\n");
  fmt::print("{:>5}  {:<14} {:>3} {:>14} {:>12} {:>9} {:>12}  {}\n", "rank", "dist", "k", "loglik", "AIC", "dAIC", "BIC", "converged");
  std::vector<std::size_t> order(fits.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const bool ua = fits[a].usable(), ub = fits[b].usable();
    if (ua != ub) return ua;
    return ua && fits[a].fit.aic < fits[b].fit.aic;
  });
  const double best = fits[order[0]].usable() ? fits[order[0]].fit.aic : 0;
  for (std::size_t k : order) {
    const ParametricFit& f = fits[k].fit;
    if (!fits[k].usable()) {
      fmt::print("{:>5}  {:<14} {:>3} {:>14}  not fitted: {}\n", "-", f.dist, "", "", f.message);
      continue;
    }
    fmt::print("{:>5}  {:<14} {:>3} {:>14.3f} {:>12.3f} {:>9.3f} {:>12.3f}  {}\n", fits[k].rank_aic, f.dist,
               f.npar, f.loglik, f.aic, f.aic - best, f.bic, f.converged ? "yes" : "NO: " + f.message);
  }

  for (std::size_t k : order) {
    const FitOutput& fo = fits[k];
    const ParametricFit& f = fo.fit;
    if (!fo.usable()) continue;
    fmt::print("\n{}  ({})\n", f.dist, effect_scale(f.distribution));
    if (!f.knots.empty()) fmt::print("  knots (log time): {}\n", fmt::join(f.knots, ", "));
    if (!f.message.empty()) fmt::print("  note: {}\n", f.message);
    fmt::print("  {:<22} {:>12} {:>11}  {:<27} {}\n", "term", "estimate", "SE", fmt::format("{}% CI", pct), "exp(effect) (CI)");
    for (const auto& c : f.coefficients) {
      std::string ex = c.effect ? fmt::format("{} ({}, {})", n_(c.exp_estimate), n_(c.exp_lower), n_(c.exp_upper)) : "";
      fmt::print("  {:<22} {:>12} {:>11}  {:<27} {}\n", c.term, n_(c.estimate, 6), n_(c.se, 4),
                 fmt::format("({}, {})", n_(c.lower, 5), n_(c.upper, 5)), ex);
    }
    if (!f.ph.empty()) {
      fmt::print("  PH form (flexsurv weibullPH: h = shape scale t^(shape-1)):\n");
      for (const auto& c : f.ph) {
        std::string ex = c.effect ? fmt::format("HR {} ({}, {})", n_(c.exp_estimate), n_(c.exp_lower), n_(c.exp_upper)) : "";
        fmt::print("  {:<22} {:>12} {:>11}  {:<27} {}\n", c.term, n_(c.estimate, 6), n_(c.se, 4),
                   fmt::format("({}, {})", n_(c.lower, 5), n_(c.upper, 5)), ex);
      }
    }
    for (std::size_t c = 0; c < fo.curves.size(); ++c) {
      const Extrapolation& e = fo.curves[c];
      fmt::print("  curve {}: median {} ({}, {}); mean to {} {} ({}, {}); mean {}", in.curves[c].label,
                 n_(e.median.estimate), n_(e.median.lower), n_(e.median.upper), n_(horizon), n_(e.mean_restricted.estimate),
                 n_(e.mean_restricted.lower), n_(e.mean_restricted.upper),
                 e.mean_finite ? fmt::format("{} ({}, {})", n_(e.mean.estimate), n_(e.mean.lower), n_(e.mean.upper))
                               : "infinite (" + e.mean_note + ")");
      if (e.rmst) fmt::print("; RMST to {} {} ({}, {})", n_(e.rmst_tau), n_(e.rmst->estimate), n_(e.rmst->lower), n_(e.rmst->upper));
      fmt::print("\n");
      if (!fo.simulated.empty()) {
        const SimulatedCurve& s = fo.simulated[c];
        fmt::print("    {} draws: median {} ({}, {}); mean to {} {} ({}, {})\n", o.draws, n_(s.median.estimate),
                   n_(s.median.lower), n_(s.median.upper), n_(horizon), n_(s.mean_restricted.estimate),
                   n_(s.mean_restricted.lower), n_(s.mean_restricted.upper));
      }
    }
  }
}

// ---- files ------------------------------------------------------------------------------------

// One output file, written atomically (a temporary renamed when complete: output.hpp).
void write_text(const std::string& path, const std::string& text) {
  OutputFile file(path);
  file.write(text);
  file.commit();
}

void write_files(const ParametricCliOptions& o, const ModelInput& in, const std::vector<FitOutput>& fits,
                 double horizon) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) throw IoError(fmt::format("cannot create directory {}: {}", o.out, ec.message()));
  const std::string dir = o.out;

  // extrapolation.csv
  {
    const std::string path = dir + "/extrapolation.csv";
    std::string f;
    fmt::format_to(std::back_inserter(f), "dist,group,time,surv,lower,upper,hazard,hazard_lower,hazard_upper,cumhaz{}\n",
               o.draws > 0 ? ",sim_lower,sim_upper" : "");
    for (const FitOutput& fo : fits)
      for (std::size_t c = 0; c < fo.curves.size(); ++c) {
        const Extrapolation& e = fo.curves[c];
        for (std::size_t i = 0; i < e.time.size(); ++i) {
          fmt::format_to(std::back_inserter(f), "{},{},{},{},{},{},{},{},{},{}", fo.fit.dist, csv_text(in.curves[c].label), csv_num(e.time[i]),
                     csv_num(e.surv[i]), csv_num(e.lower[i]), csv_num(e.upper[i]), csv_num(e.hazard[i]),
                     csv_num(e.hazard_lower[i]), csv_num(e.hazard_upper[i]), csv_num(e.cumhaz[i]));
          if (o.draws > 0) fmt::format_to(std::back_inserter(f), ",{},{}", csv_num(fo.simulated[c].lower[i]), csv_num(fo.simulated[c].upper[i]));
          fmt::format_to(std::back_inserter(f), "\n");
        }
      }
    write_text(path, f);
  }
  // coefficients.csv
  {
    const std::string path = dir + "/coefficients.csv";
    std::string f;
    fmt::format_to(std::back_inserter(f), "dist,form,term,parameter,effect,transform,estimate,se,lower,upper,estimate_t,se_t\n");
    for (const FitOutput& fo : fits) {
      auto rows = [&](const std::vector<ParametricCoefficient>& cs, const char* form) {
        for (const auto& c : cs)
          fmt::format_to(std::back_inserter(f), "{},{},{},{},{},{},{},{},{},{},{},{}\n", fo.fit.dist, form, csv_text(c.term), csv_text(c.parameter),
                     c.effect ? 1 : 0, c.transform, csv_num(c.estimate), csv_num(c.se), csv_num(c.lower), csv_num(c.upper),
                     csv_num(c.estimate_t), csv_num(c.se_t));
      };
      rows(fo.fit.coefficients, "fitted");
      rows(fo.fit.ph, "ph");
    }
    write_text(path, f);
  }
  // draws.csv
  if (o.draws > 0) {
    const std::string path = dir + "/draws.csv";
    std::string f;
    fmt::format_to(std::back_inserter(f), "dist,draw,term,value\n");
    for (const FitOutput& fo : fits) {
      if (!fo.usable() || fo.draws.rows() == 0) continue;
      for (Eigen::Index r = 0; r < fo.draws.rows(); ++r) {
        for (Eigen::Index j = 0; j < fo.draws.cols(); ++j)
          fmt::format_to(std::back_inserter(f), "{},{},{},{}\n", fo.fit.dist, r + 1, csv_text(fo.fit.terms[static_cast<std::size_t>(j)]),
                     csv_num(fo.draws(r, j)));
        for (std::size_t c = 0; c < fo.simulated.size(); ++c) {
          const SimulatedCurve& s = fo.simulated[c];
          const std::string& lab = in.curves[c].label;
          const auto rr = static_cast<std::size_t>(r);
          fmt::format_to(std::back_inserter(f), "{},{},{},{}\n", fo.fit.dist, r + 1, csv_text("median[" + lab + "]"), csv_num(s.draw_median[rr]));
          fmt::format_to(std::back_inserter(f), "{},{},{},{}\n", fo.fit.dist, r + 1, csv_text("mean_restricted[" + lab + "]"), csv_num(s.draw_mean_restricted[rr]));
          fmt::format_to(std::back_inserter(f), "{},{},{},{}\n", fo.fit.dist, r + 1, csv_text("mean[" + lab + "]"), csv_num(s.draw_mean[rr]));
          if (!s.draw_rmst.empty())
            fmt::format_to(std::back_inserter(f), "{},{},{},{}\n", fo.fit.dist, r + 1, csv_text("rmst[" + lab + "]"), csv_num(s.draw_rmst[rr]));
        }
      }
    }
    write_text(path, f);
  }

  // figures
  const SurvData& sd = in.sd;
  const std::size_t nc = in.curves.size();
  std::vector<KmCurve> km(nc);
  const bool with_km = sd.start.empty();
  if (with_km) {
    for (std::size_t c = 0; c < nc; ++c) {
      std::vector<double> t, w;
      std::vector<std::uint8_t> s;
      for (std::size_t i = 0; i < sd.size(); ++i)
        if (sd.group.empty() || static_cast<std::size_t>(sd.group[i]) == c) {
          t.push_back(sd.time[i]);
          s.push_back(sd.status[i]);
          if (sd.weighted()) w.push_back(sd.weight[i]);
        }
      km[c] = km_curve(t, s, w);
    }
  }
  const std::vector<std::vector<double>> dashes = {{}, {5, 3}, {1.5, 2}, {6, 2, 1.5, 2}, {3, 3}};
  auto dash_of = [&](std::size_t c) { return dashes[c % dashes.size()]; };
  const plot::Rgb km_grey{0.25, 0.25, 0.25};
  std::vector<double> grid;
  for (int k = 0; k <= 400; ++k) grid.push_back(horizon * k / 400.0);
  std::vector<double> lgrid;  // log-spaced, for the log-cumulative-hazard figure
  double tmin = horizon;
  for (std::size_t i = 0; i < sd.size(); ++i)
    if (sd.status[i]) tmin = std::min(tmin, sd.time[i]);
  for (int k = 0; k <= 300; ++k) lgrid.push_back(tmin * std::pow(horizon / tmin, k / 300.0));

  const std::string xlab = fmt::format("Time ({})", o.data.time);
  plot::LinePlot surv, haz, lch;
  surv.options.x_label = haz.options.x_label = xlab;
  lch.options.x_label = fmt::format("log time ({})", o.data.time);
  surv.options.y_label = "Survival (%)";
  surv.options.percent = true;
  surv.options.y_min = 0;
  surv.options.y_max = 1;
  surv.options.x_min = haz.options.x_min = 0;
  surv.options.x_max = haz.options.x_max = horizon;
  haz.options.y_label = "Hazard";
  haz.options.y_min = 0;
  lch.options.y_label = "log cumulative hazard";
  surv.options.title = "Kaplan-Meier and fitted survival, extrapolated to " + n_(horizon);
  haz.options.title = "Fitted hazards";
  lch.options.title = "log(-log S) against log time (straight: Weibull; parallel: proportional hazards)";
  const std::string foot = with_km ? "" : "Kaplan-Meier not drawn: delayed entry (--start)";
  surv.options.footnote = lch.options.footnote = foot;
  if (with_km)
    for (std::size_t c = 0; c < nc; ++c) {
      plot::LineSeries s{.label = nc > 1 ? "KM: " + in.curves[c].label : "Kaplan-Meier", .step = true, .colour = km_grey,
                         .dash = dash_of(c), .width = 1.0};
      plot::LineSeries l{.label = s.label, .step = true, .colour = km_grey, .dash = dash_of(c), .width = 1.0};
      s.x.push_back(0);
      s.y.push_back(1);
      for (std::size_t i = 0; i < km[c].size(); ++i) {
        s.x.push_back(km[c].time[i]);
        s.y.push_back(km[c].surv[i]);
        if (km[c].surv[i] > 0 && km[c].surv[i] < 1) {
          l.x.push_back(std::log(km[c].time[i]));
          l.y.push_back(std::log(-std::log(km[c].surv[i])));
        }
      }
      surv.series.push_back(std::move(s));
      lch.series.push_back(std::move(l));
    }
  double hmax = 0;
  std::vector<double> lg_x;
  for (double t : lgrid) lg_x.push_back(std::log(t));
  for (std::size_t k = 0; k < fits.size(); ++k) {
    const FitOutput& fo = fits[k];
    if (!fo.usable()) continue;
    const plot::Rgb col = plot::okabe_ito()[k % plot::okabe_ito().size()];
    for (std::size_t c = 0; c < nc; ++c) {
      const std::string lab = nc > 1 ? fo.fit.dist + ": " + in.curves[c].label : fo.fit.dist;
      const ParametricCurve pc = parametric_curve(fo.fit, in.curves[c].at, grid);
      surv.series.push_back({.label = lab, .x = grid, .y = pc.surv, .colour = col, .dash = dash_of(c)});
      haz.series.push_back({.label = lab, .x = grid, .y = pc.hazard, .colour = col, .dash = dash_of(c)});
      for (std::size_t i = 0; i < grid.size(); ++i)
        if (grid[i] >= 0.05 * horizon && std::isfinite(pc.hazard[i])) hmax = std::max(hmax, pc.hazard[i]);
      const ParametricCurve pl = parametric_curve(fo.fit, in.curves[c].at, lgrid);
      std::vector<double> ly;
      for (double h : pl.cumhaz) ly.push_back(h > 0 ? std::log(h) : NAN);
      lch.series.push_back({.label = lab, .x = lg_x, .y = ly, .colour = col, .dash = dash_of(c)});
    }
  }
  if (hmax > 0) haz.options.y_max = 1.1 * hmax;
  for (const auto& fmt_name : o.plot_formats) {
    const plot::Format f = parse_format(fmt_name);
    const std::string ext(plot::extension(f));
    plot::write_figure(plot::render_lines(surv, f), dir + "/survival." + ext);
    plot::write_figure(plot::render_lines(haz, f), dir + "/hazard." + ext);
    plot::write_figure(plot::render_lines(lch, f), dir + "/logcumhaz." + ext);
  }
}

// ---- run --------------------------------------------------------------------------------------

void run(const ParametricCliOptions& o) {
  // options first: a bad flag is a usage error before any data are read
  std::vector<Distribution> dists;
  std::vector<std::string> names = o.dists;
  if (names.empty()) {
    std::string all = default_dists;
    for (std::size_t a = 0, b; a < all.size(); a = b + 1) {
      b = all.find(',', a);
      if (b == std::string::npos) b = all.size();
      names.push_back(all.substr(a, b - a));
    }
  }
  for (const auto& nm : names) {
    const Distribution d = parse_distribution(nm);
    const std::string canon = distribution_name(d);
    if (std::none_of(dists.begin(), dists.end(), [&](const Distribution& x) { return distribution_name(x) == canon; }))
      dists.push_back(d);
  }
  if (!(o.conf_level > 0 && o.conf_level < 1)) throw UsageError("--conf-level must be in (0, 1)");
  if (o.horizon && !(*o.horizon > 0 && std::isfinite(*o.horizon))) throw UsageError("--horizon must be a positive number");
  if (o.step && !(*o.step > 0 && std::isfinite(*o.step))) throw UsageError("--step must be a positive number");
  if (o.rmst && !(*o.rmst > 0 && std::isfinite(*o.rmst))) throw UsageError("--rmst must be a positive number");
  if (o.draws < 0) throw UsageError("--draws must be >= 0");
  if (o.draws > 1000000) throw UsageError("--draws: at most 1000000");
  for (const auto& f : o.plot_formats) parse_format(f);
  if (o.max_iter < 1) throw UsageError("--max-iter must be at least 1");

  ModelInput in = build_input(o);
  const double tmax = *std::max_element(in.pd.time.begin(), in.pd.time.end());
  const double horizon = o.horizon ? *o.horizon : 3 * tmax;
  const double step = o.step ? *o.step : horizon / 100;
  if (horizon / step > 100000) throw UsageError("--horizon / --step gives more than 100000 times");
  ExtrapolationOptions eo;
  for (int k = 0;; ++k) {
    const double t = k * step;
    if (t > horizon * (1 + 1e-12)) break;
    eo.times.push_back(t);
  }
  if (eo.times.back() < horizon * (1 - 1e-12)) eo.times.push_back(horizon);
  eo.horizon = horizon;
  eo.rmst_tau = o.rmst;
  eo.conf_level = o.conf_level;

  ParametricOptions po;
  po.conf_level = o.conf_level;
  po.max_iter = o.max_iter;
  std::vector<ParametricFit> fitted = fit_parametric(in.pd, dists, po);
  std::vector<FitOutput> fits;
  for (auto& f : fitted) {
    FitOutput fo;
    fo.fit = std::move(f);
    if (fo.usable()) {
      if (!fo.fit.converged)
        fmt::print(stderr, "hazard: warning: {}: not converged: {}\n", fo.fit.dist, fo.fit.message);
      for (const Curve& c : in.curves) fo.curves.push_back(extrapolate(fo.fit, c.at, eo));
      if (o.draws > 0 && fo.fit.vcov.allFinite()) {
        fo.draws = draw_parameters(fo.fit, o.draws, o.seed);
        for (const Curve& c : in.curves) fo.simulated.push_back(simulate_extrapolation(fo.fit, c.at, eo, fo.draws));
      } else if (o.draws > 0) {
        fmt::print(stderr, "hazard: warning: {}: no covariance of the estimates, no draws\n", fo.fit.dist);
      }
    } else {
      fmt::print(stderr, "hazard: warning: {}: not fitted: {}\n", fo.fit.dist, fo.fit.message);
    }
    fits.push_back(std::move(fo));
  }
  // ranks
  std::vector<std::size_t> usable;
  for (std::size_t k = 0; k < fits.size(); ++k)
    if (fits[k].usable()) usable.push_back(k);
  if (usable.empty()) throw NumericalError("no distribution could be fitted to these data");
  auto rank_by = [&](auto key, auto setter) {
    std::vector<std::size_t> ord = usable;
    std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) { return key(fits[a]) < key(fits[b]); });
    for (std::size_t r = 0; r < ord.size(); ++r) setter(fits[ord[r]], static_cast<int>(r + 1));
  };
  rank_by([](const FitOutput& f) { return f.fit.aic; }, [](FitOutput& f, int r) { f.rank_aic = r; });
  rank_by([](const FitOutput& f) { return f.fit.bic; }, [](FitOutput& f, int r) { f.rank_bic = r; });

  if (!o.out.empty()) write_files(o, in, fits, horizon);
  if (o.json)
    fmt::print("{}\n", to_json(o, in, fits, horizon, step).dump(2));
  else
    print_text(o, in, fits, horizon);
}

}  // namespace

void register_parametric(CLI::App& app) {
  auto o = std::make_shared<ParametricCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "parametric",
      "Parametric survival models (flexsurv's distributions, Royston-Parmar splines) and their "
      "extrapolation: S(t), h(t), median, mean, RMST, draws for PSA (docs/cli/parametric.md)");
  add_data_options(cmd, o->data);
  cmd->add_option("--start", o->start, "Entry time column (delayed entry / left truncation)");
  cmd->add_option("--covariates", o->covariates, "Further covariates COL[,COL...] on the location parameter")
      ->delimiter(',');
  cmd->add_flag("--strata-shape", o->strata_shape,
                "The --group also acts on every ancillary (shape) parameter: arm-specific shapes");
  cmd->add_option("--dist", o->dists,
                  "Distributions: exponential, weibull, gompertz, lognormal, loglogistic, gengamma, "
                  "rp-hazard:K, rp-odds:K (default exponential,...,gengamma)")
      ->delimiter(',');
  cmd->add_option("--horizon", o->horizon, "Extrapolate to this time (default 3 x the largest observed time)");
  cmd->add_option("--step", o->step, "Spacing of the extrapolation times (default horizon / 100)");
  cmd->add_option("--rmst", o->rmst, "Restricted mean survival time to TAU (with its CI)");
  cmd->add_option("--draws", o->draws, "Draws from the normal distribution of the estimates (PSA); 0 = none");
  cmd->add_option("--seed", o->seed, "Seed of the draws (default 1)");
  cmd->add_option("--conf-level", o->conf_level, "Confidence level (default 0.95)");
  cmd->add_option("--max-iter", o->max_iter, "Newton iterations per fit (default 200)");
  cmd->add_flag("--json", o->json, "Print one JSON document");
  cmd->add_option("--out", o->out,
                  "Directory for extrapolation.csv, coefficients.csv, draws.csv (with --draws) and the "
                  "figures survival, hazard, logcumhaz");
  cmd->add_option("--plot-format", o->plot_formats, "Figure formats svg,png,pdf (default svg)")->delimiter(',');
  cmd->callback([o]() { run(*o); });
}

}  // namespace hazard::cli
