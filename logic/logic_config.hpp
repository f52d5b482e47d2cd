// Configuration of seckill-logic (config/logic.json), with the defaults a demo runs on.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "common/redis_config.hpp"

namespace seckill::logic {

struct LogicConfig {
  RedisConfig redis;
  /// Worker threads; each owns one Redis connection.
  int workers = 4;
  /// Most requests a worker takes and decides in one pipelined round trip.
  int batch_size = 64;
  /// How long one blocking pop waits; bounds how fast a worker notices shutdown.
  std::chrono::milliseconds pop_block{1000};
  /// How long a reply list lives after the last reply pushed onto it (a dead proxy's list expires).
  std::chrono::milliseconds reply_ttl{60000};
  /// How long a decision is remembered after its request's deadline, for redelivery. Past the
  /// deadline a redelivered request is judged expired and changes nothing, so this only needs to
  /// cover redeliveries racing the deadline; memory grows with rate x (timeout + this).
  std::chrono::milliseconds decision_retention{5000};
};

/// Reads `file` into a LogicConfig; throws ConfigError naming the bad key.
LogicConfig load_logic_config(const std::string& file);

}  // namespace seckill::logic
