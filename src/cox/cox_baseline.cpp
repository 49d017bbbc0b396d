// The baseline cumulative hazard of a Cox fit at the covariate means, as R's basehaz(fit)
// (survfit.coxph with se.fit = FALSE): the curves of cox_survfit at fit$means (one code path
// for --baseline and --survfit), without their standard errors. Per stratum, at every distinct
// (stop) time: dLambda = sum_D w / sum_R w r (Breslow and exact fits) or Efron's increments
// (Efron fits); S = exp(-Lambda); n_risk and n_event weighted, as survfit.
#include "hazard/cox.hpp"
#include "hazard/cox_survfit.hpp"

namespace hazard {

CoxBaseline cox_baseline(const CoxData& data, const CoxResult& fit) {
  const CoxSurvfit sf = cox_survfit(data, fit, {.conf_type = CoxConfType::none});
  CoxBaseline out;
  // at the means there is one curve per stratum, in the order of the stratum codes, so the
  // curve's index is the dense stratum index
  for (std::size_t s = 0; s < sf.curves.size(); ++s) {
    const CoxSurvCurve& c = sf.curves[s];
    out.stratum.insert(out.stratum.end(), c.time.size(), static_cast<std::int32_t>(s));
    out.time.insert(out.time.end(), c.time.begin(), c.time.end());
    out.n_risk.insert(out.n_risk.end(), c.n_risk.begin(), c.n_risk.end());
    out.n_event.insert(out.n_event.end(), c.n_event.begin(), c.n_event.end());
    out.cumhaz.insert(out.cumhaz.end(), c.cumhaz.begin(), c.cumhaz.end());
    out.surv.insert(out.surv.end(), c.surv.begin(), c.surv.end());
  }
  return out;
}

}  // namespace hazard
