// PendingRequests: purchases sent to the logic tier and not yet answered.
//
// It also names them: add() gives each purchase its request id, "<prefix><sequence>", where the
// prefix (proxy id and start time) keeps ids unique across proxies and restarts. Entries are
// kept by the sequence number alone, so registering and finding one hashes and compares an
// integer and allocates no key; take() reads the number back out of the id.
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
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
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

  /// `id_prefix` starts every request id this proxy gives out.
  PendingRequests(std::size_t capacity, std::string id_prefix);

  /// Registers a request and returns its new id; nothing when `capacity` requests are pending.
  std::optional<std::string> add(Clock::time_point deadline, Completion completion);

  /// Removes and returns the completion of `id`, if it is still pending (an id this proxy did
  /// not give out finds nothing).
  std::optional<Completion> take(std::string_view id);

  /// Removes every request whose deadline is at or before `now`; returns them with their ids.
  std::vector<std::pair<std::string, Completion>> take_expired(Clock::time_point now);

  std::size_t size() const { return size_.load(std::memory_order_relaxed); }

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::uint64_t, Completion> waiting;
    std::deque<std::pair<Clock::time_point, std::uint64_t>> deadlines;
  };
  // Consecutive sequences go to consecutive shards: the load spreads evenly.
  Shard& shard_for(std::uint64_t sequence) { return shards_[sequence % kShards]; }
  std::string id_of(std::uint64_t sequence) const;
  std::optional<std::uint64_t> sequence_of(std::string_view id) const;

  const std::size_t capacity_;
  const std::string id_prefix_;
  std::atomic<std::uint64_t> next_sequence_{0};
  std::atomic<std::size_t> size_{0};
  std::array<Shard, kShards> shards_;
};

}  // namespace seckill::proxy
