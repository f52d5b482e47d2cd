// LeaseKeeper: claims a process's IdLease at start and renews it from a thread of its own.
//
// Used by the proxy for its proxy id (the logic renews its lease with its heartbeat). claim()
// runs before the process takes any work and throws ConfigError when a live process holds the
// id, which every main turns into exit 2. Afterwards the thread renews the lease every third of
// its time; `on_change(false)` tells the owner when another process holds it (the proxy then
// reports unhealthy), `on_change(true)` when it is ours again.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/base/periodic_thread.hpp"
#include "common/redis/redis_client.hpp"
#include "common/store/id_lease.hpp"

namespace seckill {

class LeaseKeeper {
 public:
  LeaseKeeper(RedisConfig redis, IdLease lease, std::function<void(bool held)> on_change);

  /// Takes the lease (see IdLease::claim); throws ConfigError naming the id when it is held.
  void claim(std::chrono::milliseconds patience);
  void start() { thread_.start(); }
  /// Stops renewing and gives the lease up.
  void stop();

 private:
  void renew();

  RedisClient redis_;
  IdLease lease_;
  std::function<void(bool)> on_change_;
  bool held_ = true;
  PeriodicThread thread_;  // last: stops first, while the members it uses still exist
};

}  // namespace seckill
