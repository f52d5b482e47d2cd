// BanSync against a real Redis, with seckill-admin's store writing the lifts: bans are
// published, a lift ends a ban once, and lifts already there when a proxy starts are for the
// bans of earlier processes, not for the ones it begins later.
#include "proxy/guard/ban_sync.hpp"

#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/store/redis_keys.hpp"
#include "tests/support/servers/redis_suite.hpp"
#include "tools/admin/admin_store.hpp"

namespace seckill::proxy {
namespace {

using namespace std::chrono_literals;

class BanSyncTest : public test::RedisSuite {
 protected:
  /// One request a second per user, banned at the first refusal; addresses unlimited.
  static GuardConfig strict() {
    GuardConfig config;
    config.per_user = {1, 0, 1, 60s, 100};
    config.per_address = {0, 0, 0, 60s, 100};
    return config;
  }
  /// Asks twice as `user`: the second is over the limit of 1 a second and starts the ban.
  void ban(UserId user) {
    guard_.check_user(user);
    ASSERT_TRUE(guard_.check_user(user).has_value());
  }
  bool banned(UserId user) {
    auto refused = guard_.check_user(user);
    return refused && refused->message.find("banned for") != std::string::npos;
  }

  Versioned<Blocklist> blocklist_;
  ProxyStats stats_;
  Guard guard_{strict(), blocklist_, stats_};
};

TEST_F(BanSyncTest, PublishesBansAndAppliesEachLiftOnce) {
  admin::AdminStore store(redis());
  BanSync sync(server().config(), 1h, guard_);
  ASSERT_TRUE(sync.sync_once());
  ban(9);
  ASSERT_TRUE(sync.sync_once());
  auto bans = store.bans();
  ASSERT_TRUE(bans);
  ASSERT_EQ(bans->size(), 1u);
  EXPECT_EQ((*bans)[0].kind, "user");
  EXPECT_EQ((*bans)[0].value, "9");
  EXPECT_GT((*bans)[0].until_ms, unix_ms_now() + 50'000);

  auto unblocked = store.unblock("user", "9");
  ASSERT_TRUE(unblocked);
  EXPECT_FALSE(unblocked->was_blocked);
  EXPECT_TRUE(unblocked->was_banned);
  EXPECT_TRUE(store.bans()->empty()) << "no longer listed";
  EXPECT_TRUE(banned(9)) << "the proxy has not read the lift yet";
  ASSERT_TRUE(sync.sync_once());
  EXPECT_FALSE(guard_.check_user(9).has_value()) << "lifted";
  EXPECT_EQ(stats_.bans_lifted.load(), 1u);

  std::this_thread::sleep_for(1100ms);  // a new second
  ban(9);
  ASSERT_TRUE(sync.sync_once());
  EXPECT_TRUE(banned(9)) << "the lift already applied does not end a new ban";
}

TEST_F(BanSyncTest, LiftsFromBeforeTheStartAreNotApplied) {
  admin::AdminStore store(redis());
  ASSERT_TRUE(store.unblock("user", "9"));  // for a ban of an earlier proxy process
  BanSync sync(server().config(), 1h, guard_);
  ASSERT_TRUE(sync.sync_once());  // the first round notes it
  ban(9);
  ASSERT_TRUE(sync.sync_once());
  EXPECT_TRUE(banned(9));
  std::this_thread::sleep_for(5ms);  // a lift of a later millisecond
  ASSERT_TRUE(store.unblock("user", "9"));
  ASSERT_TRUE(sync.sync_once());
  EXPECT_FALSE(guard_.check_user(9).has_value());
}

TEST_F(BanSyncTest, BansWaitForRedisAndEndedOnesArePruned) {
  BanSync sync(server().config(), 1h, guard_);
  ASSERT_TRUE(sync.sync_once());
  server().stop();
  ban(9);
  EXPECT_FALSE(sync.sync_once());
  server().restart();
  bool published = false;  // once the connection is made again (after a back-off)
  for (int i = 0; i < 50 && !published; ++i) {
    published = sync.sync_once();
    if (!published) std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(published) << "published once Redis is back";
  RedisClient fresh(server().config());
  auto score = fresh.command({"ZSCORE", keys::kBans, "user:9"});
  ASSERT_TRUE(score);
  EXPECT_FALSE(score->is_nil()) << "kept through the outage";
  ASSERT_TRUE(fresh.command({"ZADD", keys::kBans, "1000", "user:10"}));  // ended long ago
  ASSERT_TRUE(sync.sync_once());
  score = fresh.command({"ZSCORE", keys::kBans, "user:10"});
  ASSERT_TRUE(score);
  EXPECT_TRUE(score->is_nil()) << "pruned";
}

}  // namespace
}  // namespace seckill::proxy
