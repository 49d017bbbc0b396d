// find_invalid_utf8: the first byte that is not UTF-8 (or a NUL) at every position of a longer
// text, so that its fast paths (64 bytes with SSE2, words of 32 and 8 bytes) and the byte path all
// meet it, in the first or a later block, and after a valid character that ends the 64-byte path.
#include "io/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(FindInvalidUtf8, FirstBadByteAtEveryPosition) {
  const std::string ascii(200, 'a');
  EXPECT_EQ(hazard::detail::find_invalid_utf8(ascii), std::string::npos);
  for (std::size_t k = 0; k < ascii.size(); ++k) {
    for (const char bad : {'\xff', '\0', '\x80'}) {
      std::string s = ascii;
      s[k] = bad;
      EXPECT_EQ(hazard::detail::find_invalid_utf8(s), k) << "position " << k;
    }
    // a truncated two-byte sequence (lead byte, then ASCII)
    std::string t = ascii;
    t[k] = '\xc3';
    EXPECT_EQ(hazard::detail::find_invalid_utf8(t), k) << "position " << k;
    // a valid two-byte character ('é') is accepted anywhere
    if (k + 1 < ascii.size()) {
      std::string u = ascii;
      u[k] = '\xc3';
      u[k + 1] = '\xa9';
      EXPECT_EQ(hazard::detail::find_invalid_utf8(u), std::string::npos) << "position " << k;
    }
    // after a valid 'é' at 2: the bad byte is still found wherever it is
    if (k > 3) {
      std::string v = ascii;
      v[2] = '\xc3';
      v[3] = '\xa9';
      v[k] = '\0';
      EXPECT_EQ(hazard::detail::find_invalid_utf8(v), k) << "position " << k;
    }
  }
}

}  // namespace
