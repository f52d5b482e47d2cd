// When the logic tier stops answering, the proxy answers 5004 at the deadline, stays healthy,
// and none of the timed-out requests ever becomes a purchase.
#include <thread>

#include <gtest/gtest.h>

#include "common/store/redis_keys.hpp"
#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"
#include <signal.h>

namespace seckill::test {
namespace {

// Product 1 is loaded without a pin: it lives in the group its id hashes to.
const keys::GroupId kGroupOf1 = keys::default_group(1, keys::kDefaultGroups);

using namespace std::chrono_literals;

TEST(Timeout, StoppedLogicMeans5004AtTheDeadlineAndNoLatePurchase) {
  constexpr int kTimeoutMs = 1000;
  ClusterOptions options;
  options.request_timeout_ms = kTimeoutMs;
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);

  cluster.logic(0).signal(SIGSTOP);
  std::this_thread::sleep_for(50ms);
  std::atomic<bool> health_checked{false};
  std::atomic<int> health_status{0};
  std::thread prober([&] {
    std::this_thread::sleep_for(300ms);  // while every purchase is waiting
    HttpClient client(cluster.proxy_port(0));
    health_status = client.get("/healthz").status;
    health_checked = true;
  });
  auto answers =
      buy_concurrently({cluster.proxy_port(0)}, 1, user_range(1, 100), 20, Cluster::kSecret);
  prober.join();
  EXPECT_TRUE(health_checked);
  EXPECT_EQ(health_status.load(), 200) << "the proxy stays healthy while logic is stopped";
  for (const auto& a : answers) {
    EXPECT_EQ(a.answer.code, 5004) << "user " << a.user << ": " << a.answer.body;
    EXPECT_EQ(a.answer.status, 504);
    EXPECT_GE(a.answer.elapsed, std::chrono::milliseconds(kTimeoutMs - 20));
    EXPECT_LE(a.answer.elapsed, std::chrono::milliseconds(kTimeoutMs + 250)) << "user " << a.user;
  }

  cluster.logic(0).signal(SIGCONT);
  // Wait until the logic has drained the queue (each request is judged expired).
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (cluster.redis().command({"LLEN", keys::requests(kGroupOf1)}) != "0") {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up);
    std::this_thread::sleep_for(20ms);
  }
  std::this_thread::sleep_for(300ms);  // the batch in hand
  HttpClient client(cluster.proxy_port(0));
  for (const auto& a : answers) {
    EXPECT_EQ(client.get("/result?" + buyer_query(1, a.user, Cluster::kSecret)).code, 1006)
        << "user " << a.user << " was told 5004 and must not have bought";
  }
  EXPECT_EQ(cluster.redis().command({"HGET", keys::product(kGroupOf1, 1), "sold"}), "0");
  // The proxy still sells once logic is back.
  auto fresh = client.get("/seckill?" + buyer_query(1, 5000, Cluster::kSecret));
  EXPECT_EQ(fresh.code, 0) << fresh.body;
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test
