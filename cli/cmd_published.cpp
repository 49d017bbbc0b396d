// hazard published: what a published hazard ratio and its confidence interval imply
// (docs/cli/published.md). Math in src/reconstruct/published.cpp.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.hpp"
#include "output_options.hpp"
#include "data_options.hpp"
#include "hazard/reconstruct.hpp"

namespace hazard::cli {

namespace {

struct PublishedArgs {
  double hr = 0.0, lower = 0.0, upper = 0.0;
  double ratio = 1.0;
  double conf_level = 0.95;
  bool json = false;
};

void run_published(const PublishedArgs& a) {
  PublishedHr p = published_hr(a.hr, a.lower, a.upper,
                               PublishedHrOptions{.conf_level = a.conf_level, .ratio = a.ratio});
  if (a.json) {
    nlohmann::json j = {{"command", "published"},
                        {"hr", p.hr},
                        {"lower", p.lower},
                        {"upper", p.upper},
                        {"conf_level", p.conf_level},
                        {"ratio", p.ratio},
                        {"z_crit", p.z_crit},
                        {"log_hr", p.log_hr},
                        {"se_log_hr", num(p.se_log_hr)},
                        {"z", num(p.z)},
                        {"p_value", num(p.p_value)},
                        {"events", num(p.events)},
                        {"asymmetry", num(p.asymmetry)},
                        {"warnings", p.warnings}};
    fmt::print("{}\n", json_text(j));
    return;
  }
  fmt::print("hazard ratio {} ({:g}% CI {} to {}), allocation {}:1\n", p.hr, 100.0 * p.conf_level,
             p.lower, p.upper, p.ratio);
  fmt::print("  SE of log HR             {:.4f}   ((log {} - log {}) / (2 x {:.4f}))\n",
             p.se_log_hr, p.upper, p.lower, p.z_crit);
  fmt::print("  implied events           {:.1f}   (Schoenfeld: (1 + r)^2 / (r SE^2))\n", p.events);
  fmt::print("  Wald z                   {:.3f}\n", p.z);
  fmt::print("  two-sided p              {:.3g}\n", p.p_value);
  for (const auto& w : p.warnings) fmt::print(stderr, "hazard: warning: {}\n", w);
}

}  // namespace

void register_published(CLI::App& app) {
  auto args = std::make_shared<PublishedArgs>();
  CLI::App* cmd = app.add_subcommand(
      "published", "What a published hazard ratio and confidence interval imply: SE, events, p");
  cmd->add_option("--hr", args->hr, "Published hazard ratio")->required();
  cmd->add_option("--lower", args->lower, "Lower confidence limit")->required();
  cmd->add_option("--upper", args->upper, "Upper confidence limit")->required();
  cmd->add_option("--ratio", args->ratio, "Allocation ratio r (r:1), default 1");
  cmd->add_option("--conf-level", args->conf_level,
                  "Confidence level of the interval, default 0.95");
  cmd->add_flag("--json", args->json, "Print JSON (keys: docs/cli/published.md)");
  cmd->callback([args] { run_published(*args); });
}

}  // namespace hazard::cli
