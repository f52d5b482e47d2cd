// ProductRefresher: a thread that re-reads every product from Redis each refresh interval and
// swaps the result into the ProductCache. It also keeps RedisHealth current when no purchases
// flow, so /healthz turns 503 within one interval of an outage and 200 again after it, and
// checks Redis's maxmemory-policy now and then (a policy that evicts could drop orders).
#pragma once

#include <chrono>

#include "common/base/periodic_thread.hpp"
#include "common/base/versioned.hpp"
#include "common/redis/redis_client.hpp"
#include "proxy/guard/blocklist.hpp"
#include "proxy/state/product_cache.hpp"
#include "proxy/state/redis_health.hpp"

namespace seckill::proxy {

class ProductRefresher {
 public:
  ProductRefresher(RedisConfig redis, std::chrono::milliseconds interval, ProductCache& cache,
                   Versioned<Blocklist>& blocklist, RedisHealth& health);
  /// Reads once, synchronously (so the proxy starts with products known), then starts the thread.
  void start();
  void stop() { thread_.stop(); }

  /// One refresh; false when Redis could not be read (the cache keeps its last good map).
  bool refresh_once();

 private:
  /// Reads maxmemory-policy into RedisHealth; logs why the proxy is unhealthy when it evicts.
  void check_eviction_policy();

  RedisClient redis_;
  ProductCache& cache_;
  Versioned<Blocklist>& blocklist_;
  RedisHealth& health_;
  int refreshes_until_policy_check_ = 0;
  PeriodicThread thread_;  // last: it stops first, while the members it uses still exist
};

}  // namespace seckill::proxy
