// Newcombe (1998) hybrid score interval for a difference of two independent proportions, method
// 10 of R. G. Newcombe, "Interval estimation for the difference between independent proportions:
// comparison of eleven methods", Statistics in Medicine 17:873-890 (1998). With d = p1 - p0 and
// the Wilson score limits (l1, u1) of p1 and (l0, u0) of p0 (wilson.cpp, no continuity
// correction):
//   lower = d - sqrt((p1 - l1)^2 + (u0 - p0)^2)
//   upper = d + sqrt((u1 - p1)^2 + (p0 - l0)^2).
// p1 is the experimental arm, p0 the reference. Input: x1 <= n1, x0 <= n0; NaN when an arm is
// empty. The interval has no standard error (std_err is NaN).
#include <cmath>
#include <limits>

#include "hazard/response.hpp"
#include "response/detail.hpp"

namespace hazard {

DifferenceCi newcombe_difference(const TwoByTwo& t, double conf_level) {
  detail::check_conf_level(conf_level);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  detail::check_count(t.x1, t.n1, "newcombe_difference");
  detail::check_count(t.x0, t.n0, "newcombe_difference");
  if (t.n1 == 0 || t.n0 == 0) return {nan, nan, nan, nan};
  const ProportionCi a = wilson(t.x1, t.n1, conf_level);
  const ProportionCi b = wilson(t.x0, t.n0, conf_level);
  DifferenceCi r;
  r.estimate = a.estimate - b.estimate;
  r.std_err = nan;
  r.lower = r.estimate - std::hypot(a.estimate - a.lower, b.upper - b.estimate);
  r.upper = r.estimate + std::hypot(a.upper - a.estimate, b.estimate - b.lower);
  return r;
}

}  // namespace hazard
