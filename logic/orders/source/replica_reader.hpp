// ReplicaReader: seckill-orders' reads with `read_from_replica`: each stream is read on an
// online replica of the master that holds it, so only entries a replica has (the ones that
// survive a failover of that master) reach PostgreSQL. Trimming stays on the master.
//
// Each round asks the master (INFO replication) which replicas are online and reads on the one
// furthest behind (what it has, all of them have, whichever a failover promotes); with none online
// the read fails, so the round fails and retries (nothing is read from the master instead: that
// would let an unreplicated tail into the database).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/cluster/node_address.hpp"
#include "common/redis/redis_client.hpp"

namespace seckill::orders {

/// A replica as the master's INFO replication lists it.
struct ReplicaInfo {
  NodeAddress address;
  bool online = false;
  std::int64_t offset = 0;  // replication offset acknowledged
};

/// The replicas of an INFO replication text ("slave0:ip=...,port=...,state=online,offset=...").
std::vector<ReplicaInfo> parse_replicas(std::string_view info);

class ReplicaReader {
 public:
  /// `masters` is the mover's client (it finds the master of each stream); replica connections
  /// are made with `masters.config()`'s timeouts.
  explicit ReplicaReader(RedisClient& masters);
  ~ReplicaReader();
  ReplicaReader(const ReplicaReader&) = delete;
  ReplicaReader& operator=(const ReplicaReader&) = delete;
  ReplicaReader(ReplicaReader&&) = delete;
  ReplicaReader& operator=(ReplicaReader&&) = delete;

  /// Runs `commands[i]` (a read of stream `keys[i]`) on a replica of that stream's master, one
  /// round trip per master; the replies in order. An Error when a master has no online replica
  /// or its replica cannot be reached.
  Result<std::vector<RedisReply>> pipeline(const std::vector<std::string>& keys,
                                           const std::vector<std::vector<std::string>>& commands);

 private:
  /// The connection to the online replica furthest behind of the master holding `key`.
  Result<RedisConnection*> replica_of(const std::string& key);

  RedisClient& masters_;
  std::map<std::string, std::unique_ptr<RedisConnection>> replicas_;  // by "host:port"
  std::map<std::string, std::string> chosen_;  // master -> the replica read last, for the log
};

}  // namespace seckill::orders
