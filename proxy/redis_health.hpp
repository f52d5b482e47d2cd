// RedisHealth: whether this proxy currently reaches Redis, as its Redis threads last saw it,
// and whether that Redis is safe to sell on (its maxmemory-policy never evicts a key).
//
// Every Redis thread reports the outcome of its calls; the product refresher checks the policy.
// /healthz and the purchase path read the flags without a round trip of their own, so an
// outage is answered 5003 at once, and a Redis that could evict orders takes the proxy out of
// a balancer's rotation.
#pragma once

#include <atomic>

namespace seckill::proxy {

class RedisHealth {
 public:
  void report(bool reachable) { up_.store(reachable, std::memory_order_relaxed); }
  void report_eviction_safe(bool safe) { safe_.store(safe, std::memory_order_relaxed); }
  /// False while another live process holds this proxy's id (it would take our replies).
  void report_id_held(bool held) { id_held_.store(held, std::memory_order_relaxed); }
  bool id_held() const { return id_held_.load(std::memory_order_relaxed); }
  bool reachable() const { return up_.load(std::memory_order_relaxed); }
  bool eviction_safe() const { return safe_.load(std::memory_order_relaxed); }
  /// Reachable and safe: purchases may go on.
  bool up() const { return reachable() && eviction_safe() && id_held(); }

 private:
  std::atomic<bool> up_{false};
  std::atomic<bool> safe_{true};  // until the first check says otherwise
  std::atomic<bool> id_held_{true};
};

}  // namespace seckill::proxy
