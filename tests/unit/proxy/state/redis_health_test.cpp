// RedisHealth's per-group marks: a group whose master could not be reached is refused for a
// short while, then tried again; the other groups are not touched.
#include "proxy/state/redis_health.hpp"

#include <gtest/gtest.h>

namespace seckill::proxy {
namespace {

TEST(RedisHealth, AnUnreachableGroupIsRefusedForAWhileAndTheOthersAreNot) {
  RedisHealth health;
  EXPECT_TRUE(health.group_reachable(3, 1000));
  health.report_group_unreachable(3, 1000, 200);
  EXPECT_FALSE(health.group_reachable(3, 1000));
  EXPECT_FALSE(health.group_reachable(3, 1199));
  EXPECT_TRUE(health.group_reachable(3, 1200)) << "then one batch tries again";
  EXPECT_TRUE(health.group_reachable(4, 1000)) << "another group sells on";
  health.report_group_unreachable(3, 2000, 200);
  health.report_group_reachable(3);
  EXPECT_TRUE(health.group_reachable(3, 2000)) << "a push that got through clears the mark";
  // Out of range: never refused, never stored.
  health.report_group_unreachable(keys::kMaxGroups, 0, 1000);
  EXPECT_TRUE(health.group_reachable(keys::kMaxGroups, 0));
  EXPECT_TRUE(health.group_reachable(-1, 0));
}

}  // namespace
}  // namespace seckill::proxy
