// The adjusted hazard ratio of the switching methods: a Cox model (R's coxph) with the arm
// (1 = experimental) as first covariate, then the baseline covariates, strata, and for IPCW
// case weights on (start, stop] rows with the robust variance clustered on the subject
// (coxph(Surv(start, stop, event) ~ arm + x + strata(s), weights = w, cluster = id)).
// The HR's Wald CI uses the robust SE when there is one, as summary.coxph. Also the KM curve of
// one arm's (counterfactual) times.
#include <cmath>

#include "crossover/detail.hpp"
#include "hazard/error.hpp"

namespace hazard::detail {

AdjustedHr arm_cox(const ArmCoxInput& in, Ties ties, double conf_level) {
  const std::size_t n = in.time.size();
  const Eigen::Index p = in.x ? in.x->cols() : 0;
  CoxData cd;
  cd.time.assign(in.time.begin(), in.time.end());
  cd.status.assign(in.status.begin(), in.status.end());
  cd.stratum.assign(in.stratum.begin(), in.stratum.end());
  cd.start.assign(in.start.begin(), in.start.end());
  cd.weight.assign(in.weight.begin(), in.weight.end());
  cd.cluster.assign(in.cluster.begin(), in.cluster.end());
  cd.x.resize(static_cast<Eigen::Index>(n), 1 + p);
  for (std::size_t i = 0; i < n; ++i) cd.x(static_cast<Eigen::Index>(i), 0) = in.arm[i] == 1 ? 1.0 : 0.0;
  if (p > 0) cd.x.rightCols(p) = *in.x;
  cd.names.push_back("arm");
  if (in.names)
    for (const auto& s : *in.names) cd.names.push_back(s);
  const bool robust = !in.cluster.empty();
  AdjustedHr h;
  h.fit = cox_fit(cd, {.ties = ties, .robust = robust, .conf_level = conf_level});
  h.robust = robust;
  const CoxTerm& t = h.fit.terms.front();
  h.log_hr = t.coef;
  h.se = robust ? t.robust_se : t.se;
  h.hr = t.hr;
  h.lower = t.lower;
  h.upper = t.upper;
  h.z = t.z;
  h.p = t.p;
  return h;
}

KmCurve arm_km(std::span<const double> time, std::span<const std::uint8_t> status,
               std::span<const std::int32_t> arm, std::int32_t which, double conf_level) {
  std::vector<double> t;
  std::vector<std::uint8_t> s;
  for (std::size_t i = 0; i < time.size(); ++i)
    if (arm[i] == which) {
      t.push_back(time[i]);
      s.push_back(status[i]);
    }
  return km_curve(t, s, {}, {.conf_type = ConfType::log_log, .conf_level = conf_level});
}

}  // namespace hazard::detail
