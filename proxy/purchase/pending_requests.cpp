#include "proxy/purchase/pending_requests.hpp"

#include <charconv>

namespace seckill::proxy {

PendingRequests::PendingRequests(std::size_t capacity, std::string id_prefix)
    : capacity_(capacity), id_prefix_(std::move(id_prefix)) {
  // Buckets for a full map up front: no rehash while a burst fills it.
  for (Shard& shard : shards_) shard.waiting.reserve(capacity_ / kShards + 1);
}

std::string PendingRequests::id_of(std::uint64_t sequence) const {
  std::array<char, 20> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), sequence).ptr;
  std::string id;
  id.reserve(id_prefix_.size() + static_cast<std::size_t>(end - digits.data()));
  id.append(id_prefix_).append(digits.data(), end);
  return id;
}

std::optional<std::uint64_t> PendingRequests::sequence_of(std::string_view id) const {
  if (!id.starts_with(id_prefix_)) return std::nullopt;
  const std::string_view digits = id.substr(id_prefix_.size());
  std::uint64_t sequence = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
  // Exactly the text id_of() writes: digits only, no leading zero.
  if (error != std::errc() || end != digits.data() + digits.size() ||
      (digits.size() > 1 && digits.front() == '0')) {
    return std::nullopt;
  }
  return sequence;
}

std::optional<std::string> PendingRequests::add(Clock::time_point deadline, Completion completion) {
  // Reserve a slot first so concurrent adds can never overshoot the capacity.
  if (size_.fetch_add(1, std::memory_order_relaxed) >= capacity_) {
    size_.fetch_sub(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  const std::uint64_t sequence = next_sequence_.fetch_add(1, std::memory_order_relaxed);
  Shard& shard = shard_for(sequence);
  {
    std::lock_guard lock(shard.mutex);
    shard.waiting.emplace(sequence, std::move(completion));
    shard.deadlines.emplace_back(deadline, sequence);
  }
  return id_of(sequence);
}

std::optional<PendingRequests::Completion> PendingRequests::take(std::string_view id) {
  const auto sequence = sequence_of(id);
  if (!sequence) return std::nullopt;
  Shard& shard = shard_for(*sequence);
  std::lock_guard lock(shard.mutex);
  auto it = shard.waiting.find(*sequence);
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
      const std::uint64_t sequence = shard.deadlines.front().second;
      shard.deadlines.pop_front();
      auto it = shard.waiting.find(sequence);
      if (it == shard.waiting.end()) continue;  // answered already
      expired.emplace_back(id_of(sequence), std::move(it->second));
      shard.waiting.erase(it);
      size_.fetch_sub(1, std::memory_order_relaxed);
    }
  }
  return expired;
}

}  // namespace seckill::proxy
