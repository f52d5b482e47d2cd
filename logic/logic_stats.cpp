#include "logic/logic_stats.hpp"

#include "common/program/prometheus.hpp"
#include "common/redis/redis_counters.hpp"
#include "common/store/lua_script.hpp"

namespace seckill::logic {
namespace {

using prometheus::family;
using prometheus::sample;

}  // namespace

void LogicStats::count_decision(Code code) {
  decided.fetch_add(1, std::memory_order_relaxed);
  if (code == Code::kPurchased) purchased.fetch_add(1, std::memory_order_relaxed);
  std::size_t slot = kDecisionCodes.size();
  for (std::size_t i = 0; i < kDecisionCodes.size(); ++i) {
    if (kDecisionCodes[i] == code) slot = i;
  }
  by_code[slot].fetch_add(1, std::memory_order_relaxed);
}

void LogicStats::count_batch(std::size_t requests, std::chrono::nanoseconds took) {
  batches.fetch_add(1, std::memory_order_relaxed);
  batch_requests.fetch_add(requests, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(took).count();
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  decide_buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  decide_ns.fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
}

std::string render_logic_metrics(const LogicStats& stats) {
  std::string out;
  family(out, "seckill_logic_decisions_total", "counter", "Requests decided, by answer code.");
  for (std::size_t i = 0; i <= LogicStats::kDecisionCodes.size(); ++i) {
    const std::uint64_t n = stats.by_code[i].load(std::memory_order_relaxed);
    if (n == 0) continue;
    const std::string code = i < LogicStats::kDecisionCodes.size()
                                 ? std::to_string(static_cast<int>(LogicStats::kDecisionCodes[i]))
                                 : "other";
    sample(out, "seckill_logic_decisions_total{code=\"" + code + "\"}", n);
  }
  family(out, "seckill_logic_batch_seconds", "histogram",
         "Time of one batch's decision round trip to Redis.");
  prometheus::histogram(out, "seckill_logic_batch_seconds", "", LogicStats::kBuckets,
                        stats.decide_buckets,
                        static_cast<double>(stats.decide_ns.load(std::memory_order_relaxed)) / 1e9);
  const prometheus::Counter counter_list[] = {
      {"seckill_logic_batch_requests_total", &stats.batch_requests,
       "Requests taken in batches (divide by the batch count for the mean batch size)."},
      {"seckill_logic_malformed_total", &stats.malformed,
       "Messages that could not be decoded (sent to the dead-letter list)."},
      {"seckill_logic_script_errors_total", &stats.script_errors, "Decisions Redis refused."},
      {"seckill_logic_dead_letters_total", &stats.dead_lettered,
       "Requests sent to the dead-letter list."},
      {"seckill_logic_put_back_total", &stats.requeued,
       "Requests put back on the queue from the processing lists of a dead run or peer."},
      {"seckill_logic_abandoned_total", &stats.abandoned,
       "Requests given up after Redis stayed down past their deadline."},
      {"seckill_logic_redis_errors_total", &stats.redis_errors, "Failed Redis round trips."},
      {"seckill_logic_redis_connection_failures_total", &redis_counters().failures,
       "Failed Redis round trips and connection attempts, of every thread."},
      {"seckill_logic_redis_reconnects_total", &redis_counters().reconnects,
       "Redis connections made again after a failure, of every thread."},
      {"seckill_logic_redis_refusals_total", &stats.refusals,
       "Error replies from Redis (OOM, LOADING, ...) that made a worker pause before retrying."},
      {"seckill_logic_wait_failures_total", &stats.wait_failures,
       "WAITs after a decision that did not reach redis.ack_replicas replicas in time."},
      {"seckill_logic_replies_withheld_total", &stats.withheld,
       "Replies not sent because WAIT did not confirm their decisions (those buyers get 5004)."},
      {"seckill_logic_script_reloads_total", &LuaScript::reloads_after_noscript(),
       "Scripts loaded again after NOSCRIPT (a restarted or promoted Redis): one per connection "
       "and script."},
      {"seckill_logic_orders_expired_total", &stats.orders_expired,
       "Orders whose pay-by time passed unpaid: expired by the reaper, their units back on sale."},
      {"seckill_logic_reaper_errors_total", &stats.reaper_errors,
       "Reaper rounds that failed (Redis away or refusing): the orders wait for the next round."},
      {"seckill_logic_draws_made_total", &stats.draws_made,
       "Reservation draws made when their reservation closed."},
      {"seckill_logic_drawer_errors_total", &stats.drawer_errors,
       "Drawer runs that failed (Redis away or refusing): the draw waits for the next round."},
  };
  prometheus::counters(out, counter_list);
  prometheus::process_metrics(out);
  family(out, "seckill_logic_eviction_unsafe", "gauge",
         "1 while Redis's maxmemory-policy could evict keys and the workers are paused.");
  sample(out, "seckill_logic_eviction_unsafe", stats.eviction_unsafe.load() ? 1 : 0);
  return out;
}

}  // namespace seckill::logic
