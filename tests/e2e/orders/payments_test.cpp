// The payment provider's callback with the real binaries: POST /payments/notify, signed, pays
// an order once; every bad callback (bad signature, replay, wrong amount or currency, unknown
// order, malformed JSON, a 1 MB body) is refused with a clear answer and changes nothing; /result
// shows the order's state and pay-by time.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/store/redis_keys.hpp"
#include "proxy/payments/payment_notice.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kProviderSecret = "provider-secret";

std::string notice(const std::string& order, const std::string& payment, long long amount,
                   const std::string& currency = "CNY") {
  return R"({"order_id":")" + order + R"(","payment_id":")" + payment + R"(","amount":)" +
         std::to_string(amount) + R"(,"currency":")" + currency + R"("})";
}

HttpAnswer post_notice(HttpClient& client, const std::string& body,
                       std::int64_t sent_at = unix_ms_now() / 1000,
                       const std::string& secret = kProviderSecret) {
  const std::string timestamp = std::to_string(sent_at);
  return client.request(
      "POST", "/payments/notify",
      {{"Content-Type", "application/json"},
       {std::string(proxy::kTimestampHeader), timestamp},
       {std::string(proxy::kSignatureHeader), proxy::sign_payment_notice(secret, timestamp, body)}},
      body);
}

ClusterOptions with_payments() {
  ClusterOptions options;
  options.proxy_extra = R"("payments":{"secret":")" + std::string(kProviderSecret) + R"("})";
  return options;
}

TEST(Payments, ASignedCallbackPaysTheOrderOnceAndBadOnesChangeNothing) {
  Cluster cluster(with_payments());
  cluster.load_products(products_json({with_payment(product_on_sale(1, 5), 1999, 900)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  auto bought = client.get("/seckill?" + buyer_query(1, 7, Cluster::kSecret));
  ASSERT_EQ(bought.code, 0);
  const std::string order = bought.order_id;

  auto result = client.get("/result?" + buyer_query(1, 7, Cluster::kSecret));
  EXPECT_EQ(result.code, 0);
  EXPECT_NE(result.body.find(R"("state":"pending_payment")"), std::string::npos) << result.body;
  EXPECT_NE(result.body.find(R"("pay_by_ms":)"), std::string::npos) << result.body;

  const std::string good = notice(order, "pay-1", 1999);
  struct Bad {
    const char* what;
    HttpAnswer answer;
    int code;
  };
  std::vector<Bad> bad;
  bad.push_back({"bad signature", post_notice(client, good, unix_ms_now() / 1000, "guess"), 4001});
  bad.push_back({"replay", post_notice(client, good, unix_ms_now() / 1000 - 3600), 4001});
  bad.push_back({"wrong amount", post_notice(client, notice(order, "pay-1", 1000)), 4000});
  bad.push_back({"wrong currency", post_notice(client, notice(order, "pay-1", 1999, "USD")), 4000});
  bad.push_back({"unknown order", post_notice(client, notice("1-999", "pay-1", 1999)), 4004});
  bad.push_back({"unknown product", post_notice(client, notice("77-1", "pay-1", 1999)), 4004});
  bad.push_back({"malformed JSON", post_notice(client, "{\"order_id\":"), 4000});
  bad.push_back({"no headers", client.request("POST", "/payments/notify", {}, good), 4001});
  for (const auto& [what, answer, code] : bad) {
    EXPECT_EQ(answer.code, code) << what << ": " << answer.body;
  }
  EXPECT_NE(bad[2].answer.message.find("amount"), std::string::npos) << bad[2].answer.message;
  EXPECT_NE(bad[3].answer.message.find("currency"), std::string::npos) << bad[3].answer.message;
  {
    // A 1 MB body: refused before it is read whole; the answer reaches the client while it is
    // still sending (the proxy lingers instead of resetting), then the connection is closed.
    HttpClient big(cluster.proxy_port(0));
    auto answer = post_notice(big, std::string(1 << 20, 'x'));
    EXPECT_EQ(answer.code, 4000) << answer.status << " " << answer.error << " " << answer.body;
  }
  EXPECT_EQ(cluster.redis().command(
                {"EXISTS", keys::payments(keys::default_group(1, keys::kDefaultGroups), 1)}),
            "0")
      << "nothing recorded";

  auto paid = post_notice(client, good);
  EXPECT_EQ(paid.code, 0) << paid.body;
  EXPECT_NE(paid.body.find(R"("outcome":"paid")"), std::string::npos) << paid.body;
  auto again = post_notice(client, good);
  EXPECT_EQ(again.code, 0) << again.body;
  EXPECT_NE(again.body.find(R"("outcome":"duplicate")"), std::string::npos) << again.body;
  auto second = post_notice(client, notice(order, "pay-2", 1999));
  EXPECT_NE(second.body.find(R"("outcome":"refund_due")"), std::string::npos) << second.body;
  result = client.get("/result?" + buyer_query(1, 7, Cluster::kSecret));
  EXPECT_NE(result.body.find(R"("state":"paid")"), std::string::npos) << result.body;
  EXPECT_EQ(client.get("/payments/notify").message, "method GET not allowed");

  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

TEST(Payments, APaymentAfterThePayByTimeIsARefundDueAndTheUnitSellsAgain) {
  Cluster cluster(with_payments());
  cluster.load_products(products_json({with_payment(product_on_sale(1, 1), 1999, 1)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  auto bought = client.get("/seckill?" + buyer_query(1, 7, Cluster::kSecret));
  ASSERT_EQ(bought.code, 0);
  std::this_thread::sleep_for(1200ms);
  auto late = post_notice(client, notice(bought.order_id, "late-1", 1999));
  EXPECT_EQ(late.code, 0) << late.body;
  EXPECT_NE(late.body.find(R"("outcome":"refund_due")"), std::string::npos) << late.body;
  EXPECT_NE(late.body.find(R"("state":"expired")"), std::string::npos) << late.body;
  auto result = client.get("/result?" + buyer_query(1, 7, Cluster::kSecret));
  EXPECT_NE(result.body.find(R"("state":"expired")"), std::string::npos) << result.body;
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

// 1,000 orders fall due together while their payments arrive, from 8 connections, in the
// half-second around the pay-by time, and seckill-logic's reaper runs meanwhile: each order ends
// paid XOR expired, each expired unit is sold again to a new buyer, and the audit holds.
TEST(Payments, AThousandPaymentsAtThePayByInstantEachEndOneWay) {
  Cluster cluster(with_payments());
  cluster.load_products(products_json({with_payment(product_on_sale(1, 1000), 1999, 3)}));
  cluster.wait_ready(1);
  auto first =
      buy_concurrently({cluster.proxy_port(0)}, 1, user_range(1, 1000), 8, Cluster::kSecret);
  const auto bought_at = std::chrono::steady_clock::now();
  ASSERT_EQ(count_code(first, 0), 1000);
  // Orders were created over the burst; pay-by is 3 s after each. Payments run from 2.75 s to
  // about 3.25 s after the burst's end, so some land before their pay-by and some after.
  std::this_thread::sleep_until(bought_at + 2750ms);
  std::atomic<int> paid{0};
  std::atomic<int> refunds{0};
  std::atomic<int> other{0};
  std::vector<std::thread> payers;
  for (int t = 0; t < 8; ++t) {
    payers.emplace_back([&, t] {
      HttpClient client(cluster.proxy_port(0));
      for (std::size_t i = t; i < first.size(); i += 8) {
        const auto& order = first[i].answer.order_id;
        auto answer = post_notice(client, notice(order, "p-" + order, 1999));
        if (answer.body.find(R"("outcome":"paid")") != std::string::npos) {
          ++paid;
        } else if (answer.body.find(R"("outcome":"refund_due")") != std::string::npos) {
          ++refunds;
        } else {
          ++other;
        }
        if (i % 64 == static_cast<std::size_t>(t)) std::this_thread::sleep_for(30ms);
      }
    });
  }
  for (auto& payer : payers) payer.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(paid + refunds, 1000);
  std::cout << paid << " paid in time, " << refunds << " too late (refund due)\n";

  // Every unpaid order expires (the reaper, within its interval): exactly those units sell again.
  const keys::GroupId group = keys::default_group(1, keys::kDefaultGroups);
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (cluster.redis().command({"ZCARD", keys::pending_orders(group)}) != "0") {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "the reaper did not finish";
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(cluster.redis().command({"HGET", keys::product(group, 1), "left"}),
            std::to_string(refunds.load()));
  std::this_thread::sleep_for(400ms);  // the proxy's product refresh sees the returned stock
  auto second =
      buy_concurrently({cluster.proxy_port(0)}, 1, user_range(5000, 1500), 8, Cluster::kSecret);
  EXPECT_EQ(count_code(second, 0), refunds.load()) << "exactly the expired units sold again";
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

TEST(Payments, WithoutAProviderSecretTheCallbackIsOff) {
  Cluster cluster;
  cluster.load_products(products_json({with_payment(product_on_sale(1, 1), 1999, 900)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  EXPECT_EQ(post_notice(client, notice("1-1", "p", 1999)).code, 4004);
}

}  // namespace
}  // namespace seckill::test
