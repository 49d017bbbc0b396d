// Nearly equal times are merged before a Cox fit, as coxph's default timefix = TRUE (R's aeqSurv:
// a time within sqrt(eps) of the previous distinct time, absolutely or relative to the mean
// absolute time, takes that time). Values from tests/reference/cox/make_timefix.R (R 4.2.2,
// survival 3.5-3): the data, then coef, se and loglik with timefix, and the loglik without it
// (which differs: a fit that did not merge the times fails the loglik check).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hazard/cox.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

using hazard::Ties;
using hazard::test::near_rel;

namespace {

const std::vector<double> kTime = {4.5,
                                   35.5,
                                   0.59999999999999998,
                                   21.5,
                                   12.800000000000001,
                                   4.7999999999999998,
                                   0.90000000000000002,
                                   6.9000000000000004,
                                   2.7999999999999998,
                                   1.2,
                                   4.5,
                                   4.7000000000000002,
                                   6.2000000000000002,
                                   6,
                                   14.4,
                                   7.4000000000000004,
                                   6.9000000000000004,
                                   0.5,
                                   5.5,
                                   7.2000000000000002,
                                   4.5000000000045004,
                                   35.500000070999995,
                                   0.599999999994,
                                   21.50000001075,
                                   12.800000000012801,
                                   4.8000000095999997,
                                   0.899999999991,
                                   6.9000000034500006,
                                   2.8000000000028002,
                                   1.2000000023999999,
                                   4.4999999999549996,
                                   4.7000000023500004,
                                   6.2000000000062006,
                                   6.0000000119999992,
                                   14.399999999856,
                                   7.4000000037000007,
                                   6.9000000000069006,
                                   0.50000000099999997,
                                   5.4999999999450004,
                                   7.2000000036000005};
const std::vector<std::uint8_t> kStatus = {1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1,
                                           1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
                                           0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1};
const std::vector<double> kX = {-0.82599999999999996,
                                0.089999999999999997,
                                -0.433,
                                -0.77100000000000002,
                                -0.0089999999999999993,
                                -0.71899999999999997,
                                -0.20399999999999999,
                                0.38200000000000001,
                                -0.754,
                                0.72099999999999997,
                                -0.058999999999999997,
                                -0.70899999999999996,
                                -0.86699999999999999,
                                -0.76200000000000001,
                                0.46000000000000002,
                                -0.23000000000000001,
                                -0.63100000000000001,
                                0.64500000000000002,
                                -1.0669999999999999,
                                -1.341,
                                0.92300000000000004,
                                -0.51600000000000001,
                                -0.129,
                                -0.68999999999999995,
                                -0.55500000000000005,
                                -0.95199999999999996,
                                -1.4610000000000001,
                                1.0640000000000001,
                                0.33400000000000002,
                                0.47299999999999998,
                                0.062,
                                -0.044999999999999998,
                                0.55100000000000005,
                                2.4750000000000001,
                                0.14699999999999999,
                                0.48999999999999999,
                                0.072999999999999995,
                                -0.437,
                                -0.51200000000000001,
                                0.72099999999999997};
const std::vector<std::int32_t> kStratum = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2,
                                            1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2,
                                            1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2};

struct Case {
  const char* name;
  Ties ties;
  bool strata;
  double coef, se, loglik, loglik_unmerged;
};

const Case kCases[] = {
    {"efron", Ties::efron, false, 0.10821048207628457, 0.24234721488952013, -96.22644835796865,
     -95.350203957338167},
    {"efron_strata", Ties::efron, true, 0.077194410264820476, 0.25934467697390717,
     -74.557444583938633, -73.581142442756274},
    {"breslow", Ties::breslow, false, 0.096630232033973876, 0.24186581361102794,
     -97.564698897234209, -95.384146833328302},
};

}  // namespace

TEST(CoxTimefix, NearlyEqualTimesMergedAsR) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    hazard::CoxData d{.time = kTime, .status = kStatus};
    if (c.strata) {
      d.stratum = kStratum;
      for (auto& s : d.stratum) s -= 1;
    }
    d.x.resize(static_cast<Eigen::Index>(kX.size()), 1);
    for (std::size_t i = 0; i < kX.size(); ++i) d.x(static_cast<Eigen::Index>(i), 0) = kX[i];
    const hazard::CoxResult r = hazard::cox_fit(d, {.ties = c.ties});
    EXPECT_TRUE(near_rel(r.coef[0], c.coef, hazard::tol::iterative));
    EXPECT_TRUE(near_rel(std::sqrt(r.var(0, 0)), c.se, hazard::tol::iterative));
    EXPECT_TRUE(near_rel(r.loglik, c.loglik, hazard::tol::iterative));
    EXPECT_GT(std::fabs(c.loglik - c.loglik_unmerged), 0.1);  // the merge matters for this data
  }
}
