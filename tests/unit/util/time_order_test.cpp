// order_by_code_time: the radix path (n >= 2048; on two threads from 65536 rows) and the
// comparison path give the same stable order by (code, time), including ties, -0.0 and zeros.
// sort_rows_by_time carries the tags in that order; dense_ranks agrees with ranks from
// std::sort, also where values differ only in the low key bits that its sort leaves out, and so
// does dense_ranks_of_words with the words built in another order (the concordance's input
// order).
#include "util/time_order.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <functional>
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
  for (std::size_t n : {10u, 2047u, 2048u, 50000u, 200001u}) {
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

TEST(SortRowsByTime, CarriesTagsInStableTimeOrder) {
  std::mt19937_64 gen(3);
  std::uniform_int_distribution<int> t(0, 50), tag(0, 1);
  for (std::size_t n : {7u, 3000u, 100000u}) {
    std::vector<double> time(n);
    std::vector<std::uint8_t> status(n);
    for (std::size_t i = 0; i < n; ++i) {
      time[i] = t(gen) / 4.0;
      status[i] = static_cast<std::uint8_t>(tag(gen));
    }
    time[0] = -0.0;
    const auto rows = hazard::detail::sort_rows_by_time(time, status);
    const auto order = expected(time, {});
    ASSERT_EQ(rows.size(), n);
    for (std::size_t k = 0; k < n; ++k) {
      EXPECT_EQ(rows[k].payload, order[k]) << "n = " << n << ", k = " << k;
      EXPECT_EQ(rows[k].code, status[order[k]]);
      EXPECT_EQ(hazard::detail::key_time(rows[k].key), time[order[k]]);
    }
  }
}

// ranks from a comparison sort: 0 for the smallest value, equal values share a rank
std::vector<std::uint32_t> ranks_by_sort(const std::vector<double>& v) {
  std::vector<double> u(v);
  std::sort(u.begin(), u.end());
  u.erase(std::unique(u.begin(), u.end()), u.end());
  std::vector<std::uint32_t> r(v.size());
  for (std::size_t i = 0; i < v.size(); ++i)
    r[i] = static_cast<std::uint32_t>(std::lower_bound(u.begin(), u.end(), v[i]) - u.begin());
  return r;
}

TEST(DenseRanks, AgreesWithComparisonSort) {
  std::mt19937_64 gen(5);
  std::normal_distribution<double> z(0.0, 2.0);
  std::uniform_int_distribution<int> kind(0, 5), small(0, 40);
  for (std::size_t n : {1u, 9u, 2047u, 2048u, 100000u}) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      switch (kind(gen)) {
        case 0:  // exact ties
          v[i] = std::round(z(gen));
          break;
        case 1:  // differ only in the last mantissa bits (the bits the word sort leaves out)
          v[i] = 1.0 + small(gen) * std::ldexp(1.0, -52);
          break;
        case 2:
          v[i] = -(1.0 + small(gen) * std::ldexp(1.0, -52));
          break;
        default:
          v[i] = z(gen);
      }
    }
    v[0] = -0.0;
    if (n > 1) v[n - 1] = 0.0;  // equal to -0.0
    std::vector<std::uint32_t> rank;
    const std::size_t distinct = hazard::detail::dense_ranks(
        n, [&](std::size_t q) { return v[q]; }, rank);
    const std::vector<std::uint32_t> want = ranks_by_sort(v);
    EXPECT_EQ(rank, want) << "n = " << n;
    EXPECT_EQ(distinct, static_cast<std::size_t>(*std::max_element(want.begin(), want.end())) + 1)
        << "n = " << n;
  }
  std::vector<std::uint32_t> none;
  EXPECT_EQ(hazard::detail::dense_ranks(
                0, [](std::size_t) { return 0.0; }, none),
            0u);
}

// The words in input order i with the position pos[i] as payload: rank[pos[i]] is the rank of
// v[i]; low(q) reads the value at position q (through the inverse of pos).
TEST(DenseRanks, WordsInAnotherOrder) {
  std::mt19937_64 gen(9);
  std::normal_distribution<double> z(0.0, 2.0);
  std::uniform_int_distribution<int> kind(0, 3), small(0, 40);
  for (std::size_t n : {1u, 2047u, 2048u, 150000u}) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      const int k = kind(gen);
      v[i] = k == 0   ? std::round(z(gen))
             : k == 1 ? 1.0 + small(gen) * std::ldexp(1.0, -52)
                      : z(gen);
    }
    std::vector<std::uint32_t> pos(n), at(n);
    std::iota(pos.begin(), pos.end(), 0u);
    std::shuffle(pos.begin(), pos.end(), gen);
    for (std::size_t i = 0; i < n; ++i) at[pos[i]] = static_cast<std::uint32_t>(i);
    std::vector<std::uint32_t> rank;
    const std::size_t distinct = hazard::detail::dense_ranks_of_words(
        n,
        [&](std::uint64_t* words, std::uint64_t mask) {
          for (std::size_t i = 0; i < n; ++i)
            words[i] = (hazard::detail::time_key(v[i]) & ~mask) | pos[i];
        },
        [&](std::size_t q) {
          return static_cast<std::uint32_t>(hazard::detail::time_key(v[at[q]]));
        },
        rank);
    const std::vector<std::uint32_t> want = ranks_by_sort(v);
    ASSERT_EQ(rank.size(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(rank[pos[i]], want[i]) << "n = " << n;
    EXPECT_EQ(distinct, static_cast<std::size_t>(*std::max_element(want.begin(), want.end())) + 1);
  }
}

}  // namespace

namespace {

// split_packed_rows: each cell holds its rows in input order, on one thread and on two (from
// 32768 rows), and a rejected cell or row makes it return false; PackedRow keys sort as the
// times, and within a tie the censored row first (sort_keyed_rows' order).
TEST(SplitPackedRows, CellsInInputOrderOnOneAndTwoThreads) {
  using hazard::detail::PackedRow;
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> cell(0, 4), tick(0, 1000);
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{100001}}) {
    std::vector<int> c(n);
    std::vector<double> t(n);
    for (std::size_t i = 0; i < n; ++i) {
      c[i] = std::array<int, 4>{0, 1, 3, 3}[static_cast<std::size_t>(cell(rng) % 4)];  // 2 empty
      t[i] = tick(rng) / 8.0;
    }
    std::vector<std::vector<PackedRow>> cells(4);
    ASSERT_TRUE(hazard::detail::split_packed_rows(
        n, [&](std::size_t i) { return static_cast<std::size_t>(c[i]); },
        [&](std::size_t i, bool&) { return PackedRow(t[i], i % 2 == 1); }, cells));
    std::vector<std::size_t> at(4, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = static_cast<std::size_t>(c[i]);
      ASSERT_LT(at[k], cells[k].size());
      const PackedRow r = cells[k][at[k]++];
      EXPECT_EQ(r.time(), t[i]);
      EXPECT_EQ(r.event(), i % 2 == 1);
    }
    for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(at[k], cells[k].size());
    if (n == 0) continue;
    EXPECT_FALSE(hazard::detail::split_packed_rows(
        n, [&](std::size_t i) { return i == n - 1 ? std::size_t{4} : std::size_t{0}; },
        [&](std::size_t i, bool&) { return PackedRow(t[i], false); }, cells));
    EXPECT_FALSE(hazard::detail::split_packed_rows(
        n, [&](std::size_t) { return std::size_t{0}; },
        [&](std::size_t i, bool& ok) {
          if (i == n / 2) ok = false;
          return PackedRow(t[i], false);
        },
        cells));
  }
  // order of keys: by time (-0.0 as +0.0), then censored before event
  const PackedRow a(0.0, true), b(-0.0, false), c2(0.5, false), d(0.5, true), e(2.0, false);
  EXPECT_EQ(a.time_bits(), b.time_bits());
  EXPECT_LT(b.key, a.key);
  EXPECT_LT(a.key, c2.key);
  EXPECT_LT(c2.key, d.key);
  EXPECT_LT(d.key, e.key);
  EXPECT_EQ(e.time(), 2.0);
  EXPECT_EQ(std::signbit(b.time()), false);
}

}  // namespace

namespace {

// One and two cells take a counting pass of their own (a sum): the same cells, and the same
// rejections (a cell just past the last, or a huge one from a negative code).
TEST(SplitPackedRows, OneAndTwoCells) {
  using hazard::detail::PackedRow;
  for (std::size_t n_cells : {std::size_t{1}, std::size_t{2}})
    for (std::size_t n : {std::size_t{3}, std::size_t{1000}, std::size_t{70001}}) {
      auto cell_of = [&](std::size_t i) { return (i * 7 / 3) % n_cells; };
      std::vector<std::vector<PackedRow>> cells(n_cells);
      ASSERT_TRUE(hazard::detail::split_packed_rows(
          n, cell_of, [&](std::size_t i, bool&) { return PackedRow(static_cast<double>(i), true); },
          cells));
      std::vector<std::size_t> at(n_cells, 0);
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t k = cell_of(i);
        ASSERT_LT(at[k], cells[k].size());
        EXPECT_EQ(cells[k][at[k]++].time(), static_cast<double>(i));
      }
      for (std::size_t k = 0; k < n_cells; ++k) EXPECT_EQ(at[k], cells[k].size());
      for (std::size_t bad : {n_cells, static_cast<std::size_t>(-1), std::size_t{5}}) {
        EXPECT_FALSE(hazard::detail::split_packed_rows(
            n, [&](std::size_t i) { return i == n - 1 ? bad : cell_of(i); },
            [&](std::size_t i, bool&) { return PackedRow(static_cast<double>(i), false); }, cells));
        EXPECT_FALSE(hazard::detail::split_packed_rows(
            n, [&](std::size_t i) { return i == 0 ? bad : cell_of(i); },
            [&](std::size_t i, bool&) { return PackedRow(static_cast<double>(i), false); }, cells));
      }
    }
}

// sort_packed_rows orders by time alone and keeps ties (whatever their flags) in input order: the
// std::stable_sort order by time_bits, on the comparison path, the one-thread radix path and the
// two-thread radix path (five 13-bit passes over bits 1..63).
TEST(SortPackedRows, StableByTimeAlone) {
  using hazard::detail::PackedRow;
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> tick(0, 3000), coin(0, 1);
  for (std::size_t n : {std::size_t{100}, std::size_t{5000}, std::size_t{200000}}) {
    // the flag bit marks input order within a tie only through the row's position: keep each
    // row's index alongside to check stability
    std::vector<PackedRow> rows(n);
    std::vector<std::pair<std::uint64_t, std::size_t>> want(n);
    for (std::size_t i = 0; i < n; ++i) {
      rows[i] = PackedRow(tick(rng) / 16.0 + (i % 7 == 0 ? 1e-300 : 0.0), coin(rng) == 1);
      want[i] = {rows[i].key, i};
    }
    std::stable_sort(want.begin(), want.end(),
                     [](const auto& a, const auto& b) { return (a.first >> 1) < (b.first >> 1); });
    std::vector<PackedRow> other;
    std::vector<std::uint32_t> hist;
    hazard::detail::sort_packed_rows(rows, other, hist);
    ASSERT_EQ(rows.size(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(rows[i].key, want[i].first) << i;
  }
}

}  // namespace

// From packed_msd_rows rows on, sort_packed_rows deals the rows into buckets of 16-bit bins of the
// times' bits first, then sorts each bucket: the same stable order by time as std::stable_sort,
// on spreads that stress the bins: times of 0 among positive ones (a bin range over all doubles),
// a narrow range (the bins in the low mantissa bits), integers (a few huge bins), one tie of half
// the rows among spread ones (a bin, and a bucket, far above the target), a single time, two
// times, and subnormal times next to large ones.
TEST(SortPackedRows, BucketPathIsStableOnAnySpread) {
  using hazard::detail::PackedRow;
  const std::size_t n = hazard::detail::radix::packed_msd_rows + 12345;
  std::mt19937_64 rng(2026);
  std::exponential_distribution<double> ex(1.0 / 15);
  std::uniform_int_distribution<int> coin(0, 1);
  const std::vector<std::function<double(std::size_t)>> spreads = {
      [&](std::size_t i) { return i % 97 == 0 ? 0.0 : std::round(ex(rng) * 1e4) / 1e4; },
      [&](std::size_t) { return 1000.0 + ex(rng) * 1e-9; },
      [&](std::size_t) { return std::round(ex(rng)); },
      [&](std::size_t i) { return i % 2 == 0 ? 12.0 : ex(rng); },
      [&](std::size_t) { return 7.5; },
      [&](std::size_t i) { return i % 3 == 0 ? 1.0 : 2.0; },
      [&](std::size_t i) {
        return i % 5 == 0 ? 4.9e-324 * static_cast<double>(i % 11) : ex(rng) * 1e300;
      },
  };
  for (std::size_t s = 0; s < spreads.size(); ++s) {
    std::vector<PackedRow> rows(n);
    std::vector<std::uint64_t> want(n);
    for (std::size_t i = 0; i < n; ++i) {
      rows[i] = PackedRow(spreads[s](i), coin(rng) == 1);
      want[i] = rows[i].key;
    }
    // the flag bit stands for the input order within a tie: std::stable_sort keeps it
    std::stable_sort(want.begin(), want.end(),
                     [](std::uint64_t a, std::uint64_t b) { return (a >> 1) < (b >> 1); });
    std::vector<PackedRow> other;
    std::vector<std::uint32_t> hist;
    hazard::detail::sort_packed_rows(rows, other, hist);
    ASSERT_EQ(rows.size(), n);
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_EQ(rows[i].key, want[i]) << "spread " << s << " row " << i;
  }
}

// A bucket's sort (lsd_low_bits) on its own: 2 to 200 rows of few distinct times (ties in the
// insertion sort below 33 rows and in the LSD passes above), relative to a base below them, give
// std::stable_sort's order.
TEST(SortPackedRows, BucketSortIsStable) {
  using hazard::detail::PackedRow;
  std::mt19937_64 rng(77);
  std::vector<PackedRow> scratch;
  std::vector<std::uint32_t> hist;
  for (int trial = 0; trial < 500; ++trial) {
    const std::size_t m = 2 + rng() % 199;
    std::vector<PackedRow> rows(m);
    for (auto& r : rows) r = PackedRow(3.0 + static_cast<double>(rng() % 5) / 8, rng() % 2 == 0);
    std::vector<PackedRow> want = rows;
    std::stable_sort(want.begin(), want.end(), [](const PackedRow& a, const PackedRow& b) {
      return (a.key >> 1) < (b.key >> 1);
    });
    const std::uint64_t base = PackedRow(3.0, false).key >> 1;
    const auto bits =
        static_cast<unsigned>(std::bit_width((PackedRow(3.5, false).key >> 1) - base));
    hazard::detail::radix::lsd_low_bits(rows.data(), m, base, bits, scratch, hist);
    for (std::size_t i = 0; i < m; ++i) ASSERT_EQ(rows[i].key, want[i].key) << trial << " " << i;
  }
}
