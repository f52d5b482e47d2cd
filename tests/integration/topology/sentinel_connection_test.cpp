// RedisConnection in sentinel mode against a real Sentinel setup (a master, a replica, three
// sentinels, started by the fixture): it finds the master, follows a failover by itself, and
// fails fast when no sentinel answers.
#include <thread>

#include <gtest/gtest.h>

#include "common/redis/redis_connection.hpp"
#include "tests/support/servers/redis_sentinels.hpp"

namespace seckill {
namespace {

using namespace std::chrono_literals;

class SentinelConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { sentinels_ = std::make_unique<test::RedisSentinels>(); }
  static void TearDownTestSuite() { sentinels_.reset(); }
  static test::RedisSentinels& sentinels() { return *sentinels_; }
  static inline std::unique_ptr<test::RedisSentinels> sentinels_;
};

TEST_F(SentinelConnectionTest, WritesGoToTheMasterTheSentinelsName) {
  RedisConnection redis(sentinels().config());
  auto set = redis.command({"SET", "where", "master"});
  ASSERT_TRUE(set) << set.error().message;
  ASSERT_FALSE(set->is_error()) << set->str();
  auto role = redis.command({"ROLE"});
  ASSERT_TRUE(role);
  EXPECT_EQ(reply_str(role->element(0)), "master");
  EXPECT_EQ(sentinels().server_at(sentinels().master()).command({"GET", "where"}), "master");
}

TEST_F(SentinelConnectionTest, FollowsAFailoverByItself) {
  RedisConnection redis(sentinels().config());
  ASSERT_TRUE(redis.command({"SET", "before", "1"}));
  auto acked = redis.command({"WAIT", "1", "5000"});
  ASSERT_TRUE(acked);
  ASSERT_EQ(acked->integer(), 1) << "the replica has it before the failover";
  const NodeAddress old_master = sentinels().master();
  const NodeAddress new_master = sentinels().fail_over();
  ASSERT_FALSE(new_master == old_master);
  // Calls fail fast (unavailable, or READONLY from the demoted master) until the connection
  // has found the new master; then they land there. (A write the old master took between the
  // promotion and its own demotion is lost when it resyncs: that is what redis.ack_replicas
  // and WAIT are for, not something a connection can prevent.)
  bool landed = false;
  const auto give_up = std::chrono::steady_clock::now() + 15s;
  for (int attempt = 0; !landed && std::chrono::steady_clock::now() < give_up; ++attempt) {
    const std::string value = std::to_string(attempt);
    auto reply = redis.command({"SET", "after", value});
    landed = reply && !reply->is_error() &&
             sentinels().server_at(new_master).command({"GET", "after"}) == value;
    if (!landed) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(landed);
  auto role = redis.command({"ROLE"});
  ASSERT_TRUE(role);
  EXPECT_EQ(reply_str(role->element(0)), "master");
  EXPECT_EQ(sentinels().server_at(new_master).command({"GET", "before"}), "1")
      << "replicated before the failover";
}

TEST(SentinelConnection, NoSentinelAnsweringIsUnavailableNotMaybeApplied) {
  RedisConfig config;
  config.sentinels = {{"127.0.0.1", 1}, {"127.0.0.1", 2}};
  config.master_name = "nobody";
  RedisConnection redis(config);
  auto reply = redis.command({"SET", "k", "v"});
  ASSERT_FALSE(reply);
  EXPECT_EQ(redis.last_error_kind(), RedisErrc::kUnavailable);
  EXPECT_FALSE(redis.last_failure_maybe_applied());
  EXPECT_NE(reply.error().message.find("no sentinel names master nobody"), std::string::npos)
      << reply.error().message;
}

}  // namespace
}  // namespace seckill
