// The order of rows by (code, time): the one sort every survival kernel starts from.
// Internal (namespace detail); usable by any estimator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace hazard::detail {

/// Row indices sorted by (code ascending, time ascending — or descending with `descending`),
/// ties in input order (stable). Preconditions: no time is NaN; `code` is empty (one block) or
/// holds values in [0, n_codes). Large inputs use an LSD radix sort on the bit pattern of the time
/// (mapped so that unsigned order is numeric order; -0.0 equals +0.0) and a counting pass on the
/// code: O(n).
std::vector<std::uint32_t> order_by_code_time(std::span<const double> time,
                                              std::span<const std::int32_t> code,
                                              std::size_t n_codes, bool descending = false);

/// Sorts `values` ascending (no NaN; -0.0 sorts as +0.0): the same radix sort, O(n).
void sort_values(std::vector<double>& values);

}  // namespace hazard::detail
