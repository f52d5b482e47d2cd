// Orders after the purchase with the real binaries: an unpaid order expires by the logic's
// reaper and its unit sells again; seckill-admin lists, pays and cancels orders; the audit holds.
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/http_client.hpp"
#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

using namespace std::chrono_literals;

// What `user` buying `product` gets once it is 0, or after 5 s (the proxy learns of stock that
// came back within its 200 ms refresh).
int buy_soon(HttpClient& client, long long product, long long user) {
  int code = -1;
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (code != 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(100ms);
    code = client.get("/seckill?" + buyer_query(product, user, Cluster::kSecret)).code;
  }
  return code;
}

TEST(Orders, AnUnpaidOrderExpiresAndItsUnitSellsAgain) {
  Cluster cluster;
  cluster.load_products(products_json({with_payment(product_on_sale(1, 1), 1999, 1),
                                       with_payment(product_on_sale(2, 3), 1999, 900)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));

  auto first = client.get("/seckill?" + buyer_query(1, 10, Cluster::kSecret));
  ASSERT_EQ(first.code, 0);
  EXPECT_EQ(client.get("/seckill?" + buyer_query(1, 11, Cluster::kSecret)).code, 1001);
  // The reaper runs every 250 ms: within about a second of the pay-by time the unit is back.
  const int code = buy_soon(client, 1, 11);
  ASSERT_EQ(code, 0) << "the expired order's unit sells again";
  EXPECT_NE(client.get("/seckill?" + buyer_query(1, 10, Cluster::kSecret)).code, 0)
      << "the expired order used its buyer's turn";

  auto expired = cluster.admin({"orders", "1", "--state", "expired"});
  EXPECT_EQ(expired.status, 0) << expired.output;
  EXPECT_NE(expired.output.find(first.order_id + "  expired  user 10"), std::string::npos)
      << expired.output;
  EXPECT_NE(expired.output.find("1 orders expired"), std::string::npos) << expired.output;
  // Paid too late: not applied, a refund is due.
  auto late = cluster.admin({"pay", first.order_id, "--payment-id", "late-1", "--amount", "1999"});
  EXPECT_EQ(late.status, 1) << late.output;
  EXPECT_NE(late.output.find("refund due"), std::string::npos) << late.output;

  // Product 2: one order paid, one cancelled (its unit back), one left awaiting payment.
  auto paid_order = client.get("/seckill?" + buyer_query(2, 20, Cluster::kSecret));
  auto cancelled_order = client.get("/seckill?" + buyer_query(2, 21, Cluster::kSecret));
  ASSERT_EQ(paid_order.code, 0);
  ASSERT_EQ(cancelled_order.code, 0);
  ASSERT_EQ(client.get("/seckill?" + buyer_query(2, 22, Cluster::kSecret)).code, 0);
  auto wrong = cluster.admin({"pay", paid_order.order_id, "--payment-id", "p-1", "--amount", "5"});
  EXPECT_EQ(wrong.status, 1) << wrong.output;
  EXPECT_NE(wrong.output.find("mismatch"), std::string::npos) << wrong.output;
  EXPECT_NE(wrong.output.find("amount 1999"), std::string::npos) << wrong.output;
  auto paid =
      cluster.admin({"pay", paid_order.order_id, "--payment-id", "p-1", "--amount", "1999"});
  EXPECT_EQ(paid.status, 0) << paid.output;
  auto again =
      cluster.admin({"pay", paid_order.order_id, "--payment-id", "p-1", "--amount", "1999"});
  EXPECT_EQ(again.status, 0) << "the same payment again changes nothing\n" << again.output;
  EXPECT_EQ(cluster.admin({"cancel", paid_order.order_id}).status, 1) << "paid is final";
  auto cancel = cluster.admin({"cancel", cancelled_order.order_id});
  EXPECT_EQ(cancel.status, 0) << cancel.output;
  EXPECT_EQ(buy_soon(client, 2, 23), 0) << "the cancelled order's unit is on sale again";
  auto pending = cluster.admin({"orders", "2", "--state", "pending_payment"});
  EXPECT_NE(pending.output.find("2 orders pending_payment"), std::string::npos) << pending.output;
  EXPECT_EQ(cluster.admin({"orders", "2", "--state", "lost"}).status, 2);
  EXPECT_EQ(cluster.admin({"pay", "nonsense", "--payment-id", "x", "--amount", "1"}).status, 2);
  EXPECT_EQ(cluster.admin({"pay", paid_order.order_id, "--amount", "1999"}).status, 2)
      << "--payment-id is required";

  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test
