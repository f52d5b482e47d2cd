#include "tools/admin/topology.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include <hiredis/hiredis.h>

#include "common/cluster/cluster_slot.hpp"
#include "common/redis/redis_config.hpp"

namespace seckill::admin {
namespace {

Result<RedisReply> checked(RedisClient& redis, const std::vector<std::string>& argv) {
  auto reply = redis.command(argv);
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{argv[0] + ": " + std::string(reply->str())};
  return reply;
}

// ROLE: ["master", offset, [[host, port, offset], ...]] or ["slave", host, port, ...].
void read_role(const RedisReply& role, NodeRole& topology) {
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

Result<Topology> read_topology(RedisClient& redis) {
  Topology topology;
  auto roles = redis.on_every_master({"ROLE"});
  if (!roles) return roles.error();
  for (const auto& [node, role] : *roles) {
    if (role.is_error()) return Error{node + ": ROLE: " + std::string(role.str())};
    NodeRole& master = topology.masters.emplace_back();
    master.node = redis.is_cluster() ? node : describe(redis.config());
    read_role(role, master);
  }
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
    placement.node = redis.node_of(keys::requests(group));
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
  for (const NodeRole& master : topology.masters) {
    out << "redis " << master.node << ": " << (master.role.empty() ? "?" : master.role);
    if (master.role == "master") {
      out << ", " << master.replicas.size() << " replicas";
      for (const auto& replica : master.replicas) out << "\n  replica " << replica;
    }
    out << "\n";
  }
  out << "layout: ";
  if (topology.layout_groups) {
    out << *topology.layout_groups << " groups";
  } else {
    out << "none yet (written by the first load)";
  }
  const bool cluster =
      std::any_of(topology.groups.begin(), topology.groups.end(),
                  [](const GroupPlacement& placement) { return !placement.node.empty(); });
  out << "\ngroup  slot   queued  products" << (cluster ? "  master" : "") << "\n";
  for (const GroupPlacement& placement : topology.groups) {
    std::string products;
    for (ProductId id : placement.products) {
      if (!products.empty()) products.push_back(',');
      products.append(std::to_string(id));
    }
    char line[64];
    std::snprintf(line, sizeof line, "%-6d %-6d %-7lld ", placement.group, placement.slot,
                  static_cast<long long>(placement.queued));
    out << line << products;
    if (!placement.node.empty()) out << "  " << placement.node;
    out << "\n";
  }
  return out.str();
}

}  // namespace seckill::admin
