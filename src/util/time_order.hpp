// The order of rows by (code, time): the one sort every survival kernel starts from.
// Internal (namespace detail); usable by any estimator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace hazard::detail {

/// Row indices sorted by ascending (code, time), ties in input order (stable).
/// Preconditions: every time is finite and >= 0 (SurvData guarantees it); `code` is empty (one
/// block) or holds values in [0, n_codes). Large inputs use an LSD radix sort on the bit pattern
/// of the time (monotone for non-negative doubles) and a counting pass on the code: O(n).
std::vector<std::uint32_t> order_by_code_time(std::span<const double> time,
                                              std::span<const std::int32_t> code,
                                              std::size_t n_codes);

}  // namespace hazard::detail
