#include "logic/upkeep/reservation_drawer.hpp"

#include <glog/logging.h>

namespace seckill::logic {
namespace {

// Draws per group per round: more due than this (a whole catalogue closing at one instant)
// wait for the next round.
constexpr int kDrawsPerRound = 16;

}  // namespace

ReservationDrawer::ReservationDrawer(const LogicConfig& config, LogicStats& stats,
                                     const ServedGroups& groups)
    : config_(config),
      stats_(stats),
      groups_(groups),
      thread_("drawer", config.reaper_interval, [this] { draw_once(); }) {}

int ReservationDrawer::draw_once() {
  if (stats_.paused()) return 0;
  if (!redis_) {
    redis_ = std::make_unique<RedisClient>(config_.redis);
    book_ = std::make_unique<ReservationBook>(*redis_, config_.redis);
  }
  int made = 0;
  for (keys::GroupId group : groups_.all()) {
    for (int draw = 0; draw < kDrawsPerRound; ++draw) {
      auto outcome = book_->draw_next_due(group);
      if (!outcome) {
        stats_.drawer_errors.fetch_add(1, std::memory_order_relaxed);
        LOG_EVERY_T(WARNING, 10) << "drawer: group " << group << ": " << outcome.error().message;
        break;
      }
      if (!*outcome || (*outcome)->outcome == "not_closed") break;
      if ((*outcome)->outcome != "drawn") continue;  // dropped from the index: nothing to draw
      ++made;
      stats_.draws_made.fetch_add(1, std::memory_order_relaxed);
      LOG(INFO) << "drawer: product " << (*outcome)->product_id << ": " << (*outcome)->winners
                << " drawn of " << (*outcome)->listed << " listed";
    }
  }
  return made;
}

}  // namespace seckill::logic
