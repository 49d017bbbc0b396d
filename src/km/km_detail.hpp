// Internals shared by the Kaplan–Meier files (src/km/). Not part of the public API.
#pragma once

#include <vector>

#include "hazard/km.hpp"

namespace hazard::detail {

/// z = Phi^-1(1 - (1 - conf_level) / 2), computed once per curve (a normal quantile per row
/// would dominate the run time).
double km_z(double conf_level);

/// km_conf_limits with z given.
ConfLimits km_conf_limits_z(double surv, double se_log, ConfType type, double z);

/// R's findq for several p at once on one (x, y): duplicates are removed once.
std::vector<double> findq(const std::vector<double>& x, const std::vector<double>& y,
                          const std::vector<double>& p);

/// UsageError unless `data` has a group with exactly two levels and no strata (the two-arm tests
/// on Kaplan–Meier curves: milestone.cpp, rmst_comparison.cpp); `test` names the test in the message.
void check_two_arms(const SurvData& data, const char* test);

}  // namespace hazard::detail
