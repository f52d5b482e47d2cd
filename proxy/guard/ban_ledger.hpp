// BanLedger: the temporary bans this proxy has begun and not yet published to Redis, so that
// `seckill-admin bans` can list them. The I/O threads record a ban as it starts (rare: at most
// once per key per ban), the ban sync thread takes them. Bounded: in a flood of thousands of
// addresses the oldest unpublished records are dropped (the bans themselves still hold).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace seckill::proxy {

struct BanRecord {
  std::string member;         // "user:42" or "ip:198.51.100.7", as seckill-admin names it
  std::int64_t until_ms = 0;  // Unix ms
};

class BanLedger {
 public:
  explicit BanLedger(std::size_t capacity = 4096) : capacity_(capacity) {}

  void record(BanRecord ban);
  /// Every record so far, oldest first; the ledger is empty afterwards.
  std::vector<BanRecord> take();
  /// Records that could not be published, back in front of newer ones (within the capacity).
  void put_back(std::vector<BanRecord> bans);
  /// Records dropped because the ledger was full.
  std::uint64_t dropped() const;

 private:
  void trim();  // drops the oldest beyond the capacity; the mutex is held

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<BanRecord> records_;
  std::uint64_t dropped_ = 0;
};

}  // namespace seckill::proxy
