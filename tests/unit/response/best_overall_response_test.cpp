// The RECIST 1.1 controlled terms of best overall response (parse_bor, bor_code).
#include <gtest/gtest.h>

#include "hazard/response.hpp"

namespace {

TEST(BestOverallResponse, ParsesTheControlledTerms) {
  hazard::Bor b{};
  ASSERT_TRUE(hazard::parse_bor("CR", b));
  EXPECT_EQ(b, hazard::Bor::cr);
  ASSERT_TRUE(hazard::parse_bor(" pr ", b));  // case and surrounding blanks ignored
  EXPECT_EQ(b, hazard::Bor::pr);
  ASSERT_TRUE(hazard::parse_bor("Non-CR/Non-PD", b));
  EXPECT_EQ(b, hazard::Bor::non_cr_non_pd);
  ASSERT_TRUE(hazard::parse_bor("", b));
  EXPECT_EQ(b, hazard::Bor::missing);
  for (const char* bad : {"MISSING", "SDX", "CR/PR", "1", "UNCONFIRMED PR"})
    EXPECT_FALSE(hazard::parse_bor(bad, b)) << bad;
}

TEST(BestOverallResponse, CodesInTableOrder) {
  EXPECT_STREQ(hazard::bor_code(hazard::Bor::cr), "CR");
  EXPECT_STREQ(hazard::bor_code(hazard::Bor::sd), "SD");
  EXPECT_STREQ(hazard::bor_code(hazard::Bor::ne), "NE");
  EXPECT_STREQ(hazard::bor_code(hazard::Bor::missing), "MISSING");
}

}  // namespace
