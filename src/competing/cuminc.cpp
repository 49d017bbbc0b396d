// The Aalen–Johansen cumulative incidence of each cause, per group, with two variances.
//
// Within a group, at each distinct time t (failures of any cause or censorings), with Y the
// number at risk (time >= t), d_k the failures from cause k at t, d = sum_k d_k, S(t-) the
// all-cause Kaplan–Meier just before t:
//   F_k(t) = F_k(t-) + S(t-) d_k / Y,     S(t) = S(t-) (Y - d) / Y.
//
// Gray's variance (cmprsk::cuminc, Fortran cinc; Gray's delta method): three running sums per
// cause, updated at each failure time as follows (S' = S(t) after the time, F = F_k(t)):
//   other causes, d' = d - d_k > 0 and S' > 0:
//     w = S(t-)^2 c(d') d' / Y^2, c(m) = 1 - (m - 1)/(Y - 1) (1 when m = 1),
//     v1 += (F/S')^2 w,  v2 += (1/S')(F/S') w,  v3 += (1/S')^2 w;
//   cause k, d_k > 0:
//     w = S(t-)^2 c(d_k) d_k / Y^2, u = 1/S' (0 when S' = 0),
//     v1 += (1 + u F)^2 w,  v2 += u (1 + u F) w,  v3 += u^2 w,
//     Var F_k(t) = v1 + F^2 v3 - 2 F v2  (recorded only at cause k's failure times).
//
// survfit's standard error (survival's multi-state survfit, C survfitci, unweighted data without
// id): the infinitesimal jackknife, Var F_k(t) = sum_i U_ik(t)^2 with U_ik the derivative of F_k(t)
// with respect to subject i's case weight. With h = d/Y and h_k = d_k/Y at t, the influence of the
// subjects still event-free and at risk after t (all share it) evolves as
//   a' = a (1 - h) + S(t-) h / Y,                  (on S)
//   b_k' = b_k + a h_k - S(t-) h_k / Y,            (on F_k)
// a subject censored at t leaves with (a', b'), one failing from cause j with (a' - S(t-)/Y,
// b_k' + [j = k] S(t-)/Y). Once gone, a subject's influence on F_k moves only through F_k:
// U_k(s) = U_k(t) + (U_0(t)/S(t)) (F_k(s) - F_k(t)) =: g + e F_k(s). So, with R subjects still at
// risk, Var F_k(s) = R b_k^2 + sum g^2 + 2 F_k(s) sum g e + F_k(s)^2 sum e^2: O(1) per time.
// Pointwise CIs as survfit_confint(p, se, logse = FALSE): log-log, log or plain on F (km.hpp);
// gray_lower/upper apply the same transform to sqrt(Gray's variance).
//
// Input contract: CompetingData (validated); rows in any order. Tied data (few distinct times):
// rows counted per (stratum, group, time, cause) through a hash of the times (cuminc_counted);
// otherwise one radix sort by time, then stable counting passes by group (the curves) and by
// stratum (Gray's test).
// Reported times: the step functions at t (last time <= t), as cmprsk::timepoints and
// summary(survfit, times =, extend = TRUE).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "competing/detail.hpp"
#include "hazard/competing.hpp"
#include "hazard/error.hpp"
#include "km/km_detail.hpp"
#include "util/time_order.hpp"

namespace hazard {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Limits {
  double lower, upper;
};

// survfit_confint(p, se, logse = FALSE, conf.type): se of log p is se / p (0 when se = 0).
// log-log written with one log and three exps (the curves' CIs are most of the transcendental
// calls): with lp = log p and e = exp(z se_log / lp), exp(-exp(log(-lp) -/+ z se_log / lp)) is
// exp(lp / e) and exp(lp e).
Limits limits(double p, double se, ConfType type, double z) {
  if (!std::isfinite(se)) return {nan, nan};
  const double se_log = se == 0 ? 0.0 : se / p;
  if (type == ConfType::log_log) {
    if (p == 0 || p == 1) return {nan, nan};
    const double lp = std::log(p);
    const double e = std::exp(z * se_log / lp);
    return {std::exp(lp / e), std::exp(lp * e)};
  }
  const ConfLimits c = detail::km_conf_limits_z(p, se_log, type, z);
  return {c.lower, c.upper};
}

// The running state of one cause in one group.
struct CauseState {
  double f = 0;                   // F_k(t)
  double v1 = 0, v2 = 0, v3 = 0;  // Gray's sums
  double gray_var = 0;            // at the last failure of this cause
  double b = 0;                   // influence on F_k of subjects still at risk
  double g2 = 0, ge = 0;          // sums over subjects gone: g^2 and g e
};

}  // namespace

void check_cuminc_options(const CumincOptions& o) {
  if (!(o.conf_level > 0 && o.conf_level < 1))
    throw UsageError(fmt::format("--conf-level must be in (0, 1), not {}", o.conf_level));
  if (!std::isfinite(o.rho)) throw UsageError("--rho must be a finite number");
  for (double t : o.times)
    if (!std::isfinite(t) || t < 0)
      throw UsageError(fmt::format("--times: {} is not a finite time >= 0", t));
}

namespace detail {

template <class Row>
CumincGroup cuminc_group(std::span<const Row> rows, std::size_t n_causes,
                         const std::vector<double>& times, ConfType conf_type, double z) {
  const std::size_t C = n_causes;
  const std::size_t n = rows.size();
  double total = 0;
  for (const Row& r : rows) total += row_count(r);
  CumincGroup out;
  out.n = static_cast<std::size_t>(total);
  out.causes.assign(C, CifCurve{});
  out.at.assign(C, std::vector<CifPoint>(times.size()));
  if constexpr (std::is_same_v<Row, CountedRow>) {
    // one entry per (time, cause): the curves' lengths are known, no regrowth
    std::vector<std::size_t> len(C, 0);
    for (const Row& r : rows)
      if (r.payload > 0) ++len[r.payload - 1];
    for (std::size_t k = 0; k < C; ++k)
      for (auto* v : {&out.causes[k].time, &out.causes[k].n_risk, &out.causes[k].n_event,
                      &out.causes[k].estimate, &out.causes[k].variance, &out.causes[k].std_err,
                      &out.causes[k].lower, &out.causes[k].upper, &out.causes[k].gray_lower,
                      &out.causes[k].gray_upper})
        v->reserve(len[k]);
  }
  std::vector<CauseState> st(C);
  std::vector<double> dk(C, 0.0);
  double surv = 1.0;  // S(t-) then S(t)
  double a = 0.0;     // influence on S of subjects still at risk
  double e2 = 0.0;    // sum e^2 over subjects gone
  double at_risk = total;
  std::size_t next_time = 0;  // index into `times`

  // Values at the reported times in [from, to): the state as it stands (after every time <= t).
  auto record = [&](double upto, bool inclusive, double remaining) {
    while (next_time < times.size() &&
           (inclusive ? times[next_time] < upto : times[next_time] <= upto)) {
      const double t = times[next_time];
      for (std::size_t k = 0; k < C; ++k) {
        const CauseState& s = st[k];
        CifPoint& p = out.at[k][next_time];
        p.time = t;
        p.estimate = s.f;
        p.variance = s.gray_var;
        const double v = remaining * s.b * s.b + s.g2 + 2 * s.f * s.ge + s.f * s.f * e2;
        p.std_err = std::sqrt(std::max(v, 0.0));
        const Limits l = limits(s.f, p.std_err, conf_type, z);
        const Limits g = limits(s.f, std::sqrt(s.gray_var), conf_type, z);
        p.lower = l.lower;
        p.upper = l.upper;
        p.gray_lower = g.lower;
        p.gray_upper = g.upper;
      }
      ++next_time;
    }
  };

  std::size_t i = 0;
  while (i < n) {
    const std::uint64_t key = rows[i].key;
    const double t = key_time(key);
    record(t, /*inclusive=*/true, at_risk);  // reported times before t
    std::fill(dk.begin(), dk.end(), 0.0);
    double censored = 0;
    std::size_t j = i;
    for (; j < n && rows[j].key == key; ++j) {
      const std::uint32_t c = rows[j].payload;
      if (c == 0)
        censored += row_count(rows[j]);
      else
        dk[c - 1] += row_count(rows[j]);
    }
    double d = 0;
    for (double x : dk) d += x;
    const double y = at_risk;
    if (d > 0) {
      const double s_minus = surv;
      const double s_new = s_minus * (y - d) / y;
      // Gray's variance, cause by cause (cinc's order of operations)
      for (std::size_t k = 0; k < C; ++k) {
        CauseState& s = st[k];
        const double d1 = dk[k], d2 = d - d1;
        if (d1 > 0) s.f += s_minus * d1 / y;
        if (d2 > 0 && s_new > 0) {
          const double c5 = d2 > 1 ? 1 - (d2 - 1) / (y - 1) : 1.0;
          const double w = s_minus * s_minus * c5 * d2 / (y * y);
          const double u = 1 / s_new, r = s.f / s_new;
          s.v1 += r * r * w;
          s.v2 += u * r * w;
          s.v3 += u * u * w;
        }
        if (d1 > 0) {
          const double c5 = d1 > 1 ? 1 - (d1 - 1) / (y - 1) : 1.0;
          const double w = s_minus * s_minus * c5 * d1 / (y * y);
          const double u = s_new > 0 ? 1 / s_new : 0.0;
          const double r = 1 + u * s.f;
          s.v1 += r * r * w;
          s.v2 += u * r * w;
          s.v3 += u * u * w;
          s.gray_var = s.v1 + s.f * s.f * s.v3 - 2 * s.f * s.v2;
        }
      }
      // survfit's influence
      const double h = d / y;
      const double a_new = a * (1 - h) + s_minus * h / y;
      for (std::size_t k = 0; k < C; ++k) {
        const double hk = dk[k] / y;
        st[k].b += a * hk - s_minus * hk / y;
      }
      a = a_new;
      surv = s_new;
      // subjects leaving: censored with (a, b), failing from cause j with (a - S-/Y, b + [j=k]
      // S-/Y)
      const double ec = s_new > 0 ? a / s_new : 0.0;
      const double ef = s_new > 0 ? (a - s_minus / y) / s_new : 0.0;
      e2 += censored * ec * ec + d * ef * ef;
      for (std::size_t k = 0; k < C; ++k) {
        CauseState& s = st[k];
        const double gc = s.b - ec * s.f;
        const double gf = s.b - ef * s.f;    // failures from other causes
        const double gk = gf + s_minus / y;  // failures from cause k
        s.g2 += censored * gc * gc + (d - dk[k]) * gf * gf + dk[k] * gk * gk;
        s.ge += censored * gc * ec + (d - dk[k]) * gf * ef + dk[k] * gk * ef;
      }
      const double remaining = y - d - censored;
      for (std::size_t k = 0; k < C; ++k) {
        if (dk[k] == 0) continue;
        CauseState& s = st[k];
        CifCurve& cv = out.causes[k];
        const double v = remaining * s.b * s.b + s.g2 + 2 * s.f * s.ge + s.f * s.f * e2;
        const double se = std::sqrt(std::max(v, 0.0));
        const Limits l = limits(s.f, se, conf_type, z);
        const Limits g = limits(s.f, std::sqrt(s.gray_var), conf_type, z);
        cv.time.push_back(t);
        cv.n_risk.push_back(y);
        cv.n_event.push_back(dk[k]);
        cv.estimate.push_back(s.f);
        cv.variance.push_back(s.gray_var);
        cv.std_err.push_back(se);
        cv.lower.push_back(l.lower);
        cv.upper.push_back(l.upper);
        cv.gray_lower.push_back(g.lower);
        cv.gray_upper.push_back(g.upper);
      }
    } else {
      // censorings only: they leave with (a, b); nothing else changes
      const double ec = surv > 0 ? a / surv : 0.0;
      e2 += censored * ec * ec;
      for (auto& s : st) {
        const double gc = s.b - ec * s.f;
        s.g2 += censored * gc * gc;
        s.ge += censored * gc * ec;
      }
    }
    at_risk -= d + censored;
    record(t, /*inclusive=*/false, at_risk);  // reported times in [t, next time)
    i = j;
  }
  out.last_time = n ? key_time(rows[n - 1].key) : 0.0;
  record(std::numeric_limits<double>::infinity(), true, 0.0);
  for (auto& per_cause : out.at)
    for (auto& p : per_cause) p.beyond_follow_up = p.time > out.last_time;
  for (std::size_t k = 0; k < C; ++k) {
    double e = 0;
    for (double x : out.causes[k].n_event) e += x;
    out.events.push_back(e);
  }
  return out;
}

template CumincGroup cuminc_group<KeyedRow>(std::span<const KeyedRow>, std::size_t,
                                            const std::vector<double>&, ConfType, double);
template CumincGroup cuminc_group<CountedRow>(std::span<const CountedRow>, std::size_t,
                                              const std::vector<double>&, ConfType, double);

}  // namespace detail

namespace {

// Tied data (times in whole days, or rounded): the distinct times found by hashing, ranked by
// sorting the distinct keys only, and the rows counted per (stratum, group, time, cause) in a
// table; the kernels then read one CountedRow per non-empty cell instead of one row per subject
// (the same sums: a cell's rows have equal time, group, stratum and cause). Used when that table
// (strata x groups x distinct times x (causes + 1) cells) is no larger than the data; returns
// false otherwise, and the caller sorts the rows. O(n) hash probes in a table of at most 2n/cells
// keys (T distinct times) plus O(T log T) to rank them.
bool cuminc_counted(const SurvData& s, const std::vector<std::int32_t>& cause, std::size_t C,
                    std::size_t K, std::size_t S, double z, const CumincOptions& options,
                    CumincResult& out) {
  const std::size_t n = s.size();
  const std::size_t C1 = C + 1;
  const std::size_t cells = S * K * C1;
  if (n < 4096 || cells == 0) return false;
  const std::size_t t_max = n / cells;  // the most distinct times for which counting pays
  if (t_max < 16) return false;
  // open addressing, linear probing, at most half full: grown (doubled, rehashed) as needed
  std::size_t cap = 4096;
  unsigned shift = 64 - 12;
  std::vector<std::uint64_t> table(cap, 0);  // 0 = empty: no time_key of a time >= 0 is 0
  auto slot_of = [&](std::uint64_t k) {
    std::size_t h = static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ULL) >> shift);
    while (table[h] != 0 && table[h] != k) h = (h + 1) & (cap - 1);
    return h;
  };
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = detail::time_key(s.time[i]);
    const std::size_t h = slot_of(k);
    if (table[h] != 0) continue;
    if (++distinct > t_max) return false;
    table[h] = k;
    if (2 * distinct > cap) {
      std::vector<std::uint64_t> old_table(2 * cap, 0);
      old_table.swap(table);
      cap *= 2;
      --shift;
      for (std::uint64_t x : old_table)
        if (x != 0) table[slot_of(x)] = x;
    }
  }
  std::vector<std::uint64_t> keys;
  keys.reserve(distinct);
  for (std::uint64_t k : table)
    if (k != 0) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  const std::size_t T = keys.size();
  std::vector<std::uint32_t> rank(cap, 0);
  for (std::size_t r = 0; r < T; ++r) rank[slot_of(keys[r])] = static_cast<std::uint32_t>(r);
  // counts[((stratum * K + group) * T + rank) * C1 + cause]
  std::vector<std::uint32_t> counts(S * K * T * C1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = rank[slot_of(detail::time_key(s.time[i]))];
    const std::size_t st = s.stratum.empty() ? 0 : static_cast<std::size_t>(s.stratum[i]);
    const std::size_t g = s.group.empty() ? 0 : static_cast<std::size_t>(s.group[i]);
    ++counts[((st * K + g) * T + r) * C1 + static_cast<std::size_t>(cause[i])];
  }
  std::vector<detail::CountedRow> rows;
  rows.reserve(T * C1);
  for (std::size_t g = 0; g < K; ++g) {
    rows.clear();
    for (std::size_t r = 0; r < T; ++r)
      for (std::size_t c = 0; c < C1; ++c) {
        std::uint32_t m = 0;
        for (std::size_t st = 0; st < S; ++st) m += counts[((st * K + g) * T + r) * C1 + c];
        if (m > 0)
          rows.push_back({keys[r], static_cast<std::uint32_t>(c), static_cast<std::int32_t>(g), m});
      }
    CumincGroup grp = detail::cuminc_group(std::span<const detail::CountedRow>(rows), C, out.times,
                                           options.conf_type, z);
    if (!s.group.empty()) grp.level = s.group_levels[g];
    out.groups.push_back(std::move(grp));
  }
  if (K > 1) {
    // Gray's test: by (stratum, time); payload = group * C1 + cause
    rows.clear();
    for (std::size_t st = 0; st < S; ++st)
      for (std::size_t r = 0; r < T; ++r)
        for (std::size_t g = 0; g < K; ++g)
          for (std::size_t c = 0; c < C1; ++c)
            if (const std::uint32_t m = counts[((st * K + g) * T + r) * C1 + c]; m > 0)
              rows.push_back({keys[r], static_cast<std::uint32_t>(g * C1 + c),
                              static_cast<std::int32_t>(st), m});
    out.n_strata = S;
    out.tests =
        detail::gray_tests_sorted(std::span<const detail::CountedRow>(rows), C, K, options.rho);
  }
  return true;
}

}  // namespace

CumincResult cuminc(const CompetingData& data, const CumincOptions& options) {
  check_cuminc_options(options);
  const SurvData& s = data.surv;
  const std::size_t n = s.size();
  if (data.cause.size() != n) throw std::invalid_argument("cuminc: cause codes of wrong length");
  const std::size_t C = data.n_causes();
  const std::size_t K = s.n_groups();
  CumincResult out;
  out.conf_type = options.conf_type;
  out.conf_level = options.conf_level;
  out.rho = options.rho;
  out.times = options.times;
  std::sort(out.times.begin(), out.times.end());
  out.times.erase(std::unique(out.times.begin(), out.times.end()), out.times.end());
  const double z = detail::km_z(options.conf_level);
  if (cuminc_counted(s, data.cause, C, K, s.n_strata(), z, options, out)) return out;

  // Few ties: one sort by time; the curves need the rows by (group, time), Gray's test by (stratum,
  // time): two stable counting passes of the time order (O(n) each) instead of two more sorts.
  // Sorted rows: payload = group * (C + 1) + cause, code = stratum.
  const auto C1 = static_cast<std::uint32_t>(C + 1);
  if (static_cast<double>(K) * static_cast<double>(C1) >= 4294967295.0)
    throw std::invalid_argument("cuminc: too many groups x causes");
  detail::HugeVector<detail::KeyedRow> rows(n), other(n);
  std::vector<std::uint32_t> hist;
  for (std::size_t i = 0; i < n; ++i)
    rows[i] = {detail::time_key(s.time[i]),
               (s.group.empty() ? 0u : static_cast<std::uint32_t>(s.group[i])) * C1 +
                   static_cast<std::uint32_t>(data.cause[i]),
               s.stratum.empty() ? 0 : s.stratum[i]};
  detail::sort_keyed_rows(rows, other, hist, 0);
  // stable partition of the time order by `code_of(row)` into `out_rows`; returns the block starts
  auto partition = [n](const detail::HugeVector<detail::KeyedRow>& in,
                       detail::HugeVector<detail::KeyedRow>& out_rows, std::size_t n_codes,
                       auto code_of, auto transform) {
    std::vector<std::size_t> start(n_codes + 1, 0);
    for (std::size_t r = 0; r < n; ++r) ++start[code_of(in[r]) + 1];
    for (std::size_t c = 0; c < n_codes; ++c) start[c + 1] += start[c];
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (std::size_t r = 0; r < n; ++r) out_rows[next[code_of(in[r])]++] = transform(in[r]);
    return start;
  };
  // curves per group: payload = cause, code = group
  const std::vector<std::size_t> block = partition(
      rows, other, K, [C1](const detail::KeyedRow& r) { return std::size_t{r.payload / C1}; },
      [C1](const detail::KeyedRow& r) {
        return detail::KeyedRow{r.key, r.payload % C1, static_cast<std::int32_t>(r.payload / C1)};
      });
  for (std::size_t g = 0; g < K; ++g) {
    CumincGroup grp = detail::cuminc_group(
        std::span<const detail::KeyedRow>(other.data() + block[g], block[g + 1] - block[g]), C,
        out.times, options.conf_type, z);
    if (!s.group.empty()) grp.level = s.group_levels[g];
    out.groups.push_back(std::move(grp));
  }
  if (K > 1) {
    out.n_strata = s.n_strata();
    if (out.n_strata > 1) {
      partition(
          rows, other, out.n_strata,
          [](const detail::KeyedRow& r) { return static_cast<std::size_t>(r.code); },
          [](const detail::KeyedRow& r) { return r; });
      out.tests =
          detail::gray_tests_sorted(std::span<const detail::KeyedRow>(other), C, K, options.rho);
    } else {
      out.tests =
          detail::gray_tests_sorted(std::span<const detail::KeyedRow>(rows), C, K, options.rho);
    }
  }
  return out;
}

}  // namespace hazard
