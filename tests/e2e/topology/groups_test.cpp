// Products spread over groups, sold at once through several proxies and logic processes: every
// group's queue is served, each product sells exactly its stock, and the audit spans the groups.
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "common/cluster/cluster_slot.hpp"
#include "common/store/redis_keys.hpp"
#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

// Product `json` (a product_on_sale object) pinned to `group`.
std::string pinned(std::string json, int group) {
  json.insert(json.size() - 1, ",\"group\":" + std::to_string(group));
  return json;
}

TEST(Groups, TwoThousandBuyersOverProductsInFourGroupsBuyExactlyTheStock) {
  // Ids 1, 2 and 3 hash to different groups; 4, the hot one, is pinned to a group of its own.
  const std::vector<long long> products = {1, 2, 3, 4};
  std::set<keys::GroupId> groups;
  for (long long id : {1, 2, 3}) groups.insert(keys::default_group(id, keys::kDefaultGroups));
  ASSERT_EQ(groups.size(), 3u) << "the test needs the ids in different groups";
  ASSERT_FALSE(groups.contains(15));

  ClusterOptions options;
  options.proxies = 3;
  options.logics = 2;
  Cluster cluster(options);
  cluster.load_products(
      products_json({product_on_sale(1, 20), product_on_sale(2, 20), product_on_sale(3, 20),
                     pinned(product_on_sale(4, 40), 15)}));
  for (long long id : products) cluster.wait_ready(id);
  EXPECT_EQ(cluster.redis().command({"HGET", keys::kProducts, "4"}), "15");
  EXPECT_EQ(cluster.redis().command({"HGET", keys::product(15, 4), "total"}), "40");

  const std::vector<int> ports = {cluster.proxy_port(0), cluster.proxy_port(1),
                                  cluster.proxy_port(2)};
  // 500 buyers per product, all four bursts at once.
  std::vector<std::vector<BuyerAnswer>> answers(products.size());
  std::vector<std::thread> bursts;
  for (std::size_t i = 0; i < products.size(); ++i) {
    bursts.emplace_back([&, i] {
      answers[i] =
          buy_concurrently(ports, products[i], user_range(1 + static_cast<long long>(i) * 500, 500),
                           16, Cluster::kSecret);
    });
  }
  for (auto& burst : bursts) burst.join();

  const std::vector<int> stock = {20, 20, 20, 40};
  for (std::size_t i = 0; i < products.size(); ++i) {
    std::set<std::string> orders;
    for (const auto& a : answers[i]) {
      if (a.answer.code == 0) orders.insert(a.answer.order_id);
    }
    EXPECT_EQ(count_code(answers[i], 0), stock[i]) << "product " << products[i];
    EXPECT_EQ(orders.size(), static_cast<std::size_t>(stock[i])) << "product " << products[i];
    EXPECT_EQ(count_code(answers[i], 1001), 500 - stock[i]) << "product " << products[i];
    // Every buyer, winner or not, is told the truth by /result, through any proxy.
    HttpClient client(cluster.proxy_port(static_cast<int>(i) % 3));
    for (const auto& a : answers[i]) {
      auto result = client.get("/result?" + buyer_query(products[i], a.user, Cluster::kSecret));
      ASSERT_EQ(result.order_id, a.answer.order_id)
          << "product " << products[i] << " user " << a.user;
    }
  }
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
  auto status = cluster.admin({"status"});
  EXPECT_NE(status.output.find("4 products, 0 requests queued"), std::string::npos)
      << status.output;
  EXPECT_NE(status.output.find("group 15"), std::string::npos) << status.output;

  auto topology = cluster.admin({"topology"});
  ASSERT_EQ(topology.status, 0) << topology.output;
  EXPECT_NE(topology.output.find(": master, 0 replicas"), std::string::npos) << topology.output;
  EXPECT_NE(topology.output.find("layout: 16 groups"), std::string::npos) << topology.output;
  const std::string hot_line = "\n15     " + std::to_string(cluster_slot(keys::requests(15)));
  const auto hot = topology.output.find(hot_line);
  ASSERT_NE(hot, std::string::npos) << topology.output;
  std::istringstream line(
      topology.output.substr(hot + 1, topology.output.find('\n', hot + 1) - hot - 1));
  std::string group, slot, queued, listed;
  line >> group >> slot >> queued >> listed;
  EXPECT_EQ(queued, "0");
  EXPECT_EQ(listed, "4") << "the hot product alone in its group";
}

}  // namespace
}  // namespace seckill::test
