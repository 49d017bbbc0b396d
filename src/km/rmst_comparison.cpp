// The RMST difference test of two arms (rmst_test): RMST_1(tau) - RMST_0(tau), its SE, z and p.
//
// Formula: each arm's RMST and SE as survmean (print(survfit, rmean = tau); km_rmst, rmst.cpp),
// the arms independent: D = RMST_1 - RMST_0, SE = sqrt(se_0^2 + se_1^2), z = D / SE,
// p = 2 Phi(-|z|) (rmst_difference), p_one_sided = Phi(-z) (small when arm 1 lives longer).
// Source: Royston & Parmar (2013, BMC Med Res Methodol 13:152); survRM2::rmst2 (same estimate and
// variance). Reference: tests/reference/nph/make_rmst_milestone.R.
// Input: two-group SurvData without strata (hazard logrank --test rmst --tau T).
#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"
#include "km/km_detail.hpp"

namespace hazard {

RmstTest rmst_test(const SurvData& data, double tau, const KmOptions& km) {
  detail::check_two_arms(data, "RMST test");
  if (!std::isfinite(tau) || tau <= 0.0)
    throw UsageError("the RMST test needs --tau, a finite time > 0");
  KmOptions o = km;
  o.times.clear();
  o.rmst_tau = tau;
  const KmResult fit = kaplan_meier(data, o);
  RmstTest r;
  r.tau = tau;
  r.reference = *fit.groups[0].rmst;
  r.comparison = *fit.groups[1].rmst;
  r.difference = rmst_difference(r.reference, r.comparison, o.conf_level);
  r.n = data.rows();
  r.times_merged = fit.times_merged;
  if (!(r.difference.std_err > 0.0))
    throw NumericalError(
        "the RMST difference has standard error 0 (no event before --tau): z is not defined");
  r.p_one_sided = boost::math::cdf(boost::math::normal(), -r.difference.z);
  return r;
}

}  // namespace hazard
