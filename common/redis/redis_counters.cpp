#include "common/redis/redis_counters.hpp"

namespace seckill {

RedisCounters& redis_counters() {
  static RedisCounters counters;
  return counters;
}

}  // namespace seckill
