#include "logic/groups/group_claims.hpp"

#include <algorithm>

namespace seckill::logic {

void GroupClaims::hold(std::vector<keys::GroupId>& held, const std::vector<keys::GroupId>& wanted) {
  auto in = [](const std::vector<keys::GroupId>& groups, keys::GroupId group) {
    return std::find(groups.begin(), groups.end(), group) != groups.end();
  };
  std::vector<keys::GroupId> kept;
  bool released = false;
  {
    std::lock_guard lock(mutex_);
    for (keys::GroupId group : held) {
      if (in(wanted, group)) {
        kept.push_back(group);
      } else {
        claimed_.erase(std::find(claimed_.begin(), claimed_.end(), group));
        released = true;
      }
    }
    for (keys::GroupId group : wanted) {
      if (in(kept, group) || in(claimed_, group)) continue;
      claimed_.push_back(group);
      kept.push_back(group);
    }
    if (released) ++releases_;
  }
  held = std::move(kept);
  if (released) released_.notify_all();
}

void GroupClaims::wait_for_release(std::chrono::microseconds timeout) {
  std::unique_lock lock(mutex_);
  const unsigned long long seen = releases_;
  released_.wait_for(lock, timeout, [&] { return releases_ != seen; });
}

}  // namespace seckill::logic
