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
// Per-row pair counts use two weight trees (here Fenwick trees over the ranks of the score): one
// of rows at risk, one of events so far, read when a row enters and when the pass ends.
// One sort, O(n log n).
//
// Input contract: CoxSorted (any kernel order); strata are separate, as R.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "cox/cox_detail.hpp"

namespace hazard::detail {
namespace {

struct Fenwick {
  std::vector<double> t;
  explicit Fenwick(std::size_t n) : t(n + 1, 0.0) {}
  void add(std::size_t i, double w) {  // i is 0-based
    for (++i; i < t.size(); i += i & (~i + 1)) t[i] += w;
  }
  double prefix(std::size_t i) const {  // sum of [0, i)
    double s = 0;
    for (; i > 0; i -= i & (~i + 1)) s += t[i];
    return s;
  }
};

// weights of rows with a score greater than, less than, equal to rank r
struct Sums {
  double greater, less, equal;
};

struct Tree {
  Fenwick f;
  std::vector<double> node;
  double total = 0;
  explicit Tree(std::size_t n) : f(n), node(n, 0.0) {}
  void add(std::size_t r, double w) {
    f.add(r, w);
    node[r] += w;
    total += w;
  }
  Sums walk(std::size_t r) const {
    const double less = f.prefix(r);
    return {total - less - node[r], less, node[r]};
  }
};

}  // namespace

CoxConcordance concordance(const CoxSorted& d, const std::vector<double>& lp,
                           const std::vector<std::int32_t>& cluster) {
  const std::size_t n = d.n;
  std::vector<double> inf0(n, 0.0), inf1(n, 0.0), inf2(n, 0.0);
  double count[5] = {0, 0, 0, 0, 0};
  std::size_t b = 0;
  while (b < n) {
    std::size_t e = b;
    while (e < n && d.stratum[e] == d.stratum[b]) ++e;
    const std::size_t m = e - b;
    // ranks of the score within the stratum (exact equality = tie, as R's match(unique()))
    std::vector<double> u(lp.begin() + static_cast<std::ptrdiff_t>(b),
                          lp.begin() + static_cast<std::ptrdiff_t>(e));
    std::sort(u.begin(), u.end());
    u.erase(std::unique(u.begin(), u.end()), u.end());
    std::vector<std::size_t> rank(m);
    for (std::size_t q = 0; q < m; ++q)
      rank[q] = static_cast<std::size_t>(std::lower_bound(u.begin(), u.end(), lp[b + q]) - u.begin());
    // R: order(-stop, status, risk)
    std::vector<std::size_t> ord(m), ord1;
    std::iota(ord.begin(), ord.end(), std::size_t{0});
    std::stable_sort(ord.begin(), ord.end(), [&](std::size_t x, std::size_t y) {
      if (d.time[b + x] != d.time[b + y]) return d.time[b + x] > d.time[b + y];
      if (d.status[b + x] != d.status[b + y]) return d.status[b + x] < d.status[b + y];
      return rank[x] < rank[y];
    });
    if (d.counting) {
      ord1.resize(m);
      std::iota(ord1.begin(), ord1.end(), std::size_t{0});
      std::stable_sort(ord1.begin(), ord1.end(),
                       [&](std::size_t x, std::size_t y) { return d.start[b + x] > d.start[b + y]; });
    }
    Tree all(u.size()), dead(u.size());
    auto w = [&](std::size_t q) { return d.weight[b + q]; };
    std::size_t i = 0, i2 = 0;
    while (i < m) {
      const std::size_t ii = ord[i];
      if (d.status[b + ii] == 0) {
        const Sums s = dead.walk(rank[ii]);
        inf0[b + ii] -= s.less;
        inf1[b + ii] -= s.greater;
        inf2[b + ii] -= s.equal;
        all.add(rank[ii], w(ii));
        ++i;
        continue;
      }
      const double t = d.time[b + ii];
      if (d.counting) {  // rows whose start is at or after t leave the risk set
        for (; i2 < m && d.start[b + ord1[i2]] >= t; ++i2) {
          const std::size_t jj = ord1[i2];
          const Sums s = dead.walk(rank[jj]);
          inf0[b + jj] += s.less;
          inf1[b + jj] += s.greater;
          inf2[b + jj] += s.equal;
          all.add(rank[jj], -w(jj));
        }
      }
      double dwt = 0, dwt2 = 0;
      std::size_t xsave = rank[ii];
      std::size_t j = i;
      for (; j < m && d.time[b + ord[j]] == t; ++j) {
        const std::size_t jj = ord[j];
        count[3] += w(jj) * dwt;
        dwt += w(jj);
        if (rank[jj] != xsave) {
          dwt2 = 0;
          xsave = rank[jj];
        }
        count[4] += w(jj) * dwt2;
        dwt2 += w(jj);
        const Sums s = all.walk(rank[jj]);
        count[0] += w(jj) * s.greater;
        count[1] += w(jj) * s.less;
        count[2] += w(jj) * s.equal;
        inf0[b + jj] += s.greater;
        inf1[b + jj] += s.less;
        inf2[b + jj] += s.equal;
        dead.add(rank[jj], w(jj));
      }
      for (std::size_t q = i; q < j; ++q) {
        const std::size_t jj = ord[q];
        const Sums s = dead.walk(rank[jj]);
        inf0[b + jj] -= s.less;
        inf1[b + jj] -= s.greater;
        inf2[b + jj] -= s.equal;
        all.add(rank[jj], w(jj));
      }
      i = j;
    }
    // finish: events after a row entered (looking backwards in time) are pairs it is later in
    if (d.counting) {
      for (; i2 < m; ++i2) {
        const std::size_t jj = ord1[i2];
        const Sums s = dead.walk(rank[jj]);
        inf0[b + jj] += s.less;
        inf1[b + jj] += s.greater;
        inf2[b + jj] += s.equal;
      }
    } else {
      for (std::size_t q = 0; q < m; ++q) {
        const Sums s = dead.walk(rank[q]);
        inf0[b + q] += s.less;
        inf1[b + q] += s.greater;
        inf2[b + q] += s.equal;
      }
    }
    b = e;
  }
  count[3] -= count[4];

  CoxConcordance c;
  const double npair = count[0] + count[1] + count[2];
  const double somer = (count[0] - count[1]) / npair;
  std::vector<double> dfbeta(n);
  for (std::size_t r = 0; r < n; ++r)
    dfbeta[r] = d.weight[r] * ((inf0[r] - inf1[r]) / npair - (somer / npair) * (inf0[r] + inf1[r] + inf2[r]));
  double var = 0;
  if (!cluster.empty()) {
    const std::int32_t nc = *std::max_element(cluster.begin(), cluster.end()) + 1;
    std::vector<double> s(static_cast<std::size_t>(nc), 0.0);
    for (std::size_t r = 0; r < n; ++r) s[static_cast<std::size_t>(cluster[r])] += dfbeta[r];
    for (double v : s) var += v * v;
  } else {
    for (double v : dfbeta) var += v * v;
  }
  // reverse = TRUE: a larger risk score should go with a shorter time
  c.concordant = count[1];
  c.discordant = count[0];
  c.tied_x = count[2];
  c.tied_y = count[3];
  c.tied_xy = count[4];
  c.estimate = 1 - (somer + 1) / 2;
  c.std_err = std::sqrt(var / 4);
  return c;
}

}  // namespace hazard::detail
