// LogicServer: owns the worker threads of one seckill-logic process.
#pragma once

#include <atomic>
#include <thread>
#include <vector>

#include "logic/decide/worker.hpp"
#include "logic/groups/membership.hpp"
#include "logic/logic_config.hpp"
#include "logic/upkeep/order_reaper.hpp"
#include "logic/upkeep/reservation_drawer.hpp"

namespace seckill::logic {

class LogicServer {
 public:
  explicit LogicServer(LogicConfig config);
  ~LogicServer();
  LogicServer(const LogicServer&) = delete;
  LogicServer& operator=(const LogicServer&) = delete;
  LogicServer(LogicServer&&) = delete;
  LogicServer& operator=(LogicServer&&) = delete;

  /// Refuses to start (throws ConfigError) when Redis's maxmemory-policy may evict keys or a
  /// live process holds this logic id; then starts the heartbeat and the workers.
  void start();
  /// Asks every worker to stop after the batch in hand, joins them, then stops the heartbeat.
  void stop();

  const WorkerStats& stats() const { return stats_; }

 private:
  void refuse_unsafe_start();

  LogicConfig config_;
  std::atomic<bool> stopping_{false};
  WorkerStats stats_;
  ServedGroups groups_;
  GroupClaims claims_;  // the groups a worker is gathering a round for
  Membership membership_;
  OrderReaper reaper_;
  ReservationDrawer drawer_;
  std::vector<std::thread> threads_;
};

}  // namespace seckill::logic
