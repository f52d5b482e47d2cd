// Membership: this logic process's heartbeat, and the recovery of dead peers' requests.
//
// Every heartbeat interval the process renews its lease `seckill:{global}:logic:<id>:alive` (an
// IdLease expiring after dead_after: no two live processes share a logic id), reads which groups
// hold products (the workers serve those), registers its id (each worker registers a processing
// list before its first use), checks that Redis's maxmemory-policy never evicts, and looks at its
// peers: a peer whose heartbeat has lapsed is dead, and its processing lists are put back at the
// head of their groups' queues, one atomic script per group. While the lease is another's or
// Redis may evict, the workers pause.
// Runs on its own thread; owns its Redis connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/base/periodic_thread.hpp"
#include "common/redis/redis_client.hpp"
#include "common/store/id_lease.hpp"
#include "common/store/lua_script.hpp"
#include "logic/decide/worker.hpp"
#include "logic/groups/served_groups.hpp"
#include "logic/logic_config.hpp"

namespace seckill::logic {

class Membership {
 public:
  Membership(const LogicConfig& config, WorkerStats& stats, ServedGroups& groups);

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
  void check_eviction_policy();
  /// Reads the groups in use and hands them to the workers; false on failure.
  bool follow_groups();
  /// This process's processing lists in `groups`.
  std::vector<std::string> lists_in(const std::vector<keys::GroupId>& groups) const;

  const LogicConfig& config_;
  WorkerStats& stats_;
  RedisClient redis_;
  LuaScript requeue_script_;
  IdLease lease_;
  ServedGroups& groups_;
  PeriodicThread thread_;  // last: stops first, while the members it uses still exist
};

}  // namespace seckill::logic
