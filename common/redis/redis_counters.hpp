// What every Redis connection of this process went through, whichever thread owns it, so the
// programs' /metrics count a reader's timeout or a refresher's reconnect as well as a writer's.
#pragma once

#include <atomic>
#include <cstdint>

namespace seckill {

struct RedisCounters {
  /// Round trips and connection attempts that failed (refused, timed out, closed, a handshake
  /// refused), before any retry.
  std::atomic<std::uint64_t> failures{0};
  /// Connections made again after a failure.
  std::atomic<std::uint64_t> reconnects{0};
};

/// The process's counters.
RedisCounters& redis_counters();

}  // namespace seckill
