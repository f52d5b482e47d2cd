// ReservationDrawer: makes each reservation draw the moment its reservation closes, so the
// winners are known before the sale starts. One thread per seckill-logic process; every
// `reaper_interval_ms` it runs draw.lua (common/reservation) on each group in use, again while
// the group has more draws due.
//
// Several logic processes draw at once harmlessly: a draw is one atomic script that is made
// once, with a fresh random seed (from the system's CSPRNG) that the product then publishes.
#pragma once

#include <memory>

#include "common/base/periodic_thread.hpp"
#include "common/redis/redis_client.hpp"
#include "common/reservation/reservation_book.hpp"
#include "logic/groups/served_groups.hpp"
#include "logic/logic_config.hpp"
#include "logic/logic_stats.hpp"

namespace seckill::logic {

class ReservationDrawer {
 public:
  ReservationDrawer(const LogicConfig& config, LogicStats& stats, const ServedGroups& groups);

  void start() { thread_.start(); }
  void stop() { thread_.stop(); }

  /// One round over every group in use; how many draws were made. Public for the tests.
  int draw_once();

 private:
  const LogicConfig& config_;
  LogicStats& stats_;
  const ServedGroups& groups_;
  // Made at the first round, on the thread that draws.
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<ReservationBook> book_;
  PeriodicThread thread_;
};

}  // namespace seckill::logic
