// Reading back a design written by `hazard design --json` (cli/cmd_design.cpp, docs/cli/design.md).
//
// Keys used (every other key is ignored): alpha, sided, power, hr, hr0, ratio, spending (the text
// parse_spending accepts), futility (null or a spending text), binding, events (the planned
// maximum number of events, unrounded, as `hazard monitor` uses by default) and looks[k].info,
// looks[k].events. The options are checked as make_design_options checks the flags (alpha in
// (0, 0.5) one-sided, power above alpha, information fractions increasing to 1, user spending with
// one value per look ending at alpha), so that a hand-edited file cannot give a design the flags
// could not. Errors name the file, the line where the key is written and the key.
#include "hazard/design_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "hazard/error.hpp"
#include "hazard/read.hpp"

namespace hazard {

namespace {

using nlohmann::json;

// The 1-based line of the n-th (0-based) occurrence of `"key":` in the text (0: not found).
std::uint64_t line_of(std::string_view text, const std::string& key, std::size_t n = 0) {
  const std::string needle = "\"" + key + "\":";
  std::size_t pos = 0;
  for (std::size_t i = 0;; ++i) {
    pos = text.find(needle, pos);
    if (pos == std::string_view::npos) return 0;
    if (i == n) break;
    pos += needle.size();
  }
  return 1 + static_cast<std::uint64_t>(
                 std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

struct Reader {
  std::string_view text;
  const std::string& name;
  const json& doc;

  [[noreturn]] void fail(const std::string& key, std::uint64_t line, const json* value,
                         const std::string& why) const {
    Location where{.file = name, .line = line, .column = key};
    if (value) {
      where.value = value->dump();
      where.has_value = true;
    }
    throw DataError(where, why + " (is it a file written by `hazard design --json`?)");
  }

  const json& get(const json& obj, const std::string& key, const std::string& path,
                  std::uint64_t line) const {
    if (!obj.contains(key)) fail(path, line, nullptr, "key missing");
    return obj.at(key);
  }

  double number(const std::string& key, double lo, double hi, const char* range) const {
    const std::uint64_t line = line_of(text, key);
    const json& v = get(doc, key, key, line);
    if (!v.is_number()) fail(key, line, &v, "expected a number");
    const double x = v.get<double>();
    if (!(std::isfinite(x) && x >= lo && x <= hi))
      fail(key, line, &v, std::string("expected ") + range);
    return x;
  }

  std::string text_value(const std::string& key) const {
    const std::uint64_t line = line_of(text, key);
    const json& v = get(doc, key, key, line);
    if (!v.is_string()) fail(key, line, &v, "expected a text");
    return v.get<std::string>();
  }

  Spending spending(const std::string& key) const {
    const std::string s = text_value(key);
    try {
      return parse_spending(s);
    } catch (const UsageError& e) {
      const json v = s;
      fail(key, line_of(text, key), &v, e.what());
    }
  }
};

}  // namespace

SavedDesign parse_design_json(std::string_view text, const std::string& name) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // nlohmann's byte is 1-based and points just past the problem.
    const std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    const auto line = 1 + static_cast<std::uint64_t>(std::count(
                              text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    const std::size_t bol = text.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t col = at - (bol == std::string_view::npos ? 0 : bol + 1) + 1;
    // nlohmann: "[json.exception.parse_error.101] parse error at line 3, column 14: syntax error
    // while parsing ..." -- the location is given in our own form.
    std::string what = e.what();
    if (const auto p = what.find(", column "); p != std::string::npos) {
      if (const auto q = what.find(": ", p); q != std::string::npos) what = what.substr(q + 2);
    }
    throw DataError({.file = name, .line = line},
                    fmt::format("not a JSON document: character {} of the line: {}", col, what));
  }
  if (!doc.is_object()) {
    throw DataError({.file = name, .line = 1},
                    "expected a JSON object, as `hazard design --json` writes");
  }
  const Reader r{text, name, doc};
  SavedDesign d;
  auto& b = d.boundaries;
  {
    const std::uint64_t line = line_of(text, "sided");
    const json& v = r.get(doc, "sided", "sided", line);
    if (!v.is_number_integer() || (v.get<int>() != 1 && v.get<int>() != 2))
      r.fail("sided", line, &v, "expected 1 or 2");
    b.sided = v.get<int>();
  }
  b.alpha = r.number(
      "alpha", 1e-6, b.sided == 1 ? std::nextafter(0.5, 0.0) : std::nextafter(1.0, 0.0),
      b.sided == 1 ? "a one-sided level in [1e-6, 0.5)" : "a two-sided level in [1e-6, 1)");
  const double power = r.number("power", 0, 1, "a probability");
  if (!(power > b.alpha / b.sided && power < 1))
    r.fail("power", line_of(text, "power"), &doc.at("power"),
           "expected a power above alpha and below 1");
  b.beta = 1 - power;
  d.hr = r.number("hr", 0.01, 100, "a hazard ratio from 0.01 to 100");
  d.hr0 = r.number("hr0", 0.01, 100, "a hazard ratio from 0.01 to 100");
  if (d.hr == d.hr0)
    r.fail("hr", line_of(text, "hr"), &doc.at("hr"), "the design hazard ratio equals hr0");
  d.ratio = r.number("ratio", 0.01, 100, "an allocation ratio from 0.01 to 100");
  d.max_events =
      r.number("events", std::numeric_limits<double>::min(), 1e12, "a number of events > 0");
  b.efficacy = r.spending("spending");
  {
    const std::uint64_t line = line_of(text, "futility");
    const json& v = r.get(doc, "futility", "futility", line);
    if (!v.is_null()) {
      if (!v.is_string()) r.fail("futility", line, &v, "expected null or a spending text");
      b.futility = r.spending("futility");
    }
  }
  {
    const std::uint64_t line = line_of(text, "binding");
    const json& v = r.get(doc, "binding", "binding", line);
    if (!v.is_boolean()) r.fail("binding", line, &v, "expected true or false");
    b.binding = v.get<bool>();
    if (b.binding && !b.futility)
      r.fail("binding", line, &v, "binding futility without futility bounds");
  }
  const std::uint64_t looks_line = line_of(text, "looks");
  const json& looks = r.get(doc, "looks", "looks", looks_line);
  if (!looks.is_array() || looks.empty() || looks.size() > 20)
    r.fail("looks", looks_line, nullptr, "expected an array of 1 to 20 looks");
  double prev_t = 0, prev_d = 0;
  for (std::size_t k = 0; k < looks.size(); ++k) {
    const std::string path = fmt::format("looks[{}]", k + 1);
    const json& look = looks[k];
    const std::uint64_t line = line_of(text, "info", k);
    if (!look.is_object()) r.fail(path, looks_line, &look, "expected an object");
    const json& t = r.get(look, "info", path + ".info", line);
    if (!t.is_number() || !(t.get<double>() > prev_t && t.get<double>() <= 1 + 1e-9))
      r.fail(path + ".info", line, &t, "information fractions must be numbers increasing to 1");
    prev_t = t.get<double>();
    b.info.push_back(prev_t);
    const json& ev = r.get(look, "events", path + ".events", line);
    if (!ev.is_number() || !(ev.get<double>() > prev_d) || !std::isfinite(ev.get<double>()))
      r.fail(path + ".events", line, &ev,
             "planned events must be numbers increasing over the looks");
    prev_d = ev.get<double>();
    d.events.push_back(prev_d);
  }
  if (std::fabs(b.info.back() - 1) > 1e-9)
    r.fail(fmt::format("looks[{}].info", looks.size()), line_of(text, "info", looks.size() - 1),
           &looks.back().at("info"), "the last information fraction must be 1");
  b.info.back() = 1;
  if (b.efficacy.type == SpendingType::user) {
    const json v = doc.at("spending");
    if (b.efficacy.values.size() != b.info.size())
      r.fail("spending", line_of(text, "spending"), &v,
             fmt::format("{} user spending values for {} looks", b.efficacy.values.size(),
                         b.info.size()));
    if (std::fabs(b.efficacy.values.back() - b.alpha) > 1e-12 * b.alpha)
      r.fail("spending", line_of(text, "spending"), &v,
             "the last cumulative alpha must equal alpha");
    b.efficacy.at = b.info;
  }
  return d;
}

SavedDesign read_design_json(const std::string& path) {
  return parse_design_json(read_bytes(path), input_name(path));
}

}  // namespace hazard
