#include "proxy/guard/rate_limiter.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>
#include <random>

namespace seckill::proxy {
namespace {

/// A 64-bit finalizer (SplitMix64's): every input bit moves every output bit.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

RateLimiter::RateLimiter(RateLimits limits)
    : limits_(limits),
      per_shard_(std::max<std::size_t>(limits.max_keys / kShards, 1)),
      // At most half full: linear probing stays short.
      table_mask_(std::bit_ceil(per_shard_ * 2) - 1),
      seed_((static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()) {
  for (Shard& shard : shards_) {
    // All-zero bytes are empty cells (slot 0).
    shard.table.reset(static_cast<Cell*>(std::calloc(table_mask_ + 1, sizeof(Cell))));
    if (!shard.table) throw std::bad_alloc();
  }
}

RateLimiter::Verdict RateLimiter::judge(Entry& entry, Clock::time_point now) {
  const auto ban_left = [&] {
    return std::chrono::ceil<std::chrono::milliseconds>(entry.banned_until - now);
  };
  if (now < entry.banned_until) return {false, false, ban_left()};
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
    return {};
  }
  if (entry.refused_minute != minute) {
    entry.refused_minute = minute;
    entry.refused = 0;
  }
  if (limits_.ban_after > 0 && ++entry.refused >= limits_.ban_after) {
    entry.banned_until = now + limits_.ban;
    entry.refused = 0;
    return {false, true, ban_left()};
  }
  return {false, false, std::chrono::milliseconds(0)};
}

RateLimiter::Key RateLimiter::key_of(std::string_view key) const {
  std::uint64_t hash = seed_ ^ key.size();
  while (!key.empty()) {
    std::uint64_t chunk = 0;
    const std::size_t n = std::min<std::size_t>(key.size(), sizeof chunk);
    std::memcpy(&chunk, key.data(), n);
    hash = mix(hash ^ chunk);
    key.remove_prefix(n);
  }
  return {hash};
}

RateLimiter::Key RateLimiter::key_of(std::uint64_t key) const {
  return {mix(seed_ ^ key)};
}

void RateLimiter::prefetch(Key key) const {
  if (limits_.per_second <= 0 && limits_.per_minute <= 0) return;
  __builtin_prefetch(&shards_[key.hash % kShards].table[home(key.hash)]);
}

RateLimiter::Verdict RateLimiter::judge_request(Key key, Clock::time_point now) {
  if (limits_.per_second <= 0 && limits_.per_minute <= 0) return {};
  Shard& shard = shards_[key.hash % kShards];
  std::lock_guard lock(shard.mutex);
  Entry& entry = find_or_add(shard, key.hash, now);
  entry.last_seen = now;
  return judge(entry, now);
}

bool RateLimiter::lift_ban(Key key, Clock::time_point now) {
  if (limits_.per_second <= 0 && limits_.per_minute <= 0) return false;
  Shard& shard = shards_[key.hash % kShards];
  std::lock_guard lock(shard.mutex);
  Entry* entry = find(shard, key.hash);
  if (entry == nullptr || now >= entry->banned_until) return false;
  const Clock::time_point last_seen = entry->last_seen;
  *entry = Entry{};
  entry->last_seen = last_seen;
  return true;
}

RateLimiter::Entry* RateLimiter::find(Shard& shard, std::uint64_t hash) const {
  for (std::size_t i = home(hash);; i = (i + 1) & table_mask_) {
    const Cell& cell = shard.table[i];
    if (cell.slot == 0) return nullptr;
    if (cell.key == hash) {
      Slot& slot = shard.slots[cell.slot - 1];
      slot.referenced = true;
      return &slot.entry;
    }
  }
}

RateLimiter::Entry& RateLimiter::find_or_add(Shard& shard, std::uint64_t hash,
                                             Clock::time_point now) {
  if (Entry* found = find(shard, hash)) return *found;
  std::size_t slot = victim(shard, now);
  if (slot < shard.slots.size()) {
    erase_from_table(shard, slot);
  } else {
    shard.slots.emplace_back();
  }
  // Not marked as seen: a key met once (a passer-by, a scan of many addresses) is the first to
  // go; a second request within a turn of the hand marks it and it stays.
  shard.slots[slot] = Slot{hash, Entry{}, false};
  std::size_t i = home(hash);
  while (shard.table[i].slot != 0) i = (i + 1) & table_mask_;
  shard.table[i] = Cell{hash, static_cast<std::uint32_t>(slot + 1)};
  return shard.slots[slot].entry;
}

std::size_t RateLimiter::victim(Shard& shard, Clock::time_point now) const {
  auto idle = [now](const Slot& slot) {
    // Its windows are over and it is not banned: it holds nothing worth keeping.
    return now - slot.entry.last_seen > std::chrono::seconds(61) && now >= slot.entry.banned_until;
  };
  const std::size_t count = shard.slots.size();
  if (count < per_shard_) {
    // Room for one more; meanwhile idle keys drain as new ones arrive, one look per insert.
    if (count == 0) return 0;
    // (A cursor of its own: the hand stays on the oldest slot until the shard is full.)
    const std::size_t looked_at = shard.idle_cursor;
    shard.idle_cursor = (shard.idle_cursor + 1) % count;
    return idle(shard.slots[looked_at]) ? looked_at : count;
  }
  // Full: the hand sweeps on, giving every key seen since it last passed (and every banned key,
  // for a while) a second chance; two full turns at most, then whatever is under it goes.
  for (std::size_t turns = 0;; ++turns) {
    const std::size_t at = shard.hand;
    shard.hand = (shard.hand + 1) % count;
    Slot& slot = shard.slots[at];
    if (idle(slot)) return at;
    const bool keep = slot.referenced || now < slot.entry.banned_until;
    if (!keep || turns >= 2 * count) return at;
    slot.referenced = false;
  }
}

void RateLimiter::erase_from_table(Shard& shard, std::size_t slot) const {
  std::size_t hole = home(shard.slots[slot].key);
  while (shard.table[hole].slot != slot + 1) hole = (hole + 1) & table_mask_;
  // Backward-shift deletion: pull later entries of the probe run into the hole, so lookups
  // never need tombstones.
  shard.table[hole] = Cell{};
  for (std::size_t next = (hole + 1) & table_mask_; shard.table[next].slot != 0;
       next = (next + 1) & table_mask_) {
    const std::size_t wanted = home(shard.table[next].key);
    // The entry may move into the hole when its home is not cyclically within (hole, next].
    const bool stays =
        hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next);
    if (stays) continue;
    shard.table[hole] = shard.table[next];
    shard.table[next] = Cell{};
    hole = next;
  }
}

std::size_t RateLimiter::tracked() const {
  std::size_t total = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.slots.size();
  }
  return total;
}

}  // namespace seckill::proxy
