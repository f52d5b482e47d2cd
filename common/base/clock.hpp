// Wall-clock milliseconds since the Unix epoch: the unit of deadlines and sale windows on the wire.
#pragma once

#include <chrono>
#include <cstdint>

namespace seckill {

inline std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace seckill
