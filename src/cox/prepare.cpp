// Puts the data of a Cox fit into kernel order and centres the covariates, as R does before
// calling its C code (coxph.fit, agreg.fit, coxexact.fit):
//   * right-censored, Efron/Breslow: order(strata, time); covariates centred by their weighted
//     mean and scaled by sum(w) / sum(w |x - mean|) (coxfit6);
//   * (start, stop]: order(ignore, strata, -stop) and order(ignore, strata, -start), where
//     `ignore` marks rows whose interval contains no event time of their stratum (agreg.fit);
//     weighted means per stratum, the same scaling (agfit4);
//   * exact: order(strata, -time), centred by the mean and scaled by 1/sd (scale(), coxexact.fit);
//     exact with (start, stop]: the (start, stop] order above, centred by the column mean and not
//     scaled (agexact.c).
// Columns whose values are all in {-1, 0, 1} are left alone (coxph's nocenter = c(-1, 0, 1)).
// Centring and scaling do not change the estimates; they keep exp() and the sums well
// conditioned, and make the singularity tolerance of the Cholesky step scale-free.
// `means` are R's fit$means: the overall weighted mean (coxfit6), the unweighted column mean
// (agreg.fit, coxexact.fit, agexact.fit), 0 for the {-1, 0, 1} columns.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "cox/cox_detail.hpp"
#include "hazard/error.hpp"
#include "util/huge_pages.hpp"
#include "util/time_order.hpp"

namespace hazard::detail {
namespace {

HugeVector<std::int32_t> dense_codes(const std::vector<std::int32_t>& codes, std::size_t n) {
  HugeVector<std::int32_t> out(n, 0);
  if (codes.empty()) return out;
  std::vector<std::int32_t> u(codes);
  std::sort(u.begin(), u.end());
  u.erase(std::unique(u.begin(), u.end()), u.end());
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<std::int32_t>(std::lower_bound(u.begin(), u.end(), codes[i]) - u.begin());
  return out;
}

// The kernel-order copy of prepare written from a design matrix that is consumed. Each column is
// first put into kernel order (a gather through d.order, exact): column 0 into a scratch column,
// column j into the storage of column j - 1, which its gather has just freed; the storage of the
// last column is then given back. The kernel rows are then written a block at a time, in order,
// and each block's pages of the permuted columns are given back (release_pages), so that the
// copy grows as the columns shrink. The values are those of prepare's scatter: the same
// expression of the same operands (the stratum of kernel row k is d.stratum[k]).
void write_releasing(Eigen::MatrixXd& X, CoxSorted& d, const std::vector<char>& centre,
                     const std::vector<double>& shift, Ties ties) {
  const std::size_t n = d.n, p = d.p;
  const auto stride = static_cast<std::size_t>(X.outerStride());
  double* const base = X.data();
  HugeScratch<double> first(n);  // column 0 in kernel order
  std::vector<double*> col(p);   // column j in kernel order
  for (std::size_t j = 0; j < p; ++j) {
    double* to = j == 0 ? first.data() : base + (j - 1) * stride;
    const double* from = base + j * stride;
    two_halves(n, [&](int half) {
      const auto [lo, hi] = half_range(n, half);
      for (std::size_t k = lo; k < hi; ++k) to[k] = from[d.order[k]];
    });
    col[j] = to;
  }
  if (p > 0) release_pages(base + (p - 1) * stride, n * sizeof(double));
  resize_huge(d.x, n * p);
  const bool agfit_ignore = d.counting && ties != Ties::exact;
  constexpr std::size_t block = 1 << 16;  // rows: 512 KiB of each column
  two_halves(n * p, [&](int half) {
    const auto [lo, hi] = half_range(n, half);
    for (std::size_t b0 = lo; b0 < hi; b0 += block) {
      const std::size_t b1 = std::min(hi, b0 + block);
      for (std::size_t k = b0; k < b1; ++k) {
        const double* sh = &shift[static_cast<std::size_t>(d.stratum[k]) * p];
        // rows no event reaches are not centred by agfit4, only scaled (agexact centres every row)
        const bool ignored = agfit_ignore && k >= d.nused;
        double* out = &d.x[k * p];
        for (std::size_t j = 0; j < p; ++j) {
          const double v = col[j][k];
          out[j] = centre[j] ? (ignored ? v : v - sh[j]) * d.scale[j] : v;
        }
      }
      for (std::size_t j = 0; j < p; ++j) release_pages(col[j] + b0, (b1 - b0) * sizeof(double));
    }
  });
}

}  // namespace

CoxSorted prepare(const CoxData& data, Ties ties, const Eigen::MatrixXd* x_override,
                  HugeVector<KeyedRow>* sorted, Eigen::MatrixXd* consumed) {
  CoxSorted d;
  const Eigen::MatrixXd& X = consumed ? *consumed : x_override ? *x_override : data.x;
  const std::size_t n = sorted ? sorted->size() : data.time.size();
  const std::size_t p = static_cast<std::size_t>(X.cols());
  d.n = n;
  d.p = p;
  d.counting = !data.start.empty();
  d.descending = d.counting || ties == Ties::exact;
  const HugeVector<std::int32_t> strat = dense_codes(data.stratum, n);
  const std::size_t ns =
      strat.empty() ? 1
                    : static_cast<std::size_t>(*std::max_element(strat.begin(), strat.end())) + 1;
  auto wt = [&](std::size_t i) { return data.weight.empty() ? 1.0 : data.weight[i]; };

  // One radix sort per order (util/time_order.hpp): O(n), stable as R's order().
  std::vector<std::uint32_t> ord;
  std::vector<std::uint8_t> ignore;
  std::vector<std::int32_t> code;  // counting process: ignore * ns + stratum
  if (d.counting) {
    // event times per stratum, ascending: a row is ignored when no event time of its stratum
    // lies in (start, stop]
    std::vector<double> evt;
    std::vector<std::int32_t> evs;
    for (std::size_t i = 0; i < n; ++i)
      if (data.status[i]) {
        evt.push_back(data.time[i]);
        evs.push_back(strat[i]);
      }
    const std::vector<std::uint32_t> eo = order_by_code_time(evt, evs, ns);
    std::vector<double> evt_sorted(evt.size());
    std::vector<std::size_t> first(ns + 1, 0);
    for (std::size_t k = 0; k < eo.size(); ++k) {
      evt_sorted[k] = evt[eo[k]];
      ++first[static_cast<std::size_t>(evs[eo[k]]) + 1];
    }
    for (std::size_t s2 = 0; s2 < ns; ++s2) first[s2 + 1] += first[s2];
    ignore.assign(n, 0);
    code.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto s2 = static_cast<std::size_t>(strat[i]);
      const auto b = evt_sorted.begin() + static_cast<std::ptrdiff_t>(first[s2]);
      const auto e = evt_sorted.begin() + static_cast<std::ptrdiff_t>(first[s2 + 1]);
      const auto it = std::upper_bound(b, e, data.start[i]);  // first event time > start
      ignore[i] = !(it != e && *it <= data.time[i]);
      code[i] = static_cast<std::int32_t>(ignore[i] * ns + s2);
    }
    ord = order_by_code_time(data.time, code, 2 * ns, true);
  } else if (!sorted) {
    ord = order_by_code_time(data.time,
                             data.stratum.empty() ? std::span<const std::int32_t>{} : strat, ns,
                             ties == Ties::exact);
  }
  resize_huge(d.time, n);
  resize_huge(d.status, n);
  if (d.counting) resize_huge(d.start, n);
  // kernel position of each input row (the inverse of ord): by_start and the covariate scatter
  HugeScratch<std::uint32_t> kpos(n);  // written in full below (a permutation)
  resize_huge(d.order, n);
  // two halves of the kernel rows on two threads (one random write or read per row each)
  two_halves(n, [&](int half) {
    const auto [lo, hi] = half_range(n, half);
    if (sorted) {  // everything in kernel order already: one random write per row (kpos)
      for (std::size_t k = lo; k < hi; ++k) {
        const KeyedRow& row = (*sorted)[k];
        d.order[k] = row.payload;
        kpos[row.payload] = static_cast<std::uint32_t>(k);
        d.time[k] = key_time(row.key);
        d.status[k] = row.code ? 1 : 0;
      }
    } else {
      for (std::size_t k = lo; k < hi; ++k) {
        const std::size_t i = ord[k];
        d.order[k] = ord[k];
        kpos[i] = static_cast<std::uint32_t>(k);
        d.time[k] = data.time[i];
        d.status[k] = data.status[i] ? 1 : 0;
        if (d.counting) d.start[k] = data.start[i];
      }
    }
  });
  if (sorted) HugeVector<KeyedRow>().swap(*sorted);  // read
  const auto& ord_k = d.order;
  // weights and offsets: gathered when given (else none stored: RowValues); strata likewise,
  // else all 0
  auto gather = [&](auto& out, const auto& in) {
    resize_huge(out, n);
    for (std::size_t k = 0; k < n; ++k) out[k] = in[ord_k[k]];
  };
  if (!data.weight.empty()) gather(d.weight.values, data.weight);
  if (!data.offset.empty()) gather(d.offset.values, data.offset);
  if (data.stratum.empty())
    resize_huge(d.stratum, n, 0);
  else
    gather(d.stratum, strat);
  d.nused = n;
  if (d.counting) {
    d.nused = static_cast<std::size_t>(std::count(ignore.begin(), ignore.end(), std::uint8_t{0}));
    const std::vector<std::uint32_t> o1 = order_by_code_time(data.start, code, 2 * ns, true);
    resize_huge(d.by_start, n);
    for (std::size_t k = 0; k < n; ++k) d.by_start[k] = kpos[o1[k]];
  }

  // covariates, centred and scaled: the constants come from sequential passes over each column
  // of X (input order), then one row-wise gather writes the kernel-order copy.
  d.means.assign(p, 0.0);
  d.scale.assign(p, 1.0);
  std::vector<char> centre(p, 0);
  std::vector<double> shift(p * ns,
                            0.0);     // subtracted from column j in stratum s: shift[s * p + j]
  std::vector<double> sw_s(ns, 0.0);  // weight of the used rows per stratum
  double sw_all = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (d.counting && ignore[i]) continue;
    sw_s[static_cast<std::size_t>(strat[i])] += wt(i);
    sw_all += wt(i);
  }
  // one column at a time, alternate columns on two threads (each writes only its own j)
  two_halves(n * p, [&](int half) {
    for (std::size_t j = static_cast<std::size_t>(half); j < p; j += 2) {
      const double* col = X.data() + static_cast<std::ptrdiff_t>(j) * X.outerStride();
      bool zero_one = true;
      double colsum = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double v = col[i];
        zero_one &= v == 0 || v == 1 || v == -1;  // no branch
        colsum += v;
      }
      if (zero_one) continue;
      centre[j] = 1;
      // agexact: the column mean over all rows, no scaling
      if (ties == Ties::exact && d.counting) {
        const double mean = colsum / static_cast<double>(n);
        d.means[j] = mean;
        for (std::size_t s2 = 0; s2 < ns; ++s2) shift[s2 * p + j] = mean;
        continue;
      }
      if (ties == Ties::exact && !d.counting) {
        const double mean = colsum / static_cast<double>(n);
        double ss = 0;
        for (std::size_t i = 0; i < n; ++i) ss += (col[i] - mean) * (col[i] - mean);
        const double sd = std::sqrt(ss / static_cast<double>(n - 1));
        d.scale[j] = (sd > 0 && std::isfinite(sd)) ? 1 / sd : 1.0;
        d.means[j] = mean;
        for (std::size_t s2 = 0; s2 < ns; ++s2) shift[s2 * p + j] = mean;
        continue;
      }
      // weighted mean: per stratum over the rows used for counting-process data, else overall
      if (d.counting) {
        std::vector<double> swx(ns, 0.0);
        for (std::size_t i = 0; i < n; ++i)
          if (!ignore[i]) swx[static_cast<std::size_t>(strat[i])] += wt(i) * col[i];
        for (std::size_t s2 = 0; s2 < ns; ++s2)
          shift[s2 * p + j] = sw_s[s2] > 0 ? swx[s2] / sw_s[s2] : 0.0;
        d.means[j] = colsum / static_cast<double>(n);
      } else {
        double swx = colsum;  // unweighted: the column sum already computed
        if (!data.weight.empty()) {
          swx = 0;
          for (std::size_t i = 0; i < n; ++i) swx += data.weight[i] * col[i];
        }
        const double mean = swx / sw_all;
        for (std::size_t s2 = 0; s2 < ns; ++s2) shift[s2 * p + j] = mean;
        d.means[j] = mean;
      }
      double swa = 0;
      if (!d.counting && data.weight.empty() && ns == 1) {  // the common case, one stream
        const double c0 = shift[j];
        for (std::size_t i = 0; i < n; ++i) swa += std::fabs(col[i] - c0);
      } else {
        for (std::size_t i = 0; i < n; ++i) {
          if (d.counting && ignore[i]) continue;
          swa += wt(i) * std::fabs(col[i] - shift[static_cast<std::size_t>(strat[i]) * p + j]);
        }
      }
      d.scale[j] = swa > 0 ? sw_all / swa : 1.0;  // a constant covariate keeps scale 1
    }
  });
  if (consumed) {
    HugeScratch<std::uint32_t>().swap(kpos);  // the rows are gathered through d.order instead
    write_releasing(*consumed, d, centre, shift, ties);
    *consumed = Eigen::MatrixXd();
    return d;
  }
  // Scatter in input order: the columns of X are read sequentially (a row of a column-major
  // matrix spans p pages, so a gather in kernel order would miss the TLB p times per row) and
  // each row is written whole to its kernel position.
  resize_huge(d.x, n * p);
  const double* const xdata = X.data();
  const auto stride = static_cast<std::size_t>(X.outerStride());
  constexpr std::size_t ahead = 16;  // rows: the write targets are random, prefetch them
  // two halves of the input rows on two threads (disjoint kernel rows)
  two_halves(n * p, [&](int half) {
    const auto [lo, hi] = half_range(n, half);
    for (std::size_t i = lo; i < hi; ++i) {
      if (i + ahead < hi) __builtin_prefetch(&d.x[kpos[i + ahead] * p], 1);
      const std::size_t k = kpos[i];
      const double* sh = &shift[static_cast<std::size_t>(strat[i]) * p];
      // rows no event reaches are not centred by agfit4, only scaled (agexact centres every row)
      const bool ignored = d.counting && ties != Ties::exact && k >= d.nused;
      double* out = &d.x[k * p];
      for (std::size_t j = 0; j < p; ++j) {
        const double v = xdata[j * stride + i];
        out[j] = centre[j] ? (ignored ? v : v - sh[j]) * d.scale[j] : v;
      }
    }
  });
  return d;
}

}  // namespace hazard::detail
