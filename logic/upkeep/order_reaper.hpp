// OrderReaper: expires the orders whose pay-by time has passed unpaid, so their units go back
// on sale. One thread per seckill-logic process; every `reaper_interval_ms` it runs
// expire_orders.lua on each group in use, again while a group has more due.
//
// Several logic processes reap the same groups at once harmlessly: each step is one atomic
// script that expires only orders still pending and due, so an order expires once, and a
// process killed at any point leaves every order either expired or still pending.
#pragma once

#include <atomic>
#include <memory>

#include "common/base/periodic_thread.hpp"
#include "common/redis/redis_client.hpp"
#include "common/store/lua_script.hpp"
#include "logic/groups/served_groups.hpp"
#include "logic/logic_config.hpp"
#include "logic/logic_stats.hpp"

namespace seckill::logic {

class OrderReaper {
 public:
  OrderReaper(const LogicConfig& config, LogicStats& stats, const ServedGroups& groups);

  void start() { thread_.start(); }
  void stop() { thread_.stop(); }

  /// One round over every group in use; how many orders expired. Public for the tests.
  std::uint64_t reap_once();

 private:
  const LogicConfig& config_;
  LogicStats& stats_;
  const ServedGroups& groups_;
  std::unique_ptr<RedisClient> redis_;  // made at the first round, on the thread that reaps
  LuaScript script_;
  PeriodicThread thread_;
};

}  // namespace seckill::logic
