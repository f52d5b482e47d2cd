// Where Redis is and how long we wait for it; shared by every program's config.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cluster/node_address.hpp"

namespace seckill {

class ConfigReader;

struct RedisConfig {
  /// The Redis itself (`redis.mode` single), unused in sentinel mode.
  std::string host = "127.0.0.1";
  int port = 6379;
  /// Sentinel mode (`redis.mode` sentinel): the master named `master_name` is found through
  /// these sentinels on every (re)connect, and must say ROLE master; a READONLY or LOADING reply
  /// makes the connection find the master again. Empty: single mode.
  std::vector<NodeAddress> sentinels;
  std::string master_name;
  /// Cluster mode (`redis.mode` cluster): a few nodes of the Redis Cluster to read the slot map
  /// from; every master is found from there. Empty: not a cluster.
  std::vector<NodeAddress> cluster_nodes;
  /// Budget for establishing a TCP connection; short so an outage is noticed fast.
  std::chrono::milliseconds connect_timeout{200};
  /// Budget for one command round trip (blocking pops add their own block time on top).
  std::chrono::milliseconds socket_timeout{500};
  /// A connection unused this long is sent a PING by keep_alive(), so a Redis `timeout` setting
  /// never closes it between sales. Never shorter than a second: Redis counts idle seconds.
  std::chrono::milliseconds keepalive{10000};
  /// The logic sends WAIT ack_replicas wait_ms after each decision and answers buyers only once
  /// that many replicas have the decision, so a failover never takes back an answer 0. Replies
  /// of a decision WAIT could not confirm are withheld (those buyers get 5004; /result knows).
  /// 0: no WAIT, replies go out with the decision.
  int ack_replicas = 0;
  std::chrono::milliseconds wait_timeout{100};
  /// Set by programs, not by the file: refuse a Redis whose maxmemory-policy would evict keys.
  /// Every new connection checks it first; a wrong policy fails the connection (kUnavailable).
  bool require_noeviction = false;
};

/// Whether `config` finds its master through sentinels.
inline bool uses_sentinels(const RedisConfig& config) {
  return !config.sentinels.empty();
}

/// Whether `config` routes by slot over a Redis Cluster.
inline bool uses_cluster(const RedisConfig& config) {
  return !config.cluster_nodes.empty();
}

/// Where the Redis is, for logs: "host:port", or "sentinel master NAME".
std::string describe(const RedisConfig& config);

/// Reads the "redis" object of a config file.
void read_redis_config(ConfigReader reader, RedisConfig& out);

/// Applies a `--redis HOST:PORT` override (single mode, whatever the file said); false when the
/// text is not HOST:PORT.
bool apply_redis_address(std::string_view address, RedisConfig& out);

}  // namespace seckill
