// The R package's compiled part (Rcpp): a data frame's columns become a hazard::Table, the
// arguments the library's roles and options; the library's results come back as lists of numeric
// and character vectors, which R/*.R arranges as survival's objects are arranged. No math here:
// every number comes from the library (installed hazard::core, found by ../configure).
//
// Columns arrive as a named list: a double vector (NA = missing) for a numeric column, or a
// factor (integer codes and a "levels" attribute, NA = missing) for a categorical one, whose level
// order is kept (the first level is the reference, as in R).
//
// A hazard error comes back as list(hazard_error = KIND, message, row, column, value); the R side
// signals it as a condition of class hazard_<kind>_error (R/conditions.R).
#include <Rcpp.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "hazard/columns.hpp"
#include "hazard/cox.hpp"
#include "hazard/cox_model.hpp"
#include "hazard/design.hpp"
#include "hazard/design_settings.hpp"
#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "hazard/logrank.hpp"
#include "hazard/reconstruct.hpp"
#include "hazard/simulate.hpp"
#include "hazard/simulation_settings.hpp"
#include "hazard/survdata.hpp"
#include "hazard/version.hpp"

using Rcpp::_;
using Rcpp::CharacterVector;
using Rcpp::IntegerVector;
using Rcpp::List;
using Rcpp::LogicalVector;
using Rcpp::NumericVector;

namespace {

// ------------------------------------------------------------------------------------- data in

hazard::Table table_of(const std::string& source, const List& columns) {
  std::vector<hazard::Column> cols;
  const CharacterVector names = columns.names();
  for (R_xlen_t j = 0; j < columns.size(); ++j) {
    std::string name = Rcpp::as<std::string>(names[j]);
    SEXP x = columns[j];
    if (Rf_isFactor(x)) {
      const IntegerVector codes(x);
      std::vector<std::int32_t> c(codes.size());
      for (R_xlen_t i = 0; i < codes.size(); ++i) c[i] = codes[i] == NA_INTEGER ? -1 : codes[i] - 1;
      const auto levels = Rcpp::as<std::vector<std::string>>(codes.attr("levels"));
      cols.push_back(hazard::categorical_column(std::move(name), levels, std::move(c)));
    } else {
      const NumericVector v(x);  // R's NA_real_ is a NaN: missing
      cols.push_back(hazard::numeric_column(std::move(name), std::vector<double>(v.begin(), v.end())));
    }
  }
  return hazard::make_table(source, std::move(cols));
}

std::string str(const List& l, const char* key) {
  if (!l.containsElementNamed(key) || Rf_isNull(l[key])) return {};
  return Rcpp::as<std::string>(l[key]);
}

template <class T>
T get(const List& l, const char* key, T fallback) {
  if (!l.containsElementNamed(key) || Rf_isNull(l[key])) return fallback;
  return Rcpp::as<T>(l[key]);
}

template <class T>
std::optional<T> opt(const List& l, const char* key) {
  if (!l.containsElementNamed(key) || Rf_isNull(l[key])) return std::nullopt;
  return Rcpp::as<T>(l[key]);
}

// roles: time, start, event, coding, event_value, group, ref, strata, weights, offset, cluster
hazard::Roles roles_of(const List& r) {
  hazard::Roles out;
  out.time = str(r, "time");
  out.start = str(r, "start");
  out.event = str(r, "event");
  const std::string coding = str(r, "coding");
  out.coding = coding == "equals" ? hazard::EventCoding::equals
               : coding == "cnsr" ? hazard::EventCoding::cnsr
                                  : hazard::EventCoding::indicator;
  out.event_value = str(r, "event_value");
  out.group = str(r, "group");
  out.ref = str(r, "ref");
  out.strata = get<std::vector<std::string>>(r, "strata", {});
  out.weights = str(r, "weights");
  out.offset = str(r, "offset");
  out.cluster = str(r, "cluster");
  return out;
}

// ------------------------------------------------------------------------------------ data out

SEXP na_string() { return CharacterVector::create(NA_STRING); }

NumericVector num(const std::vector<double>& v) { return NumericVector(v.begin(), v.end()); }
NumericVector num(const Eigen::VectorXd& v) { return NumericVector(v.data(), v.data() + v.size()); }

Rcpp::NumericMatrix matrix(const Eigen::MatrixXd& m) {
  Rcpp::NumericMatrix out(static_cast<int>(m.rows()), static_cast<int>(m.cols()));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) out(static_cast<int>(i), static_cast<int>(j)) = m(i, j);
  return out;
}

List rows_list(const hazard::SurvData& d) {
  std::vector<std::string> reason;
  std::vector<double> count;
  for (const auto& [r, c] : d.excluded.reasons) {
    reason.push_back(r);
    count.push_back(static_cast<double>(c));
  }
  NumericVector reasons = num(count);
  reasons.attr("names") = reason;
  return List::create(_["n"] = static_cast<double>(d.size()), _["n_read"] = static_cast<double>(d.n_read),
                      _["n_filtered"] = static_cast<double>(d.n_filtered),
                      _["excluded"] = static_cast<double>(d.excluded.count), _["excluded_reasons"] = reasons);
}

// Runs `f`, turning hazard's exceptions into a list the R side signals as a condition.
template <class F>
SEXP guarded(F&& f) {
  auto error = [](const char* kind, const std::string& message) {
    return List::create(_["hazard_error"] = kind, _["message"] = message);
  };
  try {
    return f();
  } catch (const hazard::DataError& e) {
    const hazard::Location& w = e.where();
    List l = error("data", e.what());
    l["row"] = w.line > 0 ? Rcpp::wrap(static_cast<double>(w.line)) : Rcpp::wrap(NA_REAL);
    l["column"] = w.column.empty() ? na_string() : Rcpp::wrap(w.column);
    l["value"] = w.has_value ? Rcpp::wrap(w.value) : na_string();
    l["reason"] = e.message();
    return l;
  } catch (const hazard::UsageError& e) {
    return error("usage", e.what());
  } catch (const hazard::NumericalError& e) {
    return error("numerical", e.what());
  } catch (const hazard::IoError& e) {
    return error("io", e.what());
  } catch (const nlohmann::json::exception& e) {
    return error("usage", std::string("scenario: ") + e.what());
  }
}

}  // namespace

// [[Rcpp::export(.hz_version)]]
std::string hz_version(bool text) { return text ? hazard::version_text() : hazard::version(); }

// -------------------------------------------------------------------------------- Kaplan–Meier

// [[Rcpp::export(.hz_km)]]
SEXP hz_km(std::string source, List columns, List roles, List options) {
  return guarded([&]() -> SEXP {
    hazard::KmOptions o;
    o.conf_type = hazard::parse_conf_type(str(options, "conf_type"));
    o.conf_level = get<double>(options, "conf_level", 0.95);
    o.times = get<std::vector<double>>(options, "times", {});
    o.rmst_tau = opt<double>(options, "rmst_tau");
    o.quantiles = get<std::vector<double>>(options, "quantiles", {0.25, 0.5, 0.75});
    hazard::check_km_options(o);
    hazard::SurvData data;
    {
      const hazard::Table table = table_of(source, columns);
      hazard::Roles km_roles = roles_of(roles);
      km_roles.require_events = false;  // as survfit: a curve without events is a flat curve
      data = hazard::build_surv_data(table, km_roles);
    }
    const hazard::KmResult r = hazard::kaplan_meier(data, o);
    List groups(r.groups.size());
    for (std::size_t k = 0; k < r.groups.size(); ++k) {
      const hazard::KmGroup& g = r.groups[k];
      const hazard::KmCurve& c = g.curve;
      std::vector<double> qp, qe, ql, qu, at_t, at_n, at_s, at_se, at_l, at_u;
      for (const auto& q : g.quantiles) {
        qp.push_back(q.p);
        qe.push_back(q.estimate);
        ql.push_back(q.lower);
        qu.push_back(q.upper);
      }
      for (const auto& a : g.at) {
        at_t.push_back(a.time);
        at_n.push_back(a.n_risk);
        at_s.push_back(a.surv);
        at_se.push_back(a.std_err);
        at_l.push_back(a.lower);
        at_u.push_back(a.upper);
      }
      List rmst;
      if (g.rmst)
        rmst = List::create(_["tau"] = g.rmst->tau, _["estimate"] = g.rmst->estimate,
                            _["std_err"] = g.rmst->std_err, _["lower"] = g.rmst->lower, _["upper"] = g.rmst->upper);
      groups[k] = List::create(
          _["group"] = g.level ? Rcpp::wrap(*g.level) : na_string(), _["n"] = static_cast<double>(g.n),
          _["events"] = g.events,
          _["table"] = List::create(_["time"] = num(c.time), _["n_risk"] = num(c.n_risk), _["n_event"] = num(c.n_event),
                                    _["n_censor"] = num(c.n_censor), _["surv"] = num(c.surv),
                                    _["std_err"] = num(c.std_err), _["se_log"] = num(c.se_log),
                                    _["lower"] = num(c.lower), _["upper"] = num(c.upper), _["cumhaz"] = num(c.cumhaz)),
          _["median"] = NumericVector::create(_["estimate"] = g.median.estimate, _["lower"] = g.median.lower,
                                              _["upper"] = g.median.upper),
          _["quantiles"] = List::create(_["p"] = num(qp), _["estimate"] = num(qe), _["lower"] = num(ql),
                                        _["upper"] = num(qu)),
          _["at"] = List::create(_["time"] = num(at_t), _["n_risk"] = num(at_n), _["surv"] = num(at_s),
                                 _["std_err"] = num(at_se), _["lower"] = num(at_l), _["upper"] = num(at_u)),
          _["rmst"] = g.rmst ? Rcpp::wrap(rmst) : R_NilValue);
    }
    List out = rows_list(data);
    out["conf_type"] = hazard::conf_type_name(r.conf_type);
    out["conf_level"] = r.conf_level;
    out["weighted"] = r.weighted;
    out["groups"] = groups;
    if (r.rmst_difference) {
      const auto& d = *r.rmst_difference;
      out["rmst_difference"] =
          List::create(_["estimate"] = d.estimate, _["std_err"] = d.std_err, _["lower"] = d.lower,
                       _["upper"] = d.upper, _["z"] = d.z, _["p"] = d.p);
    }
    return out;
  });
}

// ------------------------------------------------------------------------------------ log-rank

// [[Rcpp::export(.hz_logrank)]]
SEXP hz_logrank(std::string source, List columns, List roles, double rho, double gamma) {
  return guarded([&]() -> SEXP {
    hazard::SurvData data;
    {
      const hazard::Table table = table_of(source, columns);
      data = hazard::build_surv_data(table, roles_of(roles));
    }
    const hazard::LogrankResult r = hazard::logrank(data, {.rho = rho, .gamma = gamma});
    const auto& s = r.stats;
    const std::size_t K = s.n_groups;
    const hazard::LogrankGroupColumns c = hazard::logrank_group_columns(s);
    std::vector<double> n(K);
    for (std::size_t k = 0; k < K; ++k) n[k] = static_cast<double>(s.n[k]);
    Rcpp::NumericMatrix var(static_cast<int>(K), static_cast<int>(K));
    for (std::size_t j = 0; j < K; ++j)
      for (std::size_t k = 0; k < K; ++k) var(static_cast<int>(j), static_cast<int>(k)) = s.var(j, k);
    List out = rows_list(data);
    out["n"] = static_cast<double>(r.n);
    out["levels"] = data.group_levels;
    out["n_group"] = num(n);
    out["observed"] = num(s.observed);
    out["expected"] = num(s.expected);
    out["oe2_over_e"] = num(c.oe2_over_e);
    out["oe2_over_v"] = num(c.oe2_over_v);
    out["variance"] = var;
    out["chisq"] = r.test.chisq;
    out["df"] = r.test.df;
    out["p"] = r.test.p;
    out["z"] = r.test.z;
    out["p_one_sided"] = r.test.p_one_sided;
    out["weighted"] = s.weighted;
    out["strata"] = data.strata_levels;
    return out;
  });
}

// ----------------------------------------------------------------------------------------- Cox

// covariates: list(column = chr, factor = lgl) in model order
// [[Rcpp::export(.hz_cox)]]
SEXP hz_cox(std::string source, List columns, List roles, CharacterVector covariates, List options) {
  return guarded([&]() -> SEXP {
    hazard::CoxModelSpec spec{.roles = roles_of(roles)};
    for (R_xlen_t j = 0; j < covariates.size(); ++j)
      spec.covariates.push_back({.column = Rcpp::as<std::string>(covariates[j])});
    hazard::CoxOptions o;
    const std::string ties = str(options, "ties");
    if (ties == "breslow") o.ties = hazard::Ties::breslow;
    else if (ties == "exact") o.ties = hazard::Ties::exact;
    else if (ties != "efron") throw hazard::UsageError("ties = \"" + ties + "\": expected efron, breslow or exact");
    o.robust = get<bool>(options, "robust", false);
    o.max_iter = get<int>(options, "iter_max", 20);
    o.eps = get<double>(options, "eps", 1e-9);
    o.conf_level = get<double>(options, "conf_level", 0.95);
    hazard::CoxModelData m;
    {
      const hazard::Table table = table_of(source, columns);
      m = hazard::cox_model_data(table, spec);
    }
    const hazard::CoxResult r = hazard::cox_fit(m.model, o);
    std::vector<std::string> term, coef_term;
    std::vector<double> coef, se, robust_se, z, p, hr, lower, upper;
    for (const auto& t : r.terms) {
      term.push_back(t.term);
      coef.push_back(t.coef);
      se.push_back(t.se);
      robust_se.push_back(r.robust ? t.robust_se : NA_REAL);
      z.push_back(t.z);
      p.push_back(t.p);
      hr.push_back(t.hr);
      lower.push_back(t.lower);
      upper.push_back(t.upper);
    }
    for (std::size_t t : m.term) coef_term.push_back(m.term_names[t]);
    auto test = [](const hazard::CoxTest& t) {
      return NumericVector::create(_["stat"] = t.stat, _["df"] = t.df, _["p"] = t.p);
    };
    List out = rows_list(m.data);
    out["n"] = static_cast<double>(r.n);
    out["events"] = r.events;
    out["ties"] = hazard::to_string(r.ties);
    out["iterations"] = r.iterations;
    out["converged"] = r.converged;
    out["robust"] = r.robust;
    out["conf_level"] = o.conf_level;
    out["strata"] = m.data.strata_levels;
    out["loglik"] = NumericVector::create(r.loglik0, r.loglik);
    out["coefficients"] = List::create(_["term"] = term, _["model_term"] = coef_term, _["coef"] = num(coef),
                                       _["se"] = num(se), _["robust_se"] = num(robust_se), _["z"] = num(z),
                                       _["p"] = num(p), _["hr"] = num(hr), _["lower"] = num(lower),
                                       _["upper"] = num(upper));
    out["tests"] = List::create(_["lr"] = test(r.lr), _["wald"] = test(r.wald), _["score"] = test(r.score),
                                _["robust_score"] = r.robust_score ? Rcpp::wrap(test(*r.robust_score)) : R_NilValue);
    const auto& c = r.concordance;
    out["concordance"] = NumericVector::create(
        _["concordant"] = c.concordant, _["discordant"] = c.discordant, _["tied.x"] = c.tied_x,
        _["tied.y"] = c.tied_y, _["tied.xy"] = c.tied_xy, _["concordance"] = c.estimate, _["std"] = c.std_err);
    out["means"] = num(r.means);
    out["var"] = matrix(r.var);
    out["naive_var"] = r.robust ? Rcpp::wrap(matrix(r.var)) : R_NilValue;
    out["robust_var"] = r.robust ? Rcpp::wrap(matrix(r.robust_var)) : R_NilValue;
    out["linear_predictors"] = num(r.linear_predictor);
    out["warnings"] = r.warnings;
    return out;
  });
}

// -------------------------------------------------------------------------------------- design

// [[Rcpp::export(.hz_design)]]
SEXP hz_design(List a) {
  return guarded([&]() -> SEXP {
    hazard::DesignSettings s;
    s.hr = opt<double>(a, "hr");
    s.median_control = opt<double>(a, "median_control");
    s.median_experimental = opt<double>(a, "median_experimental");
    s.alpha = get<double>(a, "alpha", s.alpha);
    s.power = get<double>(a, "power", s.power);
    s.ratio = get<double>(a, "ratio", s.ratio);
    s.method = get<std::string>(a, "method", s.method);
    s.looks = get<int>(a, "looks", s.looks);
    s.info = get<std::vector<double>>(a, "info", {});
    s.spending = get<std::string>(a, "spending", s.spending);
    s.futility = get<std::string>(a, "futility", "");
    s.binding = get<bool>(a, "binding", false);
    s.accrual_time = get<std::vector<double>>(a, "accrual_time", {});
    s.accrual_rate = get<std::vector<double>>(a, "accrual_rate", {});
    s.follow_up = opt<double>(a, "follow_up");
    s.dropout = get<double>(a, "dropout", 0.0);
    s.dropout_time = get<double>(a, "dropout_time", s.dropout_time);
    const hazard::DesignSetup setup = hazard::survival_design_options(s);
    const hazard::SurvivalDesignOptions& o = setup.options;
    const hazard::SurvivalDesign d = hazard::design_survival(o);
    const auto& b = d.boundaries;
    const std::size_t K = b.looks();
    std::vector<double> p_nominal(K), time(K, NA_REAL), subjects(K, NA_REAL);
    for (std::size_t k = 0; k < K; ++k) {
      p_nominal[k] = hazard::nominal_p(b.z_efficacy[k]);
      if (d.plan) {
        time[k] = d.plan->time[k];
        subjects[k] = d.plan->subjects[k];
      }
    }
    List out = List::create(
        _["events"] = d.max_events, _["events_fixed"] = d.events_fixed, _["inflation"] = b.inflation,
        _["hr"] = o.hr, _["alpha"] = o.boundaries.alpha, _["power"] = 1 - o.boundaries.beta, _["ratio"] = o.ratio,
        _["method"] = s.method, _["spending"] = hazard::spending_name(o.boundaries.efficacy),
        _["futility"] = o.boundaries.futility ? Rcpp::wrap(hazard::spending_name(*o.boundaries.futility))
                                              : na_string(),
        _["binding"] = o.boundaries.binding, _["drift"] = b.drift,
        _["expected_events_h0"] = d.expected_events_h0, _["expected_events_h01"] = d.expected_events_h01,
        _["expected_events_h1"] = d.expected_events_h1, _["power_achieved"] = b.cum_power.back());
    out["looks"] = List::create(_["info"] = num(b.info), _["events"] = num(d.events),
                                _["z_efficacy"] = num(b.z_efficacy), _["z_futility"] = num(b.z_futility),
                                _["p_nominal"] = num(p_nominal), _["cum_alpha"] = num(b.alpha_spent),
                                _["hr_boundary"] = num(d.hr_efficacy), _["hr_futility"] = num(d.hr_futility),
                                _["cum_power"] = num(b.cum_power), _["reject_h1"] = num(b.reject_h1),
                                _["futility_h1"] = num(b.futility_h1), _["beta_spent"] = num(b.beta_spent),
                                _["time"] = num(time), _["subjects"] = num(subjects));
    if (d.plan) {
      const auto& pl = *d.plan;
      out["sample_size"] = pl.sample_size;
      out["accrual_end"] = pl.accrual_end;
      out["follow_up"] = pl.follow_up;
      out["accrual_rate"] = num(pl.accrual_rate);
      out["study_duration"] = pl.time.back();
      out["expected_duration_h1"] = pl.expected_duration_h1;
      out["expected_sample_size_h1"] = pl.expected_subjects_h1;
    }
    out["warnings"] = setup.warnings;
    return out;
  });
}

// ------------------------------------------------------------------------------------ simulate

// [[Rcpp::export(.hz_simulate)]]
SEXP hz_simulate(List a, std::string scenario_json) {
  return guarded([&]() -> SEXP {
    hazard::SimulationSettings s;
    if (!scenario_json.empty()) s.scenario_json = nlohmann::json::parse(scenario_json);
    if (const auto n = opt<double>(a, "n")) s.n = static_cast<std::size_t>(*n);
    s.ratio = opt<double>(a, "ratio");
    s.median_control = opt<double>(a, "median_control");
    s.median_experimental = opt<double>(a, "median_experimental");
    s.hr = opt<double>(a, "hr");
    s.accrual_time = get<std::vector<double>>(a, "accrual_time", {});
    s.accrual_rate = get<std::vector<double>>(a, "accrual_rate", {});
    s.dropout = opt<double>(a, "dropout");
    s.dropout_time = get<double>(a, "dropout_time", s.dropout_time);
    s.events = get<std::vector<double>>(a, "events", {});
    s.times = get<std::vector<double>>(a, "times", {});
    s.looks = opt<int>(a, "looks");
    s.info = get<std::vector<double>>(a, "info", {});
    s.spending = opt<std::string>(a, "spending");
    s.futility = opt<std::string>(a, "futility");
    s.alpha = opt<double>(a, "alpha");
    s.power = opt<double>(a, "power");
    s.binding = get<bool>(a, "binding", false);
    s.random_accrual = get<bool>(a, "random_accrual", false);
    s.random_allocation = get<bool>(a, "random_allocation", false);
    s.hr_estimator = get<std::string>(a, "hr_estimator", "pike");
    const hazard::SimulationOptions o{.reps = static_cast<std::size_t>(get<double>(a, "reps", 1000)),
                                      .seed = static_cast<std::uint64_t>(get<double>(a, "seed", 1)),
                                      .threads = static_cast<unsigned>(get<int>(a, "threads", 0)),
                                      .progress = {},
                                      .keep_trials = false};
    const hazard::SimulationSetup setup = hazard::simulation_setup(s);
    const hazard::SimulationResult r = hazard::simulate_trials(setup.scenario, o);
    const auto& sc = setup.scenario;
    return List::create(
        _["power"] = r.power, _["mc_se"] = r.mc_se, _["reps"] = static_cast<double>(r.reps),
        _["seed"] = static_cast<double>(o.seed), _["n"] = static_cast<double>(sc.n), _["ratio"] = sc.ratio,
        _["alpha"] = setup.alpha, _["spending"] = setup.spending,
        _["futility"] = setup.futility.empty() ? na_string() : Rcpp::wrap(setup.futility),
        _["look_type"] = sc.look_type == hazard::LookType::events ? "events" : "calendar",
        _["expected_events"] = r.expected_events, _["expected_n"] = r.expected_n,
        _["expected_duration"] = r.expected_duration, _["events_not_achieved"] = r.events_not_achieved,
        _["looks"] = List::create(_["look"] = num(sc.looks), _["info"] = num(setup.design.info),
                                  _["z_efficacy"] = num(setup.design.z_efficacy),
                                  _["z_futility"] = sc.z_futility.empty()
                                                        ? num(std::vector<double>(sc.looks.size(), NA_REAL))
                                                        : num(sc.z_futility),
                                  _["rejection"] = num(r.stagewise_rejection),
                                  _["futility"] = num(r.stagewise_futility), _["stop"] = num(r.stop_probability),
                                  _["mean_time"] = num(r.mean_look_time), _["mean_events"] = num(r.mean_look_events)),
        _["hr_estimate"] = List::create(_["estimator"] = sc.hr_estimator == hazard::HrEstimator::cox ? "cox" : "pike",
                                        _["summary"] = NumericVector::create(
                                            _["mean"] = r.hr.mean, _["sd"] = r.hr.sd, _["q025"] = r.hr.q025,
                                            _["q25"] = r.hr.q25, _["median"] = r.hr.median, _["q75"] = r.hr.q75,
                                            _["q975"] = r.hr.q975)));
  });
}

// --------------------------------------------------------------------------------- reconstruct

// [[Rcpp::export(.hz_reconstruct_arm)]]
SEXP hz_reconstruct_arm(std::string arm, NumericVector time, NumericVector surv, NumericVector risk_time,
                        NumericVector n_risk, double total_events, std::string scale) {
  return guarded([&]() -> SEXP {
    hazard::ArmCurve in;
    in.arm = arm;
    in.time.assign(time.begin(), time.end());
    in.surv.assign(surv.begin(), surv.end());
    in.risk_time.assign(risk_time.begin(), risk_time.end());
    in.n_risk.assign(n_risk.begin(), n_risk.end());
    if (!std::isnan(total_events)) in.total_events = total_events;
    hazard::GuyotOptions o;
    if (scale == "fraction") o.clean.scale = hazard::SurvScale::fraction;
    else if (scale == "percent") o.clean.scale = hazard::SurvScale::percent;
    else if (scale != "auto") throw hazard::UsageError("scale = \"" + scale + "\": expected auto, fraction or percent");
    const hazard::ArmReconstruction r = hazard::reconstruct_guyot(in, o);
    std::vector<double> event(r.event.begin(), r.event.end()), start, end, npub, nreb, ev, cens, npts;
    for (const auto& iv : r.intervals) {
      start.push_back(iv.start);
      end.push_back(iv.end);
      npub.push_back(iv.n_risk_published);
      nreb.push_back(iv.n_risk_rebuilt);
      ev.push_back(static_cast<double>(iv.events));
      cens.push_back(static_cast<double>(iv.censored));
      npts.push_back(static_cast<double>(iv.n_points));
    }
    const auto& f = r.fit;
    return List::create(
        _["arm"] = r.arm, _["time"] = num(r.time), _["event"] = num(event),
        _["fit"] = NumericVector::create(
            _["n"] = static_cast<double>(f.n), _["events"] = static_cast<double>(f.events),
            _["censored"] = static_cast<double>(f.censored), _["total_events"] = f.total_events ? *f.total_events : NA_REAL,
            _["median"] = f.median, _["max_distance"] = f.max_distance, _["rms_distance"] = f.rms_distance,
            _["n_points"] = static_cast<double>(f.n_points), _["at_risk_matched"] = static_cast<double>(f.at_risk_matched),
            _["at_risk_total"] = static_cast<double>(f.at_risk_total)),
        _["intervals"] = List::create(_["start"] = num(start), _["end"] = num(end), _["n_risk_published"] = num(npub),
                                      _["n_risk_rebuilt"] = num(nreb), _["events"] = num(ev),
                                      _["censored"] = num(cens), _["n_points"] = num(npts)),
        _["warnings"] = r.warnings);
  });
}
