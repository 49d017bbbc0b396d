// R's aeqSurv (util/timefix.cpp), on hand-worked cases: tol = sqrt(2^-52) ~ 1.49e-8, a value tied
// to the distinct value before it when the gap is <= tol or <= tol * mean(|distinct values|).
#include "util/timefix.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <vector>

using namespace hazard::detail;

TEST(Timefix, MergesTimesAFewUlpsApartIntoTheSmaller) {
  std::vector<double> time{7.6000000000076, 7.6, 9, 23.000000001, 23}, start;
  EXPECT_TRUE(aeq_surv(time, start));
  EXPECT_EQ(time, (std::vector<double>{7.6, 7.6, 9, 23, 23}));
  std::vector<double> apart{7.6, 7.7, 9}, none;
  EXPECT_FALSE(aeq_surv(apart, none));
  EXPECT_EQ(apart, (std::vector<double>{7.6, 7.7, 9}));
}

TEST(Timefix, TheRelativeRuleUsesTheMeanOfTheDistinctValues) {
  // distinct values 1e9 and 1e9 + 5: gap 5 / mean 1e9 = 5e-9 <= tol: merged
  std::vector<double> big{1e9 + 5, 1e9}, none;
  EXPECT_TRUE(aeq_surv(big, none));
  EXPECT_EQ(big, (std::vector<double>{1e9, 1e9}));
  // with small values around, the mean (1.67e8) falls and the same gap (3e-8 relative) no longer
  // merges, while the gaps of 1 between 1, 2, ..., 10 (6e-9 relative) do, as in R:
  //   aeqSurv(Surv(c(1e9 + 5, 1e9, 1:10), rep(1, 12)))[, 1] == c(1e9 + 5, 1e9, rep(1, 10))
  std::vector<double> mixed{1e9 + 5, 1e9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, none2;
  EXPECT_TRUE(aeq_surv(mixed, none2));
  EXPECT_EQ(mixed, (std::vector<double>{1e9 + 5, 1e9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
}

TEST(Timefix, MergedListsGiveTheAnswerOfTheWholeData) {
  // each block's distinct times sorted; the merge happens only across blocks
  const std::vector<double> a{1, 7.6, 9}, b{2, 7.6000000000076}, c{3};
  EXPECT_TRUE(aeq_merges(std::vector<std::span<const double>>{a, b, c}));
  EXPECT_FALSE(aeq_merges(std::vector<std::span<const double>>{a, c}));
  // a time in two blocks is one distinct value, not a tie with itself
  const std::vector<double> d{1, 9};
  EXPECT_FALSE(aeq_merges(std::vector<std::span<const double>>{a, d}));
  EXPECT_FALSE(aeq_merges(std::vector<std::span<const double>>{}));
}

// AeqScan (one pass over the distinct values, only the smallest gap tested) gives aeq_cuts'
// answer, with gaps of the order of either rule's bound, and aeq_merges over lists that of the
// lists' merged distinct values.
TEST(Timefix, OnePassScanAgreesWithTheCuts) {
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int merged = 0, not_merged = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<double> y;
    double v = trial % 3 == 0 ? 0.0 : u(rng) * 100;
    const int m = 1 + trial % 40;
    for (int i = 0; i < m; ++i) {
      y.push_back(v);
      // gaps around tol, around tol * mean, or large
      const double scale = trial % 4 == 0 ? tol : (trial % 4 == 1 ? tol * v : 1.0);
      v = std::nextafter(v + scale * (0.5 + u(rng)), 1e300);
    }
    y.erase(std::unique(y.begin(), y.end()), y.end());
    AeqScan scan;
    for (double x : y) scan.add(x);
    const bool cuts = !aeq_cuts(y).empty();
    EXPECT_EQ(scan.merges(), cuts);
    (cuts ? merged : not_merged) += 1;
    // the same values dealt to three lists (a value may be in several)
    std::vector<std::vector<double>> lists(3);
    for (std::size_t i = 0; i < y.size(); ++i) {
      lists[i % 3].push_back(y[i]);
      if (i % 5 == 0) lists[(i + 1) % 3].push_back(y[i]);
    }
    for (auto& l : lists) std::sort(l.begin(), l.end());
    EXPECT_EQ(aeq_merges(std::vector<std::span<const double>>(lists.begin(), lists.end())), cuts);
  }
  EXPECT_GT(merged, 200);
  EXPECT_GT(not_merged, 200);
}

// The values {1, 1 + 1e-7, c}: the gap 1e-7 is above tol, and merges by the relative rule once
// the mean (2 + 1e-7 + c) / 3 exceeds 1e-7 / tol (c ~ 18). The smallest c for which aeq_cuts
// merges, by bisection on the doubles (the mean moves by a fraction of an ulp of tol's ratio).
std::vector<double> at_the_boundary(bool merging) {
  double lo = 2, hi = 100;  // {.., 2} does not merge, {.., 100} does
  auto merges = [](double c) { return !aeq_cuts(std::vector<double>{1, 1 + 1e-7, c}).empty(); };
  while (std::nextafter(lo, hi) < hi) {
    const double mid = lo + (hi - lo) / 2;
    (merges(mid) ? hi : lo) = mid;
  }
  return {1, 1 + 1e-7, merging ? hi : lo};
}

// AeqScanDescending (the distinct values from the largest down, the mean summed in that order):
// whenever it answers, aeq_cuts' answer; it answers all but cases within its margin of the
// boundary of the relative rule, and says nothing exactly at that boundary.
TEST(Timefix, DescendingScanAnswersOnlyWhenCertain) {
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int answered = 0, trials = 0;
  for (int trial = 0; trial < 3000; ++trial, ++trials) {
    std::vector<double> y;
    double v = u(rng) * 1000;
    const int m = 2 + trial % 300;
    for (int i = 0; i < m; ++i) {
      y.push_back(v);
      v += trial % 2 == 0 ? tol * v * (0.9 + 0.2 * u(rng)) : u(rng);
    }
    AeqScanDescending scan;
    for (std::size_t i = y.size(); i-- > 0;) scan.add(y[i]);
    const std::optional<bool> d = scan.merges();
    if (d) {
      ++answered;
      EXPECT_EQ(*d, !aeq_cuts(y).empty());
    }
  }
  EXPECT_GT(answered, trials * 99 / 100);
  for (bool merging : {false, true}) {
    const std::vector<double> y = at_the_boundary(merging);
    EXPECT_EQ(aeq_cuts(y).empty(), !merging);
    AeqScanDescending scan;
    for (std::size_t i = y.size(); i-- > 0;) scan.add(y[i]);
    EXPECT_FALSE(scan.merges().has_value()) << y[2];
  }
}

// The rows of `lists` as PackedRow lists (each sorted by time), for aeq_merges_packed_lists.
std::vector<std::vector<PackedRow>> packed(const std::vector<std::vector<double>>& lists) {
  std::vector<std::vector<PackedRow>> out;
  for (const auto& l : lists) {
    std::vector<PackedRow> rows;
    for (double t : l) rows.emplace_back(t, true);
    std::sort(rows.begin(), rows.end(),
              [](const PackedRow& a, const PackedRow& b) { return a.key < b.key; });
    out.push_back(std::move(rows));
  }
  return out;
}

// aeq_merges_packed_lists (two halves of the time range, their sums added; near tol the lists
// scanned again as one) gives aeq_cuts' answer on the lists' distinct values: one, two and three
// lists, times repeated within and across lists, gaps around either rule's bound (the margin's
// fallback taken at the boundary case), lists long enough for two threads.
TEST(Timefix, PackedListsInTwoHalvesAgreeWithTheCuts) {
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int merged = 0, not_merged = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    std::vector<double> y;
    double v = trial % 3 == 0 ? 0.0 : u(rng) * 100;
    const int m = 1 + (trial % 7 == 0 ? 40000 : trial % 50);
    for (int i = 0; i < m; ++i) {
      y.push_back(v);
      const double scale = trial % 4 == 0 ? tol : (trial % 4 == 1 ? tol * v : 1.0);
      // one gap in 500 near the bound, the others far above it (long lists)
      const double gap = (m > 1000 && i % 500 != 7) ? 1.0 : scale * (0.5 + u(rng));
      v = std::nextafter(v + gap, 1e300);
    }
    std::vector<double> distinct = y;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const bool cuts = !aeq_cuts(distinct).empty();
    const std::size_t k = 1 + static_cast<std::size_t>(trial % 3);
    std::vector<std::vector<double>> lists(k);
    for (std::size_t i = 0; i < y.size(); ++i) {
      lists[i % k].push_back(y[i]);
      if (i % 5 == 0) lists[(i + 1) % k].push_back(y[i]);  // across lists
      if (i % 7 == 0) lists[i % k].push_back(y[i]);        // within a list
    }
    EXPECT_EQ(aeq_merges_packed_lists(packed(lists)), cuts) << "trial " << trial;
    (cuts ? merged : not_merged) += 1;
  }
  EXPECT_GT(merged, 200);
  EXPECT_GT(not_merged, 200);
  for (bool merging : {false, true}) {
    const std::vector<double> y = at_the_boundary(merging);
    EXPECT_EQ(aeq_merges_packed_lists(packed({{y[0], y[2]}, {y[1]}})), merging);
    EXPECT_EQ(aeq_merges_packed_lists(packed({y})), merging);
  }
  EXPECT_FALSE(aeq_merges_packed_lists(packed({{}, {}})));
  EXPECT_FALSE(aeq_merges_packed_lists(packed({{3, 3, 3}})));
}
