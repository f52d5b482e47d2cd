// The real binaries in sentinel mode (a master, a replica, three sentinels): they find the
// master through the sentinels, sell, and sell again by themselves after a failover.
#include <csignal>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/redis/redis_client.hpp"
#include "common/store/redis_keys.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/prometheus_text.hpp"
#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"
#include "tests/support/servers/redis_sentinels.hpp"

namespace seckill::test {
namespace {

// Product 1 is loaded without a pin: it lives in the group its id hashes to.
const keys::GroupId kGroupOf1 = keys::default_group(1, keys::kDefaultGroups);

using namespace std::chrono_literals;

// A logic and a proxy in sentinel mode, with one product of `total` units loaded.
class SentinelTiers {
 public:
  SentinelTiers(RedisSentinels& sentinels, long long total, const std::string& redis_extra,
                int request_timeout_ms)
      : sentinels_(sentinels), port_(free_port()), logic_metrics_port_(free_port()) {
    std::string redis_json = sentinels.redis_json();
    redis_json.insert(redis_json.size() - 1, redis_extra);
    const std::string logic_config =
        dir_.write("logic.json", "{\"heartbeat_ms\":200,\"dead_after_ms\":2000,\"metrics_port\":" +
                                     std::to_string(logic_metrics_port_) + "," + redis_json + "}");
    const std::string proxy_config = dir_.write(
        "proxy.json", "{\"secret\":\"" + std::string(Cluster::kSecret) +
                          "\",\"request_timeout_ms\":" + std::to_string(request_timeout_ms) + "," +
                          ClusterOptions{}.guard_json + "," + redis_json + "}");
    auto loaded =
        admin({"load", dir_.write("products.json", products_json({product_on_sale(1, total)}))});
    if (loaded.status != 0) throw std::runtime_error("load failed: " + loaded.output);
    logic_.start({binary_path("seckill-logic"), "--config", logic_config, "--logic-id", "s-logic"},
                 dir_.file("logic.log"));
    proxy_.start({binary_path("seckill-proxy"), "--config", proxy_config, "--port",
                  std::to_string(port_), "--proxy-id", "s-proxy"},
                 dir_.file("proxy.log"));
    HttpClient client(port_, 3s);
    const auto ready_by = std::chrono::steady_clock::now() + 15s;
    while (client.get("/secinfo?product_id=1").code != 0 || client.get("/healthz").status != 200) {
      if (std::chrono::steady_clock::now() > ready_by) {
        throw std::runtime_error("proxy not ready:\n" + proxy_.log_tail());
      }
      std::this_thread::sleep_for(50ms);
    }
  }

  /// seckill-admin against the master the sentinels name now.
  RunResult admin(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {binary_path("seckill-admin"), "--redis",
                                     sentinels_.master().text()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv);
  }
  int port() const { return port_; }
  /// One sample of the logic's /metrics page (0 when absent).
  double logic_metric(const std::string& name) const {
    HttpClient client(logic_metrics_port_, 3s);
    return parse_prometheus_text(client.get("/metrics").body).samples[name];
  }
  ChildProcess& proxy() { return proxy_; }
  ChildProcess& logic() { return logic_; }

 private:
  RedisSentinels& sentinels_;
  TempDir dir_;
  int port_;
  int logic_metrics_port_;
  ChildProcess logic_;
  ChildProcess proxy_;
};

TEST(Sentinel, TheTiersFollowAFailoverAndSellOn) {
  RedisSentinels sentinels;
  SentinelTiers tiers(sentinels, 1000, "", 2000);
  const int port = tiers.port();
  HttpClient client(port, 3s);
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
  ASSERT_TRUE(selling) << tiers.proxy().log_tail() << tiers.logic().log_tail();
  auto after = buy_concurrently({port}, 1, user_range(5000, 100), 10, Cluster::kSecret);
  EXPECT_EQ(count_code(after, 0), 100);
  // The promoted replica had no scripts (SCRIPT LOAD is not replicated): each connection that
  // runs one loaded it again once, on its first NOSCRIPT, and that is the whole cost. The logic
  // has 2 workers (each: the queue script, and on the held path three more) and a heartbeat (the
  // lease script and the requeue script). A worker that ran no script before the failover loads
  // its first without a NOSCRIPT (one worker may have gathered every round: GroupClaims), but
  // the heartbeat renews its lease with a script every 200 ms: it meets one soon.
  double reloads = 0;
  const auto noticed_by = std::chrono::steady_clock::now() + 5s;
  while ((reloads = tiers.logic_metric("seckill_logic_script_reloads_total")) < 1 &&
         std::chrono::steady_clock::now() < noticed_by) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GE(reloads, 1) << "the failover was not noticed";
  EXPECT_LE(reloads, 10) << "more than one reload per connection and script";
  std::cout << "script reloads after the failover: " << reloads << "\n";
  for (const auto& answer : before) {
    EXPECT_EQ(client.get("/result?" + buyer_query(1, answer.user, Cluster::kSecret)).code, 0)
        << "user " << answer.user << " bought before the failover";
  }
  EXPECT_TRUE(tiers.proxy().running());
  EXPECT_TRUE(tiers.logic().running());
  auto audit = tiers.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

// With redis.ack_replicas 1 and a replica that stops answering: the first decisions are withheld
// (their buyers get 5004, the truth), then the logic stops taking work there and the proxy
// answers 5003 at once; when the replica answers again, purchases are answered 0 again.
TEST(Sentinel, AStalledReplicaTurnsPurchasesInto5003UntilItIsBack) {
  RedisSentinels sentinels;
  SentinelTiers tiers(sentinels, 100000, R"(,"ack_replicas":1,"wait_ms":100)", 1000);
  HttpClient client(tiers.port(), 3s);
  long long user = 0;
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(client.get("/seckill?" + buyer_query(1, ++user, Cluster::kSecret)).code, 0);
  }
  ChildProcess& replica = sentinels.replica_of(sentinels.master()).process();
  replica.signal(SIGSTOP);
  bool fast_5003 = false;
  const auto give_up = std::chrono::steady_clock::now() + 15s;
  while (!fast_5003 && std::chrono::steady_clock::now() < give_up) {
    const auto asked = std::chrono::steady_clock::now();
    const int code = client.get("/seckill?" + buyer_query(1, ++user, Cluster::kSecret)).code;
    ASSERT_TRUE(code == 5004 || code == 5003) << "code " << code << " with no replica to ack";
    fast_5003 = code == 5003 && std::chrono::steady_clock::now() - asked < 300ms;
  }
  EXPECT_TRUE(fast_5003) << tiers.logic().log_tail();
  replica.signal(SIGCONT);

  bool selling = false;
  const auto back_by = std::chrono::steady_clock::now() + 15s;
  while (!selling && std::chrono::steady_clock::now() < back_by) {
    selling = client.get("/seckill?" + buyer_query(1, ++user, Cluster::kSecret)).code == 0;
    if (!selling) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(selling) << tiers.logic().log_tail();
  auto audit = tiers.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

// With redis.ack_replicas 1, kill -9 of the master in the middle of a burst takes back no
// purchase that was answered 0: each was on the replica before its buyer heard of it.
TEST(Sentinel, AMasterKilledMidBurstLosesNoConfirmedPurchase) {
  RedisSentinels sentinels;
  const NodeAddress first_master = sentinels.master();
  SentinelTiers tiers(sentinels, 100000, R"(,"ack_replicas":1,"wait_ms":200)", 1500);
  const int port = tiers.port();

  std::thread killer([&] {
    // Mid-burst: once a few hundred units are sold.
    RedisClient watch(sentinels.server_at(first_master).config());
    for (int i = 0; i < 500; ++i) {
      auto sold = watch.command({"HGET", keys::product(kGroupOf1, 1), "sold"});
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
    ASSERT_LT(std::chrono::steady_clock::now(), back_by) << tiers.proxy().log_tail();
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
  auto audit = tiers.admin({"audit"});
  EXPECT_EQ(sentinels.master(), new_master);
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test
