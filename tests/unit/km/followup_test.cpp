// km_followup: median follow-up by the reverse Kaplan–Meier method, against a hand-worked case and
// R 4.2.2 / survival 3.5-3 on lung (tests/reference/km/lung.csv):
//   quantile(survfit(Surv(time, 1 - (status == 2)) ~ sex, data = lung, conf.type = "log-log"), 0.5)
//     sex=1: 840 (806, NA); sex=2: 529 (376, 740)
//   quantile(survfit(Surv(time, 1 - (status == 2)) ~ 1, conf.type = "plain", conf.int = 0.9), 0.5)
//     588 (529, 821)
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "hazard/csv.hpp"
#include "hazard/km.hpp"
#include "hazard/survdata.hpp"

namespace {

hazard::SurvData lung(bool by_sex) {
  const hazard::Table t = hazard::read_csv(std::string(HAZARD_REFERENCE_DIR) + "/km/lung.csv",
                                           {.columns = {"time", "status", "sex"}});
  const hazard::Roles roles{.time = "time",
                            .event = "status",
                            .coding = hazard::EventCoding::equals,
                            .event_value = "2",
                            .group = by_sex ? "sex" : ""};
  return hazard::build_surv_data(t, roles);
}

}  // namespace

TEST(KmFollowup, HandWorked) {
  // Events at 2 and 6, censored at 4 and 8. Reversed: "events" (censorings) at 4 (3 at risk) and
  // 8 (1 at risk): S = 2/3 from 4, 0 from 8, so the median follow-up is 8.
  hazard::SurvData d;
  d.time = {4, 2, 8, 6};
  d.status = {0, 1, 0, 1};
  const auto fu = hazard::km_followup(d);
  ASSERT_EQ(fu.size(), 1u);
  EXPECT_EQ(fu[0].estimate, 8.0);
}

TEST(KmFollowup, LungAsR) {
  const auto fu = hazard::km_followup(lung(true));
  ASSERT_EQ(fu.size(), 2u);
  EXPECT_EQ(fu[0].estimate, 840);
  EXPECT_EQ(fu[0].lower, 806);
  EXPECT_TRUE(std::isnan(fu[0].upper));
  EXPECT_EQ(fu[1].estimate, 529);
  EXPECT_EQ(fu[1].lower, 376);
  EXPECT_EQ(fu[1].upper, 740);
  const auto all =
      hazard::km_followup(lung(false), {.conf_type = hazard::ConfType::plain, .conf_level = 0.9});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].estimate, 588);
  EXPECT_EQ(all[0].lower, 529);
  EXPECT_EQ(all[0].upper, 821);
}
