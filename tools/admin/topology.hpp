// Topology: where seckill's data lives: the Redis node and its replicas, the layout, and for
// each group in use its cluster slot, its queue depth and its products (seckill-admin topology).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/redis_connection.hpp"
#include "common/redis_keys.hpp"
#include "common/result.hpp"

namespace seckill::admin {

struct GroupPlacement {
  keys::GroupId group = 0;
  int slot = 0;             // the cluster slot of the group's tag
  std::int64_t queued = 0;  // requests waiting in the group's queue
  std::vector<ProductId> products;
};

struct Topology {
  std::string node;                   // the node answering, as configured
  std::string role;                   // what ROLE says it is: master, slave, ...
  std::vector<std::string> replicas;  // a master's replicas, "host:port (offset N)"
  std::optional<keys::GroupId> layout_groups;
  std::vector<GroupPlacement> groups;  // in use, by group number
};

/// Reads the topology through `redis`.
Result<Topology> read_topology(RedisConnection& redis);

/// The text seckill-admin prints.
std::string format_topology(const Topology& topology);

}  // namespace seckill::admin
