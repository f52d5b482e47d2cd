// RateLimiter: per-key (a user id or a client address) limits per second and per minute, with
// temporary bans for repeat offenders, in memory, O(1) per request.
//
// Fixed windows: a key may make `per_second` requests in each calendar second and `per_minute`
// in each minute. A key refused `ban_after` times within one minute is banned for `ban`; a ban
// always ends (no one is locked out for ever). Memory is bounded: each of the 16 shards keeps at
// most max_keys/16 keys, forgets keys idle for over a minute, and when full forgets one not seen
// lately, chosen by the CLOCK algorithm (an approximation of least-recently-used in which a hit
// only sets a bit in its own slot, instead of relinking a list through its neighbours' slots:
// the difference is several cache misses on every request). An evicted key starts again with
// empty windows, which only ever errs towards letting a request through. Shards have their own
// locks, so I/O threads rarely meet.
//
// Keys are kept as 64-bit hashes, seeded at random per process (so nobody can aim two keys at
// one hash), in an open-addressing table over slots allocated once: a request allocates nothing.
// Two keys sharing a hash would share limits; among 100,000 keys that happens about once in
// 10^9 runs, and only ever pools two keys' counts.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

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

  /// A key as the limiter files it (a seeded hash).
  struct Key {
    std::uint64_t hash = 0;
  };
  Key key_of(std::string_view key) const;
  /// A numeric key (a user id), without formatting it.
  Key key_of(std::uint64_t key) const;

  /// Starts loading the table line `key` will be looked up in, so the cache miss overlaps
  /// other work (the other limiter's miss, the blocklists) instead of stalling allow().
  void prefetch(Key key) const;

  /// What became of one request, and the ban its key is under, if any.
  struct Verdict {
    bool allowed = true;
    bool ban_started = false;               // this refusal began a ban
    std::chrono::milliseconds ban_left{0};  // > 0: banned, for this much longer
  };
  /// Counts one request of `key` at `now`: refused when it is over a limit or banned.
  Verdict judge_request(Key key, Clock::time_point now);
  /// Counts one request of `key` at `now`; false when it is over a limit or banned.
  bool allow(Key key, Clock::time_point now) { return judge_request(key, now).allowed; }
  bool allow(std::string_view key, Clock::time_point now) { return allow(key_of(key), now); }
  bool allow(std::uint64_t key, Clock::time_point now) { return allow(key_of(key), now); }

  /// Ends the ban `key` is under at `now`, if any, and clears its counts, so its next request
  /// starts afresh; false when it was not banned.
  bool lift_ban(Key key, Clock::time_point now);

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
  struct Slot {
    std::uint64_t key = 0;
    Entry entry;
    bool referenced = false;  // seen since the clock hand last passed
  };
  // A cell of the open-addressing table carries the key itself, so a probe (and the shifting
  // that follows an erase) reads the table alone and touches a slot only on a hit.
  struct Cell {
    std::uint64_t key = 0;
    std::uint32_t slot = 0;  // slot number + 1; 0: the cell is empty
  };
  struct FreeCells {
    void operator()(Cell* cells) const { std::free(cells); }
  };
  struct Shard {
    std::mutex mutex;
    std::vector<Slot> slots;  // grows to per_shard_, then slots are reused
    // Allocated with the limiter (prefetch() reads it without the lock), zeroed by calloc: its
    // pages cost no memory until keys land on them.
    std::unique_ptr<Cell[], FreeCells> table;
    std::size_t hand = 0;         // the CLOCK hand: the next slot to consider when full
    std::size_t idle_cursor = 0;  // the next slot to look at for idleness while not full
  };
  static constexpr std::size_t kShards = 16;
  Verdict judge(Entry& entry, Clock::time_point now);
  Entry& find_or_add(Shard& shard, std::uint64_t hash, Clock::time_point now);
  Entry* find(Shard& shard, std::uint64_t hash) const;
  std::size_t home(std::uint64_t hash) const { return (hash >> 4) & table_mask_; }
  std::size_t victim(Shard& shard, Clock::time_point now) const;
  void erase_from_table(Shard& shard, std::size_t slot) const;

  const RateLimits limits_;
  const std::size_t per_shard_;
  const std::size_t table_mask_;
  const std::uint64_t seed_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace seckill::proxy
