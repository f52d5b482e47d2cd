#include "logic/groups/served_groups.hpp"

#include <algorithm>

namespace seckill::logic {

std::vector<keys::GroupId> share_of(const std::vector<keys::GroupId>& groups, int index,
                                    int workers) {
  std::vector<keys::GroupId> share;
  if (groups.empty() || workers < 1) return share;
  share.reserve(groups.size());
  const std::size_t first = static_cast<std::size_t>(index) % groups.size();
  for (std::size_t i = 0; i < groups.size(); ++i)
    share.push_back(groups[(first + i) % groups.size()]);
  return share;
}

void ServedGroups::replace(std::vector<keys::GroupId> groups) {
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  std::lock_guard lock(mutex_);
  if (groups == groups_) return;
  groups_ = std::move(groups);
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

std::vector<keys::GroupId> ServedGroups::all() const {
  std::lock_guard lock(mutex_);
  return groups_;
}

std::vector<keys::GroupId> ServedGroups::for_worker(int index, int workers) const {
  std::lock_guard lock(mutex_);
  return share_of(groups_, index, workers);
}

}  // namespace seckill::logic
