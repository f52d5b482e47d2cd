// RateLimiter: per-key (a user id or a client address) limits per second and per minute, with
// temporary bans for repeat offenders, in memory, O(1) per request.
//
// Fixed windows: a key may make `per_second` requests in each calendar second and `per_minute`
// in each minute. A key refused `ban_after` times within one minute is banned for `ban`; a ban
// always ends (no one is locked out for ever). Memory is bounded: each of the 16 shards keeps at
// most max_keys/16 keys in least-recently-used order, forgets keys idle for over a minute, and
// forgets the oldest when full (an evicted key starts again with empty windows, which only ever
// errs towards letting a request through). Shards have their own locks, so I/O threads rarely
// meet.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace seckill::proxy {

struct RateLimits {
  std::int64_t per_second = 0;  // 0: no limit
  std::int64_t per_minute = 0;  // 0: no limit
  std::int64_t ban_after = 0;   // refusals within a minute that earn a ban; 0: never ban
  std::chrono::milliseconds ban{60000};
  std::size_t max_keys = 100'000;
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(RateLimits limits);

  /// Counts one request of `key` at `now`; false when it is over a limit or banned.
  bool allow(std::string_view key, Clock::time_point now);

  std::size_t tracked() const;

 private:
  struct Entry {
    std::int64_t second = -1;
    std::int64_t in_second = 0;
    std::int64_t minute = -1;
    std::int64_t in_minute = 0;
    std::int64_t refused_minute = -1;
    std::int64_t refused = 0;
    Clock::time_point banned_until{};
    Clock::time_point last_seen{};
  };
  struct Shard {
    std::mutex mutex;
    std::list<std::string> order;  // most recently used first
    std::unordered_map<std::string_view, std::pair<Entry, std::list<std::string>::iterator>>
        entries;
  };
  static constexpr std::size_t kShards = 16;
  bool judge(Entry& entry, Clock::time_point now);

  const RateLimits limits_;
  const std::size_t per_shard_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace seckill::proxy
