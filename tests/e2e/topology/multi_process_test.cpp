// Several proxies and several logic processes against one Redis sell exactly the stock.
#include <set>

#include <gtest/gtest.h>

#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

TEST(MultiProcess, ThreeProxiesTwoLogicsSellExactlyTheStock) {
  ClusterOptions options;
  options.proxies = 3;
  options.logics = 2;
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, 200)}));
  cluster.wait_ready(1);

  const std::vector<int> ports = {cluster.proxy_port(0), cluster.proxy_port(1),
                                  cluster.proxy_port(2)};
  auto answers = buy_concurrently(ports, 1, user_range(1, 1500), 48, Cluster::kSecret);
  std::set<std::string> orders;
  for (const auto& a : answers) {
    if (a.answer.code == 0) orders.insert(a.answer.order_id);
  }
  EXPECT_EQ(count_code(answers, 0), 200);
  EXPECT_EQ(orders.size(), 200u);
  EXPECT_EQ(count_code(answers, 1001), 1300);
  EXPECT_EQ(count_code(answers, 5004), 0);

  // An order is visible through any proxy, not only the one that sold it.
  for (int p = 0; p < 3; ++p) {
    HttpClient client(cluster.proxy_port(p));
    for (const auto& a : answers) {
      if (a.answer.code != 0) continue;
      auto result = client.get("/result?" + buyer_query(1, a.user, Cluster::kSecret));
      ASSERT_EQ(result.order_id, a.answer.order_id) << "proxy " << p << " user " << a.user;
    }
  }
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test
