#include "logic/orders/orders_stats.hpp"

#include "common/program/prometheus.hpp"
#include "common/redis/redis_counters.hpp"

namespace seckill::orders {

void OrdersStats::count_batch(std::chrono::nanoseconds took) {
  const double seconds = std::chrono::duration<double>(took).count();
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  batch_buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  batch_ns.fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
  batches.fetch_add(1, std::memory_order_relaxed);
}

void OrdersStats::set_lag(const std::string& stream, std::int64_t entries, std::int64_t ms) {
  std::lock_guard lock(lag_mutex_);
  lag_[stream] = {entries, ms};
}

std::string OrdersStats::render() const {
  using prometheus::family;
  using prometheus::sample;
  std::string out;
  const prometheus::Counter counter_list[] = {
      {"seckill_orders_rows_total", &rows,
       "Orders inserted into PostgreSQL or moved to a newer version (divide by time: rows/s)."},
      {"seckill_orders_events_total", &events, "Order events stored (each stream entry once)."},
      {"seckill_orders_conflicts_total", &conflicts,
       "Order ids that arrived with another user or request than stored: a failover lost a "
       "stream's tail. Never applied; listed in order_conflicts. Alarm on any."},
      {"seckill_orders_malformed_total", &malformed,
       "Stream entries that could not be read (skipped, logged)."},
      {"seckill_orders_trimmed_total", &trimmed,
       "Stream entries trimmed from Redis after their commit."},
      {"seckill_orders_postgres_errors_total", &postgres_errors,
       "Failed PostgreSQL statements (the batch is retried from the committed position)."},
      {"seckill_orders_redis_errors_total", &redis_errors, "Failed Redis round trips."},
      {"seckill_orders_redis_connection_failures_total", &redis_counters().failures,
       "Failed Redis round trips and connection attempts, of every thread."},
      {"seckill_orders_redis_reconnects_total", &redis_counters().reconnects,
       "Redis connections made again after a failure, of every thread."},
  };
  prometheus::counters(out, counter_list);
  prometheus::process_metrics(out);
  family(out, "seckill_orders_batch_seconds", "histogram",
         "Time of one batch's statement in PostgreSQL.");
  prometheus::histogram(out, "seckill_orders_batch_seconds", "", kBuckets, batch_buckets,
                        static_cast<double>(batch_ns.load(std::memory_order_relaxed)) / 1e9);
  family(out, "seckill_orders_lag_entries", "gauge",
         "Entries of a product's order stream not yet committed to PostgreSQL.");
  family(out, "seckill_orders_lag_ms", "gauge",
         "Age of the oldest entry of a stream not yet committed (0: none).");
  {
    std::lock_guard lock(lag_mutex_);
    for (const auto& [stream, lag] : lag_) {
      sample(out, "seckill_orders_lag_entries{stream=\"" + stream + "\"}",
             static_cast<std::uint64_t>(lag.first));
      sample(out, "seckill_orders_lag_ms{stream=\"" + stream + "\"}",
             static_cast<std::uint64_t>(lag.second));
    }
  }
  family(out, "seckill_orders_up", "gauge", "1 when the last round reached Redis and PostgreSQL.");
  sample(out, "seckill_orders_up", healthy.load() ? 1 : 0);
  return out;
}

}  // namespace seckill::orders
