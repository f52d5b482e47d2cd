#include "common/program/prometheus.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

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

namespace {

// The fields of /proc/self/stat after the command name, numbered as proc(5) numbers them.
std::vector<std::string> stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> fields(3);  // 1 pid, 2 comm: not needed
  const auto close = text.rfind(')');
  if (close == std::string::npos) return fields;
  std::istringstream rest(text.substr(close + 1));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

double field_number(const std::vector<std::string>& fields, std::size_t index) {
  return index < fields.size() ? std::strtod(fields[index].c_str(), nullptr) : 0.0;
}

// Seconds since the epoch at which the machine booted (/proc/stat btime).
double boot_time() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double value = 0;
      in >> value;
      return value;
    }
  }
  return 0;
}

void gauge(std::string& out, std::string_view name, std::string_view type, std::string_view help,
           double value) {
  family(out, name, type, help);
  // All digits: a start time or a memory size in number()'s 6 would be off by thousands.
  char text[40];
  std::snprintf(text, sizeof text, "%.15g", value);
  out.append(name).append(" ").append(text).append("\n");
}

}  // namespace

void process_metrics(std::string& out) {
  const auto fields = stat_fields();
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // proc(5): 14 utime, 15 stime, 22 starttime (ticks after boot), 24 rss (pages).
  gauge(out, "process_cpu_seconds_total", "counter", "User and system CPU time spent, seconds.",
        (field_number(fields, 14) + field_number(fields, 15)) / ticks);
  gauge(out, "process_resident_memory_bytes", "gauge", "Resident memory, bytes.",
        field_number(fields, 24) * page);
  gauge(out, "process_start_time_seconds", "gauge", "Start time, seconds since the epoch.",
        boot_time() + field_number(fields, 22) / ticks);
  std::size_t open = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++open;
  }
  gauge(out, "process_open_fds", "gauge", "Open file descriptors.", static_cast<double>(open));
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  gauge(out, "process_max_fds", "gauge", "The most file descriptors it may open.",
        static_cast<double>(limit.rlim_cur));
}

}  // namespace seckill::prometheus
