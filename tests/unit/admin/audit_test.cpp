#include "tools/admin/audit/audit.hpp"

#include <gtest/gtest.h>

#include "tests/unit/admin/audit_checks.hpp"

namespace seckill::admin {
namespace {

OrderEvent event(const std::string& order, const std::string& user, const std::string& kind) {
  OrderEvent entry;
  entry.order_id = order;
  entry.user_id = user;
  entry.event = kind;
  return entry;
}

// Two orders: 1-1 paid by user 100, 1-2 awaiting payment by user 200.
ProductAuditData healthy() {
  ProductAuditData data;
  data.id = 1;
  data.total = 10;
  data.left = 8;
  data.sold = 2;
  data.per_user_limit = 1;
  data.stream = {event("1-1", "100", "created"), event("1-2", "200", "created"),
                 event("1-1", "100", "paid")};
  data.orders = {{"1-1", {"paid", "100"}}, {"1-2", {"pending_payment", "200"}}};
  data.buyers = {{"100", {"1-1"}}, {"200", {"1-2"}}};
  return data;
}

TEST(Audit, HealthyProductPasses) {
  auto result = audit_product(healthy());
  EXPECT_TRUE(result.ok()) << result.breaches.front();
  EXPECT_GE(result.checked.size(), 8u);
}

TEST(Audit, DetectsStockThatDoesNotBalance) {
  auto data = healthy();
  data.left = 9;
  EXPECT_TRUE(breach_mentions(audit_product(data), "total 10 == left 9 + sold 2"));
}

TEST(Audit, DetectsOversell) {
  auto data = healthy();
  data.left = -1;
  data.total = 1;
  EXPECT_TRUE(breach_mentions(audit_product(data), "left -1 >= 0"));
}

TEST(Audit, DetectsLostOrders) {
  auto data = healthy();
  data.stream.erase(data.stream.begin() + 1);
  data.orders.erase("1-2");
  auto result = audit_product(data);
  EXPECT_TRUE(breach_mentions(result, "units held by pending, paid and confirmed orders 1"));
  EXPECT_TRUE(breach_mentions(result, "order records == buyers (1 mismatched)"));
}

TEST(Audit, DetectsUserOverLimit) {
  auto data = healthy();
  data.buyers = {{"100", {"1-1", "1-2"}}};
  data.orders["1-2"].user_id = "100";
  data.stream[1].user_id = "100";
  EXPECT_TRUE(breach_mentions(audit_product(data), "user 100 holds 2 units"));
}

// An order of three units counts three: in what is sold, and against the buyer's limit; its
// buyers entry must say the same units as its record.
TEST(Audit, CountsUnitsNotOrders) {
  auto data = healthy();
  data.per_user_limit = 3;
  data.orders["1-2"].quantity = 3;
  data.buyers["200"] = {"1-2*3"};
  data.left = 6;
  data.sold = 4;
  EXPECT_TRUE(audit_product(data).ok()) << audit_product(data).breaches.front();

  data.per_user_limit = 2;
  EXPECT_TRUE(breach_mentions(audit_product(data), "user 200 holds 3 units"));
  data.per_user_limit = 3;
  data.buyers["200"] = {"1-2*2"};
  EXPECT_TRUE(breach_mentions(audit_product(data), "order records == buyers (1 mismatched)"));
  data.buyers["200"] = {"1-2*3"};
  data.sold = 2;
  data.left = 8;
  EXPECT_TRUE(
      breach_mentions(audit_product(data), "units held by pending, paid and confirmed orders 4"));
}

TEST(Audit, ParsesBuyersEntries) {
  EXPECT_EQ(parse_held_entry("7-1").order_id, "7-1");
  EXPECT_EQ(parse_held_entry("7-1").units, 1);
  EXPECT_EQ(parse_held_entry("7-12*4").order_id, "7-12");
  EXPECT_EQ(parse_held_entry("7-12*4").units, 4);
  EXPECT_EQ(parse_held_entry("7-12*x").units, 0) << "not a number: a breach, never a crash";
}

TEST(Audit, DetectsStreamAndRecordsDisagreeing) {
  auto data = healthy();
  data.stream[1].user_id = "300";
  EXPECT_TRUE(breach_mentions(audit_product(data), "== order records (1 mismatched)"));
}

TEST(Audit, AnExpiredOrderGaveItsUnitBackAndKeepsTheBuyersTurn) {
  auto data = healthy();
  data.orders["1-2"].state = "expired";
  data.stream.push_back(event("1-2", "200", "expired"));
  data.left = 9;
  data.sold = 1;
  EXPECT_TRUE(audit_product(data).ok());
  // Where the product lets the buyer buy again, the expired order leaves the buyers hash.
  data.rebuy_after_expiry = true;
  EXPECT_TRUE(breach_mentions(audit_product(data), "order records == buyers (1 mismatched)"));
  data.buyers.erase("200");
  EXPECT_TRUE(audit_product(data).ok());
}

TEST(Audit, DetectsAnOrderBothPaidAndExpired) {
  auto data = healthy();
  data.stream.push_back(event("1-1", "100", "expired"));
  EXPECT_TRUE(
      breach_mentions(audit_product(data), "no order both paid and expired or cancelled (1)"));
}

TEST(Audit, DetectsAnUnreturnedUnit) {
  auto data = healthy();
  data.orders["1-2"].state = "expired";  // expired, yet still counted as sold
  EXPECT_TRUE(breach_mentions(audit_product(data), "sold 2 == units held"));
}

}  // namespace
}  // namespace seckill::admin

namespace seckill::admin {
namespace {

TEST(Audit, CreatedEventsTrimmedAfterTheirCommitAreCountedNotMissing) {
  auto data = healthy();
  data.stream.erase(data.stream.begin(), data.stream.begin() + 2);  // both created events gone
  EXPECT_TRUE(breach_mentions(audit_product(data), "(2 mismatched)"));
  data.trimmed_created = 2;
  auto result = audit_product(data);
  EXPECT_TRUE(result.ok()) << result.breaches.front();
}

}  // namespace
}  // namespace seckill::admin
