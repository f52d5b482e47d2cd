#include "proxy/metrics.hpp"

#include <memory>

#include "common/program/prometheus.hpp"
#include "common/redis/redis_counters.hpp"

namespace seckill::proxy {
namespace {

constexpr std::array kCodes = {
    Code::kPurchased,   Code::kSoldOut,     Code::kLimitReached, Code::kNotStarted,
    Code::kEnded,       Code::kTryLater,    Code::kNoOrder,      Code::kPaused,
    Code::kBadRequest,  Code::kBadToken,    Code::kBlocked,      Code::kNotFound,
    Code::kRateLimited, Code::kUnavailable, Code::kTimeout,      Code::kChallengeFailed,
    Code::kNotOnList,
};

using prometheus::family;
using prometheus::sample;

}  // namespace

Endpoint endpoint_of(std::string_view path) {
  if (path == "/seckill") return Endpoint::kSeckill;
  if (path == "/result") return Endpoint::kResult;
  if (path == "/secinfo") return Endpoint::kSecinfo;
  if (path == "/healthz") return Endpoint::kHealthz;
  if (path == "/metrics") return Endpoint::kMetrics;
  if (path == "/payments/notify") return Endpoint::kPayments;
  if (path == "/challenge") return Endpoint::kChallenge;
  if (path == "/reserve") return Endpoint::kReserve;
  return Endpoint::kOther;
}

std::string_view endpoint_name(Endpoint endpoint) {
  static constexpr std::array<std::string_view, kEndpointCount> kNames = {
      "seckill",  "result",    "secinfo", "healthz", "metrics",
      "payments", "challenge", "reserve", "other"};
  return kNames[static_cast<std::size_t>(endpoint)];
}

ProxyMetrics::ProxyMetrics() = default;

int ProxyMetrics::slot_of(Code code) {
  static_assert(kCodes.size() + 1 == kCodeSlots, "one slot per code, plus other");
  for (std::size_t i = 0; i < kCodes.size(); ++i) {
    if (kCodes[i] == code) return static_cast<int>(i);
  }
  return kCodeSlots - 1;
}

ProxyMetrics::Counters& ProxyMetrics::local() {
  static std::atomic<std::size_t> threads_seen{0};
  thread_local const std::size_t shard = threads_seen.fetch_add(1) % kShards;
  return shards_[shard].endpoints;
}

void ProxyMetrics::total(Counters& sum) const {
  auto add = [](std::atomic<std::uint64_t>& to, const std::atomic<std::uint64_t>& from) {
    to.fetch_add(from.load(std::memory_order_relaxed), std::memory_order_relaxed);
  };
  for (const Shard& shard : shards_) {
    for (std::size_t e = 0; e < sum.size(); ++e) {
      for (std::size_t c = 0; c < sum[e].by_code.size(); ++c) {
        add(sum[e].by_code[c], shard.endpoints[e].by_code[c]);
      }
      for (std::size_t b = 0; b < sum[e].buckets.size(); ++b) {
        add(sum[e].buckets[b], shard.endpoints[e].buckets[b]);
      }
      add(sum[e].sum_ns, shard.endpoints[e].sum_ns);
    }
  }
}

void ProxyMetrics::record(Endpoint endpoint, Code code, std::chrono::nanoseconds latency) {
  auto& counters = local()[static_cast<std::size_t>(endpoint)];
  counters.by_code[static_cast<std::size_t>(slot_of(code))].fetch_add(1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(latency).count();
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  counters.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  counters.sum_ns.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
}

std::uint64_t ProxyMetrics::requests(Endpoint endpoint, Code code) const {
  std::uint64_t n = 0;
  for (const Shard& shard : shards_) {
    n += shard.endpoints[static_cast<std::size_t>(endpoint)]
             .by_code[static_cast<std::size_t>(slot_of(code))]
             .load(std::memory_order_relaxed);
  }
  return n;
}

std::string ProxyMetrics::render(const ProxyStats& stats, const ProxyGauges& gauges) const {
  auto endpoints = std::make_unique<Counters>();
  total(*endpoints);
  std::string out;
  out.reserve(8192);
  family(out, "seckill_proxy_requests_total", "counter",
         "HTTP requests answered, by endpoint and code.");
  for (int e = 0; e < kEndpointCount; ++e) {
    const auto& counters = (*endpoints)[static_cast<std::size_t>(e)];
    for (std::size_t c = 0; c < kCodes.size(); ++c) {
      const std::uint64_t n = counters.by_code[c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      sample(out,
             "seckill_proxy_requests_total{endpoint=\"" +
                 std::string(endpoint_name(static_cast<Endpoint>(e))) + "\",code=\"" +
                 std::to_string(static_cast<int>(kCodes[c])) + "\"}",
             n);
    }
  }
  family(out, "seckill_proxy_request_duration_seconds", "histogram",
         "Time from a parsed request to its answer, by endpoint.");
  for (int e = 0; e < kEndpointCount; ++e) {
    const auto& counters = (*endpoints)[static_cast<std::size_t>(e)];
    prometheus::histogram(
        out, "seckill_proxy_request_duration_seconds",
        "endpoint=\"" + std::string(endpoint_name(static_cast<Endpoint>(e))) + "\"", kBuckets,
        counters.buckets,
        static_cast<double>(counters.sum_ns.load(std::memory_order_relaxed)) / 1e9);
  }
  family(out, "seckill_proxy_queue_depth", "gauge",
         "Purchases waiting in the channel for a writer.");
  sample(out, "seckill_proxy_queue_depth", gauges.channel_depth);
  family(out, "seckill_proxy_queue_capacity", "gauge", "Capacity of the channel.");
  sample(out, "seckill_proxy_queue_capacity", gauges.channel_capacity);
  family(out, "seckill_proxy_in_flight", "gauge", "Purchases waiting for a decision.");
  sample(out, "seckill_proxy_in_flight", gauges.pending);
  family(out, "seckill_proxy_in_flight_capacity", "gauge", "Most purchases that may wait at once.");
  sample(out, "seckill_proxy_in_flight_capacity", gauges.pending_capacity);
  family(out, "seckill_proxy_redis_up", "gauge", "1 when this proxy reaches Redis.");
  sample(out, "seckill_proxy_redis_up", gauges.redis_up ? 1 : 0);
  const prometheus::Counter counter_list[] = {
      {"seckill_proxy_queued_total", &stats.queued, "Purchases pushed onto the request list."},
      {"seckill_proxy_replies_total", &stats.replies,
       "Decisions routed back to a waiting request."},
      {"seckill_proxy_late_replies_total", &stats.late_replies,
       "Decisions that came after their request was answered 5004."},
      {"seckill_proxy_malformed_replies_total", &stats.malformed_replies,
       "Replies that could not be decoded."},
      {"seckill_proxy_timeouts_total", &stats.timeouts,
       "Purchases answered 5004 at their deadline."},
      {"seckill_proxy_overloaded_total", &stats.overloaded,
       "Purchases answered 5003 at once (a bound hit, Redis down, shutting down)."},
      {"seckill_proxy_redis_errors_total", &stats.redis_errors,
       "Batches the writer threads could not push whole."},
      {"seckill_proxy_redis_connection_failures_total", &redis_counters().failures,
       "Failed Redis round trips and connection attempts, of every thread."},
      {"seckill_proxy_redis_reconnects_total", &redis_counters().reconnects,
       "Redis connections made again after a failure, of every thread."},
      {"seckill_proxy_blocked_total", &stats.blocked,
       "Requests refused because the user or the address is blocklisted (4003)."},
      {"seckill_proxy_rate_limited_total", &stats.rate_limited,
       "Requests refused by a rate limit (4029)."},
      {"seckill_proxy_bans_total", &stats.bans,
       "Temporary bans begun: a user or an address refused ban_after times within a minute."},
      {"seckill_proxy_bans_lifted_total", &stats.bans_lifted,
       "Temporary bans ended early by seckill-admin unblock."},
      {"seckill_proxy_challenges_failed_total", &stats.challenges_failed,
       "Purchases refused because the product's challenge was missing or wrong (4005)."},
      {"seckill_proxy_accept_errors_total", &stats.accept_errors,
       "Failed accepts (out of file descriptors, say); each pauses accepting briefly."},
  };
  prometheus::counters(out, counter_list);
  prometheus::process_metrics(out);
  return out;
}

}  // namespace seckill::proxy
