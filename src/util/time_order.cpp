// Sorting rows by (code, time); see time_order.hpp.
// Radix sort: a double's IEEE bit pattern, with the sign bit flipped for non-negative values and
// every bit flipped for negative ones, orders as an unsigned integer exactly as the value (-0.0 is
// mapped to +0.0 first); descending order complements that key. Six passes of 11-bit digits; a
// pass whose digit is the same for every row is skipped (typically the sign and high exponent
// bits). Below 2048 rows std::stable_sort is faster.
#include "util/time_order.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <numeric>
#include <stdexcept>

namespace hazard::detail {

namespace {

std::uint64_t value_key(double t) {
  t += 0.0;  // -0.0 -> +0.0
  std::uint64_t k;
  std::memcpy(&k, &t, sizeof k);
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  return (k & sign) ? ~k : (k | sign);
}

constexpr int kBits = 11, kDigits = 6;  // 6 x 11 >= 64
constexpr std::size_t kRadix = std::size_t{1} << kBits;

// LSD radix sort of items by key (digits 0..5) and then, when `code` is given, by code (a final
// counting pass): stable throughout.
template <class Item, class Code>
void radix_sort(std::unique_ptr<Item[]>& items, std::size_t n, std::size_t n_codes, Code code) {
  std::vector<std::uint32_t> hist(kDigits * kRadix + n_codes, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = items[i].key;
    for (int d = 0; d < kDigits; ++d) ++hist[d * kRadix + ((k >> (d * kBits)) & (kRadix - 1))];
    if (n_codes) ++hist[kDigits * kRadix + static_cast<std::size_t>(code(items[i]))];
  }
  // Default-initialised buffer: no memset of memory that is overwritten at once.
  std::unique_ptr<Item[]> other(new Item[n]);
  auto scatter = [&](std::uint32_t* h, std::size_t m, auto bucket) {
    std::uint32_t sum = 0;
    for (std::size_t b = 0; b < m; ++b) {
      const std::uint32_t c = h[b];
      if (c == n) return;  // every row in one bucket: nothing would move
      h[b] = sum;
      sum += c;
    }
    for (std::size_t i = 0; i < n; ++i) other[h[bucket(items[i])]++] = items[i];
    items.swap(other);
  };
  for (int d = 0; d < kDigits; ++d)
    scatter(hist.data() + d * kRadix, kRadix, [d](const Item& it) {
      return static_cast<std::size_t>((it.key >> (d * kBits)) & (kRadix - 1));
    });
  if (n_codes)
    scatter(hist.data() + kDigits * kRadix, n_codes,
            [&](const Item& it) { return static_cast<std::size_t>(code(it)); });
}

struct Row {
  std::uint64_t key;
  std::uint32_t row;
  std::int32_t code;
};

struct Value {
  std::uint64_t key;
};

}  // namespace

std::vector<std::uint32_t> order_by_code_time(std::span<const double> time,
                                              std::span<const std::int32_t> code,
                                              std::size_t n_codes, bool descending) {
  const std::size_t n = time.size();
  if (n > UINT32_MAX) throw std::length_error("more than 2^32 - 1 rows");
  if (!code.empty() && code.size() != n)
    throw std::invalid_argument("order_by_code_time: lengths differ");
  auto code_of = [&](std::size_t i) -> std::int32_t { return code.empty() ? 0 : code[i]; };
  std::vector<std::uint32_t> order(n);

  constexpr std::size_t small = 2048;
  if (n < small || n_codes > n) {
    std::iota(order.begin(), order.end(), std::uint32_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      const auto ca = code_of(a), cb = code_of(b);
      if (ca != cb) return ca < cb;
      return descending ? time[a] > time[b] : time[a] < time[b];
    });
    return order;
  }
  std::unique_ptr<Row[]> items(new Row[n]);
  const std::uint64_t flip = descending ? ~std::uint64_t{0} : 0;
  for (std::size_t i = 0; i < n; ++i)
    items[i] = {value_key(time[i]) ^ flip, static_cast<std::uint32_t>(i), code_of(i)};
  radix_sort(items, n, code.empty() ? 0 : std::max<std::size_t>(n_codes, 1),
             [](const Row& r) { return r.code; });
  for (std::size_t i = 0; i < n; ++i) order[i] = items[i].row;
  return order;
}

void sort_values(std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n < 2048) {
    std::sort(values.begin(), values.end());
    return;
  }
  std::unique_ptr<Value[]> items(new Value[n]);
  for (std::size_t i = 0; i < n; ++i) items[i] = {value_key(values[i])};
  radix_sort(items, n, 0, [](const Value&) { return 0; });
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = items[i].key;
    const std::uint64_t bits = (k & sign) ? (k & ~sign) : ~k;
    std::memcpy(&values[i], &bits, sizeof bits);
  }
}

}  // namespace hazard::detail
