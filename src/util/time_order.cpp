// Sorting rows by (code, time); see time_order.hpp for the method.
#include "util/time_order.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "util/huge_pages.hpp"

namespace hazard::detail {

namespace {
// The rows {time_key(time[i]), i, code[i]} (code 0 when `code` is empty), sorted by
// sort_keyed_rows (by code too when n_codes > 1).
template <class Code>
HugeVector<KeyedRow> sorted_rows(std::span<const double> time, std::span<const Code> code,
                                 std::size_t n_codes, bool descending, const char* caller) {
  const std::size_t n = time.size();
  if (n > UINT32_MAX) throw std::length_error("more than 2^32 - 1 rows");
  if (!code.empty() && code.size() != n)
    throw std::invalid_argument(std::string(caller) + ": lengths differ");
  HugeVector<KeyedRow> rows(n), other;
  for (std::size_t i = 0; i < n; ++i)
    rows[i] = {time_key(time[i]), static_cast<std::uint32_t>(i),
               code.empty() ? 0 : static_cast<std::int32_t>(code[i])};
  std::vector<std::uint32_t> hist;
  sort_keyed_rows(rows, other, hist, n_codes, descending);
  return rows;
}
}  // namespace

std::vector<std::uint32_t> order_by_code_time(std::span<const double> time,
                                              std::span<const std::int32_t> code,
                                              std::size_t n_codes, bool descending) {
  const HugeVector<KeyedRow> rows =
      sorted_rows(time, code, code.empty() ? 0 : n_codes, descending, "order_by_code_time");
  std::vector<std::uint32_t> order;
  resize_huge(order, rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) order[i] = rows[i].payload;
  return order;
}

HugeVector<KeyedRow> sort_rows_by_time(std::span<const double> time,
                                       std::span<const std::uint8_t> tag) {
  return sorted_rows(time, tag, 0, false, "sort_rows_by_time");
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

void sort_words_high(HugeVector<std::uint64_t>& words, HugeVector<std::uint64_t>& other,
                     std::vector<std::uint32_t>& hist, unsigned low_bit) {
  if (words.size() < 2048) {
    std::stable_sort(words.begin(), words.end(), [low_bit](std::uint64_t a, std::uint64_t b) {
      return (a >> low_bit) < (b >> low_bit);
    });
    return;
  }
  radix::passes<11>(words, other, hist, 0, 0, low_bit);
}

}  // namespace hazard::detail
