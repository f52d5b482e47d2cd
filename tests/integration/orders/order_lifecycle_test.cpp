// An order's life after its purchase, on a real redis-server: awaiting payment until its pay-by
// time, then paid, or expired by the reaper with its unit back on sale, or cancelled; a late
// payment never undoes an expiry. The audit holds after every step.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/orders/order_actions.hpp"
#include "common/store/redis_keys.hpp"
#include "logic/decide/decision.hpp"
#include "logic/upkeep/order_reaper.hpp"
#include "tests/support/seckill/products.hpp"
#include "tests/support/servers/redis_suite.hpp"
#include "tools/admin/admin_store.hpp"

namespace seckill {
namespace {

using namespace std::chrono_literals;

constexpr ProductId kProduct = 8;
const keys::GroupId kGroup = keys::default_group(kProduct, keys::kDefaultGroups);

class OrderLifecycleTest : public test::RedisSuite {
 protected:
  void SetUp() override {
    RedisSuite::SetUp();
    store_ = std::make_unique<admin::AdminStore>(redis());
    actions_ = std::make_unique<OrderActions>(redis());
    groups_.replace({kGroup});
    config_.redis = server().config();
  }

  void load(std::int64_t total, std::int64_t pay_within_s, bool rebuy = false,
            std::int64_t per_user_limit = 1) {
    Product product = test::payable_product(kProduct, total, 1999, pay_within_s, rebuy);
    product.per_user_limit = per_user_limit;
    ASSERT_TRUE(store_->load(product));
  }

  // The code a purchase of `quantity` units by `user` gets, and its order id.
  std::pair<Code, std::string> buy(UserId user, std::int64_t quantity = 1) {
    PurchaseRequest r{"buy-" + std::to_string(user) + "-" + std::to_string(++requests_),
                      kProduct,
                      user,
                      "seckill:reply:{orders}",
                      unix_ms_now() + 5000,
                      quantity};
    auto decisions = decider_.decide(redis(), kGroup, {r});
    if (!decisions || !decisions->front()) return {Code::kUnavailable, ""};
    return {decisions->front()->code, decisions->front()->order_id};
  }

  std::string record_of(const std::string& order) {
    return server().command({"HGET", keys::order_records(kGroup, kProduct), order});
  }

  std::string field(const char* name) {
    return server().command({"HGET", keys::product(kGroup, kProduct), name});
  }

  Payment payment(const std::string& order, const std::string& id) {
    return Payment{order, id, 1999, "CNY"};
  }

  void expect_audit_ok() {
    auto data = store_->audit_data(kProduct);
    ASSERT_TRUE(data) << data.error().message;
    auto audit = admin::audit_product(*data);
    for (const auto& breach : audit.breaches) ADD_FAILURE() << breach;
  }

  logic::LogicConfig config_;
  logic::Decider decider_{config_};
  logic::LogicStats stats_;
  logic::ServedGroups groups_;
  std::unique_ptr<admin::AdminStore> store_;
  std::unique_ptr<OrderActions> actions_;
  int requests_ = 0;
};

TEST_F(OrderLifecycleTest, APurchaseAwaitsPaymentUntilItsPayByTime) {
  load(5, 900);
  const std::int64_t before = unix_ms_now();
  auto [code, order] = buy(1);
  ASSERT_EQ(code, Code::kPurchased);
  const std::string record = record_of(order);
  EXPECT_EQ(record.rfind("pending_payment|1|1|", 0), 0u) << record;
  const std::int64_t pay_by =
      std::stoll(server().command({"ZSCORE", keys::pending_orders(kGroup), order}));
  EXPECT_GE(pay_by, before + 900000);
  EXPECT_LE(pay_by, unix_ms_now() + 900000);
  EXPECT_NE(record.find("|" + std::to_string(pay_by) + "|"), std::string::npos);
  expect_audit_ok();
}

TEST_F(OrderLifecycleTest, APaymentPaysTheOrderOnceAndASecondOneIsARefundDue) {
  load(5, 900);
  auto [code, order] = buy(1);
  ASSERT_EQ(code, Code::kPurchased);
  auto paid = actions_->pay(kGroup, payment(order, "pay-1"));
  ASSERT_TRUE(paid) << paid.error().message;
  EXPECT_EQ(paid->outcome, "paid");
  EXPECT_EQ(paid->state, "paid");
  EXPECT_EQ(paid->version, 2);
  EXPECT_EQ(server().command({"ZSCORE", keys::pending_orders(kGroup), order}), "");

  auto again = actions_->pay(kGroup, payment(order, "pay-1"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, "duplicate");
  EXPECT_EQ(again->detail, "paid");
  EXPECT_EQ(again->version, 2) << "a repeated callback changes nothing";

  auto other = actions_->pay(kGroup, payment(order, "pay-2"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->outcome, "refund_due");
  EXPECT_EQ(other->state, "paid");
  EXPECT_EQ(field("refund_due"), "1");
  EXPECT_EQ(field("paid"), "1");
  expect_audit_ok();
}

TEST_F(OrderLifecycleTest, AWrongAmountOrCurrencyChangesNothing) {
  load(5, 900);
  auto [code, order] = buy(1);
  ASSERT_EQ(code, Code::kPurchased);
  Payment wrong = payment(order, "pay-1");
  wrong.amount = 1000;
  auto refused = actions_->pay(kGroup, wrong);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->outcome, "mismatch");
  EXPECT_EQ(refused->detail, "amount 1999");
  wrong = payment(order, "pay-1");
  wrong.currency = "USD";
  refused = actions_->pay(kGroup, wrong);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->detail, "currency CNY");
  EXPECT_EQ(record_of(order).rfind("pending_payment|1|", 0), 0u);
  EXPECT_EQ(server().command({"EXISTS", keys::payments(kGroup, kProduct)}), "0");
  // The same payment id, now right, is applied: a refused one was not remembered.
  auto paid = actions_->pay(kGroup, payment(order, "pay-1"));
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->outcome, "paid");

  auto unknown = actions_->pay(kGroup, payment(std::to_string(kProduct) + "-99", "pay-9"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->outcome, "unknown_order");
  auto reused = actions_->pay(kGroup, payment(std::to_string(kProduct) + "-99", "pay-1"));
  ASSERT_TRUE(reused);
  EXPECT_EQ(reused->outcome, "unknown_order");
  expect_audit_ok();
}

TEST_F(OrderLifecycleTest, AnUnpaidOrderExpiresAndItsUnitSellsAgain) {
  load(1, 1);
  auto [code, order] = buy(1);
  ASSERT_EQ(code, Code::kPurchased);
  EXPECT_EQ(buy(2).first, Code::kSoldOut);
  logic::OrderReaper reaper(config_, stats_, groups_);
  EXPECT_EQ(reaper.reap_once(), 0u) << "not due yet";
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(reaper.reap_once(), 1u);
  EXPECT_EQ(reaper.reap_once(), 0u) << "an order expires once";
  EXPECT_EQ(record_of(order).rfind("expired|2|1|", 0), 0u) << record_of(order);
  EXPECT_EQ(field("left"), "1");
  EXPECT_EQ(field("expired"), "1");
  EXPECT_EQ(stats_.orders_expired.load(), 1u);
  expect_audit_ok();

  EXPECT_EQ(buy(1).first, Code::kLimitReached) << "the expired order used the buyer's turn";
  auto [second, second_order] = buy(2);
  EXPECT_EQ(second, Code::kPurchased) << "the unit is back on sale";
  EXPECT_NE(second_order, order);
  // A payment for the expired order is never applied: the operator refunds it.
  auto late = actions_->pay(kGroup, payment(order, "late-1"));
  ASSERT_TRUE(late);
  EXPECT_EQ(late->outcome, "refund_due");
  EXPECT_EQ(late->state, "expired");
  expect_audit_ok();
}

TEST_F(OrderLifecycleTest, WithRebuyAfterExpiryTheBuyerMayBuyAgain) {
  load(1, 1, /*rebuy=*/true);
  ASSERT_EQ(buy(1).first, Code::kPurchased);
  std::this_thread::sleep_for(1100ms);
  logic::OrderReaper reaper(config_, stats_, groups_);
  EXPECT_EQ(reaper.reap_once(), 1u);
  EXPECT_EQ(server().command({"HEXISTS", keys::buyers(kGroup, kProduct), "1"}), "0");
  expect_audit_ok();
  EXPECT_EQ(buy(1).first, Code::kPurchased);
  expect_audit_ok();
}

// The reaper has not come by yet: the payment itself finds the pay-by time passed, expires the
// order and records the payment as a refund due. Payment XOR expiry.
TEST_F(OrderLifecycleTest, APaymentAfterThePayByTimeLosesEvenBeforeTheReaper) {
  load(1, 1);
  auto [code, order] = buy(1);
  ASSERT_EQ(code, Code::kPurchased);
  std::this_thread::sleep_for(1100ms);
  auto late = actions_->pay(kGroup, payment(order, "late-1"));
  ASSERT_TRUE(late);
  EXPECT_EQ(late->outcome, "refund_due");
  EXPECT_EQ(late->state, "expired");
  EXPECT_EQ(field("left"), "1");
  logic::OrderReaper reaper(config_, stats_, groups_);
  EXPECT_EQ(reaper.reap_once(), 0u) << "already expired";
  expect_audit_ok();
}

TEST_F(OrderLifecycleTest, ACancelledOrderGivesItsUnitBack) {
  load(2, 900);
  auto [code, order] = buy(1);
  ASSERT_EQ(code, Code::kPurchased);
  auto cancelled = actions_->cancel(kGroup, order);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->outcome, "cancelled");
  EXPECT_EQ(field("left"), "2");
  auto again = actions_->cancel(kGroup, order);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, "not_pending");
  EXPECT_EQ(again->state, "cancelled");

  auto [code2, paid_order] = buy(2);
  ASSERT_EQ(code2, Code::kPurchased);
  ASSERT_EQ(actions_->pay(kGroup, payment(paid_order, "p-2"))->outcome, "paid");
  auto refused = actions_->cancel(kGroup, paid_order);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->outcome, "not_pending");
  EXPECT_EQ(refused->state, "paid");
  EXPECT_EQ(field("left"), "1");
  expect_audit_ok();
}

// An order of three units: paid for three times the price, and when it ends unpaid (expired or
// cancelled) all three go back on sale; with rebuy the buyer's units are free again.
TEST_F(OrderLifecycleTest, AnOrderOfSeveralUnitsIsPaidAndGivenBackWhole) {
  load(6, 1, /*rebuy=*/true, /*per_user_limit=*/3);
  auto [code, order] = buy(1, 3);
  ASSERT_EQ(code, Code::kPurchased);
  auto [paid_code, paid_order] = buy(2, 3);
  ASSERT_EQ(paid_code, Code::kPurchased);
  EXPECT_EQ(field("left"), "0");
  auto one_price = actions_->pay(kGroup, payment(paid_order, "p-one"));
  ASSERT_TRUE(one_price);
  EXPECT_EQ(one_price->outcome, "mismatch");
  EXPECT_EQ(one_price->detail, "amount 5997") << "three units at 1999";
  auto paid = actions_->pay(kGroup, Payment{paid_order, "p-three", 5997, "CNY"});
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->outcome, "paid");
  EXPECT_TRUE(record_of(paid_order).ends_with("|p-three|3")) << record_of(paid_order);
  expect_audit_ok();

  std::this_thread::sleep_for(1100ms);
  logic::OrderReaper reaper(config_, stats_, groups_);
  EXPECT_EQ(reaper.reap_once(), 1u);
  EXPECT_TRUE(record_of(order).starts_with("expired|2|1|")) << record_of(order);
  EXPECT_EQ(field("left"), "3") << "all three units back";
  EXPECT_EQ(field("sold"), "3");
  EXPECT_EQ(server().command({"HEXISTS", keys::buyers(kGroup, kProduct), "1"}), "0");
  expect_audit_ok();
  auto [again, again_order] = buy(1, 2);
  EXPECT_EQ(again, Code::kPurchased);
  auto cancelled = actions_->cancel(kGroup, again_order);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->outcome, "cancelled");
  EXPECT_EQ(field("left"), "3");
  expect_audit_ok();
}

TEST_F(OrderLifecycleTest, WithoutAPaymentStepAnOrderIsFinalAtOnce) {
  load(2, 0);
  auto [code, order] = buy(1);
  ASSERT_EQ(code, Code::kPurchased);
  EXPECT_EQ(record_of(order).rfind("confirmed|1|1|0|", 0), 0u) << record_of(order);
  EXPECT_EQ(server().command({"ZCARD", keys::pending_orders(kGroup)}), "0");
  EXPECT_EQ(actions_->cancel(kGroup, order)->outcome, "not_pending");
  expect_audit_ok();
}

// Payments and the reaper race for 200 orders that fall due together: each order ends paid or
// expired, never both, and the stock balances.
TEST_F(OrderLifecycleTest, PaymentsRacingTheReaperEndEachOrderOneWay) {
  load(200, 1);
  std::vector<std::string> orders;
  for (UserId user = 1; user <= 200; ++user) {
    auto [code, order] = buy(user);
    ASSERT_EQ(code, Code::kPurchased);
    orders.push_back(order);
  }
  // Until about the pay-by time, then both at once.
  std::this_thread::sleep_for(900ms);
  std::atomic<bool> paying{true};
  std::thread reaper_thread([&] {
    logic::OrderReaper reaper(config_, stats_, groups_);
    while (paying.load()) reaper.reap_once();
    reaper.reap_once();
  });
  RedisClient payer_redis(server().config());
  OrderActions payer(payer_redis);
  int paid = 0;
  int refunds = 0;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    auto outcome = payer.pay(kGroup, payment(orders[i], "race-" + std::to_string(i)));
    ASSERT_TRUE(outcome);
    (outcome->outcome == "paid" ? paid : refunds) += 1;
    if (i % 20 == 0) std::this_thread::sleep_for(20ms);
  }
  paying.store(false);
  reaper_thread.join();
  std::this_thread::sleep_for(200ms);
  logic::OrderReaper(config_, stats_, groups_).reap_once();
  EXPECT_EQ(paid + refunds, 200);
  // A counter no transition touched is absent (a loaded machine may land every payment late).
  auto count = [&](const std::string& name) {
    const std::string value = field(name.c_str());
    return value.empty() ? std::string("0") : value;
  };
  EXPECT_EQ(count("paid"), std::to_string(paid));
  EXPECT_EQ(count("expired"), std::to_string(200 - paid));
  EXPECT_EQ(field("left"), std::to_string(200 - paid));
  std::cout << paid << " paid before their pay-by time, " << refunds << " too late\n";
  expect_audit_ok();
}

}  // namespace
}  // namespace seckill
