#include "proxy/pending_requests.hpp"

namespace seckill::proxy {

PendingRequests::PendingRequests(std::size_t capacity) : capacity_(capacity) {}

PendingRequests::Shard& PendingRequests::shard_for(const std::string& id) {
  return shards_[std::hash<std::string>{}(id) % kShards];
}

bool PendingRequests::add(const std::string& id, Clock::time_point deadline,
                          Completion completion) {
  // Reserve a slot first so concurrent adds can never overshoot the capacity.
  if (size_.fetch_add(1, std::memory_order_relaxed) >= capacity_) {
    size_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  Shard& shard = shard_for(id);
  std::lock_guard lock(shard.mutex);
  if (!shard.waiting.emplace(id, std::move(completion)).second) {
    size_.fetch_sub(1, std::memory_order_relaxed);
    return false;  // duplicate id: a bug upstream, refuse rather than overwrite
  }
  shard.deadlines.emplace_back(deadline, id);
  return true;
}

std::optional<PendingRequests::Completion> PendingRequests::take(const std::string& id) {
  Shard& shard = shard_for(id);
  std::lock_guard lock(shard.mutex);
  auto it = shard.waiting.find(id);
  if (it == shard.waiting.end()) return std::nullopt;
  Completion completion = std::move(it->second);
  shard.waiting.erase(it);
  size_.fetch_sub(1, std::memory_order_relaxed);
  return completion;
}

std::vector<std::pair<std::string, PendingRequests::Completion>> PendingRequests::take_expired(
    Clock::time_point now) {
  std::vector<std::pair<std::string, Completion>> expired;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    while (!shard.deadlines.empty() && shard.deadlines.front().first <= now) {
      std::string id = std::move(shard.deadlines.front().second);
      shard.deadlines.pop_front();
      auto it = shard.waiting.find(id);
      if (it == shard.waiting.end()) continue;  // answered already
      expired.emplace_back(std::move(id), std::move(it->second));
      shard.waiting.erase(it);
      size_.fetch_sub(1, std::memory_order_relaxed);
    }
  }
  return expired;
}

}  // namespace seckill::proxy
