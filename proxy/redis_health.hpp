// RedisHealth: whether this proxy currently reaches Redis, as its Redis threads last saw it.
//
// Every Redis thread reports the outcome of its calls; /healthz and the purchase path read the
// flag without a round trip of their own, so an outage is answered 5003 at once.
#pragma once

#include <atomic>

namespace seckill::proxy {

class RedisHealth {
 public:
  void report(bool reachable) { up_.store(reachable, std::memory_order_relaxed); }
  bool up() const { return up_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> up_{false};
};

}  // namespace seckill::proxy
