#include "common/cluster/cluster_map.hpp"

#include <algorithm>
#include <charconv>

#include <hiredis/hiredis.h>

namespace seckill {
namespace {

std::string_view text_of(const redisReply* element) {
  if (element == nullptr || element->str == nullptr) return {};
  return {element->str, element->len};
}

// An integer reply, or a bulk string of digits (the slots are integers in 7.0, but a client
// should not care).
std::optional<long long> number_of(const redisReply* element) {
  if (element == nullptr) return std::nullopt;
  if (element->type == REDIS_REPLY_INTEGER) return element->integer;
  const std::string_view text = text_of(element);
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The value of `name` in a RESP2 map (a flat array of name, value, name, value...).
const redisReply* field(const redisReply* map, std::string_view name) {
  if (map == nullptr || map->type != REDIS_REPLY_ARRAY) return nullptr;
  for (std::size_t i = 0; i + 1 < map->elements; i += 2) {
    if (text_of(map->element[i]) == name) return map->element[i + 1];
  }
  return nullptr;
}

// A node of a shard, when it is reachable by plain TCP and not failed. ("loading" is how 7.0
// shows a replica whose offset is still 0, such as one freshly synced from an idle master.)
std::optional<std::pair<NodeAddress, std::string>> node_of(const redisReply* node) {
  auto port = number_of(field(node, "port"));
  std::string host(text_of(field(node, "ip")));
  if (host.empty()) host = text_of(field(node, "endpoint"));
  if (!port || *port <= 0 || *port > 65535 || host.empty() || host == "?") return std::nullopt;
  const std::string_view health = text_of(field(node, "health"));
  const std::string_view role = text_of(field(node, "role"));
  if (health != "online" && !(health == "loading" && role != "master")) return std::nullopt;
  return std::make_pair(NodeAddress{host, static_cast<int>(*port)},
                        std::string(text_of(field(node, "role"))));
}

}  // namespace

ClusterMap ClusterMap::single(NodeAddress node) {
  ClusterMap map;
  map.shards_.push_back({std::move(node), {}, {{0, kClusterSlots - 1}}});
  map.owner_.fill(0);
  return map;
}

std::optional<ClusterMap> ClusterMap::from_shards(const redisReply* reply) {
  if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY) return std::nullopt;
  ClusterMap map;
  map.owner_.fill(kNoShard);
  for (std::size_t s = 0; s < reply->elements; ++s) {
    const redisReply* slots = field(reply->element[s], "slots");
    const redisReply* nodes = field(reply->element[s], "nodes");
    if (slots == nullptr || nodes == nullptr || slots->type != REDIS_REPLY_ARRAY ||
        nodes->type != REDIS_REPLY_ARRAY) {
      return std::nullopt;
    }
    ClusterShard shard;
    bool has_master = false;
    for (std::size_t n = 0; n < nodes->elements; ++n) {
      auto node = node_of(nodes->element[n]);
      if (!node) continue;
      if (node->second == "master") {
        shard.master = node->first;
        has_master = true;
      } else {
        shard.replicas.push_back(node->first);
      }
    }
    for (std::size_t i = 0; i + 1 < slots->elements; i += 2) {
      auto first = number_of(slots->element[i]);
      auto last = number_of(slots->element[i + 1]);
      if (!first || !last || *first < 0 || *last >= kClusterSlots || *first > *last) {
        return std::nullopt;
      }
      shard.slot_ranges.emplace_back(static_cast<int>(*first), static_cast<int>(*last));
    }
    if (!has_master) continue;  // failed over, not yet promoted: its slots are unserved for now
    const auto index = static_cast<std::uint16_t>(map.shards_.size());
    for (auto [first, last] : shard.slot_ranges) {
      for (int slot = first; slot <= last; ++slot)
        map.owner_[static_cast<std::size_t>(slot)] = index;
    }
    map.shards_.push_back(std::move(shard));
  }
  return map;
}

const NodeAddress* ClusterMap::owner(int slot) const {
  const std::uint16_t index = owner_[static_cast<std::size_t>(slot)];
  return index == kNoShard ? nullptr : &shards_[index].master;
}

void ClusterMap::move(int slot, const NodeAddress& node) {
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i].master == node) {
      owner_[static_cast<std::size_t>(slot)] = static_cast<std::uint16_t>(i);
      return;
    }
  }
  // A master this map does not know yet: a shard of its own, until the refresh says more.
  owner_[static_cast<std::size_t>(slot)] = static_cast<std::uint16_t>(shards_.size());
  shards_.push_back({node, {}, {{slot, slot}}});
}

std::vector<NodeAddress> ClusterMap::masters() const {
  std::vector<NodeAddress> masters;
  for (const ClusterShard& shard : shards_) {
    if (std::find(masters.begin(), masters.end(), shard.master) == masters.end()) {
      masters.push_back(shard.master);
    }
  }
  return masters;
}

bool ClusterMap::covers_every_slot() const {
  for (std::uint16_t index : owner_) {
    if (index == kNoShard) return false;
  }
  return true;
}

}  // namespace seckill
