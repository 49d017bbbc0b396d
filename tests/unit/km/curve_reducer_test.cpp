// KmCurveReducer: the rows of a KM curve that the summaries read. A hand-worked curve (which rows
// are kept, and findq's answers on them worked by hand), then random data sets on which the
// summaries of the reduced curve, and kaplan_meier without the curve, equal those of the whole
// curve to the bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "hazard/km.hpp"
#include "km/km_detail.hpp"

namespace {

using hazard::KmCurve;
using hazard::detail::KmCurveReducer;
using hazard::detail::KmSummaryNeeds;

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// Six rows: S flat at 0.4 from time 4 on, the lower limit exactly 0.5 at time 3 and undefined at
// time 6, the upper limit exactly 0.5 from time 4 to the end.
KmCurve hand_curve() {
  KmCurve c;
  const double nan = std::nan("");
  c.time = {1, 2, 3, 4, 5, 6};
  c.n_risk = {10, 8, 7, 5, 3, 1};
  c.n_event = {2, 0, 1, 1, 0, 0};
  c.n_censor = {0, 1, 1, 1, 2, 1};
  c.surv = {0.8, 0.8, 0.6, 0.4, 0.4, 0.4};
  c.se_log = c.std_err = c.cumhaz = {0.1, 0.1, 0.2, 0.3, 0.3, 0.3};
  c.lower = {0.7, 0.7, 0.5, 0.3, 0.3, nan};
  c.upper = {0.9, 0.9, 0.7, 0.5, 0.5, 0.5};
  return c;
}

KmCurve reduce(const KmCurve& c, const KmSummaryNeeds& needs, bool* exact = nullptr) {
  KmCurveReducer r(needs);
  for (std::size_t i = 0; i < c.size(); ++i) r.add(hazard::detail::row_of(c, i));
  if (exact) *exact = r.exact();
  EXPECT_EQ(r.rows(), c.size());
  return r.finish();
}

TEST(KmCurveReducer, KeepsTheRowsTheMedianReadsOnAHandWorkedCurve) {
  const KmCurve c = hand_curve();
  bool exact = false;
  const KmCurve r = reduce(c, {.probs = {0.5}}, &exact);
  EXPECT_TRUE(exact);
  // median: S first <= 0.5 at time 4; lower band: 1 - lower reaches 0.5 (within tol) at time 3
  // and passes it at 4; the first NaN at 6; upper: 0.5 from time 4 to the last time 6
  EXPECT_EQ(r.time, (std::vector<double>{3, 4, 6}));
  EXPECT_EQ(r.n_risk, (std::vector<double>{7, 5, 1}));
  // findq by hand: estimate 4; lower: flat exactly at 0.5 from 3 to 4, the midpoint 3.5; upper:
  // y = 0.5 is the last value, so the midpoint of 4 and the last time 6
  for (const KmCurve* curve : {&c, &r}) {
    const hazard::KmQuantile q = hazard::km_quantile(*curve, 0.5);
    EXPECT_EQ(q.estimate, 4.0);
    EXPECT_EQ(q.lower, 3.5);
    EXPECT_EQ(q.upper, 5.0);
  }
}

TEST(KmCurveReducer, KeepsTheRowsAroundLandmarksAndUpToTau) {
  const KmCurve c = hand_curve();
  // landmark 1.5: the last row <= 1.5 (time 1) and the first >= 1.5 (time 2); tau 2.5: rows 1, 2
  const KmCurve r = reduce(c, {.probs = {0.5}, .times = {1.5}, .tau = 2.5});
  EXPECT_EQ(r.time, (std::vector<double>{1, 2, 3, 4, 6}));
  const KmCurve only = reduce(c, {.probs = {}, .times = {4, 10}});
  // landmark 4: time 4 (the last row <= 4 and the first >= 4); 10: past the end (the last row,
  // time 6, also the lower band's first NaN); every band's last value starts at time 4
  EXPECT_EQ(only.time, (std::vector<double>{4, 6}));
  for (const auto& [t, reduced] :
       {std::pair{1.5, &r}, std::pair{4.0, &only}, std::pair{10.0, &only}}) {
    const hazard::KmLandmark a = hazard::km_landmark(c, t), b = hazard::km_landmark(*reduced, t);
    EXPECT_TRUE(same(a.n_risk, b.n_risk) && same(a.surv, b.surv) && same(a.std_err, b.std_err) &&
                same(a.lower, b.lower) && same(a.upper, b.upper))
        << t;
  }
  // by hand: at 1.5, S of time 1 and the risk set of time 2; at 10, S of time 6, none at risk
  EXPECT_EQ(hazard::km_landmark(r, 1.5).n_risk, 8.0);
  EXPECT_EQ(hazard::km_landmark(r, 1.5).surv, 0.8);
  EXPECT_EQ(hazard::km_landmark(only, 10).n_risk, 0.0);
  EXPECT_EQ(hazard::km_landmark(only, 10).surv, 0.4);
  const hazard::Rmst x = hazard::km_rmst(c, 2.5), y = hazard::km_rmst(r, 2.5);
  EXPECT_DOUBLE_EQ(x.estimate, 1 + 0.8 * 1.5);  // area: 1 to time 1, then 0.8 to 2.5
  EXPECT_EQ(x.estimate, y.estimate);
  EXPECT_EQ(x.std_err, y.std_err);
}

TEST(KmCurveReducer, KeepsWhatFindqReadsOfABandWithAHole) {
  // A lower band undefined in the middle and at 0.5 on both sides: 1 - lower = 0.5 - 1e-9, 0.5,
  // NaN, 0.5. findq by hand (p = 0.5): the first y + tol >= p is at time 1, no y - tol >= p; the
  // last point kept after dropping repeats is the NaN (the second 0.5 repeats the first), so no
  // midpoint with the last time: NaN. Keeping only the crossing and the last row would give the
  // midpoint of times 1 and 4 (2.5): the reduced curve needs the first NaN and the first 0.5.
  KmCurve c;
  c.time = {1, 2, 3, 4};
  c.n_risk = {4, 3, 2, 1};
  c.n_event = c.n_censor = {1, 0, 0, 0};
  c.surv = {0.9, 0.9, 0.9, 0.9};
  c.se_log = c.std_err = c.cumhaz = {0.1, 0.1, 0.1, 0.1};
  c.lower = {0.5 + 1e-9, 0.5, std::nan(""), 0.5};
  c.upper = {1, 1, 1, 1};
  bool exact = false;
  const KmCurve r = reduce(c, {.probs = {0.5}}, &exact);
  EXPECT_TRUE(exact);
  EXPECT_EQ(r.time, (std::vector<double>{1, 2, 3, 4}));
  EXPECT_TRUE(std::isnan(hazard::km_quantile(c, 0.5).lower));
  EXPECT_TRUE(std::isnan(hazard::km_quantile(r, 0.5).lower));
}

TEST(KmCurveReducer, ReportsABandThatFalls) {
  KmCurve c = hand_curve();
  c.upper = {0.9, 0.95, 0.7, 0.5, 0.5, 0.5};  // 1 - upper falls from 0.1 to 0.05
  bool exact = true;
  reduce(c, {.probs = {0.5}}, &exact);
  EXPECT_FALSE(exact);
}

// A curve reduced in two parts cut at row `cut` (the later part's reducer made with later_part)
// and joined.
hazard::detail::ReducedCurve reduce_in_parts(const KmCurve& c, std::size_t cut,
                                             const KmSummaryNeeds& needs) {
  KmCurveReducer a(needs), b(needs, true);
  for (std::size_t i = 0; i < c.size(); ++i) (i < cut ? a : b).add(hazard::detail::row_of(c, i));
  const hazard::detail::ReducedCurve ra = hazard::detail::finish_reduced(a),
                                     rb = hazard::detail::finish_reduced(b);
  return hazard::detail::join_reduced_parts(ra, rb, needs);
}

// A band that falls only across the cut: each part alone is monotone; the joined rows are not.
// 1 - upper: 0.1, 0.1 | 0.05, 0.2, 0.2, 0.2 (falls between rows 1 and 2, then rises above 0.1:
// only the later part's first value shows the fall), and the same with the later part's first
// row undefined (its first non-NaN row, time 4, shows it).
TEST(KmCurveReducer, PartsJoinedSeeABandThatFallsAcrossTheCut) {
  // S and its lower limit below 0.5 of 1 - S (no threshold of the median keeps a row)
  KmCurve c = hand_curve();
  c.surv = {0.95, 0.9, 0.85, 0.8, 0.75, 0.7};
  c.lower = {0.9, 0.85, 0.8, 0.75, 0.7, 0.65};
  c.upper = {0.9, 0.9, 0.95, 0.8, 0.8, 0.8};
  for (std::size_t cut = 0; cut <= c.size(); ++cut) {
    bool exact = true;
    reduce(c, {.probs = {0.5}}, &exact);
    EXPECT_FALSE(exact);
    EXPECT_FALSE(reduce_in_parts(c, cut, {.probs = {0.5}}).exact) << "cut " << cut;
  }
  c.upper = {0.9, 0.9, std::nan(""), 0.95, 0.8, 0.8};
  EXPECT_FALSE(reduce_in_parts(c, 2, {.probs = {0.5}}).exact);
  const KmCurve fine = hand_curve();
  for (std::size_t cut = 0; cut <= fine.size(); ++cut) {
    const hazard::detail::ReducedCurve r = reduce_in_parts(fine, cut, {.probs = {0.5}});
    EXPECT_TRUE(r.exact);
    EXPECT_EQ(r.rows, fine.size());
    EXPECT_EQ(r.events, 4.0);
    const hazard::KmQuantile q = hazard::km_quantile(r.curve, 0.5);
    EXPECT_EQ(q.estimate, 4.0);
    EXPECT_EQ(q.lower, 3.5);
    EXPECT_EQ(q.upper, 5.0);
  }
}

// Random data: ties, censoring, events at the last time (S reaches 0, undefined limits), case
// weights (whole and not: robust variance), every conf type, quantiles 0 and 1, landmarks before,
// within and after the times, and tau.
TEST(KmCurveReducer, SummariesOfTheReducedCurveAreThoseOfTheWholeOne) {
  std::mt19937_64 rng(20261206);
  std::size_t exact_cases = 0, inexact_cases = 0;
  for (int rep = 0; rep < 400; ++rep) {
    const std::size_t n = 1 + rng() % 60;
    hazard::SurvData d;
    const bool weighted = rng() % 3 == 0, whole_weights = rng() % 2 == 0;
    const int levels = 1 + static_cast<int>(rng() % 3);
    for (std::size_t i = 0; i < n; ++i) {
      d.time.push_back(static_cast<double>(rng() % (1 + n / 2)) / 4);
      d.status.push_back(static_cast<std::uint8_t>(rng() % 3 != 0));
      if (weighted)
        d.weight.push_back(whole_weights ? static_cast<double>(1 + rng() % 3)
                                         : 0.25 + static_cast<double>(rng() % 100) / 37);
      if (levels > 1) d.group.push_back(static_cast<std::int32_t>(rng() % levels));
    }
    if (levels > 1)
      for (int l = 0; l < levels; ++l) d.group_levels.push_back("g" + std::to_string(l));
    hazard::KmOptions o;
    o.conf_type = static_cast<hazard::ConfType>(rng() % 3);
    o.quantiles = {0, 0.1, 0.25, 0.5, 1, static_cast<double>(rng() % 101) / 100};
    o.times = {0, static_cast<double>(rng() % 40) / 4, static_cast<double>(n)};
    if (rng() % 2) o.rmst_tau = 0.5 + static_cast<double>(rng() % 40) / 4;
    if (rng() % 3 == 0) o.robust = true;
    SCOPED_TRACE("rep " + std::to_string(rep));

    // the reducer on each whole curve
    const hazard::KmResult whole = hazard::kaplan_meier(d, o);
    std::vector<double> probs = o.quantiles;
    probs.push_back(0.5);
    std::vector<double> times = o.times;
    std::sort(times.begin(), times.end());
    for (const hazard::KmGroup& g : whole.groups) {
      bool exact = false;
      const KmCurve r =
          reduce(g.curve, {.probs = probs, .times = times, .tau = o.rmst_tau}, &exact);
      (exact ? exact_cases : inexact_cases) += 1;
      // cut in two parts at every row and joined: exact as the whole, and the same summaries
      const KmSummaryNeeds needs{.probs = probs, .times = times, .tau = o.rmst_tau};
      for (std::size_t cut = 0; cut <= g.curve.size(); ++cut) {
        const hazard::detail::ReducedCurve p = reduce_in_parts(g.curve, cut, needs);
        EXPECT_EQ(p.exact, exact) << "cut " << cut;
        EXPECT_EQ(p.rows, g.curve.size());
        if (!exact || !p.exact) continue;
        const auto a = hazard::km_quantiles(g.curve, probs),
                   b = hazard::km_quantiles(p.curve, probs);
        for (std::size_t k = 0; k < a.size(); ++k)
          EXPECT_TRUE(same(a[k].estimate, b[k].estimate) && same(a[k].lower, b[k].lower) &&
                      same(a[k].upper, b[k].upper))
              << "cut " << cut << " p = " << probs[k];
        for (double t : times) {
          const hazard::KmLandmark x = hazard::km_landmark(g.curve, t),
                                   y = hazard::km_landmark(p.curve, t);
          EXPECT_TRUE(same(x.n_risk, y.n_risk) && same(x.surv, y.surv) &&
                      same(x.std_err, y.std_err) && same(x.lower, y.lower) &&
                      same(x.upper, y.upper))
              << "cut " << cut << " t = " << t;
        }
        if (o.rmst_tau) {
          const hazard::Rmst x = hazard::km_rmst(g.curve, *o.rmst_tau),
                             y = hazard::km_rmst(p.curve, *o.rmst_tau);
          EXPECT_TRUE(same(x.estimate, y.estimate) && same(x.std_err, y.std_err)) << "cut " << cut;
        }
      }
      if (!exact) continue;
      const auto a = hazard::km_quantiles(g.curve, probs), b = hazard::km_quantiles(r, probs);
      for (std::size_t k = 0; k < a.size(); ++k)
        EXPECT_TRUE(same(a[k].estimate, b[k].estimate) && same(a[k].lower, b[k].lower) &&
                    same(a[k].upper, b[k].upper))
            << "p = " << probs[k];
      for (double t : times) {
        const hazard::KmLandmark x = hazard::km_landmark(g.curve, t), y = hazard::km_landmark(r, t);
        EXPECT_TRUE(same(x.n_risk, y.n_risk) && same(x.surv, y.surv) &&
                    same(x.std_err, y.std_err) && same(x.lower, y.lower) && same(x.upper, y.upper))
            << "t = " << t;
      }
      if (o.rmst_tau) {
        const hazard::Rmst x = hazard::km_rmst(g.curve, *o.rmst_tau),
                           y = hazard::km_rmst(r, *o.rmst_tau);
        EXPECT_TRUE(same(x.estimate, y.estimate) && same(x.std_err, y.std_err));
      }
    }

    // kaplan_meier without the curve (streamed rows, or the whole curve when a band falls)
    o.keep_curve = false;
    const hazard::KmResult lean = hazard::kaplan_meier(d, o);
    ASSERT_EQ(lean.groups.size(), whole.groups.size());
    for (std::size_t g = 0; g < lean.groups.size(); ++g) {
      const hazard::KmGroup &a = whole.groups[g], &b = lean.groups[g];
      EXPECT_EQ(b.curve.size(), 0u);
      EXPECT_EQ(b.curve_rows, a.curve.size());
      EXPECT_EQ(a.curve_rows, a.curve.size());
      EXPECT_EQ(a.events, b.events);
      EXPECT_EQ(a.n, b.n);
      for (std::size_t k = 0; k < a.quantiles.size(); ++k)
        EXPECT_TRUE(same(a.quantiles[k].estimate, b.quantiles[k].estimate) &&
                    same(a.quantiles[k].lower, b.quantiles[k].lower) &&
                    same(a.quantiles[k].upper, b.quantiles[k].upper));
      EXPECT_TRUE(same(a.median.estimate, b.median.estimate) &&
                  same(a.median.lower, b.median.lower) && same(a.median.upper, b.median.upper));
      for (std::size_t k = 0; k < a.at.size(); ++k)
        EXPECT_TRUE(same(a.at[k].n_risk, b.at[k].n_risk) && same(a.at[k].surv, b.at[k].surv) &&
                    same(a.at[k].std_err, b.at[k].std_err) && same(a.at[k].lower, b.at[k].lower) &&
                    same(a.at[k].upper, b.at[k].upper));
      if (a.rmst) {
        EXPECT_TRUE(same(a.rmst->estimate, b.rmst->estimate) &&
                    same(a.rmst->std_err, b.rmst->std_err));
      }
    }
  }
  // both paths were taken
  EXPECT_GT(exact_cases, 100u);
  EXPECT_GT(inexact_cases, 0u);
}

}  // namespace
