// The real binaries in sentinel mode (a master, a replica, three sentinels): they find the
// master through the sentinels, sell, and sell again by themselves after a failover.
#include <thread>

#include <gtest/gtest.h>

#include "common/clock.hpp"
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

}  // namespace
}  // namespace seckill::test
