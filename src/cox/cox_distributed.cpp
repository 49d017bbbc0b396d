// The Cox fit of right-censored data spread over the ranks of a Cluster (docs/methods/cox.md,
// "The distributed fit"): every rank holds some rows, rows never move, and every rank ends with
// the fit of all rows, equal to cox_fit on their concatenation up to the order of summation.
//
// The partial likelihood depends on the rows only through sums over risk sets at the distinct
// event times (coxfit.cpp's formula): at an event time t of stratum s with m_t events,
//   D = sum_R w r, A = sum_R w r x, C = sum_R w r x x'   over the rows at risk (time >= t),
//   E, A2, C2: the same sums over the m_t rows dying at t (Efron's terms; Breslow: one term),
// with r = exp(x' beta + offset). Per Newton step each rank sums its rows into the segment of the
// global event time they fall in (rows with time in [t_k, t_k+1) of their stratum; the dying rows
// apart when Efron needs them, m_t > 1), one Cluster::sum adds the segments of all ranks
// (K (1 + p + p(p+1)/2) doubles for K event times, twice for Efron times with tied deaths), and
// every rank then forms the suffix sums D, A, C, and from them
//   loglik = sum w d (eta) - sum_t sum_k wbar log D_k,  u = sum w d x - sum_t sum_k wbar A_k / D_k,
//   I = sum_t sum_k wbar (C_k / D_k - A_k A_k' / D_k^2),
//   D_k = D + b_k E, A_k = A + b_k A2, C_k = C + b_k C2, b_k = k / m_t (k = 1..m_t; Breslow b = 1),
// identically, and rank 0's values are broadcast (1 + p + p^2 doubles: MPI does not promise the
// same bits of an MPI_Allreduce on every rank), so that newton.cpp takes the same step everywhere.
// Everything else is reduced once per fit: the global distinct times (R's timefix needs them all),
// the event times per stratum (all-gathers), the counts, the centring means and scales (sums), and
// the events' own terms sum w d x, sum w d offset. What follows the Newton iterations is
// cox_fit's own code (cox_estimates, cox_tests_terms).
// Robust variance without clusters: score residuals per row from the global per-event-time sums
// at the estimate (and at beta = 0 for the robust score test), then sums of outer products.
// Concordance: every rank gathers the events (time, stratum, score, weight) and counts its own
// rows' comparable pairs against them; the counts and the infinitesimal-jackknife terms are sums.
//
// Input contract: the same columns on every rank, stratum codes global, no (start, stop] rows,
// Efron or Breslow ties, no cluster codes. A failed check on any rank throws the same error on
// every rank (the checks are agreed before any other collective).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cox/cox_detail.hpp"
#include "hazard/cluster.hpp"
#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "hazard/collectives.hpp"
#include "util/timefix.hpp"

namespace hazard {
namespace {

// A failed check of one rank, made the failure of every rank.
struct Failure {
  char kind = 0;  // 0 none, 'U' usage, 'N' numerical
  std::string message;
};

void agree(const Cluster& cluster, const Failure& mine) {
  const std::vector<std::string> one{mine.kind ? std::string(1, mine.kind) + mine.message
                                               : std::string()};
  const auto all = parallel::all_gather(cluster, one);
  for (std::size_t r = 0; r < all.size(); ++r) {
    const std::string& s = all[r].at(0);
    if (s.empty()) continue;
    const std::string msg =
        s.substr(1) + (cluster.size() > 1 ? " (rank " + std::to_string(r) + ")" : std::string());
    if (s[0] == 'N') throw NumericalError(msg);
    throw UsageError(msg);
  }
}

Failure check_local(const CoxData& in, const CoxOptions& opt) {
  const std::size_t n = in.time.size();
  const std::size_t p = static_cast<std::size_t>(in.x.cols());
  auto usage = [](std::string m) { return Failure{'U', std::move(m)}; };
  auto len_bad = [&](std::size_t len) { return len != 0 && len != n; };
  if (in.status.size() != n || static_cast<std::size_t>(in.x.rows()) != n)
    return usage("cox_fit: time, status and x must have the same number of rows");
  if (len_bad(in.weight.size())) return usage("cox_fit: weight has the wrong length");
  if (len_bad(in.offset.size())) return usage("cox_fit: offset has the wrong length");
  if (len_bad(in.stratum.size())) return usage("cox_fit: stratum has the wrong length");
  if (!in.start.empty())
    return usage(
        "the distributed Cox fit takes right-censored data only: (start, stop] rows need the "
        "risk set of every start time across ranks, which it does not reduce");
  if (opt.ties == Ties::exact)
    return usage(
        "--ties exact is not available in the distributed Cox fit: the exact likelihood of an "
        "event time needs the sums over all subsets of its risk set, which do not add across "
        "ranks; use --ties efron or breslow");
  if (!in.cluster.empty())
    return usage(
        "a robust variance with cluster codes is not available in the distributed Cox fit (a "
        "cluster's rows may lie on several ranks); without --cluster it is");
  if (p == 0) return usage("cox_fit: the model has no covariates");
  if (!in.names.empty() && in.names.size() != p)
    return usage("cox_fit: names has the wrong length");
  if (opt.max_iter < 0) return usage("--max-iter must be >= 0");
  if (!(opt.eps > 0)) return usage("--eps must be > 0");
  if (!(opt.conf_level > 0 && opt.conf_level < 1)) return usage("--conf-level must be in (0, 1)");
  for (double w : in.weight)
    if (!(w > 0) || !std::isfinite(w))
      return usage("case weights must be positive and finite for a Cox model (as R's coxph)");
  for (Eigen::Index i = 0; i < in.x.size(); ++i)
    if (!std::isfinite(in.x.data()[i]))
      return {'N', "the data contain an infinite or missing covariate value"};
  for (double o : in.offset)
    if (!std::isfinite(o) || !std::isfinite(std::exp(o)))
      return {'N', "offsets must lead to a finite risk score"};
  return {};
}

// The sorted distinct values of every rank's sorted distinct values.
std::vector<double> merge_distinct(const std::vector<std::vector<double>>& parts) {
  std::vector<double> all;
  for (const auto& v : parts) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

// Weights per dense rank with prefix sums (a Fenwick tree).
struct Fenwick {
  std::vector<double> t, node;
  double total = 0;
  explicit Fenwick(std::size_t n) : t(n + 1, 0.0), node(n, 0.0) {}
  void add(std::size_t r, double w) {
    node[r] += w;
    total += w;
    for (std::size_t i = r + 1; i < t.size(); i += i & (~i + 1)) t[i] += w;
  }
  double prefix(std::size_t r) const {  // ranks [0, r)
    double s = 0;
    for (std::size_t i = r; i > 0; i -= i & (~i + 1)) s += t[i];
    return s;
  }
};

// Harrell's concordance of the linear predictor as concordance.cpp (R's concordancefit with
// reverse = TRUE, timewt "n"; no clusters), over the rows of every rank. Each rank gathers the
// events of all ranks (stratum, time, score, weight: 4 doubles per event). Then:
//   * for every event, the weights of the rank's own rows at risk (time > t, or censored at t)
//     with a greater, smaller and equal score: 3 doubles per event, summed over the ranks, give
//     the pair counts and each event's influence as the member with the event;
//   * for every own row, the weights of the events before it (time < t; a censored row: <= t)
//     with a smaller, greater and equal score: its influence as the later member (local);
//   * tied.y, tied.xy from the gathered events alone;
// and sum dfbeta^2 is one more sum.
CoxConcordance concordance(const Cluster& cluster, const CoxData& in,
                           const std::vector<double>& time, const std::vector<double>& lp) {
  const std::size_t n = time.size();
  auto wt = [&](std::size_t i) { return in.weight.empty() ? 1.0 : in.weight[i]; };
  auto strat = [&](std::size_t i) { return in.stratum.empty() ? 0 : in.stratum[i]; };
  std::vector<double> mine;
  std::vector<std::size_t> own_events;  // local row of each own event, in gathered order
  for (std::size_t i = 0; i < n; ++i)
    if (in.status[i]) {
      mine.insert(mine.end(), {static_cast<double>(strat(i)), time[i], lp[i], wt(i)});
      own_events.push_back(i);
    }
  const auto parts = parallel::all_gather(cluster, std::span<const double>(mine));
  struct Ev {
    std::int32_t s;
    double t, lp, w;
  };
  std::vector<Ev> ev;
  std::size_t own_first = 0;
  for (std::size_t r = 0; r < parts.size(); ++r) {
    if (static_cast<int>(r) == cluster.rank()) own_first = ev.size();
    for (std::size_t k = 0; k + 3 < parts[r].size(); k += 4)
      ev.push_back({static_cast<std::int32_t>(parts[r][k]), parts[r][k + 1], parts[r][k + 2],
                    parts[r][k + 3]});
  }
  const std::size_t E = ev.size();
  // events by stratum, then time (descending for the risk sweep: walked backwards)
  std::vector<std::size_t> eo(E);
  std::iota(eo.begin(), eo.end(), std::size_t{0});
  std::stable_sort(eo.begin(), eo.end(), [&](std::size_t a, std::size_t b) {
    return ev[a].s != ev[b].s ? ev[a].s < ev[b].s : ev[a].t < ev[b].t;
  });
  std::vector<std::size_t> ro(n);
  std::iota(ro.begin(), ro.end(), std::size_t{0});
  // own rows by stratum, time, and at one time the events before the censored rows
  std::stable_sort(ro.begin(), ro.end(), [&](std::size_t a, std::size_t b) {
    if (strat(a) != strat(b)) return strat(a) < strat(b);
    if (time[a] != time[b]) return time[a] < time[b];
    return in.status[a] > in.status[b];
  });
  std::vector<double> sums(3 * E + 1, 0.0);  // per event: greater, less, equal; then sum dfbeta^2
  std::vector<double> diff(n, 0.0), all(n, 0.0);
  // stratum by stratum: events [eb, ee), own rows [rb, re)
  std::size_t eb = 0, rb = 0;
  while (eb < E || rb < n) {
    const std::int32_t s =
        eb < E && (rb == n || ev[eo[eb]].s <= strat(ro[rb])) ? ev[eo[eb]].s : strat(ro[rb]);
    std::size_t ee = eb, re = rb;
    while (ee < E && ev[eo[ee]].s == s) ++ee;
    while (re < n && strat(ro[re]) == s) ++re;
    if (ee > eb && re > rb) {
      // the own rows by score: their dense ranks among the own scores (vals, rk) and, below, their
      // places among the events' scores (erk, epresent), by one sort and a merge
      const std::size_t m = re - rb;
      std::vector<std::pair<double, std::uint32_t>> by_lp(m);
      for (std::size_t q = 0; q < m; ++q)
        by_lp[q] = {lp[ro[rb + q]], static_cast<std::uint32_t>(q)};
      std::sort(by_lp.begin(), by_lp.end());
      std::vector<double> vals;
      std::vector<std::uint32_t> rk(m);
      for (const auto& [v, q] : by_lp) {
        if (vals.empty() || vals.back() != v) vals.push_back(v);
        rk[q] = static_cast<std::uint32_t>(vals.size() - 1);
      }
      // (1) own rows at risk for each event, descending time
      Fenwick risk(vals.size());
      std::size_t q = re;  // rows [q, re) have joined
      for (std::size_t a = ee; a-- > eb;) {
        const Ev& e = ev[eo[a]];
        while (q > rb &&
               (time[ro[q - 1]] > e.t || (time[ro[q - 1]] == e.t && !in.status[ro[q - 1]]))) {
          --q;
          risk.add(rk[q - rb], wt(ro[q]));
        }
        const auto r0 = static_cast<std::size_t>(std::lower_bound(vals.begin(), vals.end(), e.lp) -
                                                 vals.begin());
        const bool present = r0 < vals.size() && vals[r0] == e.lp;
        const double less = risk.prefix(r0), equal = present ? risk.node[r0] : 0.0;
        double* out = &sums[3 * eo[a]];
        out[0] += risk.total - less - equal;
        out[1] += less;
        out[2] += equal;
      }
      // (2) own rows as the later member: the events before them, ascending time
      std::vector<double> evals;
      for (std::size_t a = eb; a < ee; ++a) evals.push_back(ev[eo[a]].lp);
      std::sort(evals.begin(), evals.end());
      evals.erase(std::unique(evals.begin(), evals.end()), evals.end());
      std::vector<std::uint32_t> erk(m);
      std::vector<char> epresent(m);
      {
        std::size_t at = 0;
        for (const auto& [v, q2] : by_lp) {
          while (at < evals.size() && evals[at] < v) ++at;
          erk[q2] = static_cast<std::uint32_t>(at);
          epresent[q2] = at < evals.size() && evals[at] == v;
        }
      }
      Fenwick dead(evals.size());
      std::size_t a = eb;
      for (std::size_t q2 = rb; q2 < re; ++q2) {
        const std::size_t i = ro[q2];
        while (a < ee && (ev[eo[a]].t < time[i] || (ev[eo[a]].t == time[i] && !in.status[i]))) {
          dead.add(static_cast<std::size_t>(
                       std::lower_bound(evals.begin(), evals.end(), ev[eo[a]].lp) - evals.begin()),
                   ev[eo[a]].w);
          ++a;
        }
        const std::size_t r2 = erk[q2 - rb];
        const bool present = epresent[q2 - rb] != 0;
        const double less = dead.prefix(r2), equal = present ? dead.node[r2] : 0.0;
        const double greater = dead.total - less - equal;
        diff[i] += less - greater;
        all[i] += less + greater + equal;
      }
    }
    eb = ee;
    rb = re;
  }
  cluster.sum(std::span<double>(sums.data(), 3 * E));
  double count[5] = {0, 0, 0, 0, 0};
  for (std::size_t k = 0; k < E; ++k)
    for (int c = 0; c < 3; ++c) count[c] += ev[k].w * sums[3 * k + static_cast<std::size_t>(c)];
  // tied.y: pairs of events at one time (and stratum); tied.xy: with equal scores too
  {
    std::vector<std::size_t> o(eo);
    std::stable_sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) {
      if (ev[a].s != ev[b].s) return ev[a].s < ev[b].s;
      if (ev[a].t != ev[b].t) return ev[a].t < ev[b].t;
      return ev[a].lp < ev[b].lp;
    });
    double dwt = 0, dwt2 = 0;
    for (std::size_t a = 0; a < E; ++a) {
      const Ev& e = ev[o[a]];
      const bool same_time = a > 0 && ev[o[a - 1]].s == e.s && ev[o[a - 1]].t == e.t;
      if (!same_time) dwt = 0;
      if (!same_time || ev[o[a - 1]].lp != e.lp) dwt2 = 0;
      count[3] += e.w * dwt;
      count[4] += e.w * dwt2;
      dwt += e.w;
      dwt2 += e.w;
    }
  }
  count[3] -= count[4];
  for (std::size_t k = 0; k < own_events.size(); ++k) {
    const double* sk = &sums[3 * (own_first + k)];
    diff[own_events[k]] += sk[0] - sk[1];
    all[own_events[k]] += sk[0] + sk[1] + sk[2];
  }
  const double npair = count[0] + count[1] + count[2];
  const double somer = (count[0] - count[1]) / npair;
  double var = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dfbeta = wt(i) * (diff[i] / npair - (somer / npair) * all[i]);
    var += dfbeta * dfbeta;
  }
  return detail::concordance_result(count, parallel::sum(cluster, var));
}

}  // namespace

CoxResult cox_fit_distributed(const CoxData& in, const CoxOptions& opt, const Cluster& cluster) {
  agree(cluster, check_local(in, opt));
  const std::size_t n = in.time.size();
  const std::size_t p = static_cast<std::size_t>(in.x.cols());
  const std::size_t T = p * (p + 1) / 2;
  const auto P = static_cast<Eigen::Index>(p);
  {  // the same model on every rank
    const auto names = parallel::all_gather(cluster, in.names);
    Failure f;
    for (const auto& v : names)
      if (v != names[0]) f = {'U', "the ranks of a distributed Cox fit have different covariates"};
    if (parallel::max(cluster, static_cast<double>(p)) != static_cast<double>(p))
      f = {'U', "the ranks of a distributed Cox fit have different numbers of covariates"};
    agree(cluster, f);
  }
  auto wt = [&](std::size_t i) { return in.weight.empty() ? 1.0 : in.weight[i]; };
  auto off = [&](std::size_t i) { return in.offset.empty() ? 0.0 : in.offset[i]; };

  // R's timefix on the distinct times of all ranks
  std::vector<double> time(in.time);
  {
    std::vector<double> mine(time);
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    const std::vector<double> y =
        merge_distinct(parallel::all_gather(cluster, std::span<const double>(mine)));
    const std::vector<double> cuts = detail::aeq_cuts(y);
    if (!cuts.empty())
      for (double& t : time) t = detail::aeq_fix(cuts, t);
  }

  // counts, and the sums of the centring constants: one reduction.
  // [n, events, non-integer weights, nonzero offsets, sum offset, sum w, per column: not in
  // {-1, 0, 1}, sum x, sum w x]
  std::vector<double> g(6 + 3 * p, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double w = wt(i);
    g[1] += in.status[i] ? 1 : 0;
    g[2] += w != std::floor(w) ? 1 : 0;
    g[3] += off(i) != 0 ? 1 : 0;
    g[4] += off(i);
    g[5] += w;
  }
  g[0] = static_cast<double>(n);
  for (std::size_t j = 0; j < p; ++j) {
    const double* col = in.x.data() + static_cast<std::ptrdiff_t>(j) * in.x.outerStride();
    for (std::size_t i = 0; i < n; ++i) {
      const double v = col[i];
      g[6 + j] += (v == 0 || v == 1 || v == -1) ? 0 : 1;
      g[6 + p + j] += v;
      g[6 + 2 * p + j] += wt(i) * v;
    }
  }
  cluster.sum(g);
  const double n_all = g[0], events = g[1];
  const bool weighted = parallel::max(cluster, in.weight.empty() ? 0.0 : 1.0) > 0;
  if (n_all == 0) throw NumericalError("no rows to fit");
  if (events == 0) throw NumericalError("no events: a Cox model cannot be fitted");
  const bool robust = opt.robust || g[2] > 0;
  const double off_shift = g[3] > 0 ? g[4] / n_all : 0.0;
  const bool offsets = g[3] > 0;
  const double sw_all = g[5];

  // centring (the overall weighted mean) and scaling (sum w / sum w |x - mean|), as coxfit6
  std::vector<double> means(p, 0.0), scale(p, 1.0);
  std::vector<char> centre(p, 0);
  for (std::size_t j = 0; j < p; ++j) {
    centre[j] = g[6 + j] > 0;
    if (centre[j]) means[j] = (weighted ? g[6 + 2 * p + j] : g[6 + p + j]) / sw_all;
  }
  {
    std::vector<double> swa(p, 0.0);
    for (std::size_t j = 0; j < p; ++j) {
      if (!centre[j]) continue;
      const double* col = in.x.data() + static_cast<std::ptrdiff_t>(j) * in.x.outerStride();
      for (std::size_t i = 0; i < n; ++i) swa[j] += wt(i) * std::fabs(col[i] - means[j]);
    }
    cluster.sum(swa);
    for (std::size_t j = 0; j < p; ++j)
      if (centre[j]) scale[j] = swa[j] > 0 ? sw_all / swa[j] : 1.0;
  }

  // local rows by stratum, then time (stable), covariates centred and scaled (row-major)
  std::vector<std::size_t> ord(n);
  std::iota(ord.begin(), ord.end(), std::size_t{0});
  auto strat = [&](std::size_t i) { return in.stratum.empty() ? 0 : in.stratum[i]; };
  std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) {
    return strat(a) != strat(b) ? strat(a) < strat(b) : time[a] < time[b];
  });
  std::vector<double> xs(n * p);
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t j = 0; j < p; ++j) {
      const double v = in.x(static_cast<Eigen::Index>(ord[k]), static_cast<Eigen::Index>(j));
      xs[k * p + j] = centre[j] ? (v - means[j]) * scale[j] : v;
    }

  // the global event times per stratum: (stratum, time) pairs, sorted
  std::vector<std::pair<std::int32_t, double>> etimes;
  {
    std::vector<double> mine;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = ord[k];
      if (!in.status[i]) continue;
      const double s = strat(i), t = time[i];
      if (mine.size() >= 2 && mine[mine.size() - 2] == s && mine.back() == t) continue;
      mine.push_back(s);
      mine.push_back(t);
    }
    for (const auto& v : parallel::all_gather(cluster, std::span<const double>(mine)))
      for (std::size_t k = 0; k + 1 < v.size(); k += 2)
        etimes.emplace_back(static_cast<std::int32_t>(v[k]), v[k + 1]);
    std::sort(etimes.begin(), etimes.end());
    etimes.erase(std::unique(etimes.begin(), etimes.end()), etimes.end());
  }
  const std::size_t K = etimes.size();
  // each local row's segment (-1: before its stratum's first event time) and whether it dies there
  std::vector<std::int64_t> seg(n);
  std::vector<char> dies(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = ord[k];
    const std::pair<std::int32_t, double> key{strat(i), time[i]};
    const auto it = std::upper_bound(etimes.begin(), etimes.end(), key);
    const bool in_seg = it != etimes.begin() && (it - 1)->first == key.first;
    seg[k] = in_seg ? (it - etimes.begin()) - 1 : -1;
    dies[k] = in_seg && in.status[i] && (it - 1)->second == key.second;
  }
  // once per fit: deaths and their weights per event time, sum w x and sum w offset over deaths
  std::vector<double> ndead(K, 0.0), deadwt(K, 0.0), wx_events(p, 0.0);
  double woff_events = 0;
  {
    std::vector<double> buf(2 * K + p + 1, 0.0);
    for (std::size_t k = 0; k < n; ++k) {
      if (!dies[k]) continue;
      const std::size_t i = ord[k];
      const auto s = static_cast<std::size_t>(seg[k]);
      buf[s] += 1;
      buf[K + s] += wt(i);
      for (std::size_t j = 0; j < p; ++j) buf[2 * K + j] += wt(i) * xs[k * p + j];
      buf[2 * K + p] += wt(i) * (off(i) - off_shift);
    }
    cluster.sum(buf);
    std::copy(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(K), ndead.begin());
    std::copy(buf.begin() + static_cast<std::ptrdiff_t>(K),
              buf.begin() + static_cast<std::ptrdiff_t>(2 * K), deadwt.begin());
    for (std::size_t j = 0; j < p; ++j) wx_events[j] = buf[2 * K + j];
    woff_events = buf[2 * K + p];
  }
  const bool efron = opt.ties == Ties::efron;
  // the reduced array: per event time one block of [sum w r, sum w r x, sum w r x x' (packed
  // lower triangle, as coxfit.cpp)], a second one for its dying rows when Efron has m_t > 1
  const std::size_t B = 1 + p + T;
  std::vector<std::size_t> base(K + 1, 0);
  std::vector<char> split(K, 0);
  for (std::size_t k = 0; k < K; ++k) {
    split[k] = efron && ndead[k] > 1;
    base[k + 1] = base[k] + (split[k] ? 2 : 1) * B;
  }
  std::vector<double> sums(base[K]);
  std::vector<double> eta_off(n);  // centred offset per local row, kernel order
  for (std::size_t k = 0; k < n; ++k) eta_off[k] = offsets ? off(ord[k]) - off_shift : 0.0;

  // the per-event-time sums of all ranks at beta (scaled coordinates), into `sums`
  auto reduce_sums = [&](const double* beta) {
    std::fill(sums.begin(), sums.end(), 0.0);
    for (std::size_t k = 0; k < n; ++k) {
      if (seg[k] < 0) continue;
      const auto s = static_cast<std::size_t>(seg[k]);
      const double* x = &xs[k * p];
      double eta = eta_off[k];
      for (std::size_t j = 0; j < p; ++j) eta += beta[j] * x[j];
      const double r = wt(ord[k]) * std::exp(eta);
      double* b = &sums[base[s] + (split[s] && dies[k] ? B : 0)];
      b[0] += r;
      std::size_t t = 1 + p;
      for (std::size_t j = 0; j < p; ++j) {
        const double rx = r * x[j];
        b[1 + j] += rx;
        for (std::size_t l = 0; l <= j; ++l) b[t++] += rx * x[l];
      }
    }
    cluster.sum(sums);
  };

  auto eval = [&](const double* beta, double* u, double* imat) {
    reduce_sums(beta);
    std::vector<double> run(B), dead(B), usum(p, 0.0), G(T, 0.0), MM(T, 0.0);
    double ll = 0;
    for (std::size_t kk = K; kk-- > 0;) {
      if (kk + 1 == K || etimes[kk + 1].first != etimes[kk].first)
        std::fill(run.begin(), run.end(), 0.0);  // a new stratum
      const double* own = &sums[base[kk]];
      for (std::size_t q = 0; q < B; ++q) run[q] += own[q];
      if (!split[kk]) {  // Breslow's term (Efron with one death is the same)
        const double dw = deadwt[kk], denom = run[0], inv = 1 / denom;
        ll -= dw * std::log(denom);
        const double c = dw * inv, f = c * inv;
        std::size_t t = 0;
        for (std::size_t j = 0; j < p; ++j) {
          usum[j] -= c * run[1 + j];
          for (std::size_t l = 0; l <= j; ++l, ++t) {
            G[t] += c * run[1 + p + t];
            MM[t] += f * run[1 + j] * run[1 + l];
          }
        }
        continue;
      }
      const double* e2 = own + B;  // the dying rows: E, A2, C2
      const double m = ndead[kk], wbar = deadwt[kk] / m, invm = 1 / m;
      double s0 = 0, s1 = 0, q0 = 0, q1 = 0, q2 = 0;
      for (double k2 = 1; k2 <= m; k2 += 1) {
        const double b = k2 * invm, dk = run[0] + b * e2[0], inv = 1 / dk;
        ll -= wbar * std::log(dk);
        s0 += inv;
        s1 += b * inv;
        q0 += inv * inv;
        q1 += b * inv * inv;
        q2 += b * b * inv * inv;
      }
      const double c = wbar * s0, e = wbar * s1;
      std::size_t t = 0;
      for (std::size_t j = 0; j < p; ++j) {
        const double a = run[1 + j], a2 = e2[1 + j];
        usum[j] -= c * a + e * a2;
        const double f0 = wbar * (q0 * a + q1 * a2), f2 = wbar * (q1 * a + q2 * a2);
        for (std::size_t l = 0; l <= j; ++l, ++t) {
          G[t] += c * run[1 + p + t] + e * e2[1 + p + t];
          MM[t] += f0 * run[1 + l] + f2 * e2[1 + l];
        }
      }
      for (std::size_t q = 0; q < B; ++q) run[q] += e2[q];
    }
    double loglik = woff_events + ll;
    for (std::size_t j = 0; j < p; ++j) loglik += beta[j] * wx_events[j];
    for (std::size_t j = 0; j < p; ++j) u[j] = wx_events[j] + usum[j];
    std::size_t t = 0;
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t l = 0; l <= j; ++l, ++t) imat[j * p + l] = imat[l * p + j] = G[t] - MM[t];
    // as coxfit.cpp: a variance within the risk sets below the rounding of the difference is 0
    for (std::size_t j = 0; j < p; ++j) {
      const std::size_t tj = j * (j + 1) / 2 + j;
      if (imat[j * p + j] <= 64 * std::numeric_limits<double>::epsilon() * G[tj])
        for (std::size_t l = 0; l < p; ++l) imat[j * p + l] = imat[l * p + j] = 0;
    }
    // Newton's decisions (step halving, convergence, aliasing) must be the same on every rank,
    // or the ranks would call different numbers of collectives. MPI only recommends that
    // MPI_Allreduce give every rank the same bits; rank 0's loglik, score and information
    // (1 + p + p^2 doubles) are therefore broadcast.
    if (cluster.size() > 1) {
      std::vector<double> out(1 + p + p * p);
      out[0] = loglik;
      std::copy(u, u + p, out.begin() + 1);
      std::copy(imat, imat + p * p, out.begin() + 1 + static_cast<std::ptrdiff_t>(p));
      cluster.broadcast(0, std::as_writable_bytes(std::span<double>(out)));
      loglik = out[0];
      std::copy(out.begin() + 1, out.begin() + 1 + static_cast<std::ptrdiff_t>(p), u);
      std::copy(out.begin() + 1 + static_cast<std::ptrdiff_t>(p), out.end(), imat);
    }
    return loglik;
  };
  const detail::NewtonResult nr = detail::newton(detail::Scheme::coxfit6, eval, p, opt);
  if (!std::isfinite(nr.loglik0))
    throw NumericalError("the log partial likelihood is not finite at beta = 0 (exp overflow)");

  CoxResult r;
  r.n = static_cast<std::size_t>(n_all);
  r.events = events;
  r.ties = opt.ties;
  r.compat = opt.compat;
  r.robust = robust;
  const detail::CoxFinish fin = detail::cox_estimates(
      r, nr, scale, means, detail::Scheme::coxfit6, in.names, opt,
      [&](const Eigen::VectorXd& beta) {
        const double shift = beta.dot(r.means);
        r.linear_predictor.assign(n, 0.0);
        double mx = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < n; ++i) {
          double lp = offsets ? off(i) - off_shift : 0.0;
          for (std::size_t j = 0; j < p; ++j)
            lp += in.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) *
                  beta[static_cast<Eigen::Index>(j)];
          r.linear_predictor[i] = lp - shift;
          mx = std::max(mx, r.linear_predictor[i]);
        }
        return parallel::max(cluster, mx);
      });

  // Robust variance (no clusters): the score residuals of each local row, from the global
  // per-event-time sums of w risk and w risk x (x on the original scale, risk = exp(linear
  // predictor): score_residuals.cpp's formulas), weighted by w; D' D = V' (sum w^2 L L') V.
  if (robust && fin.df > 0) {
    const std::size_t B1 = 1 + p;
    std::vector<std::size_t> base1(K + 1, 0);
    for (std::size_t k = 0; k < K; ++k) base1[k + 1] = base1[k] + (split[k] ? 2 : 1) * B1;
    std::vector<double> x0(n * p);
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t j = 0; j < p; ++j)
        x0[k * p + j] = in.x(static_cast<Eigen::Index>(ord[k]), static_cast<Eigen::Index>(j));
    // sum over the local rows of w^2 L L' (p x p) and of w L (p), for risks `risk` (kernel order)
    auto score_moments = [&](const std::vector<double>& risk, Eigen::MatrixXd& ss,
                             Eigen::VectorXd& su) {
      std::vector<double> s1(base1[K], 0.0);
      for (std::size_t k = 0; k < n; ++k) {
        if (seg[k] < 0) continue;
        const auto e = static_cast<std::size_t>(seg[k]);
        double* b = &s1[base1[e] + (split[e] && dies[k] ? B1 : 0)];
        const double wr = wt(ord[k]) * risk[k];
        b[0] += wr;
        for (std::size_t j = 0; j < p; ++j) b[1 + j] += wr * x0[k * p + j];
      }
      cluster.sum(s1);
      // per event time: the hazard increment hsum and xbar * hazard (xh), cumulated in ascending
      // time within the stratum below; Efron's event terms A, B (p), C (p)
      std::vector<double> hsum(K), xh(K * p), effA(K, 0.0), effB(K * p, 0.0), effC(K * p, 0.0);
      std::vector<double> run(B1);
      for (std::size_t kk = K; kk-- > 0;) {
        if (kk + 1 == K || etimes[kk + 1].first != etimes[kk].first)
          std::fill(run.begin(), run.end(), 0.0);
        const double* own = &s1[base1[kk]];
        for (std::size_t q = 0; q < B1; ++q) run[q] += own[q];
        if (split[kk])
          for (std::size_t q = 0; q < B1; ++q) run[q] += own[B1 + q];
        const double denom = run[0];
        if (!split[kk]) {
          const double hazard = deadwt[kk] / denom;
          hsum[kk] = hazard;
          for (std::size_t j = 0; j < p; ++j) {
            effB[kk * p + j] = run[1 + j] / denom;  // xbar, for the dying rows
            xh[kk * p + j] = effB[kk * p + j] * hazard;
          }
          continue;
        }
        const double* e2 = own + B1;
        const double m = ndead[kk], meanwt = deadwt[kk] / m;
        double hs = 0;
        for (double dd = 0; dd < m; dd += 1) {
          const double downwt = dd / m, temp = denom - downwt * e2[0], hazard = meanwt / temp;
          hs += hazard;
          effA[kk] += downwt * hazard;
          for (std::size_t j = 0; j < p; ++j) {
            const double xbar = (run[1 + j] - downwt * e2[1 + j]) / temp;
            xh[kk * p + j] += xbar * hazard;
            effB[kk * p + j] += xbar / m;
            effC[kk * p + j] += downwt * hazard * xbar;
          }
        }
        hsum[kk] = hs;
      }
      // cumulative in ascending time within each stratum (in place)
      for (std::size_t kk = 1; kk < K; ++kk) {
        if (etimes[kk].first != etimes[kk - 1].first) continue;
        hsum[kk] += hsum[kk - 1];
        for (std::size_t j = 0; j < p; ++j) xh[kk * p + j] += xh[(kk - 1) * p + j];
      }
      ss = Eigen::MatrixXd::Zero(P, P);
      su = Eigen::VectorXd::Zero(P);
      Eigen::VectorXd L(P);
      for (std::size_t k = 0; k < n; ++k) {
        if (seg[k] < 0) continue;  // in no risk set at an event: residual 0
        const auto e = static_cast<std::size_t>(seg[k]);
        const double rk = risk[k];
        for (std::size_t j = 0; j < p; ++j) {
          const double x = x0[k * p + j];
          double v = 0;
          if (dies[k]) {
            if (!split[e])
              v = x - effB[e * p + j];
            else
              v = x * (1 + rk * effA[e]) - effB[e * p + j] - rk * effC[e * p + j];
          }
          v -= rk * (x * hsum[e] - xh[e * p + j]);
          L[static_cast<Eigen::Index>(j)] = v;
        }
        const double w = wt(ord[k]);
        ss.noalias() += (w * w) * L * L.transpose();
        su += w * L;
      }
      std::vector<double> red(p * p + p);
      Eigen::Map<Eigen::MatrixXd>(red.data(), P, P) = ss;
      Eigen::Map<Eigen::VectorXd>(red.data() + p * p, P) = su;
      cluster.sum(red);
      ss = Eigen::Map<Eigen::MatrixXd>(red.data(), P, P);
      su = Eigen::Map<Eigen::VectorXd>(red.data() + p * p, P);
    };
    std::vector<double> risk(n);
    for (std::size_t k = 0; k < n; ++k) risk[k] = std::exp(r.linear_predictor[ord[k]]);
    Eigen::MatrixXd ss;
    Eigen::VectorXd su;
    score_moments(risk, ss, su);
    r.robust_var = r.var.transpose() * ss * r.var;
    std::fill(risk.begin(), risk.end(), 1.0);  // at beta = 0 (R sets the linear predictor to 0)
    score_moments(risk, ss, su);
    r.robust_score = CoxTest{};
    const double stat = detail::wald_stat(ss, su, opt.toler_chol);
    const auto df = static_cast<double>(fin.df);
    r.robust_score = CoxTest{stat, df, detail::chisq_upper(stat, df)};
  }
  detail::cox_tests_terms(r, fin, opt);
  r.concordance = concordance(cluster, in, time, r.linear_predictor);
  return r;
}

}  // namespace hazard
