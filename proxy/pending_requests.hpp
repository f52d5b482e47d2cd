// PendingRequests: purchases sent to the logic tier and not yet answered, by request id.
//
// Three parties race to finish a request: a reader thread that pops its reply, the deadline
// sweeper, and a writer that could not queue it. Whoever take()s the entry answers; the others
// find nothing (a reply that finds nothing is "late" and only counted). The map is sharded to
// keep reader threads and Asio threads off one lock, and bounded: add() fails when full, and the
// caller answers 5003 at once.
//
// Deadlines: every entry also goes into its shard's FIFO of deadlines. All requests of a proxy
// get the same timeout, so each FIFO is ordered by deadline and take_expired() only looks at the
// front: O(1) per request, however many are waiting.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/wire.hpp"

namespace seckill::proxy {

class PendingRequests {
 public:
  using Clock = std::chrono::steady_clock;
  /// Called once with the decision (or a synthesized 5003/5004); must not block.
  using Completion = std::function<void(const PurchaseReply&)>;

  explicit PendingRequests(std::size_t capacity);

  /// Registers a request; false when `capacity` requests are already pending.
  bool add(const std::string& id, Clock::time_point deadline, Completion completion);

  /// Removes and returns the completion of `id`, if it is still pending.
  std::optional<Completion> take(const std::string& id);

  /// Removes every request whose deadline is at or before `now`; returns them with their ids.
  std::vector<std::pair<std::string, Completion>> take_expired(Clock::time_point now);

  std::size_t size() const { return size_.load(std::memory_order_relaxed); }

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Completion> waiting;
    std::deque<std::pair<Clock::time_point, std::string>> deadlines;
  };
  Shard& shard_for(const std::string& id);

  const std::size_t capacity_;
  std::atomic<std::size_t> size_{0};
  std::array<Shard, kShards> shards_;
};

}  // namespace seckill::proxy
