// RedisClient: what every tier talks to Redis through, whichever way Redis is deployed.
//
// One class for the three topologies, so no caller needs to know which it runs on:
//   single, sentinel   one RedisConnection (which finds the master through the sentinels);
//   cluster            a ClusterRouter: each command goes to the master of its key's slot,
//                      pipelines split per node, MOVED followed, ASK only for one-key commands.
// The routing key is read from each command (common/redis/command_keys.hpp). A command without a
// key (WAIT) in a pipeline goes where the command before it went; alone, it goes to any master.
// What must reach every master (INFO memory, SCAN) goes through on_every_master().
// Not thread-safe: one client per thread, like the connections under it.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/cluster/cluster_router.hpp"
#include "common/redis/redis_config.hpp"
#include "common/redis/redis_connection.hpp"

namespace seckill {

class RedisClient {
 public:
  explicit RedisClient(RedisConfig config);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  /// Runs one command on the node of its key. `extra_timeout` as for RedisConnection.
  Result<RedisReply> command(const std::vector<std::string>& argv,
                             std::chrono::milliseconds extra_timeout = {});
  /// Runs one command on the node of `routing_key` (a keyless command that belongs beside a
  /// key: SCRIPT LOAD for the node whose script cache missed, WAIT for the node that wrote).
  Result<RedisReply> command_beside(std::string_view routing_key,
                                    const std::vector<std::string>& argv);
  /// Sends every command in one round trip per node and hands the replies back in order.
  Result<std::vector<RedisReply>> pipeline(const std::vector<std::vector<std::string>>& commands,
                                           std::chrono::milliseconds extra_timeout = {});
  /// For commands already written as RESP, `routing_keys[i]` routing `commands[i]`: each
  /// command's reply, a master that cannot be reached failing only its own commands (outside
  /// cluster mode, one Redis: all or none). `maybe_applied[i]`: after an Error, whether
  /// command i may have been applied.
  std::vector<Result<RedisReply>> pipeline_resp_each(
      const std::vector<std::string_view>& commands,
      const std::vector<std::string_view>& routing_keys, std::vector<bool>& maybe_applied,
      std::chrono::milliseconds extra_timeout = {});
  /// One master's reply, and which master it is ("host:port", or what describe() says).
  struct NodeReply {
    std::string node;
    RedisReply reply;
  };
  /// Runs `argv` on every master, one after another (outside cluster mode: the one master).
  /// A node that cannot be reached fails the call.
  Result<std::vector<NodeReply>> on_every_master(const std::vector<std::string>& argv);

  /// Which node serves `key` ("" outside cluster mode: there is one), to group work by node.
  std::string node_of(std::string_view key);
  bool is_cluster() const { return router_ != nullptr; }

  RedisErrc last_error_kind() const;
  bool last_failure_maybe_applied() const;
  void keep_alive();
  void wait_before_retry(std::chrono::milliseconds cap) const;
  const RedisConfig& config() const { return config_; }

 private:
  RedisConfig config_;
  std::unique_ptr<RedisConnection> single_;  // single and sentinel mode
  std::unique_ptr<ClusterRouter> router_;    // cluster mode
};

/// What no master may do: evict keys. Empty when every master says maxmemory-policy
/// noeviction; else "<node>: '<policy>'" for the first that does not.
Result<std::string> eviction_problem(RedisClient& redis);

}  // namespace seckill
