// BenchResult: what a run measured, and how it is printed (text, JSON, a Markdown row).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tools/bench/bench_options.hpp"
#include "tools/bench/report/latency_histogram.hpp"

namespace seckill::bench {

/// Counters of one generator thread; merged at the end.
struct BenchCounters {
  LatencyHistogram latency;
  std::map<int, std::uint64_t> codes;     // JSON "code" -> answers
  std::map<int, std::uint64_t> statuses;  // HTTP status -> answers
  std::uint64_t transport_errors = 0;
  std::uint64_t late_sends = 0;        // open loop: sent over 1 ms after their due time
  std::int64_t last_purchase_us = -1;  // since the start, for the time to sell out

  void merge(const BenchCounters& other);
};

struct AuditSummary {
  bool ran = false;
  bool ok = false;
  std::vector<std::string> breaches;
};

struct BenchResult {
  BenchOptions options;
  BenchCounters counters;
  double elapsed_s = 0;
  double cpu_percent = 0;  // the generator's own CPU use, % of one core
  AuditSummary audit;

  double throughput() const;
  std::string text() const;
  std::string json() const;
  /// | label | path | conns | req/s | p50 | p99 | p99.9 | max | 0 | 1001 | other | errors | cpu |
  /// audit |
  std::string markdown_row() const;
  static std::string markdown_header();
};

}  // namespace seckill::bench
