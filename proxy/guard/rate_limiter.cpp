#include "proxy/guard/rate_limiter.hpp"

#include <functional>

namespace seckill::proxy {

RateLimiter::RateLimiter(RateLimits limits)
    : limits_(limits), per_shard_(std::max<std::size_t>(limits.max_keys / kShards, 1)) {}

bool RateLimiter::judge(Entry& entry, Clock::time_point now) {
  if (now < entry.banned_until) return false;
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::int64_t second = ms / 1000;
  const std::int64_t minute = ms / 60000;
  if (entry.second != second) {
    entry.second = second;
    entry.in_second = 0;
  }
  if (entry.minute != minute) {
    entry.minute = minute;
    entry.in_minute = 0;
  }
  const bool over = (limits_.per_second > 0 && entry.in_second >= limits_.per_second) ||
                    (limits_.per_minute > 0 && entry.in_minute >= limits_.per_minute);
  if (!over) {
    ++entry.in_second;
    ++entry.in_minute;
    return true;
  }
  if (entry.refused_minute != minute) {
    entry.refused_minute = minute;
    entry.refused = 0;
  }
  if (limits_.ban_after > 0 && ++entry.refused >= limits_.ban_after) {
    entry.banned_until = now + limits_.ban;
    entry.refused = 0;
  }
  return false;
}

bool RateLimiter::allow(std::string_view key, Clock::time_point now) {
  if (limits_.per_second <= 0 && limits_.per_minute <= 0) return true;
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) {
    // Forget the least recently seen key when the shard is full, or when it has been idle for
    // over a minute (its windows are over and it is not banned: it holds nothing worth keeping).
    while (!shard.order.empty()) {
      auto& oldest = shard.entries.find(std::string_view(shard.order.back()))->second.first;
      const bool idle =
          now - oldest.last_seen > std::chrono::seconds(61) && now >= oldest.banned_until;
      if (shard.entries.size() < per_shard_ && !idle) break;
      shard.entries.erase(std::string_view(shard.order.back()));
      shard.order.pop_back();
    }
    shard.order.emplace_front(key);
    it = shard.entries
             .emplace(std::string_view(shard.order.front()),
                      std::make_pair(Entry{}, shard.order.begin()))
             .first;
  } else {
    shard.order.splice(shard.order.begin(), shard.order, it->second.second);
  }
  it->second.first.last_seen = now;
  return judge(it->second.first, now);
}

std::size_t RateLimiter::tracked() const {
  std::size_t total = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

}  // namespace seckill::proxy
