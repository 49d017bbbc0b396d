// Median follow-up by the reverse Kaplan–Meier method (Schemper & Smith, Control Clin Trials
// 1996;17:343-6): the Kaplan–Meier estimate of the distribution of the time to censoring, in which
// a censored observation is the "event" and an event censors the follow-up. Its median is the
// median potential follow-up, which, unlike the median observed time, is not shortened by early
// events.
//
// Source: R survival, survfit(Surv(time, 1 - status) ~ group, conf.type =, conf.int =) and
// quantile(fit, 0.5): the same product-limit curve, Greenwood variance, pointwise band and
// quantile rule as km_curve / km_quantile (kaplan_meier.cpp, quantile.cpp), on the flipped status.
// Input: validated SurvData (right-censored; case weights allowed, as survfit's weights =).
// One entry per group code (one overall without groups). O(n log n).
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "hazard/km.hpp"

namespace hazard {

std::vector<KmQuantile> km_followup(const SurvData& data, const KmOptions& options) {
  check_km_options(options);
  if (!data.start.empty())
    throw std::invalid_argument("km_followup: (start, stop] data have no reverse KM here");
  const std::size_t groups = data.n_groups();
  std::vector<KmQuantile> out;
  for (std::size_t g = 0; g < groups; ++g) {
    std::vector<double> time, weight;
    std::vector<std::uint8_t> censored;
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (!data.group.empty() && static_cast<std::size_t>(data.group[i]) != g) continue;
      time.push_back(data.time[i]);
      censored.push_back(data.status[i] ? 0 : 1);
      if (!data.weight.empty()) weight.push_back(data.weight[i]);
    }
    if (time.empty()) {
      out.push_back(
          {.p = 0.5, .estimate = std::nan(""), .lower = std::nan(""), .upper = std::nan("")});
      continue;
    }
    out.push_back(km_quantile(km_curve(time, censored, weight, options), 0.5));
  }
  return out;
}

}  // namespace hazard
