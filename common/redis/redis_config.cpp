#include "common/redis/redis_config.hpp"

#include <charconv>

#include <rapidjson/document.h>

#include "common/program/config_reader.hpp"

namespace seckill {

std::string describe(const RedisConfig& config) {
  if (uses_sentinels(config)) return "sentinel master " + config.master_name;
  if (uses_cluster(config)) {
    std::string text = "cluster via";
    for (const NodeAddress& node : config.cluster_nodes) text.append(" ").append(node.text());
    return text;
  }
  return config.host + ":" + std::to_string(config.port);
}

namespace {

// A list of "HOST:PORT" strings (the sentinels, a cluster's nodes).
void read_nodes(ConfigReader& reader, const char* field, std::vector<NodeAddress>& out) {
  if (!reader.has(field)) return;
  const rapidjson::Value& list = reader.take(field);
  if (!list.IsArray()) throw ConfigError(reader.name(field) + ": must be an array");
  out.clear();
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    auto node = list[i].IsString() ? parse_node_address(list[i].GetString()) : std::nullopt;
    if (!node || node->host.empty()) {
      throw ConfigError(reader.name(field) + "[" + std::to_string(i) + "]: must be HOST:PORT");
    }
    out.push_back(*node);
  }
}

}  // namespace

void read_redis_config(ConfigReader reader, RedisConfig& out) {
  std::string mode = "single";
  reader.read_string("mode", mode, false);
  if (mode != "single" && mode != "sentinel" && mode != "cluster") {
    throw ConfigError(reader.name("mode") + ": must be \"single\", \"sentinel\" or \"cluster\"");
  }
  reader.read_string("host", out.host, false);
  reader.read_int("port", out.port, 1, 65535);
  read_nodes(reader, "sentinels", out.sentinels);
  read_nodes(reader, "nodes", out.cluster_nodes);
  reader.read_string("master_name", out.master_name);
  if (mode == "sentinel") {
    if (out.sentinels.empty()) {
      throw ConfigError(reader.name("sentinels") + ": sentinel mode needs at least one sentinel");
    }
    if (out.master_name.empty()) {
      throw ConfigError(reader.name("master_name") + ": sentinel mode needs the master's name");
    }
  } else if (!out.sentinels.empty()) {
    throw ConfigError(reader.name("sentinels") + ": only with \"mode\": \"sentinel\"");
  }
  if (mode == "cluster" && out.cluster_nodes.empty()) {
    throw ConfigError(reader.name("nodes") + ": cluster mode needs at least one node");
  }
  if (mode != "cluster" && !out.cluster_nodes.empty()) {
    throw ConfigError(reader.name("nodes") + ": only with \"mode\": \"cluster\"");
  }
  reader.read_duration("connect_timeout_ms", out.connect_timeout, 1, 60000);
  reader.read_duration("socket_timeout_ms", out.socket_timeout, 1, 60000);
  reader.read_duration("keepalive_ms", out.keepalive, 1000, 3600000);
  reader.read_int("ack_replicas", out.ack_replicas, 0, 16);
  reader.read_duration("wait_ms", out.wait_timeout, 1, 10000);
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
  out.sentinels.clear();  // this Redis, then: single mode
  out.master_name.clear();
  out.cluster_nodes.clear();
  return true;
}

}  // namespace seckill
