#include "design_options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <fmt/format.h>

#include "hazard/error.hpp"

namespace hazard::cli {

void add_design_flags(CLI::App* cmd, DesignFlags& f) {
  cmd->add_option("--hr", f.hr, "Hazard ratio experimental/control under H1 (e.g. 0.6)");
  cmd->add_option("--hr0", f.hr0,
                  "Hazard ratio under H0 (default 1): a non-inferiority margin (e.g. 1.3 with "
                  "--hr 1) or a superiority margin (e.g. 0.9); rpact thetaH0");
  cmd->add_option("--median-control", f.median_control,
                  "Median survival in the control arm (exponential): gives sample size and look times");
  cmd->add_option("--median-experimental", f.median_experimental,
                  "Median survival in the experimental arm: HR = control median / experimental median");
  cmd->add_option("--alpha", f.alpha,
                  "Significance level (default 0.025): one-sided, or the two-sided total with "
                  "--sided 2");
  cmd->add_option("--sided", f.sided, "1: one-sided test (default); 2: two-sided, symmetric bounds")
      ->check(CLI::IsMember({1, 2}));
  cmd->add_option("--power", f.power, "Power under H1 (default 0.8)");
  cmd->add_option("--ratio", f.ratio, "Allocation ratio experimental:control (default 1)");
  cmd->add_option("--method", f.method, "Events formula: schoenfeld (default), freedman or hsieh")
      ->check(CLI::IsMember({"schoenfeld", "freedman", "hsieh"}));
  cmd->add_option("--looks", f.looks, "Number of analyses, the last one final (default 1)");
  cmd->add_option("--info", f.info, "Information fractions f1,...,fK (default equally spaced)")
      ->delimiter(',');
  cmd->add_option(
      "--spending", f.spending,
      "Efficacy boundary: obf (default), pocock, hsd:GAMMA, kd:RHO, hp:P (Haybittle-Peto), "
      "wt:DELTA (Wang-Tsiatis) or user:A1,...,AK (cumulative alpha per look)");
  cmd->add_option("--futility", f.futility,
                  "Futility bounds by beta spending: obf, pocock, hsd:GAMMA or kd:RHO (default none)");
  cmd->add_flag("--binding", f.binding, "Futility bounds are binding (default non-binding)");
  cmd->add_option("--accrual-time", f.accrual_time,
                  "End of accrual, or ends of the accrual pieces t1,...,tm (rpact accrualTime)")
      ->delimiter(',');
  cmd->add_option("--accrual-rate", f.accrual_rate,
                  "Accrual intensity per piece (patients per time unit; all < 1: relative); one more "
                  "rate than --accrual-time pieces leaves the last piece open")
      ->delimiter(',');
  cmd->add_option("--follow-up", f.follow_up, "Follow-up after the end of accrual");
  cmd->add_option("--dropout", f.dropout,
                  "Probability of dropping out by --dropout-time, both arms (exponential; default 0)");
  cmd->add_option("--dropout-time", f.dropout_time, "Time at which --dropout applies (default 12)");
}

SurvivalDesignOptions make_design_options(const DesignFlags& f) {
  DesignSetup setup = survival_design_options(f);
  for (const auto& w : setup.warnings) fmt::print(stderr, "hazard: warning: {}\n", w);
  return setup.options;
}

}  // namespace hazard::cli
