// order_by_code_time: the radix path (n >= 2048) and the comparison path give the same stable
// order by (code, time), including ties, -0.0 and zeros.
#include "util/time_order.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

namespace {

std::vector<std::uint32_t> expected(const std::vector<double>& t,
                                    const std::vector<std::int32_t>& c, bool descending = false) {
  std::vector<std::uint32_t> o(t.size());
  std::iota(o.begin(), o.end(), 0u);
  std::stable_sort(o.begin(), o.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto ca = c.empty() ? 0 : c[a], cb = c.empty() ? 0 : c[b];
    if (ca != cb) return ca < cb;
    return descending ? t[a] > t[b] : t[a] < t[b];
  });
  return o;
}

TEST(OrderByCodeTime, RadixAgreesWithStableSort) {
  std::mt19937_64 gen(7);
  std::exponential_distribution<double> e(0.3);
  std::uniform_int_distribution<int> code(0, 2), tie(0, 9);
  for (std::size_t n : {10u, 2047u, 2048u, 50000u}) {
    std::vector<double> t(n);
    std::vector<std::int32_t> c(n);
    for (std::size_t i = 0; i < n; ++i) {
      t[i] = tie(gen) == 0 ? std::floor(e(gen)) : e(gen);  // many exact ties
      if (i % 97 == 0) t[i] = (i % 2) ? 0.0 : -0.0;
      c[i] = code(gen);
    }
    EXPECT_EQ(hazard::detail::order_by_code_time(t, c, 3), expected(t, c)) << "n = " << n;
    EXPECT_EQ(hazard::detail::order_by_code_time(t, {}, 1), expected(t, {})) << "n = " << n;
    EXPECT_EQ(hazard::detail::order_by_code_time(t, c, 3, true), expected(t, c, true))
        << "n = " << n;
    // negative values (start times may be negative)
    for (std::size_t i = 0; i < n; i += 3) t[i] = -t[i];
    EXPECT_EQ(hazard::detail::order_by_code_time(t, c, 3), expected(t, c)) << "n = " << n;
    EXPECT_EQ(hazard::detail::order_by_code_time(t, {}, 1, true), expected(t, {}, true))
        << "n = " << n;
  }
}

TEST(SortValues, AgreesWithStdSort) {
  std::mt19937_64 gen(11);
  std::normal_distribution<double> z(0.0, 100.0);
  for (std::size_t n : {5u, 2047u, 2048u, 100000u}) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = (i % 7 == 0) ? std::round(z(gen)) : z(gen);
    v[0] = -0.0;
    std::vector<double> w = v;
    std::sort(w.begin(), w.end());
    hazard::detail::sort_values(v);
    ASSERT_EQ(v.size(), w.size());
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(v[i], w[i]) << "n = " << n << ", i = " << i;
  }
}

}  // namespace
