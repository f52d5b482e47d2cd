// RedisSentinels: a private Sentinel setup for one test suite: a master and a replica (real
// redis-servers) and three sentinels watching them as "mymaster", each on a free loopback port
// in its own temporary directory, with a 1 s down-after time. Ready when every sentinel names
// the master and knows the replica and the other sentinels; stopped and removed with the object.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/redis/redis_config.hpp"
#include "tests/support/process.hpp"
#include "tests/support/servers/redis_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill::test {

class RedisSentinels {
 public:
  static constexpr const char* kMasterName = "mymaster";

  RedisSentinels();
  ~RedisSentinels();
  RedisSentinels(const RedisSentinels&) = delete;
  RedisSentinels& operator=(const RedisSentinels&) = delete;
  RedisSentinels(RedisSentinels&&) = delete;
  RedisSentinels& operator=(RedisSentinels&&) = delete;

  /// A RedisConfig in sentinel mode for this setup.
  RedisConfig config() const;
  std::vector<NodeAddress> sentinel_addresses() const;
  /// The "redis" object of a config file for this setup.
  std::string redis_json() const;

  /// The node the sentinels name as master now.
  NodeAddress master() const;
  /// The redis-server on `node` (the first master or the first replica).
  RedisServer& server_at(const NodeAddress& node);
  /// The other redis-server: the replica of the master on `master`.
  RedisServer& replica_of(const NodeAddress& master);
  /// Asks a sentinel for a failover and waits (up to 20 s) until every sentinel names the new
  /// master and that node says ROLE master.
  NodeAddress fail_over();
  /// Waits (up to 20 s) until every sentinel names a master other than `before` and that node
  /// says ROLE master (after `before` was killed, say).
  NodeAddress wait_for_new_master(const NodeAddress& before);

 private:
  void wait_ready();
  /// Starts sentinel `i` and waits until it answers (on another port if its port was taken).
  void start_sentinel(int i);
  std::string sentinel_command(std::size_t i, const std::vector<std::string>& argv) const;

  std::unique_ptr<RedisServer> first_master_;
  std::unique_ptr<RedisServer> first_replica_;
  TempDir dir_;
  std::vector<int> ports_;
  std::vector<ChildProcess> sentinels_;
};

}  // namespace seckill::test
