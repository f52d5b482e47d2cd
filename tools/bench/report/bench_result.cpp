#include "tools/bench/report/bench_result.hpp"

#include <cstdio>
#include <sstream>

namespace seckill::bench {
namespace {

std::string ms(std::uint64_t micros) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(micros) / 1000.0);
  return buffer;
}

std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::uint64_t count_of(const std::map<int, std::uint64_t>& counts, int key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

}  // namespace

void BenchCounters::merge(const BenchCounters& other) {
  latency.merge(other.latency);
  for (const auto& [code, n] : other.codes) codes[code] += n;
  for (const auto& [status, n] : other.statuses) statuses[status] += n;
  transport_errors += other.transport_errors;
  late_sends += other.late_sends;
  last_purchase_us = std::max(last_purchase_us, other.last_purchase_us);
}

double BenchResult::throughput() const {
  return elapsed_s > 0 ? static_cast<double>(counters.latency.count()) / elapsed_s : 0;
}

std::string BenchResult::text() const {
  std::ostringstream out;
  const auto& l = counters.latency;
  out << "[" << options.label << "] " << options.path << ", " << options.connections
      << " connections, " << fixed(elapsed_s, 2) << " s\n";
  if (options.rate > 0) {
    out << "  offered      " << fixed(options.rate, 0) << " req/s (open loop; latency from each "
        << "request's due time), " << counters.late_sends << " sent over 1 ms late\n";
  }
  out << "  answers      " << l.count() << " (" << fixed(throughput(), 0) << " req/s)\n"
      << "  latency ms   p50 " << ms(l.percentile(0.50)) << "  p90 " << ms(l.percentile(0.90))
      << "  p99 " << ms(l.percentile(0.99)) << "  p99.9 " << ms(l.percentile(0.999)) << "  max "
      << ms(l.max()) << "  mean " << fixed(l.mean() / 1000.0, 2) << "\n  codes       ";
  for (const auto& [code, n] : counters.codes) out << " " << code << ":" << n;
  out << "\n  http        ";
  for (const auto& [status, n] : counters.statuses) out << " " << status << ":" << n;
  out << "\n  transport errors " << counters.transport_errors << "\n  generator cpu "
      << fixed(cpu_percent, 0) << "% of one core\n";
  if (counters.last_purchase_us >= 0) {
    out << "  last purchase at " << ms(static_cast<std::uint64_t>(counters.last_purchase_us))
        << " ms\n";
  }
  if (audit.ran) {
    out << "  audit " << (audit.ok ? "passed" : "FAILED") << "\n";
    for (const auto& breach : audit.breaches) out << "    " << breach << "\n";
  }
  return out.str();
}

std::string BenchResult::json() const {
  std::ostringstream out;
  const auto& l = counters.latency;
  out << "{\"label\":\"" << options.label << "\",\"path\":\"" << options.path
      << "\",\"connections\":" << options.connections
      << ",\"offered_rps\":" << (options.rate > 0 ? fixed(options.rate, 1) : std::string("null"))
      << ",\"late_sends\":" << counters.late_sends << ",\"elapsed_s\":" << fixed(elapsed_s, 3)
      << ",\"answers\":" << l.count() << ",\"throughput_rps\":" << fixed(throughput(), 1)
      << ",\"latency_ms\":{\"p50\":" << ms(l.percentile(0.5))
      << ",\"p90\":" << ms(l.percentile(0.9)) << ",\"p99\":" << ms(l.percentile(0.99))
      << ",\"p999\":" << ms(l.percentile(0.999)) << ",\"max\":" << ms(l.max())
      << ",\"mean\":" << fixed(l.mean() / 1000.0, 3) << "},\"codes\":{";
  bool first = true;
  for (const auto& [code, n] : counters.codes) {
    out << (first ? "" : ",") << "\"" << code << "\":" << n;
    first = false;
  }
  out << "},\"http_status\":{";
  first = true;
  for (const auto& [status, n] : counters.statuses) {
    out << (first ? "" : ",") << "\"" << status << "\":" << n;
    first = false;
  }
  out << "},\"transport_errors\":" << counters.transport_errors
      << ",\"generator_cpu_percent\":" << fixed(cpu_percent, 1) << ",\"last_purchase_ms\":"
      << (counters.last_purchase_us >= 0 ? ms(static_cast<std::uint64_t>(counters.last_purchase_us))
                                         : std::string("null"))
      << ",\"audit\":"
      << (!audit.ran ? "null"
          : audit.ok ? "\"passed\""
                     : "\"failed\"")
      << "}";
  return out.str();
}

std::string BenchResult::markdown_header() {
  return "| phase | path | conns | req/s | p50 ms | p99 ms | p99.9 ms | max ms | 0 | 1001 | other "
         "| transport errors | generator CPU | audit |\n"
         "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
}

std::string BenchResult::markdown_row() const {
  const auto& l = counters.latency;
  const std::uint64_t purchased = count_of(counters.codes, 0);
  const std::uint64_t sold_out = count_of(counters.codes, 1001);
  const std::uint64_t other = l.count() - purchased - sold_out;
  std::ostringstream out;
  out << "| " << options.label << " | `" << options.path << "` | " << options.connections << " | "
      << fixed(throughput(), 0) << " | " << ms(l.percentile(0.5)) << " | " << ms(l.percentile(0.99))
      << " | " << ms(l.percentile(0.999)) << " | " << ms(l.max()) << " | " << purchased << " | "
      << sold_out << " | " << other << " | " << counters.transport_errors << " | "
      << fixed(cpu_percent, 0) << "% | "
      << (!audit.ran ? "-"
          : audit.ok ? "passed"
                     : "FAILED")
      << " |\n";
  return out.str();
}

}  // namespace seckill::bench
