#include "tests/chaos/chaos_harness.hpp"

#include <iostream>
#include <thread>

#include <gtest/gtest.h>

#include "common/store/redis_keys.hpp"
#include "tests/support/http_client.hpp"

namespace seckill::test {
namespace {

using namespace std::chrono_literals;

// Waits until no request is queued or held by a logic worker (the restarted or surviving logic
// has decided everything that was put back).
void wait_for_drain(Cluster& cluster) {
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < give_up) {
    try {
      // Every group's queue and every processing list (of any group).
      const std::string queued = cluster.redis().command(
          {"EVAL",
           "local n = 0 for _, k in ipairs(redis.call('KEYS', 'seckill:{g*}:req')) do "
           "n = n + redis.call('LLEN', k) end return n",
           "0"});
      const std::string held = cluster.redis().command(
          {"EVAL",
           "local n = 0 for _, k in ipairs(redis.call('KEYS', 'seckill:{g*}:processing:*')) do "
           "n = n + redis.call('LLEN', k) end return n",
           "0"});
      if (queued == "0" && held == "0") return;
    } catch (const std::exception&) {
      // Redis may still be coming back.
    }
    std::this_thread::sleep_for(50ms);
  }
  ADD_FAILURE() << "requests still queued or held 20 s after the burst";
}

// /result for `user`, retried while the proxy answers 5003: right after an outage each of its
// Redis connections comes back on its own backoff (up to a second), as a client would retry.
HttpAnswer lookup(HttpClient& client, long long user) {
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  HttpAnswer result;
  do {
    result = client.get("/result?" + buyer_query(1, user, Cluster::kSecret));
    if (result.code != 5003) break;
    std::this_thread::sleep_for(20ms);
  } while (std::chrono::steady_clock::now() < give_up);
  return result;
}

}  // namespace

ChaosOutcome run_chaos(Cluster& cluster, const ChaosPlan& plan,
                       const std::function<void()>& inject) {
  std::vector<int> ports;
  for (int proxy : plan.proxies.empty() ? std::vector<int>{0} : plan.proxies) {
    ports.push_back(cluster.proxy_port(proxy));
  }
  std::vector<BuyerAnswer> answers;
  std::thread burst([&] {
    answers =
        buy_concurrently(ports, 1, user_range(1, plan.users), plan.connections, Cluster::kSecret);
  });
  inject();
  burst.join();
  wait_for_drain(cluster);

  ChaosOutcome outcome;
  HttpClient client(cluster.proxy_port(plan.lookup_proxy));
  // After a Redis outage the proxy reconnects on its own, within its backoff (at most ~1 s).
  const auto healthy_by = std::chrono::steady_clock::now() + 10s;
  while (client.get("/healthz").status != 200) {
    if (std::chrono::steady_clock::now() > healthy_by) {
      ADD_FAILURE() << plan.name << ": the proxy did not recover by itself";
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  for (const auto& a : answers) {
    const int code = a.answer.status == 0 ? -1 : a.answer.code;
    ++outcome.codes[code];
    if (code == -1) {
      ++outcome.transport_errors;
    } else {
      EXPECT_LE(a.answer.elapsed, std::chrono::milliseconds(plan.timeout_ms + 250))
          << plan.name << ": user " << a.user << " answered " << code << " late";
    }
    auto result = lookup(client, a.user);
    EXPECT_TRUE(result.code == 0 || result.code == 1006) << plan.name << ": " << result.body;
    const bool holds = result.code == 0;
    outcome.holders += holds ? 1 : 0;
    if (code == 0) {
      EXPECT_EQ(result.order_id, a.answer.order_id)
          << plan.name << ": user " << a.user << " was told 0 and lost the order";
    } else if (code != 5004 && code != -1) {
      // Only "unknown" (5004, or no answer at all) may go with an order; a failure may not.
      EXPECT_FALSE(holds) << plan.name << ": user " << a.user << " was told " << code
                          << " but holds " << result.order_id;
    }
  }
  EXPECT_LE(outcome.holders, plan.stock) << plan.name << ": oversold";
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << plan.name << ":\n" << audit.output;

  std::cout << "| " << plan.name << " | " << plan.injected << " | ";
  for (const auto& [code, n] : outcome.codes) {
    std::cout << (code == -1 ? std::string("no answer") : std::to_string(code)) << ": " << n
              << "  ";
  }
  std::cout << "| " << outcome.holders << " / " << plan.stock << " | "
            << (audit.status == 0 ? "passed" : "FAILED") << " |" << std::endl;
  return outcome;
}

}  // namespace seckill::test
