// Topology: where seckill's data lives: each master and its replicas, the layout, and for each
// group in use its cluster slot, the master serving it, its queue depth and its products
// (seckill-admin topology).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/base/ids.hpp"
#include "common/base/result.hpp"
#include "common/redis/redis_client.hpp"
#include "common/store/redis_keys.hpp"

namespace seckill::admin {

struct GroupPlacement {
  keys::GroupId group = 0;
  int slot = 0;             // the cluster slot of the group's tag
  std::int64_t queued = 0;  // requests waiting in the group's queue
  std::vector<ProductId> products;
  std::string node;  // the master serving the slot (a cluster); empty: the one Redis
};

struct NodeRole {
  std::string node;                   // host:port, or the Redis as configured
  std::string role;                   // what ROLE says it is: master, slave, ...
  std::vector<std::string> replicas;  // a master's replicas, "host:port (offset N)"
};

struct Topology {
  std::vector<NodeRole> masters;  // the one Redis, or every master of the cluster
  std::optional<keys::GroupId> layout_groups;
  std::vector<GroupPlacement> groups;  // in use, by group number
};

/// Reads the topology through `redis`.
Result<Topology> read_topology(RedisClient& redis);

/// The text seckill-admin prints.
std::string format_topology(const Topology& topology);

}  // namespace seckill::admin
