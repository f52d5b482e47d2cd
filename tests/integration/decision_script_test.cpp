// The decision script against a real redis-server: every rule, idempotency, expiry, and a race.
#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "common/redis_keys.hpp"
#include "logic/decision.hpp"
#include "tests/support/redis_suite.hpp"
#include "tools/admin/admin_store.hpp"

namespace seckill::logic {
namespace {

using namespace std::chrono_literals;

class DecisionScriptTest : public test::RedisSuite {
 protected:
  void SetUp() override {
    RedisSuite::SetUp();
    decider_ = std::make_unique<Decider>(config_);
  }

  void load(ProductId id, std::int64_t total, std::int64_t per_user_limit = 1,
            std::int64_t start_offset_ms = -60000, std::int64_t end_offset_ms = 3600000,
            bool enabled = true) {
    Product product;
    product.id = id;
    product.name = "p" + std::to_string(id);
    product.total = total;
    product.start_ms = unix_ms_now() + start_offset_ms;
    product.end_ms = unix_ms_now() + end_offset_ms;
    product.per_user_limit = per_user_limit;
    product.enabled = enabled;
    admin::AdminStore store(redis());
    ASSERT_TRUE(store.load(product));
  }

  void load_with_rules(ProductId id, std::int64_t total, std::int64_t max_per_second,
                       double buy_rate) {
    Product product;
    product.id = id;
    product.name = "rules";
    product.total = total;
    product.start_ms = unix_ms_now() - 60000;
    product.end_ms = unix_ms_now() + 3600000;
    product.max_per_second = max_per_second;
    product.buy_rate = buy_rate;
    admin::AdminStore store(redis());
    ASSERT_TRUE(store.load(product));
  }

  /// Decides one batch of `count` requests by distinct users; returns how many got `code`.
  int batch_count(ProductId product, int count, Code code, UserId first_user) {
    std::vector<PurchaseRequest> batch;
    for (int i = 0; i < count; ++i) batch.push_back(request(product, first_user + i));
    auto decisions = decider_->decide(redis(), batch);
    EXPECT_TRUE(decisions);
    int matching = 0;
    for (const auto& decision : *decisions) matching += decision && decision->code == code ? 1 : 0;
    return matching;
  }

  PurchaseRequest request(ProductId product, UserId user, std::int64_t deadline_offset_ms = 5000) {
    PurchaseRequest r;
    r.id = "t-" + std::to_string(++sequence_);
    r.product_id = product;
    r.user_id = user;
    r.reply_to = "seckill:reply:test";
    r.deadline_ms = unix_ms_now() + deadline_offset_ms;
    return r;
  }

  PurchaseReply decide(const PurchaseRequest& r) {
    auto decisions = decider_->decide(redis(), {r});
    EXPECT_TRUE(decisions) << (decisions ? "" : decisions.error().message);
    if (!decisions) return {};
    EXPECT_TRUE(decisions->front()) << decisions->front().error().message;
    return decisions->front() ? decisions->front().value() : PurchaseReply{};
  }

  std::string field(ProductId id, const std::string& name) {
    return server().command({"HGET", keys::product(id), name});
  }

  LogicConfig config_;
  std::unique_ptr<Decider> decider_;
  int sequence_ = 0;
};

TEST_F(DecisionScriptTest, PurchaseRecordsOrderAndPushesReply) {
  load(1, 3);
  auto r = request(1, 100);
  auto reply = decide(r);
  EXPECT_EQ(reply.code, Code::kPurchased);
  EXPECT_EQ(reply.id, r.id);
  EXPECT_EQ(reply.order_id, "1-1");
  EXPECT_EQ(reply.left, 2);
  EXPECT_EQ(field(1, "left"), "2");
  EXPECT_EQ(field(1, "sold"), "1");
  EXPECT_EQ(server().command({"HGET", keys::buyers(1), "100"}), "1-1");
  EXPECT_EQ(server().command({"XLEN", keys::orders(1)}), "1");
  EXPECT_EQ(server().command({"LLEN", "seckill:reply:test"}), "1");
  auto ttl = std::stoll(server().command({"PTTL", "seckill:reply:test"}));
  EXPECT_GT(ttl, 0) << "a reply list must expire";
}

TEST_F(DecisionScriptTest, SecondPurchaseOverLimitIs1002WithTheHeldOrder) {
  load(1, 10);
  ASSERT_EQ(decide(request(1, 100)).code, Code::kPurchased);
  auto again = decide(request(1, 100));
  EXPECT_EQ(again.code, Code::kLimitReached);
  EXPECT_EQ(again.order_id, "1-1");
  EXPECT_EQ(field(1, "left"), "9");
}

TEST_F(DecisionScriptTest, PerUserLimitAboveOneAllowsThatMany) {
  load(1, 10, 3);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(decide(request(1, 100)).code, Code::kPurchased);
  EXPECT_EQ(decide(request(1, 100)).code, Code::kLimitReached);
  EXPECT_EQ(server().command({"HGET", keys::buyers(1), "100"}), "1-1,1-2,1-3");
}

TEST_F(DecisionScriptTest, SoldOutIs1001AndChangesNothing) {
  load(1, 1);
  ASSERT_EQ(decide(request(1, 100)).code, Code::kPurchased);
  EXPECT_EQ(decide(request(1, 200)).code, Code::kSoldOut);
  EXPECT_EQ(field(1, "left"), "0");
  EXPECT_EQ(server().command({"XLEN", keys::orders(1)}), "1");
}

TEST_F(DecisionScriptTest, WindowAndPauseAndUnknownProduct) {
  load(1, 5, 1, 60000, 120000);
  EXPECT_EQ(decide(request(1, 1)).code, Code::kNotStarted);
  load(2, 5, 1, -120000, -60000);
  EXPECT_EQ(decide(request(2, 1)).code, Code::kEnded);
  load(3, 5, 1, -60000, 60000, /*enabled=*/false);
  EXPECT_EQ(decide(request(3, 1)).code, Code::kPaused);
  EXPECT_EQ(decide(request(99, 1)).code, Code::kNotFound);
  EXPECT_EQ(field(1, "left"), "5");
}

TEST_F(DecisionScriptTest, ExpiredRequestNeverBecomesAPurchase) {
  load(1, 5);
  auto reply = decide(request(1, 100, /*deadline_offset_ms=*/-1));
  EXPECT_EQ(reply.code, Code::kTimeout);
  EXPECT_EQ(field(1, "left"), "5");
  EXPECT_EQ(server().command({"EXISTS", keys::buyers(1)}), "0");
}

TEST_F(DecisionScriptTest, RedeliveredRequestGetsTheSameAnswerAndChangesNothing) {
  load(1, 5);
  auto r = request(1, 100);
  auto first = decide(r);
  auto second = decide(r);
  EXPECT_EQ(first.code, Code::kPurchased);
  EXPECT_EQ(second.code, Code::kPurchased);
  EXPECT_EQ(second.order_id, first.order_id);
  EXPECT_EQ(field(1, "left"), "4");
  EXPECT_EQ(server().command({"XLEN", keys::orders(1)}), "1");
  // A rejection is remembered too: after more stock arrives it must not turn into a purchase.
  load(2, 0);
  auto refused = request(2, 100);
  EXPECT_EQ(decide(refused).code, Code::kSoldOut);
  load(2, 5);
  EXPECT_EQ(decide(refused).code, Code::kSoldOut);
  EXPECT_EQ(field(2, "left"), "5");
}

TEST_F(DecisionScriptTest, SurvivesScriptFlush) {
  load(1, 5);
  ASSERT_EQ(decide(request(1, 1)).code, Code::kPurchased);
  server().command({"SCRIPT", "FLUSH"});  // what a restarted Redis looks like to EVALSHA
  EXPECT_EQ(decide(request(1, 2)).code, Code::kPurchased);
}

TEST_F(DecisionScriptTest, BatchDecidesEachRequest) {
  load(1, 2);
  std::vector<PurchaseRequest> batch = {request(1, 1), request(1, 2), request(1, 3), request(1, 1)};
  auto decisions = decider_->decide(redis(), batch);
  ASSERT_TRUE(decisions);
  ASSERT_EQ(decisions->size(), 4u);
  EXPECT_EQ((*decisions)[0]->code, Code::kPurchased);
  EXPECT_EQ((*decisions)[1]->code, Code::kPurchased);
  EXPECT_EQ((*decisions)[2]->code, Code::kSoldOut);
  EXPECT_EQ((*decisions)[3]->code, Code::kLimitReached);
}

TEST_F(DecisionScriptTest, OneUserTwiceInABatchCountsBothOrders) {
  load(1, 10, 2);
  std::vector<PurchaseRequest> batch = {request(1, 7), request(1, 7), request(1, 7)};
  auto decisions = decider_->decide(redis(), batch);
  ASSERT_TRUE(decisions);
  EXPECT_EQ((*decisions)[0]->code, Code::kPurchased);
  EXPECT_EQ((*decisions)[1]->code, Code::kPurchased);
  EXPECT_EQ((*decisions)[2]->code, Code::kLimitReached);
  EXPECT_EQ(server().command({"HGET", keys::buyers(1), "7"}), "1-1,1-2");
  EXPECT_EQ(field(1, "left"), "8");
}

TEST_F(DecisionScriptTest, ARequestIdTwiceInOneBatchBuysOnce) {
  load(1, 10, 5);
  const PurchaseRequest once = request(1, 9);
  auto decisions = decider_->decide(redis(), {once, once});
  ASSERT_TRUE(decisions);
  EXPECT_EQ((*decisions)[0]->code, Code::kPurchased);
  EXPECT_EQ((*decisions)[1]->code, Code::kPurchased);
  EXPECT_EQ((*decisions)[1]->order_id, (*decisions)[0]->order_id);
  EXPECT_EQ(field(1, "sold"), "1");
  EXPECT_EQ(server().command({"XLEN", keys::orders(1)}), "1");
}

TEST_F(DecisionScriptTest, ABigBatchKeepsStockOrdersAndBuyersInStep) {
  // More users than one slice of the script's batched reads and writes (200).
  load(1, 450);
  EXPECT_EQ(batch_count(1, 500, Code::kPurchased, 1000), 450);
  EXPECT_EQ(field(1, "left"), "0");
  EXPECT_EQ(field(1, "sold"), "450");
  EXPECT_EQ(server().command({"XLEN", keys::orders(1)}), "450");
  EXPECT_EQ(server().command({"HLEN", keys::buyers(1)}), "450");
  // The same users again: every one is told about the order they hold, or sold out.
  EXPECT_EQ(batch_count(1, 500, Code::kLimitReached, 1000), 450);
}

TEST_F(DecisionScriptTest, MaxPerSecondCapsUnitsSoldPerSecond) {
  load_with_rules(1, 100, /*max_per_second=*/3, /*buy_rate=*/1.0);
  const int bought = batch_count(1, 10, Code::kPurchased, 1);
  // One batch is decided within one second of Redis time (or, rarely, across a boundary).
  EXPECT_GE(bought, 3);
  EXPECT_LE(bought, 6);
  std::this_thread::sleep_for(1100ms);
  EXPECT_GE(batch_count(1, 5, Code::kPurchased, 100), 3) << "a new second, a new allowance";
}

TEST_F(DecisionScriptTest, BuyRateDrawsPerRequest) {
  load_with_rules(1, 1000, 0, /*buy_rate=*/0.0);
  EXPECT_EQ(batch_count(1, 20, Code::kTryLater, 1), 20) << "rate 0: nobody wins";
  load_with_rules(2, 1000, 0, /*buy_rate=*/0.5);
  int bought = 0;
  for (int round = 0; round < 8; ++round) {
    bought += batch_count(2, 50, Code::kPurchased, 1000 + round * 50);
  }
  EXPECT_GT(bought, 140) << "about half of 400";
  EXPECT_LT(bought, 260) << "about half of 400";
  EXPECT_EQ(field(2, "sold"), std::to_string(bought));
}

TEST_F(DecisionScriptTest, FiftyThreadsRacingOnStockHundredSellExactlyHundred) {
  load(1, 100);
  constexpr int kThreads = 50, kEach = 10;
  std::atomic<int> purchased{0}, sold_out{0}, other{0};
  std::mutex orders_mutex;
  std::set<std::string> order_ids;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      RedisConnection redis(server().config());
      Decider decider(config_);
      for (int i = 0; i < kEach; ++i) {
        PurchaseRequest r;
        r.id = "race-" + std::to_string(t) + "-" + std::to_string(i);
        r.product_id = 1;
        r.user_id = t * kEach + i + 1;  // 500 distinct users
        r.reply_to = "seckill:reply:race";
        r.deadline_ms = unix_ms_now() + 10000;
        auto decisions = decider.decide(redis, {r});
        if (!decisions || !decisions->front()) {
          other.fetch_add(1);
          continue;
        }
        const auto& reply = decisions->front().value();
        if (reply.code == Code::kPurchased) {
          purchased.fetch_add(1);
          std::lock_guard lock(orders_mutex);
          order_ids.insert(reply.order_id);
        } else if (reply.code == Code::kSoldOut) {
          sold_out.fetch_add(1);
        } else {
          other.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(purchased.load(), 100);
  EXPECT_EQ(sold_out.load(), kThreads * kEach - 100);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(order_ids.size(), 100u) << "order ids are unique";
  EXPECT_EQ(field(1, "left"), "0");
  EXPECT_EQ(server().command({"XLEN", keys::orders(1)}), "100");
  EXPECT_EQ(server().command({"HLEN", keys::buyers(1)}), "100");
}

}  // namespace
}  // namespace seckill::logic
