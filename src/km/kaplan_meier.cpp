// The Kaplan–Meier estimate with Greenwood variance and the Nelson–Aalen cumulative hazard, per
// group.
//
// Source: R survival, survfitKM / C survfitkm (stype = 1, ctype = 1), case weights as `weights=`
// with the (weighted) Greenwood variance, i.e. survfit(..., robust = FALSE). At each distinct time
// t (event or censoring), with n = weighted number at risk (time >= t), d = weighted events at t,
// d0 = unweighted events at t:
//   S(t)   = prod (n - d) / n                      over times with d0 > 0 and d > 0
//   H(t)   = sum d / n                             (Nelson–Aalen)
//   V(t)   = sum d / (n (n - d))                   (Greenwood, of log S; +inf once n = d)
//   se_log = sqrt(V), std_err(S) = S * se_log      (R's summary.survfit std.err)
// Limits: km_conf_limits (conf_limits.cpp). Ties: events and censorings at the same time are
// one row; censored subjects are at risk at their own time (n counts time >= t).
// Input: unsorted rows, times finite and >= 0; one sort of row indices by (group, time)
// (util/time_order.hpp: radix sort for large n), then one pass per group:
// a backward pass accumulates the risk set from the last time (R's order of summation, so
// n - d is exactly 0 when everyone left fails) and a forward pass forms the products and sums.
// Note: R merges times that differ by less than ~1e-8 relative (aeqSurv, timefix = TRUE);
// here times are distinct when they differ at all.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "km/km_detail.hpp"
#include "util/time_order.hpp"

namespace hazard {

const char* conf_type_name(ConfType type) {
  switch (type) {
    case ConfType::log_log:
      return "log-log";
    case ConfType::log:
      return "log";
    case ConfType::plain:
      return "plain";
  }
  return "?";
}

ConfType parse_conf_type(const std::string& text) {
  if (text == "log-log" || text == "loglog") return ConfType::log_log;
  if (text == "log") return ConfType::log;
  if (text == "plain") return ConfType::plain;
  throw UsageError("--conf-type must be log-log, log or plain, not '" + text + "'");
}

namespace detail {

/// The curve of the rows `order` (indices into time/status/weight), sorted by ascending time.
KmCurve km_curve_sorted(std::span<const double> sorted_time, std::span<const std::uint8_t> status,
                        std::span<const double> weight, std::span<const std::uint32_t> order,
                        ConfType conf_type, double conf_level) {
  KmCurve c;
  const std::size_t n = order.size();
  if (n == 0) return c;
  auto w = [&](std::size_t i) { return weight.empty() ? 1.0 : weight[i]; };

  // Distinct times (ascending) and, per time, the unweighted event count d0.
  std::size_t m = 1;
  for (std::size_t k = 1; k < n; ++k)
    if (sorted_time[k] != sorted_time[k - 1]) ++m;
  c.time.resize(m);
  c.n_risk.resize(m);
  c.n_event.resize(m);
  c.n_censor.resize(m);
  std::vector<std::size_t> d0(m, 0);

  // Backward pass: the risk set grows from the last time, as R's survfitkm sums it.
  double at_risk = 0;
  std::size_t j = m;  // current distinct time + 1
  for (std::size_t k = n; k-- > 0;) {
    const std::size_t i = order[k];
    if (k == n - 1 || sorted_time[k] != sorted_time[k + 1]) {
      --j;
      c.time[j] = sorted_time[k];
      c.n_event[j] = 0;
      c.n_censor[j] = 0;
    }
    at_risk += w(i);
    if (status[i] == 1) {
      c.n_event[j] += w(i);
      ++d0[j];
    } else {
      c.n_censor[j] += w(i);
    }
    c.n_risk[j] = at_risk;
  }

  // Forward pass: products and sums.
  c.surv.resize(m);
  c.se_log.resize(m);
  c.std_err.resize(m);
  c.lower.resize(m);
  c.upper.resize(m);
  c.cumhaz.resize(m);
  const double z = km_z(conf_level);
  double km = 1, nelson = 0, v = 0;
  for (std::size_t t = 0; t < m; ++t) {
    const double nr = c.n_risk[t], d = c.n_event[t];
    if (d0[t] > 0 && d > 0) {
      nelson += d / nr;
      km *= (nr - d) / nr;
      v += d / (nr * (nr - d));  // +inf when nr == d: S is 0 from here on
    }
    c.surv[t] = km;
    c.cumhaz[t] = nelson;
    c.se_log[t] = std::sqrt(v);
    c.std_err[t] = c.se_log[t] * km;  // inf * 0 = NaN, as R
    const ConfLimits ci = km_conf_limits_z(km, c.se_log[t], conf_type, z);
    c.lower[t] = ci.lower;
    c.upper[t] = ci.upper;
  }
  return c;
}

}  // namespace detail

void check_km_options(const KmOptions& o) {
  if (!(o.conf_level > 0 && o.conf_level < 1))
    throw UsageError("the confidence level must be in (0, 1)");
  for (double p : o.quantiles)
    if (!(p >= 0 && p <= 1)) throw UsageError("a quantile must be a probability in [0, 1]");
  for (double t : o.times)
    if (!std::isfinite(t) || t < 0)
      throw UsageError("a landmark time must be a finite number >= 0");
  if (o.rmst_tau && (!std::isfinite(*o.rmst_tau) || *o.rmst_tau <= 0))
    throw UsageError("the RMST truncation time tau must be a finite number > 0");
}

namespace {

void check_data(std::span<const double> time, std::span<const std::uint8_t> status,
                std::span<const double> weight) {
  if (status.size() != time.size() || (!weight.empty() && weight.size() != time.size()))
    throw std::invalid_argument("km: time, status and weight differ in length");
  for (double t : time)
    if (!(t >= 0) || !std::isfinite(t))
      throw std::invalid_argument("km: times must be finite and >= 0");
}

}  // namespace

KmCurve km_curve(std::span<const double> time, std::span<const std::uint8_t> status,
                 std::span<const double> weight, const KmOptions& options) {
  check_km_options(options);
  check_data(time, status, weight);
  std::vector<double> sorted_time;
  const std::vector<std::uint32_t> order =
      detail::order_by_code_time(time, {}, 1, false, &sorted_time);
  return detail::km_curve_sorted(sorted_time, status, weight, order, options.conf_type,
                                 options.conf_level);
}

KmResult kaplan_meier(const SurvData& data, const KmOptions& options) {
  check_km_options(options);
  check_data(data.time, data.status, data.weight);
  if (!data.group.empty() && data.group.size() != data.time.size())
    throw std::invalid_argument("km: group codes differ in length from the times");

  KmResult r;
  r.conf_type = options.conf_type;
  r.conf_level = options.conf_level;
  r.weighted = data.weighted();
  const std::size_t n = data.size();
  const std::size_t n_groups = data.group.empty() ? 1 : data.group_levels.size();

  // One sort by (group, time); each group is then a contiguous run.
  for (std::int32_t g : data.group)
    if (g < 0 || static_cast<std::size_t>(g) >= n_groups)
      throw std::invalid_argument("km: a group code is outside the group levels");
  std::vector<double> sorted_time;
  const std::vector<std::uint32_t> order =
      detail::order_by_code_time(data.time, data.group, n_groups, false, &sorted_time);
  auto code = [&](std::size_t i) { return data.group.empty() ? 0 : data.group[i]; };

  std::vector<double> times = options.times;
  std::sort(times.begin(), times.end());  // as summary.survfit

  std::size_t begin = 0;
  r.groups.resize(n_groups);
  for (std::size_t g = 0; g < n_groups; ++g) {
    std::size_t end = begin;
    while (end < n && static_cast<std::size_t>(code(order[end])) == g) ++end;
    KmGroup& out = r.groups[g];
    if (!data.group.empty()) out.level = data.group_levels[g];
    out.n = end - begin;
    out.curve = detail::km_curve_sorted(
        std::span<const double>(sorted_time).subspan(begin, end - begin), data.status, data.weight,
        std::span<const std::uint32_t>(order).subspan(begin, end - begin), options.conf_type,
        options.conf_level);
    for (double d : out.curve.n_event) out.events += d;
    std::vector<double> probs = options.quantiles;
    probs.push_back(0.5);
    out.quantiles = km_quantiles(out.curve, probs);
    out.median = out.quantiles.back();
    out.quantiles.pop_back();
    for (double t : times) out.at.push_back(km_landmark(out.curve, t));
    if (options.rmst_tau) out.rmst = km_rmst(out.curve, *options.rmst_tau, options.conf_level);
    if (out.n == 0) {  // a level without rows (R drops it): nothing is estimable
      constexpr double nan = std::numeric_limits<double>::quiet_NaN();
      for (KmLandmark& a : out.at) a.surv = a.std_err = a.lower = a.upper = nan;
      if (out.rmst)
        out.rmst->estimate = out.rmst->std_err = out.rmst->lower = out.rmst->upper = nan;
    }
    begin = end;
  }
  if (begin != n) throw std::invalid_argument("km: a group code is outside the group levels");
  if (options.rmst_tau && n_groups == 2)
    r.rmst_difference = rmst_difference(*r.groups[0].rmst, *r.groups[1].rmst, options.conf_level);
  return r;
}

}  // namespace hazard
