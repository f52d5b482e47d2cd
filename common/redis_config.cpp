#include "common/redis_config.hpp"

#include <charconv>

#include "common/config_reader.hpp"

namespace seckill {

void read_redis_config(ConfigReader reader, RedisConfig& out) {
  reader.read_string("host", out.host, false);
  reader.read_int("port", out.port, 1, 65535);
  reader.read_ms("connect_timeout_ms", out.connect_timeout, 1, 60000);
  reader.read_ms("socket_timeout_ms", out.socket_timeout, 1, 60000);
  reader.read_ms("keepalive_ms", out.keepalive, 1000, 3600000);
  reader.finish();
}

bool apply_redis_address(std::string_view address, RedisConfig& out) {
  auto colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view port_text = address.substr(colon + 1);
  int port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
    return false;
  }
  out.host = std::string(address.substr(0, colon));
  out.port = port;
  return true;
}

}  // namespace seckill
