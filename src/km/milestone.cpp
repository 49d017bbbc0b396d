// The milestone (landmark) difference test: S_1(t) - S_0(t) of two arms at a fixed time t.
//
// Formula: S_g(t) the Kaplan–Meier of arm g at t and its SE (Greenwood: R's
// summary(survfit(...), times = t)$std.err; the robust SE when KmOptions::robust says so), the
// arms independent:
//     D = S_1(t) - S_0(t),  SE = sqrt(se_0^2 + se_1^2),  z = D / SE,
//     p = 2 Phi(-|z|),  p_one_sided = Phi(-z) (small when arm 1 survives longer),
//     CI = D -/+ z_{1 - alpha/2} SE.
// Source: Klein, Logan, Harhoff & Andersen (2007, Stat Med 26:4505-4519), the "naive" test on the
// survival scale. Reference: tests/reference/nph/make_rmst_milestone.R (survfit summary at t).
// Input: two-group SurvData without strata (hazard logrank --test milestone --at T).
#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"
#include "km/km_detail.hpp"

namespace hazard {

namespace detail {
void check_two_arms(const SurvData& data, const char* test) {
  if (data.group.empty()) throw UsageError("a group (--group) is required");
  if (!data.stratum.empty())
    throw UsageError(std::string("the ") + test +
                     " compares two unstratified Kaplan-Meier curves (with strata: stratified_rmst_test, "
                     "stratified_milestone_test)");
  check_group_levels(data, 2, 2, "this test compares two groups");
}
}  // namespace detail

MilestoneTest milestone_test(const SurvData& data, double at, const KmOptions& km) {
  detail::check_two_arms(data, "milestone test");
  if (!std::isfinite(at) || at < 0.0)
    throw UsageError("the milestone test needs --at, a finite time >= 0");
  KmOptions o = km;
  o.times = {at};
  o.rmst_tau.reset();
  const KmResult fit = kaplan_meier(data, o);
  MilestoneTest r;
  r.time = at;
  r.reference = fit.groups[0].at.at(0);
  r.comparison = fit.groups[1].at.at(0);
  r.n = data.rows();
  r.times_merged = fit.times_merged;
  r.difference = r.comparison.surv - r.reference.surv;
  const double v =
      r.reference.std_err * r.reference.std_err + r.comparison.std_err * r.comparison.std_err;
  if (!(v > 0.0))
    throw NumericalError(
        "the milestone difference has no standard error at --at (no event before it in either "
        "arm, or a curve that has fallen to 0): z is not defined");
  r.std_err = std::sqrt(v);
  namespace bm = boost::math;
  const bm::normal N;
  const double q = bm::quantile(bm::complement(N, (1.0 - o.conf_level) / 2.0));
  r.lower = r.difference - q * r.std_err;
  r.upper = r.difference + q * r.std_err;
  r.z = r.difference / r.std_err;
  r.p = 2.0 * bm::cdf(N, -std::fabs(r.z));
  r.p_one_sided = bm::cdf(N, -r.z);
  return r;
}

}  // namespace hazard
