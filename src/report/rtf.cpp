// efficacy.rtf: the efficacy table as Rich Text Format (Microsoft RTF 1.9.1 specification), the
// format pharma tables and listings are delivered in, followed by one page per KM figure (and the
// forest plot) embedded as PNG (\pict\pngblip, hex encoded) and the provenance.
//
// Layout: A4 landscape, 2 cm margins, Arial 9 pt; the header rows repeat on every page (\trhdr);
// spanning cells are written as wider cells (each RTF row defines its own cell boundaries), so no
// merge flags are needed. Text is escaped: \ { } are quoted, non-ASCII characters are written as
// \uN? (signed 16-bit, surrogate pairs above U+FFFF), line breaks as \line.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "hazard/report.hpp"
#include "report/efficacy_table.hpp"

namespace hazard::report {

namespace {

constexpr int page_w = 16838, page_h = 11906, margin = 1134;  // twips: A4 landscape, 2 cm
constexpr int usable_w = page_w - 2 * margin;
constexpr int usable_h = page_h - 2 * margin;

void put_unicode(std::string& out, std::uint32_t cp) {
  auto one = [&](std::uint32_t u) {
    out += fmt::format("\\u{}?", static_cast<int>(static_cast<std::int16_t>(static_cast<std::uint16_t>(u))));
  };
  if (cp > 0xFFFF) {
    cp -= 0x10000;
    one(0xD800 + (cp >> 10));
    one(0xDC00 + (cp & 0x3FF));
  } else {
    one(cp);
  }
}

std::string esc(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '\\' || c == '{' || c == '}') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\line ";
      } else if (c == '\t') {
        out += "\\tab ";
      } else if (c >= 0x20) {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // UTF-8 sequence; an invalid byte becomes U+FFFD.
    int len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    std::uint32_t cp = 0xFFFD;
    if (len && i + static_cast<std::size_t>(len) <= s.size()) {
      cp = c & (0x7F >> len);
      bool ok = true;
      for (int k = 1; k < len; ++k) {
        unsigned char cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((cc & 0xC0) != 0x80) ok = false;
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (!ok) {
        cp = 0xFFFD;
        len = 1;
      }
    } else {
      len = 1;
    }
    put_unicode(out, cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2 + bytes.size() / 64 + 1);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(bytes[i]);
    out += digits[b >> 4];
    out += digits[b & 15];
    if (i % 64 == 63) out += '\n';
  }
  return out;
}

/// A PNG picture scaled to fit the page below a heading, keeping its aspect ratio.
std::string picture(const std::string& png, double dpi) {
  plot::PngStats st = plot::png_stats(png);
  double w = st.width / dpi * 1440, h = st.height / dpi * 1440;  // twips at the drawing's size
  const double fit = std::min({1.0, usable_w / w, (usable_h - 900) / h});
  return fmt::format("{{\\pict\\pngblip\\picw{}\\pich{}\\picwgoal{}\\pichgoal{}\n{}}}", st.width,
                     st.height, std::lround(w * fit), std::lround(h * fit), hex(png));
}

std::string table_rtf(const detail::Table& t) {
  const int label_w = std::min(4300, usable_w / 3);
  const std::size_t data_cols = t.columns > 1 ? t.columns - 1 : 1;
  const int col_w = static_cast<int>((usable_w - label_w) / static_cast<int>(data_cols));
  std::string out;
  auto row = [&](const detail::Row& r, bool header, bool top_rule, bool bottom_rule, bool bold) {
    out += "\\trowd\\trgaph70\\trleft0\\trkeep";
    if (header) out += "\\trhdr";
    out += "\n";
    int x = 0;
    std::vector<detail::Cell> cells = r.cells;
    if (r.section) cells = {detail::Cell{.text = r.cells[0].text, .span = static_cast<int>(t.columns)}};
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const int span = std::max(cells[i].span, 1);
      if (r.section)
        x = usable_w;
      else
        x += i == 0 ? label_w : col_w * span;
      if (top_rule) out += "\\clbrdrt\\brdrs\\brdrw15";
      if (bottom_rule) out += "\\clbrdrb\\brdrs\\brdrw10";
      out += fmt::format("\\clvertalt\\cellx{}", x);
    }
    out += "\n";
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const bool left = i == 0 || r.section;
      const int indent = (i == 0 && r.indent > 0) ? 200 * r.indent : 0;
      out += fmt::format("\\pard\\intbl\\{}{}\\sb20\\sa20{{{}{}}}\\cell\n", left ? "ql" : "qc",
                         indent ? fmt::format("\\li{}", indent) : "", bold || r.section ? "\\b " : "",
                         esc(cells[i].text));
    }
    out += "\\row\n";
  };
  for (std::size_t h = 0; h < t.header.size(); ++h)
    row(t.header[h], true, h == 0, h + 1 == t.header.size(), true);
  for (std::size_t b = 0; b < t.body.size(); ++b)
    row(t.body[b], false, false, b + 1 == t.body.size(), false);
  return out;
}

std::string para(const std::string& text, const std::string& fmt_codes = "") {
  return "\\pard\\sa60" + fmt_codes + " " + esc(text) + "\\par\n";
}

}  // namespace

std::string render_rtf(const ReportModel& m) {
  std::string out;
  out += "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1\n";
  out += "{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}{\\f1\\fmodern\\fcharset0 Courier New;}}\n";
  out += "{\\colortbl;\\red0\\green0\\blue0;\\red122\\green46\\blue0;}\n";
  out += "{\\info{\\title " + esc(m.title) + "}{\\doccomm generated by hazard}}\n";
  out += fmt::format("\\paperw{}\\paperh{}\\margl{}\\margr{}\\margt{}\\margb{}\\landscape\n", page_w,
                     page_h, margin, margin, margin, margin);
  out += "\\f0\\fs18\n";
  out += para(m.title.empty() ? "Efficacy results" : m.title, "\\b\\fs24");
  if (!m.notice.empty()) out += para(m.notice, "\\b\\cf2\\fs20");
  out += para("Table: " + m.endpoint + (m.units.empty() ? "" : " (" + m.units + ")"), "\\b\\fs20");
  if (m.cohorts.empty())
    out += para("No cohort has data: there is nothing to tabulate.");
  else
    out += table_rtf(detail::efficacy_table(m));
  out += "\\pard\\sa0\\fs16\n";
  for (const std::string& f : detail::method_notes(m)) out += para(f, "\\fs16");
  for (const std::string& f : m.footnotes) out += para(f, "\\fs16");
  for (const CohortResult& c : m.cohorts)
    for (const std::string& msg : c.messages) out += para(c.name + ": " + msg, "\\fs16\\cf2");
  for (const InputFile& f : m.inputs)
    out += para("Input " + f.path + ", SHA-256 " + f.sha256, "\\fs16");
  if (!m.created.empty()) out += para("Created " + m.created, "\\fs16");
  if (!m.software.empty()) {
    std::string first = m.software.substr(0, m.software.find('\n'));
    out += para("Software: " + first, "\\fs16");
  }

  for (const CohortResult& c : m.cohorts) {
    plot::KmPlot kp = km_plot(m, c);
    out += "\\page\n" + para("Figure: Kaplan–Meier estimate of " + m.endpoint + ", " + c.name, "\\b\\fs20");
    out += "\\pard\\qc " + picture(plot::render_km(kp, plot::Format::png), kp.options.dpi) + "\\par\n";
  }
  if (!m.forest.empty()) {
    plot::ForestPlot fp = forest_plot(m);
    out += "\\page\n" + para("Figure: hazard ratios by cohort and subgroup", "\\b\\fs20");
    out += "\\pard\\qc " + picture(plot::render_forest(fp, plot::Format::png), fp.options.dpi) + "\\par\n";
  }
  out += "}\n";
  return out;
}

}  // namespace hazard::report

// The pieces the readout sections (readout_sections.cpp) share with the efficacy RTF.
namespace hazard::report::detail {
std::string rtf_table(const Table& t) { return table_rtf(t); }
std::string rtf_text(std::string_view s) { return esc(s); }
std::string rtf_picture(const std::string& png, double dpi) { return picture(png, dpi); }
}  // namespace hazard::report::detail
