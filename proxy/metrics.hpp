// ProxyMetrics: what /metrics exposes, in the Prometheus text format (version 0.0.4).
//
// Requests are counted by endpoint and answer code, and timed into one latency histogram per
// endpoint, from the moment the router sees a request until its answer is handed back. Every
// counter is a relaxed atomic in a fixed array: recording costs a few atomic adds and never
// takes a lock or allocates. The counters are kept once per thread (up to kShards, each on
// cache lines of its own), so I/O threads answering 150k requests a second never pull one
// cache line back and forth. Rendering (rare) adds them up, with the gauges it is given.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.hpp"
#include "proxy/proxy_stats.hpp"

namespace seckill::proxy {

enum class Endpoint : int {
  kSeckill,
  kResult,
  kSecinfo,
  kHealthz,
  kMetrics,
  kPayments,
  kChallenge,
  kReserve,
  kOther
};
inline constexpr int kEndpointCount = 9;

/// The endpoint a request path belongs to.
Endpoint endpoint_of(std::string_view path);
std::string_view endpoint_name(Endpoint endpoint);

/// Values sampled at render time.
struct ProxyGauges {
  std::size_t channel_depth = 0;
  std::size_t channel_capacity = 0;
  std::size_t pending = 0;
  std::size_t pending_capacity = 0;
  bool redis_up = false;
};

class ProxyMetrics {
 public:
  ProxyMetrics();

  void record(Endpoint endpoint, Code code, std::chrono::nanoseconds latency);
  std::uint64_t requests(Endpoint endpoint, Code code) const;

  std::string render(const ProxyStats& stats, const ProxyGauges& gauges) const;

  /// Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};

 private:
  static constexpr int kCodeSlots = 18;  // the codes of status.hpp, plus "other"
  static int slot_of(Code code);

  struct EndpointCounters {
    std::array<std::atomic<std::uint64_t>, kCodeSlots> by_code{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> sum_ns{0};
  };
  using Counters = std::array<EndpointCounters, kEndpointCount>;
  struct alignas(64) Shard {
    Counters endpoints;
  };
  static constexpr std::size_t kShards = 8;  // threads beyond 8 share, still exactly
  /// The calling thread's shard.
  Counters& local();
  /// Every shard added up.
  void total(Counters& sum) const;

  std::array<Shard, kShards> shards_;
};

}  // namespace seckill::proxy
