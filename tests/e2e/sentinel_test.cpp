// The real binaries in sentinel mode (a master, a replica, three sentinels): they find the
// master through the sentinels, sell, and sell again by themselves after a failover.
#include <thread>

#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "common/redis_connection.hpp"
#include "tests/support/buyers.hpp"
#include "tests/support/cluster.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/redis_sentinels.hpp"

namespace seckill::test {
namespace {

using namespace std::chrono_literals;

TEST(Sentinel, TheTiersFollowAFailoverAndSellOn) {
  RedisSentinels sentinels;
  TempDir dir;
  const std::string logic_config = dir.write(
      "logic.json", "{\"heartbeat_ms\":200,\"dead_after_ms\":2000," + sentinels.redis_json() + "}");
  const std::string proxy_config =
      dir.write("proxy.json", "{\"secret\":\"" + std::string(Cluster::kSecret) +
                                  "\",\"request_timeout_ms\":2000," + sentinels.redis_json() + "}");
  const auto run_admin = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv = {binary_path("seckill-admin"), "--redis",
                                     sentinels.master().text()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv);
  };
  auto loaded =
      run_admin({"load", dir.write("products.json", products_json({product_on_sale(1, 1000)}))});
  ASSERT_EQ(loaded.status, 0) << loaded.output;

  ChildProcess logic;
  logic.start({binary_path("seckill-logic"), "--config", logic_config, "--logic-id", "s-logic"},
              dir.file("logic.log"));
  ChildProcess proxy;
  const int port = free_port();
  proxy.start({binary_path("seckill-proxy"), "--config", proxy_config, "--port",
               std::to_string(port), "--proxy-id", "s-proxy"},
              dir.file("proxy.log"));
  HttpClient client(port, 3s);
  const auto ready_by = std::chrono::steady_clock::now() + 15s;
  while (client.get("/secinfo?product_id=1").code != 0 || client.get("/healthz").status != 200) {
    ASSERT_LT(std::chrono::steady_clock::now(), ready_by) << proxy.log_tail();
    std::this_thread::sleep_for(50ms);
  }

  auto before = buy_concurrently({port}, 1, user_range(1, 100), 10, Cluster::kSecret);
  ASSERT_EQ(count_code(before, 0), 100);
  std::this_thread::sleep_for(200ms);  // replicated (asynchronously) before the failover
  sentinels.fail_over();

  // Purchases flow again by themselves (meanwhile they fail fast or time out, truthfully).
  bool selling = false;
  long long user = 1000;
  const auto give_up = std::chrono::steady_clock::now() + 15s;
  while (!selling && std::chrono::steady_clock::now() < give_up) {
    selling = client.get("/seckill?" + buyer_query(1, ++user, Cluster::kSecret)).code == 0;
    if (!selling) std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(selling) << proxy.log_tail() << logic.log_tail();
  auto after = buy_concurrently({port}, 1, user_range(5000, 100), 10, Cluster::kSecret);
  EXPECT_EQ(count_code(after, 0), 100);
  for (const auto& answer : before) {
    EXPECT_EQ(client.get("/result?" + buyer_query(1, answer.user, Cluster::kSecret)).code, 0)
        << "user " << answer.user << " bought before the failover";
  }
  EXPECT_TRUE(proxy.running());
  EXPECT_TRUE(logic.running());
  auto audit = run_admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

// With redis.ack_replicas 1, kill -9 of the master in the middle of a burst takes back no
// purchase that was answered 0: each was on the replica before its buyer heard of it.
TEST(Sentinel, AMasterKilledMidBurstLosesNoConfirmedPurchase) {
  RedisSentinels sentinels;
  TempDir dir;
  std::string redis_json = sentinels.redis_json();
  redis_json.insert(redis_json.size() - 1, R"(,"ack_replicas":1,"wait_ms":200)");
  const std::string logic_config =
      dir.write("logic.json", "{\"heartbeat_ms\":200,\"dead_after_ms\":2000," + redis_json + "}");
  const std::string proxy_config =
      dir.write("proxy.json", "{\"secret\":\"" + std::string(Cluster::kSecret) +
                                  "\",\"request_timeout_ms\":1500," + ClusterOptions{}.guard_json +
                                  "," + redis_json + "}");
  const NodeAddress first_master = sentinels.master();
  auto loaded =
      run_program({binary_path("seckill-admin"), "--redis", first_master.text(), "load",
                   dir.write("products.json", products_json({product_on_sale(1, 100000)}))});
  ASSERT_EQ(loaded.status, 0) << loaded.output;
  ChildProcess logic;
  logic.start({binary_path("seckill-logic"), "--config", logic_config, "--logic-id", "k-logic"},
              dir.file("logic.log"));
  ChildProcess proxy;
  const int port = free_port();
  proxy.start({binary_path("seckill-proxy"), "--config", proxy_config, "--port",
               std::to_string(port), "--proxy-id", "k-proxy"},
              dir.file("proxy.log"));
  HttpClient client(port, 3s);
  const auto ready_by = std::chrono::steady_clock::now() + 15s;
  while (client.get("/secinfo?product_id=1").code != 0 || client.get("/healthz").status != 200) {
    ASSERT_LT(std::chrono::steady_clock::now(), ready_by) << proxy.log_tail();
    std::this_thread::sleep_for(50ms);
  }

  std::thread killer([&] {
    // Mid-burst: once a few hundred units are sold.
    RedisConnection watch(sentinels.server_at(first_master).config());
    for (int i = 0; i < 500; ++i) {
      auto sold = watch.command({"HGET", "seckill:product:{1}", "sold"});
      if (sold && sold->is_string() && std::stoll(std::string(sold->str())) >= 300) break;
      std::this_thread::sleep_for(5ms);
    }
    sentinels.server_at(first_master).stop(/*hard=*/true);
  });
  auto burst = buy_concurrently({port}, 1, user_range(1, 4000), 20, Cluster::kSecret);
  killer.join();
  const NodeAddress new_master = sentinels.wait_for_new_master(first_master);
  ASSERT_GT(count_code(burst, 0), 0) << "some bought before the kill";

  // Once the tiers are on the new master, every buyer who was told 0 still holds that order.
  HttpClient checker(port, 3s);
  const auto back_by = std::chrono::steady_clock::now() + 20s;
  while (checker.get("/healthz").status != 200) {
    ASSERT_LT(std::chrono::steady_clock::now(), back_by) << proxy.log_tail();
    std::this_thread::sleep_for(100ms);
  }
  int confirmed = 0;
  for (const auto& answer : burst) {
    if (answer.answer.code != 0) continue;
    ++confirmed;
    HttpAnswer held;
    for (int attempt = 0; attempt < 50; ++attempt) {
      held = checker.get("/result?" + buyer_query(1, answer.user, Cluster::kSecret));
      if (held.code != 5003 && held.status != 0) break;
      std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(held.code, 0) << "user " << answer.user << " was told 0";
    EXPECT_EQ(held.order_id, answer.answer.order_id) << "user " << answer.user;
  }
  EXPECT_GT(confirmed, 0);
  EXPECT_LT(confirmed, 4000) << "the kill fell inside the burst";
  auto audit = run_program({binary_path("seckill-admin"), "--redis", new_master.text(), "audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test
