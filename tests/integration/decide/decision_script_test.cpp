// The decision scripts against a real redis-server: every rule, idempotency, expiry, and a
// race. Each rule is checked on both paths: requests given as arguments (decide.lua) and
// requests taken from the queue by the script itself (take_and_decide.lua); they share the
// rules, and these tests keep them deciding alike.
#include <atomic>
#include <limits>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include "common/base/clock.hpp"
#include "common/store/redis_keys.hpp"
#include "common/wire.hpp"
#include "logic/decide/decision.hpp"
#include "tests/support/servers/redis_suite.hpp"
#include "tools/admin/admin_store.hpp"

namespace seckill::logic {
namespace {

// The products of these tests are pinned to one group (not 0, so a key that ignores the group
// shows).
constexpr keys::GroupId kGroup = 3;

using namespace std::chrono_literals;

enum class DecidePath { kArguments, kQueue };

void load_product(RedisClient& redis, ProductId id, std::int64_t total,
                  std::int64_t per_user_limit = 1, std::int64_t start_offset_ms = -60000,
                  std::int64_t end_offset_ms = 3600000, bool enabled = true) {
  Product product;
  product.group = kGroup;
  product.id = id;
  product.name = "p" + std::to_string(id);
  product.total = total;
  product.start_ms = unix_ms_now() + start_offset_ms;
  product.end_ms = unix_ms_now() + end_offset_ms;
  product.per_user_limit = per_user_limit;
  product.enabled = enabled;
  admin::AdminStore store(redis);
  ASSERT_TRUE(store.load(product));
}

// One take_and_decide.lua round on the test group's queue.
Result<QueueRound> one_round(Decider& decider, RedisClient& redis, int max) {
  auto rounds = decider.decide_from_queues(redis, {kGroup}, max);
  if (!rounds) return rounds.error();
  return rounds->front();
}

PurchaseRequest request_for(const std::string& id, ProductId product, UserId user,
                            const std::string& reply_to = "seckill:reply:{test}") {
  return {id, product, user, reply_to, unix_ms_now() + 5000};
}

class DecisionScriptTest : public test::RedisSuite,
                           public ::testing::WithParamInterface<DecidePath> {
 protected:
  void SetUp() override {
    RedisSuite::SetUp();
    decider_ = std::make_unique<Decider>(config_);
  }

  void load(ProductId id, std::int64_t total, std::int64_t per_user_limit = 1,
            std::int64_t start_offset_ms = -60000, std::int64_t end_offset_ms = 3600000,
            bool enabled = true) {
    load_product(redis(), id, total, per_user_limit, start_offset_ms, end_offset_ms, enabled);
  }

  void load_with_rules(ProductId id, std::int64_t total, std::int64_t max_per_second,
                       double buy_rate) {
    Product product;
    product.group = kGroup;
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
    int matching = 0;
    for (const auto& decision : decide_all(batch)) {
      matching += decision && decision->code == code ? 1 : 0;
    }
    return matching;
  }

  /// Decides `batch` on this test's path; one decision per request, in order.
  std::vector<Result<PurchaseReply>> decide_all(const std::vector<PurchaseRequest>& batch) {
    if (GetParam() == DecidePath::kArguments) {
      auto decisions = decider_->decide(redis(), kGroup, batch);
      EXPECT_TRUE(decisions) << (decisions ? "" : decisions.error().message);
      return decisions ? *decisions : std::vector<Result<PurchaseReply>>{};
    }
    for (const auto& r : batch)
      server().command({"RPUSH", keys::requests(kGroup), encode_request(r)});
    auto round = one_round(*decider_, redis(), static_cast<int>(batch.size()));
    EXPECT_TRUE(round) << (round ? "" : round.error().message);
    if (!round) return {};
    EXPECT_FALSE(round->script_error) << round->error;
    EXPECT_FALSE(round->stopped);
    EXPECT_EQ(round->taken, batch.size());
    EXPECT_EQ(round->codes.size(), batch.size());
    EXPECT_EQ(server().command({"LLEN", keys::requests(kGroup)}), "0") << "taken off the queue";
    // Its replies are the newest on the reply list, in order (the batches here are of one
    // product and one reply list).
    auto pushed = redis().command(
        {"LRANGE", "seckill:reply:{test}", "-" + std::to_string(batch.size()), "-1"});
    EXPECT_TRUE(pushed && pushed->size() == batch.size());
    std::vector<Result<PurchaseReply>> decisions;
    for (std::size_t i = 0; pushed && i < pushed->size(); ++i) {
      decisions.push_back(decode_reply(reply_str(pushed->element(i))));
      if (decisions.back()) {
        EXPECT_EQ(decisions.back()->code, round->codes[i]);
      }
    }
    return decisions;
  }

  PurchaseRequest request(ProductId product, UserId user, std::int64_t deadline_offset_ms = 5000) {
    PurchaseRequest r = request_for("t-" + std::to_string(++sequence_), product, user);
    r.deadline_ms = unix_ms_now() + deadline_offset_ms;
    return r;
  }

  PurchaseReply decide(const PurchaseRequest& r) {
    auto decisions = decide_all({r});
    if (decisions.size() != 1) return {};
    EXPECT_TRUE(decisions.front()) << decisions.front().error().message;
    return decisions.front() ? decisions.front().value() : PurchaseReply{};
  }

  std::string field(ProductId id, const std::string& name) {
    return server().command({"HGET", keys::product(kGroup, id), name});
  }

  LogicConfig config_;
  std::unique_ptr<Decider> decider_;
  int sequence_ = 0;
};

TEST_P(DecisionScriptTest, PurchaseRecordsOrderAndPushesReply) {
  load(1, 3);
  auto r = request(1, 100);
  auto reply = decide(r);
  EXPECT_EQ(reply.code, Code::kPurchased);
  EXPECT_EQ(reply.id, r.id);
  EXPECT_EQ(reply.order_id, "1-1");
  EXPECT_EQ(reply.left, 2);
  EXPECT_EQ(field(1, "left"), "2");
  EXPECT_EQ(field(1, "sold"), "1");
  EXPECT_EQ(server().command({"HGET", keys::buyers(kGroup, 1), "100"}), "1-1");
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, 1)}), "1");
  EXPECT_EQ(server().command({"LLEN", "seckill:reply:{test}"}), "1");
  auto ttl = std::stoll(server().command({"PTTL", "seckill:reply:{test}"}));
  EXPECT_GT(ttl, 0) << "a reply list must expire";
}

TEST_P(DecisionScriptTest, SecondPurchaseOverLimitIs1002WithTheHeldOrder) {
  load(1, 10);
  ASSERT_EQ(decide(request(1, 100)).code, Code::kPurchased);
  auto again = decide(request(1, 100));
  EXPECT_EQ(again.code, Code::kLimitReached);
  EXPECT_EQ(again.order_id, "1-1");
  EXPECT_EQ(field(1, "left"), "9");
}

TEST_P(DecisionScriptTest, PerUserLimitAboveOneAllowsThatMany) {
  load(1, 10, 3);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(decide(request(1, 100)).code, Code::kPurchased);
  EXPECT_EQ(decide(request(1, 100)).code, Code::kLimitReached);
  EXPECT_EQ(server().command({"HGET", keys::buyers(kGroup, 1), "100"}), "1-1,1-2,1-3");
}

// Several units at once: one order of all of them, or nothing; the limit counts units.
TEST_P(DecisionScriptTest, AQuantityBuysAllOrNothingAndTheLimitCountsUnits) {
  load(1, 5, 4);
  auto three = request(1, 100);
  three.quantity = 3;
  auto bought = decide(three);
  ASSERT_EQ(bought.code, Code::kPurchased);
  EXPECT_EQ(bought.order_id, "1-1");
  EXPECT_EQ(bought.left, 2);
  EXPECT_EQ(field(1, "left"), "2");
  EXPECT_EQ(field(1, "sold"), "3");
  EXPECT_EQ(server().command({"HGET", keys::buyers(kGroup, 1), "100"}), "1-1*3");
  const std::string record = server().command({"HGET", keys::order_records(kGroup, 1), "1-1"});
  EXPECT_TRUE(record.starts_with("pending_payment|1|100|") && record.ends_with("||3")) << record;
  auto event = redis().command({"XRANGE", keys::orders(kGroup, 1), "-", "+"});
  ASSERT_TRUE(event && event->size() == 1);
  const redisReply* fields = event->element(0)->element[1];
  std::string units;
  for (std::size_t k = 0; k + 1 < fields->elements; k += 2) {
    if (reply_str(fields->element[k]) == "quantity") units = reply_str(fields->element[k + 1]);
  }
  EXPECT_EQ(units, "3") << "the created event carries the units";

  // Two more would make five units: over the limit of four, whatever the stock.
  auto over = request(1, 100);
  over.quantity = 2;
  auto refused = decide(over);
  EXPECT_EQ(refused.code, Code::kLimitReached);
  EXPECT_EQ(refused.order_id, "1-1");
  auto one = request(1, 100);
  EXPECT_EQ(decide(one).code, Code::kPurchased) << "four units in all";
  EXPECT_EQ(server().command({"HGET", keys::buyers(kGroup, 1), "100"}), "1-1*3,1-2");

  // One unit left: a purchase of two is refused whole, with what is left; one unit still sells.
  auto two = request(1, 200);
  two.quantity = 2;
  auto short_of_stock = decide(two);
  EXPECT_EQ(short_of_stock.code, Code::kSoldOut);
  EXPECT_EQ(short_of_stock.left, 1);
  EXPECT_EQ(field(1, "left"), "1") << "nothing taken";
  EXPECT_EQ(decide(request(1, 200)).code, Code::kPurchased);
  EXPECT_EQ(field(1, "left"), "0");
  EXPECT_EQ(field(1, "sold"), "5");

  auto alone = request(1, 300);
  alone.quantity = 5;
  EXPECT_EQ(decide(alone).code, Code::kLimitReached) << "more than anyone may hold";
}

TEST_P(DecisionScriptTest, SoldOutIs1001AndChangesNothing) {
  load(1, 1);
  ASSERT_EQ(decide(request(1, 100)).code, Code::kPurchased);
  EXPECT_EQ(decide(request(1, 200)).code, Code::kSoldOut);
  EXPECT_EQ(field(1, "left"), "0");
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, 1)}), "1");
}

TEST_P(DecisionScriptTest, WindowAndPauseAndUnknownProduct) {
  load(1, 5, 1, 60000, 120000);
  EXPECT_EQ(decide(request(1, 1)).code, Code::kNotStarted);
  load(2, 5, 1, -120000, -60000);
  EXPECT_EQ(decide(request(2, 1)).code, Code::kEnded);
  load(3, 5, 1, -60000, 60000, /*enabled=*/false);
  EXPECT_EQ(decide(request(3, 1)).code, Code::kPaused);
  EXPECT_EQ(decide(request(99, 1)).code, Code::kNotFound);
  EXPECT_EQ(field(1, "left"), "5");
}

TEST_P(DecisionScriptTest, ExpiredRequestNeverBecomesAPurchase) {
  load(1, 5);
  auto reply = decide(request(1, 100, /*deadline_offset_ms=*/-1));
  EXPECT_EQ(reply.code, Code::kTimeout);
  EXPECT_EQ(field(1, "left"), "5");
  EXPECT_EQ(server().command({"EXISTS", keys::buyers(kGroup, 1)}), "0");
}

TEST_P(DecisionScriptTest, RedeliveredRequestGetsTheSameAnswerAndChangesNothing) {
  load(1, 5);
  auto r = request(1, 100);
  auto first = decide(r);
  auto second = decide(r);
  EXPECT_EQ(first.code, Code::kPurchased);
  EXPECT_EQ(second.code, Code::kPurchased);
  EXPECT_EQ(second.order_id, first.order_id);
  EXPECT_EQ(field(1, "left"), "4");
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, 1)}), "1");
  // A rejection is remembered too: after more stock arrives it must not turn into a purchase.
  load(2, 0);
  auto refused = request(2, 100);
  EXPECT_EQ(decide(refused).code, Code::kSoldOut);
  load(2, 5);
  EXPECT_EQ(decide(refused).code, Code::kSoldOut);
  EXPECT_EQ(field(2, "left"), "5");
}

TEST_P(DecisionScriptTest, ADecisionIsKeptForTheRetentionPastTheEndOfItsDeadlineSecond) {
  load(1, 10, 5);
  PurchaseRequest first = request(1, 42);
  ASSERT_EQ(decide(first).code, Code::kPurchased);
  const std::string hash = keys::decisions(kGroup, 1, first.deadline_ms / 1000);
  const std::int64_t expected =
      (first.deadline_ms / 1000 + 1) * 1000 + config_.decision_retention.count();
  EXPECT_EQ(std::stoll(server().command({"PEXPIRETIME", hash})), expected);
  // A later decision with a deadline in the same second lands in the same hash, which keeps
  // its time.
  PurchaseRequest second = request(1, 43);
  second.deadline_ms = first.deadline_ms / 1000 * 1000 + 999;
  ASSERT_EQ(decide(second).code, Code::kPurchased);
  EXPECT_EQ(server().command({"HEXISTS", hash, second.id}), "1");
  EXPECT_EQ(std::stoll(server().command({"PEXPIRETIME", hash})), expected);
}

TEST_P(DecisionScriptTest, SurvivesScriptFlush) {
  load(1, 5);
  ASSERT_EQ(decide(request(1, 1)).code, Code::kPurchased);
  server().command({"SCRIPT", "FLUSH"});  // what a restarted Redis looks like to EVALSHA
  EXPECT_EQ(decide(request(1, 2)).code, Code::kPurchased);
}

TEST_P(DecisionScriptTest, BatchDecidesEachRequest) {
  load(1, 2);
  std::vector<PurchaseRequest> batch = {request(1, 1), request(1, 2), request(1, 3), request(1, 1)};
  auto decisions = decide_all(batch);
  ASSERT_EQ(decisions.size(), 4u);
  EXPECT_EQ(decisions[0]->code, Code::kPurchased);
  EXPECT_EQ(decisions[1]->code, Code::kPurchased);
  EXPECT_EQ(decisions[2]->code, Code::kSoldOut);
  EXPECT_EQ(decisions[3]->code, Code::kLimitReached);
}

TEST_P(DecisionScriptTest, OneUserTwiceInABatchCountsBothOrders) {
  load(1, 10, 2);
  std::vector<PurchaseRequest> batch = {request(1, 7), request(1, 7), request(1, 7)};
  auto decisions = decide_all(batch);
  ASSERT_EQ(decisions.size(), 3u);
  EXPECT_EQ(decisions[0]->code, Code::kPurchased);
  EXPECT_EQ(decisions[1]->code, Code::kPurchased);
  EXPECT_EQ(decisions[2]->code, Code::kLimitReached);
  EXPECT_EQ(server().command({"HGET", keys::buyers(kGroup, 1), "7"}), "1-1,1-2");
  EXPECT_EQ(field(1, "left"), "8");
}

TEST_P(DecisionScriptTest, ARequestIdTwiceInOneBatchBuysOnce) {
  load(1, 10, 5);
  const PurchaseRequest once = request(1, 9);
  auto decisions = decide_all({once, once});
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[0]->code, Code::kPurchased);
  EXPECT_EQ(decisions[1]->code, Code::kPurchased);
  EXPECT_EQ(decisions[1]->order_id, decisions[0]->order_id);
  EXPECT_EQ(field(1, "sold"), "1");
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, 1)}), "1");
}

TEST_P(DecisionScriptTest, ABigBatchKeepsStockOrdersAndBuyersInStep) {
  // More users than one slice of the script's batched reads and writes (200).
  load(1, 450);
  EXPECT_EQ(batch_count(1, 500, Code::kPurchased, 1000), 450);
  EXPECT_EQ(field(1, "left"), "0");
  EXPECT_EQ(field(1, "sold"), "450");
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, 1)}), "450");
  EXPECT_EQ(server().command({"HLEN", keys::buyers(kGroup, 1)}), "450");
  // The same users again: every one is told about the order they hold, or sold out.
  EXPECT_EQ(batch_count(1, 500, Code::kLimitReached, 1000), 450);
}

TEST_P(DecisionScriptTest, MaxPerSecondCapsUnitsSoldPerSecond) {
  load_with_rules(1, 100, /*max_per_second=*/3, /*buy_rate=*/1.0);
  const int bought = batch_count(1, 10, Code::kPurchased, 1);
  // One batch is decided within one second of Redis time (or, rarely, across a boundary).
  EXPECT_GE(bought, 3);
  EXPECT_LE(bought, 6);
  std::this_thread::sleep_for(1100ms);
  EXPECT_GE(batch_count(1, 5, Code::kPurchased, 100), 3) << "a new second, a new allowance";
  for (const auto& decision : decide_all(
           {request(1, 200), request(1, 201), request(1, 202), request(1, 203), request(1, 204)})) {
    if (decision && decision->code == Code::kTryLater) {
      EXPECT_FALSE(decision->lost_draw) << "the cap, not a draw";
    }
  }
}

TEST_P(DecisionScriptTest, BuyRateDrawsPerRequest) {
  load_with_rules(1, 1000, 0, /*buy_rate=*/0.0);
  EXPECT_EQ(batch_count(1, 20, Code::kTryLater, 1), 20) << "rate 0: nobody wins";
  for (const auto& decision : decide_all({request(1, 500)})) {
    ASSERT_TRUE(decision);
    EXPECT_TRUE(decision->lost_draw) << "the reply says the draw refused it";
  }
  load_with_rules(2, 1000, 0, /*buy_rate=*/0.5);
  int bought = 0;
  for (int round = 0; round < 8; ++round) {
    bought += batch_count(2, 50, Code::kPurchased, 1000 + round * 50);
  }
  EXPECT_GT(bought, 140) << "about half of 400";
  EXPECT_LT(bought, 260) << "about half of 400";
  EXPECT_EQ(field(2, "sold"), std::to_string(bought));
}

// What only one path does: the queue script's own reading and taking, and each path's race.
class DecisionPathTest : public test::RedisSuite {
 protected:
  void push(const std::string& message) {
    server().command({"RPUSH", keys::requests(kGroup), message});
  }
  void push(const PurchaseRequest& r) { push(encode_request(r)); }
  std::string queued() { return server().command({"LLEN", keys::requests(kGroup)}); }

  LogicConfig config_;
  Decider decider_{config_};
};

TEST_F(DecisionPathTest, DecidesSeveralProductsAndReplyListsInOneStep) {
  load_product(redis(), 1, 2);
  load_product(redis(), 2, 10);
  push(request_for("a", 1, 1, "seckill:reply:{p1}"));
  push(request_for("b", 2, 1, "seckill:reply:{p2}"));
  push(request_for("c", 1, 2, "seckill:reply:{p2}"));
  push(request_for("d", 1, 3, "seckill:reply:{p1}"));
  auto round = one_round(decider_, redis(), 64);
  ASSERT_TRUE(round);
  ASSERT_FALSE(round->script_error) << round->error;
  EXPECT_EQ(round->taken, 4u);
  EXPECT_FALSE(round->stopped);
  EXPECT_EQ(queued(), "0");
  // Grouped by product, in arrival order within each: 1: a c d, then 2: b.
  EXPECT_EQ(round->codes, (std::vector<Code>{Code::kPurchased, Code::kPurchased, Code::kSoldOut,
                                             Code::kPurchased}));
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "sold"}), "2");
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 2), "sold"}), "1");
  EXPECT_EQ(server().command({"LLEN", "seckill:reply:{p1}"}), "2");
  EXPECT_EQ(server().command({"LLEN", "seckill:reply:{p2}"}), "2");
  auto first = decode_reply(server().command({"LINDEX", "seckill:reply:{p1}", "0"}));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "a");
  EXPECT_EQ(first->order_id, "1-1");
}

TEST_F(DecisionPathTest, StopsAtAMessageItDoesNotReadAndLeavesItAtTheHead) {
  load_product(redis(), 1, 10);
  push(request_for("first", 1, 1));
  // Valid JSON that decode_request accepts, but not the form the proxy writes.
  const std::string reordered = R"({"product_id":1,"id":"second","user_id":2,)"
                                R"("reply_to":"seckill:reply:{test}","deadline_ms":1})";
  ASSERT_TRUE(decode_request(reordered));
  push(reordered);
  push(request_for("third", 1, 3));
  auto round = one_round(decider_, redis(), 64);
  ASSERT_TRUE(round);
  EXPECT_EQ(round->taken, 1u);
  EXPECT_TRUE(round->stopped);
  EXPECT_EQ(queued(), "2");
  EXPECT_EQ(server().command({"LINDEX", keys::requests(kGroup), "0"}), reordered);
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "sold"}), "1");
}

// A reply_to naming a key that is not a list used to fail the script at its RPUSH, after the
// batch's orders were written: buyers who got a unit were answered 5004. Such a request is now
// refused undecided (4000), before any write, and the rest of its batch is decided as usual.
TEST_F(DecisionPathTest, AReplyListThatIsNotAListIsRefusedBeforeAnyWrite) {
  load_product(redis(), 1, 10);
  server().command({"SET", "seckill:reply:{hijacked}", "a string"});
  const std::vector<PurchaseRequest> batch = {request_for("good-1", 1, 1),
                                              request_for("bad", 1, 2, "seckill:reply:{hijacked}"),
                                              request_for("good-2", 1, 3)};
  auto decisions = decider_.decide(redis(), kGroup, batch);
  ASSERT_TRUE(decisions);
  ASSERT_EQ(decisions->size(), 3u);
  EXPECT_EQ((*decisions)[0]->code, Code::kPurchased);
  EXPECT_EQ((*decisions)[1]->code, Code::kBadRequest);
  EXPECT_EQ((*decisions)[2]->code, Code::kPurchased);
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "sold"}), "2");
  EXPECT_EQ(server().command({"HGET", keys::buyers(kGroup, 1), "2"}), "")
      << "no order for the refused";
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, 1)}), "2");
  EXPECT_EQ(server().command({"LLEN", "seckill:reply:{test}"}), "2");
  EXPECT_EQ(server().command({"GET", "seckill:reply:{hijacked}"}), "a string");

  // From the queue: the good request before it is decided, the take stops at it.
  push(request_for("good-3", 1, 4));
  push(request_for("bad-2", 1, 5, "seckill:reply:{hijacked}"));
  auto round = one_round(decider_, redis(), 64);
  ASSERT_TRUE(round);
  EXPECT_FALSE(round->script_error) << round->error;
  EXPECT_EQ(round->taken, 1u);
  EXPECT_TRUE(round->stopped) << "left at the head for the held path, which dead-letters it";
  EXPECT_EQ(queued(), "1");
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "sold"}), "3");
}

// A deadline of 2^63-1 used to leave decision keys that never expire. Deadlines further ahead
// than max_deadline_ahead are refused undecided, and nothing is remembered for them.
TEST_F(DecisionPathTest, DeadlinesFarAheadAreRefusedAndLeaveNoKeys) {
  load_product(redis(), 1, 10);
  PurchaseRequest far = request_for("far", 1, 1);
  far.deadline_ms = unix_ms_now() + config_.max_deadline_ahead.count() + 60000;
  PurchaseRequest near = request_for("near", 1, 2);
  auto decisions = decider_.decide(redis(), kGroup, {far, near});
  ASSERT_TRUE(decisions);
  EXPECT_EQ((*decisions)[0]->code, Code::kBadRequest);
  EXPECT_EQ((*decisions)[1]->code, Code::kPurchased);
  EXPECT_EQ(server().command({"EXISTS", keys::decisions(kGroup, 1, far.deadline_ms / 1000)}), "0");
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "sold"}), "1");

  PurchaseRequest huge = request_for("huge", 1, 3);
  huge.deadline_ms = 999'999'999'999'999;  // 15 digits: the most the queue script reads
  push(huge);
  auto round = one_round(decider_, redis(), 64);
  ASSERT_TRUE(round);
  EXPECT_EQ(round->taken, 0u);
  EXPECT_TRUE(round->stopped);
  huge.deadline_ms = std::numeric_limits<std::int64_t>::max();
  auto refused = decider_.decide(redis(), kGroup, {huge});
  ASSERT_TRUE(refused);
  EXPECT_EQ((*refused)[0]->code, Code::kBadRequest);
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "sold"}), "1");
}

TEST_F(DecisionPathTest, EdgesOfTheReadableForm) {
  load_product(redis(), 1, 10);
  // The largest user id stays exact: ids are never Lua numbers.
  push(request_for("max", 1, 9223372036854775807LL));
  auto round = one_round(decider_, redis(), 64);
  ASSERT_TRUE(round);
  EXPECT_EQ(round->taken, 1u);
  EXPECT_EQ(server().command({"HGET", keys::buyers(kGroup, 1), "9223372036854775807"}), "1-1");
  // Past 2^63-1, a leading zero, a long id: left for the full decoder.
  for (const std::string& message :
       {std::string(R"({"id":"x","product_id":1,"user_id":9223372036854775808,)"
                    R"("reply_to":"seckill:reply:{test}","deadline_ms":1})"),
        std::string(R"({"id":"x","product_id":01,"user_id":5,)"
                    R"("reply_to":"seckill:reply:{test}","deadline_ms":1})"),
        R"({"id":")" + std::string(201, 'x') +
            R"(","product_id":1,"user_id":5,"reply_to":"seckill:reply:{test}","deadline_ms":1})",
        // Quantities of none, a leading zero, or past the most a purchase may ask for.
        std::string(R"({"id":"x","product_id":1,"user_id":5,"quantity":0,)"
                    R"("reply_to":"seckill:reply:{test}","deadline_ms":1})"),
        std::string(R"({"id":"x","product_id":1,"user_id":5,"quantity":02,)"
                    R"("reply_to":"seckill:reply:{test}","deadline_ms":1})"),
        std::string(R"({"id":"x","product_id":1,"user_id":5,"quantity":1000001,)"
                    R"("reply_to":"seckill:reply:{test}","deadline_ms":1})")}) {
    server().command({"DEL", keys::requests(kGroup)});
    push(message);
    auto refused = one_round(decider_, redis(), 64);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->taken, 0u) << message;
    EXPECT_TRUE(refused->stopped) << message;
    EXPECT_EQ(queued(), "1") << message;
  }
}

TEST_F(DecisionPathTest, TakesAtMostTheBatchAndRepeatsEarlierDecisions) {
  load_product(redis(), 1, 10, 5);
  auto decided = decider_.decide(redis(), kGroup, {request_for("early", 1, 7)});
  ASSERT_TRUE(decided && decided->front());
  for (int i = 0; i < 4; ++i) push(request_for("r" + std::to_string(i), 1, 100 + i));
  push(request_for("early", 1, 7));  // redelivered: decided before, by the argument path
  auto round = one_round(decider_, redis(), 3);
  ASSERT_TRUE(round);
  EXPECT_EQ(round->taken, 3u);
  EXPECT_EQ(queued(), "2");
  round = one_round(decider_, redis(), 3);
  ASSERT_TRUE(round);
  EXPECT_EQ(round->taken, 2u);
  EXPECT_EQ(queued(), "0");
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "sold"}), "5")
      << "early bought once";
  EXPECT_EQ(server().command({"HGET", keys::buyers(kGroup, 1), "7"}), decided->front()->order_id);
}

TEST_F(DecisionPathTest, FourWorkersDecidingFromTheQueueSellExactlyTheStock) {
  load_product(redis(), 1, 100);
  constexpr int kRequests = 400;
  for (int i = 0; i < kRequests; ++i) {
    push(request_for("race-" + std::to_string(i), 1, i + 1, "seckill:reply:{race}"));
  }
  std::atomic<std::size_t> taken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      RedisClient redis(server().config());
      Decider decider(config_);
      while (true) {
        auto round = one_round(decider, redis, 16);
        if (!round || round->script_error || round->taken == 0) return;
        taken.fetch_add(round->taken);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(taken.load(), static_cast<std::size_t>(kRequests));
  EXPECT_EQ(queued(), "0");
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "sold"}), "100");
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "left"}), "0");
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, 1)}), "100");
  EXPECT_EQ(server().command({"HLEN", keys::buyers(kGroup, 1)}), "100");
  EXPECT_EQ(server().command({"LLEN", "seckill:reply:{race}"}), std::to_string(kRequests));
}

TEST_F(DecisionPathTest, FiftyThreadsDecidingByArgumentsSellExactlyTheStock) {
  load_product(redis(), 1, 100);
  constexpr int kThreads = 50, kEach = 10;
  std::atomic<int> purchased{0}, sold_out{0}, other{0};
  std::mutex orders_mutex;
  std::set<std::string> order_ids;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      RedisClient redis(server().config());
      Decider decider(config_);
      for (int i = 0; i < kEach; ++i) {
        PurchaseRequest r;
        r.id = "race-" + std::to_string(t) + "-" + std::to_string(i);
        r.product_id = 1;
        r.user_id = t * kEach + i + 1;  // 500 distinct users
        r.reply_to = "seckill:reply:{race}";
        r.deadline_ms = unix_ms_now() + 10000;
        auto decisions = decider.decide(redis, kGroup, {r});
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
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "left"}), "0");
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, 1)}), "100");
  EXPECT_EQ(server().command({"HLEN", keys::buyers(kGroup, 1)}), "100");
}

// 10 users buying 3 units at a time from 20, from many threads at once; on a 1001 that says
// fewer are left they ask for what is left, as the sale page does. Exactly the stock is sold,
// in units, and nobody holds more than the limit.
TEST_F(DecisionPathTest, QuantitiesUnderConcurrencySellExactlyTheStockInUnits) {
  load_product(redis(), 1, 20, 3);
  std::atomic<int> units_bought{0}, other{0};
  std::vector<std::thread> threads;
  for (int user = 1; user <= 10; ++user) {
    threads.emplace_back([&, user] {
      RedisClient redis(server().config());
      Decider decider(config_);
      std::int64_t want = 3;
      for (int attempt = 0; attempt < 5 && want > 0; ++attempt) {
        PurchaseRequest r = request_for("q-" + std::to_string(user) + "-" + std::to_string(attempt),
                                        1, user, "seckill:reply:{race}");
        r.quantity = want;
        auto decisions = decider.decide(redis, kGroup, {r});
        if (!decisions || !decisions->front()) {
          other.fetch_add(1);
          return;
        }
        const PurchaseReply& reply = decisions->front().value();
        if (reply.code == Code::kPurchased) {
          units_bought.fetch_add(static_cast<int>(want));
          return;
        }
        if (reply.code != Code::kSoldOut) {
          other.fetch_add(1);
          return;
        }
        want = std::min(want, reply.left);  // 0: sold out, stop
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(units_bought.load(), 20);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "left"}), "0");
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 1), "sold"}), "20");
  admin::AdminStore store(redis());
  auto data = store.audit_data(1);
  ASSERT_TRUE(data);
  const admin::AuditResult audit = admin::audit_product(*data);
  EXPECT_TRUE(audit.ok()) << (audit.breaches.empty() ? "" : audit.breaches.front());
}

INSTANTIATE_TEST_SUITE_P(Paths, DecisionScriptTest,
                         ::testing::Values(DecidePath::kArguments, DecidePath::kQueue),
                         [](const ::testing::TestParamInfo<DecidePath>& param_info) {
                           return param_info.param == DecidePath::kArguments ? "Arguments"
                                                                             : "Queue";
                         });

}  // namespace
}  // namespace seckill::logic
