#include "tests/support/servers/redis_cluster.hpp"

#include <functional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/cluster/cluster_router.hpp"
#include "common/redis/redis_connection.hpp"

namespace seckill::test {

RedisClusterServers::RedisClusterServers(int masters, int replicas_per_master,
                                         std::vector<std::string> extra_args) {
  const int count = masters * (1 + replicas_per_master);
  std::vector<std::string> create = {"/usr/bin/redis-cli", "--cluster", "create"};
  for (int i = 0; i < count; ++i) {
    // The bus port defaults to port + 10000, which may not exist above 55535: choose it.
    std::vector<std::string> args = {
        "--cluster-enabled",      "yes",  "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", "1000", "--cluster-port",        RedisServer::kFreePortArg};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    nodes_.push_back(std::make_unique<RedisServer>(std::move(args)));
    create.push_back(nodes_.back()->address());
  }
  create.insert(create.end(),
                {"--cluster-replicas", std::to_string(replicas_per_master), "--cluster-yes"});
  auto created = run_program(create, std::chrono::seconds(60));
  if (created.status != 0) throw std::runtime_error("cluster create failed:\n" + created.output);
  wait_ok();
  wait_for_roles(masters);
  wait_for_replication(replicas_per_master);
}

namespace {

// How many nodes a CLUSTER NODES text flags as master.
int masters_in(const std::string& nodes) {
  int count = 0;
  std::istringstream lines(nodes);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string id, address, flags;
    fields >> id >> address >> flags;
    if (flags.find("master") != std::string::npos) ++count;
  }
  return count;
}

}  // namespace

void RedisClusterServers::wait_on_every_node(const std::vector<std::string>& argv,
                                             const std::function<bool(const std::string&)>& ready,
                                             const std::string& what) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (auto& node : nodes_) {
    while (true) {
      std::string text;
      try {
        text = node->command(argv);
      } catch (const std::exception&) {
      }
      if (ready(text)) break;
      if (std::chrono::steady_clock::now() > give_up) {
        throw std::runtime_error(what + " on " + node->address() + ":\n" + text);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

void RedisClusterServers::wait_for_roles(int masters) {
  // cluster_state:ok can come before every node has heard that the replicas are replicas:
  // until then a node lists them as masters without slots.
  wait_on_every_node(
      {"CLUSTER", "NODES"}, [&](const std::string& nodes) { return masters_in(nodes) == masters; },
      "replicas not known as such");
}

void RedisClusterServers::wait_for_replication(int replicas_per_master) {
  // A replica known as such may still be syncing: WAIT on its master counts only replicas that
  // are online, so a test with redis.ack_replicas would start with every decision withheld.
  wait_on_every_node(
      {"INFO", "replication"},
      [&](const std::string& replication) {
        if (replication.find("role:slave") != std::string::npos) return true;
        int online = 0;
        for (auto at = replication.find("state=online"); at != std::string::npos;
             at = replication.find("state=online", at + 1)) {
          ++online;
        }
        return replication.find("role:master") != std::string::npos &&
               online >= replicas_per_master;
      },
      "replicas not online");
}

NodeAddress RedisClusterServers::replica_of(const NodeAddress& master) const {
  ClusterRouter router(RedisConfig{}, seeds());
  for (const ClusterShard& shard : router.map().shards()) {
    if (shard.master == master && !shard.replicas.empty()) return shard.replicas.front();
  }
  throw std::runtime_error("no replica of " + master.text());
}

std::vector<NodeAddress> RedisClusterServers::seeds() const {
  std::vector<NodeAddress> seeds;
  for (const auto& node : nodes_) seeds.push_back({"127.0.0.1", node->port()});
  return seeds;
}

RedisServer& RedisClusterServers::node_at(const NodeAddress& address) {
  for (auto& node : nodes_) {
    if (node->port() == address.port) return *node;
  }
  throw std::runtime_error("no cluster node on " + address.text());
}

void RedisClusterServers::wait_ok(int seconds) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  for (auto& node : nodes_) {
    if (!node->process().running()) continue;
    while (true) {
      std::string info;
      try {
        info = node->command({"CLUSTER", "INFO"});
      } catch (const std::exception&) {
      }
      if (info.find("cluster_state:ok") != std::string::npos) break;
      if (std::chrono::steady_clock::now() > give_up) {
        throw std::runtime_error("cluster not ok on " + node->address() + ":\n" + info);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

std::string RedisClusterServers::id_of(const NodeAddress& address) {
  return node_at(address).command({"CLUSTER", "MYID"});
}

void RedisClusterServers::migrate_slot(int slot, const NodeAddress& from, const NodeAddress& to,
                                       std::chrono::milliseconds pause) {
  const std::string s = std::to_string(slot);
  node_at(to).command({"CLUSTER", "SETSLOT", s, "IMPORTING", id_of(from)});
  node_at(from).command({"CLUSTER", "SETSLOT", s, "MIGRATING", id_of(to)});
  RedisConnection source(node_at(from).config());
  while (true) {
    auto keys = source.command({"CLUSTER", "GETKEYSINSLOT", s, "1"});
    if (!keys || !keys->is_array()) throw std::runtime_error("GETKEYSINSLOT failed");
    if (keys->size() == 0) break;
    node_at(from).command({"MIGRATE", to.host, std::to_string(to.port),
                           std::string(reply_str(keys->element(0))), "0", "5000"});
    std::this_thread::sleep_for(pause);
  }
  const std::string owner = id_of(to);
  for (auto& node : nodes_) {
    if (!node->process().running()) continue;
    RedisConnection connection(node->config());
    auto role = connection.command({"ROLE"});
    if (!role || !role->is_array() || reply_str(role->element(0)) != "master") continue;
    node->command({"CLUSTER", "SETSLOT", s, "NODE", owner});
  }
}

}  // namespace seckill::test
