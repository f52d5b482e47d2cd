// The chaos suite: each scenario runs a burst (16,000 buyers, stock 10,000) while one fault is
// injected, then the shared checks of chaos_harness.cpp. Each prints its row of the table:
// | scenario | injected | answers by code | orders held / stock | audit |
#include <thread>

#include <gtest/gtest.h>

#include "tests/chaos/chaos_harness.hpp"
#include <signal.h>

namespace seckill::test {
namespace {

using namespace std::chrono_literals;

// After the fault, new buyers buy again, without restarting anything: within a few seconds (each
// proxy connection comes back on its own backoff) a whole round of buyers gets real answers.
void expect_purchases_resume(Cluster& cluster, long long first_user) {
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  std::string last;
  for (long long round = 0; std::chrono::steady_clock::now() < give_up; ++round) {
    auto answers = buy_concurrently({cluster.proxy_port(0)}, 1,
                                    user_range(first_user + round * 20, 20), 4, Cluster::kSecret);
    if (count_code(answers, 0) + count_code(answers, 1001) == 20) return;
    last = answers.front().answer.body;
    std::this_thread::sleep_for(100ms);
  }
  ADD_FAILURE() << "purchases did not resume after the fault: " << last;
}

ChaosPlan plan_for(std::string name, std::string injected) {
  ChaosPlan plan;
  plan.name = std::move(name);
  plan.injected = std::move(injected);
  return plan;
}

std::unique_ptr<Cluster> make_cluster(const ChaosPlan& plan, ClusterOptions options = {}) {
  options.request_timeout_ms = plan.timeout_ms;
  auto cluster = std::make_unique<Cluster>(options);
  cluster->load_products(products_json({product_on_sale(1, plan.stock)}));
  cluster->wait_ready(1);
  return cluster;
}

TEST(Chaos, KillLogicThreeTimes) {
  ChaosPlan plan = plan_for("kill -9 logic x3", "SIGKILL + restart, 3 times");
  auto cluster = make_cluster(plan);
  auto outcome = run_chaos(*cluster, plan, [&] {
    for (int kill = 0; kill < 3; ++kill) {
      std::this_thread::sleep_for(kill == 0 ? 50ms : 150ms);
      cluster->logic(0).kill_hard();
      std::this_thread::sleep_for(100ms);
      cluster->start_logic(0);
    }
  });
  EXPECT_EQ(outcome.transport_errors, 0);
}

TEST(Chaos, StopAndContinueLogic) {
  ChaosPlan plan = plan_for("SIGSTOP/SIGCONT logic", "logic stopped 1.5 s");
  auto cluster = make_cluster(plan);
  auto outcome = run_chaos(*cluster, plan, [&] {
    std::this_thread::sleep_for(50ms);
    cluster->logic(0).signal(SIGSTOP);
    std::this_thread::sleep_for(1500ms);
    cluster->logic(0).signal(SIGCONT);
  });
  EXPECT_EQ(outcome.transport_errors, 0);
}

TEST(Chaos, RestartRedisWithAofAlways) {
  ChaosPlan plan =
      plan_for("kill -9 Redis", "Redis SIGKILL, restarted on its port after 300 ms, AOF always");
  ClusterOptions options;
  options.redis_args = {"--appendonly", "yes", "--appendfsync", "always"};
  auto cluster = make_cluster(plan, options);
  auto outcome = run_chaos(*cluster, plan, [&] {
    std::this_thread::sleep_for(50ms);
    cluster->redis().stop(/*hard=*/true);
    std::this_thread::sleep_for(300ms);
    cluster->redis().restart();
  });
  EXPECT_EQ(outcome.transport_errors, 0);
  expect_purchases_resume(*cluster, 100000);
}

TEST(Chaos, PauseRedisClients) {
  ChaosPlan plan = plan_for("CLIENT PAUSE Redis", "CLIENT PAUSE 1000 ALL");
  auto cluster = make_cluster(plan);
  auto outcome = run_chaos(*cluster, plan, [&] {
    std::this_thread::sleep_for(50ms);
    cluster->redis().command({"CLIENT", "PAUSE", "1000", "ALL"});
  });
  EXPECT_EQ(outcome.transport_errors, 0);
  expect_purchases_resume(*cluster, 100000);
}

TEST(Chaos, KillOneOfTwoProxies) {
  ChaosPlan plan = plan_for("kill -9 a proxy", "one of two proxies SIGKILLed");
  plan.proxies = {0, 1};
  ClusterOptions options;
  options.proxies = 2;
  auto cluster = make_cluster(plan, options);
  run_chaos(*cluster, plan, [&] {
    std::this_thread::sleep_for(50ms);
    cluster->proxy(1).kill_hard();
  });
}

TEST(Chaos, SigtermEverythingMidBurst) {
  ChaosPlan plan = plan_for("SIGTERM all", "SIGTERM proxy and logic, then restart");
  auto cluster = make_cluster(plan);
  run_chaos(*cluster, plan, [&] {
    std::this_thread::sleep_for(50ms);
    cluster->proxy(0).signal(SIGTERM);
    cluster->logic(0).signal(SIGTERM);
    EXPECT_EQ(cluster->proxy(0).wait_exit(10s), 0) << "the proxy drains and exits cleanly";
    EXPECT_EQ(cluster->logic(0).wait_exit(10s), 0) << "the logic finishes its batch and exits";
    cluster->start_logic(0);
    cluster->start_proxy(0);
  });
}

}  // namespace
}  // namespace seckill::test
