// Tests of the bounded-memory stream summary (src/simulate/stream_summary.cpp): its mean and
// type-7 quantiles must equal those computed from all the values kept and sorted (R's
// quantile(type = 7), as the simulator computed them before, issue 19), bit for bit, whatever the
// order of the stream; the SD equals the two-pass value up to rounding.
#include "simulate/stream_summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "test_util.hpp"
#include "tolerances.hpp"

using hazard::detail::StreamSummary;

namespace {

const std::vector<double> kProbs{0.025, 0.25, 0.5, 0.75, 0.975};

// R: quantile(x, p, type = 7) over the sorted values.
double type7(std::vector<double> sorted, double p) {
  std::sort(sorted.begin(), sorted.end());
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// Feeds `x` to a summary with a small sample and window (so that the windows are used and
// narrowed many times), completes it by replaying `x` when needed, and compares with the direct
// computation. Returns whether the windows alone sufficed.
bool check(const std::vector<double>& x, std::size_t sample, std::size_t window) {
  StreamSummary s(kProbs, sample, window);
  for (double v : x) s.add(v);
  const bool alone = s.resolved();
  s.complete([&](const std::function<void(double)>& f) {
    for (double v : x) f(v);
  });
  EXPECT_TRUE(s.resolved());
  double sum = 0;
  for (double v : x) sum += v;
  const double mean = sum / static_cast<double>(x.size());
  EXPECT_EQ(s.mean(), mean);
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  EXPECT_TRUE(hazard::test::near_rel(s.sd(), std::sqrt(ss / static_cast<double>(x.size() - 1)),
                                     hazard::tol::closed_form));
  const std::vector<double> q = s.quantiles();
  for (std::size_t k = 0; k < kProbs.size(); ++k) EXPECT_EQ(q[k], type7(x, kProbs[k])) << "p = " << kProbs[k];
  return alone;
}

}  // namespace

TEST(StreamSummary, SmallStreamIsComputedAsBefore) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> z;
  std::vector<double> x(1000);
  for (double& v : x) v = std::exp(0.2 * z(rng));
  StreamSummary s(kProbs);  // default sample: everything kept
  for (double v : x) s.add(v);
  double sum = 0;
  for (double v : x) sum += v;
  const double mean = sum / 1000;
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  EXPECT_EQ(s.mean(), mean);
  EXPECT_EQ(s.sd(), std::sqrt(ss / 999));  // the same two passes: bit-identical
  const auto q = s.quantiles();
  for (std::size_t k = 0; k < kProbs.size(); ++k) EXPECT_EQ(q[k], type7(x, kProbs[k]));
}

TEST(StreamSummary, LongExchangeableStreamIsExactWithoutReplay) {
  std::mt19937_64 rng(2);
  std::normal_distribution<double> z;
  std::vector<double> x(400000);
  for (double& v : x) v = std::exp(-0.4 + 0.15 * z(rng));
  EXPECT_TRUE(check(x, 1024, 2048)) << "the windows should have held every quantile";
}

TEST(StreamSummary, SortedStreamsAreCompletedByReplay) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-5, 5);
  std::vector<double> x(200000);
  for (double& v : x) v = u(rng);
  std::sort(x.begin(), x.end());
  EXPECT_FALSE(check(x, 1024, 2048));  // the sample (the smallest values) misleads the windows
  std::reverse(x.begin(), x.end());
  EXPECT_FALSE(check(x, 1024, 2048));
}

TEST(StreamSummary, TiesCostOneEntryAndStayExact) {
  // a small trial's HR takes few distinct values; negative values and zeros of both signs too
  std::mt19937_64 rng(4);
  std::uniform_int_distribution<int> k(-3, 3);
  std::vector<double> x(300000);
  for (double& v : x) v = k(rng) == 0 ? (k(rng) > 0 ? 0.0 : -0.0) : 0.5 * k(rng);
  check(x, 256, 256);
  std::sort(x.begin(), x.end());
  check(x, 256, 256);
}

TEST(StreamSummary, EmptyAndSingleValue) {
  StreamSummary s(kProbs);
  EXPECT_TRUE(std::isnan(s.mean()));
  EXPECT_TRUE(std::isnan(s.quantiles()[2]));
  s.add(0.7);
  EXPECT_EQ(s.mean(), 0.7);
  EXPECT_TRUE(std::isnan(s.sd()));
  EXPECT_EQ(s.quantiles()[0], 0.7);
}

// More values than the replay keeps at once (2^20) on the wrong side of a window: the replay
// narrows them by histogram passes over the values' order keys first.
TEST(StreamSummary, LargeReplaysNarrowByHistogram) {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> d(0, 1);
  std::vector<double> x(2'500'000);
  for (double& v : x) v = d(rng);
  std::sort(x.begin(), x.end(), std::greater<>());
  EXPECT_FALSE(check(x, 4096, 4096));
}
