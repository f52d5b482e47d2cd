#include "proxy/guard/ban_sync.hpp"

#include <algorithm>

#include <glog/logging.h>

#include "common/base/clock.hpp"
#include "common/store/redis_keys.hpp"

namespace seckill::proxy {
namespace {

// How far back each round reads the lifts, behind the newest one seen: far more than two
// seckill-admin runs can land out of order.
constexpr std::int64_t kLiftOverlapMs = 5000;

}  // namespace

BanSync::BanSync(RedisConfig redis, std::chrono::milliseconds interval, Guard& guard)
    : redis_(std::move(redis)),
      guard_(guard),
      thread_("ban-sync", interval, [this] { sync_once(); }) {}

void BanSync::start() {
  sync_once();
  thread_.start();
}

bool BanSync::sync_once() {
  std::vector<BanRecord> bans = guard_.ban_ledger().take();
  std::vector<std::vector<std::string>> commands;
  commands.reserve(bans.size() + 2);
  for (const BanRecord& ban : bans) {
    // GT: two proxies banning the same user keep the later end.
    commands.push_back({"ZADD", keys::kBans, "GT", std::to_string(ban.until_ms), ban.member});
  }
  // Scores are whole ms: a ban that ended before now is one at most now - 1.
  commands.push_back({"ZREMRANGEBYSCORE", keys::kBans, "-inf", std::to_string(unix_ms_now() - 1)});
  commands.push_back({"ZRANGE", keys::kBanLifts, std::to_string(newest_ - kLiftOverlapMs), "+inf",
                      "BYSCORE", "WITHSCORES"});
  auto replies = redis_.pipeline(commands);
  if (!replies || replies->size() != commands.size()) {
    guard_.ban_ledger().put_back(std::move(bans));
    return false;
  }
  apply_lifts(replies->back());
  return true;
}

void BanSync::apply_lifts(const RedisReply& lifts) {
  if (!lifts.is_array()) return;
  for (std::size_t i = 0; i + 1 < lifts.size(); i += 2) {
    const std::int64_t when = reply_score(lifts.element(i + 1));
    auto lift = std::make_pair(when, std::string(reply_str(lifts.element(i))));
    newest_ = std::max(newest_, when);
    if (!applied_.insert(lift).second) continue;  // applied in an earlier round
    if (primed_) guard_.lift_ban(lift.second);
  }
  primed_ = true;
  // Forget what the next rounds will not read again.
  applied_.erase(applied_.begin(), applied_.lower_bound({newest_ - kLiftOverlapMs, std::string()}));
}

}  // namespace seckill::proxy
