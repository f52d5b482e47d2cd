// Live sale controls through seckill-admin, seen by the real proxy and logic within a second.
#include <thread>

#include <gtest/gtest.h>

#include "common/store/redis_keys.hpp"
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
  auto negative = cluster.admin({"add-stock", "1", "-3"});
  EXPECT_EQ(negative.status, 2);
  EXPECT_NE(negative.output.find("N must be a positive number"), std::string::npos)
      << negative.output;
  auto unknown = cluster.admin({"pause", "77"});
  EXPECT_EQ(unknown.status, 4) << "unknown product: " << unknown.output;
  EXPECT_NE(unknown.output.find("unknown product 77"), std::string::npos) << unknown.output;
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

// Reloading the products file never undoes what was changed while the sale ran (the added
// units, the moved window, a pause); --overwrite takes the file's values; each load says what
// it changed and what it kept.
TEST(SaleControls, ALoadKeepsRuntimeChangesUnlessOverwrite) {
  Cluster cluster;
  const std::string file =
      cluster.dir().write("products.json", products_json({product_on_sale(1, 5)}));
  ASSERT_EQ(cluster.admin({"load", file}).status, 0);
  cluster.wait_ready(1);
  const std::string product = keys::product(kGroupOf1, 1);
  ASSERT_EQ(cluster.admin({"add-stock", "1", "3"}).status, 0);
  ASSERT_EQ(
      cluster.admin({"set-window", "1", "2099-01-01T00:00:00Z", "2099-01-02T00:00:00Z"}).status, 0);
  ASSERT_EQ(cluster.admin({"pause", "1"}).status, 0);

  auto reload = cluster.admin({"load", file});
  ASSERT_EQ(reload.status, 0) << reload.output;
  EXPECT_EQ(cluster.redis().command({"HGET", product, "total"}), "8") << "5 + the 3 added";
  EXPECT_EQ(cluster.redis().command({"HGET", product, "start_ms"}), "4070908800000");
  EXPECT_EQ(cluster.redis().command({"HGET", product, "enabled"}), "0");
  EXPECT_NE(reload.output.find("kept 3 units added by add-stock"), std::string::npos)
      << reload.output;
  EXPECT_NE(reload.output.find("kept start_ms 2099-01-01T00:00:00"), std::string::npos)
      << reload.output;
  EXPECT_NE(reload.output.find("kept enabled off"), std::string::npos) << reload.output;

  auto overwrite = cluster.admin({"load", file, "--overwrite"});
  ASSERT_EQ(overwrite.status, 0) << overwrite.output;
  EXPECT_EQ(cluster.redis().command({"HGET", product, "total"}), "5");
  EXPECT_EQ(cluster.redis().command({"HGET", product, "enabled"}), "1");
  EXPECT_NE(overwrite.output.find("total: 8 -> 5"), std::string::npos) << overwrite.output;
  EXPECT_NE(overwrite.output.find("enabled: off -> on"), std::string::npos) << overwrite.output;
  expect_code_soon(cluster, 1, 0);
  auto again = cluster.admin({"load", file});
  EXPECT_EQ(again.output.find("kept"), std::string::npos) << "overwrite cleared the marks\n"
                                                          << again.output;
  EXPECT_EQ(cluster.admin({"audit"}).status, 0);
}

// A reset deletes confirmed orders: refused while the product has any, unless --force.
TEST(SaleControls, ResetWithOrdersNeedsForce) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 5)}));
  cluster.wait_ready(1);
  auto bought = buy_concurrently({cluster.proxy_port(0)}, 1, user_range(1, 3), 3, Cluster::kSecret);
  ASSERT_EQ(count_code(bought, 0), 3);
  const std::string product = keys::product(kGroupOf1, 1);

  auto refused = cluster.admin({"reset", "1"});
  EXPECT_EQ(refused.status, 2) << refused.output;
  EXPECT_NE(refused.output.find("has 3 orders of 3 buyers"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("--force"), std::string::npos) << refused.output;
  EXPECT_EQ(cluster.redis().command({"HGET", product, "sold"}), "3") << "nothing changed";

  auto forced = cluster.admin({"reset", "1", "--force"});
  EXPECT_EQ(forced.status, 0) << forced.output;
  EXPECT_NE(forced.output.find("deleted 3 orders of 3 buyers"), std::string::npos) << forced.output;
  EXPECT_EQ(cluster.redis().command({"HGET", product, "left"}), "5");
  EXPECT_EQ(cluster.admin({"reset", "1"}).status, 0) << "no orders: no --force needed";
  EXPECT_EQ(cluster.admin({"reset", "9"}).status, 4) << "unknown product";
  EXPECT_EQ(cluster.admin({"audit"}).status, 0);
}

}  // namespace
}  // namespace seckill::test
