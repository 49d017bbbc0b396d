// Harrell's concordance of a Cox model's linear predictor and its standard error, as R
// survival's concordance() for a coxph fit (concordancefit(reverse = TRUE, timewt = "n"),
// concordance3.c / concordance4.c).
//
// A pair is comparable when one member has an event at t while the other is still at risk at t
// (time > t, or censored at t; for (start, stop] data also start < t). It is concordant when the
// member with the event has the larger risk score (reverse = TRUE), tied.x when the scores are
// equal; pairs with events at the same time are tied.y (tied.xy when the scores are equal too).
// Counts use case weights (the product of the two weights).
//   C = (concordant + tied.x / 2) / (concordant + discordant + tied.x)
// SE: infinitesimal jackknife. For each row the counts of pairs it belongs to (as the earlier
// or the later member) give its influence on Somers' d = (conc - disc) / npair:
//   dfbeta_i = w_i ((c_i - d_i) / npair - d (c_i + d_i + t_i) / npair),
// summed within cluster, var(C) = sum dfbeta^2 / 4.
// Per-row pair counts use two weight trees (blocked Fenwick trees over the ranks of the score): one
// of rows at risk, one of events so far, read when a row enters and when the pass ends.
// One sort (the dense ranks of the scores, time_order.hpp's dense_ranks: 8-byte words; without
// strata the words are built in input order, with the kernel position from the inverse of the
// kernel order, so that the scores are read in sequence), and the sweeps read the kernel order
// directly, one run of tied times at a time; O(n log n). Right-censored data with at least 16384
// distinct scores in a stratum: the ranks are split into superblocks of 4096, a walk into the
// weight of the superblocks below (a coarse sweep over the kernel order) and the weight below
// within the rank's superblock (a fine sweep per superblock over its rows): both trees stay in L1,
// where one tree over all ranks missed the cache at every walk. Each sum of the sweeps is linear in
// (less, equal), so the two parts add. Two threads on large data: the risk sweeps on one, the
// deaths sweeps on the other (disjoint trees and influence arrays; the deaths' coarse sweeps run
// while the partitions are built); without strata the risk sweep's fine part also runs on the
// deaths' thread, its values applied after the risk's coarse sweep.
//
// Input contract: CoxSorted (any kernel order); strata are separate, as R.
#include <algorithm>
#include <cmath>
#include <exception>
#include <latch>
#include <numeric>
#include <span>
#include <thread>
#include <type_traits>
#include <vector>

#include "cox/cox_detail.hpp"
#include "util/huge_pages.hpp"
#include "util/time_order.hpp"
#include "util/two_threads.hpp"

namespace hazard::detail {
namespace {

// Weights of rows with a score greater than, less than, equal to rank r.
struct Sums {
  double greater, less, equal;
};

// A weight tree over the ranks, laid out for the cache: the weight of each rank (`node`), the
// weight of each block of 64 consecutive ranks (`block`), and a Fenwick tree over the blocks
// (`top`, n/64 entries: it stays in L2 up to ~10^7 ranks). A prefix sum is the Fenwick prefix
// over whole blocks plus at most 32 adjacent `node` values (from the block's start, or the block
// sum minus the rest of the block), so each update or query touches a few adjacent cache lines
// of the large array instead of the ~log2(n) lines of a plain Fenwick tree over the ranks.
// Blocks of 64 measured ~10% faster than 32 or 128 and ~25% faster than 16 (1e6 ranks, 2-core
// AMD EPYC VM); reading the half of the block with a mask instead of a loop of variable length
// was slower.
struct Tree {
  static constexpr unsigned kShift = 6;
  static constexpr std::size_t kBlock = std::size_t{1} << kShift;
  HugeVector<double> node;
  std::vector<double> block, top;
  double total = 0;
  explicit Tree(std::size_t n) {
    resize_huge(node, (n + kBlock - 1) / kBlock * kBlock, 0.0);
    block.assign(node.size() / kBlock, 0.0);
    top.assign(block.size() + 1, 0.0);
  }
  void add(std::size_t r, double w) {
    node[r] += w;
    const std::size_t b = r >> kShift;
    block[b] += w;
    for (std::size_t i = b + 1; i < top.size(); i += i & (~i + 1)) top[i] += w;
    total += w;
  }
  // sum of the weights of ranks [0, r)
  double prefix(std::size_t r) const {
    const std::size_t b = r >> kShift;
    double s = 0;
    for (std::size_t i = b; i > 0; i -= i & (~i + 1)) s += top[i];
    const std::size_t base = b << kShift;
    const std::size_t off = r - base;
    double in = 0;
    if (off <= kBlock / 2) {
      for (std::size_t q = base; q < r; ++q) in += node[q];
      return s + in;
    }
    for (std::size_t q = r; q < base + kBlock; ++q) in += node[q];
    return s + (block[b] - in);
  }
  Sums walk(std::size_t r) const {
    const double less = prefix(r);
    return {total - less - node[r], less, node[r]};
  }
  void clear() {
    std::fill(node.begin(), node.end(), 0.0);
    std::fill(block.begin(), block.end(), 0.0);
    std::fill(top.begin(), top.end(), 0.0);
    total = 0;
  }
};

// Ranks in superblocks of 4096 (right-censored data with many distinct scores): a walk is split
// into a coarse part, the weight of the superblocks below the rank's (`CoarseTree`, a Fenwick
// tree over the superblocks: 245 entries at 10^6 ranks, in L1), and a fine part within the
// rank's superblock (a `Tree` of 4096 ranks, 33 kB: in L1), computed superblock by superblock
// over the rows of that superblock in sweep order (`Partition`). Every sum the sweeps form is
// linear in (less, equal), so the two parts are added separately. The direct `Tree` over 10^6
// ranks (8 MB) missed the cache at every walk.
constexpr unsigned kSuperShift = 12;
constexpr std::size_t kSuper = std::size_t{1} << kSuperShift;

// Tree interface over whole superblocks: `less` is the weight of the superblocks below the
// rank's, `equal` is 0 (the fine part adds both).
struct CoarseTree {
  std::vector<double> top;
  double total = 0;
  explicit CoarseTree(std::size_t n_ranks)
      : top(((n_ranks + kSuper - 1) >> kSuperShift) + 1, 0.0) {}
  void add(std::size_t r, double w) {
    for (std::size_t i = (r >> kSuperShift) + 1; i < top.size(); i += i & (~i + 1)) top[i] += w;
    total += w;
  }
  Sums walk(std::size_t r) const {
    double less = 0;
    for (std::size_t i = r >> kSuperShift; i > 0; i -= i & (~i + 1)) less += top[i];
    return {total - less, less, 0.0};
  }
};

}  // namespace

namespace {

// One stratum's rows: the dense ranks of their scores and, for (start, stop] data, R's
// order(-start) (ord1); positions are relative to the stratum's first kernel row b. The sweeps
// read the kernel order itself in descending time (backwards for Efron/Breslow right-censored
// data, forwards for (start, stop] and exact), one run of equal times at a time: first its
// censored rows, then its events. That is R's order(-stop, status, risk) up to the order within
// the censored and within the events of one time, which changes no sum but tied.xy (pairs of
// events at one time with equal scores), counted per run.
// The rows of each rank superblock, in kernel order (`start` has n_super + 1 offsets). An entry
// holds the row's position in the block, its rank within the superblock, its status, and whether
// the previous entry of the same superblock has the same time (a run of tied times).
struct Entry {
  std::uint32_t q;
  std::uint32_t bits;  // local rank << 2 | same time as the previous entry << 1 | event
  double w;
};
struct Partition {
  HugeVector<Entry> entry;
  std::vector<std::size_t> start;
};

struct Block {
  std::size_t b = 0, m = 0;
  std::vector<std::uint32_t> rank, ord1;
  std::size_t n_ranks = 0;
  bool super = false;  // right-censored with at least 4 superblocks of ranks
  Partition part;      // when `super`: built by make_partition (after make_block)
};

void make_partition(const CoxSorted& d, Block& k) {
  const std::size_t n_super = (k.n_ranks + kSuper - 1) >> kSuperShift;
  Partition& pt = k.part;
  pt.start.assign(n_super + 1, 0);
  for (std::size_t q = 0; q < k.m; ++q) ++pt.start[(k.rank[q] >> kSuperShift) + 1];
  for (std::size_t s = 0; s < n_super; ++s) pt.start[s + 1] += pt.start[s];
  resize_huge(pt.entry, k.m);
  std::vector<std::size_t> next(pt.start.begin(), pt.start.end() - 1);
  // the run (index of a distinct time) each superblock saw last
  std::vector<std::size_t> last(n_super, ~std::size_t{0});
  const double* time = d.time.data() + k.b;
  const std::uint8_t* status = d.status.data() + k.b;
  std::size_t run = 0;
  for (std::size_t q = 0; q < k.m; ++q) {
    if (q > 0 && time[q] != time[q - 1]) ++run;
    const std::uint32_t r = k.rank[q];
    const std::size_t s = r >> kSuperShift;
    const std::uint32_t same = last[s] == run ? 2u : 0u;
    last[s] = run;
    pt.entry[next[s]++] = {
        static_cast<std::uint32_t>(q),
        (r & static_cast<std::uint32_t>(kSuper - 1)) << 2 | same | (status[q] != 0 ? 1u : 0u),
        d.weight[k.b + q]};
  }
}

Block make_block(const CoxSorted& d, const std::vector<double>& lp, std::size_t b, std::size_t e) {
  Block k;
  k.b = b;
  k.m = e - b;
  // ranks of the score within the stratum (exact equality = tie, as R's match(unique()))
  if (b == 0 && e == d.n) {
    // the kernel position of each input row (the inverse of the kernel order): random writes,
    // two halves on two threads; kept only while the words are built (peak memory)
    HugeVector<std::uint32_t> position;
    resize_huge(position, k.m);
    two_halves(k.m, [&](int half) {
      const auto [lo, hi] = half_range(k.m, half);
      for (std::size_t q = lo; q < hi; ++q) position[d.order[q]] = static_cast<std::uint32_t>(q);
    });
    // one stratum: the words are built in input order (lp read in sequence, the kernel
    // position from the inverse order above), on two threads; only the runs of equal top key bits
    // read lp in kernel order (the low key bits: their low 32 bits hold the b low bits, and
    // those above are equal within a run)
    k.n_ranks = dense_ranks_of_words(
        k.m,
        [&](std::uint64_t* words, std::uint64_t mask) {
          two_halves(k.m, [&](int half) {
            const auto [lo, hi] = half_range(k.m, half);
            for (std::size_t i = lo; i < hi; ++i)
              words[i] = (time_key(lp[i]) & ~mask) | position[i];
          });
        },
        [&](std::size_t q) { return static_cast<std::uint32_t>(time_key(lp[d.order[q]])); },
        k.rank);
    HugeVector<std::uint32_t>().swap(position);
  } else {
    k.n_ranks = dense_ranks(
        k.m, [&](std::size_t q) { return lp[d.order[b + q]]; }, k.rank);
  }
  if (d.counting) {
    // by_start lists the same rows for the same (ignore, stratum) block, by descending start
    resize_huge(k.ord1, k.m);
    for (std::size_t q = 0; q < k.m; ++q)
      k.ord1[q] = static_cast<std::uint32_t>(d.by_start[b + q] - b);
  }
  k.super = !d.counting && k.n_ranks >= 4 * kSuper;
  return k;
}

// Calls f(o, lo, hi, t) for each run of equal times t, in descending time (or ascending): the
// block's sweep positions [lo, hi), position i being kernel row o.at(i) of the block.
struct SweepOrder {
  std::size_t m;
  bool forward;
  std::size_t at(std::size_t i) const { return forward ? i : m - 1 - i; }
};

template <class F>
void for_each_time(const CoxSorted& d, const Block& k, F&& f, bool ascending = false) {
  const SweepOrder o{k.m, d.descending != ascending};
  const double* time = d.time.data() + k.b;
  for (std::size_t i = 0; i < k.m;) {
    const double t = time[o.at(i)];
    std::size_t j = i + 1;
    while (j < k.m && time[o.at(j)] == t) ++j;
    f(o, i, j, t);
    i = j;
  }
}

// Influence sums of each row, in the two combinations the jackknife uses: the pairs it is
// concordant-side in minus those it is discordant-side in (`diff`), and all pairs it belongs to
// (`all`: concordant + discordant + tied on x).
struct Influence {
  HugeVector<double> diff, all;
  explicit Influence(std::size_t n) {
    resize_huge(diff, n, 0.0);
    resize_huge(all, n, 0.0);
  }
  void add(std::size_t r, const Sums& s, double sign) {  // sign -1 removes
    diff[r] += sign * (s.greater - s.less);
    all[r] += sign * (s.greater + s.less + s.equal);
  }
};

// The sweep over one stratum, in two independent halves that can run on two threads: `risk`
// handles the tree of rows at risk (pair counts and the influence of a row as the member with
// the event), `deaths` the tree of events (the influence of a row as the member still at risk).
template <class T>
void sweep_risk(const CoxSorted& d, const Block& k, double* count, Influence& inf) {
  T all(k.n_ranks);
  // tied.xy needs equal ranks: with superblocks the fine pass counts it (equal ranks share one)
  constexpr bool count_xy = !std::is_same_v<T, CoarseTree>;
  const std::size_t b = k.b, m = k.m;
  const std::uint8_t* status = d.status.data() + b;
  auto w = [&](std::size_t q) { return d.weight[b + q]; };
  std::size_t i2 = 0;
  std::vector<std::pair<std::uint32_t, double>> tied;  // (rank, weight) of a run's events
  for_each_time(d, k, [&](const SweepOrder& o, std::size_t lo, std::size_t hi, double t) {
    // the censored rows at t are at risk for the events at t
    std::size_t events = 0;
    for (std::size_t i = lo; i < hi; ++i) {
      const std::size_t q = o.at(i);
      if (status[q] == 0)
        all.add(k.rank[q], w(q));
      else
        ++events;
    }
    if (events == 0) return;
    if (d.counting)  // rows whose start is at or after t leave the risk set
      for (; i2 < m && d.start[b + k.ord1[i2]] >= t; ++i2)
        all.add(k.rank[k.ord1[i2]], -w(k.ord1[i2]));
    double dwt = 0;
    const bool xy = count_xy && events > 1;
    if (xy) tied.clear();
    for (std::size_t i = lo; i < hi; ++i) {
      const std::size_t q = o.at(i);
      if (status[q] == 0) continue;
      count[3] += w(q) * dwt;  // pairs of events at t: tied on time
      dwt += w(q);
      if (xy) tied.emplace_back(k.rank[q], w(q));
      const Sums s = all.walk(k.rank[q]);
      count[0] += w(q) * s.greater;
      count[1] += w(q) * s.less;
      count[2] += w(q) * s.equal;
      inf.add(b + q, s, 1);
    }
    if (xy) {  // ... and on score too (tied.xy): equal ranks
      std::sort(tied.begin(), tied.end(),
                [](const auto& x, const auto& y) { return x.first < y.first; });
      double dwt2 = 0;
      for (std::size_t a = 0; a < tied.size(); ++a) {
        if (a > 0 && tied[a].first != tied[a - 1].first) dwt2 = 0;
        count[4] += tied[a].second * dwt2;
        dwt2 += tied[a].second;
      }
    }
    for (std::size_t i = lo; i < hi; ++i) {
      const std::size_t q = o.at(i);
      if (status[q] != 0) all.add(k.rank[q], w(q));
    }
  });
}

template <class T>
void sweep_deaths(const CoxSorted& d, const Block& k, Influence& inf) {
  T dead(k.n_ranks);
  const std::size_t b = k.b, m = k.m;
  const std::uint8_t* status = d.status.data() + b;
  auto w = [&](std::size_t q) { return d.weight[b + q]; };
  // a row's pairs as the later member: the events in the tree, sides swapped
  auto walk = [&](std::size_t q, double sign) {
    const Sums s = dead.walk(k.rank[q]);
    inf.add(b + q, {s.less, s.greater, s.equal}, sign);
  };
  auto add_events = [&](const SweepOrder& o, std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) {
      const std::size_t q = o.at(i);
      if (status[q] != 0) dead.add(k.rank[q], w(q));
    }
  };
  if (!d.counting) {
    // Right-censored: in ascending time the tree holds the earlier events. An event at t is
    // later than the events before t; a censored row at t is later than those at t too.
    for_each_time(
        d, k,
        [&](const SweepOrder& o, std::size_t lo, std::size_t hi, double) {
          for (std::size_t i = lo; i < hi; ++i)
            if (status[o.at(i)] != 0) walk(o.at(i), 1);
          add_events(o, lo, hi);
          for (std::size_t i = lo; i < hi; ++i)
            if (status[o.at(i)] == 0) walk(o.at(i), 1);
        },
        true);
    return;
  }
  // (start, stop]: in descending time the tree holds the events at or after t. A row counts
  // the events after it entered (its start, looking backwards in time: added when the sweep
  // passes its start) minus those at or after its stop (censored: after; subtracted when the
  // sweep passes its stop).
  std::size_t i2 = 0;
  for_each_time(d, k, [&](const SweepOrder& o, std::size_t lo, std::size_t hi, double t) {
    bool any = false;
    for (std::size_t i = lo; i < hi; ++i) {
      const std::size_t q = o.at(i);
      if (status[q] == 0)
        walk(q, -1);
      else
        any = true;
    }
    if (!any) return;
    for (; i2 < m && d.start[b + k.ord1[i2]] >= t; ++i2) walk(k.ord1[i2], 1);
    add_events(o, lo, hi);
    for (std::size_t i = lo; i < hi; ++i) {
      const std::size_t q = o.at(i);
      if (status[q] != 0) walk(q, -1);
    }
  });
  for (; i2 < m; ++i2) walk(k.ord1[i2], 1);
}

// The fine parts over a block's partition: for each superblock in [s_lo, s_hi), its rows in sweep
// order (one run of tied times at a time, as the sweeps above) against a tree of that superblock's
// ranks only. `f(entry, sums)` receives the fine (less, equal) of each walk (`greater` is unused:
// 0). The risk pass also counts tied.xy (pairs of events at one time with equal scores) into
// `*tied_xy`.
template <class F>
void fine_pass(const CoxSorted& d, const Block& k, std::size_t s_lo, std::size_t s_hi,
               bool descending_time, double* tied_xy, F&& f) {
  const Partition& pt = k.part;
  const bool risk = tied_xy != nullptr;
  Tree tree(kSuper);
  std::vector<double> run_events(kSuper, 0.0);  // weight of the run's events per rank, so far
  double xy = 0;
  for (std::size_t s = s_lo; s < s_hi; ++s) {
    const Entry* e = pt.entry.data() + pt.start[s];
    const std::size_t len = pt.start[s + 1] - pt.start[s];
    if (len == 0) continue;
    tree.clear();
    auto walk = [&](const Entry& x) {
      const std::size_t r = x.bits >> 2;
      const double less = tree.prefix(r);
      f(x, Sums{0.0, less, tree.node[r]});
    };
    auto run = [&](std::size_t lo, std::size_t hi) {  // entries [lo, hi): one time
      if (risk) {  // censored rows join, the events walk, then join
        for (std::size_t i = lo; i < hi; ++i)
          if ((e[i].bits & 1) == 0) tree.add(e[i].bits >> 2, e[i].w);
        for (std::size_t i = lo; i < hi; ++i)
          if (e[i].bits & 1) walk(e[i]);
        for (std::size_t i = lo; i < hi; ++i)
          if (e[i].bits & 1) {
            const std::size_t r = e[i].bits >> 2;
            xy += e[i].w * run_events[r];
            run_events[r] += e[i].w;
            tree.add(r, e[i].w);
          }
        for (std::size_t i = lo; i < hi; ++i) run_events[e[i].bits >> 2] = 0;
      } else {  // the events walk and join, then the censored rows walk
        for (std::size_t i = lo; i < hi; ++i)
          if (e[i].bits & 1) walk(e[i]);
        for (std::size_t i = lo; i < hi; ++i)
          if (e[i].bits & 1) tree.add(e[i].bits >> 2, e[i].w);
        for (std::size_t i = lo; i < hi; ++i)
          if ((e[i].bits & 1) == 0) walk(e[i]);
      }
    };
    // the list is in kernel order: a sweep against its time order reads it backwards
    if (descending_time != d.descending) {
      for (std::size_t hi = len; hi > 0;) {
        std::size_t lo = hi - 1;
        while (lo > 0 && (e[lo].bits & 2)) --lo;
        run(lo, hi);
        hi = lo;
      }
    } else {
      for (std::size_t lo = 0; lo < len;) {
        std::size_t hi = lo + 1;
        while (hi < len && (e[hi].bits & 2)) ++hi;
        run(lo, hi);
        lo = hi;
      }
    }
  }
  if (risk) *tied_xy += xy;
}

// Adds v[entry] to out[b + q] for each entry: a pass over the rows in kernel order, each
// superblock's values read in order (a gather from one stream per superblock: the entries of a
// superblock are scattered over the rows, and writing each row's sum from the fine pass missed
// the cache at every row).
void add_by_row(const Block& k, const HugeVector<double>& v, double* out) {
  std::vector<std::size_t> next(k.part.start.begin(), k.part.start.end() - 1);
  for (std::size_t q = 0; q < k.m; ++q) out[k.b + q] += v[next[k.rank[q] >> kSuperShift]++];
}

// The fine part of a sweep over the block's partition: fine_pass, with the value f(entry, sums)
// of each entry added to its row of `out` (gathered back by add_by_row).
template <class F>
void fine_to_rows(const CoxSorted& d, const Block& k, bool descending_time, double* tied_xy,
                  double* out, F&& f) {
  HugeVector<double> v;
  resize_huge(v, k.m, 0.0);
  const Entry* e0 = k.part.entry.data();
  fine_pass(d, k, 0, k.part.start.size() - 1, descending_time, tied_xy,
            [&](const Entry& x, const Sums& s) { v[static_cast<std::size_t>(&x - e0)] = f(x, s); });
  add_by_row(k, v, out);
}

// The fine part of the risk sweep over a block with superblocks, apart from its coarse sweep so
// that it can run beside other work: each entry's value (gathered into the rows by
// apply_risk_fine) and the sums, in two parts of the superblocks (risk_fine_part 0 and 1, cut at
// two thirds of the entries: the part before the cut runs after this thread's partition and
// coarse sweep, the part after it on the helper after the deaths' coarse and fine sweeps; on the
// bench file's 10^6 rows the two threads then end within a few ms, where the helper ran 20-30%
// longer with all of the fine part, and this thread with none of it). The coarse sweep, then
// apply_risk_fine, adds the parts' sums in the same order however the parts ran (the same bits
// with one thread or two; with unit weights the sums are whole numbers, exact either way).
struct FineSums {
  double c0 = 0, c1 = 0, c2 = 0, xy = 0;
};
struct RiskFine {
  HugeVector<double> v;  // per entry
  std::size_t cut = 0;   // the first superblock of part 1
  FineSums part[2];
};
RiskFine start_risk_fine(const Block& k) {
  RiskFine r;
  resize_huge(r.v, k.m, 0.0);
  const std::vector<std::size_t>& start = k.part.start;
  r.cut = static_cast<std::size_t>(
      std::lower_bound(start.begin(), start.end() - 1, k.m / 3 * 2) - start.begin());
  return r;
}
void risk_fine_part(const CoxSorted& d, const Block& k, RiskFine& r, int part) {
  const std::size_t n_super = k.part.start.size() - 1;
  FineSums& p = r.part[part];
  double* const v = r.v.data();
  const Entry* e0 = k.part.entry.data();
  fine_pass(d, k, part == 0 ? 0 : r.cut, part == 0 ? r.cut : n_super, true, &p.xy,
            [&](const Entry& x, const Sums& s) {
              // greater = total - less - equal: the coarse sweep counted total - coarse less
              p.c0 -= x.w * (s.less + s.equal);
              p.c1 += x.w * s.less;
              p.c2 += x.w * s.equal;
              v[static_cast<std::size_t>(&x - e0)] = -(2 * s.less + s.equal);
            });
}
void apply_risk_fine(const Block& k, RiskFine& r, double* count, Influence& inf) {
  for (const FineSums& p : r.part) count[4] += p.xy;
  add_by_row(k, r.v, inf.diff.data());
  for (const FineSums& p : r.part) {
    count[0] += p.c0;
    count[1] += p.c1;
    count[2] += p.c2;
  }
  HugeVector<double>().swap(r.v);
}

// sweep_risk over a block: with superblocks, the coarse sweep, then the fine parts
void sweep_risk_any(const CoxSorted& d, const Block& k, double* count, Influence& inf) {
  if (!k.super) {
    sweep_risk<Tree>(d, k, count, inf);
    return;
  }
  sweep_risk<CoarseTree>(d, k, count, inf);
  RiskFine r = start_risk_fine(k);
  risk_fine_part(d, k, r, 0);
  risk_fine_part(d, k, r, 1);
  apply_risk_fine(k, r, count, inf);
}

// sweep_deaths over a block in two parts: all of it without superblocks, else the coarse sweep
// (`fine` false: needs no partition) or the fine parts (`fine` true)
void sweep_deaths_part(const CoxSorted& d, const Block& k, Influence& inf, bool fine) {
  if (!k.super) {
    if (!fine) sweep_deaths<Tree>(d, k, inf);
  } else if (!fine) {
    sweep_deaths<CoarseTree>(d, k, inf);
  } else {
    // sides swapped: diff += less - greater = 2 less + equal - total
    fine_to_rows(d, k, false, nullptr, inf.diff.data(),
                 [](const Entry&, const Sums& s) { return 2 * s.less + s.equal; });
  }
}

}  // namespace

CoxConcordance concordance(const CoxSorted& d, const std::vector<double>& lp,
                           const std::vector<std::int32_t>& cluster) {
  const std::size_t n = d.n;
  double count[5] = {0, 0, 0, 0, 0};
  std::vector<Block> blocks;
  for (std::size_t b = 0; b < n;) {
    std::size_t e = b;
    while (e < n && d.stratum[e] == d.stratum[b]) ++e;
    blocks.push_back(make_block(d, lp, b, e));
    b = e;
  }
  // The two halves of the sweep touch disjoint trees and influence arrays: on large data they
  // run on two threads (the sums are the same either way). The deaths' coarse sweeps need no
  // partition: they start while this thread builds the partitions.
  Influence inf(n), inf_dead(n);
  auto partitions = [&] {
    for (Block& k : blocks)
      if (k.super) make_partition(d, k);
  };
  if (n >= 20000 && two_cores()) {
    // One block with superblocks (no strata): part 1 of the risk sweep's fine part goes to the
    // helper, after the deaths' parts (the risk's coarse sweep alone is about as long as both
    // deaths parts); with strata, the blocks' risk sweeps stay on this thread in order (one fine
    // part's values alive at a time).
    const bool offload = blocks.size() == 1 && blocks[0].super;
    RiskFine fine;
    std::latch ready(1), fine_done(1);
    bool partitioned = false;
    std::exception_ptr error;
    std::thread helper([&] {
      try {
        for (const Block& k : blocks) sweep_deaths_part(d, k, inf_dead, false);
        ready.wait();
        if (partitioned) {
          for (const Block& k : blocks) sweep_deaths_part(d, k, inf_dead, true);
          if (offload) risk_fine_part(d, blocks[0], fine, 1);
        }
      } catch (...) {
        error = std::current_exception();
      }
      fine_done.count_down();
    });
    try {
      partitions();
      if (offload) fine = start_risk_fine(blocks[0]);
      partitioned = true;
      ready.count_down();
      if (offload) {
        sweep_risk<CoarseTree>(d, blocks[0], count, inf);
        risk_fine_part(d, blocks[0], fine, 0);
        fine_done.wait();
        if (!error) apply_risk_fine(blocks[0], fine, count, inf);
      } else {
        for (const Block& k : blocks) sweep_risk_any(d, k, count, inf);
      }
    } catch (...) {
      if (!partitioned) ready.count_down();
      helper.join();
      throw;
    }
    helper.join();
    if (error) std::rethrow_exception(error);
  } else {
    partitions();
    for (const Block& k : blocks) sweep_risk_any(d, k, count, inf);
    for (const Block& k : blocks) sweep_deaths_part(d, k, inf_dead, false);
    for (const Block& k : blocks) sweep_deaths_part(d, k, inf_dead, true);
  }
  for (std::size_t r = 0; r < n; ++r) {
    inf.diff[r] += inf_dead.diff[r];
    inf.all[r] += inf_dead.all[r];
  }
  count[3] -= count[4];

  const double npair = count[0] + count[1] + count[2];
  const double somer = (count[0] - count[1]) / npair;
  auto& dfbeta = inf.diff;  // overwritten in place
  for (std::size_t r = 0; r < n; ++r)
    dfbeta[r] = d.weight[r] * (inf.diff[r] / npair - (somer / npair) * inf.all[r]);
  double var = 0;
  if (!cluster.empty()) {
    const std::int32_t nc = *std::max_element(cluster.begin(), cluster.end()) + 1;
    std::vector<double> s(static_cast<std::size_t>(nc), 0.0);
    for (std::size_t r = 0; r < n; ++r) s[static_cast<std::size_t>(cluster[r])] += dfbeta[r];
    for (double v : s) var += v * v;
  } else {
    for (double v : dfbeta) var += v * v;
  }
  return concordance_result(count, var);
}

CoxConcordance concordance_result(const double (&count)[5], double dfbeta_sum_squares) {
  CoxConcordance c;
  const double npair = count[0] + count[1] + count[2];
  const double somer = (count[0] - count[1]) / npair;
  // reverse = TRUE: a larger risk score should go with a shorter time
  c.concordant = count[1];
  c.discordant = count[0];
  c.tied_x = count[2];
  c.tied_y = count[3];
  c.tied_xy = count[4];
  c.estimate = 1 - (somer + 1) / 2;
  c.std_err = std::sqrt(dfbeta_sum_squares / 4);
  return c;
}

}  // namespace hazard::detail
