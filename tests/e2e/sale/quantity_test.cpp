// Several units in one purchase, through the real proxy and logic: all or nothing, the limit
// counted in units, what /result and the audit say.
#include <atomic>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/http_client.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

HttpAnswer buy(HttpClient& client, long long user, long long quantity) {
  return client.get("/seckill?" + buyer_query(1, user, Cluster::kSecret) +
                    "&quantity=" + std::to_string(quantity));
}

long long left_of(const HttpAnswer& answer) {
  std::smatch match;
  if (!std::regex_search(answer.body, match, std::regex(R"("left":(\d+))"))) return -1;
  return std::stoll(match[1]);
}

// 10 users ask for 3 units each of 20, at once; told that fewer are left, they ask for what
// is left, as the sale page's message says to. Exactly 20 units are sold and nobody holds more
// than the limit: the audit agrees.
TEST(Quantities, TenUsersBuyingThreeEachSellExactlyTheStock) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 20, 3)}));
  cluster.wait_ready(1);
  std::atomic<long long> units{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> buyers;
  for (long long user = 1; user <= 10; ++user) {
    buyers.emplace_back([&, user] {
      HttpClient client(cluster.proxy_port(0));
      long long want = 3;
      for (int attempt = 0; attempt < 5 && want > 0; ++attempt) {
        const HttpAnswer answer = buy(client, user, want);
        if (answer.code == 0) {
          units += want;
          return;
        }
        if (answer.code != 1001) {
          ++unexpected;
          return;
        }
        want = std::min(want, left_of(answer));
      }
    });
  }
  for (auto& buyer : buyers) buyer.join();
  EXPECT_EQ(units.load(), 20);
  EXPECT_EQ(unexpected.load(), 0);
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

TEST(Quantities, AMalformedOrTooLargeQuantityIsRefusedBeforeTheQueue) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 20, 3)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  for (const char* bad : {"0", "-1", "two", "1000001"}) {
    auto answer =
        client.get("/seckill?" + buyer_query(1, 5, Cluster::kSecret) + "&quantity=" + bad);
    EXPECT_EQ(answer.code, 4000) << bad;
    EXPECT_NE(answer.message.find("quantity"), std::string::npos) << answer.message;
  }
  auto over = buy(client, 5, 4);
  EXPECT_EQ(over.code, 1002);
  EXPECT_NE(over.body.find(R"("per_user_limit":3)"), std::string::npos) << over.body;

  auto two = buy(client, 5, 2);
  ASSERT_EQ(two.code, 0) << two.body;
  EXPECT_NE(two.body.find(R"("quantity":2)"), std::string::npos) << two.body;
  EXPECT_NE(two.body.find(R"("left":18)"), std::string::npos) << two.body;
  auto again = buy(client, 5, 2);
  EXPECT_EQ(again.code, 1002) << "2 + 2 units is over the limit of 3";
  EXPECT_EQ(again.order_id, two.order_id);
  EXPECT_EQ(buy(client, 5, 1).code, 0) << "2 + 1 is not";

  auto result = client.get("/result?" + buyer_query(1, 5, Cluster::kSecret));
  EXPECT_EQ(result.code, 0);
  EXPECT_NE(result.body.find(R"("order_id":")" + two.order_id + R"(","state":"pending_payment")"),
            std::string::npos)
      << result.body;
  EXPECT_NE(result.body.find(R"("quantity":2})"), std::string::npos) << result.body;
  auto orders = cluster.admin({"orders", "1"});
  EXPECT_NE(orders.output.find("units 2"), std::string::npos) << orders.output;
}

}  // namespace
}  // namespace seckill::test
