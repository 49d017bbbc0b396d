// report.html: one self-contained page with the efficacy table, the KM figures, the forest plot,
// the footnotes and the provenance (input SHA-256, software build, date, command).
//
// Self-contained means: CSS inline, figures as data: URIs (SVG, base64; each figure is its own
// document, so the glyph ids cairo writes into every SVG cannot collide), no scripts, no fonts or
// images fetched, no links out. It prints on A4/Letter (@media print: no shadows, figures kept on
// one page, the table repeats its header). Every text from data is HTML-escaped.
#include <cmath>
#include <fmt/format.h>

#include "hazard/report.hpp"
#include "report/efficacy_table.hpp"
#include "report/readout_sections.hpp"

namespace hazard::report {

namespace {

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

/// Escaped text with line breaks as <br>.
std::string esc_lines(std::string_view s) {
  std::string e = esc(s), out;
  for (char ch : e) {
    if (ch == '\n')
      out += "<br>";
    else
      out += ch;
  }
  return out;
}

std::string base64(std::string_view in) {
  static constexpr char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += tbl[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += i + 1 < in.size() ? tbl[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string figure(const std::string& svg, const std::string& alt, const std::string& caption,
                   const std::string& id, const char* cls = "km") {
  return fmt::format(
      "<figure id=\"{}\" class=\"{}\"><img alt=\"{}\" src=\"data:image/svg+xml;base64,{}\">"
      "<figcaption>{}</figcaption></figure>\n",
      esc(id), cls, esc(alt), base64(svg), esc_lines(caption));
}

constexpr const char* css = R"(
:root { color-scheme: light; }
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 14px; color: #111;
       max-width: 1100px; margin: 24px auto; padding: 0 16px; line-height: 1.4; }
h1 { font-size: 1.6em; margin: 0 0 0.3em; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
.notice { border: 2px solid #d55e00; background: #fff4ec; color: #7a2e00; font-weight: bold;
          padding: 0.5em 0.8em; margin: 0.6em 0 1em; }
table { border-collapse: collapse; }
table.efficacy { width: 100%; font-variant-numeric: tabular-nums; }
table.efficacy th, table.efficacy td { padding: 3px 8px; text-align: center; vertical-align: top; }
table.efficacy thead tr:first-child th { border-top: 2px solid #111; }
table.efficacy thead tr:last-child th { border-bottom: 1px solid #111; }
table.efficacy tbody tr:last-child td { border-bottom: 2px solid #111; }
table.efficacy th.cohort { border-bottom: 1px solid #999; }
table.efficacy td.label, table.efficacy th.label { text-align: left; }
table.efficacy tr.section td { font-weight: bold; padding-top: 0.7em; text-align: left; }
table.efficacy td.indent1 { padding-left: 1.6em; }
table.efficacy td.note { font-style: italic; color: #555; }
.footnotes { font-size: 0.9em; color: #333; }
.footnotes ol { padding-left: 1.4em; }
.messages { color: #7a2e00; }
figure { margin: 1em 0 1.5em; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%; max-width: 760px; height: auto; display: block; }
figure.forest img { max-width: 980px; }
figcaption { font-size: 0.9em; color: #333; margin-top: 0.3em; }
table.provenance td, table.provenance th { text-align: left; padding: 2px 10px 2px 0; vertical-align: top; }
code, pre { font-family: "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 0.85em; }
pre { white-space: pre-wrap; margin: 0; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-inside: auto; }
  table.efficacy thead { display: table-header-group; }
  figure img { max-width: 100%; }
  .notice { background: none; }
}
)";

std::string table_html(const detail::Table& t, const char* table_class = "efficacy") {
  std::string out = fmt::format("<table class=\"{}\">\n<thead>\n", table_class);
  for (std::size_t h = 0; h < t.header.size(); ++h) {
    const detail::Row& r = t.header[h];
    const bool cohort_row = t.header.size() > 1 && h == 0;
    out += "<tr>";
    for (std::size_t i = 0; i < r.cells.size(); ++i) {
      const detail::Cell& c = r.cells[i];
      std::string cls = i == 0 ? "label" : (cohort_row ? "cohort" : "arm");
      std::string attrs;
      if (!c.stat.empty())
        attrs = fmt::format(" data-cohort=\"{}\" data-arm=\"{}\" data-stat=\"{}\" data-value=\"{}\"",
                            esc(c.cohort), esc(c.arm), esc(c.stat), c.value);
      out += fmt::format("<th scope=\"col\" class=\"{}\"{}{}>{}</th>", cls,
                         c.span > 1 ? fmt::format(" colspan=\"{}\"", c.span) : "", attrs,
                         esc_lines(c.text));
    }
    out += "</tr>\n";
  }
  out += "</thead>\n<tbody>\n";
  for (const detail::Row& r : t.body) {
    if (r.section) {
      out += fmt::format("<tr class=\"section\"><td colspan=\"{}\">{}</td></tr>\n", t.columns,
                         esc(r.cells[0].text));
      continue;
    }
    out += "<tr>";
    for (std::size_t i = 0; i < r.cells.size(); ++i) {
      const detail::Cell& c = r.cells[i];
      if (i == 0) {
        out += fmt::format("<td class=\"label indent{}\">{}</td>", r.indent, esc(c.text));
        continue;
      }
      std::string attrs;
      if (!c.stat.empty()) {
        attrs = fmt::format(" data-cohort=\"{}\" data-arm=\"{}\" data-stat=\"{}\"", esc(c.cohort),
                            esc(c.arm), esc(c.stat));
        if (!c.timepoint.empty()) attrs += fmt::format(" data-timepoint=\"{}\"", esc(c.timepoint));
        attrs += std::isfinite(c.value) ? fmt::format(" data-value=\"{}\"", c.value)
                                        : std::string(" data-value=\"NA\"");
      }
      out += fmt::format("<td{}{}{}>{}</td>", c.span > 1 ? fmt::format(" colspan=\"{}\"", c.span) : "",
                         c.stat.empty() ? " class=\"note\"" : "", attrs, esc_lines(c.text));
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  return out;
}

std::string efficacy_html(const ReportModel& m) { return table_html(detail::efficacy_table(m)); }

}  // namespace

std::string render_html(const ReportModel& m) {
  const std::string title = m.title.empty() ? "hazard report" : m.title;
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"hazard\">\n";
  out += "<title>" + esc(title) + "</title>\n<style>" + std::string(css) + "</style>\n</head>\n<body>\n";
  out += "<header>\n<h1>" + esc(title) + "</h1>\n";
  if (!m.notice.empty()) out += "<p class=\"notice\" role=\"note\">" + esc_lines(m.notice) + "</p>\n";
  out += "</header>\n";

  out += "<section id=\"efficacy\">\n<h2>Efficacy: " + esc(m.endpoint) + "</h2>\n";
  if (m.cohorts.empty())
    out += "<p class=\"messages\">No cohort has data: there is nothing to tabulate.</p>\n";
  else
    out += efficacy_html(m);
  std::string messages;
  for (const CohortResult& c : m.cohorts)
    for (const std::string& msg : c.messages) messages += "<li>" + esc(c.name) + ": " + esc(msg) + "</li>";
  if (!messages.empty()) out += "<ul class=\"messages\">" + messages + "</ul>\n";
  out += "<div class=\"footnotes\"><ol>\n";
  for (const std::string& f : detail::method_notes(m)) out += "<li>" + esc(f) + "</li>\n";
  for (const std::string& f : m.footnotes) out += "<li>" + esc(f) + "</li>\n";
  out += "</ol></div>\n</section>\n";

  if (!m.cohorts.empty()) {
    out += "<section id=\"km\">\n<h2>Kaplan–Meier curves</h2>\n";
    for (std::size_t i = 0; i < m.cohorts.size(); ++i) {
      const CohortResult& c = m.cohorts[i];
      const plot::KmPlot kp = km_plot(m, c);
      bool bands = false;
      for (const plot::KmCurve& k : kp.curves) bands = bands || !k.lower.empty();
      out += figure(
          plot::render_km(kp, plot::Format::svg),
          "Kaplan–Meier plot of " + m.endpoint + ", " + c.name,
          "Kaplan–Meier estimate of " + m.endpoint + ", " + c.name +
              (bands && kp.options.ci_bands
                   ? fmt::format(", with pointwise {:g}% confidence bands", m.conf_level * 100)
                   : "") +
              "; censored observations marked; number at risk under the plot.",
          "km-" + std::to_string(i + 1));
    }
    out += "</section>\n";
  }
  if (!m.forest.empty()) {
    out += "<section id=\"forest\">\n<h2>Hazard ratios by cohort and subgroup</h2>\n";
    out += figure(
        plot::render_forest(forest_plot(m), plot::Format::svg), "Forest plot of hazard ratios",
        "Hazard ratio with " + ci_text(m.conf_level) + " on a log scale" +
            (m.strata.empty() ? std::string(".")
                              : "; cohorts stratified as in the table, subgroups unstratified."),
        "forest-plot", "forest");
    out += "</section>\n";
  }

  out += detail::readout_html(m);  // safety, response, quality of life (when given)

  out += "<section id=\"provenance\">\n<h2>Provenance</h2>\n<table class=\"provenance\">\n";
  for (const InputFile& f : m.inputs)
    out += fmt::format("<tr><th>Input</th><td><code>{}</code> ({} bytes)<br>SHA-256 <code>{}</code></td></tr>\n",
                       esc(f.path), f.bytes, esc(f.sha256));
  if (!m.command.empty()) out += "<tr><th>Command</th><td><code>" + esc(m.command) + "</code></td></tr>\n";
  if (!m.created.empty()) out += "<tr><th>Created</th><td>" + esc(m.created) + "</td></tr>\n";
  if (!m.software.empty()) out += "<tr><th>Software</th><td><pre>" + esc(m.software) + "</pre></td></tr>\n";
  out += "</table>\n</section>\n</body>\n</html>\n";
  return out;
}

}  // namespace hazard::report

// The pieces the readout sections (readout_sections.cpp) share with the efficacy page.
namespace hazard::report::detail {
std::string html_table(const Table& t) { return table_html(t, "efficacy readout"); }
std::string html_text(std::string_view s) { return esc_lines(s); }
std::string html_figure(const std::string& svg, const std::string& alt, const std::string& caption,
                        const std::string& id) {
  return figure(svg, alt, caption, id);
}
}  // namespace hazard::report::detail
