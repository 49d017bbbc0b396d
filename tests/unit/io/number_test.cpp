// parse_number (fast_float) must give exactly what a correctly rounded conversion gives; the
// independent truth is glibc's strtod in the C locale (correctly rounded, and not fast_float,
// which libstdc++'s own from_chars is built on).
#include "io/number.hpp"

#include <cstdlib>
#include <cmath>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <fmt/format.h>

using hazard::detail::parse_number;

namespace {
double truth(const std::string& s) {
  return std::strtod(s.c_str(), nullptr);
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
  for (const char* bad : {"", "-", ".", "e5", "1e", "inf", "nan", "Inf", "1e999", "0x10", "1,5", "1.2.3", "abc", "+", "+-1",
                          "++1", "-+1", " + 1", "1 2", "infinity", "NaN", "1e+", "1d5"})
    EXPECT_FALSE(parse_number(bad, x)) << bad;
}

// Values whose rounding is hard (halfway and near-halfway cases, more than 19 significant digits,
// the subnormal boundary) and an underflow: R's as.numeric("1e-400") is 0, as strtod's.
TEST(Number, HardCasesAsStrtod) {
  double x = 0;
  for (const char* s : {"2.2250738585072011e-308", "2.2250738585072012e-308", "4.9406564584124654e-324",
                        "9007199254740993", "9007199254740992.9999999999999999999", "0.1000000000000000055511151231257827",
                        "1.7976931348623157e308", "7.038531e-26", "123456789012345678901234567890e-20",
                        "1e-400", "-0", "0.000000000000000000000000000001e30"}) {
    ASSERT_TRUE(parse_number(s, x)) << s;
    EXPECT_EQ(x, truth(s)) << s;
  }
  EXPECT_TRUE(parse_number("1e-400", x));
  EXPECT_EQ(x, 0.0);
}
