#include "common/prometheus.hpp"

#include <cstdio>

namespace seckill::prometheus {

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help);
  out.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view series, std::uint64_t value) {
  out.append(series).append(" ").append(std::to_string(value)).append("\n");
}

void histogram(std::string& out, std::string_view name, std::string_view labels,
               std::span<const double> bounds, std::span<const std::atomic<std::uint64_t>> counts,
               double sum) {
  const std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
  // Appended piece by piece: GCC 12 at -O3 misreads `"{" + std::string(...)` (-Wrestrict).
  std::string braces;
  if (!labels.empty()) braces.append("{").append(labels).append("}");
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < counts.size(); ++b) {
    cumulative += counts[b].load(std::memory_order_relaxed);
    const std::string le = b < bounds.size() ? number(bounds[b]) : "+Inf";
    sample(out, std::string(name) + "_bucket{" + prefix + "le=\"" + le + "\"}", cumulative);
  }
  out.append(name).append("_sum").append(braces).append(" ").append(number(sum)).append("\n");
  sample(out, std::string(name) + "_count" + braces, cumulative);
}

void counters(std::string& out, std::span<const Counter> list) {
  for (const Counter& counter : list) {
    family(out, counter.name, "counter", counter.help);
    sample(out, counter.name, counter.value->load(std::memory_order_relaxed));
  }
}

}  // namespace seckill::prometheus
