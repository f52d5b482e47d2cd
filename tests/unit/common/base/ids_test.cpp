#include "common/base/ids.hpp"

#include <gtest/gtest.h>

namespace seckill {
namespace {

TEST(ParseId, AcceptsTheWholeRange) {
  EXPECT_EQ(parse_id("1"), 1);
  EXPECT_EQ(parse_id("42"), 42);
  EXPECT_EQ(parse_id("9223372036854775807"), 9223372036854775807LL);
}

TEST(ParseId, RejectsEverythingElse) {
  for (const char* bad : {"", "0", "-1", "+1", " 1", "1 ", "1.0", "0x10", "abc", "1e3",
                          "9223372036854775808", "99999999999999999999", "00000000000000000001"}) {
    EXPECT_FALSE(parse_id(bad).has_value()) << bad;
  }
}

TEST(ParseId, AllowsLeadingZerosWithinLength) {
  EXPECT_EQ(parse_id("007"), 7);
}

}  // namespace
}  // namespace seckill
