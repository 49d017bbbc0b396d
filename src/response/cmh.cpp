// Cochran–Mantel–Haenszel test and Mantel–Haenszel common odds ratio of 2 x 2 x K tables, as R
// mantelhaen.test(x, exact = FALSE) (stats package, R 4.2.2). In stratum h the table is
//               responder   non-responder
//   experimental    a           b           (a = x1h, b = n1h - x1h)
//   reference       c           d           (c = x0h, d = n0h - x0h),   n = a + b + c + d.
// Test (Mantel & Haenszel 1959): with m1 = a + c, m0 = b + d,
//   DELTA = sum(a - n1h m1 / n),  V = sum(n1h n0h m1 m0 / (n^2 (n - 1)))
//   chisq = (|DELTA| - c)^2 / V on 1 df,  c = 0 (as SAS PROC FREQ CMH), and for chisq_corrected
//   c = 0.5 when |DELTA| >= 0.5 (R's default correct = TRUE), else 0.
// Odds ratio: OR_MH = sum(a d / n) / sum(b c / n), CI OR_MH exp(-/+ z sd) with the
// Robins–Breslow–Greenland (1986) variance of log OR_MH, as mantelhaen.test:
//   R = sum(a d / n), S = sum(b c / n),
//   sd^2 = sum((a + d) a d / n^2) / (2 R^2) + sum(((a + d) b c + (b + c) a d) / n^2) / (2 R S)
//        + sum((b + c) b c / n^2) / (2 S^2).
// A stratum with fewer than 2 subjects has no variance (n - 1 = 0; R refuses such strata): it is
// left out and counted. Values that are not defined (V = 0, S = 0) are NaN or infinite, as in R.
#include <cmath>

#include "hazard/response.hpp"
#include "response/detail.hpp"

namespace hazard {

CmhTest cmh_test(std::span<const TwoByTwo> strata, double conf_level) {
  const double z = detail::z_two_sided(conf_level);
  CmhTest r;
  double delta = 0, var = 0, sr = 0, ss = 0, t1 = 0, t2 = 0, t3 = 0;
  for (const TwoByTwo& t : strata) {
    detail::check_count(t.x1, t.n1, "cmh_test");
    detail::check_count(t.x0, t.n0, "cmh_test");
    if (t.n1 + t.n0 < 2) {
      ++r.strata_dropped;
      continue;
    }
    ++r.strata_used;
    const double a = static_cast<double>(t.x1), b = static_cast<double>(t.n1 - t.x1);
    const double c = static_cast<double>(t.x0), d = static_cast<double>(t.n0 - t.x0);
    const double n1 = a + b, n0 = c + d, m1 = a + c, m0 = b + d, n = n1 + n0;
    delta += a - n1 * m1 / n;
    var += n1 * n0 * m1 * m0 / (n * n * (n - 1));
    sr += a * d / n;
    ss += b * c / n;
    t1 += (a + d) * a * d / (n * n);
    t2 += ((a + d) * b * c + (b + c) * a * d) / (n * n);
    t3 += (b + c) * b * c / (n * n);
  }
  // P(chi-square_1 > x) = erfc(sqrt(x / 2)).
  auto upper_tail = [](double x) { return std::erfc(std::sqrt(x / 2)); };
  r.chisq = delta * delta / var;
  r.p = upper_tail(r.chisq);
  const double yates = std::fabs(delta) >= 0.5 ? 0.5 : 0.0;
  r.chisq_corrected = (std::fabs(delta) - yates) * (std::fabs(delta) - yates) / var;
  r.p_corrected = upper_tail(r.chisq_corrected);
  r.odds_ratio = sr / ss;
  const double sd = std::sqrt(t1 / (2 * sr * sr) + t2 / (2 * sr * ss) + t3 / (2 * ss * ss));
  r.or_lower = r.odds_ratio * std::exp(-z * sd);
  r.or_upper = r.odds_ratio * std::exp(z * sd);
  return r;
}

}  // namespace hazard
