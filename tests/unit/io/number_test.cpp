// parse_number's fast path must give exactly what a correctly rounded conversion gives; the
// independent truth is std::from_chars (correctly rounded by the C++ standard).
#include "io/number.hpp"

#include <charconv>
#include <cmath>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <fmt/format.h>

using hazard::detail::parse_number;

namespace {
double truth(const std::string& s) {
  double x = 0;
  std::string_view v = s;
  if (!v.empty() && v.front() == '+') v.remove_prefix(1);
  std::from_chars(v.data(), v.data() + v.size(), x);
  return x;
}
}  // namespace

TEST(Number, FastPathIsCorrectlyRounded) {
  std::mt19937_64 g(42);
  for (int i = 0; i < 200000; ++i) {
    std::uint64_t m = g() % 100000000000ULL;
    int decimals = static_cast<int>(g() % 12);
    std::string digits = std::to_string(m);
    std::string s = decimals < static_cast<int>(digits.size())
                        ? digits.substr(0, digits.size() - decimals) + "." + digits.substr(digits.size() - decimals)
                        : "0." + std::string(decimals - digits.size(), '0') + digits;
    if (g() % 4 == 0) s += fmt::format("e{}", static_cast<int>(g() % 30) - 15);
    if (g() % 3 == 0) s = "-" + s;
    double x = 0;
    ASSERT_TRUE(parse_number(s, x)) << s;
    ASSERT_EQ(x, truth(s)) << s;
  }
}

TEST(Number, Forms) {
  double x = 0;
  EXPECT_TRUE(parse_number("+1.5", x));
  EXPECT_EQ(x, 1.5);
  EXPECT_TRUE(parse_number(" 2 ", x));
  EXPECT_EQ(x, 2.0);
  EXPECT_TRUE(parse_number(".5", x));
  EXPECT_EQ(x, 0.5);
  EXPECT_TRUE(parse_number("5.", x));
  EXPECT_EQ(x, 5.0);
  EXPECT_TRUE(parse_number("1e-300", x));
  EXPECT_EQ(x, 1e-300);
  EXPECT_TRUE(parse_number("123456789012345678901234", x));
  EXPECT_EQ(x, 123456789012345678901234.0);
  for (const char* bad : {"", "-", ".", "e5", "1e", "inf", "nan", "Inf", "1e999", "0x10", "1,5", "1.2.3", "abc"})
    EXPECT_FALSE(parse_number(bad, x)) << bad;
}
