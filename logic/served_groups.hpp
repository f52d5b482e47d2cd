// ServedGroups: the groups that hold products, as the heartbeat last read them from the product
// directory, and how the workers of one process share them.
//
// Group g's queue is served by worker (position of g) mod workers, so every group in use has a
// worker in every logic process and none waits behind another: a worker takes at most one
// batch per group per round. When there are fewer groups than workers, the spare workers help
// on the groups (two workers on one group are harmless: each batch is taken and decided in one
// atomic script).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "common/redis_keys.hpp"

namespace seckill::logic {

class ServedGroups {
 public:
  /// Replaces the groups in use (sorted, distinct); a no-op when they did not change.
  void replace(std::vector<keys::GroupId> groups);
  /// Every group in use.
  std::vector<keys::GroupId> all() const;
  /// The groups worker `index` of `workers` serves.
  std::vector<keys::GroupId> for_worker(int index, int workers) const;
  /// Moves on whenever the groups change: a worker re-reads its share only then.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::vector<keys::GroupId> groups_;
  std::atomic<std::uint64_t> generation_{0};
};

/// The share of `groups` (sorted) that worker `index` of `workers` serves.
std::vector<keys::GroupId> share_of(const std::vector<keys::GroupId>& groups, int index,
                                    int workers);

}  // namespace seckill::logic
