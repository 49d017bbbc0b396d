// Sorting rows by (code, time); see time_order.hpp.
// Radix sort: for finite doubles >= 0 the IEEE bit pattern read as an unsigned integer orders as
// the value (-0.0 is mapped to +0.0 first). Six passes of 11-bit digits; a pass whose digit is the
// same for every row is skipped (typically the sign and high exponent bits). Below 2048 rows
// std::stable_sort is faster.
#include "util/time_order.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <numeric>
#include <stdexcept>

namespace hazard::detail {

namespace {

std::uint64_t time_key(double t) {
  t += 0.0;  // -0.0 -> +0.0
  std::uint64_t k;
  std::memcpy(&k, &t, sizeof k);
  return k;
}

struct Item {
  std::uint64_t key;
  std::uint32_t row;
  std::int32_t code;
};

}  // namespace

std::vector<std::uint32_t> order_by_code_time(std::span<const double> time,
                                              std::span<const std::int32_t> code,
                                              std::size_t n_codes) {
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
      return ca != cb ? ca < cb : time[a] < time[b];
    });
    return order;
  }

  constexpr int bits = 11, digits = 6;  // 6 x 11 >= 64
  constexpr std::size_t radix = std::size_t{1} << bits;
  const std::size_t n_buckets_code = std::max<std::size_t>(n_codes, 1);
  std::vector<std::uint32_t> hist(digits * radix + n_buckets_code, 0);
  // Default-initialised buffers: no memset of memory that is overwritten at once.
  std::unique_ptr<Item[]> items(new Item[n]), other(new Item[n]);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = time_key(time[i]);
    items[i] = {k, static_cast<std::uint32_t>(i), code_of(i)};
    for (int d = 0; d < digits; ++d) ++hist[d * radix + ((k >> (d * bits)) & (radix - 1))];
    ++hist[digits * radix + static_cast<std::size_t>(items[i].code)];
  }
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
  for (int d = 0; d < digits; ++d)
    scatter(hist.data() + d * radix, radix, [d](const Item& it) {
      return static_cast<std::size_t>((it.key >> (d * bits)) & (radix - 1));
    });
  scatter(hist.data() + digits * radix, n_buckets_code,
          [](const Item& it) { return static_cast<std::size_t>(it.code); });
  for (std::size_t i = 0; i < n; ++i) order[i] = items[i].row;
  return order;
}

}  // namespace hazard::detail
