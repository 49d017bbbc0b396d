// hazard cox survival curves (docs/cli/cox.md, "Survival curves"): parses
// --survfit/--newdata/--survfit-out/--conf-type, calls the library
// (hazard/cox_survfit.hpp) and formats its results. No math here.
#include "cox_diagnostics.hpp"

#include <cmath>
#include <cstdio>
#include <memory>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hazard/csv.hpp"
#include "hazard/cox_survfit.hpp"
#include "hazard/error.hpp"

namespace hazard::cli {
namespace {

std::string csv_num(double x) {
  if (std::isnan(x)) return "NA";
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  return fmt::format("{}", x);
}

nlohmann::json num_array(const std::vector<double>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (double x : v) a.push_back(num(x));
  return a;
}

CoxConfType conf_type_of(const std::string& s) {
  if (s == "log") return CoxConfType::log;
  if (s == "log-log") return CoxConfType::log_log;
  if (s == "plain") return CoxConfType::plain;
  if (s == "none") return CoxConfType::none;
  throw UsageError(fmt::format("--conf-type {}: expected log, log-log, plain or none", s));
}

std::string stratum_label(const SurvData& sd, std::int32_t code) {
  if (sd.strata_levels.empty()) return "";
  return sd.strata_levels.at(static_cast<std::size_t>(code));
}

/// The covariate values of the newdata rows, in the model's columns (group indicators first).
struct Newdata {
  Eigen::MatrixXd x;
  std::vector<double> offset;
  std::vector<std::int32_t> stratum;  ///< empty when the file has no strata columns
  std::vector<std::uint64_t> line;
};

Newdata read_newdata(const std::string& path, const DataOptions& data, const SurvData& sd, const Design& design,
                     const CoxData& cd, const std::string& offset_column) {
  Table t = read_csv(path);
  Newdata nd;
  const std::size_t m = t.rows();
  const auto P = cd.x.cols();
  const Eigen::Index ng = P - static_cast<Eigen::Index>(design.names.size());
  nd.x.resize(static_cast<Eigen::Index>(m), P);
  nd.line = t.line;
  auto need = [&](const std::string& col) -> const Column& {
    const Column* c = t.find(col);
    if (!c) throw DataError({.file = path}, fmt::format("--newdata: the file has no column '{}' (needed by the model)", col));
    return *c;
  };
  auto check = [&](const Column& c, std::size_t i) {
    if (c.is_missing(i))
      throw DataError({.file = path, .line = t.line[i], .column = c.name}, "--newdata: missing value");
  };
  if (ng > 0) {
    const Column& g = need(sd.group_name);
    for (std::size_t i = 0; i < m; ++i) {
      check(g, i);
      for (Eigen::Index k = 0; k < ng; ++k)
        nd.x(static_cast<Eigen::Index>(i), k) = g.text(i) == sd.group_levels[static_cast<std::size_t>(k + 1)] ? 1.0 : 0.0;
    }
  }
  for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(design.names.size()); ++j) {
    const std::string& src = design.term_names[design.term[static_cast<std::size_t>(j)]];
    const std::string& name = design.names[static_cast<std::size_t>(j)];
    const Column& c = need(src);
    const bool numeric = name == src;
    const std::string level = numeric ? "" : name.substr(src.size() + 1, name.size() - src.size() - 2);
    for (std::size_t i = 0; i < m; ++i) {
      check(c, i);
      double v;
      if (numeric) {
        if (!c.is_numeric())
          throw DataError({.file = path, .line = t.line[i], .column = src, .value = c.text(i), .has_value = true},
                          "--newdata: a numeric covariate expected");
        v = c.numbers[i];
      } else {
        v = c.text(i) == level ? 1.0 : 0.0;
      }
      nd.x(static_cast<Eigen::Index>(i), ng + j) = v;
    }
  }
  if (!offset_column.empty()) {
    const Column& c = need(offset_column);
    for (std::size_t i = 0; i < m; ++i) {
      check(c, i);
      nd.offset.push_back(c.is_numeric() ? c.numbers[i] : std::stod(c.text(i)));
    }
  }
  // strata: used when every strata column is present (as R: else one curve per stratum)
  bool all_strata = !data.strata.empty();
  for (const auto& s : data.strata) all_strata = all_strata && t.find(s) != nullptr;
  if (all_strata) {
    for (std::size_t i = 0; i < m; ++i) {
      std::string label;
      for (std::size_t s = 0; s < data.strata.size(); ++s) {
        const Column& c = *t.find(data.strata[s]);
        check(c, i);
        label += fmt::format("{}{}={}", s ? ", " : "", data.strata[s], c.text(i));
      }
      std::int32_t code = -1;
      for (std::size_t k = 0; k < sd.strata_levels.size(); ++k)
        if (sd.strata_levels[k] == label) code = static_cast<std::int32_t>(k);
      if (code < 0)
        throw DataError({.file = path, .line = t.line[i], .value = label, .has_value = true},
                        "--newdata: a stratum not found in the fitted data");
      nd.stratum.push_back(code);
    }
  }
  return nd;
}

}  // namespace

void add_cox_diagnostics_options(CLI::App* cmd, CoxDiagnosticsOptions& o) {
  cmd->add_flag("--survfit", o.survfit,
                "Survival curves per stratum at the covariate means with standard errors and CI (R's survfit(fit))");
  cmd->add_option("--newdata", o.newdata, "CSV of covariate values: curves at each row instead of at the means (implies --survfit)");
  cmd->add_option("--survfit-out", o.survfit_out, "Also write the curves of --survfit to this CSV file");
  cmd->add_option("--conf-type", o.conf_type, "Confidence interval of the curves: log (default, as R), log-log, plain, none");
}

struct CoxCurveWriter::State {
  CoxDiagnosticsOptions options;
  const SurvData& sd;
  const CoxData& cd;
  const CoxResult& fit;
  double conf_level;
  CoxSurvfitOptions bo;
  Newdata nd;
  bool wanted = false;
};

CoxCurveWriter::CoxCurveWriter(const CoxDiagnosticsOptions& o, const DataOptions& data, const SurvData& sd,
                               const Design& design, const CoxData& cd, const CoxResult& fit,
                               const std::string& offset_column, double conf_level)
    : state_(new State{o, sd, cd, fit, conf_level, {}, {}, false}) {
  State& st = *state_;
  st.wanted = o.survfit || !o.newdata.empty() || !o.survfit_out.empty();
  if (!st.wanted) return;
  st.bo = CoxSurvfitOptions{.conf_level = conf_level, .conf_type = conf_type_of(o.conf_type)};
  if (!o.newdata.empty()) {
    st.nd = read_newdata(o.newdata, data, sd, design, cd, offset_column);
    st.bo.newdata = st.nd.x;
    st.bo.new_offset = st.nd.offset;
    st.bo.new_stratum = st.nd.stratum;
  }
}

CoxCurveWriter::~CoxCurveWriter() { delete state_; }

bool CoxCurveWriter::wanted() const { return state_->wanted; }

void CoxCurveWriter::write(std::FILE* out, bool json) const {
  const State& st = *state_;
  if (!st.wanted) return;
  const SurvData& sd = st.sd;
  const bool at_means = st.bo.newdata.size() == 0;
  std::ofstream csv;
  if (!st.options.survfit_out.empty()) {
    csv.open(st.options.survfit_out);
    if (!csv) throw IoError(fmt::format("cannot write {}", st.options.survfit_out));
    csv << "strata,newdata_line,time,n_risk,n_event,n_censor,cumhaz,surv,std_err,lower,upper\n";
  }
  if (json) {
    std::vector<double> means(st.fit.means.data(), st.fit.means.data() + st.fit.means.size());
    const nlohmann::json head = {{"at", at_means ? "means" : "newdata"}, {"means", num_array(means)},
                                 {"conf_type", st.options.conf_type}, {"conf_level", st.conf_level}};
    std::string h = head.dump();
    h.pop_back();  // the closing brace: the curves follow
    fmt::print(out, "\"survfit\": {},\"curves\": [", h);
  }
  bool first = true;
  cox_survfit(st.cd, st.fit, st.bo, [&](const CoxSurvCurve& c) {
    if (csv.is_open()) {
      for (std::size_t k = 0; k < c.time.size(); ++k)
        csv << csv_quote(stratum_label(sd, c.stratum)) << "," << (at_means ? std::string() : std::to_string(st.nd.line[c.newdata_row]))
            << "," << csv_num(c.time[k]) << "," << csv_num(c.n_risk[k]) << "," << csv_num(c.n_event[k]) << ","
            << csv_num(c.n_censor[k]) << "," << csv_num(c.cumhaz[k]) << "," << csv_num(c.surv[k]) << ","
            << csv_num(c.std_err[k]) << "," << (c.lower.empty() ? "NA" : csv_num(c.lower[k])) << ","
            << (c.upper.empty() ? "NA" : csv_num(c.upper[k])) << "\n";
      if (!csv) throw IoError(fmt::format("error writing {}", st.options.survfit_out));
    }
    if (json) {
      nlohmann::json j = {{"stratum", sd.strata_levels.empty() ? nlohmann::json(nullptr) : nlohmann::json(stratum_label(sd, c.stratum))},
                          {"newdata_line", at_means ? nlohmann::json(nullptr) : nlohmann::json(st.nd.line[c.newdata_row])},
                          {"time", num_array(c.time)}, {"n_risk", num_array(c.n_risk)}, {"n_event", num_array(c.n_event)},
                          {"n_censor", num_array(c.n_censor)}, {"cumhaz", num_array(c.cumhaz)}, {"surv", num_array(c.surv)},
                          {"std_err", num_array(c.std_err)}};
      if (st.bo.conf_type != CoxConfType::none) {
        j["lower"] = num_array(c.lower);
        j["upper"] = num_array(c.upper);
      }
      fmt::print(out, "{}\n    {}", first ? "" : ",", j.dump());
      first = false;
      return;
    }
    std::string text = "\nSurvival curve (survfit)";
    text += at_means ? " at the covariate means" : fmt::format(" at newdata line {}", st.nd.line[c.newdata_row]);
    if (!sd.strata_levels.empty()) text += ", " + stratum_label(sd, c.stratum);
    text += fmt::format("\n{:>10} {:>8} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "time", "n.risk", "n.event",
                        "cumhaz", "survival", "std.err", "lower", "upper");
    for (std::size_t k = 0; k < c.time.size(); ++k) {
      if (c.n_event[k] == 0) continue;  // as R's summary(survfit): event times only
      text += fmt::format("{:>10g} {:>8g} {:>8g} {:>10.4g} {:>10.4g} {:>10.4g} {:>10} {:>10}\n", c.time[k],
                          c.n_risk[k], c.n_event[k], c.cumhaz[k], c.surv[k], c.std_err[k],
                          c.lower.empty() ? "" : fmt::format("{:.4g}", c.lower[k]),
                          c.upper.empty() ? "" : fmt::format("{:.4g}", c.upper[k]));
    }
    fmt::print(out, "{}", text);
  });
  if (json) fmt::print(out, "\n  ]}}");
  if (csv.is_open()) {
    csv.close();
    if (!csv) throw IoError(fmt::format("error writing {}", st.options.survfit_out));
  }
}

}  // namespace hazard::cli
