// Sorting rows by (code, time); see time_order.hpp for the method.
#include "util/time_order.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "util/huge_pages.hpp"

namespace hazard::detail {

std::vector<std::uint32_t> order_by_code_time(std::span<const double> time,
                                              std::span<const std::int32_t> code,
                                              std::size_t n_codes, bool descending) {
  const std::size_t n = time.size();
  if (n > UINT32_MAX) throw std::length_error("more than 2^32 - 1 rows");
  if (!code.empty() && code.size() != n)
    throw std::invalid_argument("order_by_code_time: lengths differ");
  HugeVector<KeyedRow> rows(n);
  for (std::size_t i = 0; i < n; ++i)
    rows[i] = {time_key(time[i]), static_cast<std::uint32_t>(i), code.empty() ? 0 : code[i]};
  HugeVector<KeyedRow> other;
  std::vector<std::uint32_t> hist;
  sort_keyed_rows(rows, other, hist, code.empty() ? 0 : n_codes, descending);
  std::vector<std::uint32_t> order;
  resize_huge(order, n);
  for (std::size_t i = 0; i < n; ++i) order[i] = rows[i].payload;
  return order;
}

void sort_values(std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n < 2048) {
    std::sort(values.begin(), values.end());
    return;
  }
  std::vector<KeyedRow> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = {time_key(values[i]), 0, 0};
  std::vector<KeyedRow> other;
  std::vector<std::uint32_t> hist;
  sort_keyed_rows(rows, other, hist, 0);
  for (std::size_t i = 0; i < n; ++i) values[i] = key_time(rows[i].key);
}

}  // namespace hazard::detail
