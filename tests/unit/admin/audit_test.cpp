#include "tools/admin/audit.hpp"

#include <gtest/gtest.h>

namespace seckill::admin {
namespace {

ProductAuditData healthy() {
  ProductAuditData data;
  data.id = 1;
  data.total = 10;
  data.left = 8;
  data.sold = 2;
  data.per_user_limit = 1;
  data.stream_length = 2;
  data.stream_orders = {{"1-1", "100"}, {"1-2", "200"}};
  data.buyers = {{"100", {"1-1"}}, {"200", {"1-2"}}};
  return data;
}

bool breach_mentions(const AuditResult& result, const std::string& text) {
  for (const auto& line : result.breaches) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(Audit, HealthyProductPasses) {
  auto result = audit_product(healthy());
  EXPECT_TRUE(result.ok());
  EXPECT_GE(result.checked.size(), 6u);
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
  data.stream_length = 1;
  data.stream_orders.pop_back();
  auto result = audit_product(data);
  EXPECT_TRUE(breach_mentions(result, "orders in stream 1"));
  EXPECT_TRUE(breach_mentions(result, "order stream == buyers"));
}

TEST(Audit, DetectsUserOverLimit) {
  auto data = healthy();
  data.buyers = {{"100", {"1-1", "1-2"}}};
  data.stream_orders = {{"1-1", "100"}, {"1-2", "100"}};
  EXPECT_TRUE(breach_mentions(audit_product(data), "user 100 holds 2"));
}

TEST(Audit, DetectsStreamAndBuyersDisagreeing) {
  auto data = healthy();
  data.stream_orders[1].user_id = "300";
  EXPECT_TRUE(breach_mentions(audit_product(data), "order stream == buyers (1 mismatched)"));
}

}  // namespace
}  // namespace seckill::admin
