// A minimal Kaplan–Meier step function, private to the reconstruction code (its fit summary
// compares the digitized curve with the KM curve of the rebuilt data). The project's estimator
// with variances and confidence intervals is include/hazard/km.hpp; this one only needs S(t).
//
// S(t) = prod_{event times u <= t} (1 - d_u / n_u), n_u = number with time >= u (R survfit).
// Input: any order; ties: events at u all counted in d_u, censorings at u are still at risk at u.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

namespace hazard::detail {

struct KmStep {
  std::vector<double> time;  ///< distinct event times, ascending
  std::vector<double> surv;  ///< S just after each of them
};

inline KmStep km_step(std::span<const double> time, std::span<const std::uint8_t> event) {
  const std::size_t n = time.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (!std::is_sorted(time.begin(), time.end())) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  }
  KmStep out;
  double s = 1.0;
  std::size_t j = 0;
  while (j < n) {
    const double t = time[order[j]];
    const double at_risk = static_cast<double>(n - j);
    std::size_t deaths = 0;
    std::size_t k = j;
    for (; k < n && time[order[k]] == t; ++k) deaths += event[order[k]] != 0 ? 1u : 0u;
    if (deaths > 0) {
      s *= 1.0 - static_cast<double>(deaths) / at_risk;
      out.time.push_back(t);
      out.surv.push_back(s);
    }
    j = k;
  }
  return out;
}

/// S(t) of a step function, right-continuous (an event at t is included).
inline double km_at(const KmStep& km, double t) {
  auto it = std::upper_bound(km.time.begin(), km.time.end(), t);
  if (it == km.time.begin()) return 1.0;
  return km.surv[static_cast<std::size_t>(it - km.time.begin()) - 1];
}

}  // namespace hazard::detail
