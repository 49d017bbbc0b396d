// `hazard km`: Kaplan–Meier per group (overall without --group). Parses flags, calls
// hazard::kaplan_meier and prints a human-readable summary and table, JSON (--json) or the table
// as CSV (--csv). No math here. Flags and JSON keys: docs/cli/km.md.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "data_options.hpp"
#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "hazard/output.hpp"
#include "output_options.hpp"
#include "pooled_data.hpp"
#include "unknown_flags.hpp"

namespace hazard::cli {

namespace {

struct KmCliOptions {
  DataOptions data;
  std::string conf_type = "log-log";
  double conf_level = 0.95;
  std::vector<double> times;
  std::vector<double> quantiles = {0.25, 0.5, 0.75};
  std::optional<double> rmst;
  bool json = false;
  bool csv = false;
  bool csv_raw = false;
  bool summary = false;
  bool followup = false;  ///< --followup: median follow-up by the reverse KM per group
  bool table = false;
  bool quantiles_given = false;  // --quantiles on the command line (the summary then shows them)
  bool no_timefix = false;
  bool robust = false, no_robust = false;
};

// R's timefix, as the method says it.
std::string timefix_text(const KmResult& r) {
  if (!r.timefix) return "times compared exactly (--no-timefix)";
  return r.times_merged ? "times within sqrt(machine eps) merged first, as R's timefix (some were)"
                        : "times within sqrt(machine eps) merged first, as R's timefix (none were)";
}

/// A count is written as an integer when it is one (unweighted data), else as a number.
bool integral_count(double x) {
  return std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9007199254740992.0;
}

nlohmann::json count(double x) {
  if (integral_count(x)) return static_cast<long long>(x);
  return num(x);
}

std::string method_variance(const KmResult& r) {
  if (r.robust)
    return std::string("robust (infinitesimal jackknife, each row its own cluster): sum_i (w_i dS/dw_i)^2, as R "
                       "survfit(robust = TRUE)") +
           (r.weighted ? " (R's default with non-integer case weights)" : "");
  return r.weighted ? "Greenwood with case weights: sum d_w / (n_w (n_w - d_w)), as R "
                      "survfit(weights =, robust = FALSE)"
                    : "Greenwood: sum d / (n (n - d)), as R survfit";
}

std::string method_ci(ConfType t) {
  switch (t) {
    case ConfType::log_log:
      return "log-log: exp(-exp(log(-log S) -/+ z SE(log S) / log S)), as R survfit conf.type = "
             "\"log-log\" and SAS CONFTYPE=LOGLOG";
    case ConfType::log:
      return "log: exp(log S -/+ z SE(log S)), upper capped at 1, as R survfit conf.type = \"log\"";
    case ConfType::plain:
      return "plain: S -/+ z SE(S), clipped to [0, 1], as R survfit conf.type = \"plain\"";
  }
  return "";
}

constexpr const char* method_quantile =
    "R quantile.survfit: first time S(t) <= 1 - p; a flat segment at exactly 1 - p takes its "
    "midpoint; "
    "limits where the confidence band crosses 1 - p; not estimable = null";
constexpr const char* method_rmst =
    "area under S(t) from 0 to tau (curve flat after its last time); SE as R survival:::survmean / "
    "survRM2::rmst2; CI estimate -/+ z SE; difference = non-reference minus reference, "
    "SE = sqrt(V0 + V1), two-sided normal p";

nlohmann::json quantile_json(const KmQuantile& q) {
  return {
      {"p", q.p}, {"estimate", num(q.estimate)}, {"lower", num(q.lower)}, {"upper", num(q.upper)}};
}

std::string table_marker(std::size_t g) { return fmt::format("@@hazard-km-table-{}@@", g); }

// Appends a number as nlohmann::json writes one (shortest round-trip digits; a double with no
// fraction gets ".0"); null when not finite.
void append_number(std::string& out, double x) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  char buf[40];
  const auto res = std::to_chars(buf, buf + sizeof buf, x);
  const std::string_view v(buf, static_cast<std::size_t>(res.ptr - buf));
  out += v;
  if (v.find_first_of(".e") == std::string_view::npos) out += ".0";
}

// A count: an integer when it is one (unweighted data), as count() above.
void append_count(std::string& out, double x) {
  if (integral_count(x)) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(x));
    out.append(buf, static_cast<std::size_t>(res.ptr - buf));
    return;
  }
  append_number(out, x);
}

// The rows of a curve as a JSON array of objects (keys in nlohmann's sorted order), laid out as
// dump(2) lays out an array at object depth 3, written to `f` in blocks of about 1 MB. One
// nlohmann object per row would take ~0.5 kB each and most of the time at 10^7 rows.
void write_table(std::FILE* f, const KmCurve& c) {
  if (c.size() == 0) {
    std::fputs("[]", f);
    return;
  }
  std::string out = "[\n";
  out.reserve(1 << 20);
  auto field = [&](const char* key) {
    out += "          \"";
    out += key;
    out += "\": ";
  };
  for (std::size_t i = 0; i < c.size(); ++i) {
    out += "        {\n";
    field("cumhaz"), append_number(out, c.cumhaz[i]), out += ",\n";
    field("lower"), append_number(out, c.lower[i]), out += ",\n";
    field("n_censor"), append_count(out, c.n_censor[i]), out += ",\n";
    field("n_event"), append_count(out, c.n_event[i]), out += ",\n";
    field("n_risk"), append_count(out, c.n_risk[i]), out += ",\n";
    field("std_err"), append_number(out, c.std_err[i]), out += ",\n";
    field("surv"), append_number(out, c.surv[i]), out += ",\n";
    field("time"), append_number(out, c.time[i]), out += ",\n";
    field("upper"), append_number(out, c.upper[i]), out += "\n";
    out += i + 1 < c.size() ? "        },\n" : "        }\n";
    if (out.size() > (1 << 20) - 1024) {
      std::fwrite(out.data(), 1, out.size(), f);
      out.clear();
    }
  }
  out += "      ]";
  std::fwrite(out.data(), 1, out.size(), f);
}

constexpr const char* method_followup =
    "reverse Kaplan-Meier (Schemper & Smith 1996): median of the KM of the time to censoring (an "
    "event "
    "censors it), CI as the quantiles, as R quantile(survfit(Surv(time, 1 - status) ~ group), 0.5)";

nlohmann::json to_json(const SurvData& data, const KmResult& r, const DataOptions& o,
                       const std::vector<KmQuantile>& followup) {
  nlohmann::json out;
  out["n"] = data.rows();
  out["time_units"] =
      analysis_units(o).empty() ? nlohmann::json(nullptr) : nlohmann::json(analysis_units(o));
  out["excluded"] = exclusions_json(data.excluded);
  out["n_read"] = data.n_read;
  out["n_filtered"] = data.n_filtered;
  out["warnings"] = data.warnings;
  out["conf_type"] = conf_type_name(r.conf_type);
  out["conf_level"] = r.conf_level;
  out["weighted"] = r.weighted;
  out["variance"] = r.robust ? "robust" : "greenwood";
  out["timefix"] = r.timefix;
  out["times_merged"] = r.times_merged;
  out["group_variable"] =
      data.group.empty() ? nlohmann::json(nullptr) : nlohmann::json(data.group_name);
  out["method"] = {
      {"estimator", "Kaplan-Meier (product-limit), as R survival::survfit"},
      {"timefix", timefix_text(r)},
      {"variance", method_variance(r)},
      {"conf_type", method_ci(r.conf_type)},
      {"std_err", "standard error of S(t) (R summary.survfit std.err = S * SE(log S))"},
      {"cumhaz", "Nelson-Aalen: sum d / n"},
      {"quantiles", method_quantile},
      {"at",
       "R summary.survfit(times =, extend = TRUE): S at the last time <= t; n_risk at the first "
       "time >= t (0 after the last time)"},
      {"rmst", method_rmst},
      {"followup", method_followup}};
  nlohmann::json groups = nlohmann::json::array();
  for (const KmGroup& g : r.groups) {
    nlohmann::json j;
    j["group"] = g.level ? nlohmann::json(*g.level) : nlohmann::json(nullptr);
    j["n"] = g.n;
    j["events"] = count(g.events);
    // the curve's table is written by print_json (it can have millions of rows)
    j["table"] = table_marker(groups.size());
    nlohmann::json med = quantile_json(g.median);
    med.erase("p");
    j["median"] = med;
    nlohmann::json qs = nlohmann::json::array();
    for (const auto& q : g.quantiles) qs.push_back(quantile_json(q));
    j["quantiles"] = std::move(qs);
    nlohmann::json at = nlohmann::json::array();
    for (const auto& a : g.at)
      at.push_back({{"time", a.time},
                    {"n_risk", count(a.n_risk)},
                    {"surv", num(a.surv)},
                    {"std_err", num(a.std_err)},
                    {"lower", num(a.lower)},
                    {"upper", num(a.upper)}});
    j["at"] = std::move(at);
    if (g.rmst)
      j["rmst"] = {{"tau", g.rmst->tau},
                   {"estimate", num(g.rmst->estimate)},
                   {"std_err", num(g.rmst->std_err)},
                   {"lower", num(g.rmst->lower)},
                   {"upper", num(g.rmst->upper)}};
    else
      j["rmst"] = nullptr;
    if (groups.size() < followup.size()) {
      nlohmann::json fu = quantile_json(followup[groups.size()]);
      fu.erase("p");
      j["followup"] = fu;
    } else {
      j["followup"] = nullptr;
    }
    groups.push_back(std::move(j));
  }
  out["groups"] = std::move(groups);
  if (r.rmst_difference) {
    const auto& d = *r.rmst_difference;
    out["rmst_difference"] = {{"estimate", num(d.estimate)},
                              {"std_err", num(d.std_err)},
                              {"lower", num(d.lower)},
                              {"upper", num(d.upper)},
                              {"z", num(d.z)},
                              {"p", num(d.p)},
                              {"reference", *r.groups[0].level},
                              {"comparison", *r.groups[1].level}};
  } else {
    out["rmst_difference"] = nullptr;
  }
  return out;
}

void print_csv(const KmResult& r, bool raw) {
  // The last two columns state the method on every row (a CSV has no place for a preamble).
  OutputFile out("-");
  CsvWriter csv(out, {.raw = raw});
  for (const char* h : {"group", "time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper",
                        "cumhaz", "conf_type", "conf_level"})
    csv.text(h);
  csv.row();
  const std::string type = conf_type_name(r.conf_type);
  for (const KmGroup& g : r.groups) {
    const KmCurve& c = g.curve;
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (g.level) csv.text(*g.level);
      else csv.empty();
      csv.number(c.time[i]).number(c.n_risk[i]).number(c.n_event[i]).number(c.n_censor[i]).number(c.surv[i])
          .number(c.std_err[i]).number(c.lower[i]).number(c.upper[i]).number(c.cumhaz[i]).text(type)
          .number(r.conf_level).row();
    }
  }
  csv.finish();
  out.commit();
}

// Human-readable numbers: NE for not estimable, 4 significant digits for times and counts that
// are not whole, 4 decimals for probabilities.
std::string t_(double x) { return std::isfinite(x) ? fmt::format("{:.6g}", x) : "NE"; }
std::string p_(double x) { return std::isfinite(x) ? fmt::format("{:.4f}", x) : "NE"; }
// In the table an undefined value (a log-log limit where S = 1, the SE once S = 0) is NA, as R
// prints it.
std::string a_(double x) { return std::isfinite(x) ? fmt::format("{:.4f}", x) : "NA"; }
std::string n_(double x) {
  if (!std::isfinite(x)) return "NE";
  return x == std::floor(x) ? fmt::format("{:.0f}", x) : fmt::format("{:.4g}", x);
}

// A column of the summary table: right-aligned to the wider of its header and its cells.
struct SummaryColumn {
  std::string header;
  std::vector<std::string> cells;
  std::size_t width() const {
    std::size_t w = header.size();
    for (const auto& c : cells) w = std::max(w, c.size());
    return w;
  }
};

// What is printed besides the summary table (docs/cli/km.md, "Text output").
struct TextParts {
  bool quantiles = false;  // --quantiles given
  bool table = false;      // --table
};

void print_text(const SurvData& data, const KmResult& r, const DataOptions& o,
                const TextParts& parts, const std::vector<KmQuantile>& followup) {
  const std::string source = printable(o.data);
  const int pct = static_cast<int>(std::lround(r.conf_level * 100));
  std::string level = std::fabs(r.conf_level * 100 - pct) < 1e-9
                          ? fmt::format("{}%", pct)
                          : fmt::format("{:g}%", r.conf_level * 100);
  fmt::print("Kaplan-Meier estimate  (data: {})\n", source);
  fmt::print("{}\n", exclusions_text(data));
  if (!units_text(o).empty()) fmt::print("{}\n", units_text(o));
  fmt::print("Method: product-limit; {}; {} CI, {} (as R survfit conf.type = \"{}\");\n",
             r.robust ? fmt::format("robust (infinitesimal jackknife) variance{}",
                                    r.weighted ? ", as R's survfit with non-integer case weights" : "")
                      : fmt::format("Greenwood variance{}", r.weighted ? " (case-weighted)" : ""),
             level, conf_type_name(r.conf_type), conf_type_name(r.conf_type));
  fmt::print(
      "        quantiles as R quantile.survfit; RMST SE as survRM2 / survmean; cumulative hazard "
      "Nelson-Aalen;\n        {}\n", timefix_text(r));
  auto name_of = [&](const KmGroup& g) {
    return g.level ? printable(fmt::format("{}={}", data.group_name, *g.level)) : std::string("all");
  };

  // The summary, as R's print(survfit): one row per group.
  const bool rmst = !r.groups.empty() && r.groups[0].rmst.has_value();
  std::vector<SummaryColumn> cols{{"", {}}, {"n", {}}, {"events", {}}};
  if (rmst) cols.insert(cols.end(), {{"rmean*", {}}, {"se(rmean)", {}}});
  cols.insert(cols.end(), {{"median", {}}, {fmt::format("{} LCL", level), {}}, {fmt::format("{} UCL", level), {}}});
  for (const KmGroup& g : r.groups) {
    std::size_t k = 0;
    cols[k++].cells.push_back(name_of(g));
    cols[k++].cells.push_back(fmt::format("{}", g.n));
    cols[k++].cells.push_back(n_(g.events));
    if (rmst) {
      cols[k++].cells.push_back(t_(g.rmst->estimate));
      cols[k++].cells.push_back(t_(g.rmst->std_err));
    }
    cols[k++].cells.push_back(t_(g.median.estimate));
    cols[k++].cells.push_back(t_(g.median.lower));
    cols[k++].cells.push_back(t_(g.median.upper));
  }
  fmt::print("\n");
  for (std::size_t row = 0; row <= r.groups.size(); ++row) {
    std::string line;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const std::string& cell = row == 0 ? cols[k].header : cols[k].cells[row - 1];
      line += k == 0 ? fmt::format("{:<{}}", cell, cols[k].width()) : fmt::format(" {:>{}}", cell, cols[k].width());
    }
    fmt::print("{}\n", line);
  }
  if (rmst) fmt::print("    * restricted mean with upper limit = {}\n", t_(r.groups[0].rmst->tau));

  // What was asked for besides: quantiles, landmark survival, RMST limits.
  for (const KmGroup& g : r.groups) {
    if (!parts.quantiles && g.at.empty() && !g.rmst && followup.empty()) continue;
    fmt::print("\n{}:\n", name_of(g));
    if (parts.quantiles)
      for (const auto& q : g.quantiles)
        fmt::print("  quantile {:<6} {:>10}  ({} CI {}, {})\n", fmt::format("{:g}", q.p),
                   t_(q.estimate), level, t_(q.lower), t_(q.upper));
    for (const auto& a : g.at)
      fmt::print("  S({}) = {}  SE {}  ({} CI {}, {})  at risk {}\n", t_(a.time), p_(a.surv),
                 p_(a.std_err), level, p_(a.lower), p_(a.upper), n_(a.n_risk));
    if (const std::size_t gi = static_cast<std::size_t>(&g - r.groups.data()); gi < followup.size())
      fmt::print("  median follow-up {:>10}  ({} CI {}, {}; reverse Kaplan-Meier)\n",
                 t_(followup[gi].estimate), level, t_(followup[gi].lower), t_(followup[gi].upper));
    if (g.rmst)
      fmt::print("  RMST to {} = {}  SE {}  ({} CI {}, {})\n", t_(g.rmst->tau),
                 t_(g.rmst->estimate), t_(g.rmst->std_err), level, t_(g.rmst->lower),
                 t_(g.rmst->upper));
  }
  if (r.rmst_difference) {
    const auto& d = *r.rmst_difference;
    fmt::print(
        "\nRMST difference ({} minus {}) to {}: {}  SE {}  ({} CI {}, {})  z = {:.4f}  p = "
        "{:.4g}\n",
        printable(*r.groups[1].level), printable(*r.groups[0].level), t_(r.groups[0].rmst->tau), t_(d.estimate),
        t_(d.std_err), level, t_(d.lower), t_(d.upper), d.z, d.p);
  }
  if (!parts.table) {
    std::size_t rows = 0;
    for (const KmGroup& g : r.groups) rows += g.curve_rows;
    fmt::print("\n(the table at each of the {} distinct times: --table, --csv or --json)\n", rows);
    return;
  }
  for (const KmGroup& g : r.groups) {
    fmt::print("\nTable: {}\n", name_of(g));
    fmt::print("{:>10} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "time", "n.risk",
               "n.event", "n.censor", "survival", "std.err", "lower", "upper", "cumhaz");
    const KmCurve& c = g.curve;
    for (std::size_t i = 0; i < c.size(); ++i)
      fmt::print("{:>10} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", t_(c.time[i]),
                 n_(c.n_risk[i]), n_(c.n_event[i]), n_(c.n_censor[i]), a_(c.surv[i]),
                 a_(c.std_err[i]), a_(c.lower[i]), a_(c.upper[i]), a_(c.cumhaz[i]));
  }
}

// The JSON document: dump(2) of everything but the curve tables, which are streamed in place of
// their markers.
void print_json(const SurvData& data, const KmResult& r, const DataOptions& o,
                const std::vector<KmQuantile>& followup) {
  const std::string doc = json_text(to_json(data, r, o, followup));
  std::size_t at = 0;
  for (std::size_t g = 0; g < r.groups.size(); ++g) {
    const std::string mark = "\"" + table_marker(g) + "\"";
    const std::size_t pos = doc.find(mark, at);
    if (pos == std::string::npos) throw std::logic_error("km JSON: table marker not found");
    std::fwrite(doc.data() + at, 1, pos - at, stdout);
    write_table(stdout, r.groups[g].curve);
    at = pos + mark.size();
  }
  std::fwrite(doc.data() + at, 1, doc.size() - at, stdout);
  std::fputc('\n', stdout);
}

void run(const KmCliOptions& o, const Cluster& cluster) {
  if (int(o.json) + int(o.csv) + int(o.summary) > 1)
    throw UsageError("give at most one of --json, --csv, --summary");
  if (o.summary && o.table) throw UsageError("give either --summary (the default) or --table, not both");
  KmOptions opt;
  opt.conf_type = parse_conf_type(o.conf_type);
  opt.conf_level = o.conf_level;
  opt.times = o.times;
  opt.quantiles = o.quantiles;
  opt.rmst_tau = o.rmst;
  opt.timefix = !o.no_timefix;
  if (o.robust && o.no_robust) throw UsageError("give either --robust or --no-robust, not both");
  if (o.robust) opt.robust = true;
  if (o.no_robust) opt.robust = false;
  // the text summary reads a few rows of each curve; the table, CSV and JSON print them all
  opt.keep_curve = o.json || o.csv || o.table;
  // Options are checked before the data are read, so a bad flag is a usage error (exit 2).
  check_km_options(opt);
  // A KM curve is per --group; silently ignoring --strata would misreport what was estimated.
  if (!o.data.strata.empty())
    throw UsageError("hazard km estimates one curve per --group; --strata is not used by km");
  const Roles roles = make_roles(o.data);
  // Several files or MPI ranks: the frequency table of all of them, on every rank (docs/scale.md);
  // rank 0 alone goes on to estimate and print.
  const SurvData data = pooled(o.data, cluster) ? load_pooled(o.data, roles, {.tabulate = true}, cluster)
                                                : load_surv_data(o.data, roles);
  if (cluster.rank() != 0) return;
  const KmResult r = kaplan_meier(data, opt);
  const std::vector<KmQuantile> followup =
      o.followup ? km_followup(data, opt) : std::vector<KmQuantile>{};
  if (o.json)
    print_json(data, r, o.data, followup);
  else if (o.csv)
    print_csv(r, o.csv_raw);
  else
    print_text(data, r, o.data, {.quantiles = o.quantiles_given, .table = o.table}, followup);
}

}  // namespace

void register_km(CLI::App& app, const Cluster& cluster) {
  auto o = std::make_shared<KmCliOptions>();
  CLI::App* cmd =
      app.add_subcommand("km",
                         "Kaplan-Meier estimate per group: table, median and quantiles, "
                         "landmark survival, RMST (docs/cli/km.md)");
  add_data_options(cmd, o->data);
  cmd->add_option("--conf-type", o->conf_type,
                  "Confidence interval type: log-log (default, as SAS), log (R's default) or plain")
      ->check(CLI::IsMember({"log-log", "log", "plain"}));
  cmd->add_option("--conf-level", o->conf_level, "Confidence level (default 0.95)");
  cmd->add_option("--times", o->times, "Landmark times t1,t2,...: survival, CI and number at risk")
      ->delimiter(',');
  cmd->add_option("--quantiles", o->quantiles,
                  "Quantiles p1,p2,... (default 0.25,0.5,0.75); p is the time S falls to 1 - p")
      ->delimiter(',');
  cmd->add_option("--rmst", o->rmst,
                  "Restricted mean survival time to TAU (and the difference for two groups)");
  cmd->add_flag("--followup", o->followup,
                "Median follow-up per group by the reverse Kaplan-Meier method (as R "
                "survfit(Surv(time, 1 - status)))");
  cmd->add_flag("--robust", o->robust,
                "Robust (infinitesimal jackknife) variance of S(t); the default with non-integer --weights, as R");
  cmd->add_flag("--no-robust", o->no_robust,
                "Greenwood variance even with non-integer --weights (R's robust = FALSE)");
  cmd->add_flag("--no-timefix", o->no_timefix,
                "Compare times exactly (default: merge times within sqrt(machine eps), as R's timefix)");
  cmd->add_flag("--json", o->json, "Print one JSON document");
  cmd->add_flag("--csv", o->csv, "Print the KM table as CSV");
  add_csv_raw_flag(cmd, o->csv_raw);
  cmd->add_flag("--table", o->table,
                "Text output: the table at every distinct time after the summary (--csv and --json always have it)");
  cmd->add_flag("--summary", o->summary, "The summary without the table (the default; kept for scripts)");
  cmd->callback([o, cmd, &cluster]() {
    o->quantiles_given = times_given(*cmd, "--quantiles") > 0;
    run(*o, cluster);
  });
}

}  // namespace hazard::cli
