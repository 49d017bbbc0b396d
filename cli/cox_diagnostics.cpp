// hazard cox survival curves (docs/cli/cox.md, "Survival curves"): parses
// --survfit/--newdata/--survfit-out/--conf-type, calls the library
// (hazard/cox_survfit.hpp) and formats its results. No math here.
#include "cox_diagnostics.hpp"

#include <cmath>
#include <limits>
#include <cstdio>
#include <memory>
#include <optional>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hazard/csv.hpp"
#include "hazard/output.hpp"
#include "hazard/cox_survfit.hpp"
#include "hazard/error.hpp"

namespace hazard::cli {
namespace {

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

/// The covariate values of the newdata rows, in the model's columns (Design::parts).
struct Newdata {
  Eigen::MatrixXd x;
  std::vector<double> offset;
  std::vector<std::int32_t> stratum;  ///< empty when the file has no strata columns
  std::vector<std::uint64_t> line;
};

Newdata read_newdata(const std::string& path, const DataOptions& data, const SurvData& sd, const Design& design,
                     const CoxData& cd, const std::string& offset_column) {
  if (path == "-" && data.data == "-")
    throw UsageError("--data - and --newdata -: standard input holds one file; give the other by name");
  Table t = read_csv(path);
  Newdata nd;
  const std::size_t m = t.rows();
  const auto P = cd.x.cols();
  nd.x.resize(static_cast<Eigen::Index>(m), P);
  nd.line = t.line.to_vector();
  auto need = [&](const std::string& col) -> const Column& {
    const Column* c = t.find(col);
    if (!c) throw DataError({.file = path}, fmt::format("--newdata: the file has no column '{}' (needed by the model)", col));
    return *c;
  };
  auto check = [&](const Column& c, std::size_t i) {
    if (c.is_missing(i))
      throw DataError({.file = path, .line = t.line[i], .column = c.name}, "--newdata: missing value");
  };
  // each variable's value per row: the number, or the index of its level (-1: not a level, so
  // every indicator is 0)
  std::vector<std::vector<double>> value(design.variables.size());
  for (std::size_t v = 0; v < design.variables.size(); ++v) {
    const auto& var = design.variables[v];
    const Column& c = need(var.column);
    value[v].resize(m);
    for (std::size_t i = 0; i < m; ++i) {
      check(c, i);
      if (var.numeric) {
        if (!c.is_numeric())
          throw DataError({.file = path, .line = t.line[i], .column = var.column, .value = c.text(i), .has_value = true},
                          "--newdata: a numeric covariate expected");
        value[v][i] = c.numbers[i];
      } else {
        const auto it = std::find(var.levels.begin(), var.levels.end(), c.text(i));
        value[v][i] = it == var.levels.end() ? -1.0 : static_cast<double>(it - var.levels.begin());
      }
    }
  }
  for (std::size_t j = 0; j < design.parts.size(); ++j)
    for (std::size_t i = 0; i < m; ++i) {
      double x = 1;
      for (const auto& [v, l] : design.parts[j]) x *= l < 0 ? value[v][i] : (value[v][i] == l ? 1.0 : 0.0);
      nd.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = x;
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

CoxCurveWriter::~CoxCurveWriter() = default;

bool CoxCurveWriter::wanted() const { return state_->wanted; }

void CoxCurveWriter::write(std::FILE* out, bool json) const {
  const State& st = *state_;
  if (!st.wanted) return;
  const SurvData& sd = st.sd;
  const bool at_means = st.bo.newdata.size() == 0;
  // --survfit-out: written as the curves come, to a temporary renamed when complete (output.hpp)
  std::optional<OutputFile> file;
  std::optional<CsvWriter> csv;
  if (!st.options.survfit_out.empty()) {
    file.emplace(st.options.survfit_out);
    csv.emplace(*file, CsvWriteOptions{.raw = st.options.csv_raw, .infinity = true});
    for (const char* h : {"strata", "newdata_line", "time", "n_risk", "n_event", "n_censor", "cumhaz", "surv",
                          "std_err", "lower", "upper"})
      csv->text(h);
    csv->row();
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
    if (csv) {
      const double na = std::numeric_limits<double>::quiet_NaN();
      for (std::size_t k = 0; k < c.time.size(); ++k) {
        csv->text(stratum_label(sd, c.stratum));
        if (at_means) csv->empty();
        else csv->integer(static_cast<std::int64_t>(st.nd.line[c.newdata_row]));
        csv->number(c.time[k]).number(c.n_risk[k]).number(c.n_event[k]).number(c.n_censor[k]).number(c.cumhaz[k])
            .number(c.surv[k]).number(c.std_err[k]).number(c.lower.empty() ? na : c.lower[k])
            .number(c.upper.empty() ? na : c.upper[k]).row();
      }
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
  if (csv) {
    csv->finish();
    file->commit();
  }
}

}  // namespace hazard::cli
