// seckill-logic's workers against a real redis-server: poison messages and batches.
#include <thread>

#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "common/redis_keys.hpp"
#include "common/wire.hpp"
#include "logic/logic_server.hpp"
#include "tests/support/redis_server.hpp"
#include "tools/admin/admin_store.hpp"

namespace seckill::logic {
namespace {

using namespace std::chrono_literals;

class LogicWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RedisConnection redis(server_.config());
    admin::AdminStore store(redis);
    Product product;
    product.id = 1;
    product.name = "one";
    product.total = 1000;
    product.start_ms = unix_ms_now() - 1000;
    product.end_ms = unix_ms_now() + 600000;
    ASSERT_TRUE(store.load(product));
    config_.redis = server_.config();
    config_.workers = 2;
    config_.batch_size = 16;
    config_.pop_block = 100ms;
  }

  std::string request_json(const std::string& id, UserId user) {
    return encode_request({id, 1, user, "seckill:reply:worker", unix_ms_now() + 5000});
  }

  /// Pops `count` replies (waiting up to 5 s) and decodes them.
  std::vector<PurchaseReply> replies(std::size_t count) {
    std::vector<PurchaseReply> out;
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    while (out.size() < count && std::chrono::steady_clock::now() < give_up) {
      std::string raw;
      try {
        raw = server_.command({"LPOP", "seckill:reply:worker"});
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
    server_.command({"RPUSH", keys::kRequests, poison});
  }
  server_.command({"RPUSH", keys::kRequests, request_json("good-1", 10)});
  server_.command({"RPUSH", keys::kRequests, "still garbage"});
  server_.command({"RPUSH", keys::kRequests, request_json("good-2", 11)});

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
  EXPECT_EQ(server_.command({"LLEN", keys::kRequests}), "0");
  logic.stop();
}

TEST_F(LogicWorkerTest, ABurstIsDecidedCompletely) {
  std::vector<std::string> push = {"RPUSH", keys::kRequests};
  for (int i = 0; i < 500; ++i) push.push_back(request_json("burst-" + std::to_string(i), 100 + i));
  LogicServer logic(config_);
  logic.start();
  server_.command(push);
  auto got = replies(500);
  EXPECT_EQ(got.size(), 500u);
  EXPECT_EQ(server_.command({"HGET", keys::product(1), "sold"}), "500");
  logic.stop();
  EXPECT_EQ(logic.stats().purchased.load(), 500u);
}

}  // namespace
}  // namespace seckill::logic
