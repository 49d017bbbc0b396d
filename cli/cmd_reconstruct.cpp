// hazard reconstruct: patient-level data rebuilt from digitized Kaplan–Meier curves and their
// number-at-risk tables (Guyot 2012; docs/cli/reconstruct.md). Math in src/reconstruct/.
// This file reads the two CSV files, splits them by arm, calls reconstruct_guyot per arm and
// writes the rows and the fit summary.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hazard/output.hpp"
#include "output_options.hpp"
#include "data_options.hpp"
#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/reconstruct.hpp"

namespace hazard::cli {

namespace {

struct ReconstructArgs {
  std::string curve;
  std::string at_risk;
  std::vector<std::string> events;
  std::string out;
  std::string scale = "auto";
  std::string single_arm = "all";
  bool json = false;
  bool csv_raw = false;
};

// The first of `names` present in the header (the files digitizers and kmdata write use several
// spellings), or "" when none is.
std::string pick(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (std::find(header.begin(), header.end(), n) != header.end()) return n;
  return {};
}

Location at(const Table& t, std::size_t row, const std::string& column, std::string value) {
  Location loc;
  loc.file = t.source;
  loc.line = row < t.line.size() ? t.line[row] : 0;
  loc.column = column;
  loc.value = std::move(value);
  loc.has_value = true;
  return loc;
}

struct ArmRows {
  std::vector<std::string> arm;  // per row
  std::vector<double> x, y;
};

// Reads columns arm (optional), x and y of a CSV file; rows with a missing value are errors.
ArmRows read_rows(const std::string& path, std::initializer_list<const char*> x_names,
                  std::initializer_list<const char*> y_names, const char* what) {
  // One reading of the file (a pipe or standard input can be read only once): every column, then
  // the ones used are picked by name.
  const Table t = read_csv(path);
  std::vector<std::string> header;
  for (const Column& c : t.columns) header.push_back(c.name);
  std::string xc = pick(header, x_names), yc = pick(header, y_names);
  std::string ac = pick(header, {"arm", "Arm", "ARM", "group", "trt"});
  auto missing = [&](std::initializer_list<const char*> names) {
    Location loc;
    loc.file = path;
    loc.column = *names.begin();
    return DataError(
        loc, fmt::format("{}: no column '{}' (nor an accepted alias)", what, *names.begin()));
  };
  if (xc.empty()) throw missing(x_names);
  if (yc.empty()) throw missing(y_names);
  const Column& x = t.at(xc);
  const Column& y = t.at(yc);
  const Column* a = ac.empty() ? nullptr : &t.at(ac);
  // A column is numeric only when every value is a number (table.hpp), so in a text column the
  // values before the bad one are numbers in text form.
  auto number = [&t](const Column& c, std::size_t i) {
    if (c.is_missing(i)) throw DataError(at(t, i, c.name, ""), "missing value");
    double d = 0.0;
    if (c.is_numeric()) {
      d = c.numbers[i];
    } else {
      const std::string v = c.text(i);
      char* end = nullptr;
      d = std::strtod(v.c_str(), &end);
      if (*end != '\0') throw DataError(at(t, i, c.name, v), "not a number");
    }
    if (!std::isfinite(d)) throw DataError(at(t, i, c.name, c.text(i)), "not a finite number");
    return d;
  };
  ArmRows r;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    r.x.push_back(number(x, i));
    r.y.push_back(number(y, i));
    if (a && a->is_missing(i)) throw DataError(at(t, i, a->name, ""), "missing arm");
    r.arm.push_back(a ? a->text(i) : std::string());
  }
  if (r.x.empty()) {
    Location loc;
    loc.file = path;
    throw DataError(loc, fmt::format("{}: no rows", what));
  }
  return r;
}

SurvScale parse_scale(const std::string& s) {
  if (s == "auto") return SurvScale::automatic;
  if (s == "fraction") return SurvScale::fraction;
  if (s == "percent") return SurvScale::percent;
  throw UsageError(fmt::format("--scale {}: expected auto, fraction or percent", s));
}

// --events A=30,B=45 (or a bare number for a single arm); repeatable.
std::vector<std::pair<std::string, double>> parse_events(const std::vector<std::string>& items) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& item : items) {
    if (item.empty()) continue;
    auto eq = item.rfind('=');
    std::string arm = eq == std::string::npos ? std::string() : item.substr(0, eq);
    std::string num_text = eq == std::string::npos ? item : item.substr(eq + 1);
    double v = 0.0;
    try {
      std::size_t used = 0;
      v = std::stod(num_text, &used);
      if (used != num_text.size()) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      throw UsageError(fmt::format("--events {}: expected ARM=N", item));
    }
    if (!(v >= 0.0) || std::fabs(v - std::round(v)) > 1e-9) {
      throw UsageError(
          fmt::format("--events {}: the number of events must be a whole number >= 0", item));
    }
    out.emplace_back(arm, v);
  }
  return out;
}

nlohmann::json arm_json(const ArmReconstruction& r) {
  nlohmann::json intervals = nlohmann::json::array();
  for (const auto& iv : r.intervals) {
    intervals.push_back({{"start", iv.start},
                         {"end", iv.end},
                         {"n_risk_published", iv.n_risk_published},
                         {"n_risk_rebuilt", iv.n_risk_rebuilt},
                         {"events", iv.events},
                         {"censored", iv.censored},
                         {"n_points", iv.n_points}});
  }
  const auto& f = r.fit;
  return {
      {"arm", r.arm},
      {"n", f.n},
      {"events", f.events},
      {"censored", f.censored},
      {"total_events", f.total_events ? nlohmann::json(*f.total_events) : nlohmann::json(nullptr)},
      {"median", num(f.median)},
      {"max_distance", num(f.max_distance)},
      {"rms_distance", num(f.rms_distance)},
      {"n_points", f.n_points},
      {"at_risk_matched", f.at_risk_matched},
      {"at_risk_total", f.at_risk_total},
      {"curve",
       {{"n_input", r.curve.n_input},
        {"n_clamped", r.curve.n_clamped},
        {"n_merged", r.curve.n_merged},
        {"n_adjusted", r.curve.n_adjusted},
        {"max_adjustment", r.curve.max_adjustment},
        {"percent", r.curve.percent}}},
      {"intervals", intervals},
      {"warnings", r.warnings}};
}

void run_reconstruct(const ReconstructArgs& a) {
  if (a.curve == "-" && a.at_risk == "-")
    throw UsageError("--curve - and --at-risk -: standard input holds one file; give the other by name");
  refuse_overwrite(a.out, {a.curve, a.at_risk}, "--out");
  const GuyotOptions options{.clean = {.scale = parse_scale(a.scale)}};
  ArmRows pts =
      read_rows(a.curve, {"time", "T", "t", "x"}, {"surv", "S", "s", "survival", "y"}, "curve");
  ArmRows risk = read_rows(a.at_risk, {"time", "trisk", "t", "T"},
                           {"n_risk", "nrisk", "n.risk", "n"}, "at-risk table");

  // Arms in the order they first appear in the curve file. A file without an arm column is one
  // arm; an at-risk file with a single arm value then names it.
  std::vector<std::string> arms;
  for (const auto& s : pts.arm)
    if (std::find(arms.begin(), arms.end(), s) == arms.end()) arms.push_back(s);
  std::vector<std::string> risk_arms;
  for (const auto& s : risk.arm)
    if (std::find(risk_arms.begin(), risk_arms.end(), s) == risk_arms.end()) risk_arms.push_back(s);
  const bool single = arms.size() == 1 && arms.front().empty();
  if (single) {
    if (risk_arms.size() > 1) {
      throw DataError({.file = a.at_risk}, fmt::format("{} has no arm column but {} has {} arms", a.curve, a.at_risk,
                                   risk_arms.size()));
    }
    std::string label = risk_arms.front().empty() ? a.single_arm : risk_arms.front();
    std::fill(pts.arm.begin(), pts.arm.end(), label);
    std::fill(risk.arm.begin(), risk.arm.end(), label);
    arms = {label};
  } else {
    if (risk_arms.size() == 1 && risk_arms.front().empty()) {
      throw DataError({.file = a.at_risk}, fmt::format("{} has arms but {} has no arm column", a.curve, a.at_risk));
    }
    for (const auto& r : risk_arms) {
      if (std::find(arms.begin(), arms.end(), r) == arms.end()) {
        throw DataError({.file = a.curve},
                        fmt::format("arm '{}' of {} has no curve points in {}", r, a.at_risk, a.curve));
      }
    }
  }

  auto events = parse_events(a.events);
  std::vector<std::optional<double>> total(arms.size());
  for (const auto& [arm, n] : events) {
    std::string name = arm;
    if (name.empty()) {
      if (arms.size() != 1) throw UsageError("--events N without ARM= needs a single arm");
      name = arms.front();
    }
    auto it = std::find(arms.begin(), arms.end(), name);
    if (it == arms.end())
      throw DataError({.file = a.curve}, fmt::format("--events: no arm '{}' in {} (arms: {})", name, a.curve,
                                                    fmt::join(arms, ", ")));
    total[static_cast<std::size_t>(it - arms.begin())] = n;
  }

  std::vector<ArmReconstruction> results;
  for (std::size_t k = 0; k < arms.size(); ++k) {
    ArmCurve in;
    in.arm = arms[k];
    for (std::size_t i = 0; i < pts.arm.size(); ++i) {
      if (pts.arm[i] != arms[k]) continue;
      in.time.push_back(pts.x[i]);
      in.surv.push_back(pts.y[i]);
    }
    for (std::size_t i = 0; i < risk.arm.size(); ++i) {
      if (risk.arm[i] != arms[k]) continue;
      in.risk_time.push_back(risk.x[i]);
      in.n_risk.push_back(risk.y[i]);
    }
    if (in.risk_time.empty()) {
      throw DataError({.file = a.at_risk}, fmt::format("arm '{}' has no rows in {}", arms[k], a.at_risk));
    }
    in.total_events = total[k];
    try {
      results.push_back(reconstruct_guyot(in, options));
    } catch (const DataError& e) {
      // The library sees arrays: name the file its complaint is about (survival values are in
      // the curve file, times and counts it checks in the at-risk file).
      Location loc = e.where();
      if (loc.file.empty()) loc.file = loc.column == "surv" ? a.curve : a.at_risk;
      throw DataError(loc, e.message());
    }
  }

  // Patient rows (atomically: a temporary file renamed when complete).
  OutputFile out(a.out);
  CsvWriter csv(out, {.raw = a.csv_raw});
  csv.text("arm").text("time").text("event").row();
  for (const auto& r : results)
    for (std::size_t i = 0; i < r.time.size(); ++i)
      csv.text(r.arm).number(r.time[i]).integer(static_cast<int>(r.event[i])).row();
  csv.finish();
  out.commit();

  if (a.json) {
    nlohmann::json arms_json = nlohmann::json::array();
    for (const auto& r : results) arms_json.push_back(arm_json(r));
    nlohmann::json j = {{"command", "reconstruct"},
                        {"method", "Guyot et al. 2012"},
                        {"curve", a.curve},
                        {"at_risk", a.at_risk},
                        {"out", a.out},
                        {"arms", arms_json}};
    if (a.out == "-") {
      fmt::print(stderr, "{}\n", json_text(j));
    } else {
      fmt::print("{}\n", json_text(j));
    }
    return;
  }
  std::FILE* summary = a.out == "-" ? stderr : stdout;
  for (const auto& r : results) {
    const auto& f = r.fit;
    fmt::print(summary, "arm {}: {} patients, {} events, {} censored{}\n", r.arm, f.n, f.events,
               f.censored,
               f.total_events ? fmt::format(" (reported events: {})", *f.total_events) : "");
    fmt::print(summary, "  KM median of the rebuilt data: {}\n",
               std::isnan(f.median) ? std::string("not reached") : fmt::format("{:.4g}", f.median));
    fmt::print(summary,
               "  fit: max |S digitized - KM rebuilt| {:.4f}, RMS {:.4f} over {} points; at risk "
               "matched {}/{}\n",
               f.max_distance, f.rms_distance, f.n_points, f.at_risk_matched, f.at_risk_total);
    fmt::print(summary, "  {:>8} {:>8} {:>10} {:>10} {:>7} {:>9} {:>7}\n", "from", "to", "at risk",
               "rebuilt", "events", "censored", "points");
    for (const auto& iv : r.intervals) {
      fmt::print(summary, "  {:>8.4g} {:>8.4g} {:>10} {:>10} {:>7} {:>9} {:>7}\n", iv.start, iv.end,
                 iv.n_risk_published, iv.n_risk_rebuilt, iv.events, iv.censored, iv.n_points);
    }
    for (const auto& w : r.warnings) fmt::print(stderr, "hazard: warning: arm {}: {}\n", printable(r.arm), printable(w));
  }
}

}  // namespace

void register_reconstruct(CLI::App& app) {
  auto args = std::make_shared<ReconstructArgs>();
  CLI::App* cmd = app.add_subcommand(
      "reconstruct",
      "Rebuild patient-level data from digitized Kaplan-Meier curves and at-risk tables (Guyot)");
  cmd->add_option("--curve", args->curve, "CSV of digitized points: [arm,]time,surv")->required();
  cmd->add_option("--at-risk", args->at_risk, "CSV of the number-at-risk table: [arm,]time,n_risk")
      ->required();
  cmd->add_option("--events", args->events,
                  "Reported total events per arm: ARM=N[,ARM=N] (N alone for one arm)")
      ->delimiter(',');
  cmd->add_option("--out", args->out, "Output CSV of patient rows arm,time,event ('-' = stdout)")
      ->required();
  add_csv_raw_flag(cmd, args->csv_raw);
  cmd->add_option("--scale", args->scale,
                  "Survival scale of --curve: auto (default), fraction, percent");
  cmd->add_option("--arm-name", args->single_arm,
                  "Arm label written when the input has no arm column (default 'all')");
  cmd->add_flag("--json", args->json,
                "Print the fit summary as JSON (keys: docs/cli/reconstruct.md)");
  cmd->callback([args] { run_reconstruct(*args); });
}

}  // namespace hazard::cli
