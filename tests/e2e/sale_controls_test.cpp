// Live sale controls through seckill-admin, seen by the real proxy and logic within a second.
#include <thread>

#include <gtest/gtest.h>

#include "common/redis_keys.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

// Product 1 is loaded without a pin: it lives in the group its id hashes to.
const keys::GroupId kGroupOf1 = keys::default_group(1, keys::kDefaultGroups);

using namespace std::chrono_literals;

// Polls until `user` buying gets `code` (the proxy refreshes every 200 ms); fails after 1.5 s.
void expect_code_soon(Cluster& cluster, long long user, int code) {
  HttpClient client(cluster.proxy_port(0));
  const auto give_up = std::chrono::steady_clock::now() + 1500ms;
  int last = -1;
  while (std::chrono::steady_clock::now() < give_up) {
    last = client.get("/seckill?" + buyer_query(1, user, Cluster::kSecret)).code;
    if (last == code) return;
    std::this_thread::sleep_for(50ms);
  }
  ADD_FAILURE() << "user " << user << " still got " << last << ", expected " << code;
}

TEST(SaleControls, PauseResumeAddStockAndWindow) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 5)}));
  cluster.wait_ready(1);

  ASSERT_EQ(cluster.admin({"pause", "1"}).status, 0);
  expect_code_soon(cluster, 1, 1007);
  ASSERT_EQ(cluster.admin({"resume", "1"}).status, 0);
  expect_code_soon(cluster, 2, 0);

  // Sell out, then add exactly 3 more units.
  auto first =
      buy_concurrently({cluster.proxy_port(0)}, 1, user_range(100, 50), 8, Cluster::kSecret);
  EXPECT_EQ(count_code(first, 0), 4);
  auto added = cluster.admin({"add-stock", "1", "3"});
  ASSERT_EQ(added.status, 0) << added.output;
  expect_code_soon(cluster, 200, 0);
  auto second =
      buy_concurrently({cluster.proxy_port(0)}, 1, user_range(300, 50), 8, Cluster::kSecret);
  EXPECT_EQ(count_code(second, 0), 2) << "exactly the added units (one went to user 200)";
  EXPECT_EQ(cluster.redis().command({"HGET", keys::product(kGroupOf1, 1), "sold"}), "8");

  ASSERT_EQ(
      cluster.admin({"set-window", "1", "2099-01-01T00:00:00Z", "2099-01-02T00:00:00Z"}).status, 0);
  expect_code_soon(cluster, 400, 1003);
  EXPECT_EQ(cluster.admin({"add-stock", "1", "0"}).status, 2) << "only adds";
  EXPECT_EQ(cluster.admin({"pause", "77"}).status, 3) << "unknown product";
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test
