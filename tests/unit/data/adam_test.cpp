// Time units (adam.hpp): the clinical convention of 7 days a week, 30.4375 days a month (365.25 /
// 12) and 365.25 days a year, as SAS/ADaM practice and R's time / 30.4375.
#include "hazard/adam.hpp"

#include <gtest/gtest.h>

#include <cmath>

using hazard::TimeUnit;

TEST(TimeUnits, DaysPerUnit) {
  EXPECT_EQ(hazard::days_per(TimeUnit::days), 1.0);
  EXPECT_EQ(hazard::days_per(TimeUnit::weeks), 7.0);
  EXPECT_EQ(hazard::days_per(TimeUnit::months), 30.4375);
  EXPECT_EQ(hazard::days_per(TimeUnit::years), 365.25);
}

TEST(TimeUnits, ParseAndName) {
  for (TimeUnit u : {TimeUnit::days, TimeUnit::weeks, TimeUnit::months, TimeUnit::years})
    EXPECT_EQ(hazard::parse_time_unit(hazard::time_unit_name(u)), u);
  EXPECT_FALSE(hazard::parse_time_unit("fortnights"));
  EXPECT_FALSE(hazard::parse_time_unit("Months"));
}

TEST(TimeUnits, Convert) {
  // days -> months is R's time / 30.4375 to the last bit; 12 months are a year.
  EXPECT_EQ(hazard::convert_time(1521, TimeUnit::days, TimeUnit::months), 1521 / 30.4375);
  EXPECT_EQ(hazard::convert_time(730.5, TimeUnit::days, TimeUnit::years), 2.0);
  EXPECT_EQ(hazard::convert_time(12, TimeUnit::months, TimeUnit::years), 1.0);
  EXPECT_EQ(hazard::convert_time(3, TimeUnit::weeks, TimeUnit::days), 21.0);
  EXPECT_EQ(hazard::convert_time(5, TimeUnit::months, TimeUnit::months), 5.0);
  EXPECT_TRUE(std::isnan(hazard::convert_time(std::nan(""), TimeUnit::days, TimeUnit::weeks)));
}

TEST(TimeUnits, ConvertColumn) {
  hazard::Table t;
  t.n_rows = 3;
  hazard::Column c;
  c.name = "T";
  c.numbers = {30.4375, std::nan(""), 0};
  t.columns.push_back(c);
  hazard::convert_time_column(t, "T", TimeUnit::days, TimeUnit::months);
  EXPECT_EQ(t.columns[0].numbers[0], 1.0);
  EXPECT_TRUE(std::isnan(t.columns[0].numbers[1]));
  EXPECT_EQ(t.columns[0].numbers[2], 0.0);
}
