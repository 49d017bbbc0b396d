// The lognormal family (src/parametric/lognormal.cpp): fits against survreg and the analytic derivatives of
// log f and log S.
#include <gtest/gtest.h>

#include "parametric_fixture.hpp"

namespace {

using namespace hazard;

TEST(Family_lognormal, AgreesWithSurvreg) { test::check_survreg_cases("lognormal"); }

TEST(Family_lognormal, DerivativesAreAnalytic) {
  const auto fam = detail::parametric::make_lognormal();
  const int m = fam->m();
  for (double t : {0.01, 0.7, 3.0, 40.0})
    for (auto th : std::vector<std::vector<double>>{{0.3, 1.1}, {-0.7, 2.0}, {1.2, -0.4}}) {
      th.resize(static_cast<std::size_t>(m));
      test::check_derivatives(*fam, th, t, true, "log f");
      test::check_derivatives(*fam, th, t, false, "log S");
    }
}

}  // namespace
