// `hazard safety`: the adverse event tables of the safety population from CDISC ADaM ADSL and
// ADAE (and ADEX): summary of treatment-emergent adverse events, SOC/PT table with worst grades,
// exposure-adjusted incidence rates, risk differences (docs/cli/safety.md). Parses flags, reads
// the data, calls the library, prints; no math here.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hazard/csv.hpp"
#include "hazard/output.hpp"
#include "hazard/error.hpp"
#include "hazard/read.hpp"
#include "hazard/readout_json.hpp"
#include "hazard/safety.hpp"
#include "readout_analyses.hpp"

namespace hazard::cli {

namespace {

struct SafetyCliOptions {
  ReadoutOptions in;
  std::string soc = "AEBODSYS";
  std::string pt = "AEDECOD";
  std::string grade = "AETOXGR";
  double min_percent = 0;
  double conf_level = 0.95;
  std::string adex;
  std::string exposure_param = "TRTDURD";
  std::string start = "TRTSDT";
  std::string end = "TRTEDT";
  bool no_rates = false;
  bool json = false;
  bool csv = false;
};

using json = nlohmann::ordered_json;

std::string rate_method(const SafetyResult& r, const SafetyPopulation& p) {
  if (!r.rates) return "not computed: no exposure (give --adex, or TRTSDT and TRTEDT in ADSL)";
  return fmt::format(
      "subjects with at least one event per {:g} patient-years of exposure (exposure: {}; "
      "patient-years = days / "
      "365.25, summed over every subject of the arm); exact Poisson interval as R poisson.test",
      r.options.per_years, p.exposure_source);
}

json to_json(const SafetyPopulation& p, const AeData& ae, const SafetyResult& r, const std::string& population,
             const SafetyCliOptions& o) {
  json out;
  out["n"] = p.size();
  out["population"] = fmt::format("{} = Y", population);
  out["adsl"] = {{"file", p.source},
                 {"n_read", p.n_read},
                 {"n_filtered", p.n_filtered},
                 {"excluded", json::parse(exclusions_json(p.excluded).dump())}};
  out["adae"] = {{"file", ae.source},
                 {"n_read", ae.n_read},
                 {"n_filtered", ae.n_filtered},
                 {"n_not_emergent", ae.n_not_emergent},
                 {"n_outside_population", ae.n_outside_population},
                 {"n_analysed", ae.records.size()},
                 {"n_missing_grade", ae.n_missing_grade},
                 {"n_missing_serious", ae.n_missing_serious}};
  out["group_column"] = p.group_name;
  out["reference"] = p.group_levels.front();
  out["sort_group"] = p.group_levels[r.sort_arm];
  out["by"] = p.by_name.empty() ? json(nullptr) : json(p.by_name);
  out["conf_level"] = r.options.conf_level;
  out["min_percent"] = r.options.min_percent;
  out["rates"] = {{"computed", r.rates},
                  {"per_patient_years", r.options.per_years},
                  {"exposure", r.rates ? json(p.exposure_source) : json(nullptr)}};
  out["columns"] = {{"soc", o.soc}, {"pt", o.pt}, {"grade", o.grade}};
  out["method"] = {
      {"population",
       fmt::format("subjects of ADSL with {} = Y{}", population,
                   o.in.data.where.empty() ? "" : " and the --where clauses on ADSL columns")},
      {"treatment_emergent", "ADAE records with TRTEMFL = Y"},
      {"counting",
       "each subject counted once per row, at the worst grade of the row's records (missing grade "
       "below grade 1)"},
      {"grade3", "worst grade 3, 4 or 5"},
      {"withdrawn", "AEACN = DRUG WITHDRAWN"},
      {"reduced", "AEACN = DOSE REDUCED or DOSE RATE REDUCED"},
      {"fatal", "AESDTH = Y, AEOUT = FATAL or grade 5"},
      {"percent", "100 n / N, N the subjects of the arm in the analysis"},
      {"order",
       fmt::format(
           "system organ classes and, within each, preferred terms by descending n in {}, then "
           "descending total, then name",
           p.group_levels[r.sort_arm])},
      {"min_percent",
       fmt::format("preferred terms with a percentage >= {:g} in at least one arm; a SOC is shown "
                   "when one of its terms is, with counts over all its terms",
                   r.options.min_percent)},
      {"rate", rate_method(r, p)},
      {"difference",
       "percentage points, each arm minus the reference; Newcombe (1998) method 10 hybrid score "
       "interval and Wald interval (R prop.test(correct = FALSE))"}};
  json analyses = json::array();
  for (const auto& a : r.analyses) {
    json arms = json::array();
    for (std::size_t g = 0; g < a.n.size(); ++g)
      arms.push_back({{"group", p.group_levels[g]},
                      {"n", a.n[g]},
                      {"patient_years", num(a.patient_years[g])}});
    json summary = json::array(), terms = json::array();
    for (const auto& row : a.summary) summary.push_back(safety_row_json(row, p.group_levels));
    for (const auto& row : a.terms) terms.push_back(safety_row_json(row, p.group_levels));
    analyses.push_back({{"label", a.label},
                        {"arms", arms},
                        {"summary", summary},
                        {"terms", terms},
                        {"terms_below_min", a.terms_below_min}});
  }
  out["analyses"] = analyses;
  return out;
}

std::string csv_num(double x) { return std::isfinite(x) ? fmt::format("{}", x) : "NA"; }

void print_csv(const SafetyPopulation& p, const SafetyResult& r) {
  std::string out =
      "analysis,table,id,soc,term,group,N,n,percent,grade1,grade2,grade3,grade4,grade5,grade_"
      "missing,grade3plus,"
      "patient_years,rate,rate_lower,rate_upper,reference,difference,newcombe_lower,newcombe_upper,"
      "wald_lower,"
      "wald_upper\n";
  for (const auto& a : r.analyses) {
    auto rows = [&](const std::vector<SafetyRow>& list) {
      for (const auto& row : list) {
        const char* table = row.kind == SafetyRowKind::summary ? "summary"
                            : row.kind == SafetyRowKind::soc   ? "soc"
                                                               : "pt";
        for (std::size_t g = 0; g < row.arms.size(); ++g) {
          const SafetyCell& c = row.arms[g];
          out += fmt::format("{},{},{},{},{},{},{},{},{}", csv_text(a.label), table, row.id,
                             csv_text(row.kind == SafetyRowKind::summary ? "" : row.soc),
                             csv_text(row.kind == SafetyRowKind::summary ? row.label
                                       : row.kind == SafetyRowKind::term  ? row.label
                                                                          : ""),
                             csv_text(p.group_levels[g]), a.n[g], c.n, csv_num(c.percent));
          for (int k = 1; k <= 5; ++k)
            out += fmt::format(",{}", c.worst[static_cast<std::size_t>(k)]);
          out +=
              fmt::format(",{},{},{},{},{},{}", c.worst[0], c.grade3, csv_num(a.patient_years[g]),
                          csv_num(c.rate.estimate), csv_num(c.rate.lower), csv_num(c.rate.upper));
          if (g == 0) {
            out += ",,,,,,\n";
          } else {
            const auto& n = row.newcombe[g - 1];
            const auto& w = row.wald[g - 1];
            out +=
                fmt::format(",{},{},{},{},{},{}\n", csv_text(p.group_levels[0]),
                            csv_num(100 * n.estimate), csv_num(100 * n.lower),
                            csv_num(100 * n.upper), csv_num(100 * w.lower), csv_num(100 * w.upper));
          }
        }
      }
    };
    rows(a.summary);
    rows(a.terms);
  }
  std::cout << out;
}

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string pct(double x) { return std::isfinite(x) ? fmt::format("{:.1f}", x) : "NE"; }
std::string rate_text(const RateCi& r) {
  return std::isfinite(r.estimate)
             ? fmt::format("{:.1f} ({:.1f}, {:.1f})", r.estimate, r.lower, r.upper)
             : "";
}

void print_text(const SafetyPopulation& p, const AeData& ae, const SafetyResult& r,
                const std::string& population) {
  const std::size_t K = p.group_levels.size();
  const std::string lv = fmt::format("{:g}%", r.options.conf_level * 100);
  fmt::print("hazard safety: {} (ADSL {})\n", ae.source, p.source);
  fmt::print(
      "safety population: {} = Y: {} subjects ({} ADSL rows, {} outside the population or removed "
      "by "
      "--where{})\n",
      population, p.size(), p.n_read, p.n_filtered,
      p.excluded.count ? fmt::format(", {} excluded", p.excluded.count) : std::string());
  fmt::print(
      "ADAE rows: {} read, {} removed by --where, {} not treatment-emergent, {} of subjects "
      "outside the "
      "population, {} analysed ({} without a grade)\n",
      ae.n_read, ae.n_filtered, ae.n_not_emergent, ae.n_outside_population, ae.records.size(),
      ae.n_missing_grade);
  fmt::print(
      "Each subject counted once per row at its worst grade; differences: each arm minus {} in "
      "percentage points, Newcombe {} CI; SOC/PT ordered by {}\n",
      p.group_levels[0], lv, p.group_levels[r.sort_arm]);
  fmt::print("Rates (EAIR): {}\n", rate_method(r, p));
  for (const auto& a : r.analyses) {
    fmt::print("\n== {} ==\n", a.label);
    // Label column: as wide as the longest label (at most 60 characters).
    std::size_t width = 30;
    for (const auto* rows : {&a.summary, &a.terms})
      for (const auto& row : *rows)
        width = std::max(width, row.label.size() + (row.kind == SafetyRowKind::term ? 2 : 0));
    width = std::min<std::size_t>(width, 60);
    std::string head = fmt::format("{:<{}}", "", width);
    for (std::size_t g = 0; g < K; ++g)
      head += fmt::format(" {:>22}", fmt::format("{} (N={})", p.group_levels[g], a.n[g]));
    // One difference column per non-reference arm (its label names the arm when there are several).
    for (std::size_t g = 1; g < K; ++g)
      head += fmt::format("  {:<22}", K > 2 ? fmt::format("{} - {} ({} CI)", p.group_levels[g],
                                                          p.group_levels[0], lv)
                                            : fmt::format("Difference ({} CI)", lv));
    fmt::print("{}\n", rtrim(head));
    auto line = [&](const SafetyRow& row, const std::string& label, bool grade3) {
      std::string s = fmt::format(
          "{:<{}}", label.size() > width ? label.substr(0, width - 3) + "..." : label, width);
      for (std::size_t g = 0; g < K; ++g) {
        const auto& c = row.arms[g];
        s += fmt::format(" {:>22}",
                         grade3 ? fmt::format("{} ({}) [>=3: {}]", c.n, pct(c.percent), c.grade3)
                                : fmt::format("{} ({})", c.n, pct(c.percent)));
      }
      for (std::size_t k = 0; k < row.newcombe.size(); ++k)
        s += fmt::format("  {:<22}", fmt::format("{} ({}, {})", pct(100 * row.newcombe[k].estimate),
                                                 pct(100 * row.newcombe[k].lower),
                                                 pct(100 * row.newcombe[k].upper)));
      fmt::print("{}\n", rtrim(s));
    };
    for (const auto& row : a.summary) line(row, row.label, false);
    if (r.rates) {
      fmt::print("\nExposure-adjusted incidence per {:g} patient-years ({} CI)\n",
                 r.options.per_years, lv);
      std::string py = fmt::format("{:<{}}", "patient-years", width);
      for (std::size_t g = 0; g < K; ++g)
        py += fmt::format(" {:>22}", fmt::format("{:.1f}", a.patient_years[g]));
      fmt::print("{}\n", py);
      for (const auto& row : a.summary) {
        std::string s = fmt::format("{:<{}}", row.label, width);
        for (std::size_t g = 0; g < K; ++g)
          s += fmt::format(" {:>22}", rate_text(row.arms[g].rate));
        fmt::print("{}\n", s);
      }
    }
    fmt::print("\nSystem organ class / preferred term (n (%) [worst grade >= 3])");
    if (r.options.min_percent > 0)
      fmt::print(": terms in >= {:g}% of an arm ({} left out)", r.options.min_percent,
                 a.terms_below_min);
    fmt::print("\n");
    for (const auto& row : a.terms)
      line(row, row.kind == SafetyRowKind::soc ? row.label : "  " + row.label, true);
  }
}

void run(const SafetyCliOptions& o) {
  if (o.json && o.csv) throw UsageError("give at most one of --json, --csv");
  if (!(o.conf_level > 0 && o.conf_level < 1)) throw UsageError("--conf-level must be in (0, 1)");
  if (!(o.min_percent >= 0 && o.min_percent <= 100))
    throw UsageError("--min-percent must be between 0 and 100");
  if (!o.in.data.strata.empty())
    throw UsageError("hazard safety has no stratified analysis: --strata is not used");
  if (o.no_rates && !o.adex.empty()) throw UsageError("give either --adex or --no-rates, not both");
  SafetyRequest q{.in = o.in,
                  .adex = o.adex,
                  .exposure_param = o.exposure_param,
                  .start = o.start,
                  .end = o.end,
                  .no_rates = o.no_rates,
                  .options = {.conf_level = o.conf_level, .min_percent = o.min_percent}};
  q.columns.soc = o.soc;
  q.columns.pt = o.pt;
  q.columns.grade = o.grade;
  const SafetyRun run = run_safety(q);
  if (o.json)
    std::cout << to_json(run.population, run.ae, run.result, run.population_flag, o).dump(2) << "\n";
  else if (o.csv)
    print_csv(run.population, run.result);
  else
    print_text(run.population, run.ae, run.result, run.population_flag);
}

}  // namespace

void register_safety(CLI::App& app) {
  auto o = std::make_shared<SafetyCliOptions>();
  CLI::App* cmd =
      app.add_subcommand("safety",
                         "Adverse events of the safety population from ADSL and ADAE: TEAE "
                         "summary, SOC/PT table with worst grades, "
                         "exposure-adjusted rates, risk differences (docs/cli/safety.md)");
  add_readout_options(cmd, o->in, /*group_required=*/true);
  cmd->add_option("--soc", o->soc, "System organ class column of ADAE (default AEBODSYS)");
  cmd->add_option("--pt", o->pt, "Preferred term column of ADAE (default AEDECOD)");
  cmd->add_option("--grade", o->grade, "Toxicity grade column of ADAE, 1-5 (default AETOXGR)");
  cmd->add_option("--min-percent", o->min_percent,
                  "SOC/PT table: only preferred terms with at least this percentage in some arm "
                  "(default 0: all)");
  cmd->add_option("--conf-level", o->conf_level,
                  "Confidence level of every interval (default 0.95)");
  cmd->add_option("--adex", o->adex,
                  "ADEX file: the exposure in days (PARAMCD = --exposure-param, AVAL)");
  cmd->add_option("--exposure-param", o->exposure_param,
                  "PARAMCD of the exposure in --adex (default TRTDURD)");
  cmd->add_option("--exposure-start", o->start,
                  "ADSL treatment start date without --adex (default TRTSDT)");
  cmd->add_option("--exposure-end", o->end,
                  "ADSL treatment end date without --adex (default TRTEDT)");
  cmd->add_flag("--no-rates", o->no_rates, "No exposure-adjusted rates");
  cmd->add_flag("--json", o->json, "Print one JSON document");
  cmd->add_flag("--csv", o->csv, "Print the tables as CSV (one row per arm and table row)");
  cmd->callback([o]() { run(*o); });
}

}  // namespace hazard::cli
