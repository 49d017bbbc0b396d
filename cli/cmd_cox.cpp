// hazard cox: Cox proportional hazards regression (docs/cli/cox.md). Parses flags, reads the
// table, builds the model's data (hazard::cox_model_data), calls hazard::cox_fit and prints; no
// math here.
#include <algorithm>
#include <cstdio>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "text_format.hpp"
#include "hazard/output.hpp"
#include "output_options.hpp"
#include "cox_diagnostics.hpp"
#include "data_options.hpp"
#include "pooled_data.hpp"
#include "hazard/cox.hpp"
#include "hazard/cox_model.hpp"
#include "hazard/error.hpp"
#include "hazard/version.hpp"

namespace hazard::cli {
namespace {

struct CoxCliOptions {
  DataOptions data;
  std::vector<std::string> covariates;
  std::string ties;
  std::string start, offset, cluster;
  bool robust = false;
  int max_iter = 20;
  double eps = 1e-9;
  double conf_level = 0.95;
  std::string compat = "r";
  std::string ph_test;
  std::string residuals;
  std::string out;
  bool baseline = false;
  bool json = false;
  // --cause VALUE with --status COL: the cause-specific hazard of one cause of failure
  std::string cause, status, censor;
  CoxDiagnosticsOptions diag;  // --survfit, --newdata (cox_diagnostics.cpp)
};

std::string fmt_num(double x, int digits = 4) { return general_or_na(x, digits); }
std::string fmt_p(double p) { return p_value_text(p); }

// --residuals TYPE --out FILE: one CSV row per data row (per event for Schoenfeld types), keyed by
// the line of the data file.
void write_residuals(const CoxCliOptions& o, const CoxData& cd, const CoxResult& r, const SurvData& sd) {
  ResidualType t;
  if (o.residuals == "martingale") t = ResidualType::martingale;
  else if (o.residuals == "deviance") t = ResidualType::deviance;
  else if (o.residuals == "score") t = ResidualType::score;
  else if (o.residuals == "schoenfeld") t = ResidualType::schoenfeld;
  else if (o.residuals == "scaledsch") t = ResidualType::scaledsch;
  else if (o.residuals == "dfbeta") t = ResidualType::dfbeta;
  else throw UsageError(fmt::format("--residuals {}: expected martingale, deviance, score, schoenfeld, scaledsch or dfbeta", o.residuals));
  CoxResiduals res = cox_residuals(cd, r, t);
  OutputFile file(o.out);
  CsvWriter csv(file, {.raw = o.diag.csv_raw});
  csv.text("line").text("time");
  if (!sd.strata_levels.empty()) csv.text("stratum");
  for (const auto& c : res.columns) csv.text(c);
  csv.row();
  for (Eigen::Index i = 0; i < res.values.rows(); ++i) {
    const std::size_t row = res.row[static_cast<std::size_t>(i)];
    csv.integer(static_cast<std::int64_t>(sd.line[row])).number(res.time[static_cast<std::size_t>(i)]);
    if (!sd.strata_levels.empty()) csv.text(sd.strata_levels[static_cast<std::size_t>(sd.stratum[row])]);
    for (Eigen::Index j = 0; j < res.values.cols(); ++j) csv.number(res.values(i, j));
    csv.row();
  }
  csv.finish();
  file.commit();
}

// --status COL --cause VALUE: the cause-specific Cox model, failures from other causes censored,
// as coxph(Surv(time, status == VALUE) ~ ...): the data layer's --event COL=VALUE coding.
CoxCliOptions cause_specific(CoxCliOptions o) {
  if (o.cause.empty() && o.status.empty()) {
    if (!o.censor.empty()) throw UsageError("--censor goes with --status COL --cause VALUE");
    return o;
  }
  if (o.status.empty()) throw UsageError("--cause VALUE needs --status COL (the failure cause column)");
  if (o.cause.empty()) throw UsageError("--status COL needs --cause VALUE (the cause of interest)");
  if (!o.data.event.empty() || !o.data.cnsr.empty())
    throw UsageError("--status/--cause code the event (failures from other causes censored); --event "
                     "and --cnsr do not apply");
  if (o.censor.empty()) o.censor = "0";
  if (o.cause == o.censor)
    throw UsageError(fmt::format("--cause {}: that is the censoring value (--censor {})", o.cause, o.censor));
  o.data.event = o.status + "=" + o.cause;
  return o;
}

// The values of the status column other than the censoring value, as text in sorted order.
std::vector<std::string> status_causes(const Column& c, const std::string& censor) {
  std::vector<std::string> out;
  if (c.is_numeric()) {
    double cv = std::nan("");
    try {
      std::size_t used = 0;
      cv = std::stod(censor, &used);
      if (used != censor.size()) cv = std::nan("");
    } catch (const std::exception&) {
    }
    std::vector<double> v;
    for (double x : c.numbers)
      if (x == x && x != cv) v.push_back(x);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    for (double x : v) {
      Column one{.kind = ColumnKind::numeric, .numbers = {x}};
      out.push_back(one.text(0));
    }
  } else {
    std::vector<char> seen(c.levels.size(), 0);
    for (std::int32_t k : c.codes)
      if (k >= 0) seen[static_cast<std::size_t>(k)] = 1;
    for (std::size_t l = 0; l < c.levels.size(); ++l)
      if (seen[l] && c.levels[l] != censor) out.push_back(c.levels[l]);
  }
  return out;
}

// --cause VALUE that no row of the status column has: a data error listing the causes present.
void check_cause(const Table& table, const CoxCliOptions& o) {
  const Column& c = table.at(o.status);
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.is_missing(i)) continue;
    if (c.is_numeric()) {
      try {
        std::size_t used = 0;
        const double want = std::stod(o.cause, &used);
        if (used == o.cause.size() && c.numbers[i] == want) return;
      } catch (const std::exception&) {
        break;  // a text cause in a numeric column: never present
      }
    } else if (c.levels[static_cast<std::size_t>(c.codes[i])] == o.cause) {
      return;
    }
  }
  throw DataError({.file = table.source, .column = o.status},
                  fmt::format("--cause {}: no failure with status '{}' (causes present: {}; censoring value: {})",
                              o.cause, o.cause, fmt::join(status_causes(c, o.censor), ", "), o.censor));
}

std::string cause_specific_text(const CoxCliOptions& o) {
  return fmt::format("cause-specific hazard of {} = {}: failures from other causes censored (as "
                     "coxph(Surv(time, {} == {}) ~ ...))",
                     o.status, o.cause, o.status, o.cause);
}

void run_cox(const CoxCliOptions& given, const Cluster& cluster) {
  const CoxCliOptions o = cause_specific(given);
  if (!o.residuals.empty() && o.out.empty()) throw UsageError("--residuals needs --out FILE.csv");
  refuse_overwrite(o.out, {o.data.data, o.data.adsl, o.diag.newdata}, "--out");
  refuse_overwrite(o.diag.survfit_out, {o.data.data, o.data.adsl, o.diag.newdata}, "--survfit-out");
  if (!o.out.empty() && o.out == o.diag.survfit_out)
    throw UsageError(fmt::format("--out and --survfit-out name the same file {}", o.out));
  // --- options ---
  Ties ties = Ties::efron;
  Compat compat = Compat::r;
  if (o.compat == "sas") {
    compat = Compat::sas;
    ties = Ties::breslow;
  } else if (o.compat != "r") {
    throw UsageError(fmt::format("--compat {}: expected r or sas", o.compat));
  }
  if (!o.ties.empty()) {
    if (o.ties == "efron") ties = Ties::efron;
    else if (o.ties == "breslow") ties = Ties::breslow;
    else if (o.ties == "exact" || o.ties == "discrete") ties = Ties::exact;
    else throw UsageError(fmt::format("--ties {}: expected efron, breslow or exact", o.ties));
  }
  // the model's terms with R's formula meaning (a*b = a + b + a:b), the arm first; its data from
  // the library (cox_model_data, as the R and Python packages build it)
  CoxModelSpec spec{.roles = make_roles(o.data)};
  spec.roles.start = o.start;
  spec.roles.offset = o.offset;
  spec.roles.cluster = o.cluster;
  spec.model = parse_model_terms(o.covariates, o.data.group);
  std::vector<std::string> covs;  // the covariate columns (the arm is the data layer's --group)
  for (auto& v : spec.model.variables) {
    v.ref = ref_for(o.data, v.column);
    if (v.column == o.data.group) continue;
    v.factor = !v.ref.empty();
    covs.push_back(v.column);
  }
  if (spec.model.terms.empty())
    throw UsageError("the model needs --covariates COL[,COL...] and/or --group COL");
  // Several files or MPI ranks: each rank models its own files' rows and the fit sums over the
  // ranks (cox_fit_distributed; docs/scale.md); rank 0 prints.
  const bool several = pooled(o.data, cluster);      // several files, or ranks
  const bool distributed = cluster.size() > 1;      // the fit's sums over the ranks
  if (distributed) {
    if (!o.residuals.empty() || !o.ph_test.empty() || o.baseline || o.diag.survfit || !o.diag.newdata.empty() ||
        !o.diag.survfit_out.empty())
      throw UsageError(
          "--residuals, --ph-test, --baseline and the survival curves (--survfit, --newdata, --survfit-out) need every "
          "row in one process: over MPI ranks hazard cox gives the fit, its tests and "
          "concordance (docs/scale.md)");
    const auto files = data_files(o.data.data);
    if (files.size() < static_cast<std::size_t>(cluster.size()))
      throw UsageError(fmt::format("hazard cox under mpirun -np {} needs at least one --data file per rank ({} given)",
                                   cluster.size(), files.size()));
    spec.roles.require_events = false;  // a rank's rows may have none; the fit checks the whole
  }
  Table table = several ? load_rank_table(o.data, spec.roles, covs, cluster) : load_table(o.data, spec.roles, covs);
  if (!o.cause.empty()) check_cause(table, o);
  const std::size_t table_rows = table.rows();
  CoxModelData m = within_memory(
      [&] {
        // at least the arm's K - 1 indicator columns and one per covariate
        double cols = static_cast<double>(covs.size());
        if (const Column* g = o.data.group.empty() ? nullptr : table.find(o.data.group))
          cols += g->is_numeric() ? 1.0 : static_cast<double>(std::max<std::size_t>(g->levels.size(), 2) - 1);
        return fmt::format("the Cox model's design matrix: {} rows x {} or more columns need {} or more", table_rows,
                           cols, byte_size(8.0 * static_cast<double>(table_rows) * cols));
      },
      // one file: nothing below reads the table's values, so its columns are freed as the
      // model's data take them (several: agree_model reads the table)
      [&] {
        return several ? cox_model_data(table, spec) : cox_model_data_releasing(table, spec);
      });
  std::optional<std::size_t> analysed;  // of all ranks (distributed)
  if (several) {
    // the same model columns on every rank, global strata codes, the counts of the whole
    analysed = agree_model(m, spec.roles, table, o.data.data, cluster);
  }
  // Nothing below reads the table: it is released before the fit, so that the peak memory of a
  // large fit holds one copy of the model's columns (plus the fit's work arrays).
  table = Table{};
  SurvData& sd = m.data;
  CoxData& cd = m.model;
  const Design& design = m.design;
  if (cluster.rank() == 0)
    for (const auto& w : sd.warnings) fmt::print(stderr, "hazard: warning: {}\n", printable(w));
  const std::string rows_text = exclusions_text(sd, analysed);
  const std::size_t n = sd.row.size();
  decltype(sd.row)().swap(sd.row);  // the table rows and group codes have been used
  decltype(sd.group)().swap(sd.group);
  if (o.residuals.empty())
    decltype(sd.line)().swap(sd.line);  // only the residuals file names lines

  // the terms with more than one column, tested jointly (Type 3) after the fit: a categorical
  // covariate with three or more levels, an interaction with a factor
  std::vector<std::size_t> multi;
  {
    std::vector<std::size_t> columns(design.term_names.size(), 0);
    for (std::size_t t : design.term) ++columns[t];
    for (std::size_t t = 0; t < columns.size(); ++t)
      if (columns[t] > 1) multi.push_back(t);
  }
  const bool reads_model_after_fit = !multi.empty() || !o.residuals.empty() || !o.ph_test.empty() ||
                                     o.baseline || o.diag.survfit || !o.diag.newdata.empty() ||
                                     !o.diag.survfit_out.empty();

  const Eigen::Index px = cd.x.cols();  // model columns (a consuming fit empties cd.x)
  CoxOptions opt{.ties = ties, .max_iter = o.max_iter, .eps = o.eps, .robust = o.robust,
                 .conf_level = o.conf_level, .compat = compat};
  CoxResult r = within_memory(
      [&] {
        return fmt::format(
            "the Cox fit of {} rows x {} model columns (its work arrays hold several copies of the "
            "{} design matrix and a {} x {} information matrix)",
            n, px, byte_size(8.0 * static_cast<double>(n) * static_cast<double>(px)), px, px);
      },
      [&] {
        if (distributed) return cox_fit_distributed(cd, opt, cluster);
        // the default summary reads nothing of the model's data after the fit: the fit may
        // consume them (one copy of the covariates in memory instead of two)
        if (!reads_model_after_fit) return cox_fit_releasing(cd, opt);
        return cox_fit(cd, opt);
      });
  // reads and checks --newdata now; the curves are computed and written after the summary
  const CoxCurveWriter curves(o.diag, o.data, sd, design, cd, r, o.offset, o.conf_level);

  // terms for the PH test: the arm, then one per covariate column
  std::optional<PhTest> ph;
  if (!o.ph_test.empty()) {
    ZphTransform tr = ZphTransform::km;
    if (o.ph_test == "identity") tr = ZphTransform::identity;
    else if (o.ph_test == "rank") tr = ZphTransform::rank;
    else if (o.ph_test == "log") tr = ZphTransform::log;
    else if (o.ph_test != "km") throw UsageError(fmt::format("--ph-test {}: expected km, identity, rank or log", o.ph_test));
    ph = cox_zph(cd, r, tr, m.term, m.term_names);
  }

  // joint (Type 3) tests of the terms with more than one column (multi, above)
  std::vector<CoxTermTest> term_tests;
  if (!multi.empty())
    term_tests = cox_term_tests(cd, r, design.term, design.term_names, opt, multi,
                                distributed ? &cluster : nullptr);

  if (cluster.rank() != 0) return;  // every rank took part in the fits; rank 0 prints
  for (const auto& w : r.warnings) fmt::print(stderr, "hazard: warning: {}\n", printable(w));

  if (!o.residuals.empty()) write_residuals(o, cd, r, sd);

  auto test_json = [](const CoxTest& t) { return nlohmann::json{{"stat", num(t.stat)}, {"df", t.df}, {"p", num(t.p)}}; };
  if (o.json) {
    nlohmann::json j;
    j["command"] = "cox";
    j["hazard_version"] = version();
    j["data"] = o.data.data;
    j["n_read"] = sd.n_read;
    j["n_filtered"] = sd.n_filtered;
    j["n"] = r.n;
    j["events"] = r.events;
    j["excluded"] = exclusions_json(sd.excluded);
    j["cause"] = o.cause.empty() ? nlohmann::json(nullptr)
                                 : nlohmann::json{{"status_column", o.status},
                                                  {"cause", o.cause},
                                                  {"censor", o.censor},
                                                  {"method", cause_specific_text(o)}};
    j["time_units"] = analysis_units(o.data).empty() ? nlohmann::json(nullptr)
                                                     : nlohmann::json(analysis_units(o.data));
    j["ties"] = to_string(r.ties);
    j["compat"] = compat == Compat::sas ? "sas" : "r";
    j["convergence"] = compat == Compat::sas
                           ? nlohmann::json{{"criterion", "relative gradient (SAS GCONV)"}, {"value", opt.gconv}}
                           : nlohmann::json{{"criterion", "relative change of the log partial likelihood"}, {"value", opt.eps}};
    j["iterations"] = r.iterations;
    // false too when a coefficient ran to infinity (its term is not estimable)
    j["converged"] = r.converged && !r.diverged;
    j["loglik_converged"] = r.converged;
    j["robust"] = r.robust;
    j["conf_level"] = o.conf_level;
    j["strata"] = sd.strata_levels;
    j["loglik"] = {num(r.loglik0), num(r.loglik)};
    nlohmann::json coefs = nlohmann::json::array();
    for (const auto& t : r.terms)
      coefs.push_back({{"term", t.term}, {"estimable", t.estimable},
                       {"not_estimable", t.estimable ? nlohmann::json(nullptr) : nlohmann::json(t.not_estimable)},
                       {"coef", num(t.coef)}, {"se", num(t.se)},
                       {"robust_se", r.robust ? num(t.robust_se) : nlohmann::json(nullptr)},
                       {"z", num(t.z)}, {"p", num(t.p)}, {"hr", num(t.hr)}, {"lower", num(t.lower)},
                       {"upper", num(t.upper)}});
    j["coefficients"] = coefs;
    j["tests"] = {{"lr", test_json(r.lr)}, {"wald", test_json(r.wald)}, {"score", test_json(r.score)},
                  {"robust_score", r.robust_score ? test_json(*r.robust_score) : nlohmann::json(nullptr)}};
    nlohmann::json tt = nlohmann::json::array();
    for (const auto& t : term_tests)
      tt.push_back({{"term", t.term}, {"wald", test_json(t.wald)}, {"lr", test_json(t.lr)}});
    j["term_tests"] = tt;
    j["concordance"] = {{"estimate", num(r.concordance.estimate)}, {"std_err", num(r.concordance.std_err)},
                        {"concordant", r.concordance.concordant}, {"discordant", r.concordance.discordant},
                        {"tied_risk", r.concordance.tied_x}, {"tied_time", r.concordance.tied_y},
                        {"tied_risk_time", r.concordance.tied_xy}};
    j["means"] = std::vector<double>(r.means.data(), r.means.data() + r.means.size());
    nlohmann::json var = nlohmann::json::array();
    for (Eigen::Index a = 0; a < r.var.rows(); ++a) {
      nlohmann::json row = nlohmann::json::array();
      for (Eigen::Index b = 0; b < r.var.cols(); ++b) row.push_back(num(r.var(a, b)));
      var.push_back(row);
    }
    j["var"] = var;
    if (ph) {
      nlohmann::json terms = nlohmann::json::array();
      for (const auto& t : ph->terms) terms.push_back({{"term", t.term}, {"chisq", num(t.chisq)}, {"df", t.df}, {"p", num(t.p)}});
      j["ph_test"] = {{"transform", to_string(ph->transform)}, {"terms", terms},
                      {"global", {{"chisq", num(ph->global.chisq)}, {"df", ph->global.df}, {"p", num(ph->global.p)}}}};
    }
    if (o.baseline) {
      CoxBaseline bl = cox_baseline(cd, r);
      nlohmann::json arr = nlohmann::json::array();
      for (std::size_t i = 0; i < bl.time.size();) {
        std::size_t e = i;
        while (e < bl.time.size() && bl.stratum[e] == bl.stratum[i]) ++e;
        auto slice = [&](const std::vector<double>& v) {
          return std::vector<double>(v.begin() + static_cast<std::ptrdiff_t>(i), v.begin() + static_cast<std::ptrdiff_t>(e));
        };
        arr.push_back({{"stratum", sd.strata_levels.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(sd.strata_levels[static_cast<std::size_t>(bl.stratum[i])])},
                       {"time", slice(bl.time)}, {"n_risk", slice(bl.n_risk)}, {"n_event", slice(bl.n_event)},
                       {"cumhaz", slice(bl.cumhaz)}, {"surv", slice(bl.surv)}});
        i = e;
      }
      j["baseline"] = arr;
    }
    std::vector<std::string> warnings = sd.warnings;  // the data's (a group without events), then the fit's
    warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());
    j["warnings"] = warnings;
    std::string text = json_text(j);
    if (curves.wanted()) {
      // the curves are streamed as the document's last member, each as it is computed
      text.pop_back();  // "}"
      while (!text.empty() && text.back() == '\n') text.pop_back();
      fmt::print("{},\n  ", text);
      curves.write(stdout, true);
      fmt::print("\n}}\n");
    } else {
      fmt::print("{}\n", text);
    }
    return;
  }

  // --- human-readable, as summary(coxph) ---
  fmt::print("Cox proportional hazards regression (hazard {})\n", version());
  fmt::print("  data: {}  ({})\n", printable(o.data.data), rows_text);
  if (!units_text(o.data).empty()) fmt::print("  {}\n", units_text(o.data));
  if (!o.cause.empty()) fmt::print("  {}\n", cause_specific_text(o));
  fmt::print("  n = {}, number of events = {}", r.n, r.events);
  if (!sd.strata_levels.empty()) fmt::print(", strata: {}", sd.strata_levels.size());
  fmt::print("\n  ties: {}", to_string(r.ties));
  if (compat == Compat::sas)
    fmt::print("; SAS PHREG conventions (--compat sas): Breslow ties by default, convergence when the relative gradient < {:g}", opt.gconv);
  fmt::print("\n  iterations: {}{}\n", r.iterations, r.converged ? "" : " (did not converge)");
  if (r.diverged)
    fmt::print("  not converged: a coefficient runs to infinity (monotone likelihood); NE = not estimable\n");
  fmt::print("\n");
  std::size_t w = 4;
  for (const auto& t : r.terms) w = std::max(w, printable(t.term).size());
  if (r.robust)
    fmt::print("{:<{}}  {:>10} {:>10} {:>10} {:>10} {:>8} {:>10}\n", "", w, "coef", "exp(coef)", "se(coef)", "robust se", "z", "Pr(>|z|)");
  else
    fmt::print("{:<{}}  {:>10} {:>10} {:>10} {:>8} {:>10}\n", "", w, "coef", "exp(coef)", "se(coef)", "z", "Pr(>|z|)");
  // a term that is not estimable prints NE in every column (aliased columns NA, as R)
  auto ne = [](const CoxTerm& t, const std::string& text) {
    return t.estimable ? text : std::string(t.not_estimable == "aliased" ? "NA" : "NE");
  };
  for (const auto& t : r.terms) {
    if (r.robust)
      fmt::print("{:<{}}  {:>10} {:>10} {:>10} {:>10} {:>8} {:>10}\n", printable(t.term), w, ne(t, fmt_num(t.coef)),
                 ne(t, fmt_num(t.hr)), ne(t, fmt_num(t.se)), ne(t, fmt_num(t.robust_se)), ne(t, fmt_num(t.z, 3)),
                 ne(t, fmt_p(t.p)));
    else
      fmt::print("{:<{}}  {:>10} {:>10} {:>10} {:>8} {:>10}\n", printable(t.term), w, ne(t, fmt_num(t.coef)),
                 ne(t, fmt_num(t.hr)), ne(t, fmt_num(t.se)), ne(t, fmt_num(t.z, 3)), ne(t, fmt_p(t.p)));
  }
  const int pct = static_cast<int>(std::lround(o.conf_level * 100));
  fmt::print("\n{:<{}}  {:>10} {:>10} {:>10} {:>10}\n", "", w, "exp(coef)", "exp(-coef)", fmt::format("lower .{}", pct),
             fmt::format("upper .{}", pct));
  for (const auto& t : r.terms)
    fmt::print("{:<{}}  {:>10} {:>10} {:>10} {:>10}\n", printable(t.term), w, ne(t, fmt_num(t.hr)), ne(t, fmt_num(1 / t.hr)),
               ne(t, fmt_num(t.lower)), ne(t, fmt_num(t.upper)));
  fmt::print("\nConcordance= {:.3f}  (se = {:.3f})\n", r.concordance.estimate, r.concordance.std_err);
  fmt::print("Likelihood ratio test= {:.2f}  on {:g} df,   p={}\n", r.lr.stat, r.lr.df, fmt_p(r.lr.p));
  if (std::isfinite(r.wald.stat))
    fmt::print("Wald test            = {:.2f}  on {:g} df,   p={}\n", r.wald.stat, r.wald.df, fmt_p(r.wald.p));
  else
    fmt::print("Wald test            = NE (a coefficient is not estimable)\n");
  fmt::print("Score (logrank) test = {:.2f}  on {:g} df,   p={}\n", r.score.stat, r.score.df, fmt_p(r.score.p));
  if (r.robust_score)
    fmt::print("Robust score test    = {:.2f}  on {:g} df,   p={}\n", r.robust_score->stat, r.robust_score->df,
               fmt_p(r.robust_score->p));
  if (r.robust) fmt::print("  (Note: the likelihood ratio and score tests assume independence of observations within a cluster,\n   the Wald and robust score tests do not).\n");
  fmt::print("Log partial likelihood: {:.6f} (beta = 0), {:.6f} (estimate)\n", r.loglik0, r.loglik);
  if (!term_tests.empty()) {
    std::size_t tw = 4;
    for (const auto& t : term_tests) tw = std::max(tw, t.term.size());
    fmt::print("\nJoint tests of the terms with several columns (Type 3, as SAS PHREG / car::Anova):\n"
               "Wald on the term's coefficients{}; LR against the model refitted without them\n",
               r.robust ? " (robust variance)" : "");
    fmt::print("{:<{}}  {:>4} {:>10} {:>10} {:>10} {:>10}\n", "", tw, "df", "Wald", "p", "LR", "p");
    for (const auto& t : term_tests)
      fmt::print("{:<{}}  {:>4g} {:>10} {:>10} {:>10} {:>10}\n", t.term, tw, t.wald.df,
                 std::isfinite(t.wald.stat) ? fmt::format("{:.2f}", t.wald.stat) : "NE", fmt_p(t.wald.p),
                 std::isfinite(t.lr.stat) ? fmt::format("{:.2f}", t.lr.stat) : "NE", fmt_p(t.lr.p));
  }
  if (o.baseline) {
    CoxBaseline bl = cox_baseline(cd, r);
    fmt::print("\nBaseline cumulative hazard and survival at the covariate means (as R's basehaz / survfit.coxph)\n");
    fmt::print("{:>12} {:>10} {:>8} {:>12} {:>10}\n", "time", "n.risk", "n.event", "cumhaz", "surv");
    for (std::size_t i = 0; i < bl.time.size(); ++i) {
      if (!sd.strata_levels.empty() && (i == 0 || bl.stratum[i] != bl.stratum[i - 1]))
        fmt::print("  {}\n", printable(sd.strata_levels[static_cast<std::size_t>(bl.stratum[i])]));
      fmt::print("{:>12} {:>10} {:>8} {:>12} {:>10}\n", fmt_num(bl.time[i], 6), fmt_num(bl.n_risk[i], 6),
                 fmt_num(bl.n_event[i], 6), fmt_num(bl.cumhaz[i], 6), fmt_num(bl.surv[i], 6));
    }
  }
  if (ph) {
    fmt::print("\nTest of proportional hazards (Grambsch-Therneau, as R's cox.zph; transform: {})\n", to_string(ph->transform));
    std::size_t tw = 6;
    for (const auto& t : ph->terms) tw = std::max(tw, printable(t.term).size());
    fmt::print("{:<{}}  {:>10} {:>4} {:>10}\n", "", tw, "chisq", "df", "p");
    for (const auto& t : ph->terms)
      fmt::print("{:<{}}  {:>10} {:>4g} {:>10}\n", printable(t.term), tw, fmt_num(t.chisq), t.df, fmt_p(t.p));
    fmt::print("{:<{}}  {:>10} {:>4g} {:>10}\n", "GLOBAL", tw, fmt_num(ph->global.chisq), ph->global.df, fmt_p(ph->global.p));
  }
  curves.write(stdout, false);
}

}  // namespace

void register_cox(CLI::App& app, const Cluster& cluster) {
  auto o = std::make_shared<CoxCliOptions>();
  CLI::App* cmd = app.add_subcommand("cox", "Cox proportional hazards regression (as R's coxph / SAS PROC PHREG)");
  add_data_options(cmd, o->data);
  cmd->add_option("--covariates", o->covariates,
                  "Covariate columns, comma-separated: numeric = one term, text = one term per non-reference level COL[LEVEL]")
      ->delimiter(',');
  cmd->add_option("--ties", o->ties, "Tied event times: efron (default, as R), breslow (SAS default), exact (= SAS DISCRETE)");
  cmd->add_option("--start", o->start, "Entry-time column: counting-process (start, stop] rows");
  cmd->add_option("--offset", o->offset, "Offset column (coefficient fixed at 1)");
  cmd->add_option("--cluster", o->cluster, "Cluster column: robust (sandwich) variance summed within cluster");
  cmd->add_flag("--robust", o->robust, "Robust (sandwich) variance and robust score test");
  cmd->add_option("--max-iter", o->max_iter, "Maximum Newton-Raphson iterations (default 20)");
  cmd->add_option("--eps", o->eps, "Convergence: relative change of the log partial likelihood (default 1e-9)");
  cmd->add_option("--conf-level", o->conf_level, "Confidence level of the hazard-ratio intervals (default 0.95)");
  cmd->add_option("--compat", o->compat, "r (default) or sas: SAS PHREG defaults (Breslow ties, GCONV=1e-8)");
  cmd->add_option("--ph-test", o->ph_test,
                  "Proportional-hazards test (R's cox.zph) with time transform km, identity, rank or log");
  cmd->add_option("--residuals", o->residuals,
                  "Write residuals to --out: martingale, deviance, score, schoenfeld, scaledsch or dfbeta (as R's residuals.coxph)");
  cmd->add_option("--out", o->out, "CSV file for --residuals");
  add_csv_raw_flag(cmd, o->diag.csv_raw);
  cmd->add_flag("--baseline", o->baseline,
                "Baseline cumulative hazard and survival per stratum at the covariate means (R's basehaz)");
  cmd->add_flag("--json", o->json, "Write the results as JSON (docs/cli/cox.md)");
  cmd->add_option("--status", o->status,
                  "Competing risks: the failure cause column (with --cause; instead of --event)");
  cmd->add_option("--cause", o->cause,
                  "Competing risks: the cause-specific hazard of this --status value (other causes censored)");
  cmd->add_option("--censor", o->censor, "With --status: the value meaning censored (default 0)");
  add_cox_diagnostics_options(cmd, o->diag);
  cmd->callback([o, &cluster] { run_cox(*o, cluster); });
}

}  // namespace hazard::cli
