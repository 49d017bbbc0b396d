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

/// Rows of equal time, group (or stratum) and cause collapsed into one entry with their count:
/// the input of the kernels when the data have many ties (cuminc.cpp).
struct CountedRow {
  std::uint64_t key;
  std::uint32_t payload;
  std::int32_t code;
  std::uint32_t count;
};
inline double row_count(const KeyedRow&) { return 1.0; }
inline double row_count(const CountedRow& r) { return static_cast<double>(r.count); }

/// One group's curves from its rows sorted by time: payload = cause code (0 = censored),
/// `times` sorted; z the normal quantile of the CIs (cuminc.cpp). Row = KeyedRow or CountedRow.
template <class Row>
CumincGroup cuminc_group(std::span<const Row> rows, std::size_t n_causes,
                         const std::vector<double>& times, ConfType conf_type, double z);

/// Gray's test for every cause 1..n_causes at once: one sort by (stratum, time) and one pass per
/// stratum (gray_test.cpp). `group` empty = one group (no test: empty result).
std::vector<GrayTest> gray_tests(std::span<const double> time,
                                 std::span<const std::int32_t> cause, std::size_t n_causes,
                                 std::span<const std::int32_t> group, std::size_t n_groups,
                                 std::span<const std::int32_t> stratum, std::size_t n_strata,
                                 double rho);

/// gray_tests on rows already sorted by (stratum, time): payload = group * (n_causes + 1) + cause
/// code, code = stratum. Row = KeyedRow or CountedRow (explicitly instantiated in gray_test.cpp).
template <class Row>
std::vector<GrayTest> gray_tests_sorted(std::span<const Row> rows, std::size_t n_causes,
                                        std::size_t n_groups, double rho);

}  // namespace hazard::detail
