// RedisHealth: whether this proxy currently reaches Redis, as its Redis threads last saw it,
// and whether that Redis is safe to sell on (its maxmemory-policy never evicts a key).
//
// Every Redis thread reports the outcome of its calls; the product refresher checks the policy.
// /healthz and the purchase path read the flags without a round trip of their own, so an
// outage is answered 5003 at once, and a Redis that could evict orders takes the proxy out of
// a balancer's rotation.
//
// On a Redis Cluster one master can be away (failing over) while the others serve: the writers
// mark the groups whose queue they could not reach, and those groups' purchases are answered
// 5003 at once for a short while, when the next one tries again; the other groups sell on.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "common/store/redis_keys.hpp"

namespace seckill::proxy {

class RedisHealth {
 public:
  void report(bool reachable) { up_.store(reachable, std::memory_order_relaxed); }
  void report_eviction_safe(bool safe) { safe_.store(safe, std::memory_order_relaxed); }
  /// False while another live process holds this proxy's id (it would take our replies).
  void report_id_held(bool held) { id_held_.store(held, std::memory_order_relaxed); }
  bool id_held() const { return id_held_.load(std::memory_order_relaxed); }
  bool reachable() const { return up_.load(std::memory_order_relaxed); }
  bool eviction_safe() const { return safe_.load(std::memory_order_relaxed); }
  /// Reachable and safe: purchases may go on.
  bool up() const { return reachable() && eviction_safe() && id_held(); }

  /// A writer could not reach the master of `group` at `now_ms`: its purchases are answered
  /// 5003 until `retry_after_ms` later, when one batch tries again.
  void report_group_unreachable(keys::GroupId group, std::int64_t now_ms,
                                std::int64_t retry_after_ms) {
    if (group >= 0 && group < keys::kMaxGroups) {
      down_until_ms_[static_cast<std::size_t>(group)].store(now_ms + retry_after_ms,
                                                            std::memory_order_relaxed);
    }
  }
  void report_group_reachable(keys::GroupId group) {
    if (group >= 0 && group < keys::kMaxGroups) {
      down_until_ms_[static_cast<std::size_t>(group)].store(0, std::memory_order_relaxed);
    }
  }
  /// Whether purchases of `group` may be queued at `now_ms`.
  bool group_reachable(keys::GroupId group, std::int64_t now_ms) const {
    if (group < 0 || group >= keys::kMaxGroups) return true;
    return down_until_ms_[static_cast<std::size_t>(group)].load(std::memory_order_relaxed) <=
           now_ms;
  }

 private:
  std::atomic<bool> up_{false};
  std::atomic<bool> safe_{true};  // until the first check says otherwise
  std::atomic<bool> id_held_{true};
  std::array<std::atomic<std::int64_t>, keys::kMaxGroups> down_until_ms_{};
};

}  // namespace seckill::proxy
