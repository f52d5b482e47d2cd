#include "tools/admin/topology.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include <hiredis/hiredis.h>

#include "common/cluster_slot.hpp"
#include "common/redis_config.hpp"

namespace seckill::admin {
namespace {

Result<RedisReply> checked(RedisConnection& redis, const std::vector<std::string>& argv) {
  auto reply = redis.command(argv);
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{argv[0] + ": " + std::string(reply->str())};
  return reply;
}

// ROLE: ["master", offset, [[host, port, offset], ...]] or ["slave", host, port, ...].
void read_role(const RedisReply& role, Topology& topology) {
  if (!role.is_array() || role.size() == 0) return;
  topology.role = reply_str(role.element(0));
  if (topology.role != "master" || role.size() < 3) return;
  const redisReply* replicas = role.element(2);
  for (std::size_t i = 0; replicas != nullptr && i < replicas->elements; ++i) {
    const redisReply* replica = replicas->element[i];
    if (replica == nullptr || replica->elements < 3) continue;
    topology.replicas.push_back(std::string(reply_str(replica->element[0])) + ":" +
                                std::string(reply_str(replica->element[1])) + " (offset " +
                                std::string(reply_str(replica->element[2])) + ")");
  }
}

}  // namespace

Result<Topology> read_topology(RedisConnection& redis) {
  Topology topology;
  topology.node = describe(redis.config());
  auto role = checked(redis, {"ROLE"});
  if (!role) return role.error();
  read_role(*role, topology);
  auto layout = checked(redis, {"HGET", keys::kLayout, "groups"});
  if (!layout) return layout.error();
  if (!layout->is_nil()) topology.layout_groups = keys::parse_group(layout->str());

  auto directory = checked(redis, {"HGETALL", keys::kProducts});
  if (!directory) return directory.error();
  std::map<keys::GroupId, GroupPlacement> by_group;
  for (std::size_t i = 0; i + 1 < directory->size(); i += 2) {
    auto id = parse_id(reply_str(directory->element(i)));
    auto group = keys::parse_group(reply_str(directory->element(i + 1)));
    if (!id || !group) continue;
    GroupPlacement& placement = by_group[*group];
    placement.group = *group;
    placement.products.push_back(*id);
  }
  std::vector<std::vector<std::string>> lengths;
  for (auto& [group, placement] : by_group) {
    placement.slot = cluster_slot(keys::requests(group));
    std::sort(placement.products.begin(), placement.products.end());
    lengths.push_back({"LLEN", keys::requests(group)});
  }
  auto queued = redis.pipeline(lengths);
  if (!queued) return queued.error();
  std::size_t at = 0;
  for (auto& [group, placement] : by_group) {
    const RedisReply& length = (*queued)[at++];
    placement.queued = length.is_integer() ? length.integer() : 0;
    topology.groups.push_back(std::move(placement));
  }
  return topology;
}

std::string format_topology(const Topology& topology) {
  std::ostringstream out;
  out << "redis " << topology.node << ": " << (topology.role.empty() ? "?" : topology.role);
  if (topology.role == "master") {
    out << ", " << topology.replicas.size() << " replicas";
    for (const auto& replica : topology.replicas) out << "\n  replica " << replica;
  }
  out << "\nlayout: ";
  if (topology.layout_groups) {
    out << *topology.layout_groups << " groups";
  } else {
    out << "none yet (written by the first load)";
  }
  out << "\ngroup  slot   queued  products\n";
  for (const GroupPlacement& placement : topology.groups) {
    std::string products;
    for (ProductId id : placement.products) {
      if (!products.empty()) products.push_back(',');
      products.append(std::to_string(id));
    }
    char line[64];
    std::snprintf(line, sizeof line, "%-6d %-6d %-7lld ", placement.group, placement.slot,
                  static_cast<long long>(placement.queued));
    out << line << products << "\n";
  }
  return out.str();
}

}  // namespace seckill::admin
