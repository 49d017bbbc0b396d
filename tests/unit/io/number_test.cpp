// parse_number (fast_float) must give exactly what a correctly rounded conversion gives; the
// independent truth is glibc's strtod in the C locale (correctly rounded, and not fast_float,
// which libstdc++'s own from_chars is built on).
#include "io/number.hpp"

#include <cstdlib>
#include <cstring>
#include <vector>
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

// The plain-decimal fast path (digits, an optional fraction, an optional '-') around its limits:
// the integer of all digits near 2^53 and 10^19, 22 and 23 digits after the point, leading zeros,
// negative zero; and random plain decimals of 1 to 20 digits. Bit for bit as strtod (the sign of
// zero included).
TEST(Number, PlainDecimalsAsStrtod) {
  auto same_bits = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
  std::vector<std::string> cases = {"9007199254740992", "9007199254740993", "9007199254740991",
                                    "900719925474099.3", "9007199254.740993", "0.9007199254740993",
                                    "9999999999999999999", "99999999999999999999", "1844674407370955.1615",
                                    "0.0000000000000000000001", "0.00000000000000000000001", "1.0000000000000000000001",
                                    "0000.0001", "00", "-0", "-0.0", "0.0", "-0.000", "123456789.123456789", "5", "-7"};
  std::mt19937_64 g(7);
  for (int i = 0; i < 200000; ++i) {
    const int n = 1 + static_cast<int>(g() % 20);
    std::string digits;
    for (int k = 0; k < n; ++k) digits += static_cast<char>('0' + g() % 10);
    const int point = static_cast<int>(g() % static_cast<std::uint64_t>(n + 1));  // digits after the point
    std::string s = point == 0 ? digits : digits.substr(0, static_cast<std::size_t>(n - point)) + "." +
                                              digits.substr(static_cast<std::size_t>(n - point));
    if (s.front() == '.') s = "0" + s;
    if (g() % 2) s = "-" + s;
    cases.push_back(s);
  }
  for (const auto& s : cases) {
    double x = 1;
    ASSERT_TRUE(parse_number(s, x)) << s;
    ASSERT_TRUE(same_bits(x, truth(s))) << s << ": " << fmt::format("{}", x) << " vs " << fmt::format("{}", truth(s));
  }
}

// The word step of the fast path (a fraction of <= 8 digits ending a field of >= 8 bytes): every
// byte of the word that is not a digit, wherever it is, makes the field something other than a
// plain decimal (parse_number then asks fast_float, which rejects these too), and a byte before
// the fraction is never read as part of it.
TEST(Number, WordStepRejectsAnyNonDigitInTheFraction) {
  double x = 0;
  for (const std::string base :
       {"-1.903011", "12.34567", "1234567.8", "-0.12345678", "123.45678901"}) {
    ASSERT_TRUE(hazard::detail::parse_plain_decimal(base.data(), base.data() + base.size(), x))
        << base;
    EXPECT_EQ(x, truth(base)) << base;
    const std::size_t point = base.find('.');
    for (std::size_t i = point + 1; i < base.size(); ++i)
      for (const char c : {'/', ':', ' ', '.', 'e', 'a', '\x80', '\0', '+', '-'}) {
        std::string s = base;
        s[i] = c;
        if (c == 'e' && i + 1 < s.size())
          continue;  // "1.9e3011": a number (an exponent) for fast_float
        if (c == ' ' && i + 1 == s.size()) continue;  // a trailing space is trimmed
        double y = 7;
        EXPECT_FALSE(parse_number(s, y) && y == truth(base)) << s;
        EXPECT_FALSE(hazard::detail::parse_plain_decimal(s.data(), s.data() + s.size(), y)) << s;
      }
  }
}
