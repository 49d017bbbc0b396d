// `hazard monitor`: an interim (or final) analysis of a group-sequential survival trial
// (docs/cli/monitor.md). Parses flags, calls hazard::monitor_interim, prints.
#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "output_options.hpp"
#include "data_options.hpp"
#include "design_options.hpp"
#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "hazard/logrank.hpp"
#include "hazard/monitor.hpp"

namespace hazard::cli {

namespace {

struct MonitorFlags {
  std::vector<double> events;          ///< --events d1,...,dk
  std::vector<double> z;               ///< --z z1,...,zk
  std::optional<double> max_events;    ///< --max-events
  bool final_analysis = false;         ///< --final
  bool json = false;
};

std::string fmt_num(double x, int digits = 4) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.{}f}", x, digits);
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
  cmd->add_option("--max-events", m->max_events,
                  "Planned maximum number of events (default: from the design flags)");
  cmd->add_flag("--final", m->final_analysis,
                "The current analysis is the final one: spend all remaining alpha");
  cmd->add_flag("--json", m->json, "Print JSON instead of text");
  cmd->callback([flags, m, data]() {
    auto o = make_design_options(*flags);
    if (!data->data.empty()) {
      if (data->time.empty()) throw UsageError("--data needs --time");
      if (data->group.empty()) throw UsageError("--data needs --group (the arm)");
      const Roles roles = make_roles(*data);
      const SurvData sd = load_surv_data(*data, roles);
      if (sd.n_groups() != 2) {
        throw UsageError(fmt::format("--group {} has {} levels; monitoring compares two arms",
                                     data->group, sd.n_groups()));
      }
      auto lr = logrank(sd);
      double events = 0;
      for (std::size_t i = 0; i < sd.size(); ++i) events += sd.status[i];
      // logrank z = (O - E) / sqrt(V) of the experimental arm: negative when it has fewer events
      // than expected, i.e. benefit for a design HR < 1.
      m->events.push_back(events);
      m->z.push_back(o.hr < 1 ? -lr.test.z : lr.test.z);
    } else if (m->events.empty() || m->z.empty()) {
      throw UsageError("give --events and --z, or the interim data with --data");
    }
    o.plan.reset();  // timing is not needed for monitoring
    double dmax = m->max_events ? *m->max_events : design_survival(o).max_events;
    InterimOptions io{.design = o.boundaries, .max_events = dmax, .hr = o.hr, .ratio = o.ratio,
                      .events = m->events, .z = m->z, .final_analysis = m->final_analysis};
    auto r = monitor_interim(io);
    const std::size_t k = r.info.size();
    if (m->json) {
      nlohmann::json j;
      j["max_events"] = num(dmax);
      j["events"] = num(m->events.back());
      j["info"] = num(r.info.back());
      j["z"] = num(r.z);
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
      j["looks"] = nlohmann::json::array();
      for (std::size_t i = 0; i < k; ++i) {
        j["looks"].push_back({{"look", i + 1},
                              {"events", num(m->events[i])},
                              {"info", num(r.info[i])},
                              {"z", num(m->z[i])},
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
    fmt::print("Information fraction {}  z {}  nominal p {:.4g}\n", fmt_num(r.info.back(), 4),
               fmt_num(r.z, 4), r.p_value);
    fmt::print("Efficacy bound {}  futility bound {}\n", fmt_num(r.z_efficacy.back(), 4),
               fmt_num(r.z_futility.back(), 4));
    fmt::print("Decision: {}\n", decision_name(r.decision));
    fmt::print("HR {} (repeated CI {} to {})\n", fmt_num(r.hr.back(), 4),
               fmt_num(r.rci_lower.back(), 4), fmt_num(r.rci_upper.back(), 4));
    if (!r.final_analysis) {
      fmt::print("Conditional power: under H1 (HR {}) {}, under the current trend {}\n",
                 fmt_num(o.hr, 3), fmt_num(r.cp_h1, 4), fmt_num(r.cp_trend, 4));
    }
    fmt::print("\n{:>4} {:>9} {:>7} {:>8} {:>9} {:>9} {:>10} {:>8} {:>8} {:>8}\n", "look", "events",
               "info", "z", "z_eff", "z_fut", "cum_alpha", "hr", "rci_lo", "rci_hi");
    for (std::size_t i = 0; i < k; ++i) {
      fmt::print("{:>4} {:>9} {:>7} {:>8} {:>9} {:>9} {:>10} {:>8} {:>8} {:>8}\n", i + 1,
                 fmt_num(m->events[i], 1), fmt_num(r.info[i], 3), fmt_num(m->z[i], 3),
                 fmt_num(r.z_efficacy[i], 4), fmt_num(r.z_futility[i], 4),
                 fmt::format("{:.4g}", r.cum_alpha[i]), fmt_num(r.hr[i], 3),
                 fmt_num(r.rci_lower[i], 3), fmt_num(r.rci_upper[i], 3));
    }
  });
}

}  // namespace hazard::cli
