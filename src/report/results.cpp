// Analysis results data (one row per reported number, unrounded) as CSV and JSON, the figure
// inputs derived from the model, and write_report, which writes every output file of a report.
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hazard/error.hpp"
#include "hazard/output.hpp"
#include "hazard/report.hpp"
#include "report/canvas.hpp"

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
      for (std::size_t k = 0; k < m.landmark_times.size(); ++k)
        add_estimate(c.name, a.arm, "rate", k < a.landmarks.size() ? a.landmarks[k] : Estimate{},
                     m.methods.landmarks, fmt::format("{:g}", m.landmark_times[k]));
    }
    const Comparison& cmp = c.comparison;
    if (cmp.experimental.empty() && cmp.control.empty()) continue;
    const std::string vs = cmp.experimental + " vs " + cmp.control;
    add_estimate(c.name, vs, "hr_stratified", cmp.hr_stratified, m.methods.hr_stratified);
    add_estimate(c.name, vs, "hr_unstratified", cmp.hr_unstratified, m.methods.hr_unstratified);
    add(c.name, vs, "p_two_sided", cmp.p_two_sided, m.methods.logrank + ", two-sided");
    add(c.name, vs, "p_one_sided", cmp.p_one_sided, m.methods.logrank + ", one-sided (HR < 1)");
  }
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
  for (const CohortResult& c : m.cohorts)
    cohorts.push_back({{"cohort", c.name}, {"experimental", c.comparison.experimental},
                       {"control", c.comparison.control}, {"note", c.comparison.note}, {"messages", c.messages}});
  j["cohorts"] = std::move(cohorts);
  json forest = json::array();
  auto num_or_null = [](double x) { return std::isfinite(x) ? json(x) : json(nullptr); };
  for (const plot::ForestRow& r : m.forest)
    forest.push_back({{"label", r.label}, {"indent", r.indent}, {"heading", r.heading},
                      {"n_experimental", num_or_null(r.n_experimental)},
                      {"events_experimental", num_or_null(r.events_experimental)},
                      {"n_control", num_or_null(r.n_control)}, {"events_control", num_or_null(r.events_control)},
                      {"hr", num_or_null(r.hr)}, {"lower", num_or_null(r.lower)}, {"upper", num_or_null(r.upper)},
                      {"note", r.note}});
  j["forest"] = std::move(forest);
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";  // invalid UTF-8 (a file name): U+FFFD
}

std::string file_stem(const std::string& level) {
  std::string out;
  for (unsigned char ch : level)
    out += (std::isalnum(ch) || ch == '-' || ch == '_') ? static_cast<char>(ch) : '_';
  return out.empty() ? "_" : out;
}

plot::KmPlot km_plot(const ReportModel& m, const CohortResult& c) {
  plot::KmPlot p;
  p.options = m.km_options;
  if (p.options.title.empty()) p.options.title = c.name;
  if (p.options.y_label == plot::KmPlotOptions{}.y_label && !m.endpoint.empty())
    p.options.y_label = m.endpoint + " (%)";
  if (p.options.x_label == plot::KmPlotOptions{}.x_label && !m.units.empty())
    p.options.x_label = "Time since randomization (" + m.units + ")";
  p.options.units = m.units;
  for (const ArmResult& a : c.arms) {
    plot::KmCurve curve = a.curve;
    curve.label = a.arm;
    if (!std::isfinite(curve.n)) curve.n = a.n;
    if (!std::isfinite(curve.median)) curve.median = a.median.value;
    p.curves.push_back(std::move(curve));
  }
  if (p.options.annotation.empty()) {
    const Comparison& cmp = c.comparison;
    const Estimate& hr = cmp.hr_stratified;
    std::string ann;
    if (std::isfinite(hr.value))
      ann = fmt::format("Stratified HR {:.2f} (95% CI {}\u2013{})", hr.value,
                        std::isfinite(hr.lower) ? fmt::format("{:.2f}", hr.lower) : "NE",
                        std::isfinite(hr.upper) ? fmt::format("{:.2f}", hr.upper) : "NE");
    if (std::isfinite(cmp.p_two_sided)) {
      std::string p_text = format_p(cmp.p_two_sided);
      ann += (ann.empty() ? "" : "\n") + std::string("Stratified log-rank p") +
             (p_text[0] == '<' ? p_text : "=" + p_text) + " (two-sided)";
    }
    if (!cmp.note.empty()) ann += (ann.empty() ? "" : "\n") + cmp.note;
    p.options.annotation = ann;
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
    plot::ForestRow r;
    r.label = c.name;
    for (const ArmResult& a : c.arms) {
      if (a.arm == c.comparison.experimental) {
        r.n_experimental = a.n;
        r.events_experimental = a.events;
      } else if (a.arm == c.comparison.control) {
        r.n_control = a.n;
        r.events_control = a.events;
      }
    }
    r.hr = c.comparison.hr_stratified.value;
    r.lower = c.comparison.hr_stratified.lower;
    r.upper = c.comparison.hr_stratified.upper;
    if (!std::isfinite(r.hr))
      r.note = c.comparison.note.empty() ? "not estimable" : c.comparison.note;
    rows.push_back(std::move(r));
  }
  return rows;
}

plot::ForestPlot forest_plot(const ReportModel& m) {
  plot::ForestPlot p;
  p.rows = m.forest;
  p.options = m.forest_options;
  const plot::ForestPlotOptions defaults;
  for (const CohortResult& c : m.cohorts) {
    if (c.comparison.experimental.empty()) continue;
    if (p.options.experimental == defaults.experimental) p.options.experimental = c.comparison.experimental;
    if (p.options.control == defaults.control) p.options.control = c.comparison.control;
    break;
  }
  if (p.options.footnote.empty()) p.options.footnote = m.notice;
  return p;
}

std::vector<std::string> write_report(const ReportModel& m, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool existed = fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) throw IoError("cannot create directory '" + dir + "': " + ec.message());
  std::vector<std::string> inputs;
  for (const InputFile& f : m.inputs) inputs.push_back(f.path);
  // Every file goes to a temporary first; they are renamed together at the end.
  OutputSet files;
  std::vector<std::string> written;
  auto put = [&](const std::string& name, const std::string& bytes) {
    std::string path = (fs::path(dir) / name).string();
    refuse_overwrite(path, inputs, "--out");
    files.add(path).write(bytes);
    written.push_back(path);
  };
  try {
  for (const CohortResult& c : m.cohorts) {
    plot::KmPlot kp = km_plot(m, c);
    for (plot::Format f : {plot::Format::svg, plot::Format::png, plot::Format::pdf})
      put("km_" + file_stem(c.name) + "." + std::string(plot::extension(f)), plot::render_km(kp, f));
  }
  if (!m.forest.empty()) {
    plot::ForestPlot fp = forest_plot(m);
    for (plot::Format f : {plot::Format::svg, plot::Format::png, plot::Format::pdf})
      put("forest." + std::string(plot::extension(f)), plot::render_forest(fp, f));
  }
  put("report.html", render_html(m));
  put("efficacy.rtf", render_rtf(m));
  put("results.csv", render_results_csv(m));
  put("results.json", render_results_json(m));
  files.commit();
  } catch (...) {
    // the temporaries are removed with `files`; a folder made for the report goes too when empty
    if (!existed) fs::remove(dir, ec);
    throw;
  }
  return written;
}

}  // namespace hazard::report
