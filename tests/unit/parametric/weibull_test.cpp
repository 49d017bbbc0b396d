// The Weibull family (src/parametric/weibull.cpp): fits against survreg, the PH form, and the
// analytic derivatives of log f and log S.
#include <gtest/gtest.h>

#include "parametric_fixture.hpp"

namespace {

using namespace hazard;

TEST(Weibull, AgreesWithSurvreg) { test::check_survreg_cases("weibull"); }

TEST(Weibull, DerivativesAreAnalytic) {
  const auto fam = detail::parametric::make_weibull();
  for (double t : {0.01, 0.7, 3.0, 40.0})
    for (auto th : std::vector<std::vector<double>>{{0.3, 1.1}, {-0.7, 2.0}, {1.2, -0.4}}) {
      test::check_derivatives(*fam, th, t, true, "log f");
      test::check_derivatives(*fam, th, t, false, "log S");
    }
}

}  // namespace
