// The flash sale itself, with the real binaries: far more buyers than stock at one instant.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

TEST(Burst, TwoThousandUsersOnStockHundred) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);

  auto answers =
      buy_concurrently({cluster.proxy_port(0)}, 1, user_range(1, 2000), 64, Cluster::kSecret);
  std::set<std::string> orders;
  for (const auto& a : answers) {
    if (a.answer.code == 0) orders.insert(a.answer.order_id);
  }
  EXPECT_EQ(count_code(answers, 0), 100);
  EXPECT_EQ(orders.size(), 100u) << "every purchase has its own order id";
  EXPECT_EQ(count_code(answers, 1001), 1900);

  // Every buyer answered 0 holds exactly that order; nobody else holds one.
  HttpClient client(cluster.proxy_port(0));
  for (const auto& a : answers) {
    auto result = client.get("/result?" + buyer_query(1, a.user, Cluster::kSecret));
    if (a.answer.code == 0) {
      EXPECT_EQ(result.order_id, a.answer.order_id) << "user " << a.user;
    } else {
      EXPECT_EQ(result.code, 1006) << "user " << a.user;
    }
  }
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

TEST(Burst, OneUserThirtyTimesAtOnceBuysOnce) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);

  auto answers = buy_concurrently({cluster.proxy_port(0)}, 1, std::vector<long long>(30, 77), 30,
                                  Cluster::kSecret);
  EXPECT_EQ(count_code(answers, 0), 1);
  EXPECT_EQ(count_code(answers, 1002), 29);
  std::string bought;
  for (const auto& a : answers) {
    if (a.answer.code == 0) bought = a.answer.order_id;
  }
  for (const auto& a : answers) {
    if (a.answer.code == 1002) {
      EXPECT_EQ(a.answer.order_id, bought);
    }
  }
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
  auto status = cluster.admin({"status", "1"});
  EXPECT_NE(status.output.find("sold 1,"), std::string::npos) << status.output;
}

}  // namespace
}  // namespace seckill::test
