// Internal pieces of the competing-risks estimators shared between their files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "hazard/competing.hpp"
#include "util/huge_pages.hpp"
#include "util/time_order.hpp"

namespace hazard::detail {

/// One group's curves from its rows sorted by time: payload = cause code (0 = censored),
/// `times` sorted; z the normal quantile of the CIs (cuminc.cpp).
CumincGroup cuminc_group(std::span<const KeyedRow> rows, std::size_t n_causes,
                         const std::vector<double>& times, ConfType conf_type, double z);

/// Gray's test for every cause 1..n_causes at once: one sort by (stratum, time) and one pass per
/// stratum (gray_test.cpp). `group` empty = one group (no test: empty result).
std::vector<GrayTest> gray_tests(std::span<const double> time,
                                 std::span<const std::int32_t> cause, std::size_t n_causes,
                                 std::span<const std::int32_t> group, std::size_t n_groups,
                                 std::span<const std::int32_t> stratum, std::size_t n_strata,
                                 double rho);

/// gray_tests on rows already sorted by (stratum, time): payload = group * (n_causes + 1) + cause
/// code, code = stratum.
std::vector<GrayTest> gray_tests_sorted(std::span<const KeyedRow> rows, std::size_t n_causes,
                                        std::size_t n_groups, double rho);

}  // namespace hazard::detail
