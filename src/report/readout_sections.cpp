// The readout sections of the report: safety (TEAE summary, SOC/PT table with worst grade >= 3,
// exposure-adjusted rates), tumour response (BOR, ORR/DCR with Clopper–Pearson CIs, differences,
// CMH test, MH odds ratio, duration of response) and quality of life (time to deterioration,
// Kaplan–Meier). Formatting only: every number is a field of the results `hazard safety`,
// `hazard response` and `hazard deterioration` compute (ReportModel::readout).
#include "report/readout_sections.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "hazard/plot.hpp"
#include "hazard/readout_json.hpp"

namespace hazard::report::detail {

namespace {

using nlohmann::json;

json num(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

// Display order of the arms: experimental arms first, the reference (level 0) last, as in the
// efficacy table.
std::vector<std::size_t> display_order(std::size_t k) {
  std::vector<std::size_t> out;
  for (std::size_t g = 1; g < k; ++g) out.push_back(g);
  if (k > 0) out.push_back(0);
  return out;
}

std::string pct1(double x) { return std::isfinite(x) ? fmt::format("{:.1f}", x) : "NE"; }

// "12.3 (4.5, 20.1)" of values already in the unit shown.
std::string est3(double e, double lo, double hi) {
  return fmt::format("{} ({}, {})", pct1(e), pct1(lo), pct1(hi));
}

std::string count_pct(std::size_t n, std::size_t of) {
  return of > 0 ? fmt::format("{} ({:.1f})", n, 100.0 * static_cast<double>(n) / static_cast<double>(of))
                : fmt::format("{}", n);
}

std::string level_pct(double conf_level) { return fmt::format("{:g}%", 100 * conf_level); }

// ---------------------------------------------------------------------------------------------
// Safety

std::vector<CaptionedTable> safety_tables_of(const SafetySection& s, const std::string& ci) {
  std::vector<CaptionedTable> out;
  const std::size_t K = s.group_levels.size();
  const auto order = display_order(K);
  for (const SafetyAnalysis& a : s.result.analyses) {
    // Summary: n (%) per arm, then each arm minus the reference (Newcombe CI).
    Table t;
    t.columns = 1 + K + (K - 1);
    Row head;
    head.cells.push_back({.text = "Subjects with"});
    for (std::size_t g : order)
      head.cells.push_back({.text = fmt::format("{}\n(N={})\nn (%)", s.group_levels[g], a.n[g])});
    for (std::size_t g = 1; g < K; ++g)
      head.cells.push_back({.text = fmt::format("{} − {}\n% points ({})", s.group_levels[g],
                                                s.group_levels[0], ci)});
    t.header.push_back(std::move(head));
    for (const SafetyRow& row : a.summary) {
      Row r;
      r.cells.push_back({.text = row.label});
      for (std::size_t g : order)
        r.cells.push_back({.text = count_pct(row.arms[g].n, a.n[g]),
                           .cohort = a.label,
                           .arm = s.group_levels[g],
                           .stat = "teae_" + row.id + "_n",
                           .value = static_cast<double>(row.arms[g].n)});
      for (std::size_t k = 0; k + 1 < K; ++k) {
        const DifferenceCi& d = row.newcombe[k];
        r.cells.push_back({.text = est3(100 * d.estimate, 100 * d.lower, 100 * d.upper),
                           .cohort = a.label,
                           .arm = s.group_levels[k + 1] + " vs " + s.group_levels[0],
                           .stat = "teae_" + row.id + "_difference",
                           .value = 100 * d.estimate});
      }
      t.body.push_back(std::move(r));
    }
    out.push_back({fmt::format("Treatment-emergent adverse events, {}", a.label), std::move(t)});

    if (s.result.rates) {
      Table e;
      e.columns = 1 + K;
      Row eh;
      eh.cells.push_back({.text = fmt::format("Per {:g} patient-years ({})", s.result.options.per_years, ci)});
      for (std::size_t g : order) eh.cells.push_back({.text = s.group_levels[g]});
      e.header.push_back(std::move(eh));
      Row py;
      py.cells.push_back({.text = "Patient-years of exposure"});
      for (std::size_t g : order)
        py.cells.push_back({.text = fmt::format("{:.1f}", a.patient_years[g]),
                            .cohort = a.label,
                            .arm = s.group_levels[g],
                            .stat = "patient_years",
                            .value = a.patient_years[g]});
      e.body.push_back(std::move(py));
      for (const SafetyRow& row : a.summary) {
        Row r;
        r.cells.push_back({.text = row.label});
        for (std::size_t g : order) {
          const RateCi& rc = row.arms[g].rate;
          r.cells.push_back({.text = est3(rc.estimate, rc.lower, rc.upper),
                             .cohort = a.label,
                             .arm = s.group_levels[g],
                             .stat = "teae_" + row.id + "_eair",
                             .value = rc.estimate});
        }
        e.body.push_back(std::move(r));
      }
      out.push_back({fmt::format("Exposure-adjusted incidence rates, {}", a.label), std::move(e)});
    }

    // SOC/PT: all grades and worst grade >= 3, per arm.
    Table p;
    p.columns = 1 + 2 * K;
    Row h1, h2;
    h1.cells.push_back({.text = ""});
    h2.cells.push_back({.text = "System organ class\nPreferred term"});
    for (std::size_t g : order) {
      h1.cells.push_back({.text = fmt::format("{} (N={})", s.group_levels[g], a.n[g]), .span = 2});
      h2.cells.push_back({.text = "All grades\nn (%)"});
      h2.cells.push_back({.text = "Grade ≥3\nn (%)"});
    }
    p.header.push_back(std::move(h1));
    p.header.push_back(std::move(h2));
    for (const SafetyRow& row : a.terms) {
      Row r;
      r.indent = row.kind == SafetyRowKind::term ? 1 : 0;
      r.cells.push_back({.text = row.label});
      const std::string id = row.kind == SafetyRowKind::term ? row.soc + " / " + row.label : row.label;
      for (std::size_t g : order) {
        const SafetyCell& c = row.arms[g];
        r.cells.push_back({.text = count_pct(c.n, a.n[g]),
                           .cohort = a.label,
                           .arm = s.group_levels[g],
                           .stat = "ae_n",
                           .timepoint = id,
                           .value = static_cast<double>(c.n)});
        r.cells.push_back({.text = count_pct(c.grade3, a.n[g]),
                           .cohort = a.label,
                           .arm = s.group_levels[g],
                           .stat = "ae_grade3_n",
                           .timepoint = id,
                           .value = static_cast<double>(c.grade3)});
      }
      p.body.push_back(std::move(r));
    }
    std::string cap = fmt::format("Treatment-emergent adverse events by system organ class and "
                                  "preferred term, {}",
                                  a.label);
    if (s.result.options.min_percent > 0)
      cap += fmt::format(" (terms in at least {:g}% of an arm; {} left out)",
                         s.result.options.min_percent, a.terms_below_min);
    out.push_back({cap, std::move(p)});
  }
  return out;
}

json safety_json(const SafetySection& s) {
  json out;
  out["population"] = s.population;
  out["n"] = s.n;
  out["group_column"] = s.group_name;
  out["reference"] = s.group_levels.front();
  out["conf_level"] = s.result.options.conf_level;
  out["min_percent"] = s.result.options.min_percent;
  out["rates"] = {{"computed", s.result.rates},
                  {"per_patient_years", s.result.options.per_years},
                  {"exposure", s.result.rates ? json(s.exposure) : json(nullptr)}};
  out["method"] = s.methods;
  json analyses = json::array();
  for (const SafetyAnalysis& a : s.result.analyses) {
    json arms = json::array();
    for (std::size_t g = 0; g < a.n.size(); ++g)
      arms.push_back({{"group", s.group_levels[g]},
                      {"n", a.n[g]},
                      {"patient_years", num(a.patient_years[g])}});
    json summary = json::array(), terms = json::array();
    for (const SafetyRow& row : a.summary) summary.push_back(json(safety_row_json(row, s.group_levels)));
    for (const SafetyRow& row : a.terms) terms.push_back(json(safety_row_json(row, s.group_levels)));
    analyses.push_back({{"label", a.label},
                        {"arms", arms},
                        {"summary", summary},
                        {"terms", terms},
                        {"terms_below_min", a.terms_below_min}});
  }
  out["analyses"] = analyses;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Response and quality of life: one table, the analyses (cohorts) side by side as in the efficacy
// table, arms in display order within each.

struct Columns {
  Table table;
  std::vector<std::size_t> order;
};

template <class Analyses, class N>
Columns cohort_columns(const Analyses& analyses, const std::vector<std::string>& levels, N n_of) {
  Columns c;
  c.order = display_order(levels.size());
  c.table.columns = 1 + analyses.size() * levels.size();
  Row h1, h2;
  h1.cells.push_back({.text = ""});
  h2.cells.push_back({.text = ""});
  for (std::size_t k = 0; k < analyses.size(); ++k) {
    h1.cells.push_back({.text = analyses[k].label, .span = static_cast<int>(levels.size())});
    for (std::size_t g : c.order)
      h2.cells.push_back({.text = fmt::format("{}\n(N={})", levels[g], n_of(k, g))});
  }
  c.table.header.push_back(std::move(h1));
  c.table.header.push_back(std::move(h2));
  return c;
}

void section_row(Table& t, const std::string& text) {
  t.body.push_back({.cells = {Cell{.text = text}}, .section = true});
}

std::string km_median_text(const KmGroup* g) {
  if (!g || g->n == 0) return "–";
  return est3(g->median.estimate, g->median.lower, g->median.upper);
}

std::vector<CaptionedTable> response_tables_of(const ResponseSection& s, const std::string& ci,
                                               const std::string& units) {
  const std::size_t K = s.group_levels.size();
  const auto& an = s.result.analyses;
  Columns c = cohort_columns(an, s.group_levels, [&](std::size_t k, std::size_t g) {
    return an[k].arms[g].n;
  });
  Table& t = c.table;
  auto per_arm = [&](const std::string& label, int indent, auto cell) {
    Row r;
    r.indent = indent;
    r.cells.push_back({.text = label});
    for (std::size_t k = 0; k < an.size(); ++k)
      for (std::size_t g : c.order) {
        Cell x = cell(k, an[k].arms[g]);
        x.cohort = an[k].label;
        x.arm = s.group_levels[g];
        r.cells.push_back(std::move(x));
      }
    t.body.push_back(std::move(r));
  };
  section_row(t, "Best overall response, n (%)");
  for (std::size_t b = 0; b < n_bor; ++b) {
    const char* code = bor_code(static_cast<Bor>(b));
    per_arm(code, 1, [&](std::size_t, const ArmResponse& a) {
      return Cell{.text = count_pct(a.bor[b], a.n), .stat = std::string("bor_") + code,
                  .value = static_cast<double>(a.bor[b])};
    });
  }
  // One comparison row per experimental arm: the cell spans the analysis' arm columns.
  auto per_comparison = [&](const std::string& label, bool orr, auto text, const char* stat,
                            auto value) {
    for (std::size_t j = 0; j + 1 < K; ++j) {
      Row r;
      r.indent = 1;
      r.cells.push_back({.text = K > 2 ? fmt::format("{}: {} vs {}", label, s.group_levels[j + 1],
                                                     s.group_levels[0])
                                       : label});
      for (std::size_t k = 0; k < an.size(); ++k) {
        const RateComparison& cmp = orr ? an[k].orr[j] : an[k].dcr[j];
        r.cells.push_back({.text = text(cmp),
                           .span = static_cast<int>(K),
                           .cohort = an[k].label,
                           .arm = cmp.level + " vs " + cmp.reference,
                           .stat = (orr ? "ORR_" : "DCR_") + std::string(stat),
                           .value = value(cmp)});
      }
      t.body.push_back(std::move(r));
    }
  };
  for (const bool orr : {true, false}) {
    const std::string name = orr ? "ORR" : "DCR";
    section_row(t, orr ? "Objective response rate (CR + PR)" : "Disease control rate (CR + PR + SD + NON-CR/NON-PD)");
    per_arm("Responders, n (%)", 1, [&](std::size_t, const ArmResponse& a) {
      const ProportionCi& p = orr ? a.orr : a.dcr;
      return Cell{.text = count_pct(p.x, p.n), .stat = name + "_responders",
                  .value = static_cast<double>(p.x)};
    });
    per_arm(fmt::format("{}, % ({}, Clopper–Pearson)", name, ci), 1,
            [&](std::size_t, const ArmResponse& a) {
              const ProportionCi& p = orr ? a.orr : a.dcr;
              return Cell{.text = est3(100 * p.estimate, 100 * p.lower, 100 * p.upper),
                          .stat = name + "_rate", .value = p.estimate};
            });
    const bool strat = !s.strata.empty();
    per_comparison(fmt::format("Difference, % points ({}, {})", ci,
                               strat ? "stratified, Mantel–Haenszel" : "Wald"),
                   orr,
                   [&](const RateComparison& x) {
                     const DifferenceCi& d = strat ? x.mh : x.wald;
                     return est3(100 * d.estimate, 100 * d.lower, 100 * d.upper);
                   },
                   strat ? "difference_mh" : "difference_wald",
                   [&](const RateComparison& x) { return strat ? x.mh.estimate : x.wald.estimate; });
    per_comparison(fmt::format("Difference, % points ({}, Newcombe)", ci), orr,
                   [&](const RateComparison& x) {
                     return est3(100 * x.newcombe.estimate, 100 * x.newcombe.lower,
                                 100 * x.newcombe.upper);
                   },
                   "difference_newcombe",
                   [&](const RateComparison& x) { return x.newcombe.estimate; });
    per_comparison(fmt::format("Odds ratio, Mantel–Haenszel ({})", ci), orr,
                   [&](const RateComparison& x) {
                     return format_hr({x.cmh.odds_ratio, x.cmh.or_lower, x.cmh.or_upper});
                   },
                   "odds_ratio_mh", [&](const RateComparison& x) { return x.cmh.odds_ratio; });
    per_comparison(strat ? "p-value, Cochran–Mantel–Haenszel (stratified)"
                         : "p-value, Cochran–Mantel–Haenszel",
                   orr, [&](const RateComparison& x) { return format_p(x.cmh.p); }, "cmh_p",
                   [&](const RateComparison& x) { return x.cmh.p; });
  }
  if (s.dor) {
    section_row(t, "Duration of response, Kaplan–Meier among responders" + units);
    auto dor_group = [&](std::size_t k, const ArmResponse& a) -> const KmGroup* {
      for (const KmGroup& g : s.dor->analyses[k].arms)
        if (g.level && *g.level == a.level) return &g;
      return nullptr;
    };
    per_arm("Responders with a duration, n", 1, [&](std::size_t k, const ArmResponse& a) {
      const KmGroup* g = dor_group(k, a);
      const double n = g ? static_cast<double>(g->n) : 0;
      return Cell{.text = fmt::format("{:g}", n), .stat = "dor_n", .value = n};
    });
    per_arm("Progression or death, n", 1, [&](std::size_t k, const ArmResponse& a) {
      const KmGroup* g = dor_group(k, a);
      const double e = g ? g->events : 0;
      return Cell{.text = fmt::format("{:g}", e), .stat = "dor_events", .value = e};
    });
    per_arm(fmt::format("Median ({})", ci), 1, [&](std::size_t k, const ArmResponse& a) {
      const KmGroup* g = dor_group(k, a);
      return Cell{.text = km_median_text(g), .stat = "dor_median",
                  .value = g && g->n ? g->median.estimate : na};
    });
  }
  return {{"Tumour response", std::move(t)}};
}

json dor_arm_json(const KmGroup& g) {
  return {{"group", g.level ? json(*g.level) : json(nullptr)},
          {"n", g.n},
          {"events", g.events},
          {"median",
           {{"estimate", num(g.median.estimate)},
            {"lower", num(g.median.lower)},
            {"upper", num(g.median.upper)}}}};
}

json response_json(const ResponseSection& s) {
  json out;
  out["param"] = s.param;
  out["n"] = s.n;
  out["n_without_record"] = s.n_without_record;
  out["group_column"] = s.group_name;
  out["reference"] = s.group_levels.front();
  out["strata"] = s.strata.empty() ? json(nullptr) : json(s.strata);
  out["conf_level"] = s.result.options.conf_level;
  out["method"] = s.methods;
  json analyses = json::array();
  for (std::size_t k = 0; k < s.result.analyses.size(); ++k) {
    const ResponseAnalysis& a = s.result.analyses[k];
    json arms = json::array();
    for (const ArmResponse& arm : a.arms) {
      json bor;
      for (std::size_t b = 0; b < n_bor; ++b) bor[bor_code(static_cast<Bor>(b))] = arm.bor[b];
      auto rate = [](const ProportionCi& p) {
        return json{{"responders", p.x}, {"n", p.n}, {"estimate", num(p.estimate)},
                    {"lower", num(p.lower)}, {"upper", num(p.upper)}};
      };
      arms.push_back({{"group", arm.level}, {"n", arm.n}, {"bor", bor}, {"orr", rate(arm.orr)},
                      {"dcr", rate(arm.dcr)}});
    }
    json comps = json::array();
    for (std::size_t c = 0; c < a.orr.size(); ++c)
      comps.push_back({{"group", a.orr[c].level},
                       {"reference", a.orr[c].reference},
                       {"orr", json(rate_comparison_json(a.orr[c]))},
                       {"dcr", json(rate_comparison_json(a.dcr[c]))}});
    json dor = nullptr;
    if (s.dor) {
      const DorAnalysis& d = s.dor->analyses[k];
      json darms = json::array();
      for (const KmGroup& g : d.arms) darms.push_back(dor_arm_json(g));
      dor = {{"responders", d.responders}, {"without_record", d.without_record}, {"arms", darms}};
    }
    analyses.push_back({{"label", a.label},
                        {"arms", arms},
                        {"comparisons", comps},
                        {"duration_of_response", dor}});
  }
  out["analyses"] = analyses;
  out["duration_of_response"] =
      s.dor ? json{{"file", s.dor->source},
                   {"n_read", s.dor->n_read},
                   {"n_filtered", s.dor->n_filtered},
                   {"n_outside", s.dor->n_outside},
                   {"conf_type", conf_type_name(s.dor->conf_type)},
                   {"conf_level", s.dor->conf_level}}
            : json(nullptr);
  return out;
}

// The KM group of arm g in a deterioration analysis (nullptr when the arm has no subject).
const KmGroup* ttd_group(const TtdAnalysis& a, std::size_t g) {
  return a.km_group[g] >= 0 ? &a.km.groups[static_cast<std::size_t>(a.km_group[g])] : nullptr;
}

std::vector<CaptionedTable> qol_tables_of(const QolSection& s, const std::string& ci) {
  const auto& an = s.analyses;
  Columns c = cohort_columns(an, s.group_levels, [&](std::size_t k, std::size_t g) { return an[k].n[g]; });
  Table& t = c.table;
  auto per_arm = [&](const std::string& label, auto cell) {
    Row r;
    r.indent = 1;
    r.cells.push_back({.text = label});
    for (std::size_t k = 0; k < an.size(); ++k)
      for (std::size_t g : c.order) {
        Cell x = cell(an[k], g);
        x.cohort = an[k].label;
        x.arm = s.group_levels[g];
        r.cells.push_back(std::move(x));
      }
    t.body.push_back(std::move(r));
  };
  section_row(t, s.name);
  per_arm("Deterioration, n (%)", [&](const TtdAnalysis& a, std::size_t g) {
    return Cell{.text = count_pct(a.events[g], a.n[g]), .stat = "ttd_events",
                .value = static_cast<double>(a.events[g])};
  });
  per_arm(fmt::format("Median, {} ({})", s.units, ci), [&](const TtdAnalysis& a, std::size_t g) {
    const KmGroup* k = ttd_group(a, g);
    return Cell{.text = km_median_text(k), .stat = "ttd_median", .value = k ? k->median.estimate : na};
  });
  return {{"Quality of life: " + s.name, std::move(t)}};
}

json qol_json(const QolSection& s) {
  json out;
  out["param"] = s.param;
  out["paramcd"] = s.paramcd;
  out["name"] = s.name;
  out["mid"] = s.mid;
  out["rule"] = s.rule;
  out["direction"] = s.direction;
  out["rule_text"] = s.rule_text;
  out["units"] = s.units;
  out["n"] = s.n;
  out["group_column"] = s.group_name;
  out["reference"] = s.group_levels.front();
  out["censored_at_origin"] = {{"no_baseline", s.no_baseline}, {"no_post_baseline", s.no_post}};
  out["method"] = s.methods;
  json analyses = json::array();
  for (const TtdAnalysis& a : s.analyses) {
    json arms = json::array();
    for (std::size_t g = 0; g < a.n.size(); ++g) {
      const KmGroup* k = ttd_group(a, g);
      arms.push_back({{"group", s.group_levels[g]},
                      {"n", a.n[g]},
                      {"events", a.events[g]},
                      {"median",
                       {{"estimate", k ? num(k->median.estimate) : json(nullptr)},
                        {"lower", k ? num(k->median.lower) : json(nullptr)},
                        {"upper", k ? num(k->median.upper) : json(nullptr)}}}});
    }
    analyses.push_back({{"label", a.label}, {"arms", arms}});
  }
  out["analyses"] = analyses;
  return out;
}

// The KM figure of time to deterioration in one analysis (arms with subjects).
plot::KmPlot qol_plot(const ReportModel& m, const QolSection& s, const TtdAnalysis& a) {
  plot::KmPlot p;
  p.options = m.km_options;
  p.options.title = s.name + ", " + a.label;
  p.options.y_label = "Free of deterioration (%)";
  p.options.x_label = "Time (" + s.units + ")";
  p.options.units = s.units;
  p.options.annotation.clear();
  p.options.footnote = m.notice;
  for (std::size_t g : display_order(s.group_levels.size()))
    if (const KmGroup* k = ttd_group(a, g); k && k->n > 0) {
      plot::KmCurve curve = plot_curve_from_km(*k, s.group_levels[g]);
      curve.median = k->median.estimate;
      p.curves.push_back(std::move(curve));
    }
  return p;
}

}  // namespace

std::vector<CaptionedTable> safety_tables(const ReportModel& m) {
  return m.readout.safety ? safety_tables_of(*m.readout.safety, ci_text(m.conf_level))
                          : std::vector<CaptionedTable>{};
}

std::vector<CaptionedTable> response_tables(const ReportModel& m) {
  return m.readout.response ? response_tables_of(*m.readout.response, ci_text(m.conf_level),
                                                 m.units.empty() ? "" : " (" + m.units + ")")
                            : std::vector<CaptionedTable>{};
}

std::vector<CaptionedTable> qol_tables(const ReportModel& m) {
  return m.readout.qol ? qol_tables_of(*m.readout.qol, ci_text(m.conf_level))
                       : std::vector<CaptionedTable>{};
}

std::string readout_html(const ReportModel& m) {
  std::string out;
  auto section = [&](const char* id, const std::string& heading,
                     const std::vector<CaptionedTable>& tables, const std::vector<std::string>& methods,
                     const std::string& extra) {
    out += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", id, html_text(heading));
    for (const CaptionedTable& t : tables)
      out += "<h3>" + html_text(t.caption) + "</h3>\n" + html_table(t.table);
    out += extra;
    out += "<div class=\"footnotes\"><ol>\n";
    for (const std::string& f : methods) out += "<li>" + html_text(f) + "</li>\n";
    out += "</ol></div>\n</section>\n";
  };
  if (m.readout.safety)
    section("safety", "Safety", safety_tables(m), m.readout.safety->methods, "");
  if (m.readout.response)
    section("response", "Tumour response", response_tables(m), m.readout.response->methods, "");
  if (m.readout.qol) {
    const QolSection& q = *m.readout.qol;
    std::string figures;
    for (std::size_t i = 0; i < q.analyses.size(); ++i) {
      const plot::KmPlot kp = qol_plot(m, q, q.analyses[i]);
      if (kp.curves.empty()) continue;
      figures += html_figure(plot::render_km(kp, plot::Format::svg),
                             "Kaplan–Meier plot of " + q.name + ", " + q.analyses[i].label,
                             "Kaplan–Meier estimate of " + q.name + ", " + q.analyses[i].label +
                                 "; censored observations marked; number at risk under the plot.",
                             "qol-km-" + std::to_string(i + 1));
    }
    section("qol", "Quality of life", qol_tables(m), q.methods, figures);
  }
  if (m.readout.crossover) {
    const CrossoverSection& c = *m.readout.crossover;
    const std::string fig = html_figure(plot::render_km(crossover_plot(m), plot::Format::svg),
                                        "Kaplan–Meier plot of overall survival adjusted for crossover",
                                        "Kaplan–Meier estimates: the observed experimental arm and the control arm's counterfactual "
                                        "survival without switching (RPSFTM); number at risk under the plot.",
                                        "crossover-km");
    section("crossover", "Overall survival adjusted for crossover", crossover_tables(m), c.methods, fig);
  }
  return out;
}

std::string render_readout_rtf(const ReportModel& m) {
  constexpr int page_w = 16838, page_h = 11906, margin = 1134;  // A4 landscape, 2 cm (as efficacy.rtf)
  auto para = [](const std::string& text, const std::string& codes) {
    return "\\pard\\sa60" + codes + " " + rtf_text(text) + "\\par\n";
  };
  std::string out;
  out += "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1\n";
  out += "{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}{\\f1\\fmodern\\fcharset0 Courier New;}}\n";
  out += "{\\colortbl;\\red0\\green0\\blue0;\\red122\\green46\\blue0;}\n";
  out += "{\\info{\\title " + rtf_text(m.title) + "}{\\doccomm generated by hazard}}\n";
  out += fmt::format("\\paperw{}\\paperh{}\\margl{}\\margr{}\\margt{}\\margb{}\\landscape\n", page_w,
                     page_h, margin, margin, margin, margin);
  out += "\\f0\\fs18\n";
  std::vector<std::string> parts;  // the sections present
  if (m.readout.safety) parts.push_back("safety");
  if (m.readout.response) parts.push_back("tumour response");
  if (m.readout.qol) parts.push_back("quality of life");
  if (m.readout.crossover) parts.push_back("overall survival adjusted for crossover");
  std::string what;
  for (std::size_t k = 0; k < parts.size(); ++k)
    what += (k == 0 ? "" : k + 1 == parts.size() ? " and " : ", ") + parts[k];
  out += para((m.title.empty() ? std::string("Readout") : m.title) + ": " + what, "\\b\\fs24");
  if (!m.notice.empty()) out += para(m.notice, "\\b\\cf2\\fs20");
  bool first = true;
  auto section = [&](const std::vector<CaptionedTable>& tables, const std::vector<std::string>& methods) {
    for (const CaptionedTable& t : tables) {
      if (!first) out += "\\page\n";
      first = false;
      out += para("Table: " + t.caption, "\\b\\fs20");
      out += rtf_table(t.table);
    }
    out += "\\pard\\sa0\\fs16\n";
    for (const std::string& f : methods) out += para(f, "\\fs16");
  };
  if (m.readout.safety) section(safety_tables(m), m.readout.safety->methods);
  if (m.readout.response) section(response_tables(m), m.readout.response->methods);
  if (m.readout.qol) {
    const QolSection& q = *m.readout.qol;
    section(qol_tables(m), q.methods);
    for (const TtdAnalysis& a : q.analyses) {
      const plot::KmPlot kp = qol_plot(m, q, a);
      if (kp.curves.empty()) continue;
      out += "\\page\n" + para("Figure: Kaplan–Meier estimate of " + q.name + ", " + a.label, "\\b\\fs20");
      out += "\\pard\\qc " + rtf_picture(plot::render_km(kp, plot::Format::png), kp.options.dpi) + "\\par\n";
    }
  }
  if (m.readout.crossover) {
    section(crossover_tables(m), m.readout.crossover->methods);
    const plot::KmPlot kp = crossover_plot(m);
    out += "\\page\n" + para("Figure: " + kp.options.title, "\\b\\fs20");
    out += "\\pard\\qc " + rtf_picture(plot::render_km(kp, plot::Format::png), kp.options.dpi) + "\\par\n";
  }
  for (const InputFile& f : m.inputs) out += para("Input " + f.path + ", SHA-256 " + f.sha256, "\\fs16");
  if (!m.created.empty()) out += para("Created " + m.created, "\\fs16");
  out += "}\n";
  return out;
}

void append_readout_rows(const ReportModel& m, std::vector<ResultRow>& rows) {
  auto add = [&](const std::string& ep, const std::string& cohort, const std::string& arm,
                 const std::string& stat, double v, const std::string& method) {
    rows.push_back({.endpoint = ep, .cohort = cohort, .arm = arm, .statistic = stat, .value = v,
                    .method = method});
  };
  auto add3 = [&](const std::string& ep, const std::string& cohort, const std::string& arm,
                  const std::string& stat, double v, double lo, double hi, const std::string& method) {
    add(ep, cohort, arm, stat, v, method);
    add(ep, cohort, arm, stat + "_lower", lo, method);
    add(ep, cohort, arm, stat + "_upper", hi, method);
  };
  const std::string lv = level_pct(m.conf_level);
  if (m.readout.safety) {
    const SafetySection& s = *m.readout.safety;
    const auto& L = s.group_levels;
    const std::string count = "subjects, each counted once per row (" + s.population + ")";
    const std::string rate_method = fmt::format(
        "subjects with the event per {:g} patient-years, {} exact Poisson CI (R poisson.test); exposure: {}",
        s.result.options.per_years, lv, s.exposure);
    const std::string diff = lv + " Newcombe hybrid score CI (method 10), percentage points";
    const std::string wald = lv + " Wald CI (R prop.test(correct = FALSE)), percentage points";
    for (const SafetyAnalysis& a : s.result.analyses) {
      for (std::size_t g = 0; g < L.size(); ++g) {
        add("TEAE", a.label, L[g], "N", static_cast<double>(a.n[g]), "subjects of the arm");
        if (s.result.rates) add("TEAE", a.label, L[g], "patient_years", a.patient_years[g], "exposure: " + s.exposure);
      }
      for (const SafetyRow& row : a.summary) {
        for (std::size_t g = 0; g < L.size(); ++g) {
          const SafetyCell& c = row.arms[g];
          add("TEAE", a.label, L[g], row.id + "_n", static_cast<double>(c.n), count);
          add("TEAE", a.label, L[g], row.id + "_pct", c.percent, "100 n / N");
          if (s.result.rates)
            add3("TEAE", a.label, L[g], row.id + "_eair", c.rate.estimate, c.rate.lower, c.rate.upper, rate_method);
        }
        for (std::size_t k = 0; k < row.newcombe.size(); ++k) {
          const std::string vs = L[k + 1] + " vs " + L[0];
          add3("TEAE", a.label, vs, row.id + "_difference", 100 * row.newcombe[k].estimate,
               100 * row.newcombe[k].lower, 100 * row.newcombe[k].upper, diff);
          add("TEAE", a.label, vs, row.id + "_difference_wald_lower", 100 * row.wald[k].lower, wald);
          add("TEAE", a.label, vs, row.id + "_difference_wald_upper", 100 * row.wald[k].upper, wald);
        }
      }
      for (const SafetyRow& row : a.terms) {
        const std::string ep = row.kind == SafetyRowKind::soc ? "TEAE: " + row.label
                                                              : "TEAE: " + row.soc + " / " + row.label;
        for (std::size_t g = 0; g < L.size(); ++g) {
          const SafetyCell& c = row.arms[g];
          add(ep, a.label, L[g], "n", static_cast<double>(c.n), count);
          add(ep, a.label, L[g], "pct", c.percent, "100 n / N");
          add(ep, a.label, L[g], "grade3_n", static_cast<double>(c.grade3),
              "subjects whose worst grade of the row is 3, 4 or 5");
          add(ep, a.label, L[g], "grade3_pct",
              a.n[g] > 0 ? 100.0 * static_cast<double>(c.grade3) / static_cast<double>(a.n[g]) : na,
              "100 n / N");
        }
      }
    }
  }
  if (m.readout.response) {
    const ResponseSection& s = *m.readout.response;
    const std::string cp = lv + " Clopper–Pearson exact CI (R binom.test); proportion";
    for (std::size_t k = 0; k < s.result.analyses.size(); ++k) {
      const ResponseAnalysis& a = s.result.analyses[k];
      for (const ArmResponse& arm : a.arms) {
        add("BOR", a.label, arm.level, "N", static_cast<double>(arm.n), "subjects analysed");
        for (std::size_t b = 0; b < n_bor; ++b)
          add("BOR", a.label, arm.level, bor_code(static_cast<Bor>(b)), static_cast<double>(arm.bor[b]),
              "subjects by best overall response");
        for (const bool orr : {true, false}) {
          const ProportionCi& p = orr ? arm.orr : arm.dcr;
          const char* ep = orr ? "ORR" : "DCR";
          add(ep, a.label, arm.level, "responders", static_cast<double>(p.x),
              orr ? "CR or PR" : "CR, PR, SD or NON-CR/NON-PD");
          add3(ep, a.label, arm.level, "rate", p.estimate, p.lower, p.upper, cp);
        }
      }
      for (const bool orr : {true, false}) {
        const char* ep = orr ? "ORR" : "DCR";
        for (const RateComparison& c : orr ? a.orr : a.dcr) {
          const std::string vs = c.level + " vs " + c.reference;
          add3(ep, a.label, vs, "difference_wald", c.wald.estimate, c.wald.lower, c.wald.upper,
               lv + " Wald CI (R prop.test(correct = FALSE)); proportion");
          add(ep, a.label, vs, "difference_newcombe_lower", c.newcombe.lower, lv + " Newcombe hybrid score CI (method 10)");
          add(ep, a.label, vs, "difference_newcombe_upper", c.newcombe.upper, lv + " Newcombe hybrid score CI (method 10)");
          const std::string mh = c.stratified ? lv + " Mantel–Haenszel weighted difference, Sato variance, stratified by " +
                                                    fmt::format("{}", fmt::join(s.strata, ", "))
                                              : lv + " Mantel–Haenszel difference, one stratum";
          add3(ep, a.label, vs, "difference_mh", c.mh.estimate, c.mh.lower, c.mh.upper, mh);
          const std::string cmh = std::string("Cochran–Mantel–Haenszel chi-square, 1 df") +
                                  (c.stratified ? ", stratified" : ", one stratum");
          add(ep, a.label, vs, "cmh_chisq", c.cmh.chisq, cmh + ", no continuity correction (as SAS)");
          add(ep, a.label, vs, "cmh_p", c.cmh.p, cmh + ", no continuity correction (as SAS)");
          add(ep, a.label, vs, "cmh_p_corrected", c.cmh.p_corrected, cmh + ", continuity correction (R mantelhaen.test default)");
          add3(ep, a.label, vs, "odds_ratio_mh", c.cmh.odds_ratio, c.cmh.or_lower, c.cmh.or_upper,
               lv + " Mantel–Haenszel odds ratio, Robins–Breslow–Greenland CI");
        }
      }
      if (s.dor) {
        const std::string km = fmt::format("Kaplan–Meier among responders; median with {} CI {}",
                                           lv, conf_type_name(s.dor->conf_type));
        for (const KmGroup& g : s.dor->analyses[k].arms) {
          const std::string arm = g.level.value_or("");
          add("DOR", a.label, arm, "n", static_cast<double>(g.n), "responders with a duration of response");
          add("DOR", a.label, arm, "events", g.events, "progression or death");
          add3("DOR", a.label, arm, "median", g.n ? g.median.estimate : na, g.n ? g.median.lower : na,
               g.n ? g.median.upper : na, km);
        }
      }
    }
  }
  if (m.readout.qol) {
    const QolSection& s = *m.readout.qol;
    const std::string km = fmt::format("Kaplan–Meier; median with {} CI {}; {}", lv,
                                       s.analyses.empty() ? "" : conf_type_name(s.analyses.front().km.conf_type),
                                       s.rule_text);
    for (const TtdAnalysis& a : s.analyses)
      for (std::size_t g = 0; g < a.n.size(); ++g) {
        const KmGroup* k = ttd_group(a, g);
        add(s.paramcd, a.label, s.group_levels[g], "n", static_cast<double>(a.n[g]), "subjects");
        add(s.paramcd, a.label, s.group_levels[g], "events", static_cast<double>(a.events[g]), "deteriorations");
        add3(s.paramcd, a.label, s.group_levels[g], "median", k ? k->median.estimate : na,
             k ? k->median.lower : na, k ? k->median.upper : na, km);
      }
  }
  append_crossover_rows(m, rows);  // after the other readout rows
}

void add_readout_json(const ReportModel& m, nlohmann::json& out) {
  if (m.readout.crossover) out["crossover"] = crossover_json(m);
  if (m.readout.safety) out["safety"] = safety_json(*m.readout.safety);
  if (m.readout.response) out["response"] = response_json(*m.readout.response);
  if (m.readout.qol) out["qol"] = qol_json(*m.readout.qol);
}

}  // namespace hazard::report::detail

namespace hazard::report {

SafetySection safety_section(const SafetyPopulation& p, const AeData& ae, const SafetyResult& r,
                             const std::string& population_flag) {
  SafetySection s;
  s.result = r;
  s.group_name = p.group_name;
  s.group_levels = p.group_levels;
  s.population = population_flag + " = Y";
  s.n = p.size();
  s.exposure = r.rates ? p.exposure_source : std::string();
  const std::string lv = fmt::format("{:g}%", 100 * r.options.conf_level);
  s.methods = {
      fmt::format("Safety population: subjects of ADSL with {} = Y ({} subjects), by {} "
                  "(reference {}). Treatment-emergent adverse events: ADAE records with TRTEMFL = Y "
                  "({} of {} records analysed).",
                  population_flag, p.size(), p.group_name, p.group_levels.front(),
                  ae.records.size(), ae.n_read),
      "Each subject is counted once per row, at the worst grade of the row's records (NCI-CTCAE "
      "grade, AETOXGR); grade >= 3: worst grade 3, 4 or 5. Serious: AESER = Y; leading to "
      "discontinuation: AEACN = DRUG WITHDRAWN; dose reduction: AEACN = DOSE REDUCED or DOSE RATE "
      "REDUCED; fatal: AESDTH = Y, AEOUT = FATAL or grade 5.",
      "Percentages: 100 n / N, N the subjects of the arm. System organ classes and, within each, "
      "preferred terms by descending frequency in " +
          p.group_levels[r.sort_arm] + ", then descending total, then name.",
      fmt::format("Differences: each arm minus {}, in percentage points, with the {} Newcombe "
                  "(1998, method 10) hybrid score interval; results.json/csv also give the Wald "
                  "interval (R prop.test(correct = FALSE)).",
                  p.group_levels.front(), lv),
      r.rates ? fmt::format("Exposure-adjusted incidence rates: subjects with at least one event "
                            "per {:g} patient-years of exposure ({}; patient-years = days / "
                            "365.25, summed over every subject of the arm), {} exact Poisson "
                            "interval as R poisson.test.",
                            r.options.per_years, p.exposure_source, lv)
              : std::string("Exposure-adjusted incidence rates: not computed (no exposure: give "
                            "--adex, or TRTSDT and TRTEDT in ADSL)."),
  };
  if (ae.n_missing_grade)
    s.methods.push_back(fmt::format("{} analysed records without a grade count below grade 1.",
                                    ae.n_missing_grade));
  return s;
}

ResponseSection response_section(const ResponseData& d, const ResponseResult& r,
                                 const std::optional<DorResult>& dor, const std::string& param) {
  ResponseSection s;
  s.result = r;
  s.dor = dor;
  s.group_name = d.group_name;
  s.group_levels = d.group_levels;
  s.strata = d.strata_names;
  s.param = param;
  s.n = d.size();
  s.n_without_record = d.n_without_record;
  const std::string lv = fmt::format("{:g}%", 100 * r.options.conf_level);
  s.methods = {
      fmt::format("Best overall response ({}{}) of {} subjects, by {} (reference {}); a blank "
                  "response, or a subject of the population without a record ({}), counts as "
                  "MISSING, a non-responder.",
                  d.source, param.empty() ? "" : ", " + param, d.size(), d.group_name,
                  d.group_levels.front(), d.n_without_record),
      "ORR: best overall response CR or PR; DCR: CR, PR, SD or NON-CR/NON-PD; denominators: every "
      "analysed subject of the arm.",
      fmt::format("Rates with {} Clopper–Pearson exact intervals (R binom.test).", lv),
      d.strata_names.empty()
          ? fmt::format("Differences (arm minus reference) with {} Wald intervals (R "
                        "prop.test(correct = FALSE)) and Newcombe (1998, method 10) hybrid score "
                        "intervals; Cochran–Mantel–Haenszel test on one stratum, without continuity "
                        "correction; Mantel–Haenszel odds ratio with the Robins–Breslow–Greenland "
                        "interval.",
                        lv)
          : fmt::format("Differences (arm minus reference): Mantel–Haenszel weighted over the "
                        "strata {} with the Sato variance and {} interval (as SAS PROC FREQ "
                        "COMMONRISKDIFF(CL=MH)), and unstratified with the Newcombe (1998, method "
                        "10) hybrid score interval; Cochran–Mantel–Haenszel test stratified by {}, "
                        "without continuity correction (as SAS; results.json/csv also give R "
                        "mantelhaen.test's corrected p); Mantel–Haenszel odds ratio with the "
                        "Robins–Breslow–Greenland interval.",
                        fmt::join(d.strata_names, ", "), lv, fmt::join(d.strata_names, ", ")),
  };
  if (dor)
    s.methods.push_back(fmt::format(
        "Duration of response: Kaplan–Meier among the responders (CR or PR) of each arm, from {} "
        "(CNSR 0 = progression or death); median with {} {} interval (as R survfit).",
        dor->source, fmt::format("{:g}%", 100 * dor->conf_level), conf_type_name(dor->conf_type)));
  return s;
}

QolSection qol_section(const QolData& d, const DeteriorationResult& r,
                       const std::vector<TtdAnalysis>& analyses, const std::string& param,
                       const std::string& units) {
  QolSection s;
  s.analyses = analyses;
  s.group_name = d.group_name;
  s.group_levels = d.group_levels;
  s.param = param;
  const std::string code = param.find('=') == std::string::npos ? param : param.substr(param.find('=') + 1);
  const char* prefix = r.options.rule == DeteriorationRule::first       ? "TTD"
                       : r.options.rule == DeteriorationRule::confirmed ? "TTCD"
                                                                        : "TUDD";
  s.paramcd = (std::string(prefix) + code).substr(0, 8);
  const char* what = r.options.rule == DeteriorationRule::first       ? "Time to deterioration"
                     : r.options.rule == DeteriorationRule::confirmed ? "Time to confirmed deterioration"
                                                                      : "Time to definitive deterioration";
  s.name = fmt::format("{}{}{} (MID {:g})", what, code.empty() ? "" : " of ", code, r.options.mid);
  s.rule = rule_name(r.options.rule);
  s.rule_text = r.rule_text;
  s.direction = r.options.higher_is_worse ? "higher-worse" : "higher-better";
  s.mid = r.options.mid;
  s.units = units;
  s.n = d.size();
  s.no_baseline = r.no_baseline;
  s.no_post = r.no_post;
  const KmResult* km = analyses.empty() ? nullptr : &analyses.front().km;
  s.methods = {
      fmt::format("{} ({}{}), {} subjects by {} (reference {}); rule ({}): {}", s.name, d.source,
                  param.empty() ? "" : ", " + param, d.size(), d.group_name, d.group_levels.front(),
                  s.paramcd, r.rule_text),
      fmt::format("Censored at the origin: {} without a baseline score, {} without a post-baseline "
                  "assessment{}.",
                  r.no_baseline, r.no_post,
                  d.n_without_record
                      ? fmt::format(" ({} subjects of ADSL without a questionnaire)", d.n_without_record)
                      : std::string()),
      km ? fmt::format("Kaplan–Meier per arm; median time ({}) with {:g}% {} interval (as R "
                       "survfit).",
                       units, 100 * km->conf_level, conf_type_name(km->conf_type))
         : std::string("Kaplan–Meier per arm."),
  };
  return s;
}

}  // namespace hazard::report
