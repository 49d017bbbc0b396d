// Filling the report model from hazard::kaplan_meier's output (km.hpp): a field-by-field copy, no
// computation beyond summing the censorings of the curve.
#include <cmath>

#include "hazard/km.hpp"
#include "hazard/report.hpp"

namespace hazard::report {

plot::KmCurve plot_curve_from_km(const KmGroup& g, const std::string& label) {
  plot::KmCurve c;
  c.label = label;
  c.time = g.curve.time;
  c.surv = g.curve.surv;
  c.lower = g.curve.lower;
  c.upper = g.curve.upper;
  c.n_risk = g.curve.n_risk;
  c.n_event = g.curve.n_event;
  c.n_censor = g.curve.n_censor;
  c.n = g.curve.n_risk.empty() ? static_cast<double>(g.n) : g.curve.n_risk.front();
  return c;
}

ArmResult arm_from_km(const KmGroup& g, const std::string& arm) {
  ArmResult a;
  a.arm = arm;
  a.n = static_cast<double>(g.n);
  a.events = g.events;
  double censored = 0;
  for (double c : g.curve.n_censor) censored += c;
  a.censored = censored;
  auto quantile = [&](double p) {
    for (const KmQuantile& q : g.quantiles)
      if (std::fabs(q.p - p) < 1e-12) return Estimate{q.estimate, q.lower, q.upper};
    return Estimate{};
  };
  a.median = Estimate{g.median.estimate, g.median.lower, g.median.upper};
  a.q25 = quantile(0.25);
  a.q75 = quantile(0.75);
  for (const KmLandmark& l : g.at) a.landmarks.push_back({l.surv, l.lower, l.upper});
  a.curve = plot_curve_from_km(g, arm);
  a.curve.median = a.median.value;
  return a;
}

}  // namespace hazard::report
