// Membership: this logic process's heartbeat, and the recovery of dead peers' requests.
//
// Every heartbeat interval the process renews its lease `seckill:logic:<id>:alive` (an IdLease
// expiring after dead_after: no two live processes share a logic id), registers its id and its
// processing lists, checks that Redis's maxmemory-policy never evicts, and looks at its peers: a
// peer whose heartbeat has lapsed is dead, and its processing lists are put back at the head of
// seckill:req by one atomic script that checks the heartbeat again (so a peer that was only
// slow is left alone). While the lease is another's or Redis may evict, the workers pause.
// Runs on its own thread; owns its Redis connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/id_lease.hpp"
#include "common/lua_script.hpp"
#include "common/periodic_thread.hpp"
#include "common/redis_connection.hpp"
#include "logic/logic_config.hpp"
#include "logic/worker.hpp"

namespace seckill::logic {

class Membership {
 public:
  Membership(const LogicConfig& config, WorkerStats& stats);

  /// Takes the lease on the logic id before any work (see IdLease::claim).
  IdLease::Claim claim(std::chrono::milliseconds patience) {
    return lease_.claim(redis_, patience);
  }
  const IdLease& lease() const { return lease_; }

  void start() { thread_.start(); }
  /// Stops the heartbeat; when every processing list is empty the process also leaves the
  /// registry, so nobody waits for it to die.
  void stop();

  /// One heartbeat and one look at the peers (public for tests).
  void tick();

 private:
  void recover(const std::string& peer);
  void renew_lease();
  void check_eviction_policy(const RedisReply& info);

  const LogicConfig& config_;
  WorkerStats& stats_;
  RedisConnection redis_;
  LuaScript requeue_script_;
  IdLease lease_;
  std::vector<std::string> own_lists_;
  PeriodicThread thread_;  // last: stops first, while the members it uses still exist
};

}  // namespace seckill::logic
