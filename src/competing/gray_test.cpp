// Gray's K-sample test of equal cumulative incidence of one cause (Gray 1988, Ann. Statist.
// 16:1141-1154), stratified, as cmprsk::cuminc's Tests (Fortran crstm/crst, cmprsk 2.2-11).
//
// Within a stratum, at each distinct time t with failures, for group j: Y_j at risk, d1_j
// failures from the cause, d2_j from other causes, S_j(t-) the group's all-cause Kaplan–Meier and
// F_j(t-) its cumulative incidence of the cause (both left limits), h_j = Y_j / S_j(t-).
//   R = sum_j h_j,  Q = sum_j h_j (1 - F_j(t-)),  D1 = sum_j d1_j,
//   F(t) = F(t-) + D1 / R      (the pooled estimate under the null, F(0) = 0),
//   w = (1 - F(t-))^rho        (the weight; rho = 0: 1),
//   score_j += w (d1_j - D1 h_j (1 - F_j(t-)) / Q)          for the first K - 1 groups.
// The variance of the scores is the sum over times of the squared influence of each group's
// failures, written with A(t) = w (diag(h) - h h' / R) (the derivative of the score increment in
// the group cumulative hazards) and C(t) = sum_{u <= t} A(u) D1(u) / (R(u) (1 - F(u-))):
//   failures from the cause (D1 > 0), group k: b = 1 - (1 - F(t)) / S_k(t) (1 when S_k(t) = 0),
//     m = (1 - (D1 - 1)/(R S_k(t-) - 1)) S_k(t-) D1 / (R Y_k)  (the tie factor: 1 when D1 = 1),
//     V_ij += (A_ik - b C_ik)(A_jk - b C_jk) m,  V2_ik += (A_ik - b C_ik) b m,  V3_k += b^2 m;
//   failures from other causes in group k (d2_k > 0, S_k(t) > 0): b = (1 - F(t)) / S_k(t),
//     m = (1 - (d2_k - 1)/(Y_k - 1)) S_k(t-)^2 d2_k / Y_k^2,
//     V_ij += b^2 C_ik C_jk m,  V2_ik -= b^2 C_ik m,  V3_k += b^2 m;
// and at the end V_ij += sum_k C_ik C_jk V3_k + C_ik V2_jk + C_jk V2_ik (C at the last time).
// Scores and V are summed over strata; stat = score' V^-1 score on K - 1 df. These are crst's
// formulas and order of operations, restated; cuminc gives stat = -1 when V is singular (rank by
// R's qr, tolerance 1e-7): here stat and p are NaN then.
//
// Input contract: cause 0 = censored, 1..n_causes; group codes in [0, n_groups); stratum codes in
// [0, n_strata) (empty: one stratum). Rows in any order: one radix sort by (stratum, time).
#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <Eigen/Dense>

#include "competing/detail.hpp"
#include "hazard/competing.hpp"

namespace hazard {
namespace detail {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// One cause's running sums within a stratum (K groups, K1 = K - 1 scores).
struct GrayState {
  std::vector<double> f1m, f1;  // F_j(t-), F_j(t)
  double fm = 0, f = 0;         // pooled F(t-), F(t)
  std::vector<double> c;        // C, K x K
  std::vector<double> a;        // A at the current time, K x K
  std::vector<double> v3;       // K
  std::vector<double> v2;       // K1 x K
  std::vector<double> v;        // K1 x K1 (lower triangle used)
  std::vector<double> s;        // K1

  explicit GrayState(std::size_t K)
      : f1m(K, 0.0), f1(K, 0.0), c(K * K, 0.0), a(K * K, 0.0), v3(K, 0.0),
        v2((K - 1) * K, 0.0), v((K - 1) * (K - 1), 0.0), s(K - 1, 0.0) {}
};

}  // namespace

std::vector<GrayTest> gray_tests(std::span<const double> time, std::span<const std::int32_t> cause,
                                 std::size_t n_causes, std::span<const std::int32_t> group,
                                 std::size_t n_groups, std::span<const std::int32_t> stratum,
                                 std::size_t n_strata, double rho) {
  const std::size_t n = time.size();
  const std::size_t K = n_groups, C = n_causes;
  if (K < 2 || group.empty()) return {};
  if (cause.size() != n || group.size() != n || (!stratum.empty() && stratum.size() != n))
    throw std::invalid_argument("gray_test: spans of unequal length");
  if (stratum.empty()) n_strata = 1;
  HugeVector<KeyedRow> rows(n), other;
  std::vector<std::uint32_t> hist;
  for (std::size_t i = 0; i < n; ++i) {
    if (cause[i] < 0 || static_cast<std::size_t>(cause[i]) > C)
      throw std::invalid_argument("gray_test: cause code out of range");
    if (group[i] < 0 || static_cast<std::size_t>(group[i]) >= K)
      throw std::invalid_argument("gray_test: group code out of range");
    const std::int32_t st = stratum.empty() ? 0 : stratum[i];
    if (st < 0 || static_cast<std::size_t>(st) >= n_strata)
      throw std::invalid_argument("gray_test: stratum code out of range");
    rows[i] = {time_key(time[i]),
               static_cast<std::uint32_t>(group[i]) * static_cast<std::uint32_t>(C + 1) +
                   static_cast<std::uint32_t>(cause[i]),
               st};
  }
  sort_keyed_rows(rows, other, hist, n_strata);
  return gray_tests_sorted(std::span<const KeyedRow>(rows), C, K, rho);
}

template <class Row>
std::vector<GrayTest> gray_tests_sorted(std::span<const Row> rows, std::size_t n_causes,
                                        std::size_t n_groups, double rho) {
  const std::size_t n = rows.size();
  const std::size_t K = n_groups, C = n_causes, K1 = K - 1;
  if (K < 2) return {};
  std::vector<double> score_total(C * K1, 0.0), var_total(C * K1 * K1, 0.0);
  std::vector<double> rs(K), skmm(K), skm(K), dall(K);
  std::vector<double> d((C + 1) * K);  // d[cause * K + group]
  std::size_t i = 0;
  while (i < n) {
    const std::int32_t code = rows[i].code;
    std::size_t end = i;
    while (end < n && rows[end].code == code) ++end;
    // one stratum: rows [i, end)
    std::fill(rs.begin(), rs.end(), 0.0);
    for (std::size_t r = i; r < end; ++r) rs[rows[r].payload / (C + 1)] += row_count(rows[r]);
    std::fill(skmm.begin(), skmm.end(), 1.0);
    std::fill(skm.begin(), skm.end(), 1.0);
    std::vector<GrayState> state(C, GrayState(K));
    std::size_t r = i;
    while (r < end) {
      const std::uint64_t key = rows[r].key;
      std::fill(d.begin(), d.end(), 0.0);
      std::size_t q = r;
      for (; q < end && rows[q].key == key; ++q) {
        const std::uint32_t p = rows[q].payload;
        d[(p % (C + 1)) * K + p / (C + 1)] += row_count(rows[q]);
      }
      double total = 0;
      for (std::size_t j = 0; j < K; ++j) {
        dall[j] = 0;
        for (std::size_t c = 1; c <= C; ++c) dall[j] += d[c * K + j];
        total += dall[j];
      }
      if (total > 0) {
        double tr = 0;
        for (std::size_t j = 0; j < K; ++j) {
          if (rs[j] <= 0) continue;
          skm[j] = skmm[j] * (rs[j] - dall[j]) / rs[j];
          tr += rs[j] / skmm[j];
        }
        for (std::size_t c = 0; c < C; ++c) {
          GrayState& g = state[c];
          const double* d1 = &d[(c + 1) * K];
          double nd1 = 0, tq = 0;
          for (std::size_t j = 0; j < K; ++j) {
            nd1 += d1[j];
            if (rs[j] <= 0) continue;
            g.f1[j] = g.f1m[j] + skmm[j] * d1[j] / rs[j];
            tq += rs[j] * (1 - g.f1m[j]) / skmm[j];
          }
          const double nd2 = total - nd1;
          g.f = g.fm + nd1 / tr;
          const double fb = std::pow(1 - g.fm, rho);
          std::fill(g.a.begin(), g.a.end(), 0.0);
          for (std::size_t j = 0; j < K; ++j) {
            if (rs[j] <= 0) continue;
            const double h = rs[j] / skmm[j];
            g.a[j * K + j] = fb * h * (1 - h / tr);
            if (g.a[j * K + j] != 0) g.c[j * K + j] += g.a[j * K + j] * nd1 / (tr * (1 - g.fm));
            for (std::size_t l = j + 1; l < K; ++l) {
              if (rs[l] <= 0) continue;
              const double x = -fb * h * rs[l] / (skmm[l] * tr);
              g.a[j * K + l] = g.a[l * K + j] = x;
              if (x != 0) {
                g.c[j * K + l] += x * nd1 / (tr * (1 - g.fm));
                g.c[l * K + j] = g.c[j * K + l];
              }
            }
          }
          for (std::size_t j = 0; j < K1; ++j)
            if (rs[j] > 0)
              g.s[j] += fb * (d1[j] - nd1 * rs[j] * (1 - g.f1m[j]) / (skmm[j] * tq));
          if (nd1 > 0) {
            for (std::size_t k = 0; k < K; ++k) {
              if (rs[k] <= 0) continue;
              const double b = skm[k] > 0 ? 1 - (1 - g.f) / skm[k] : 1.0;
              const double tie = nd1 > 1 ? 1 - (nd1 - 1) / (tr * skmm[k] - 1) : 1.0;
              const double m = tie * skmm[k] * nd1 / (tr * rs[k]);
              g.v3[k] += b * b * m;
              for (std::size_t x = 0; x < K1; ++x) {
                const double t1 = g.a[x * K + k] - b * g.c[x * K + k];
                g.v2[x * K + k] += t1 * b * m;
                for (std::size_t y = 0; y <= x; ++y) {
                  const double t2 = g.a[y * K + k] - b * g.c[y * K + k];
                  g.v[x * K1 + y] += t1 * t2 * m;
                }
              }
            }
          }
          if (nd2 > 0) {
            for (std::size_t k = 0; k < K; ++k) {
              const double d2 = dall[k] - d1[k];
              if (skm[k] <= 0 || d2 <= 0) continue;
              const double b = (1 - g.f) / skm[k];
              const double tie = d2 > 1 ? 1 - (d2 - 1) / (rs[k] - 1) : 1.0;
              const double m = tie * skmm[k] * skmm[k] * d2 / (rs[k] * rs[k]);
              g.v3[k] += b * b * m;
              for (std::size_t x = 0; x < K1; ++x) {
                const double t1 = b * g.c[x * K + k];
                g.v2[x * K + k] -= t1 * b * m;
                for (std::size_t y = 0; y <= x; ++y) {
                  const double t2 = b * g.c[y * K + k];
                  g.v[x * K1 + y] += t1 * t2 * m;
                }
              }
            }
          }
        }
      }
      // leave the risk sets; left limits for the next time
      for (std::size_t j = 0; j < K; ++j) {
        double gone = 0;
        for (std::size_t c = 0; c <= C; ++c) gone += d[c * K + j];
        rs[j] -= gone;
      }
      if (total > 0) {
        for (auto& g : state) {
          g.fm = g.f;
          g.f1m = g.f1;
        }
        skmm = skm;
      }
      r = q;
    }
    for (std::size_t c = 0; c < C; ++c) {
      GrayState& g = state[c];
      for (std::size_t x = 0; x < K1; ++x) {
        for (std::size_t y = 0; y <= x; ++y) {
          double vxy = g.v[x * K1 + y];
          for (std::size_t k = 0; k < K; ++k) {
            vxy += g.c[x * K + k] * g.c[y * K + k] * g.v3[k];
            vxy += g.c[x * K + k] * g.v2[y * K + k];
            vxy += g.c[y * K + k] * g.v2[x * K + k];
          }
          var_total[c * K1 * K1 + x * K1 + y] += vxy;
          if (y != x) var_total[c * K1 * K1 + y * K1 + x] += vxy;
        }
        score_total[c * K1 + x] += g.s[x];
      }
    }
    i = end;
  }

  std::vector<GrayTest> out(C);
  for (std::size_t c = 0; c < C; ++c) {
    GrayTest& t = out[c];
    t.df = static_cast<int>(K1);
    t.score.assign(score_total.begin() + static_cast<std::ptrdiff_t>(c * K1),
                   score_total.begin() + static_cast<std::ptrdiff_t>((c + 1) * K1));
    t.variance.assign(var_total.begin() + static_cast<std::ptrdiff_t>(c * K1 * K1),
                      var_total.begin() + static_cast<std::ptrdiff_t>((c + 1) * K1 * K1));
    Eigen::Map<const Eigen::MatrixXd> V(t.variance.data(), static_cast<Eigen::Index>(K1),
                                        static_cast<Eigen::Index>(K1));
    Eigen::Map<const Eigen::VectorXd> u(t.score.data(), static_cast<Eigen::Index>(K1));
    // rank as R's qr() (LINPACK dqrdc2, tol = 1e-7): a column whose norm after the earlier
    // columns' projection is below 1e-7 times its original norm is aliased
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(V);
    qr.setThreshold(1e-7);
    if (!V.allFinite() || qr.rank() < static_cast<Eigen::Index>(K1)) {
      t.stat = nan;
      t.p = nan;
      continue;
    }
    const Eigen::VectorXd x = qr.solve(u);
    t.stat = u.dot(x);
    t.p = t.stat >= 0 ? boost::math::cdf(boost::math::complement(
                            boost::math::chi_squared(static_cast<double>(K1)), t.stat))
                      : nan;
  }
  return out;
}

template std::vector<GrayTest> gray_tests_sorted<KeyedRow>(std::span<const KeyedRow>, std::size_t,
                                                         std::size_t, double);
template std::vector<GrayTest> gray_tests_sorted<CountedRow>(std::span<const CountedRow>,
                                                           std::size_t, std::size_t, double);

}  // namespace detail

GrayTest gray_test(std::span<const double> time, std::span<const std::int32_t> cause_code,
                   std::int32_t cause, std::span<const std::int32_t> group, std::size_t n_groups,
                   std::span<const std::int32_t> stratum, double rho) {
  if (n_groups < 2) throw std::invalid_argument("gray_test: needs two or more groups");
  std::int32_t max_cause = 0, max_stratum = 0;
  for (std::int32_t c : cause_code) max_cause = std::max(max_cause, c);
  for (std::int32_t s : stratum) max_stratum = std::max(max_stratum, s);
  if (cause < 1 || cause > max_cause)
    throw std::invalid_argument(fmt::format("gray_test: no failure with cause code {}", cause));
  auto all = detail::gray_tests(time, cause_code, static_cast<std::size_t>(max_cause), group,
                                n_groups, stratum, static_cast<std::size_t>(max_stratum) + 1, rho);
  return all[static_cast<std::size_t>(cause - 1)];
}

}  // namespace hazard
