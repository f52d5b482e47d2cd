// redis.ack_replicas against a real master and replica (a Sentinel setup started by the fixture):
// a decision's reply goes out only once WAIT says the replica has it; while the replica lags
// the replies are withheld (the buyers would get 5004) and, after a few such WAITs, the workers
// stop taking work until the replica is back.
#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/store/redis_keys.hpp"
#include "common/wire.hpp"
#include "logic/logic_server.hpp"
#include "tests/support/seckill/products.hpp"
#include "tests/support/servers/redis_sentinels.hpp"
#include "tools/admin/admin_store.hpp"
#include <signal.h>

namespace seckill::logic {
namespace {

// The products of these tests are pinned to one group (not 0, so a key that ignores the group
// shows).
constexpr keys::GroupId kGroup = 3;

using namespace std::chrono_literals;

class AckReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    master_ = &sentinels_.server_at(sentinels_.master());
    RedisClient redis(master_->config());
    admin::AdminStore store(redis);
    Product product = test::product_on_sale_now(1, 1000);
    product.group = kGroup;
    ASSERT_TRUE(store.load(product));
    config_.redis = sentinels_.config();
    config_.redis.ack_replicas = 1;
    config_.redis.wait_timeout = 200ms;
    config_.workers = 1;
    config_.pop_block = 100ms;
  }

  void push(const std::string& id, UserId user, bool held_path = false) {
    PurchaseRequest request{id, 1, user, "seckill:reply:{ack}", unix_ms_now() + 5000};
    std::string message = encode_request(request);
    // Spaces: not the proxy's exact form, so the held path decides it.
    if (held_path) message.insert(1, " ");
    master_->command({"RPUSH", keys::requests(kGroup), message});
  }
  /// Replies on the reply list after up to `wait`.
  std::vector<std::string> replies(std::size_t count, std::chrono::milliseconds wait = 5s) {
    std::vector<std::string> out;
    const auto give_up = std::chrono::steady_clock::now() + wait;
    while (out.size() < count && std::chrono::steady_clock::now() < give_up) {
      std::string raw = master_->command({"LPOP", "seckill:reply:{ack}"});
      if (raw.empty()) {
        std::this_thread::sleep_for(10ms);
        continue;
      }
      out.push_back(raw);
    }
    return out;
  }
  test::RedisSentinels sentinels_;
  test::RedisServer* master_ = nullptr;
  LogicConfig config_;
};

TEST_F(AckReplicasTest, RepliesWaitForTheReplicaAndAreWithheldWhileItLags) {
  LogicServer logic(config_);
  logic.start();
  push("first", 1);
  push("held", 2, /*held_path=*/true);
  auto got = replies(2);
  ASSERT_EQ(got.size(), 2u) << "both paths reply once WAIT has confirmed";
  EXPECT_EQ(logic.stats().withheld.load(), 0u);

  // The replica stops acknowledging: decisions are made, no reply leaves.
  sentinels_.replica_of(sentinels_.master()).process().signal(SIGSTOP);
  push("lagging", 3);
  EXPECT_TRUE(replies(1, 1500ms).empty()) << "nobody is told 0 before the replica has it";
  EXPECT_EQ(master_->command({"HGET", keys::buyers(kGroup, 1), "3"}), "1-3")
      << "decided on the master";
  EXPECT_GE(logic.stats().withheld.load(), 1u);
  EXPECT_GE(logic.stats().wait_failures.load(), 1u);

  sentinels_.replica_of(sentinels_.master()).process().signal(SIGCONT);
  push("again", 4);
  auto back = replies(1, 10s);
  ASSERT_EQ(back.size(), 1u) << "replies flow again once the replica acknowledges";
  auto reply = decode_reply(back.front());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->id, "again");
  EXPECT_EQ(reply->code, Code::kPurchased);
}

}  // namespace
}  // namespace seckill::logic
