// GroupClaims: which groups a worker of this process is gathering rounds for.
//
// Without a backlog a worker lets each round gather for batch_linger before it takes
// (LogicConfig::batch_linger). Two workers lingering on the same group would each take what
// came in since the other took: half the batch per script call, and the call's own cost (about
// four requests' worth in Redis) paid twice as often. So lingering rounds hold their groups,
// from one round to the next while the group has work, and a worker whose groups are all held
// waits for a release instead. Under a backlog rounds take full batches without lingering and
// hold nothing: every worker may go at once. Only ever a matter of batch size: the scripts are
// atomic, whoever runs them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "common/store/redis_keys.hpp"

namespace seckill::logic {

class GroupClaims {
 public:
  /// Makes `held` (groups this caller holds) those of `wanted` it holds or can claim now:
  /// releases the rest of `held` (waking the workers waiting for one), claims what is free of
  /// `wanted`. An empty `wanted` gives back everything.
  void hold(std::vector<keys::GroupId>& held, const std::vector<keys::GroupId>& wanted);
  /// Waits until some group is released, or `timeout` has passed.
  void wait_for_release(std::chrono::microseconds timeout);

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<keys::GroupId> claimed_;
  unsigned long long releases_ = 0;
};

}  // namespace seckill::logic
