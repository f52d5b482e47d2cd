#include "common/store/redis_keys.hpp"

#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/cluster/cluster_slot.hpp"

namespace seckill::keys {
namespace {

TEST(RedisKeys, EveryKeyOfAGroupStartsWithItsTagAndSharesItsSlot) {
  const int slot = cluster_slot(requests(7));
  for (const std::string& key :
       {product(7, 42), buyers(7, 42), orders(7, 42), stock_log(7, 42), sales_rate(7, 42),
        decisions(7, 42, 1767225600), processing(7, "logic-a", 1)}) {
    EXPECT_TRUE(key.starts_with("seckill:{g7}:")) << key;
    EXPECT_EQ(hash_tag_of(key), "g7") << key;
    EXPECT_EQ(cluster_slot(key), slot) << key;
    EXPECT_EQ(group_of_key(key), 7) << key;
  }
  EXPECT_EQ(requests(7), "seckill:{g7}:req");
  EXPECT_EQ(product(7, 42), "seckill:{g7}:product:42");
  EXPECT_NE(cluster_slot(requests(8)), slot);
}

TEST(RedisKeys, GlobalKeysShareOneTagAndProxyKeysCarryTheProxysOwn) {
  for (const std::string& key :
       {std::string(kProducts), std::string(kLayout), std::string(kBlockedUsers),
        std::string(kBlockedAddresses), std::string(kLogicIds), std::string(kDeadLetters),
        logic_alive("l1"), logic_lists("l1")}) {
    EXPECT_EQ(hash_tag_of(key), "global") << key;
    EXPECT_FALSE(group_of_key(key)) << key;
  }
  EXPECT_EQ(reply_list("p1"), "seckill:reply:{p1}");
  EXPECT_EQ(hash_tag_of(reply_list("p1")), "p1");
  EXPECT_EQ(cluster_slot(proxy_lease("p1")), cluster_slot(reply_list("p1")));
  EXPECT_FALSE(group_of_key(reply_list("g7"))) << "a proxy called g7 is not a group";
}

TEST(RedisKeys, GroupNumbersAreReadStrictly) {
  EXPECT_EQ(parse_group("0"), 0);
  EXPECT_EQ(parse_group("1023"), 1023);
  for (const char* bad : {"", "-1", "1024", "07", "7a", " 7", "99999999999999999999"}) {
    EXPECT_FALSE(parse_group(bad)) << bad;
  }
  EXPECT_FALSE(group_of_key("seckill:{g}:req"));
  EXPECT_FALSE(group_of_key("seckill:{h7}:req"));
  EXPECT_FALSE(group_of_key("seckill:req"));
}

TEST(RedisKeys, DefaultGroupsSpreadNeighbouringIdsAndStayInRange) {
  std::array<int, kDefaultGroups> counts{};
  for (ProductId id = 1; id <= 1600; ++id) {
    const GroupId group = default_group(id, kDefaultGroups);
    ASSERT_GE(group, 0);
    ASSERT_LT(group, kDefaultGroups);
    ++counts[static_cast<std::size_t>(group)];
  }
  for (int count : counts) {
    EXPECT_GT(count, 50) << "1600 ids over 16 groups: about 100 each";
    EXPECT_LT(count, 150);
  }
  EXPECT_EQ(default_group(42, 1), 0);
  EXPECT_EQ(default_group(42, kDefaultGroups), default_group(42, kDefaultGroups));
}

}  // namespace
}  // namespace seckill::keys
