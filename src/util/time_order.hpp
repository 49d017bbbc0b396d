// Sorting rows by (code, time): the one sort every survival kernel starts from.
// Internal (namespace detail); usable by any estimator.
//
// The sort is an LSD radix sort on a 64-bit key made from the time's IEEE bit pattern: with the
// sign bit flipped for non-negative values and every bit flipped for negative ones, unsigned order
// is numeric order (-0.0 is mapped to +0.0 first, so equal times have equal keys). Digits are 11
// bits (6 passes, 2048-entry histograms in L1); a pass whose digit is the same for every row is
// skipped. A last counting pass orders by code. Stable, O(n). Below 2048 rows std::stable_sort is
// faster. Measured on 16-byte rows of rounded exponential times (2-core AMD EPYC VM, scratch
// already allocated): 1e6 rows 12.7 ms with 11-bit digits, 13.3 with 13, 15.9 with 8, 17.5 with
// 16 (4 passes: 65536 scatter targets thrash the TLB); 1e7 rows 124, 134, 150 and 136 ms.
#pragma once

#include <algorithm>
#include <barrier>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <thread>
#include <vector>

#include "util/huge_pages.hpp"
#include "util/two_threads.hpp"

namespace hazard::detail {

/// The sort key of a time (see above); keys compare as the times, and key_time inverts it.
inline std::uint64_t time_key(double t) {
  t += 0.0;  // -0.0 -> +0.0
  std::uint64_t k;
  std::memcpy(&k, &t, sizeof k);
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  return (k & sign) ? ~k : (k | sign);
}
inline double key_time(std::uint64_t key) {
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  const std::uint64_t bits = (key & sign) ? (key & ~sign) : ~key;
  double t;
  std::memcpy(&t, &bits, sizeof t);
  return t;
}

/// A row to sort: its key, a 32-bit payload carried along (a row index, or packed fields), and
/// its code (stratum or group, in [0, n_codes)). Any struct with these three members can be
/// sorted by sort_keyed_rows (e.g. LogrankWorkspace::Row).
struct KeyedRow {
  std::uint64_t key;
  std::uint32_t payload;
  std::int32_t code;
};

/// An 8-byte sort record of a row whose time is >= 0 (or -0.0): time_key(t) << 1 | event bit. A
/// non-negative time's key has its top bit set, so the shift loses nothing; rows with equal times
/// have equal time_bits(). Sorted by time alone (sort_packed_rows), for computations whose sums
/// over a tie do not depend on the order of its rows (counts). The default constructor leaves the
/// key unset, so that resizing a buffer of them does not clear memory that is written anyway.
struct PackedRow {
  std::uint64_t key;
  static constexpr std::int32_t code = 0;  // sort_keyed_rows: one block
  PackedRow() {}                           // NOLINT(modernize-use-equals-default): no clearing
  explicit PackedRow(std::uint64_t k) : key(k) {}
  PackedRow(double time, bool event) : key((time_key(time) << 1) | (event ? 1u : 0u)) {}
  std::uint64_t time_bits() const { return key >> 1; }
  double time() const { return key_time((key >> 1) | (std::uint64_t{1} << 63)); }
  bool event() const { return (key & 1u) != 0; }
};

namespace radix {
// The key and the code of a row; a plain 64-bit word is its own key and has no code.
template <class Row>
std::uint64_t key_of(const Row& r) {
  return r.key;
}
inline std::uint64_t key_of(std::uint64_t w) { return w; }
template <class Row>
std::size_t code_of(const Row& r) {
  return static_cast<std::size_t>(r.code);
}
inline std::size_t code_of(std::uint64_t) { return 0; }

// LSD passes over the key bits [low_bit, 64), then (n_codes > 0) one pass by code. The digit
// count stays a constant (the loops unroll); with low_bit > 0 the top digits are 0 for every row
// and skipped like any digit that all rows share.
// Pass j < digits orders by digit j of the key, pass `digits` by code.
template <int Bits, class Row>
std::size_t bucket_of(unsigned j, const Row& r, std::uint64_t flip, unsigned low_bit) {
  constexpr unsigned digits = (64 + Bits - 1) / Bits;
  constexpr std::size_t radix = std::size_t{1} << Bits;
  if (j == digits) return code_of(r);
  return static_cast<std::size_t>(((key_of(r) ^ flip) >> (low_bit + j * Bits)) & (radix - 1));
}

// The histograms of every pass over rows [lo, hi): digit d at h[d * radix + digit], codes after
// them (n_codes > 0).
template <int Bits, class Row>
void count_digits(const Row* rows, std::size_t lo, std::size_t hi, std::uint32_t* h,
                  std::size_t n_codes, std::uint64_t flip, unsigned low_bit) {
  constexpr unsigned digits = (64 + Bits - 1) / Bits;
  constexpr std::size_t radix = std::size_t{1} << Bits;
  for (std::size_t i = lo; i < hi; ++i) {
    const std::uint64_t k = (key_of(rows[i]) ^ flip) >> low_bit;
    for (unsigned d = 0; d < digits; ++d) ++h[d * radix + ((k >> (d * Bits)) & (radix - 1))];
    if (n_codes) ++h[digits * radix + code_of(rows[i])];
  }
}

// The passes that move rows: a digit (or the codes) on which the rows differ.
template <int Bits>
std::vector<unsigned> active_passes(const std::uint32_t* total, std::size_t n,
                                    std::size_t n_codes) {
  constexpr unsigned digits = (64 + Bits - 1) / Bits;
  constexpr std::size_t radix = std::size_t{1} << Bits;
  std::vector<unsigned> active;
  for (unsigned d = 0; d <= digits; ++d) {
    const std::size_t m = d < digits ? radix : n_codes;
    bool moves = m > 0;
    for (std::size_t b = 0; b < m && moves; ++b) moves = total[d * radix + b] != n;
    if (moves) active.push_back(d);
  }
  return active;
}

// LSD passes over the key bits [low_bit, 64), then (n_codes > 0) one pass by code. The digit
// count stays a constant (the loops unroll); with low_bit > 0 the top digits are 0 for every row
// and skipped like any digit that all rows share.
template <int Bits, class Vec>
void passes_one_thread(Vec& rows, Vec& other, std::vector<std::uint32_t>& hist, std::size_t n_codes,
                       std::uint64_t flip, unsigned low_bit) {
  using Row = typename Vec::value_type;
  constexpr unsigned digits = (64 + Bits - 1) / Bits;
  constexpr std::size_t radix = std::size_t{1} << Bits;
  const std::size_t n = rows.size();
  hist.assign(digits * radix + n_codes, 0);
  count_digits<Bits>(rows.data(), 0, n, hist.data(), n_codes, flip, low_bit);
  resize_scratch(other, n);
  for (unsigned j : active_passes<Bits>(hist.data(), n, n_codes)) {
    std::uint32_t* h = hist.data() + j * radix;
    const std::size_t m = j < digits ? radix : n_codes;
    std::uint32_t sum = 0;
    for (std::size_t b = 0; b < m; ++b) {
      const std::uint32_t c = h[b];
      h[b] = sum;
      sum += c;
    }
    Row* out = other.data();
    for (const Row& r : rows) out[h[bucket_of<Bits>(j, r, flip, low_bit)]++] = r;
    rows.swap(other);
  }
}

// The same passes on two threads. Thread t moves the rows of half t of the current order (the
// first n/2 positions, or the rest); within a bucket the rows of half 0 go first, so the sort
// stays stable. A pass needs each half's histogram of its digit: the first from a count of the
// input, each later one counted while the pass before writes its rows (a row's half is where it
// lands). The threads meet at a barrier after each pass; the result is the same as one thread's.
template <int Bits, class Vec>
void passes_two_threads(Vec& rows, Vec& other, std::size_t n_codes, std::uint64_t flip,
                        unsigned low_bit) {
  using Row = typename Vec::value_type;
  constexpr unsigned digits = (64 + Bits - 1) / Bits;
  constexpr std::size_t radix = std::size_t{1} << Bits;
  const std::size_t n = rows.size(), half = n / 2;
  const std::size_t width = digits * radix + n_codes;
  const std::size_t span = std::max(radix, n_codes);  // one pass's buckets
  std::vector<std::uint32_t> h(2 * width, 0);         // per half: every digit of the input order
  resize_scratch(other, n);
  two_halves(n, [&](int t) {
    const auto [lo, hi] = half_range(n, t);
    count_digits<Bits>(rows.data(), lo, hi, h.data() + static_cast<std::size_t>(t) * width, n_codes,
                       flip, low_bit);
  });
  std::vector<std::uint32_t> total(width);
  for (std::size_t b = 0; b < width; ++b) total[b] = h[b] + h[width + b];
  const std::vector<unsigned> active = active_passes<Bits>(total.data(), n, n_codes);
  if (active.empty()) return;
  // counted[buf][thread][half][bucket]: the next pass's histograms, double-buffered so that a
  // thread clearing its counts for pass a + 1 never races the other reading those of pass a
  std::vector<std::uint32_t> counted(2 * 2 * 2 * span);
  auto counts = [&](std::size_t buf, int thread, int dest) {
    return counted.data() +
           ((buf * 2 + static_cast<std::size_t>(thread)) * 2 + static_cast<std::size_t>(dest)) *
               span;
  };
  // pass a's count of bucket b in half `dest`: from the input's count for the first pass, else
  // the sum of what the two threads counted while writing pass a - 1
  auto in_half = [&](std::size_t a, unsigned j, int dest, std::size_t b) -> std::uint32_t {
    if (a == 0) return h[static_cast<std::size_t>(dest) * width + j * radix + b];
    return counts((a - 1) % 2, 0, dest)[b] + counts((a - 1) % 2, 1, dest)[b];
  };
  std::barrier sync(2);
  std::vector<std::uint32_t> scratch(2 * span);  // per thread: `at`
  auto run = [&](int t) {
    std::uint32_t* const at = scratch.data() + static_cast<std::size_t>(t) * span;
    for (std::size_t a = 0; a < active.size(); ++a) {
      const unsigned j = active[a];
      const std::size_t m = j < digits ? radix : n_codes;
      // where this thread's rows of each bucket start
      std::uint32_t sum = 0;
      for (std::size_t b = 0; b < m; ++b) {
        const std::uint32_t n0 = in_half(a, j, 0, b);
        at[b] = sum + (t == 0 ? 0 : n0);
        sum += n0 + in_half(a, j, 1, b);
      }
      const Row* src = (a % 2 == 0 ? rows : other).data();
      Row* dst = (a % 2 == 0 ? other : rows).data();
      const auto [lo, hi] = half_range(n, t);
      if (a + 1 < active.size()) {
        const unsigned jn = active[a + 1];
        std::uint32_t* low = counts(a % 2, t, 0);
        std::uint32_t* high = counts(a % 2, t, 1);
        std::fill(low, low + span, 0u);
        std::fill(high, high + span, 0u);
        for (std::size_t i = lo; i < hi; ++i) {
          const Row r = src[i];
          const std::uint32_t pos = at[bucket_of<Bits>(j, r, flip, low_bit)]++;
          dst[pos] = r;
          ++(pos < half ? low : high)[bucket_of<Bits>(jn, r, flip, low_bit)];
        }
      } else {
        for (std::size_t i = lo; i < hi; ++i) {
          const Row r = src[i];
          dst[at[bucket_of<Bits>(j, r, flip, low_bit)]++] = r;
        }
      }
      sync.arrive_and_wait();
    }
  };
  // nothing in run() allocates or throws
  std::thread helper(run, 1);
  run(0);
  helper.join();
  if (active.size() % 2 == 1) rows.swap(other);
}

// Two threads from this many rows on (the barrier and the thread start cost about as much as
// sorting ~50,000 rows on one).
constexpr std::size_t radix_two_thread_rows = 65536;

template <int Bits, class Vec>
void passes(Vec& rows, Vec& other, std::vector<std::uint32_t>& hist, std::size_t n_codes,
            std::uint64_t flip, unsigned low_bit = 0) {
  if (rows.size() >= radix_two_thread_rows && rows.size() <= UINT32_MAX && two_cores())
    passes_two_threads<Bits>(rows, other, n_codes, flip, low_bit);
  else
    passes_one_thread<Bits>(rows, other, hist, n_codes, flip, low_bit);
}
}  // namespace radix

/// Sorts `rows` stably by (code, key); `descending` reverses the key order (codes stay
/// ascending). n_codes <= 1: the codes are not read (they may carry anything). `other` and `hist`
/// are scratch buffers (keep them between calls to avoid allocation).
template <class Vec>
void sort_keyed_rows(Vec& rows, Vec& other, std::vector<std::uint32_t>& hist, std::size_t n_codes,
                     bool descending = false) {
  using Row = typename Vec::value_type;
  const std::size_t n = rows.size();
  if (n < 2048 || n_codes > n || n > UINT32_MAX) {
    const bool by_code = n_codes > 1;  // as the radix path: codes are not read below 2
    std::stable_sort(rows.begin(), rows.end(), [descending, by_code](const Row& a, const Row& b) {
      if (by_code && a.code != b.code) return a.code < b.code;
      return descending ? a.key > b.key : a.key < b.key;
    });
    return;
  }
  const std::uint64_t flip = descending ? ~std::uint64_t{0} : 0;
  const std::size_t codes = n_codes > 1 ? n_codes : 0;
  radix::passes<11>(rows, other, hist, codes, flip);
}

namespace radix {
// lsd_low_bits' count of every digit of u = (key >> 1) - base over rows[0, m): digit d (D bits)
// at hist[(d << D) + digit]. Digits a constant, so that the loop over them unrolls.
template <unsigned Digits, class Row>
void count_low_digits(const Row* rows, std::size_t m, std::uint64_t base, unsigned D,
                      std::uint32_t* hist) {
  const std::uint64_t mask = (std::uint64_t{1} << D) - 1;
  for (std::size_t i = 0; i < m; ++i) {
    const std::uint64_t k = (rows[i].key >> 1) - base;
    for (unsigned d = 0; d < Digits; ++d) ++hist[(std::size_t{d} << D) + ((k >> (d * D)) & mask)];
  }
}

// Sorts rows[0, m) stably by u(row) = (key >> 1) - base, whose values are below 2^bits: LSD
// passes of at most 12-bit digits (as many as 12-bit digits would need, each of the same width:
// 49 bits are 5 passes of 10 bits, 1024-entry histograms), the digits that all rows share
// skipped; `scratch` and `hist` are reused. For the buckets of sort_packed_msd, small enough for
// the passes to stay in the core's cache.
template <class Row>
void lsd_low_bits(Row* rows, std::size_t m, std::uint64_t base, unsigned bits,
                  std::vector<Row>& scratch, std::vector<std::uint32_t>& hist) {
  auto u = [base](const Row& r) { return (r.key >> 1) - base; };
  if (m < 2 || bits == 0) return;
  if (m <= 32) {  // insertion sort (stable)
    for (std::size_t i = 1; i < m; ++i) {
      const Row r = rows[i];
      const std::uint64_t k = u(r);
      std::size_t j = i;
      for (; j > 0 && u(rows[j - 1]) > k; --j) rows[j] = rows[j - 1];
      rows[j] = r;
    }
    return;
  }
  const unsigned digits = (bits + 11) / 12;  // 1..6 (bits <= 63)
  const unsigned D = (bits + digits - 1) / digits;
  const std::size_t radix = std::size_t{1} << D;
  hist.assign(digits * radix, 0);
  switch (digits) {
    case 1:
      count_low_digits<1>(rows, m, base, D, hist.data());
      break;
    case 2:
      count_low_digits<2>(rows, m, base, D, hist.data());
      break;
    case 3:
      count_low_digits<3>(rows, m, base, D, hist.data());
      break;
    case 4:
      count_low_digits<4>(rows, m, base, D, hist.data());
      break;
    case 5:
      count_low_digits<5>(rows, m, base, D, hist.data());
      break;
    default:
      count_low_digits<6>(rows, m, base, D, hist.data());
      break;
  }
  if (scratch.size() < m) scratch.resize(m);
  Row* src = rows;
  Row* dst = scratch.data();
  for (unsigned d = 0; d < digits; ++d) {
    std::uint32_t* h = hist.data() + d * radix;
    bool moves = true;
    for (std::size_t b = 0; b < radix && moves; ++b) moves = h[b] != m;
    if (!moves) continue;
    std::uint32_t sum = 0;
    for (std::size_t b = 0; b < radix; ++b) {
      const std::uint32_t c = h[b];
      h[b] = sum;
      sum += c;
    }
    const unsigned sh = d * D;
    const std::uint64_t mask = radix - 1;
    for (std::size_t i = 0; i < m; ++i) {
      const Row r = src[i];
      dst[h[(u(r) >> sh) & mask]++] = r;
    }
    std::swap(src, dst);
  }
  if (src != rows) std::copy(src, src + m, rows);
}

// Rows from which sort_packed_rows sorts by buckets first (sort_packed_msd).
constexpr std::size_t packed_msd_rows = std::size_t{1} << 18;

// Rows a bucket of sort_packed_msd aims at: its passes then stay in the core's L2 cache.
constexpr std::size_t packed_bucket_rows = 16384;

// sort_packed_rows for many rows. With u = key >> 1 (the time's bits) and w the bits below the
// top bits that all rows share: one count of the rows by the 16 bits of u below those (65536
// bins, counted by each half of the rows), bins merged in order into buckets of at least
// packed_bucket_rows rows (a bin is never cut; a bucket is contiguous in u); one pass deals the
// rows into the buckets, stably (half 0's rows of a bucket first); then each bucket is sorted by
// u less its smallest possible value (lsd_low_bits) while it is in the core's cache. The LSD
// passes over the whole array (five 13-bit passes, each reading and scattering all rows through
// memory) become one pass through memory and passes in cache. Bins rather than a fixed number of
// top bits, because times are not spread evenly over their bits: the exponent's bits come first,
// and a single time of 0 puts the whole range of doubles between it and the others. The two
// threads take the buckets of each half of the rows. The order is the stable order by u, the LSD
// passes' order.
template <class Vec>
void sort_packed_msd(Vec& rows, Vec& other) {
  using Row = typename Vec::value_type;
  const std::size_t n = rows.size();
  std::uint64_t lo[2] = {~std::uint64_t{0}, ~std::uint64_t{0}}, hi[2] = {0, 0};
  two_halves(n, [&](int t) {
    const auto [a, b] = half_range(n, t);
    std::uint64_t mn = ~std::uint64_t{0}, mx = 0;
    for (std::size_t i = a; i < b; ++i) {
      const std::uint64_t k = rows[i].key >> 1;
      mn = std::min(mn, k);
      mx = std::max(mx, k);
    }
    lo[t] = mn;
    hi[t] = mx;
  });
  const std::uint64_t base = std::min(lo[0], lo[1]), top = std::max(hi[0], hi[1]);
  if (base == top) return;  // one time: the input order is the stable order
  const auto w = static_cast<unsigned>(std::bit_width(base ^ top));
  const unsigned low = w > 16 ? w - 16 : 0;  // bits below the bin
  const std::uint64_t first_bin = base >> low;
  const std::size_t n_bins = static_cast<std::size_t>((top >> low) - first_bin) + 1;  // <= 2^16
  auto bin = [low, first_bin](const Row& r) {
    return static_cast<std::size_t>(((r.key >> 1) >> low) - first_bin);
  };
  std::vector<std::uint32_t> bin_count(2 * n_bins, 0);  // [half * n_bins + bin]
  two_halves(n, [&](int t) {
    const auto [a, b] = half_range(n, t);
    std::vector<std::uint32_t> c(n_bins, 0);
    for (std::size_t i = a; i < b; ++i) ++c[bin(rows[i])];
    std::copy(c.begin(), c.end(), bin_count.begin() + static_cast<std::ptrdiff_t>(t * n_bins));
  });
  // buckets: bins [bucket_bin[j], bucket_bin[j + 1]); count[half * nb + j]
  std::vector<std::uint32_t> bucket_of(n_bins), bucket_bin, count0, count1;
  {
    std::uint32_t in0 = 0, in1 = 0;
    for (std::size_t k = 0; k < n_bins; ++k) {
      if (in0 + in1 == 0 || in0 + in1 >= packed_bucket_rows) {  // a new bucket
        if (!bucket_bin.empty()) {
          count0.push_back(in0);
          count1.push_back(in1);
        }
        bucket_bin.push_back(static_cast<std::uint32_t>(k));
        in0 = in1 = 0;
      }
      bucket_of[k] = static_cast<std::uint32_t>(bucket_bin.size() - 1);
      in0 += bin_count[k];
      in1 += bin_count[n_bins + k];
    }
    count0.push_back(in0);
    count1.push_back(in1);
    bucket_bin.push_back(static_cast<std::uint32_t>(n_bins));
  }
  const std::size_t nb = count0.size();
  std::vector<std::uint32_t> start(nb + 1, 0);
  for (std::size_t j = 0; j < nb; ++j) start[j + 1] = start[j] + count0[j] + count1[j];
  resize_scratch(other, n);
  two_halves(n, [&](int t) {
    const auto [a, b] = half_range(n, t);
    std::vector<std::uint32_t> at(nb);
    for (std::size_t j = 0; j < nb; ++j) at[j] = start[j] + (t == 0 ? 0 : count0[j]);
    Row* out = other.data();
    for (std::size_t i = a; i < b; ++i) {
      const Row r = rows[i];
      out[at[bucket_of[bin(r)]]++] = r;
    }
  });
  // thread 0 the buckets that start in the first half of the rows, thread 1 the others
  const auto split = static_cast<std::size_t>(
      std::upper_bound(start.begin(), start.end() - 1, static_cast<std::uint32_t>(n / 2)) -
      start.begin());
  two_halves(n, [&](int t) {
    std::vector<Row> scratch;
    std::vector<std::uint32_t> hist;
    for (std::size_t j = t == 0 ? 0 : split; j < (t == 0 ? split : nb); ++j) {
      // u - (the bucket's first bin << low) < (its bins << low)
      const std::uint64_t from = (first_bin + bucket_bin[j]) << low;
      const auto bits = static_cast<unsigned>(
          low + std::bit_width(std::uint64_t{bucket_bin[j + 1] - bucket_bin[j] - 1}));
      lsd_low_bits(other.data() + start[j], start[j + 1] - start[j], from, bits, scratch, hist);
    }
  });
  rows.swap(other);
}
}  // namespace radix

/// Sorts 8-byte records (PackedRow or any type of that layout: time key << 1 | a flag in bit 0)
/// stably by time alone (key bits [1, 64)): rows of equal times keep their order whatever their
/// flags. The 63 bits take five passes of 13-bit digits (8192-entry histograms) instead of the six
/// 11-bit passes of the full key: measured on 8-byte keys of exponential times with 4 decimals
/// (2-core VM, best of 15), 5e5 keys 7.1 ms instead of 7.9-10.1, 3.3e6 keys 53 instead of 65,
/// 5e6 keys 61-74 instead of 72-76 (16-bit digits, four passes: slower than both). From
/// packed_msd_rows rows on, sort_packed_msd (buckets, then passes in cache): 5e6 keys, scratch
/// allocated in each run, best of 7 (tools: a standalone driver of both paths, session 21):
/// exponential times with 4 decimals 106-119 -> 52 ms, rounded to integers 74 -> 35 ms, a narrow
/// range (1000 + 1e-6 x exponential) 90 -> 52 ms; 5e5 keys 9.8 -> 8.2 ms; 3e5 integer times
/// 2.9 -> 3.6 ms (few bins: the buckets' passes are all skipped, the extra pass is not).
template <class Vec>
void sort_packed_rows(Vec& rows, Vec& other, std::vector<std::uint32_t>& hist) {
  using Row = typename Vec::value_type;
  if (rows.size() < 2048 || rows.size() > UINT32_MAX) {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return (a.key >> 1) < (b.key >> 1); });
    return;
  }
  if (rows.size() >= radix::packed_msd_rows)
    radix::sort_packed_msd(rows, other);
  else
    radix::passes<13>(rows, other, hist, 0, 0, 1);
}

/// Deals the rows [0, n) into cells of 8-byte records (PackedRow or any type of that layout), each
/// cell in input order: cell(i) is row i's cell (a value >= cells.size() rejects the row),
/// row(i, ok) its record (clearing `ok` rejects it). Two passes: each half of the rows counts its
/// rows per cell, then writes them at their offsets (half 0's rows of a cell before half 1's), on
/// two threads from two_thread_rows rows (util/two_threads.hpp); the cells are the same either way.
/// Returns false when a row was rejected (the cells are then unspecified). n <= UINT32_MAX.
template <class Rec, class Cell, class MakeRow>
bool split_packed_rows(std::size_t n, Cell&& cell, MakeRow&& row,
                       std::vector<std::vector<Rec>>& cells) {
  const std::size_t n_cells = cells.size();
  std::vector<std::uint32_t> count(2 * n_cells, 0);  // [half * n_cells + cell]
  bool rejected[2] = {false, false};
  two_halves(n, [&](int h) {
    const auto [lo, hi] = half_range(n, h);
    std::vector<std::uint32_t> c(n_cells, 0);  // this thread's own (no shared cache lines)
    if (n_cells == 1 || n_cells == 2) {
      // one or two cells (e.g. two arms): the count of cell 1 is a sum, which vectorises (a
      // count array's increments wait on each other: ~8x slower on 5e6 rows)
      const unsigned shift = n_cells == 2 ? 1 : 0;
      std::size_t ones = 0, bad = 0;
      for (std::size_t i = lo; i < hi; ++i) {
        const std::size_t k = cell(i);
        ones += k & 1;
        bad |= k >> shift;
      }
      if (bad != 0) {
        rejected[h] = true;
        return;
      }
      c[0] = static_cast<std::uint32_t>(hi - lo - ones);
      if (n_cells == 2) c[1] = static_cast<std::uint32_t>(ones);
    } else {
      for (std::size_t i = lo; i < hi; ++i) {
        const std::size_t k = cell(i);
        if (k >= n_cells) {
          rejected[h] = true;
          return;
        }
        ++c[k];
      }
    }
    std::copy(c.begin(), c.end(), count.begin() + static_cast<std::ptrdiff_t>(h) * n_cells);
  });
  if (rejected[0] || rejected[1]) return false;
  for (std::size_t k = 0; k < n_cells; ++k) resize_huge(cells[k], count[k] + count[n_cells + k]);
  two_halves(n, [&](int h) {
    const auto [lo, hi] = half_range(n, h);
    std::vector<Rec*> out(n_cells);
    for (std::size_t k = 0; k < n_cells; ++k) out[k] = cells[k].data() + (h == 0 ? 0 : count[k]);
    bool ok = true;
    for (std::size_t i = lo; i < hi; ++i) *out[cell(i)]++ = row(i, ok);
    rejected[h] = !ok;
  });
  return !rejected[0] && !rejected[1];
}

/// Row indices sorted by (code ascending, time ascending — or descending with `descending`),
/// ties in input order (stable). Preconditions: no time is NaN; `code` is empty (one block) or
/// holds values in [0, n_codes).
std::vector<std::uint32_t> order_by_code_time(std::span<const double> time,
                                              std::span<const std::int32_t> code,
                                              std::size_t n_codes, bool descending = false);

/// The rows {time_key(time[i]), i, tag[i]} sorted stably by ascending time (the same radix
/// sort; the tag rides in `code`, 0 when `tag` is empty): a caller reads the times (key_time;
/// -0.0 comes back as +0.0) and the tags in time order without gathering them from the input.
HugeVector<KeyedRow> sort_rows_by_time(std::span<const double> time,
                                       std::span<const std::uint8_t> tag);

/// Sorts `values` ascending (no NaN; -0.0 becomes +0.0): the same radix sort, O(n).
void sort_values(std::vector<double>& values);

/// Sorts 64-bit words stably by their bits [low_bit, 64), low_bit < 64 (the same radix passes,
/// from bit low_bit; std::stable_sort below 2048 words). `other` and `hist` are scratch.
void sort_words_high(HugeVector<std::uint64_t>& words, HugeVector<std::uint64_t>& other,
                     std::vector<std::uint32_t>& hist, unsigned low_bit);

/// The dense ranks from words sorted by dense_ranks_of_words (see dense_ranks); `low(q)` gives the
/// low pos_bits key bits of position q. Returns the number of ranks.
template <class Low>
std::size_t ranks_from_words(const HugeVector<std::uint64_t>& words, Low&& low, unsigned pos_bits,
                             std::vector<std::uint32_t>& rank) {
  const std::size_t m = words.size();
  const std::uint64_t mask = (std::uint64_t{1} << pos_bits) - 1;
  std::uint32_t r = 0;
  std::vector<std::uint64_t> run;  // (low bits, position) of a run whose low bits differ
  for (std::size_t a = 0; a < m;) {
    const std::uint64_t high = words[a] >> pos_bits;
    std::size_t c = a + 1;
    while (c < m && (words[c] >> pos_bits) == high) ++c;
    bool same = true;
    if (c > a + 1) {  // a run: read the low bits (exact ties, or values very close)
      const std::uint32_t low0 = low(words[a] & mask);
      for (std::size_t k = a + 1; k < c; ++k) same &= low(words[k] & mask) == low0;
    }
    if (same) {
      for (std::size_t k = a; k < c; ++k) rank[words[k] & mask] = r;
      ++r;
    } else {
      run.clear();
      for (std::size_t k = a; k < c; ++k) {
        const std::uint64_t q = words[k] & mask;
        run.push_back(std::uint64_t{low(q)} << 32 | q);
      }
      std::sort(run.begin(), run.end());
      for (std::size_t k = 0; k < run.size(); ++k) {
        if (k > 0 && (run[k] >> 32) != (run[k - 1] >> 32)) ++r;
        rank[static_cast<std::uint32_t>(run[k])] = r;
      }
      ++r;
    }
    a = c;
  }
  return r;
}

/// The core of dense_ranks for callers that build the words themselves: `fill(words, mask)`
/// writes the m words (key & ~mask) | q, one per position q in [0, m), in any order (b = bits
/// of m - 1, mask = 2^b - 1), and `low(q)` returns key(q) & mask, read only for positions whose
/// top key bits equal another's. The ranks go to rank[q].
template <class Fill, class Low>
std::size_t dense_ranks_of_words(std::size_t m, Fill&& fill, Low&& low,
                                 std::vector<std::uint32_t>& rank) {
  resize_huge(rank, m);
  if (m == 0) return 0;
  unsigned b = 1;
  while (b < 32 && (std::uint64_t{1} << b) < m) ++b;
  const std::uint64_t mask = (std::uint64_t{1} << b) - 1;
  HugeVector<std::uint64_t> words(m), other;
  fill(words.data(), mask);
  std::vector<std::uint32_t> hist;
  sort_words_high(words, other, hist, b);
  return ranks_from_words(words, low, b, rank);
}

/// Dense ranks of m values: rank[q] in [0, distinct) for the q-th value value(q), 0 the
/// smallest; exactly equal values share a rank (-0.0 equals +0.0; no NaN). Returns the number
/// of distinct values. m < 2^32.
/// Method: the rank needs only the order of the values, so each value's key (time_key) is cut
/// in two: its top 64 - b bits go into one 64-bit word with the position q in the low b bits
/// (b = bits of m - 1), and the b low key bits are kept apart. One radix sort of 8-byte words on
/// 64 - b bits (m = 1e6: 4 passes of 8-byte words instead of 6 of 16-byte rows) orders the
/// values by their top bits; only runs of equal top bits (exact ties, or values within
/// ~2^-(52-b) of each other) read the low bits: equal low bits are one rank, else the run is
/// sorted by them.
template <class Value>
std::size_t dense_ranks(std::size_t m, Value&& value, std::vector<std::uint32_t>& rank) {
  std::vector<std::uint32_t> low;
  resize_huge(low, m);
  return dense_ranks_of_words(
      m,
      [&](std::uint64_t* words, std::uint64_t mask) {
        for (std::size_t q = 0; q < m; ++q) {
          const std::uint64_t key = time_key(value(q));
          words[q] = (key & ~mask) | q;
          low[q] = static_cast<std::uint32_t>(key & mask);
        }
      },
      [&](std::size_t q) { return low[q]; }, rank);
}

}  // namespace hazard::detail
