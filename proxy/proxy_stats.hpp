// Counters of one proxy process, updated lock-free from any thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace seckill::proxy {

struct ProxyStats {
  std::atomic<std::uint64_t> queued{0};
  std::atomic<std::uint64_t> replies{0};
  std::atomic<std::uint64_t> late_replies{0};
  std::atomic<std::uint64_t> malformed_replies{0};
  std::atomic<std::uint64_t> timeouts{0};
  std::atomic<std::uint64_t> overloaded{0};
  std::atomic<std::uint64_t> redis_errors{0};
  std::atomic<std::uint64_t> blocked{0};
  std::atomic<std::uint64_t> rate_limited{0};
  std::atomic<std::uint64_t> bans{0};               // temporary bans begun by the rate limits
  std::atomic<std::uint64_t> bans_lifted{0};        // of them, ended early by seckill-admin unblock
  std::atomic<std::uint64_t> accept_errors{0};      // accept() failed (out of file descriptors)
  std::atomic<std::uint64_t> challenges_failed{0};  // purchases without the right challenge
};

}  // namespace seckill::proxy
