#include "common/redis/redis_connection.hpp"

#include <thread>

#include <gtest/gtest.h>

#include "common/redis/resp_command.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/servers/redis_server.hpp"

namespace seckill {
namespace {

using namespace std::chrono_literals;

TEST(RedisConnection, RunsCommandsAndPipelines) {
  test::RedisServer server;
  RedisConnection redis(server.config());
  auto set = redis.command({"SET", "k", std::string("v\0w", 3)});
  ASSERT_TRUE(set) << set.error().message;
  auto get = redis.command({"GET", "k"});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->str(), std::string_view("v\0w", 3)) << "binary safe";
  auto replies = redis.pipeline({{"INCR", "n"}, {"INCR", "n"}, {"GET", "missing"}, {"BOGUS"}});
  ASSERT_TRUE(replies);
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[1].integer(), 2);
  EXPECT_TRUE((*replies)[2].is_nil());
  EXPECT_TRUE((*replies)[3].is_error()) << "an error reply is not a transport failure";
  EXPECT_TRUE(redis.connected());
}

TEST(RedisConnection, PipelinesCommandsWrittenAsResp) {
  test::RedisServer server;
  RedisConnection redis(server.config());
  RespCommand push;
  push.arg("RPUSH").arg("list");
  for (int i = 0; i < 300; ++i) push.arg("item " + std::to_string(i));
  RespCommand length;
  length.arg("LLEN").arg("list");
  // Two views into two builders, sent in one write.
  auto replies = redis.pipeline_resp({push.text(), length.text()});
  ASSERT_TRUE(replies) << replies.error().message;
  ASSERT_EQ(replies->size(), 2u);
  EXPECT_EQ((*replies)[0].integer(), 300);
  EXPECT_EQ((*replies)[1].integer(), 300);
  auto last = redis.command({"LINDEX", "list", "-1"});
  ASSERT_TRUE(last);
  EXPECT_EQ(last->str(), "item 299");
}

TEST(RedisConnection, FailsFastWhenNothingListens) {
  RedisConfig config;
  config.port = test::free_port();
  RedisConnection redis(config);
  const auto started = std::chrono::steady_clock::now();
  auto reply = redis.command({"PING"});
  EXPECT_FALSE(reply);
  EXPECT_FALSE(redis.last_failure_maybe_applied());
  EXPECT_EQ(redis.last_error_kind(), RedisErrc::kUnavailable);
  // Within the backoff window further calls fail without even trying to connect.
  auto again = redis.command({"PING"});
  EXPECT_FALSE(again);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

TEST(RedisConnection, SocketTimeoutIsClassifiedAsTimeout) {
  test::RedisServer server;
  RedisConfig config = server.config();
  config.socket_timeout = 100ms;
  RedisConnection redis(config);
  ASSERT_TRUE(redis.command({"PING"}));
  // BLPOP for 2 s with no extra allowance: the socket timeout (100 ms) fires first.
  auto reply = redis.command({"BLPOP", "empty", "2"});
  EXPECT_FALSE(reply);
  EXPECT_EQ(redis.last_error_kind(), RedisErrc::kTimeout);
  EXPECT_TRUE(redis.last_failure_maybe_applied());
}

TEST(RedisConnection, ReconnectsAfterRedisRestarts) {
  test::RedisServer server;
  RedisConnection redis(server.config());
  ASSERT_TRUE(redis.command({"SET", "a", "1"}));
  server.stop(/*hard=*/true);
  EXPECT_FALSE(redis.command({"GET", "a"}));
  EXPECT_FALSE(redis.connected());
  server.restart();
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  bool back = false;
  while (!back && std::chrono::steady_clock::now() < give_up) {
    redis.wait_before_retry(200ms);
    auto reply = redis.command({"PING"});
    back = reply && reply->str() == "PONG";
  }
  EXPECT_TRUE(back) << "the connection must come back by itself";
}

// Redis's idle `timeout` closes connections between sales; the first command of the next burst
// must not fail for it (it is sent on a new connection, at once).
TEST(RedisConnection, AConnectionClosedWhileIdleIsReplacedBeforeSending) {
  test::RedisServer server({"--timeout", "1"});
  RedisConnection redis(server.config());
  ASSERT_TRUE(redis.command({"PING"}));
  std::this_thread::sleep_for(2500ms);  // Redis closes it after 1-2 s unused
  auto reply = redis.command({"INCR", "n"});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->integer(), 1);
  auto replies = redis.pipeline({{"INCR", "n"}});
  ASSERT_TRUE(replies);
}

TEST(RedisConnection, KeepAlivePingsAnIdleConnection) {
  test::RedisServer server({"--timeout", "2"});
  RedisConfig config = server.config();
  config.keepalive = 1000ms;
  RedisConnection redis(config);
  ASSERT_TRUE(redis.command({"CLIENT", "SETNAME", "kept"}));
  for (int i = 0; i < 8; ++i) {
    std::this_thread::sleep_for(500ms);
    redis.keep_alive();
  }
  // Still the same connection after 4 s, twice the server's timeout.
  auto name = redis.command({"CLIENT", "GETNAME"});
  ASSERT_TRUE(name);
  EXPECT_EQ(name->str(), "kept");
}

// Redis at maxclients accepts, writes an error and closes. That is a failed connection, known
// before anything was sent, and it comes back by itself once Redis has room.
TEST(RedisConnection, MaxClientsIsAnUnavailableConnection) {
  test::RedisServer server;
  RedisConnection holder(server.config());
  ASSERT_TRUE(holder.command({"CONFIG", "SET", "maxclients", "1"}));
  RedisConnection redis(server.config());
  auto refused = redis.command({"INCR", "n"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(redis.last_error_kind(), RedisErrc::kUnavailable);
  EXPECT_FALSE(redis.last_failure_maybe_applied());
  EXPECT_NE(refused.error().message.find("max number of clients"), std::string::npos)
      << refused.error().message;
  ASSERT_TRUE(holder.command({"CONFIG", "SET", "maxclients", "100"}));
  redis.wait_before_retry(2000ms);
  auto back = redis.command({"INCR", "n"});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->integer(), 1) << "the refused INCR was never applied";
}

TEST(RedisConnection, AConnectionKilledAfterAnErrorReplyIsReplaced) {
  test::RedisServer server;
  RedisConnection redis(server.config());
  ASSERT_TRUE(redis.command({"CLIENT", "SETNAME", "victim"}));
  auto error = redis.command({"BOGUS"});
  ASSERT_TRUE(error && error->is_error());
  server.command({"CLIENT", "KILL", "TYPE", "normal"});
  std::this_thread::sleep_for(100ms);
  auto reply = redis.command({"PING"});
  EXPECT_TRUE(reply) << "probed after the error reply, replaced before sending";
}

TEST(RedisConnection, RequiredNoEvictionRefusesAnEvictingRedis) {
  test::RedisServer server;
  server.command({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"});
  RedisConfig config = server.config();
  config.require_noeviction = true;
  RedisConnection strict(config);
  auto refused = strict.command({"PING"});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("maxmemory-policy is 'allkeys-lru'"), std::string::npos)
      << refused.error().message;
  RedisConnection lenient(server.config());
  EXPECT_TRUE(lenient.command({"PING"})) << "only connections that require it refuse";
  server.command({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
  strict.wait_before_retry(2000ms);
  EXPECT_TRUE(strict.command({"PING"}));
}

TEST(RedisConnection, ReadsTheEvictionPolicyOfInfo) {
  EXPECT_EQ(maxmemory_policy("# Memory\r\nused_memory:1\r\nmaxmemory_policy:noeviction\r\nx:1\r\n"),
            "noeviction");
  EXPECT_EQ(maxmemory_policy("maxmemory_policy:allkeys-lru"), "allkeys-lru");
  EXPECT_EQ(maxmemory_policy("nothing here"), "");
}

}  // namespace
}  // namespace seckill
