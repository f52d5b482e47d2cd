// Where Redis is and how long we wait for it; shared by every program's config.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace seckill {

class ConfigReader;

struct RedisConfig {
  std::string host = "127.0.0.1";
  int port = 6379;
  /// Budget for establishing a TCP connection; short so an outage is noticed fast.
  std::chrono::milliseconds connect_timeout{200};
  /// Budget for one command round trip (blocking pops add their own block time on top).
  std::chrono::milliseconds socket_timeout{500};
};

/// Reads the "redis" object of a config file.
void read_redis_config(ConfigReader reader, RedisConfig& out);

/// Applies a `--redis HOST:PORT` override; false when the text is not HOST:PORT.
bool apply_redis_address(std::string_view address, RedisConfig& out);

}  // namespace seckill
