#include "logic/orders/orders_config.hpp"

#include <cstdlib>

#include "common/program/config_reader.hpp"

namespace seckill::orders {

OrdersConfig load_orders_config(const std::string& file) {
  rapidjson::Document document = parse_json_file(file);
  ConfigReader reader(document, "");
  OrdersConfig config;
  reader.read_string("dsn", config.dsn);
  reader.read_int("batch_size", config.batch_size, 1, 100000);
  reader.read_duration("poll_ms", config.poll, 1, 60000);
  reader.read_bool("trim", config.trim);
  reader.read_bool("read_from_replica", config.read_from_replica);
  reader.read_int("metrics_port", config.metrics_port, 0, 65535);
  reader.read_string("metrics_address", config.metrics_address, false);
  read_redis_config(reader.object("redis"), config.redis);
  reader.finish();
  return config;
}

void finalize_orders_config(OrdersConfig& config, const std::string& dsn_flag) {
  if (!dsn_flag.empty()) {
    config.dsn = dsn_flag;
  } else if (const char* dsn = std::getenv("SECKILL_ORDERS_DSN"); dsn != nullptr && *dsn != '\0') {
    config.dsn = dsn;
  }
  if (config.dsn.empty()) {
    throw ConfigError("dsn: must be set (in the config file or SECKILL_ORDERS_DSN)");
  }
}

}  // namespace seckill::orders
