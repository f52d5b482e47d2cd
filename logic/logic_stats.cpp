#include "logic/logic_stats.hpp"

#include <cstdio>

namespace seckill::logic {
namespace {

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

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
    out += "seckill_logic_decisions_total{code=\"" + code + "\"} " + std::to_string(n) + "\n";
  }
  family(out, "seckill_logic_batch_seconds", "histogram",
         "Time of one batch's decision round trip to Redis.");
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b <= LogicStats::kBuckets.size(); ++b) {
    cumulative += stats.decide_buckets[b].load(std::memory_order_relaxed);
    out += "seckill_logic_batch_seconds_bucket{le=\"" +
           (b < LogicStats::kBuckets.size() ? number(LogicStats::kBuckets[b]) : "+Inf") + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += "seckill_logic_batch_seconds_sum " +
         number(static_cast<double>(stats.decide_ns.load(std::memory_order_relaxed)) / 1e9) + "\n";
  out += "seckill_logic_batch_seconds_count " + std::to_string(cumulative) + "\n";
  const std::pair<const char*, const std::atomic<std::uint64_t>*> counters[] = {
      {"seckill_logic_batch_requests_total", &stats.batch_requests},
      {"seckill_logic_malformed_total", &stats.malformed},
      {"seckill_logic_script_errors_total", &stats.script_errors},
      {"seckill_logic_dead_letters_total", &stats.dead_lettered},
      {"seckill_logic_put_back_total", &stats.requeued},
      {"seckill_logic_abandoned_total", &stats.abandoned},
      {"seckill_logic_redis_errors_total", &stats.redis_errors},
  };
  const char* help[] = {
      "Requests taken in batches (divide by the batch count for the mean batch size).",
      "Messages that could not be decoded (sent to the dead-letter list).",
      "Decisions Redis refused.",
      "Requests sent to the dead-letter list.",
      "Requests put back on the queue from the processing lists of a dead run or peer.",
      "Requests given up after Redis stayed down past their deadline.",
      "Failed Redis round trips.",
  };
  for (std::size_t i = 0; i < std::size(counters); ++i) {
    family(out, counters[i].first, "counter", help[i]);
    out += std::string(counters[i].first) + " " +
           std::to_string(counters[i].second->load(std::memory_order_relaxed)) + "\n";
  }
  return out;
}

}  // namespace seckill::logic
