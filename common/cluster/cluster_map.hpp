// ClusterMap: which node serves each of the 16384 slots, as CLUSTER SHARDS describes it.
//
// Read from any node at start, after MOVED, after connection errors and periodically (see
// ClusterRouter). A plain Redis (cluster support disabled) is one node that owns every slot, so
// single-node deployments run the same code. Pure parsing of a reply; no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cluster/cluster_slot.hpp"
#include "common/cluster/node_address.hpp"

struct redisReply;

namespace seckill {

struct ClusterShard {
  NodeAddress master;
  std::vector<NodeAddress> replicas;             // online ones
  std::vector<std::pair<int, int>> slot_ranges;  // inclusive
};

class ClusterMap {
 public:
  /// One node serving every slot (a plain Redis, or a first guess before a map is read).
  static ClusterMap single(NodeAddress node);
  /// The map of a CLUSTER SHARDS reply; nullopt when the reply is not one. Masters that are not
  /// online are left out; their slots stay unserved until a refresh finds the new master.
  static std::optional<ClusterMap> from_shards(const redisReply* reply);

  /// The master serving `slot`, or null when none does (the cluster is down for it).
  const NodeAddress* owner(int slot) const;
  /// After MOVED: `slot` is served by `node` now (until the next full refresh).
  void move(int slot, const NodeAddress& node);

  const std::vector<ClusterShard>& shards() const { return shards_; }
  /// Every master, once.
  std::vector<NodeAddress> masters() const;
  bool covers_every_slot() const;

 private:
  static constexpr std::uint16_t kNoShard = 0xffff;
  std::vector<ClusterShard> shards_;
  std::array<std::uint16_t, kClusterSlots> owner_{};  // index into shards_, or kNoShard
};

}  // namespace seckill
