// RedisClusterServers: a private Redis Cluster for one test suite: 3 masters with one replica
// each by default, every node a real redis-server on free loopback ports (its cluster bus on a
// free port of its own) in its own temporary directory, joined by `redis-cli --cluster create`.
// Ready when every node says cluster_state:ok; stopped and removed with the object.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/cluster/cluster_map.hpp"
#include "tests/support/servers/redis_server.hpp"

namespace seckill::test {

class RedisClusterServers {
 public:
  /// `extra_args` go to every redis-server (e.g. {"--cluster-require-full-coverage", "no"}).
  explicit RedisClusterServers(int masters = 3, int replicas_per_master = 1,
                               std::vector<std::string> extra_args = {});

  std::vector<NodeAddress> seeds() const;
  int size() const { return static_cast<int>(nodes_.size()); }
  RedisServer& node(int i) { return *nodes_.at(static_cast<std::size_t>(i)); }
  /// The node listening on `address`.
  RedisServer& node_at(const NodeAddress& address);
  /// Waits until every running node reports cluster_state:ok (throws after `seconds`).
  void wait_ok(int seconds = 20);
  /// A replica of the master on `master`, as the cluster's map says now.
  NodeAddress replica_of(const NodeAddress& master) const;
  /// The id of the node on `address` (CLUSTER MYID).
  std::string id_of(const NodeAddress& address);
  /// Moves `slot` from master `from` to master `to` as redis-cli --cluster reshard does: both
  /// sides marked, the keys moved one by one (`pause` after each, so the slot stays half-way
  /// for a while), then every master told the new owner.
  void migrate_slot(int slot, const NodeAddress& from, const NodeAddress& to,
                    std::chrono::milliseconds pause);

 private:
  /// Waits until every node lists exactly `masters` masters (the replicas known as replicas).
  void wait_for_roles(int masters);
  /// Runs `argv` on every node until `ready` accepts its text reply (throws after 30 s).
  void wait_on_every_node(const std::vector<std::string>& argv,
                          const std::function<bool(const std::string&)>& ready,
                          const std::string& what);
  /// Waits until every master has `replicas_per_master` replicas online.
  void wait_for_replication(int replicas_per_master);

  std::vector<std::unique_ptr<RedisServer>> nodes_;
};

}  // namespace seckill::test
