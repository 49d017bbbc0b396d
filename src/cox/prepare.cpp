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

namespace hazard::detail {
namespace {

std::vector<std::int32_t> dense_codes(const std::vector<std::int32_t>& codes, std::size_t n) {
  std::vector<std::int32_t> out(n, 0);
  if (codes.empty()) return out;
  std::vector<std::int32_t> u(codes);
  std::sort(u.begin(), u.end());
  u.erase(std::unique(u.begin(), u.end()), u.end());
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<std::int32_t>(std::lower_bound(u.begin(), u.end(), codes[i]) - u.begin());
  return out;
}

}  // namespace

CoxSorted prepare(const CoxData& data, Ties ties) {
  CoxSorted d;
  const std::size_t n = data.time.size();
  const std::size_t p = static_cast<std::size_t>(data.x.cols());
  d.n = n;
  d.p = p;
  d.counting = !data.start.empty();
  const std::vector<std::int32_t> strat = dense_codes(data.stratum, n);
  auto wt = [&](std::size_t i) { return data.weight.empty() ? 1.0 : data.weight[i]; };

  std::vector<std::size_t> ord(n);
  std::iota(ord.begin(), ord.end(), std::size_t{0});
  std::vector<std::uint8_t> ignore(n, 0);
  if (d.counting) {
    // event times per stratum, to find the rows no event can reach
    std::vector<std::size_t> ev;
    for (std::size_t i = 0; i < n; ++i)
      if (data.status[i]) ev.push_back(i);
    std::sort(ev.begin(), ev.end(), [&](std::size_t a, std::size_t b) {
      return strat[a] != strat[b] ? strat[a] < strat[b] : data.time[a] < data.time[b];
    });
    for (std::size_t i = 0; i < n; ++i) {
      // first event in the stratum with time > start
      auto it = std::upper_bound(ev.begin(), ev.end(), i, [&](std::size_t a, std::size_t b) {
        if (strat[a] != strat[b]) return strat[a] < strat[b];
        return data.start[a] < data.time[b];
      });
      ignore[i] = !(it != ev.end() && strat[*it] == strat[i] && data.time[*it] <= data.time[i]);
    }
    std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) {
      if (ignore[a] != ignore[b]) return ignore[a] < ignore[b];
      if (strat[a] != strat[b]) return strat[a] < strat[b];
      return data.time[a] > data.time[b];
    });
  } else if (ties == Ties::exact) {
    std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) {
      return strat[a] != strat[b] ? strat[a] < strat[b] : data.time[a] > data.time[b];
    });
  } else {
    std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) {
      return strat[a] != strat[b] ? strat[a] < strat[b] : data.time[a] < data.time[b];
    });
  }
  d.order = ord;
  d.time.resize(n);
  d.status.resize(n);
  d.weight.resize(n);
  d.offset.resize(n);
  d.stratum.resize(n);
  if (d.counting) d.start.resize(n);
  std::vector<std::size_t> pos(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = ord[k];
    pos[i] = k;
    d.time[k] = data.time[i];
    d.status[k] = data.status[i] ? 1 : 0;
    d.weight[k] = wt(i);
    d.offset[k] = data.offset.empty() ? 0.0 : data.offset[i];
    d.stratum[k] = strat[i];
    if (d.counting) d.start[k] = data.start[i];
  }
  d.nused = n;
  if (d.counting) {
    d.nused = static_cast<std::size_t>(std::count(ignore.begin(), ignore.end(), std::uint8_t{0}));
    std::vector<std::size_t> o1(n);
    std::iota(o1.begin(), o1.end(), std::size_t{0});
    std::stable_sort(o1.begin(), o1.end(), [&](std::size_t a, std::size_t b) {
      if (ignore[a] != ignore[b]) return ignore[a] < ignore[b];
      if (strat[a] != strat[b]) return strat[a] < strat[b];
      return data.start[a] > data.start[b];
    });
    d.by_start.resize(n);
    for (std::size_t k = 0; k < n; ++k) d.by_start[k] = pos[o1[k]];
  }

  // covariates, centred and scaled
  d.x.assign(n * p, 0.0);
  d.means.assign(p, 0.0);
  d.scale.assign(p, 1.0);
  const std::size_t nu = d.nused;
  for (std::size_t j = 0; j < p; ++j) {
    bool zero_one = true;
    double colsum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = data.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      if (v != 0 && v != 1 && v != -1) zero_one = false;
      colsum += v;
    }
    for (std::size_t k = 0; k < n; ++k)
      d.x[k * p + j] = data.x(static_cast<Eigen::Index>(ord[k]), static_cast<Eigen::Index>(j));
    if (zero_one) continue;
    if (ties == Ties::exact && d.counting) {  // agexact: the column mean over all rows, no scaling
      const double mean = colsum / static_cast<double>(n);
      for (std::size_t k = 0; k < n; ++k) d.x[k * p + j] -= mean;
      d.means[j] = mean;
      continue;
    }
    if (ties == Ties::exact) {
      double mean = colsum / static_cast<double>(n), ss = 0;
      for (std::size_t k = 0; k < n; ++k) ss += (d.x[k * p + j] - mean) * (d.x[k * p + j] - mean);
      const double sd = std::sqrt(ss / static_cast<double>(n - 1));
      const double sc = (sd > 0 && std::isfinite(sd)) ? 1 / sd : 1.0;
      for (std::size_t k = 0; k < n; ++k) d.x[k * p + j] = (d.x[k * p + j] - mean) * sc;
      d.means[j] = mean;
      d.scale[j] = sc;
      continue;
    }
    // weighted mean, per stratum for counting-process data (over the rows used)
    if (d.counting) {
      std::size_t b = 0;
      while (b < nu) {
        std::size_t e = b;
        double sw = 0, swx = 0;
        while (e < nu && d.stratum[e] == d.stratum[b]) {
          sw += d.weight[e];
          swx += d.weight[e] * d.x[e * p + j];
          ++e;
        }
        const double mean = swx / sw;
        for (std::size_t k = b; k < e; ++k) d.x[k * p + j] -= mean;
        b = e;
      }
      d.means[j] = colsum / static_cast<double>(n);
    } else {
      double sw = 0, swx = 0;
      for (std::size_t k = 0; k < n; ++k) {
        sw += d.weight[k];
        swx += d.weight[k] * d.x[k * p + j];
      }
      const double mean = swx / sw;
      for (std::size_t k = 0; k < n; ++k) d.x[k * p + j] -= mean;
      d.means[j] = mean;
    }
    double sw = 0, swa = 0;
    for (std::size_t k = 0; k < nu; ++k) {
      sw += d.weight[k];
      swa += d.weight[k] * std::fabs(d.x[k * p + j]);
    }
    const double sc = swa > 0 ? sw / swa : 1.0;  // a constant covariate keeps scale 1
    for (std::size_t k = 0; k < n; ++k) d.x[k * p + j] *= sc;
    d.scale[j] = sc;
  }
  return d;
}

void aeq_surv(std::vector<double>& time, std::vector<double>& start) {
  std::vector<double> y(time);
  y.insert(y.end(), start.begin(), start.end());
  std::sort(y.begin(), y.end());
  y.erase(std::unique(y.begin(), y.end()), y.end());
  if (y.size() < 2) return;
  double meanabs = 0;
  for (double v : y) meanabs += std::fabs(v);
  meanabs /= static_cast<double>(y.size());
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  std::vector<double> cuts{y[0]};
  bool any = false;
  for (std::size_t i = 1; i < y.size(); ++i) {
    const double dy = y[i] - y[i - 1];
    if (dy <= tol || dy / meanabs <= tol) {
      any = true;
    } else {
      cuts.push_back(y[i]);
    }
  }
  if (!any) return;
  auto fix = [&](double v) {  // findInterval: the largest cut <= v
    auto it = std::upper_bound(cuts.begin(), cuts.end(), v);
    return *(it - 1);
  };
  for (double& v : time) v = fix(v);
  for (double& v : start) v = fix(v);
}

}  // namespace hazard::detail
