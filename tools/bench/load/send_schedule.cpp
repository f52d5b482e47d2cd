#include "tools/bench/load/send_schedule.hpp"

namespace seckill::bench {

SendSchedule::Clock::time_point SendSchedule::due(std::uint64_t n) const {
  if (rate_ <= 0) return start_;
  // In nanoseconds from the start, computed from n each time: no drift accumulates over a run.
  const double offset_ns = static_cast<double>(n) * 1e9 / rate_;
  return start_ + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::nanoseconds(static_cast<std::int64_t>(offset_ns)));
}

}  // namespace seckill::bench
