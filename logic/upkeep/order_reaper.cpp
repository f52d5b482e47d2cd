#include "logic/upkeep/order_reaper.hpp"

#include <glog/logging.h>

#include "common/store/redis_keys.hpp"

namespace seckill {
extern const std::string_view kExpireOrdersScript;
}

namespace seckill::logic {
namespace {

// Orders one script run expires at most: a few milliseconds of Redis time, so a backlog of
// expiries never holds up the purchases queued behind it for long.
constexpr int kPerRun = 256;
// Runs per group per round: a backlog larger than this waits for the next round.
constexpr int kRunsPerRound = 64;

}  // namespace

OrderReaper::OrderReaper(const LogicConfig& config, LogicStats& stats, const ServedGroups& groups)
    : config_(config),
      stats_(stats),
      groups_(groups),
      script_(kExpireOrdersScript),
      thread_("reaper", config.reaper_interval, [this] { reap_once(); }) {}

std::uint64_t OrderReaper::reap_once() {
  if (stats_.paused()) return 0;
  if (!redis_) redis_ = std::make_unique<RedisClient>(config_.redis);
  std::uint64_t expired = 0;
  for (keys::GroupId group : groups_.all()) {
    for (int run = 0; run < kRunsPerRound; ++run) {
      auto reply = script_.run(
          *redis_, {.keys = {keys::pending_orders(group)}, .args = {std::to_string(kPerRun)}});
      if (!reply || reply->is_error() || !reply->is_array() || reply->size() != 2) {
        stats_.reaper_errors.fetch_add(1, std::memory_order_relaxed);
        LOG_EVERY_T(WARNING, 10) << "reaper: group " << group << ": "
                                 << (!reply ? reply.error().message : std::string(reply->str()));
        break;
      }
      const auto now_expired = static_cast<std::uint64_t>(reply_integer(reply->element(0)));
      expired += now_expired;
      stats_.orders_expired.fetch_add(now_expired, std::memory_order_relaxed);
      if (reply_integer(reply->element(1)) == 0) break;
    }
  }
  if (expired > 0) VLOG(1) << "reaper: " << expired << " unpaid orders expired";
  return expired;
}

}  // namespace seckill::logic
