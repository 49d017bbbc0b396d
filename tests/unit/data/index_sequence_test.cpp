// IndexSequence: compact while consecutive, explicit after the first break, the same values either way.
#include "hazard/index_sequence.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

using hazard::IndexSequence;

TEST(IndexSequence, StaysCompactWhileConsecutive) {
  IndexSequence s;
  for (std::uint64_t v = 7; v < 1007; ++v) s.push_back(v);
  EXPECT_FALSE(s.is_explicit());
  ASSERT_EQ(s.size(), 1000u);
  EXPECT_EQ(s[0], 7u);
  EXPECT_EQ(s[999], 1006u);
  EXPECT_EQ(s.back(), 1006u);
}

TEST(IndexSequence, TurnsExplicitAtTheFirstBreakAndKeepsEveryValue) {
  const std::vector<std::uint64_t> want = {2, 3, 4, 9, 10, 3, 3};
  IndexSequence s;
  for (auto v : want) s.push_back(v);
  EXPECT_TRUE(s.is_explicit());
  EXPECT_EQ(s.to_vector(), want);
  EXPECT_TRUE(s == want);
  std::vector<std::uint64_t> iterated(s.begin(), s.end());
  EXPECT_EQ(iterated, want);
}

TEST(IndexSequence, AppendJoinsConsecutiveRunsWithoutStoring) {
  IndexSequence a = IndexSequence::iota(1, 10), b = IndexSequence::iota(11, 5);
  a.append(b);
  EXPECT_FALSE(a.is_explicit());
  EXPECT_EQ(a.size(), 15u);
  EXPECT_EQ(a[14], 15u);
  // a gap (a blank line between two chunks): explicit, values kept
  IndexSequence c = IndexSequence::iota(17, 3);
  a.append(c);
  EXPECT_TRUE(a.is_explicit());
  std::vector<std::uint64_t> want(15);
  std::iota(want.begin(), want.end(), 1);
  for (std::uint64_t v : {17, 18, 19}) want.push_back(v);
  EXPECT_EQ(a.to_vector(), want);
  // appending to an empty sequence takes the other's start
  IndexSequence e;
  e.append(IndexSequence::iota(5, 2));
  EXPECT_EQ(e.to_vector(), (std::vector<std::uint64_t>{5, 6}));
}

TEST(IndexSequence, FromVectorAndIteratorArithmetic) {
  const IndexSequence s = IndexSequence::from({4, 5, 6, 7});
  EXPECT_FALSE(s.is_explicit());
  EXPECT_EQ(s.end() - s.begin(), 4);
  EXPECT_EQ(*(s.begin() + 2), 6u);
  EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
  EXPECT_EQ(*std::lower_bound(s.begin(), s.end(), 6u), 6u);
  IndexSequence t = s;
  t.clear();
  EXPECT_TRUE(t.empty());
  IndexSequence u = s;
  t.swap(u);
  EXPECT_TRUE(u.empty());
  EXPECT_EQ(t.size(), 4u);
}

TEST(IndexSequence, ShiftAddsToEveryValueInBothForms) {
  IndexSequence compact = IndexSequence::iota(1, 4);  // lines 1..4 of a chunk, placed at line 10
  compact.shift(9);
  EXPECT_FALSE(compact.is_explicit());
  EXPECT_EQ(compact.to_vector(), (std::vector<std::uint64_t>{10, 11, 12, 13}));
  compact.push_back(14);  // still compact: the next value follows the shifted ones
  EXPECT_FALSE(compact.is_explicit());
  EXPECT_EQ(compact.back(), 14u);
  IndexSequence gaps = IndexSequence::from({1, 2, 5, 9});
  ASSERT_TRUE(gaps.is_explicit());
  gaps.shift(100);
  EXPECT_EQ(gaps.to_vector(), (std::vector<std::uint64_t>{101, 102, 105, 109}));
  IndexSequence empty;
  empty.shift(5);
  empty.push_back(3);  // an empty sequence takes its first value as pushed
  EXPECT_EQ(empty.to_vector(), (std::vector<std::uint64_t>{3}));
}
