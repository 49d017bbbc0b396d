// Analysis results data (one row per reported number, unrounded) as CSV and JSON, the figure
// inputs derived from the model, and write_report, which writes every output file of a report.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <utility>

#include "hazard/error.hpp"
#include "hazard/output.hpp"
#include "hazard/report.hpp"
#include "report/after_stop_section.hpp"
#include "report/canvas.hpp"
#include "report/readout_sections.hpp"

namespace hazard::report {

std::vector<ResultRow> result_rows(const ReportModel& m) {
  std::vector<ResultRow> rows;
  const std::string& ep = m.endpoint_code;
  auto add = [&](const std::string& cohort, const std::string& arm, const std::string& stat,
                 double v, const std::string& method, const std::string& tp = "") {
    rows.push_back({.endpoint = ep, .cohort = cohort, .arm = arm, .statistic = stat,
                    .timepoint = tp, .value = v, .method = method});
  };
  auto add_estimate = [&](const std::string& cohort, const std::string& arm, const std::string& stat,
                          const Estimate& e, const std::string& method, const std::string& tp = "") {
    add(cohort, arm, stat, e.value, method, tp);
    add(cohort, arm, stat + "_lower", e.lower, method, tp);
    add(cohort, arm, stat + "_upper", e.upper, method, tp);
  };
  for (const CohortResult& c : m.cohorts) {
    for (const ArmResult& a : c.arms) {
      add(c.name, a.arm, "n", a.n, "count");
      add(c.name, a.arm, "events", a.events, "count");
      add(c.name, a.arm, "events_pct", a.n > 0 ? 100 * a.events / a.n : na, "percent of n");
      add(c.name, a.arm, "censored", a.censored, "count");
      add(c.name, a.arm, "censored_pct", a.n > 0 ? 100 * a.censored / a.n : na, "percent of n");
      add_estimate(c.name, a.arm, "median", a.median, m.methods.km + "; " + m.methods.quantiles);
      add_estimate(c.name, a.arm, "q25", a.q25, m.methods.km + "; " + m.methods.quantiles);
      add_estimate(c.name, a.arm, "q75", a.q75, m.methods.km + "; " + m.methods.quantiles);
      add_estimate(c.name, a.arm, "followup_median", a.followup, m.methods.followup);
      for (std::size_t k = 0; k < m.landmark_times.size(); ++k)
        add_estimate(c.name, a.arm, "rate", k < a.landmarks.size() ? a.landmarks[k] : Estimate{},
                     m.methods.landmarks, fmt::format("{:g}", m.landmark_times[k]));
    }
    if (!m.strata.empty())
      add(c.name, "all arms", "n_excluded_stratified", c.n_excluded_stratified,
          "patients in N but not in the stratified Cox model and log-rank tests" +
              (c.excluded_stratified.empty() ? std::string() : ": " + c.excluded_stratified));
    const std::string pair = c.comparisons.size() > 1 ? " (the two arms' rows)" : "";
    for (const Comparison& cmp : c.comparisons) {
      const std::string vs = cmp.label();
      add_estimate(c.name, vs, "hr_stratified", cmp.hr_stratified, m.methods.hr_stratified);
      add_estimate(c.name, vs, "hr_unstratified", cmp.hr_unstratified, m.methods.hr_unstratified);
      add(c.name, vs, "p_two_sided", cmp.p_two_sided, m.methods.logrank + pair + ", two-sided");
      add(c.name, vs, "p_one_sided", cmp.p_one_sided,
          m.methods.logrank + pair + ", one-sided (HR < 1)");
    }
    if (c.comparisons.size() > 1) {
      const std::string method = m.methods.logrank + ", all arms (K-group chi-square)";
      add(c.name, "all arms", "chisq_global", c.global.chisq, method);
      add(c.name, "all arms", "df_global", c.global.df, method);
      add(c.name, "all arms", "p_global", c.global.p, method);
    }
  }
  detail::append_readout_rows(m, rows);  // safety, response, quality of life (when given)
  detail::append_after_stop_results(m, rows);
  return rows;
}

std::string render_results_csv(const ReportModel& m) {
  CsvWriter csv({.raw = m.csv_raw});
  for (const char* h : {"endpoint", "cohort", "arm", "statistic", "timepoint", "value", "method"}) csv.text(h);
  csv.row();
  for (const ResultRow& r : result_rows(m))
    csv.text(r.endpoint).text(r.cohort).text(r.arm).text(r.statistic).text(r.timepoint).number(r.value)
        .text(r.method).row();
  return csv.take();
}

std::string render_results_json(const ReportModel& m) {
  using nlohmann::json;
  json j;
  j["title"] = m.title;
  j["notice"] = m.notice;
  j["endpoint"] = m.endpoint;
  j["endpoint_code"] = m.endpoint_code;
  j["units"] = m.units;
  j["by"] = m.by;
  j["landmark_times"] = m.landmark_times;
  j["inputs"] = json::array();
  for (const InputFile& f : m.inputs)
    j["inputs"].push_back({{"path", f.path}, {"sha256", f.sha256}, {"bytes", f.bytes}});
  j["software"] = m.software;
  j["created"] = m.created;
  j["command"] = m.command;
  j["footnotes"] = m.footnotes;
  json rows = json::array();
  for (const ResultRow& r : result_rows(m)) {
    json row = {{"endpoint", r.endpoint}, {"cohort", r.cohort}, {"arm", r.arm},
                {"statistic", r.statistic}, {"method", r.method}};
    row["timepoint"] = r.timepoint.empty() ? json(nullptr) : json(r.timepoint);
    row["value"] = std::isfinite(r.value) ? json(r.value) : json(nullptr);
    rows.push_back(std::move(row));
  }
  j["results"] = std::move(rows);
  // What could not be estimated, and why (shown with each cohort in the HTML and RTF).
  json cohorts = json::array();
  auto num_or_null = [](double x) { return std::isfinite(x) ? json(x) : json(nullptr); };
  for (const CohortResult& c : m.cohorts) {
    // experimental / note: the first comparison (the only one with two arms), as before K arms.
    const Comparison first =
        c.comparisons.empty() ? Comparison{.control = c.control} : c.comparisons.front();
    json cmps = json::array();
    for (const Comparison& cmp : c.comparisons)
      cmps.push_back(
          {{"experimental", cmp.experimental}, {"control", cmp.control}, {"note", cmp.note}});
    json global = c.comparisons.size() > 1 ? json{{"chisq", num_or_null(c.global.chisq)},
                                                  {"df", num_or_null(c.global.df)},
                                                  {"p", num_or_null(c.global.p)}}
                                           : json(nullptr);
    cohorts.push_back({{"cohort", c.name},
                       {"experimental", first.experimental},
                       {"control", c.control},
                       {"note", !c.note.empty() ? c.note : first.note},
                       {"comparisons", cmps},
                       {"global_logrank", global},
                       {"excluded_stratified",
                        {{"count", c.n_excluded_stratified}, {"reason", c.excluded_stratified}}},
                       {"messages", c.messages}});
  }
  j["cohorts"] = std::move(cohorts);
  json forest = json::array();
  for (const plot::ForestRow& r : m.forest)
    forest.push_back({{"label", r.label},
                      {"indent", r.indent},
                      {"heading", r.heading},
                      {"n_experimental", num_or_null(r.n_experimental)},
                      {"events_experimental", num_or_null(r.events_experimental)},
                      {"n_control", num_or_null(r.n_control)},
                      {"events_control", num_or_null(r.events_control)},
                      {"hr", num_or_null(r.hr)},
                      {"lower", num_or_null(r.lower)},
                      {"upper", num_or_null(r.upper)},
                      {"note", r.note},
                      {"cohort", r.cohort},
                      {"subgroup", r.subgroup},
                      {"level", r.level},
                      {"comparison", r.comparison},
                      {"p_interaction", num_or_null(r.p_interaction)},
                      {"chisq_interaction", num_or_null(r.chisq_interaction)},
                      {"df_interaction", num_or_null(r.df_interaction)}});
  j["forest"] = std::move(forest);
  detail::add_readout_json(m, j);  // keys safety, response, qol (only when given)
  j["after_stop"] = detail::after_stop_json(m);
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";  // invalid UTF-8 (a file name): U+FFFD
}

std::string file_stem(const std::string& level) {
  std::string out;
  for (unsigned char ch : level) {
    if (out.size() >= 40) break;
    out += (std::isalnum(ch) || ch == '-' || ch == '_') ? static_cast<char>(ch) : '_';
  }
  return out.empty() ? "_" : out;
}

std::string km_file_stem(std::size_t index, const std::string& name) {
  return fmt::format("km_{}_{}", index + 1, file_stem(name));
}

plot::KmPlot km_plot(const ReportModel& m, const CohortResult& c) {
  plot::KmPlot p;
  p.options = m.km_options;
  if (p.options.title.empty()) p.options.title = c.name;
  if (p.options.y_label == plot::KmPlotOptions{}.y_label && !m.y_label.empty())
    p.options.y_label = m.y_label;
  if (p.options.x_label == plot::KmPlotOptions{}.x_label) p.options.x_label = time_heading(m);
  p.options.units = m.units;
  for (const ArmResult& a : c.arms) {
    plot::KmCurve curve = a.curve;
    curve.label = a.arm;
    if (!std::isfinite(curve.n)) curve.n = a.n;
    if (!std::isfinite(curve.median)) curve.median = a.median.value;
    p.curves.push_back(std::move(curve));
  }
  if (p.options.annotation.empty()) {
    const bool strat = !m.strata.empty();
    const bool many = c.comparisons.size() > 1;
    auto p_eq = [](double pv) {
      const std::string t = format_p(pv);
      return (t[0] == '<' ? "" : "=") + t;
    };
    std::vector<std::string> lines;
    for (const Comparison& cmp : c.comparisons) {
      // Two arms: "Stratified HR 0.33 (95% CI 0.19–0.56)" and "Stratified log-rank p=0.0001
      // (two-sided)"; more: one line per arm against the control, and the global test.
      const Estimate& hr = strat ? cmp.hr_stratified : cmp.hr_unstratified;
      const std::string prefix = many ? cmp.label() + ": " : "";
      std::string line;
      if (std::isfinite(hr.value))
        line = fmt::format("{}{} {:.2f} ({} {}\u2013{})", prefix, strat ? "Stratified HR" : "HR",
                           hr.value, ci_text(m.conf_level),
                           std::isfinite(hr.lower) ? fmt::format("{:.2f}", hr.lower) : "NE",
                           std::isfinite(hr.upper) ? fmt::format("{:.2f}", hr.upper) : "NE");
      else
        line = fmt::format("{}HR NE", prefix);
      if (std::isfinite(cmp.p_two_sided)) {
        if (many)
          line += fmt::format(", log-rank p{}", p_eq(cmp.p_two_sided));
        else
          line += fmt::format("\n{} p{} (two-sided)", strat ? "Stratified log-rank" : "Log-rank",
                              p_eq(cmp.p_two_sided));
      }
      if (!cmp.note.empty()) line += "\n" + cmp.note;
      lines.push_back(line);
    }
    if (many && std::isfinite(c.global.p))
      lines.push_back(fmt::format("{} p{} ({} arms, {:g} df)",
                                  strat ? "Stratified log-rank" : "Log-rank", p_eq(c.global.p),
                                  c.arms.size(), c.global.df));
    if (!c.note.empty()) lines.push_back(c.note);
    p.options.annotation = fmt::format("{}", fmt::join(lines, "\n"));
  }
  std::string foot = m.notice;
  for (const std::string& msg : c.messages) foot += (foot.empty() ? "" : "\n") + msg;
  if (!p.options.footnote.empty()) foot = p.options.footnote + (foot.empty() ? "" : "\n" + foot);
  p.options.footnote = foot;
  return p;
}

std::vector<plot::ForestRow> cohort_forest_rows(const ReportModel& m) {
  std::vector<plot::ForestRow> rows;
  for (const CohortResult& c : m.cohorts) {
    const bool many = c.comparisons.size() > 1;
    if (many) rows.push_back({.label = c.name, .heading = true, .cohort = c.name});
    if (c.comparisons.empty()) {
      plot::ForestRow r{.label = c.name, .cohort = c.name};
      for (const ArmResult& a : c.arms)
        if (a.arm == c.control) {
          r.n_control = a.n;
          r.events_control = a.events;
        }
      r.note = c.note.empty() ? "not estimable" : c.note;
      rows.push_back(std::move(r));
      continue;
    }
    for (const Comparison& cmp : c.comparisons) {
      plot::ForestRow r;
      r.label = many ? cmp.label() : c.name;
      r.indent = many ? 1 : 0;
      r.cohort = c.name;
      r.comparison = cmp.label();
      for (const ArmResult& a : c.arms) {
        if (a.arm == cmp.experimental) {
          r.n_experimental = a.n;
          r.events_experimental = a.events;
        } else if (a.arm == cmp.control) {
          r.n_control = a.n;
          r.events_control = a.events;
        }
      }
      r.hr = cmp.hr_stratified.value;
      r.lower = cmp.hr_stratified.lower;
      r.upper = cmp.hr_stratified.upper;
      if (!std::isfinite(r.hr)) r.note = cmp.note.empty() ? "not estimable" : cmp.note;
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

plot::ForestPlot forest_plot(const ReportModel& m) {
  plot::ForestPlot p;
  p.rows = m.forest;
  p.options = m.forest_options;
  const plot::ForestPlotOptions defaults;
  for (const CohortResult& c : m.cohorts) {
    if (c.comparisons.empty()) continue;
    // Three or more arms: the rows name the arm, the column is "Experimental".
    if (p.options.experimental == defaults.experimental && c.comparisons.size() == 1)
      p.options.experimental = c.comparisons[0].experimental;
    if (p.options.control == defaults.control) p.options.control = c.control;
    break;
  }
  if (p.options.estimate_label == defaults.estimate_label)
    p.options.estimate_label = "HR (" + ci_text(m.conf_level) + ")";
  if (p.options.footnote.empty()) p.options.footnote = m.notice;
  return p;
}

namespace {

// A name a report writes: report.html, efficacy.rtf, results.csv/json, forest.* or
// km_*.{svg,png,pdf} (a plain file name, no directory part). Only such names listed in our own
// manifest are removed.
bool report_file_name(const std::string& name) {
  if (name.empty() || name.find_first_of("/\\") != std::string::npos || name.rfind("..", 0) == 0)
    return false;
  if (name == "report.html" || name == "efficacy.rtf" || name == "results.csv" ||
      name == "results.json" || name == "readout.rtf")
    return true;
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return false;
  const std::string ext = name.substr(dot + 1), base = name.substr(0, dot);
  if (ext != "svg" && ext != "png" && ext != "pdf") return false;
  return base == "forest" || base.rfind("km_", 0) == 0;
}

// The files listed by the manifest a previous run left in `dir` (none when absent or not ours).
std::vector<std::string> previous_files(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::ifstream in(dir / manifest_name);
  if (!in) return out;
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("generated_by", "") != "hazard report" || !j.contains("files") ||
      !j["files"].is_array())
    return out;
  for (const auto& f : j["files"])
    if (f.is_string() && report_file_name(f.get<std::string>()))
      out.push_back(f.get<std::string>());
  return out;
}

}  // namespace

std::vector<std::string> write_report(const ReportModel& m, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool existed = fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) throw IoError("cannot create directory '" + dir + "': " + ec.message());
  std::vector<std::string> inputs;
  for (const InputFile& f : m.inputs) inputs.push_back(f.path);
  // What this run writes, by name.
  std::vector<std::pair<std::string, std::function<std::string()>>> files;
  constexpr plot::Format formats[] = {plot::Format::svg, plot::Format::png, plot::Format::pdf};
  for (std::size_t i = 0; i < m.cohorts.size(); ++i)
    for (plot::Format f : formats)
      files.emplace_back(km_file_stem(i, m.cohorts[i].name) + "." + std::string(plot::extension(f)),
                         [&m, i, f] { return plot::render_km(km_plot(m, m.cohorts[i]), f); });
  if (!m.forest.empty())
    for (plot::Format f : formats)
      files.emplace_back("forest." + std::string(plot::extension(f)),
                         [&m, f] { return plot::render_forest(forest_plot(m), f); });
  files.emplace_back("report.html", [&m] { return render_html(m); });
  files.emplace_back("efficacy.rtf", [&m] { return render_rtf(m); });
  if (!m.readout.empty())
    files.emplace_back("readout.rtf", [&m] { return detail::render_readout_rtf(m); });
  files.emplace_back("results.csv", [&m] { return render_results_csv(m); });
  files.emplace_back("results.json", [&m] { return render_results_json(m); });
  // Stale files of a previous run into this folder: those its manifest lists and we do not write.
  // Read before the new manifest replaces it; removed only once the new files are in place.
  std::vector<std::string> stale;
  for (const std::string& old : previous_files(dir)) {
    bool kept = false;
    for (const auto& f : files) kept = kept || f.first == old;
    if (!kept) stale.push_back(old);
  }

  // Every file goes to a temporary first; they are renamed together at the end (OutputSet), so a
  // failure leaves the folder as it was.
  std::vector<std::string> written;
  try {
    OutputSet out;
    nlohmann::json manifest = {{"generated_by", "hazard report"}, {"files", nlohmann::json::array()}};
    auto put = [&](const std::string& name, const std::string& bytes) {
      const std::string path = (fs::path(dir) / name).string();
      refuse_overwrite(path, inputs, "--out");
      out.add(path).write(bytes);
      written.push_back(path);
    };
    for (const auto& [name, render] : files) {
      put(name, render());
      manifest["files"].push_back(name);
    }
    put(manifest_name, manifest.dump(2) + "\n");
    out.commit();
  } catch (...) {
    // the temporaries are removed with `out`; a folder made for the report goes too when empty
    if (!existed) fs::remove(dir, ec);
    throw;
  }
  for (const std::string& old : stale) {
    fs::remove(fs::path(dir) / old, ec);
    if (ec)
      throw IoError("cannot remove the stale report file '" + (fs::path(dir) / old).string() +
                    "': " + ec.message());
  }
  return written;
}

}  // namespace hazard::report
