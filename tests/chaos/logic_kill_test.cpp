// Chaos: the logic process is killed with SIGKILL three times in the middle of a burst and
// restarted each time. Nothing confirmed may be lost, nobody may be told a failure while holding
// an order, the stock may not be oversold, and every answer comes by the deadline.
#include <iostream>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/buyers.hpp"
#include "tests/support/cluster.hpp"
#include <signal.h>

namespace seckill::test {
namespace {

using namespace std::chrono_literals;

TEST(Chaos, KillLogicThreeTimesDuringTheBurst) {
  constexpr int kTimeoutMs = 2000;
  constexpr int kStock = 3000;  // sells for longer than the kills take
  ClusterOptions options;
  options.request_timeout_ms = kTimeoutMs;
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, kStock)}));
  cluster.wait_ready(1);

  std::vector<BuyerAnswer> answers;
  std::thread burst([&] {
    answers =
        buy_concurrently({cluster.proxy_port(0)}, 1, user_range(1, 6000), 32, Cluster::kSecret);
  });
  for (int kill = 0; kill < 3; ++kill) {
    std::this_thread::sleep_for(kill == 0 ? 100ms : 150ms);
    cluster.logic(0).kill_hard();
    std::this_thread::sleep_for(100ms);
    cluster.start_logic(0);
  }
  burst.join();

  // Let the restarted logic finish what was put back, then look at every user.
  const auto give_up = std::chrono::steady_clock::now() + 15s;
  while (cluster.redis().command({"LLEN", "seckill:req"}) != "0" ||
         cluster.redis().command({"LLEN", "seckill:processing:e2e-logic-0:0"}) != "0" ||
         cluster.redis().command({"LLEN", "seckill:processing:e2e-logic-0:1"}) != "0") {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up);
    std::this_thread::sleep_for(50ms);
  }
  std::map<int, int> codes;
  int holders = 0;
  HttpClient client(cluster.proxy_port(0));
  for (const auto& a : answers) {
    ++codes[a.answer.code];
    EXPECT_LE(a.answer.elapsed, std::chrono::milliseconds(kTimeoutMs + 250)) << "user " << a.user;
    auto result = client.get("/result?" + buyer_query(1, a.user, Cluster::kSecret));
    ASSERT_TRUE(result.code == 0 || result.code == 1006) << result.body;
    const bool holds = result.code == 0;
    holders += holds ? 1 : 0;
    switch (a.answer.code) {
      case 0:
        EXPECT_EQ(result.order_id, a.answer.order_id) << "user " << a.user << " lost the order";
        break;
      case 5004:
        break;  // outcome unknown: holding an order or not are both honest
      default:
        EXPECT_FALSE(holds) << "user " << a.user << " was told " << a.answer.code << " but holds "
                            << result.order_id;
    }
    EXPECT_TRUE(a.answer.code == 0 || a.answer.code == 1001 || a.answer.code == 5004)
        << "user " << a.user << ": " << a.answer.body;
  }
  EXPECT_LE(holders, kStock);
  EXPECT_EQ(cluster.redis().command({"HGET", "seckill:product:{1}", "sold"}),
            std::to_string(holders));
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
  // How many requests the restarts found held by the killed runs (informational: it depends on
  // where each kill landed).
  const std::string log = cluster.logic(0).log_tail(1 << 20);
  int put_back_lines = 0;
  for (auto at = log.find("put back"); at != std::string::npos; at = log.find("put back", at + 1)) {
    ++put_back_lines;
  }
  std::cout << "chaos kill-logic x3: injected 3 x SIGKILL + restart (" << put_back_lines
            << " restarts found held requests); answers";
  for (const auto& [code, n] : codes) std::cout << " " << code << ":" << n;
  std::cout << "; orders held " << holders << " of stock " << kStock << std::endl;
}

}  // namespace
}  // namespace seckill::test
