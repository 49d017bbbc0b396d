// Messages (src/util/error.cpp): locations are formatted as documented in docs/exit-codes.md, and
// text from the data or a file name is printable — control characters and bytes that are not
// UTF-8 are escaped, never sent to the terminal. Expected strings are written out by hand.
#include "hazard/error.hpp"

#include <string>

#include <gtest/gtest.h>

using namespace hazard;

TEST(Printable, ControlCharactersAreEscaped) {
  EXPECT_EQ(printable("a\x1b[31mb"), "a\\x1B[31mb");                // ESC: a terminal colour sequence
  EXPECT_EQ(printable(std::string("x\0y\a", 4)), "x\\x00y\\x07");  // NUL, BEL
  EXPECT_EQ(printable("t\tn\nr\r\x7f"), "t\\tn\\nr\\r\\x7F");
  EXPECT_EQ(printable("c1 \xc2\x9b" "31m"), "c1 \\u009B31m");  // the one-byte CSI of C1, in UTF-8
}

TEST(Printable, ValidUtf8IsKeptAndInvalidBytesEscaped) {
  EXPECT_EQ(printable("Genève – 東京 😀"), "Genève – 東京 😀");
  EXPECT_EQ(printable("bad\xff" "name.csv"), "bad\\xFFname.csv");
  EXPECT_EQ(printable("Gen\xe8ve"), "Gen\\xE8ve");      // Latin-1 è
  EXPECT_EQ(printable("cut \xe6\x9d"), "cut \\xE6\\x9D");  // a character cut short
  EXPECT_EQ(printable("\xc0\xaf"), "\\xC0\\xAF");         // an overlong '/'
  const std::string once = printable("a\x1b\xff");
  EXPECT_EQ(printable(once), once);  // idempotent
  EXPECT_TRUE(is_utf8("Genève"));
  EXPECT_FALSE(is_utf8("\xff"));
}

TEST(FormatLocation, PartsArePrintable) {
  const Location where{.file = "bad\xff.csv", .line = 3, .column = "A\x1b", .value = std::string("x\0", 2),
                       .has_value = true};
  EXPECT_EQ(format_location(where), "bad\\xFF.csv:3: column 'A\\x1B': value 'x\\x00'");
  EXPECT_EQ(std::string(DataError(where, "bad").what()), "bad\\xFF.csv:3: column 'A\\x1B': value 'x\\x00': bad");
  // long values are cut at 80 characters, not inside a UTF-8 character
  EXPECT_EQ(format_location({.value = std::string(75, 'a') + "éééé", .has_value = true}),
            "<input>: value '" + std::string(75, 'a') + "é...'");  // 77 bytes end a character
  EXPECT_EQ(format_location({.value = std::string(76, 'a') + "éééé", .has_value = true}),
            "<input>: value '" + std::string(76, 'a') + "...'");  // byte 77 would cut the é in two
}
