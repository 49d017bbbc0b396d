// The nonparametric bootstrap of the switching methods: subjects resampled with replacement
// within each randomized arm (the arms keep their sizes), the whole estimation repeated on each
// sample, percentile intervals (R's quantile type 7) of the replicates' HR and psi.
//
// Random numbers: Random123 Philox4x64-10 (Salmon et al. 2011), key = (seed, 0), counter =
// (replicate, draw / 4, 0, 0); the draw's word (draw % 4) becomes u = (w >> 11) 2^-53 + 2^-54 in
// (0, 1) and the index floor(u n_arm). Each replicate depends only on (seed, replicate).
#include <algorithm>
#include <cmath>
#include <limits>

#include <Random123/philox.h>
#include <boost/math/distributions/normal.hpp>

#include "crossover/detail.hpp"
#include "hazard/crossover.hpp"

namespace hazard {

double quantile7(std::vector<double> v, double p) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

namespace detail {

double z_two_sided(double conf_level) {
  return boost::math::quantile(boost::math::normal(), 1 - (1 - conf_level) / 2);
}

std::vector<std::size_t> bootstrap_indices(std::span<const std::int32_t> arm, std::uint64_t seed,
                                           std::uint64_t replicate) {
  using Rng = r123::Philox4x64;
  Rng rng;
  const Rng::key_type key = {{seed, 0}};
  std::vector<std::size_t> by_arm[2];
  for (std::size_t i = 0; i < arm.size(); ++i) by_arm[arm[i] == 1 ? 1 : 0].push_back(i);
  std::vector<std::size_t> out;
  out.reserve(arm.size());
  Rng::ctr_type::value_type block = 0;
  Rng::ctr_type words{};
  std::uint64_t draw = 0;
  for (const auto& pool : by_arm) {
    for (std::size_t k = 0; k < pool.size(); ++k, ++draw) {
      if (draw % 4 == 0) {
        block = draw / 4;
        words = rng(Rng::ctr_type{{replicate, block, 0, 0}}, key);
      }
      const double u = static_cast<double>(words[draw % 4] >> 11) * 0x1.0p-53 + 0x1.0p-54;
      auto j = static_cast<std::size_t>(u * static_cast<double>(pool.size()));
      out.push_back(pool[std::min(j, pool.size() - 1)]);
    }
  }
  return out;
}

SwitchData subset(const SwitchData& d, std::span<const std::size_t> idx) {
  SwitchData s;
  const std::size_t m = idx.size();
  auto pick = [&](const auto& v, auto& to) {
    if (v.empty()) return;
    to.resize(m);
    for (std::size_t k = 0; k < m; ++k) to[k] = v[idx[k]];
  };
  pick(d.time, s.time);
  pick(d.status, s.status);
  pick(d.arm, s.arm);
  pick(d.switched, s.switched);
  pick(d.switch_time, s.switch_time);
  pick(d.censor_time, s.censor_time);
  pick(d.stratum, s.stratum);
  pick(d.progressed, s.progressed);
  pick(d.progression_time, s.progression_time);
  auto rows = [&](const Eigen::MatrixXd& x, Eigen::MatrixXd& to) {
    to.resize(static_cast<Eigen::Index>(m), x.cols());
    if (x.cols() == 0) return;
    for (std::size_t k = 0; k < m; ++k) to.row(static_cast<Eigen::Index>(k)) = x.row(static_cast<Eigen::Index>(idx[k]));
  };
  rows(d.x, s.x);
  rows(d.x2, s.x2);
  s.names = d.names;
  s.names2 = d.names2;
  return s;
}

BootstrapSummary summarise_bootstrap(const BootstrapOptions& o, double conf_level,
                                     const std::vector<double>& log_hr, const std::vector<double>& psi) {
  BootstrapSummary b;
  b.replicates = o.replicates;
  b.seed = o.seed;
  b.conf_level = conf_level;
  for (std::size_t r = 0; r < log_hr.size(); ++r) {
    const bool psi_ok = psi.empty() || std::isfinite(psi[r]);
    if (std::isfinite(log_hr[r]) && psi_ok) {
      b.log_hr.push_back(log_hr[r]);
      if (!psi.empty()) b.psi.push_back(psi[r]);
    } else {
      ++b.failed;
    }
  }
  const double lo = (1 - conf_level) / 2, hi = 1 - lo;
  b.hr_lower = std::exp(quantile7(b.log_hr, lo));
  b.hr_upper = std::exp(quantile7(b.log_hr, hi));
  b.psi_lower = quantile7(b.psi, lo);
  b.psi_upper = quantile7(b.psi, hi);
  const std::size_t k = b.log_hr.size();
  if (k >= 2) {
    double mean = 0;
    for (double v : b.log_hr) mean += v;
    mean /= static_cast<double>(k);
    double ss = 0;
    for (double v : b.log_hr) ss += (v - mean) * (v - mean);
    b.sd_log_hr = std::sqrt(ss / static_cast<double>(k - 1));
  } else {
    b.sd_log_hr = std::numeric_limits<double>::quiet_NaN();
  }
  return b;
}

}  // namespace detail
}  // namespace hazard
