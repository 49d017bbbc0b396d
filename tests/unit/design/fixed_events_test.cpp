// Fixed-design events: closed forms (Schoenfeld, Freedman, Hsieh) and the HR on a bound.
#include <cmath>

#include <gtest/gtest.h>

#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "test_util.hpp"

using hazard::EventMethod;
using hazard::fixed_events;
using hazard::test::near_rel;

namespace {

const double z = 1.959963984540054 + 1.2815515655446004;  // z_.975 + z_.9

TEST(FixedEvents, ClosedForms) {
  double l = std::log(0.7);
  EXPECT_TRUE(near_rel(fixed_events(EventMethod::schoenfeld, 0.7, 0.025, 0.1, 1), z * z * 4 / (l * l), 1e-13));
  EXPECT_TRUE(near_rel(fixed_events(EventMethod::schoenfeld, 0.7, 0.025, 0.1, 2), z * z * 4.5 / (l * l), 1e-13));
  EXPECT_TRUE(near_rel(fixed_events(EventMethod::freedman, 0.7, 0.025, 0.1, 1),
                       z * z * 1.7 * 1.7 / (0.3 * 0.3), 1e-13));
  EXPECT_TRUE(near_rel(fixed_events(EventMethod::freedman, 0.7, 0.025, 0.1, 2),
                       z * z * 2.4 * 2.4 / (0.3 * 0.3) / 2, 1e-13));
  EXPECT_TRUE(near_rel(fixed_events(EventMethod::hsieh, 0.7, 0.025, 0.1, 2),
                       z * z * 1.7 * 1.7 / (0.3 * 0.3) * 9 / 8, 1e-13));
  // Hsieh equals Freedman with equal allocation.
  EXPECT_TRUE(near_rel(fixed_events(EventMethod::hsieh, 0.6, 0.025, 0.2, 1),
                       fixed_events(EventMethod::freedman, 0.6, 0.025, 0.2, 1), 1e-14));
}

TEST(FixedEvents, UnequalAllocationMatchesRpact) {
  // rpact .getEventsFixed for Schoenfeld, Freedman and Hsieh at 1:2, 1:1, 2:1 and 3:1
  // (tests/reference/design/make_design_breadth.R, "allocation").
  auto ref = hazard::test::reference("design/breadth.json");
  ASSERT_GE(ref["allocation"].size(), 36u);
  for (const auto& c : ref["allocation"]) {
    SCOPED_TRACE(c["call"].get<std::string>());
    const std::string m = c["method"].get<std::string>();
    auto method = m == "Schoenfeld" ? EventMethod::schoenfeld
                  : m == "Freedman" ? EventMethod::freedman
                                    : EventMethod::hsieh;
    EXPECT_TRUE(
        near_rel(fixed_events(method, c["hr"].get<double>(), 0.025, 0.1, c["ratio"].get<double>()),
                 c["events"].get<double>(), 1e-13));
  }
}

TEST(FixedEvents, Margins) {
  // Non-inferiority: HR 1 against a margin 1.3 is Schoenfeld with log(1 / 1.3).
  double l = std::log(1.3);
  EXPECT_TRUE(near_rel(fixed_events(EventMethod::schoenfeld, 1.0, 0.025, 0.1, 1, 1.3),
                       z * z * 4 / (l * l), 1e-13));
  EXPECT_THROW(fixed_events(EventMethod::freedman, 1.0, 0.025, 0.1, 1, 1.3), hazard::UsageError);
  EXPECT_THROW(fixed_events(EventMethod::schoenfeld, 1.3, 0.025, 0.1, 1, 1.3), hazard::UsageError);
}

TEST(FixedEvents, HazardRatioOnTheBound) {
  EXPECT_TRUE(near_rel(hazard::hr_at_boundary(1.96, 100, 1), std::exp(-1.96 * 2 / 10), 1e-15));
  EXPECT_TRUE(near_rel(hazard::hr_at_boundary(1.96, 100, 1, false), std::exp(1.96 * 2 / 10), 1e-15));
}

TEST(FixedEvents, RejectsBadInput) {
  EXPECT_THROW(fixed_events(EventMethod::schoenfeld, 1.0, 0.025, 0.1, 1), hazard::UsageError);
  EXPECT_THROW(fixed_events(EventMethod::schoenfeld, 0.7, 0.025, 0.1, 0), hazard::UsageError);
  EXPECT_THROW(hazard::parse_event_method("lakatos"), hazard::UsageError);
}

}  // namespace
