#include "common/cluster/cluster_slot.hpp"

#include <gtest/gtest.h>

namespace seckill {
namespace {

TEST(ClusterSlot, MatchesTheSpecsTestVector) {
  EXPECT_EQ(crc16_xmodem("123456789"), 0x31C3);
  EXPECT_EQ(cluster_slot("123456789"), 0x31C3 % 16384);
  EXPECT_EQ(crc16_xmodem(""), 0);
}

TEST(ClusterSlot, KnownSlotsOfPlainKeys) {
  // What CLUSTER KEYSLOT answers for these keys.
  EXPECT_EQ(cluster_slot("foo"), 12182);
  EXPECT_EQ(cluster_slot("bar"), 5061);
  EXPECT_EQ(cluster_slot("hello"), 866);
}

TEST(ClusterSlot, HashTagsFollowTheSpec) {
  EXPECT_EQ(hash_tag_of("{user1000}.following"), "user1000");
  EXPECT_EQ(cluster_slot("{user1000}.following"), cluster_slot("{user1000}.followers"));
  EXPECT_EQ(hash_tag_of("foo{}{bar}"), "foo{}{bar}") << "an empty first tag: the whole key";
  EXPECT_EQ(hash_tag_of("foo{{bar}}zap"), "{bar") << "from the first '{' to the first '}'";
  EXPECT_EQ(hash_tag_of("foo{bar}{zap}"), "bar") << "only the first tag counts";
  EXPECT_EQ(hash_tag_of("no tag"), "no tag");
  EXPECT_EQ(hash_tag_of("open{only"), "open{only");
  EXPECT_EQ(cluster_slot("seckill:{g7}:req"), cluster_slot("seckill:{g7}:product:42"));
  EXPECT_EQ(cluster_slot("seckill:{g7}:req"), cluster_slot("g7"));
}

TEST(ClusterSlot, EverySlotIsInRange) {
  for (int i = 0; i < 100000; ++i) {
    const int slot = cluster_slot("key:" + std::to_string(i));
    ASSERT_GE(slot, 0);
    ASSERT_LT(slot, kClusterSlots);
  }
}

}  // namespace
}  // namespace seckill
