// Configuration of seckill-orders (config/orders.json).
#pragma once

#include <chrono>
#include <string>

#include "common/redis/redis_config.hpp"

namespace seckill::orders {

struct OrdersConfig {
  /// libpq connection string of the system of record; SECKILL_ORDERS_DSN overrides it. Never
  /// logged (it may hold a password).
  std::string dsn;
  /// Most entries read from one stream per round (a round is one statement for all streams).
  int batch_size = 500;
  /// Pause between rounds that found nothing new.
  std::chrono::milliseconds poll{200};
  /// Trim each stream below what was committed (XTRIM MINID), so Redis memory stays bounded.
  bool trim = true;
  /// Read each stream on an online replica of its master, so only replicated entries reach
  /// PostgreSQL (the ones a failover keeps). No replica online: rounds fail until one is.
  bool read_from_replica = false;
  int metrics_port = 0;  // GET /metrics and /healthz (0: off)
  std::string metrics_address = "127.0.0.1";
  RedisConfig redis;
};

/// Reads `file`; throws ConfigError naming the bad key.
OrdersConfig load_orders_config(const std::string& file);
/// Settles the DSN: `dsn_flag` (--dsn) over SECKILL_ORDERS_DSN over the file's; throws
/// ConfigError when there is none.
void finalize_orders_config(OrdersConfig& config, const std::string& dsn_flag = "");

}  // namespace seckill::orders
