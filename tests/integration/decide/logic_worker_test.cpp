// seckill-logic's workers against a real redis-server: poison messages and batches.
#include <atomic>
#include <limits>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/program/config_reader.hpp"
#include "common/store/redis_keys.hpp"
#include "common/wire.hpp"
#include "logic/logic_server.hpp"
#include "tests/support/seckill/products.hpp"
#include "tests/support/servers/redis_server.hpp"
#include "tools/admin/admin_store.hpp"

namespace seckill::logic {
namespace {

// The products of these tests are pinned to one group (not 0, so a key that ignores the group
// shows).
constexpr keys::GroupId kGroup = 3;

using namespace std::chrono_literals;

class LogicWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RedisClient redis(server_.config());
    admin::AdminStore store(redis);
    Product product = test::product_on_sale_now(1, 1000);
    product.group = kGroup;
    ASSERT_TRUE(store.load(product));
    config_.redis = server_.config();
    config_.workers = 2;
    config_.batch_size = 16;
    config_.pop_block = 100ms;
  }

  std::string request_json(const std::string& id, UserId user) {
    return encode_request({id, 1, user, "seckill:reply:{worker}", unix_ms_now() + 5000});
  }

  /// Pops `count` replies (waiting up to 5 s) and decodes them.
  std::vector<PurchaseReply> replies(std::size_t count) {
    std::vector<PurchaseReply> out;
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    while (out.size() < count && std::chrono::steady_clock::now() < give_up) {
      std::string raw;
      try {
        raw = server_.command({"LPOP", "seckill:reply:{worker}"});
      } catch (const std::exception&) {
      }
      if (raw.empty()) {
        std::this_thread::sleep_for(10ms);
        continue;
      }
      auto reply = decode_reply(raw);
      EXPECT_TRUE(reply) << raw;
      if (reply) out.push_back(*reply);
    }
    return out;
  }

  test::RedisServer server_;
  LogicConfig config_;
};

TEST_F(LogicWorkerTest, PoisonMessagesAreDroppedAndTheQueueFlows) {
  for (const std::string& poison :
       {std::string("garbage"), std::string("{}"), std::string(R"({"id":"x","product_id":"1"})"),
        std::string("\xff\xfe", 2), std::string(100000, '{')}) {
    server_.command({"RPUSH", keys::requests(kGroup), poison});
  }
  server_.command({"RPUSH", keys::requests(kGroup), request_json("good-1", 10)});
  server_.command({"RPUSH", keys::requests(kGroup), "still garbage"});
  server_.command({"RPUSH", keys::requests(kGroup), request_json("good-2", 11)});

  LogicServer logic(config_);
  logic.start();
  auto got = replies(2);
  ASSERT_EQ(got.size(), 2u);
  for (const auto& reply : got) EXPECT_EQ(reply.code, Code::kPurchased) << reply.id;
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (logic.stats().malformed.load() < 6 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(logic.stats().malformed.load(), 6u);
  EXPECT_EQ(server_.command({"LLEN", keys::requests(kGroup)}), "0");
  logic.stop();
  EXPECT_EQ(server_.command({"LLEN", keys::kDeadLetters}), "6") << "poison is kept for a look";
}

// 200,000 nested arrays (400 KB) killed the logic with SIGSEGV, and every restart again. Now the
// message is dead-lettered (cut to a bounded size), the refused requests too, and the queue flows.
TEST_F(LogicWorkerTest, DeepNestingAndRefusedRequestsAreDeadLetteredAtOnce) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  server_.command({"RPUSH", keys::requests(kGroup), deep});
  server_.command({"SET", "seckill:reply:{hijacked}", "not a list"});
  server_.command(
      {"RPUSH", keys::requests(kGroup),
       encode_request({"bad-list", 1, 30, "seckill:reply:{hijacked}", unix_ms_now() + 5000})});
  server_.command({"RPUSH", keys::requests(kGroup),
                   encode_request({"far", 1, 31, "seckill:reply:{worker}",
                                   std::numeric_limits<std::int64_t>::max()})});
  server_.command({"RPUSH", keys::requests(kGroup), request_json("after", 32)});
  LogicServer logic(config_);
  logic.start();
  auto got = replies(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, "after");
  EXPECT_EQ(got[0].code, Code::kPurchased);
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (logic.stats().malformed.load() < 3 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(10ms);
  }
  logic.stop();
  EXPECT_EQ(server_.command({"LLEN", keys::kDeadLetters}), "3");
  // Two workers: the three may have been dead-lettered in any order.
  bool cut = false;
  for (const char* index : {"0", "1", "2"}) {
    const std::string kept = server_.command({"LINDEX", keys::kDeadLetters, index});
    EXPECT_LT(kept.size(), 5000u) << "a huge message is kept cut, not whole";
    cut = cut || kept.find("400000 bytes, cut") != std::string::npos;
  }
  EXPECT_TRUE(cut);
  EXPECT_EQ(server_.command({"HGET", keys::product(kGroup, 1), "sold"}), "1")
      << "only 'after' bought";
  EXPECT_EQ(server_.command({"GET", "seckill:reply:{hijacked}"}), "not a list");
}

// Redis at maxmemory answers every write with an OOM error, on a healthy connection: the workers
// used to ask again at once (about 35,000 refusals a second). They back off, and go on by
// themselves once Redis has room again.
TEST_F(LogicWorkerTest, ErrorRepliesAreBackedOffAndWorkResumes) {
  server_.command({"RPUSH", keys::requests(kGroup), request_json("waits", 40)});
  server_.command({"CONFIG", "SET", "maxmemory", "1"});
  LogicServer logic(config_);
  logic.start();
  std::this_thread::sleep_for(2s);
  const auto refusals = logic.stats().refusals.load();
  EXPECT_GT(refusals, 0u);
  EXPECT_LT(refusals, 100u) << "two workers over 2 s, each pausing 50 ms doubling to 1 s";
  server_.command({"CONFIG", "SET", "maxmemory", "0"});
  auto got = replies(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].code, Code::kPurchased);
}

// A Redis that may evict keys could drop an order stream: the logic refuses to start on it, and
// a running logic stops deciding while the policy is wrong.
TEST_F(LogicWorkerTest, AnEvictingRedisIsRefused) {
  server_.command({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"});
  {
    LogicServer refused(config_);
    try {
      refused.start();
      ADD_FAILURE() << "started on an evicting Redis";
    } catch (const ConfigError& error) {
      EXPECT_NE(std::string(error.what()).find("maxmemory-policy is 'allkeys-lru'"),
                std::string::npos)
          << error.what();
    }
  }
  server_.command({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
  config_.heartbeat = 100ms;
  config_.dead_after = 1000ms;
  LogicServer logic(config_);
  logic.start();
  server_.command({"CONFIG", "SET", "maxmemory-policy", "volatile-lru"});
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (!logic.stats().eviction_unsafe.load() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(logic.stats().eviction_unsafe.load());
  server_.command({"RPUSH", keys::requests(kGroup), request_json("held-back", 50)});
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(server_.command({"LLEN", keys::requests(kGroup)}), "1") << "nothing decided meanwhile";
  server_.command({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
  auto got = replies(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, "held-back");
}

// Two live logic processes with one id would clear each other's processing lists.
TEST_F(LogicWorkerTest, ASecondLiveProcessWithTheSameIdIsRefused) {
  config_.logic_id = "twin";
  config_.heartbeat = 100ms;
  config_.dead_after = 600ms;
  LogicServer first(config_);
  first.start();
  LogicServer second(config_);
  try {
    second.start();
    ADD_FAILURE() << "a second live process took the same logic id";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("logic_id 'twin' is in use by a live process"),
              std::string::npos)
        << error.what();
  }
  first.stop();
  LogicServer third(config_);
  EXPECT_NO_THROW(third.start()) << "once the first has stopped, the id is free";
}

TEST_F(LogicWorkerTest, MessagesInAnotherJsonFormAreDecidedToo) {
  // The queue script reads only the form the proxy writes; valid JSON in any other form (spaces,
  // another member order) goes through the held path and is decided all the same, in its turn.
  const std::int64_t deadline = unix_ms_now() + 5000;
  server_.command({"RPUSH", keys::requests(kGroup), request_json("plain-1", 20)});
  server_.command({"RPUSH", keys::requests(kGroup),
                   R"({ "user_id": 21, "id": "spaced", "product_id": 1, "deadline_ms": )" +
                       std::to_string(deadline) + R"(, "reply_to": "seckill:reply:{worker}" })"});
  for (int i = 0; i < 40; ++i) {
    server_.command(
        {"RPUSH", keys::requests(kGroup), request_json("plain-" + std::to_string(i + 2), 22 + i)});
  }
  LogicServer logic(config_);
  logic.start();
  auto got = replies(42);
  ASSERT_EQ(got.size(), 42u);
  for (const auto& reply : got) EXPECT_EQ(reply.code, Code::kPurchased) << reply.id;
  EXPECT_EQ(server_.command({"HGET", keys::buyers(kGroup, 1), "21"}).empty(), false);
  EXPECT_EQ(logic.stats().malformed.load(), 0u);
  logic.stop();
  EXPECT_EQ(server_.command({"LLEN", keys::requests(kGroup)}), "0");
}

TEST_F(LogicWorkerTest, ARestartFinishesWhatItsListsHold) {
  config_.logic_id = "restarted";
  // What a killed run of "restarted" left behind: requests taken but not decided.
  for (int i = 0; i < 3; ++i) {
    server_.command({"RPUSH", keys::processing(kGroup, "restarted", 0),
                     request_json("held-" + std::to_string(i), 20 + i)});
  }
  LogicServer logic(config_);
  logic.start();
  auto got = replies(3);
  ASSERT_EQ(got.size(), 3u);
  for (const auto& reply : got) EXPECT_EQ(reply.code, Code::kPurchased) << reply.id;
  logic.stop();
  EXPECT_EQ(server_.command({"LLEN", keys::processing(kGroup, "restarted", 0)}), "0");
  EXPECT_EQ(server_.command({"SISMEMBER", keys::kLogicIds, "restarted"}), "0")
      << "a clean stop leaves the registry";
}

TEST_F(LogicWorkerTest, ADeadPeersRequestsAreTakenOver) {
  config_.logic_id = "survivor";
  config_.workers = 1;  // one worker: replies come in queue order
  config_.heartbeat = 100ms;
  config_.dead_after = 500ms;
  server_.command({"SADD", keys::kLogicIds, "dead-peer"});
  server_.command(
      {"SADD", keys::logic_lists("dead-peer"), keys::processing(kGroup, "dead-peer", 0)});
  server_.command(
      {"RPUSH", keys::processing(kGroup, "dead-peer", 0), request_json("orphan-1", 30)});
  server_.command(
      {"RPUSH", keys::processing(kGroup, "dead-peer", 0), request_json("orphan-2", 31)});
  LogicServer logic(config_);
  logic.start();
  auto got = replies(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, "orphan-1") << "taken-over requests keep their order";
  EXPECT_EQ(server_.command({"SISMEMBER", keys::kLogicIds, "dead-peer"}), "0");
  EXPECT_EQ(server_.command({"EXISTS", keys::logic_lists("dead-peer")}), "0");
  logic.stop();
}

TEST_F(LogicWorkerTest, ALivePeersRequestsAreLeftAlone) {
  config_.logic_id = "neighbour";
  config_.heartbeat = 100ms;
  config_.dead_after = 500ms;
  server_.command({"SADD", keys::kLogicIds, "busy-peer"});
  server_.command({"SET", keys::logic_alive("busy-peer"), "1", "PX", "60000"});
  server_.command(
      {"SADD", keys::logic_lists("busy-peer"), keys::processing(kGroup, "busy-peer", 0)});
  server_.command({"RPUSH", keys::processing(kGroup, "busy-peer", 0), request_json("its-own", 40)});
  LogicServer logic(config_);
  logic.start();
  std::this_thread::sleep_for(600ms);  // several heartbeats
  EXPECT_EQ(server_.command({"LLEN", keys::processing(kGroup, "busy-peer", 0)}), "1");
  logic.stop();
}

TEST_F(LogicWorkerTest, ABurstIsDecidedCompletely) {
  std::vector<std::string> push = {"RPUSH", keys::requests(kGroup)};
  for (int i = 0; i < 500; ++i) push.push_back(request_json("burst-" + std::to_string(i), 100 + i));
  LogicServer logic(config_);
  logic.start();
  server_.command(push);
  auto got = replies(500);
  EXPECT_EQ(got.size(), 500u);
  EXPECT_EQ(server_.command({"HGET", keys::product(kGroup, 1), "sold"}), "500");
  logic.stop();
  EXPECT_EQ(logic.stats().purchased.load(), 500u);
  // Full batches chain take after take; whatever the last one held is cleared on the way out.
  EXPECT_EQ(server_.command({"EVAL",
                             "local n = 0 for _, k in ipairs(redis.call('KEYS', "
                             "'seckill:{g*}:processing:*')) do n = n + redis.call('LLEN', k) end "
                             "return n",
                             "0"}),
            "0");
  EXPECT_EQ(server_.command({"XLEN", keys::orders(kGroup, 1)}), "500");
}

}  // namespace
}  // namespace seckill::logic

namespace seckill::logic {
namespace {

// One worker serves five groups (it cannot block on them all): a request in any of them is
// decided, a poisoned head in one group stops none of the others, and a group that keeps
// getting requests does not starve a quiet one.
TEST_F(LogicWorkerTest, OneWorkerServesManyGroupsAndNoneWaitsBehindAnother) {
  RedisClient redis(server_.config());
  admin::AdminStore store(redis);
  for (ProductId id = 2; id <= 5; ++id) {
    Product product = test::product_on_sale_now(id, 100000);
    product.group = static_cast<keys::GroupId>(10 + id);  // groups 12..15, beside group 3
    product.per_user_limit = 100000;
    ASSERT_TRUE(store.load(product));
  }
  config_.workers = 1;
  config_.group_poll = 5ms;
  LogicServer logic(config_);
  logic.start();
  auto request = [](const std::string& id, ProductId product, UserId user,
                    const std::string& reply_to = "seckill:reply:{worker}") {
    return encode_request({id, product, user, reply_to, unix_ms_now() + 5000});
  };
  server_.command({"RPUSH", keys::requests(12), "poison"});
  server_.command({"RPUSH", keys::requests(12), request("after-poison", 2, 1)});
  // A flood on group 13 while one request waits on each of the others.
  std::atomic<bool> flooding{true};
  std::thread flood([&] {
    RedisClient writer(server_.config());
    for (int i = 0; flooding.load() && i < 20000; ++i) {
      (void)writer.command(
          {"RPUSH", keys::requests(13),
           request("flood-" + std::to_string(i), 3, 1 + i % 50, "seckill:reply:{flood}")});
    }
  });
  std::this_thread::sleep_for(50ms);
  server_.command({"RPUSH", keys::requests(14), request("quiet-14", 4, 7)});
  server_.command({"RPUSH", keys::requests(15), request("quiet-15", 5, 7)});
  server_.command({"RPUSH", keys::requests(kGroup), request("quiet-3", 1, 7)});

  std::set<std::string> wanted = {"after-poison", "quiet-14", "quiet-15", "quiet-3"};
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (!wanted.empty() && std::chrono::steady_clock::now() < give_up) {
    for (const auto& reply : replies(1)) {
      if (wanted.erase(reply.id) == 1) {
        EXPECT_EQ(reply.code, Code::kPurchased) << reply.id;
      }
    }
  }
  const bool still_flooding = flooding.exchange(false);
  flood.join();
  EXPECT_TRUE(wanted.empty()) << "undecided: " << *wanted.begin();
  EXPECT_TRUE(still_flooding) << "the flood ended before the quiet groups were served: the "
                                 "test proves nothing about starvation";
  EXPECT_EQ(server_.command({"LLEN", keys::kDeadLetters}), "1") << "the poison, kept for a look";
}

}  // namespace
}  // namespace seckill::logic
