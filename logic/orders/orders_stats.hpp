// The counters of seckill-orders and their Prometheus page.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace seckill::orders {

struct OrdersStats {
  std::atomic<std::uint64_t> rows{0};       // orders inserted or moved on
  std::atomic<std::uint64_t> events{0};     // events stored
  std::atomic<std::uint64_t> batches{0};    // statements committed
  std::atomic<std::uint64_t> conflicts{0};  // order ids with another user or request: alarm
  std::atomic<std::uint64_t> malformed{0};  // stream entries that could not be read
  std::atomic<std::uint64_t> trimmed{0};    // stream entries trimmed after their commit
  std::atomic<std::uint64_t> postgres_errors{0};
  std::atomic<std::uint64_t> redis_errors{0};
  /// Whether the last round reached both Redis and PostgreSQL (/healthz).
  std::atomic<bool> healthy{false};

  static constexpr std::array<double, 9> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,  0.1,    0.25,  1};
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> batch_buckets{};
  std::atomic<std::uint64_t> batch_ns{0};
  void count_batch(std::chrono::nanoseconds took);

  /// Per stream: entries in Redis not yet committed, and the age of the oldest (ms).
  void set_lag(const std::string& stream, std::int64_t entries, std::int64_t ms);

  std::string render() const;

 private:
  mutable std::mutex lag_mutex_;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> lag_;
};

}  // namespace seckill::orders
