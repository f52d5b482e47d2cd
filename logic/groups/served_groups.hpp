// ServedGroups: the groups that hold products, as the heartbeat last read them from the product
// directory, and how the workers of one process share them.
//
// Every worker serves every group in use, each starting its round (and its blocking wait) at a
// different one: a hot group keeps every worker busy, so Redis always has the next batch
// queued behind the one it runs (measured: one worker per queue leaves Redis idle between its
// round trips), and a worker takes at most one batch per group per round, so no group waits
// behind another. Two workers on one queue are harmless: each batch is taken and decided in one
// atomic script. What an empty group costs a round (one script run that finds nothing) is the
// price of that.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "common/store/redis_keys.hpp"

namespace seckill::logic {

class ServedGroups {
 public:
  /// Replaces the groups in use (sorted, distinct); a no-op when they did not change.
  void replace(std::vector<keys::GroupId> groups);
  /// Every group in use.
  std::vector<keys::GroupId> all() const;
  /// The groups worker `index` of `workers` serves, in the order it visits them.
  std::vector<keys::GroupId> for_worker(int index, int workers) const;
  /// Moves on whenever the groups change: a worker re-reads its share only then.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::vector<keys::GroupId> groups_;
  std::atomic<std::uint64_t> generation_{0};
};

/// The share of `groups` (sorted) that worker `index` of `workers` serves: all of them,
/// starting at the index-th.
std::vector<keys::GroupId> share_of(const std::vector<keys::GroupId>& groups, int index,
                                    int workers);

}  // namespace seckill::logic
