// Spending functions: closed forms, and rpact's first-look alpha (which is the spending value at
// the first information fraction: tests/reference/design/boundaries.json).
#include <cmath>

#include <gtest/gtest.h>

#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "test_util.hpp"
#include "tolerances.hpp"

using hazard::parse_spending;
using hazard::spending_value;
using hazard::test::near_rel;

namespace {

TEST(Spending, SpendsAllAlphaAtTheEnd) {
  for (const char* s : {"obf", "pocock", "hsd:-4", "hsd:0", "hsd:2", "kd:1", "kd:3"}) {
    EXPECT_TRUE(near_rel(spending_value(parse_spending(s), 0.025, 1.0), 0.025, 1e-14)) << s;
    EXPECT_EQ(spending_value(parse_spending(s), 0.025, 0.0), 0.0) << s;
  }
}

TEST(Spending, ClosedForms) {
  const double a = 0.025;
  EXPECT_TRUE(near_rel(spending_value(parse_spending("pocock"), a, 0.5),
                       a * std::log(1 + (std::exp(1.0) - 1) * 0.5), 1e-15));
  EXPECT_TRUE(near_rel(spending_value(parse_spending("hsd:-4"), a, 0.5),
                       a * (1 - std::exp(2.0)) / (1 - std::exp(4.0)), 1e-14));
  EXPECT_TRUE(near_rel(spending_value(parse_spending("hsd:0"), a, 0.3), a * 0.3, 1e-15));
  EXPECT_TRUE(near_rel(spending_value(parse_spending("kd:2"), a, 0.5), a / 4, 1e-15));
  // O'Brien–Fleming type at t = 1/4: 2 (1 - Phi(2 z_{1 - a/2})), z_{0.9875} = 2.241402727604947.
  EXPECT_TRUE(near_rel(spending_value(parse_spending("obf"), a, 0.25),
                       std::erfc(2 * 2.241402727604947 / std::sqrt(2.0)), 1e-12));
}

TEST(Spending, FirstLookAlphaMatchesRpact) {
  auto ref = hazard::test::reference("design/boundaries.json");
  int n = 0;
  for (const auto& c : ref["cases"]) {
    auto s = parse_spending(c["spending"].get<std::string>());
    if (s.type == hazard::SpendingType::haybittle_peto || c["binding"].get<bool>() ||
        !c["info"].is_array()) {
      continue;
    }
    double t1 = c["info"][0].get<double>();
    double spent = c["alpha_spent"][0].get<double>();
    EXPECT_TRUE(near_rel(spending_value(s, c["alpha"].get<double>(), t1), spent, 1e-10))
        << c["call"].get<std::string>();
    ++n;
  }
  EXPECT_GT(n, 10);
}

TEST(Spending, NamesRoundTrip) {
  for (const char* s : {"obf", "pocock", "hsd:-4", "kd:3", "hp:0.001"}) {
    EXPECT_EQ(hazard::spending_name(parse_spending(s)), s);
  }
  EXPECT_THROW(parse_spending("kd:0"), hazard::UsageError);
  EXPECT_THROW(parse_spending("hsd:x"), hazard::UsageError);
  EXPECT_THROW(spending_value(parse_spending("hp:0.001"), 0.025, 0.5), std::logic_error);
}

}  // namespace
