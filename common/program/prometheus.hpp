// Writing the Prometheus text exposition format (0.0.4), shared by the proxy's and the logic's
// /metrics pages.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace seckill::prometheus {

/// A number as Prometheus reads it ("0.0025", "2.5").
std::string number(double value);

/// The # HELP and # TYPE lines of a metric family.
void family(std::string& out, std::string_view name, std::string_view type, std::string_view help);

/// One sample line; `series` is the name with its labels, if any (`x{code="0"}`).
void sample(std::string& out, std::string_view series, std::uint64_t value);

/// A counter family with one unlabelled sample: its name, what it counts, and where.
struct Counter {
  const char* name;
  const std::atomic<std::uint64_t>* value;
  const char* help;
};

/// The # HELP, # TYPE and sample lines of each counter, in order.
void counters(std::string& out, std::span<const Counter> list);

/// The _bucket, _sum and _count lines of one histogram series. `counts` has one slot per bound
/// plus the last for +Inf, not yet cumulative; `labels` is "" or `key="value",...`.
void histogram(std::string& out, std::string_view name, std::string_view labels,
               std::span<const double> bounds, std::span<const std::atomic<std::uint64_t>> counts,
               double sum);

/// The standard process_* families of this process (read from /proc): CPU seconds, resident
/// memory, open and allowed file descriptors, start time.
void process_metrics(std::string& out);

}  // namespace seckill::prometheus
