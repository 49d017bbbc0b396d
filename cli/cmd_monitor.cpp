// `hazard monitor`: an interim (or final) analysis of a group-sequential survival trial
// (docs/cli/monitor.md). Parses flags, calls hazard::monitor_interim, prints.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.hpp"
#include "text_format.hpp"
#include "output_options.hpp"
#include "data_options.hpp"
#include "design_options.hpp"
#include "hazard/adam.hpp"
#include "hazard/calendar_cut.hpp"
#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "hazard/logrank.hpp"
#include "hazard/monitor.hpp"

namespace hazard::cli {

namespace {

struct MonitorFlags {
  std::vector<double> events;          ///< --events d1,...,dk
  std::vector<double> z;               ///< --z z1,...,zk
  std::vector<double> logrank;         ///< --logrank l1,...,lk: (O - E) / sqrt(V), rpact's sign
  std::optional<double> max_events;    ///< --max-events
  bool final_analysis = false;         ///< --final
  bool json = false;
  std::string entry;                     ///< --entry COL: calendar time of randomization
  std::vector<double> looks_events;      ///< --looks-events d1,...: cut the data at these counts
  std::vector<std::string> looks_dates;  ///< --looks-dates c1,...: cut the data at these dates
};

/// One look cut from the data.
struct DataCut {
  double cut = 0;
  std::size_t subjects = 0, not_yet_randomized = 0, events = 0;
};

/// The calendar cuts of --looks-events / --looks-dates: fills m.events and m.z from the data,
/// one (stratified) log-rank test per cut. `dates`: the calendar is in SAS dates.
std::vector<DataCut> cut_looks(const DataOptions& data, MonitorFlags& m, bool hr_below_one,
                               bool& dates) {
  if (!m.events.empty() || !m.z.empty()) {
    throw UsageError(
        "--looks-events/--looks-dates compute every look from the data: do not give "
        "--events or --z");
  }
  if (!m.looks_events.empty() && !m.looks_dates.empty()) {
    throw UsageError("give --looks-events or --looks-dates, not both");
  }
  // The calendar: the start date of a derived time (dates, analysis time in --units), or --entry
  // (calendar time in the units of --time).
  std::string entry_col;
  double scale = 1;
  if (!data.time_from.empty()) {
    if (!m.entry.empty())
      throw UsageError("--entry is the --time-from date here: give one of them");
    entry_col = data.time_from;
    scale = days_per(data.units == "months"  ? TimeUnit::months
                     : data.units == "years" ? TimeUnit::years
                                             : TimeUnit::days);
    dates = true;
  } else if (!m.entry.empty()) {
    entry_col = m.entry;
  } else {
    throw UsageError(
        "cutting the data at a look needs the calendar: --entry COL (the calendar time "
        "of randomization, in the units of --time) or --time-from/--time-to dates");
  }
  const Roles roles = make_roles(data);
  Table table;
  const SurvData sd = load_surv_data(data, roles, &table, {entry_col});
  check_group_levels(sd, 2, 2, "monitoring compares two arms");
  const Column& col = table.at(entry_col);
  if (!col.is_numeric()) {
    throw DataError({.file = sd.source, .column = entry_col},
                    "the entry column must be numeric (a calendar time or a SAS date)");
  }
  std::vector<double> entry(sd.size());
  for (std::size_t i = 0; i < sd.size(); ++i) {
    entry[i] = col.numbers[sd.row[i]];
    if (!std::isfinite(entry[i])) {
      throw DataError({.file = sd.source,
                       .line = sd.line[i],
                       .column = entry_col,
                       .value = "",
                       .has_value = true,
                       .unit = table.record_unit},
                      "missing calendar entry time: the row cannot be placed at a cut");
    }
  }
  std::vector<double> cuts;
  for (double d : m.looks_events) {
    if (!(d >= 1) || d != std::floor(d)) {
      throw UsageError(fmt::format("--looks-events: '{}' is not a whole number of events", d));
    }
    cuts.push_back(calendar_time_of_event(sd, entry, static_cast<std::size_t>(d), scale));
  }
  for (const auto& text : m.looks_dates) {
    auto date = parse_iso_date(text);
    double c = 0;
    if (date) {
      if (!dates && m.entry.empty()) throw UsageError("--looks-dates: dates need a date calendar");
      c = *date;
    } else {
      try {
        std::size_t used = 0;
        c = std::stod(text, &used);
        if (used != text.size() || !std::isfinite(c)) throw std::invalid_argument(text);
      } catch (const std::exception&) {
        throw UsageError(
            fmt::format("--looks-dates: '{}' is neither a date (YYYY-MM-DD) nor a "
                        "number",
                        text));
      }
    }
    cuts.push_back(c);
  }
  for (std::size_t j = 1; j < cuts.size(); ++j) {
    if (!(cuts[j] > cuts[j - 1]))
      throw UsageError("the looks must be in increasing calendar order");
  }
  std::vector<DataCut> out;
  for (double c : cuts) {
    auto cut = cut_at_calendar(sd, entry, c, scale);
    if (cut.events == 0) {
      throw UsageError(fmt::format("no events by the cut {}",
                                   dates ? format_iso_date(c) : fmt::format("{}", c)));
    }
    auto lr = logrank(cut.data);
    m.events.push_back(static_cast<double>(cut.events));
    m.z.push_back(hr_below_one ? -lr.test.z : lr.test.z);
    out.push_back({.cut = c,
                   .subjects = cut.data.size(),
                   .not_yet_randomized = cut.not_yet_randomized,
                   .events = cut.events});
  }
  return out;
}

std::string fmt_num(double x, int digits = 4) { return fixed_or_dash(x, digits); }

constexpr const char* kStagewiseMethod =
    "stage-wise ordering (Tsiatis, Rosner & Mehta 1984; Jennison & Turnbull 2000, 8.4) under the "
    "design's spending at the observed events; median-unbiased estimate and final CI by inverting "
    "the ordering p-value (rpact getFinalPValue / getFinalConfidenceInterval)";

nlohmann::json after_stop_json(const InterimResult& r) {
  if (!r.after_stop) return nullptr;
  const auto& a = *r.after_stop;
  return {{"look", a.look},
          {"reason", stop_reason_name(a.reason)},
          {"overrun", a.overrun},
          {"ordering", "stage-wise"},
          {"method", kStagewiseMethod},
          {"z_test", num(a.z)},
          {"p_value", num(a.p_value)},
          {"hr_median_unbiased", num(a.hr_median_unbiased)},
          {"ci_lower", num(a.ci_lower)},
          {"ci_upper", num(a.ci_upper)},
          {"ci_level", num(a.ci_level)},
          {"p_naive", num(a.p_naive)},
          {"hr_naive", num(a.hr_naive)},
          {"naive_ci_lower", num(a.naive_ci_lower)},
          {"naive_ci_upper", num(a.naive_ci_upper)}};
}

void print_after_stop(const InterimResult& r) {
  if (!r.after_stop) {
    fmt::print("After-stop inference: none ({})\n", r.after_stop_note);
    return;
  }
  const auto& a = *r.after_stop;
  fmt::print("\nAfter the stop at look {} ({}{}), stage-wise ordering:\n", a.look,
             stop_reason_name(a.reason),
             a.overrun ? "; the later looks over-run the design and are not used" : "");
  fmt::print("  p-value {:.4g} (naive {:.4g})\n", a.p_value, a.p_naive);
  fmt::print("  HR median-unbiased {}, {:g}% final CI {} to {}\n", fmt_num(a.hr_median_unbiased, 4),
             100 * a.ci_level, fmt_num(a.ci_lower, 4), fmt_num(a.ci_upper, 4));
  fmt::print("  naive HR {}, {:g}% CI {} to {} (biased after an early stop)\n",
             fmt_num(a.hr_naive, 4), 100 * a.ci_level, fmt_num(a.naive_ci_lower, 4),
             fmt_num(a.naive_ci_upper, 4));
  fmt::print("  method: {}\n", kStagewiseMethod);
}

}  // namespace

void register_monitor(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "monitor", "Interim analysis of a group-sequential survival trial: boundaries at the "
                 "observed events, decision, conditional power, repeated confidence intervals");
  auto flags = std::make_shared<DesignFlags>();
  auto m = std::make_shared<MonitorFlags>();
  add_design_flags(cmd, *flags);
  auto data = std::make_shared<DataOptions>();
  add_data_options(cmd, *data, /*group_required=*/false);
  cmd->get_option("--data")->required(false)->description(
      "Interim data (ADTTE subset): the current analysis is the (stratified) log-rank test of "
      "--group on it; --events/--z then give the earlier analyses only");
  cmd->get_option("--time")->required(false);
  cmd->add_option("--events", m->events,
                  "Cumulative events at each analysis so far, d1,...,dk (the last is the current)")
      ->delimiter(',');
  cmd->add_option("--z", m->z,
                  "Log-rank z at each analysis, oriented so that positive favours the experimental "
                  "arm in the direction of --hr")
      ->delimiter(',');
  cmd->add_option("--logrank", m->logrank,
                  "Instead of --z: the log-rank statistic (O - E)/sqrt(V) of the experimental arm "
                  "at each analysis, as rpact's overallLogRanks (negative = fewer events than "
                  "expected)")
      ->delimiter(',');
  cmd->add_option("--max-events", m->max_events,
                  "Planned maximum number of events (default: from the design flags)");
  cmd->add_flag("--final", m->final_analysis,
                "The current analysis is the final one: spend all remaining alpha");
  cmd->add_flag("--json", m->json, "Print JSON instead of text");
  cmd->add_option("--entry", m->entry,
                  "With --looks-events/--looks-dates: column with the calendar time of "
                  "randomization, in the units of --time (with --time-from/--time-to the start "
                  "date is used)");
  cmd->add_option("--looks-events", m->looks_events,
                  "Cut the --data at the calendar times of these cumulative event counts, one "
                  "look each (d1,...,dk; the last is the current analysis)")
      ->delimiter(',');
  cmd->add_option("--looks-dates", m->looks_dates,
                  "Cut the --data at these calendar dates (YYYY-MM-DD with dates, else numbers in "
                  "the --entry calendar), one look each")
      ->delimiter(',');
  cmd->callback([flags, m, data]() {
    auto o = make_design_options(*flags);
    if (!m->logrank.empty()) {
      if (!m->z.empty()) throw UsageError("give --z or --logrank, not both");
      // Efficacy orientation: benefit (fewer events on the experimental arm for a design HR below
      // the null HR) is a positive z.
      for (double l : m->logrank) m->z.push_back(o.hr < o.hr0 ? -l : l);
    }
    std::vector<DataCut> cuts;
    bool dates = false;
    const bool cutting = !m->looks_events.empty() || !m->looks_dates.empty();
    if (cutting && data->data.empty()) {
      throw UsageError("--looks-events/--looks-dates cut the --data: give --data");
    }
    if (!m->entry.empty() && !cutting) {
      throw UsageError("--entry is used with --looks-events or --looks-dates");
    }
    if (cutting) {
      if (data->group.empty()) throw UsageError("--data needs --group (the arm)");
      cuts = cut_looks(*data, *m, o.hr < o.hr0, dates);
    } else if (!data->data.empty()) {
      if (data->time.empty() && data->time_from.empty()) throw UsageError("--data needs --time");
      if (data->group.empty()) throw UsageError("--data needs --group (the arm)");
      const Roles roles = make_roles(*data);
      const SurvData sd = load_surv_data(*data, roles);
      check_group_levels(sd, 2, 2, "monitoring compares two arms");
      auto lr = logrank(sd);
      double events = 0;
      for (std::size_t i = 0; i < sd.size(); ++i) events += sd.status[i];
      // logrank z = (O - E) / sqrt(V) of the experimental arm: negative when it has fewer events
      // than expected, i.e. benefit for a design HR < 1.
      m->events.push_back(events);
      m->z.push_back(o.hr < o.hr0 ? -lr.test.z : lr.test.z);
    } else if (m->events.empty() || m->z.empty()) {
      throw UsageError("give --events and --z (or --logrank), or the interim data with --data");
    }
    o.plan.reset();  // timing is not needed for monitoring
    double dmax = m->max_events ? *m->max_events : design_survival(o).max_events;
    InterimOptions io{.design = o.boundaries,
                      .max_events = dmax,
                      .hr = o.hr,
                      .ratio = o.ratio,
                      .hr0 = o.hr0,
                      .events = m->events,
                      .z = m->z,
                      .final_analysis = m->final_analysis};
    auto r = monitor_interim(io);
    const std::size_t k = r.info.size();
    if (m->json) {
      nlohmann::json j;
      j["max_events"] = num(dmax);
      j["events"] = num(m->events.back());
      j["info"] = num(r.info.back());
      j["z"] = num(m->z.back());
      j["p_value"] = num(r.p_value);
      j["z_efficacy"] = num(r.z_efficacy.back());
      j["z_futility"] = num(r.z_futility.back());
      j["decision"] = decision_name(r.decision);
      j["final"] = r.final_analysis;
      j["cp_h1"] = num(r.cp_h1);
      j["cp_trend"] = num(r.cp_trend);
      j["hr"] = num(r.hr.back());
      j["rci_lower"] = num(r.rci_lower.back());
      j["rci_upper"] = num(r.rci_upper.back());
      j["design_hr"] = num(o.hr);
      j["hr0"] = num(o.hr0);
      j["z_test"] = num(r.z);
      j["repeated_p_value"] = num(r.repeated_p.back());
      j["after_stop"] = after_stop_json(r);
      j["after_stop_note"] =
          r.after_stop ? nlohmann::json(nullptr) : nlohmann::json(r.after_stop_note);
      if (!cuts.empty()) {
        j["data_cuts"] = nlohmann::json::array();
        for (std::size_t i = 0; i < cuts.size(); ++i) {
          nlohmann::json c{{"look", i + 1},
                           {"cut", num(cuts[i].cut)},
                           {"subjects", cuts[i].subjects},
                           {"not_yet_randomized", cuts[i].not_yet_randomized},
                           {"events", cuts[i].events}};
          if (dates) c["cut_date"] = format_iso_date(cuts[i].cut);
          j["data_cuts"].push_back(c);
        }
      }
      j["looks"] = nlohmann::json::array();
      for (std::size_t i = 0; i < k; ++i) {
        j["looks"].push_back({{"look", i + 1},
                              {"events", num(m->events[i])},
                              {"info", num(r.info[i])},
                              {"z", num(m->z[i])},
                              {"z_test", num(r.z_test[i])},
                              {"repeated_p", num(r.repeated_p[i])},
                              {"z_efficacy", num(r.z_efficacy[i])},
                              {"z_futility", num(r.z_futility[i])},
                              {"p_nominal", num(r.p_nominal[i])},
                              {"cum_alpha", num(r.cum_alpha[i])},
                              {"hr", num(r.hr[i])},
                              {"hr_boundary", num(r.hr_boundary[i])},
                              {"rci_lower", num(r.rci_lower[i])},
                              {"rci_upper", num(r.rci_upper[i])}});
      }
      j["future_looks"] = nlohmann::json::array();
      for (std::size_t i = 0; i < r.future_info.size(); ++i) {
        j["future_looks"].push_back({{"info", num(r.future_info[i])},
                                     {"events", num(r.future_info[i] * dmax)},
                                     {"z_efficacy", num(r.future_z_efficacy[i])}});
      }
      fmt::print("{}\n", json_text(j));
      return;
    }
    fmt::print("Analysis {} of a design with at most {} events ({}{})\n", k, fmt_num(dmax, 2),
               spending_name(o.boundaries.efficacy), r.final_analysis ? ", final" : "");
    if (o.hr0 != 1) {
      fmt::print("H0: HR {} {} (margin); z against the margin {}\n",
                 o.hr < o.hr0 ? ">=" : "<=", o.hr0, fmt_num(r.z, 4));
    }
    fmt::print("Information fraction {}  z {}  nominal p {:.4g}\n", fmt_num(r.info.back(), 4),
               fmt_num(m->z.back(), 4), r.p_value);
    fmt::print("Efficacy bound {}{}  futility bound {}\n", o.boundaries.sided == 2 ? "+-" : "",
               fmt_num(r.z_efficacy.back(), 4), fmt_num(r.z_futility.back(), 4));
    fmt::print("Decision: {}\n", decision_name(r.decision));
    fmt::print("HR {} (repeated CI {} to {})\n", fmt_num(r.hr.back(), 4),
               fmt_num(r.rci_lower.back(), 4), fmt_num(r.rci_upper.back(), 4));
    if (!r.final_analysis) {
      fmt::print("Conditional power: under H1 (HR {}) {}, under the current trend {}\n",
                 fmt_num(o.hr, 3), fmt_num(r.cp_h1, 4), fmt_num(r.cp_trend, 4));
    }
    if (!cuts.empty()) {
      fmt::print("\nLooks cut from {}:\n", data->data);
      for (std::size_t i = 0; i < cuts.size(); ++i) {
        fmt::print("  look {}: cut {}  subjects {} (not yet randomized {})  events {}\n", i + 1,
                   dates ? format_iso_date(cuts[i].cut) : fmt::format("{:g}", cuts[i].cut),
                   cuts[i].subjects, cuts[i].not_yet_randomized, cuts[i].events);
      }
    }
    print_after_stop(r);
    fmt::print("\n{:>4} {:>9} {:>7} {:>8} {:>9} {:>9} {:>10} {:>8} {:>8} {:>8} {:>9}\n", "look",
               "events", "info", "z", "z_eff", "z_fut", "cum_alpha", "hr", "rci_lo", "rci_hi",
               "rep_p");
    for (std::size_t i = 0; i < k; ++i) {
      fmt::print(
          "{:>4} {:>9} {:>7} {:>8} {:>9} {:>9} {:>10} {:>8} {:>8} {:>8} {:>9}\n", i + 1,
          fmt_num(m->events[i], 1), fmt_num(r.info[i], 3), fmt_num(m->z[i], 3),
          fmt_num(r.z_efficacy[i], 4), fmt_num(r.z_futility[i], 4),
          fmt::format("{:.4g}", r.cum_alpha[i]), fmt_num(r.hr[i], 3), fmt_num(r.rci_lower[i], 3),
          fmt_num(r.rci_upper[i], 3),
          std::isnan(r.repeated_p[i]) ? std::string("-") : fmt::format("{:.4g}", r.repeated_p[i]));
    }
    fmt::print(
        "Repeated CIs (rci) and repeated p-values (rep_p): Jennison & Turnbull (1989), valid "
        "at every look whatever the later course of the trial{}.\n",
        o.boundaries.efficacy.type == SpendingType::haybittle_peto
            ? "; no repeated p-value at a Haybittle-Peto interim (its bound does not depend "
              "on alpha)"
            : "");
  });
}

}  // namespace hazard::cli
