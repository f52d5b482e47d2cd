// LogicStats: the counters of one seckill-logic process, updated lock-free by its workers, and
// their Prometheus rendering for --metrics-port.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "common/base/status.hpp"

namespace seckill::logic {

struct LogicStats {
  std::atomic<std::uint64_t> decided{0};
  std::atomic<std::uint64_t> purchased{0};
  std::atomic<std::uint64_t> malformed{0};
  std::atomic<std::uint64_t> script_errors{0};
  std::atomic<std::uint64_t> dead_lettered{0};
  std::atomic<std::uint64_t> abandoned{0};
  std::atomic<std::uint64_t> requeued{0};
  std::atomic<std::uint64_t> redis_errors{0};
  std::atomic<std::uint64_t> refusals{0};  // error replies (OOM, LOADING, ...) backed off from
  /// redis.ack_replicas: WAITs that did not reach enough replicas, and the replies withheld.
  std::atomic<std::uint64_t> wait_failures{0};
  std::atomic<std::uint64_t> withheld{0};
  /// Set by the heartbeat while Redis's maxmemory-policy could evict keys: workers then decide
  /// nothing (an evicted order stream or buyers hash would break every invariant).
  std::atomic<bool> eviction_unsafe{false};
  /// Set by the heartbeat while another live process holds this logic id's lease: two
  /// processes with one id would clear each other's processing lists.
  std::atomic<bool> lease_lost{false};
  /// Whether the workers must decide nothing now.
  bool paused() const {
    return eviction_unsafe.load(std::memory_order_relaxed) ||
           lease_lost.load(std::memory_order_relaxed);
  }
  /// The reaper: orders expired unpaid (their units back on sale), and its failed rounds.
  std::atomic<std::uint64_t> orders_expired{0};
  std::atomic<std::uint64_t> reaper_errors{0};
  /// The drawer: reservation draws made, and its failed runs.
  std::atomic<std::uint64_t> draws_made{0};
  std::atomic<std::uint64_t> drawer_errors{0};
  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> batch_requests{0};

  /// Decisions by answer code (the codes a decision can give; the last slot: any other).
  static constexpr std::array kDecisionCodes = {
      Code::kPurchased, Code::kSoldOut,    Code::kLimitReached, Code::kNotStarted,
      Code::kEnded,     Code::kTryLater,   Code::kPaused,       Code::kNotFound,
      Code::kTimeout,   Code::kBadRequest, Code::kNotOnList};
  std::array<std::atomic<std::uint64_t>, kDecisionCodes.size() + 1> by_code{};

  /// Time of one batch's decision round trip.
  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.25,  1};
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> decide_buckets{};
  std::atomic<std::uint64_t> decide_ns{0};

  void count_decision(Code code);
  void count_batch(std::size_t requests, std::chrono::nanoseconds took);
};

/// The Prometheus text page of `stats`.
std::string render_logic_metrics(const LogicStats& stats);

}  // namespace seckill::logic
