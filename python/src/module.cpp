// hazard._core: the Python module's compiled part (pybind11). It turns a data frame's columns
// into a hazard::Table, the keyword arguments into the library's roles and options, calls the
// library and hands its results back as dicts of numbers, strings and numpy arrays, which
// python/hazard/ wraps into result objects. No math here: every number comes from the library.
//
// Columns arrive as (name, kind, ...): ("numeric", float64 array) with NaN missing; ("factor",
// level names, int32 codes) with -1 missing, as a pandas Categorical holds them; ("text", object
// array, missing flags) for columns of strings, whose levels the library sorts (byte order) as its
// file readers do. A float64 C-contiguous array is read in place (no conversion copy) and strings
// through their UTF-8 buffers; the library's Table keeps its own copy of the values.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <exception>
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

namespace py = pybind11;
using namespace pybind11::literals;

namespace {

using F64 = py::array_t<double, py::array::c_style | py::array::forcecast>;
using I32 = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;

// ------------------------------------------------------------------------------------- data in

hazard::Table table_of(const std::string& source, const py::list& columns) {
  std::vector<hazard::Column> cols;
  cols.reserve(columns.size());
  for (const py::handle item : columns) {
    const auto t = py::reinterpret_borrow<py::tuple>(item);
    auto name = t[0].cast<std::string>();
    const auto kind = t[1].cast<std::string>();
    if (kind == "numeric") {
      const auto a = t[2].cast<F64>();
      const double* p = a.data();
      cols.push_back(hazard::numeric_column(std::move(name), std::vector<double>(p, p + a.size())));
    } else if (kind == "factor") {
      const auto a = t[3].cast<I32>();
      const std::int32_t* p = a.data();
      cols.push_back(hazard::categorical_column(std::move(name), t[2].cast<std::vector<std::string>>(),
                                                std::vector<std::int32_t>(p, p + a.size())));
    } else {  // "text": an object array of str (other objects written with str()) and its missing flags
      const auto objects = py::reinterpret_borrow<py::array>(t[2]);
      const auto missing = t[3].cast<py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>>();
      const auto n = static_cast<std::size_t>(objects.size());
      if (objects.dtype().kind() != 'O' || objects.ndim() != 1 || static_cast<std::size_t>(missing.size()) != n)
        throw hazard::UsageError("column '" + name + "': expected a one-dimensional array of text");
      std::vector<std::string_view> values(n);
      std::vector<py::str> converted;  // keeps the text of non-str values alive
      const auto* base = static_cast<const char*>(objects.data());
      const py::ssize_t stride = objects.strides(0);
      const std::uint8_t* miss = missing.data();
      for (std::size_t i = 0; i < n; ++i) {
        if (miss[i]) continue;
        PyObject* o = *reinterpret_cast<PyObject* const*>(base + static_cast<py::ssize_t>(i) * stride);
        if (!PyUnicode_Check(o)) {
          converted.push_back(py::str(o));
          o = converted.back().ptr();
        }
        Py_ssize_t size = 0;
        const char* utf8 = PyUnicode_AsUTF8AndSize(o, &size);
        if (!utf8) throw py::error_already_set();
        values[i] = std::string_view(utf8, static_cast<std::size_t>(size));
      }
      cols.push_back(hazard::text_column(std::move(name), values, {miss, n}));
    }
  }
  return hazard::make_table(source, std::move(cols));
}

template <class T>
T get(const py::dict& d, const char* key, T fallback) {
  return d.contains(key) && !d[key].is_none() ? d[key].cast<T>() : fallback;
}

template <class T>
std::optional<T> opt(const py::dict& d, const char* key) {
  if (!d.contains(key) || d[key].is_none()) return std::nullopt;
  return d[key].cast<T>();
}

// roles: time, event, coding ("indicator" | "equals" | "cnsr"), event_value, group, ref, strata,
// where (list of (column, value)), weights, start, offset, cluster
hazard::Roles roles_of(const py::dict& d) {
  hazard::Roles r;
  r.time = get<std::string>(d, "time", "");
  r.start = get<std::string>(d, "start", "");
  r.event = get<std::string>(d, "event", "");
  const auto coding = get<std::string>(d, "coding", "indicator");
  r.coding = coding == "cnsr"     ? hazard::EventCoding::cnsr
             : coding == "equals" ? hazard::EventCoding::equals
                                  : hazard::EventCoding::indicator;
  r.event_value = get<std::string>(d, "event_value", "");
  r.group = get<std::string>(d, "group", "");
  r.ref = get<std::string>(d, "ref", "");
  r.strata = get<std::vector<std::string>>(d, "strata", {});
  for (const auto& [column, value] :
       get<std::vector<std::pair<std::string, std::string>>>(d, "where", {}))
    r.where.push_back({column, value});
  r.weights = get<std::string>(d, "weights", "");
  r.offset = get<std::string>(d, "offset", "");
  r.cluster = get<std::string>(d, "cluster", "");
  return r;
}

// ------------------------------------------------------------------------------------ data out

py::array_t<double> arr(const std::vector<double>& v) {
  return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
}

py::array_t<double> arr(const Eigen::VectorXd& v) {
  return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
}

py::array_t<double> matrix(const Eigen::MatrixXd& m) {
  py::array_t<double> out({static_cast<py::ssize_t>(m.rows()), static_cast<py::ssize_t>(m.cols())});
  auto a = out.mutable_unchecked<2>();
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) a(i, j) = m(i, j);
  return out;
}

py::dict exclusions(const hazard::SurvData& d) {
  py::dict reasons;
  for (const auto& [reason, count] : d.excluded.reasons) reasons[py::str(reason)] = count;
  return py::dict("count"_a = d.excluded.count, "reasons"_a = reasons);
}

// the keys every analysis of a data frame reports about its rows
py::dict rows_dict(const hazard::SurvData& d) {
  return py::dict("n"_a = d.size(), "n_read"_a = d.n_read, "n_filtered"_a = d.n_filtered,
                  "excluded"_a = exclusions(d));
}

py::object level_or_none(const std::optional<std::string>& s) {
  return s ? py::object(py::str(*s)) : py::object(py::none());
}

// -------------------------------------------------------------------------------- Kaplan–Meier

py::dict km(const std::string& source, const py::list& columns, const py::dict& roles_in,
            const py::dict& options) {
  hazard::Table table = table_of(source, columns);
  hazard::Roles roles = roles_of(roles_in);
  roles.require_events = false;  // as survfit: a curve without events is a flat curve
  hazard::KmOptions o;
  o.robust = opt<bool>(options, "robust");
  o.conf_type = hazard::parse_conf_type(get<std::string>(options, "conf_type", "log-log"));
  o.conf_level = get<double>(options, "conf_level", 0.95);
  o.times = get<std::vector<double>>(options, "times", {});
  o.rmst_tau = opt<double>(options, "rmst_tau");
  o.quantiles = get<std::vector<double>>(options, "quantiles", {0.25, 0.5, 0.75});
  hazard::check_km_options(o);
  hazard::SurvData data;
  hazard::KmResult r;
  {
    py::gil_scoped_release release;
    data = hazard::build_surv_data(table, roles);
    table = hazard::Table{};
    r = hazard::kaplan_meier(data, o);
  }
  py::dict out = rows_dict(data);
  out["conf_type"] = hazard::conf_type_name(r.conf_type);
  out["conf_level"] = r.conf_level;
  out["weighted"] = r.weighted;
  out["group_variable"] =
      data.group.empty() ? py::object(py::none()) : py::object(py::str(data.group_name));
  py::list groups;
  for (const hazard::KmGroup& g : r.groups) {
    const hazard::KmCurve& c = g.curve;
    py::dict table_dict("time"_a = arr(c.time), "n_risk"_a = arr(c.n_risk),
                        "n_event"_a = arr(c.n_event), "n_censor"_a = arr(c.n_censor),
                        "surv"_a = arr(c.surv), "std_err"_a = arr(c.std_err),
                        "lower"_a = arr(c.lower), "upper"_a = arr(c.upper),
                        "cumhaz"_a = arr(c.cumhaz), "se_log"_a = arr(c.se_log));
    py::list quantiles, at;
    for (const auto& q : g.quantiles)
      quantiles.append(py::dict("p"_a = q.p, "estimate"_a = q.estimate, "lower"_a = q.lower,
                                "upper"_a = q.upper));
    for (const auto& a : g.at)
      at.append(py::dict("time"_a = a.time, "n_risk"_a = a.n_risk, "surv"_a = a.surv,
                         "std_err"_a = a.std_err, "lower"_a = a.lower, "upper"_a = a.upper));
    py::object rmst = py::none();
    if (g.rmst)
      rmst = py::dict("tau"_a = g.rmst->tau, "estimate"_a = g.rmst->estimate,
                      "std_err"_a = g.rmst->std_err, "lower"_a = g.rmst->lower,
                      "upper"_a = g.rmst->upper);
    groups.append(
        py::dict("group"_a = level_or_none(g.level), "n"_a = g.n, "events"_a = g.events,
                 "table"_a = table_dict,
                 "median"_a = py::dict("estimate"_a = g.median.estimate, "lower"_a = g.median.lower,
                                       "upper"_a = g.median.upper),
                 "quantiles"_a = quantiles, "at"_a = at, "rmst"_a = rmst));
  }
  out["groups"] = groups;
  if (r.rmst_difference) {
    const auto& d = *r.rmst_difference;
    out["rmst_difference"] =
        py::dict("estimate"_a = d.estimate, "std_err"_a = d.std_err, "lower"_a = d.lower,
                 "upper"_a = d.upper, "z"_a = d.z, "p"_a = d.p, "reference"_a = *r.groups[0].level,
                 "comparison"_a = *r.groups[1].level);
  } else {
    out["rmst_difference"] = py::none();
  }
  return out;
}

// ------------------------------------------------------------------------------------ log-rank

py::dict logrank(const std::string& source, const py::list& columns, const py::dict& roles_in,
                 const py::dict& options) {
  hazard::Table table = table_of(source, columns);
  const hazard::Roles roles = roles_of(roles_in);
  const hazard::LogrankOptions o{.rho = get<double>(options, "rho", 0.0),
                                 .gamma = get<double>(options, "gamma", 0.0)};
  if (roles.group.empty())
    throw hazard::UsageError("the log-rank test needs a group column (group=)");
  hazard::SurvData data;
  hazard::LogrankResult r;
  {
    py::gil_scoped_release release;
    data = hazard::build_surv_data(table, roles);
    table = hazard::Table{};
    r = hazard::logrank(data, o);
  }
  const auto& s = r.stats;
  const std::size_t K = s.n_groups;
  const hazard::LogrankGroupColumns c = hazard::logrank_group_columns(s);
  py::dict out = rows_dict(data);
  out["n"] = r.n;
  out["chisq"] = r.test.chisq;
  out["df"] = r.test.df;
  out["p"] = r.test.p;
  out["z"] = r.test.z;
  out["p_one_sided"] = r.test.p_one_sided;
  out["rho"] = r.options.rho;
  out["gamma"] = r.options.gamma;
  out["weighted"] = s.weighted;
  out["weights"] = s.weighted ? py::object(py::str(roles.weights)) : py::object(py::none());
  out["group_column"] = data.group_name;
  out["reference"] = data.group_levels.front();
  std::vector<double> n(K);
  for (std::size_t k = 0; k < K; ++k) n[k] = static_cast<double>(s.n[k]);
  out["groups"] =
      py::dict("group"_a = data.group_levels, "n"_a = arr(n), "observed"_a = arr(s.observed),
               "expected"_a = arr(s.expected), "o_minus_e"_a = arr(c.o_minus_e),
               "oe2_over_e"_a = arr(c.oe2_over_e), "oe2_over_v"_a = arr(c.oe2_over_v));
  py::array_t<double> var({static_cast<py::ssize_t>(K), static_cast<py::ssize_t>(K)});
  auto v = var.mutable_unchecked<2>();
  for (std::size_t j = 0; j < K; ++j)
    for (std::size_t k = 0; k < K; ++k) v(j, k) = s.var(j, k);
  out["variance"] = var;
  if (data.stratum.empty()) {
    out["strata"] = py::none();
  } else {
    py::list levels;
    for (std::size_t st = 0; st < s.strata.size(); ++st) {
      std::vector<double> sn(K), so(K), se(K);
      for (std::size_t k = 0; k < K; ++k) {
        sn[k] = static_cast<double>(s.n_by_stratum[st * K + k]);
        so[k] = s.observed_by_stratum[st * K + k];
        se[k] = s.expected_by_stratum[st * K + k];
      }
      levels.append(
          py::dict("stratum"_a = data.strata_levels[static_cast<std::size_t>(s.strata[st])],
                   "n"_a = arr(sn), "observed"_a = arr(so), "expected"_a = arr(se)));
    }
    out["strata"] = py::dict("columns"_a = data.strata_names, "levels"_a = levels);
  }
  return out;
}

// ----------------------------------------------------------------------------------------- Cox

hazard::Ties ties_of(const std::string& s) {
  if (s == "efron") return hazard::Ties::efron;
  if (s == "breslow") return hazard::Ties::breslow;
  if (s == "exact" || s == "discrete") return hazard::Ties::exact;
  throw hazard::UsageError("ties=" + s + ": expected efron, breslow or exact");
}

hazard::ZphTransform transform_of(const std::string& s) {
  if (s == "km") return hazard::ZphTransform::km;
  if (s == "identity") return hazard::ZphTransform::identity;
  if (s == "rank") return hazard::ZphTransform::rank;
  if (s == "log") return hazard::ZphTransform::log;
  throw hazard::UsageError("ph_test=" + s + ": expected km, identity, rank or log");
}

py::dict test_dict(const hazard::CoxTest& t) {
  return py::dict("stat"_a = t.stat, "df"_a = t.df, "p"_a = t.p);
}

// covariates: list of (column, ref, factor)
py::dict cox(const std::string& source, const py::list& columns, const py::dict& roles_in,
             const std::vector<std::tuple<std::string, std::string, bool>>& covariates,
             const py::dict& options) {
  hazard::Table table = table_of(source, columns);
  hazard::CoxModelSpec spec{.roles = roles_of(roles_in)};
  for (const auto& [column, ref, factor] : covariates)
    spec.covariates.push_back({.column = column, .ref = ref, .factor = factor});
  hazard::CoxOptions o;
  const auto compat = get<std::string>(options, "compat", "r");
  if (compat == "sas") {
    o.compat = hazard::Compat::sas;
    o.ties = hazard::Ties::breslow;
  } else if (compat != "r") {
    throw hazard::UsageError("compat=" + compat + ": expected r or sas");
  }
  if (const auto t = opt<std::string>(options, "ties")) o.ties = ties_of(*t);
  o.robust = get<bool>(options, "robust", false);
  o.max_iter = get<int>(options, "max_iter", 20);
  o.eps = get<double>(options, "eps", 1e-9);
  o.conf_level = get<double>(options, "conf_level", 0.95);
  const auto ph_test = opt<std::string>(options, "ph_test");
  const bool baseline = get<bool>(options, "baseline", false);
  std::optional<hazard::ZphTransform> transform;
  if (ph_test) transform = transform_of(*ph_test);

  hazard::CoxModelData m;
  hazard::CoxResult r;
  std::optional<hazard::PhTest> ph;
  std::optional<hazard::CoxBaseline> bl;
  {
    py::gil_scoped_release release;
    m = hazard::cox_model_data(table, spec);
    table = hazard::Table{};
    r = hazard::cox_fit(m.model, o);
    if (transform) ph = hazard::cox_zph(m.model, r, *transform, m.term, m.term_names);
    if (baseline) bl = hazard::cox_baseline(m.model, r);
  }
  const hazard::SurvData& sd = m.data;
  py::dict out = rows_dict(sd);
  out["n"] = r.n;
  out["events"] = r.events;
  out["ties"] = hazard::to_string(r.ties);
  out["compat"] = r.compat == hazard::Compat::sas ? "sas" : "r";
  out["convergence"] =
      r.compat == hazard::Compat::sas
          ? py::dict("criterion"_a = "relative gradient (SAS GCONV)", "value"_a = o.gconv)
          : py::dict("criterion"_a = "relative change of the log partial likelihood",
                     "value"_a = o.eps);
  out["iterations"] = r.iterations;
  out["converged"] = r.converged;
  out["robust"] = r.robust;
  out["conf_level"] = o.conf_level;
  out["strata"] = sd.strata_levels;
  out["loglik"] = std::vector<double>{r.loglik0, r.loglik};
  std::vector<std::string> term;
  std::vector<double> coef, se, robust_se, z, p, hr, lower, upper;
  for (const auto& t : r.terms) {
    term.push_back(t.term);
    coef.push_back(t.coef);
    se.push_back(t.se);
    robust_se.push_back(r.robust ? t.robust_se : std::nan(""));
    z.push_back(t.z);
    p.push_back(t.p);
    hr.push_back(t.hr);
    lower.push_back(t.lower);
    upper.push_back(t.upper);
  }
  out["coefficients"] = py::dict("term"_a = term, "coef"_a = arr(coef), "se"_a = arr(se),
                                 "robust_se"_a = arr(robust_se), "z"_a = arr(z), "p"_a = arr(p),
                                 "hr"_a = arr(hr), "lower"_a = arr(lower), "upper"_a = arr(upper));
  // the model's terms: per coefficient, its term (the group column, then each covariate)
  std::vector<std::string> coef_term;
  for (std::size_t t : m.term) coef_term.push_back(m.term_names[t]);
  out["terms"] = coef_term;
  out["tests"] = py::dict("lr"_a = test_dict(r.lr), "wald"_a = test_dict(r.wald),
                          "score"_a = test_dict(r.score),
                          "robust_score"_a = r.robust_score ? py::object(test_dict(*r.robust_score))
                                                            : py::object(py::none()));
  const auto& c = r.concordance;
  out["concordance"] =
      py::dict("estimate"_a = c.estimate, "std_err"_a = c.std_err, "concordant"_a = c.concordant,
               "discordant"_a = c.discordant, "tied_risk"_a = c.tied_x, "tied_time"_a = c.tied_y,
               "tied_risk_time"_a = c.tied_xy);
  out["means"] = arr(r.means);
  out["var"] = matrix(r.var);
  out["robust_var"] = r.robust ? py::object(matrix(r.robust_var)) : py::object(py::none());
  out["warnings"] = r.warnings;
  if (ph) {
    std::vector<std::string> pt;
    std::vector<double> chisq, df, pp;
    for (const auto& t : ph->terms) {
      pt.push_back(t.term);
      chisq.push_back(t.chisq);
      df.push_back(t.df);
      pp.push_back(t.p);
    }
    out["ph_test"] = py::dict("transform"_a = hazard::to_string(ph->transform),
                              "terms"_a = py::dict("term"_a = pt, "chisq"_a = arr(chisq),
                                                   "df"_a = arr(df), "p"_a = arr(pp)),
                              "global"_a = py::dict("chisq"_a = ph->global.chisq,
                                                    "df"_a = ph->global.df, "p"_a = ph->global.p));
  }
  if (bl) {
    std::vector<std::string> stratum;
    for (auto s : bl->stratum)
      stratum.push_back(sd.strata_levels.empty() ? std::string()
                                                 : sd.strata_levels[static_cast<std::size_t>(s)]);
    out["baseline"] = py::dict("stratum"_a = stratum, "time"_a = arr(bl->time),
                               "n_risk"_a = arr(bl->n_risk), "n_event"_a = arr(bl->n_event),
                               "cumhaz"_a = arr(bl->cumhaz), "surv"_a = arr(bl->surv));
  }
  return out;
}

// -------------------------------------------------------------------------------------- design

py::dict design(const py::dict& a) {
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
  py::dict out;
  out["events"] = d.max_events;
  out["sample_size"] =
      d.plan ? py::object(py::float_(d.plan->sample_size)) : py::object(py::none());
  out["events_fixed"] = d.events_fixed;
  out["inflation"] = b.inflation;
  out["hr"] = o.hr;
  out["alpha"] = o.boundaries.alpha;
  out["power"] = 1 - o.boundaries.beta;
  out["ratio"] = o.ratio;
  out["method"] = s.method;
  out["spending"] = hazard::spending_name(o.boundaries.efficacy);
  out["futility"] = o.boundaries.futility
                        ? py::object(py::str(hazard::spending_name(*o.boundaries.futility)))
                        : py::object(py::none());
  out["binding"] = o.boundaries.binding;
  out["drift"] = b.drift;
  out["expected_events_h0"] = d.expected_events_h0;
  out["expected_events_h01"] = d.expected_events_h01;
  out["expected_events_h1"] = d.expected_events_h1;
  out["power_achieved"] = b.cum_power.back();
  if (d.plan) {
    const auto& p = *d.plan;
    out["accrual_end"] = p.accrual_end;
    out["follow_up"] = p.follow_up;
    out["accrual_rate"] = p.accrual_rate;
    out["study_duration"] = p.time.back();
    out["expected_duration_h1"] = p.expected_duration_h1;
    out["expected_sample_size_h1"] = p.expected_subjects_h1;
    out["median_control"] = *s.median_control;
    out["dropout"] = s.dropout;
    out["dropout_time"] = s.dropout_time;
  }
  const std::size_t K = b.looks();
  std::vector<int> look(K);
  std::vector<double> p_nominal(K), time(K, std::nan("")), subjects(K, std::nan(""));
  for (std::size_t k = 0; k < K; ++k) {
    look[k] = static_cast<int>(k + 1);
    p_nominal[k] = hazard::nominal_p(b.z_efficacy[k]);
    if (d.plan) {
      time[k] = d.plan->time[k];
      subjects[k] = d.plan->subjects[k];
    }
  }
  out["looks"] =
      py::dict("look"_a = look, "info"_a = arr(b.info), "events"_a = arr(d.events),
               "z_efficacy"_a = arr(b.z_efficacy), "z_futility"_a = arr(b.z_futility),
               "p_nominal"_a = arr(p_nominal), "cum_alpha"_a = arr(b.alpha_spent),
               "hr_boundary"_a = arr(d.hr_efficacy), "hr_futility"_a = arr(d.hr_futility),
               "cum_power"_a = arr(b.cum_power), "reject_h1"_a = arr(b.reject_h1),
               "futility_h1"_a = arr(b.futility_h1), "beta_spent"_a = arr(b.beta_spent),
               "time"_a = arr(time), "subjects"_a = arr(subjects));
  out["warnings"] = setup.warnings;
  return out;
}

// ------------------------------------------------------------------------------------ simulate

py::dict simulate(const py::dict& a, const std::string& scenario_json) {
  hazard::SimulationSettings s;
  if (!scenario_json.empty()) s.scenario_json = nlohmann::json::parse(scenario_json);
  if (const auto n = opt<std::size_t>(a, "n")) s.n = n;
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
  const hazard::SimulationOptions o{.reps = get<std::size_t>(a, "reps", 1000),
                                    .seed = get<std::uint64_t>(a, "seed", 1),
                                    .threads = get<unsigned>(a, "threads", 0),
                                    .progress = {},
                                    .keep_trials = get<bool>(a, "keep_trials", false)};
  hazard::SimulationSetup setup;
  hazard::SimulationResult r;
  {
    py::gil_scoped_release release;
    setup = hazard::simulation_setup(s);
    r = hazard::simulate_trials(setup.scenario, o);
  }
  const auto& sc = setup.scenario;
  py::dict out;
  out["power"] = r.power;
  out["mc_se"] = r.mc_se;
  out["stagewise_rejection"] = arr(r.stagewise_rejection);
  out["stagewise_futility"] = arr(r.stagewise_futility);
  out["stop_probability"] = arr(r.stop_probability);
  out["expected_events"] = r.expected_events;
  out["expected_n"] = r.expected_n;
  out["expected_duration"] = r.expected_duration;
  out["events_not_achieved"] = r.events_not_achieved;
  out["reps"] = r.reps;
  out["seed"] = o.seed;
  out["n"] = sc.n;
  out["ratio"] = sc.ratio;
  out["alpha"] = setup.alpha;
  out["spending"] = setup.spending;
  out["futility"] =
      setup.futility.empty() ? py::object(py::none()) : py::object(py::str(setup.futility));
  out["look_type"] = sc.look_type == hazard::LookType::events ? "events" : "calendar";
  out["looks"] = arr(sc.looks);
  out["info"] = arr(setup.design.info);
  out["z_efficacy"] = arr(setup.design.z_efficacy);
  out["z_futility"] = arr(sc.z_futility);
  out["mean_look_time"] = arr(r.mean_look_time);
  out["mean_look_events"] = arr(r.mean_look_events);
  out["hr_estimate"] =
      py::dict("estimator"_a = sc.hr_estimator == hazard::HrEstimator::cox ? "cox" : "pike",
               "mean"_a = r.hr.mean, "sd"_a = r.hr.sd, "q025"_a = r.hr.q025, "q25"_a = r.hr.q25,
               "median"_a = r.hr.median, "q75"_a = r.hr.q75, "q975"_a = r.hr.q975);
  if (o.keep_trials) {
    const std::size_t T = r.trials.size();
    std::vector<double> stop(T), reject(T), futility(T), nach(T), events(T), subjects(T),
        duration(T), z(T), hr(T);
    for (std::size_t i = 0; i < T; ++i) {
      const auto& t = r.trials[i];
      stop[i] = t.stop_look;
      reject[i] = t.reject;
      futility[i] = t.futility;
      nach[i] = t.events_not_achieved;
      events[i] = t.events;
      subjects[i] = t.subjects;
      duration[i] = t.duration;
      z[i] = t.z;
      hr[i] = t.hr;
    }
    out["trials"] = py::dict("stop_look"_a = arr(stop), "reject"_a = arr(reject),
                             "futility"_a = arr(futility), "events_not_achieved"_a = arr(nach),
                             "events"_a = arr(events), "subjects"_a = arr(subjects),
                             "duration"_a = arr(duration), "z"_a = arr(z), "hr"_a = arr(hr));
  }
  return out;
}

// --------------------------------------------------------------------------------- reconstruct

hazard::SurvScale scale_of(const std::string& s) {
  if (s == "auto") return hazard::SurvScale::automatic;
  if (s == "fraction") return hazard::SurvScale::fraction;
  if (s == "percent") return hazard::SurvScale::percent;
  throw hazard::UsageError("scale=" + s + ": expected auto, fraction or percent");
}

py::dict reconstruct_arm(const std::string& arm, const F64& time, const F64& surv,
                         const F64& risk_time, const F64& n_risk,
                         std::optional<double> total_events, const std::string& scale) {
  hazard::ArmCurve in;
  in.arm = arm;
  in.time.assign(time.data(), time.data() + time.size());
  in.surv.assign(surv.data(), surv.data() + surv.size());
  in.risk_time.assign(risk_time.data(), risk_time.data() + risk_time.size());
  in.n_risk.assign(n_risk.data(), n_risk.data() + n_risk.size());
  in.total_events = total_events;
  const hazard::GuyotOptions o{.clean = {.scale = scale_of(scale)}};
  hazard::ArmReconstruction r;
  {
    py::gil_scoped_release release;
    r = hazard::reconstruct_guyot(in, o);
  }
  std::vector<double> event(r.event.begin(), r.event.end());
  const auto& f = r.fit;
  std::vector<double> start, end, npub, nreb, ev, cens, npts;
  for (const auto& iv : r.intervals) {
    start.push_back(iv.start);
    end.push_back(iv.end);
    npub.push_back(iv.n_risk_published);
    nreb.push_back(iv.n_risk_rebuilt);
    ev.push_back(static_cast<double>(iv.events));
    cens.push_back(static_cast<double>(iv.censored));
    npts.push_back(static_cast<double>(iv.n_points));
  }
  return py::dict("arm"_a = r.arm, "time"_a = arr(r.time), "event"_a = arr(event), "n"_a = f.n,
                  "events"_a = f.events, "censored"_a = f.censored,
                  "total_events"_a = f.total_events ? py::object(py::float_(*f.total_events))
                                                    : py::object(py::none()),
                  "median"_a = f.median, "max_distance"_a = f.max_distance,
                  "rms_distance"_a = f.rms_distance, "n_points"_a = f.n_points,
                  "at_risk_matched"_a = f.at_risk_matched, "at_risk_total"_a = f.at_risk_total,
                  "curve"_a = py::dict(
                      "n_input"_a = r.curve.n_input, "n_clamped"_a = r.curve.n_clamped,
                      "n_merged"_a = r.curve.n_merged, "n_adjusted"_a = r.curve.n_adjusted,
                      "max_adjustment"_a = r.curve.max_adjustment, "percent"_a = r.curve.percent),
                  "intervals"_a = py::dict("start"_a = arr(start), "end"_a = arr(end),
                                           "n_risk_published"_a = arr(npub),
                                           "n_risk_rebuilt"_a = arr(nreb), "events"_a = arr(ev),
                                           "censored"_a = arr(cens), "n_points"_a = arr(npts)),
                  "warnings"_a = r.warnings);
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "hazard's C++ library (python/hazard wraps it; see help(hazard))";
  // Errors: hazard.HazardError and one subclass per kind (docs/exit-codes.md); a DataError
  // carries where the problem is (row, column, value).
  static py::exception<hazard::DataError> base(m, "HazardError", PyExc_Exception);
  static py::exception<hazard::DataError> data_error(m, "DataError", base.ptr());
  static py::exception<hazard::UsageError> usage_error(m, "UsageError", base.ptr());
  static py::exception<hazard::NumericalError> numerical_error(m, "NumericalError", base.ptr());
  static py::exception<hazard::IoError> io_error(m, "IoError", base.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const hazard::DataError& e) {
      const hazard::Location& w = e.where();
      py::object exc = py::handle(data_error.ptr())(e.what());
      exc.attr("row") = w.line > 0 ? py::object(py::int_(w.line)) : py::object(py::none());
      exc.attr("column") =
          w.column.empty() ? py::object(py::none()) : py::object(py::str(w.column));
      exc.attr("value") = w.has_value ? py::object(py::str(w.value)) : py::object(py::none());
      exc.attr("message") = e.message();
      PyErr_SetObject(data_error.ptr(), exc.ptr());
    } catch (const hazard::UsageError& e) {
      usage_error(e.what());
    } catch (const hazard::NumericalError& e) {
      numerical_error(e.what());
    } catch (const hazard::IoError& e) {
      io_error(e.what());
    } catch (const nlohmann::json::exception& e) {
      usage_error((std::string("scenario: ") + e.what()).c_str());
    }
  });
  m.def("version", &hazard::version);
  m.def("version_text", &hazard::version_text);
  m.def("km", &km, "source"_a, "columns"_a, "roles"_a, "options"_a);
  m.def("logrank", &logrank, "source"_a, "columns"_a, "roles"_a, "options"_a);
  m.def("cox", &cox, "source"_a, "columns"_a, "roles"_a, "covariates"_a, "options"_a);
  m.def("design", &design, "settings"_a);
  m.def("simulate", &simulate, "settings"_a, "scenario_json"_a);
  m.def("reconstruct_arm", &reconstruct_arm, "arm"_a, "time"_a, "surv"_a, "risk_time"_a, "n_risk"_a,
        "total_events"_a, "scale"_a);
}
