// Mean, SD and exact quantiles of a stream of values in bounded memory: the summary of the hazard
// ratio estimates of many simulated trials (src/simulate/stream_summary.cpp). Internal to the
// simulator; not part of the public API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace hazard::detail {

/// The summary statistics of a stream of finite values x_1, ..., x_m, added in order:
///   mean      = (x_1 + ... + x_m) / m, summed in the order added;
///   sd        = sqrt(sum (x_i - mean)^2 / (m - 1));
///   quantiles = R's type 7: with h = (m - 1) p, x_(floor h) + (h - floor h)(x_(floor h + 1) -
///               x_(floor h)) over the sorted values (0-based order statistics), exact.
///
/// Up to `sample` values everything is kept and computed as written (the SD in two passes). Past
/// it, memory stays bounded whatever m:
///   * the SD comes from sums of (x - c) and (x - c)^2 with c the mean of the first `sample`
///     values (c is close to the mean, so the sums do not cancel); equal to the two-pass value up
///     to rounding;
///   * each quantile keeps a window [a, b] of values around its position, first taken from the
///     sorted sample (the sample's rank +- 8 standard deviations of a sample quantile), and the
///     count of values below a. A window that grows past `window` values is narrowed around the
///     current rank of its quantile. The order statistics of the final rank are exact when they
///     fall in the window, which they do unless the stream is far from exchangeable (a sorted
///     stream, say); otherwise `complete` finds them by replaying the stream: passes that
///     histogram the values' 64-bit order keys (4,096 buckets a pass) until the bucket holding
///     the rank is small enough to be kept and selected.
/// Memory: O(sample + number of quantiles x window). Cost per value: O(number of quantiles).
class StreamSummary {
 public:
  explicit StreamSummary(std::vector<double> probs, std::size_t sample = std::size_t{1} << 17,
                         std::size_t window = std::size_t{1} << 17);

  /// Adds a finite value.
  void add(double x);

  std::size_t count() const { return m_; }
  double mean() const;  ///< NaN when empty
  double sd() const;    ///< NaN for fewer than two values

  /// True when every quantile's order statistics are known (always, up to `sample` values).
  bool resolved() const;

  /// Finds the missing order statistics: `replay(f)` must call f(x) once for every value added,
  /// in any order (f is not thread-safe). Bounded memory; a few passes.
  void complete(const std::function<void(const std::function<void(double)>&)>& replay);

  /// The quantiles, in the order of `probs`; NaN when empty. Needs resolved().
  std::vector<double> quantiles() const;

 private:
  struct Run {
    double value;
    std::uint64_t count;
  };
  struct Window {
    double p = 0;
    double a = 0, b = 0;        // the window: values in [a, b]
    std::uint64_t below = 0;    // values < a
    std::vector<Run> runs;      // kept values, merged: sorted, distinct
    std::vector<double> pending;  // kept values not merged yet
    std::vector<double> found;  // the order statistics lo, hi once known (from `complete`)
  };
  void start_windows();
  void narrow(Window& w);
  std::uint64_t rank_lo(double p) const;
  std::uint64_t rank_hi(double p) const;

  std::vector<double> probs_;
  std::size_t sample_, window_;
  std::size_t m_ = 0;
  double sum_ = 0;                 // in the order added
  std::vector<double> values_;     // while m <= sample
  double shift_ = 0, s1_ = 0, s2_ = 0;  // past the sample: sums of (x - c), (x - c)^2
  bool streaming_ = false;
  std::vector<Window> windows_;
};

/// A monotone map of finite doubles to unsigned integers (x < y <=> key(x) < key(y); -0 < +0).
std::uint64_t order_key(double x);

}  // namespace hazard::detail
