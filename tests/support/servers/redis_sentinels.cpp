#include "tests/support/servers/redis_sentinels.hpp"

#include <stdexcept>
#include <thread>

#include <hiredis/hiredis.h>

#include "common/redis/redis_connection.hpp"
#include "tests/support/free_port.hpp"

namespace seckill::test {
namespace {

using namespace std::chrono_literals;

// What ROLE says the node on `port` is: "master", "slave", or "" when it does not answer.
std::string role_of(int port) {
  RedisConfig config;
  config.port = port;
  RedisConnection connection(config);
  auto reply = connection.command({"ROLE"});
  if (!reply || !reply->is_array() || reply->size() == 0) return "";
  return std::string(reply_str(reply->element(0)));
}

}  // namespace

RedisSentinels::RedisSentinels()
    // Redis 7.0 delays a diskless full sync by 5 s to gather replicas: not in a test.
    : first_master_(std::make_unique<RedisServer>(
          std::vector<std::string>{"--repl-diskless-sync-delay", "0"})),
      first_replica_(std::make_unique<RedisServer>(std::vector<std::string>{
          "--replicaof", "127.0.0.1", std::to_string(first_master_->port()),
          "--repl-diskless-sync-delay", "0"})) {
  sentinels_.reserve(3);
  for (int i = 0; i < 3; ++i) start_sentinel(i);
  wait_ready();
}

void RedisSentinels::start_sentinel(int i) {
  const std::string name = "sentinel" + std::to_string(i);
  // A free port can be taken by another test before the sentinel binds it (a cluster node's
  // bus port, say): then the sentinel exits, and it is started again on another port.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port = free_port();
    // Sentinel rewrites its config file: each gets its own, in our temporary folder.
    const std::string file = dir_.write(
        name + ".conf", "port " + std::to_string(port) + "\nbind 127.0.0.1\ndir " + dir_.path() +
                            "\nsentinel monitor " + kMasterName + " 127.0.0.1 " +
                            std::to_string(first_master_->port()) +
                            " 2\nsentinel down-after-milliseconds " + kMasterName +
                            " 1000\nsentinel failover-timeout " + kMasterName + " 5000\n");
    if (sentinels_.size() <= static_cast<std::size_t>(i)) {
      sentinels_.emplace_back();
      ports_.push_back(port);
    }
    ports_[static_cast<std::size_t>(i)] = port;
    ChildProcess& sentinel = sentinels_[static_cast<std::size_t>(i)];
    sentinel.start({"/usr/bin/redis-sentinel", file}, dir_.file(name + ".log"));
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    while (sentinel.running() && std::chrono::steady_clock::now() < give_up) {
      if (sentinel_command(static_cast<std::size_t>(i), {"PING"}) == "PONG") return;
      std::this_thread::sleep_for(20ms);
    }
    sentinel.stop();
  }
  throw std::runtime_error(name + " did not start; log:\n" +
                           sentinels_[static_cast<std::size_t>(i)].log_tail());
}

RedisSentinels::~RedisSentinels() {
  for (auto& sentinel : sentinels_) sentinel.stop();
}

RedisConfig RedisSentinels::config() const {
  RedisConfig config;
  config.sentinels = sentinel_addresses();
  config.master_name = kMasterName;
  return config;
}

std::vector<NodeAddress> RedisSentinels::sentinel_addresses() const {
  std::vector<NodeAddress> addresses;
  for (int port : ports_) addresses.push_back({"127.0.0.1", port});
  return addresses;
}

std::string RedisSentinels::redis_json() const {
  std::string list;
  for (const NodeAddress& sentinel : sentinel_addresses()) {
    list += (list.empty() ? "\"" : ",\"") + sentinel.text() + "\"";
  }
  return R"("redis":{"mode":"sentinel","master_name":")" + std::string(kMasterName) +
         R"(","sentinels":[)" + list + "]}";
}

std::string RedisSentinels::sentinel_command(std::size_t i,
                                             const std::vector<std::string>& argv) const {
  RedisConfig config;
  config.port = ports_.at(i);
  RedisConnection connection(config);
  auto reply = connection.command(argv);
  if (!reply) return "";
  if (!reply->is_array()) return std::string(reply->str());
  // get-master-addr-by-name: [host, port] as "host:port"; lists (replicas, sentinels): their
  // length.
  if (reply->size() == 2 && reply->element(0)->type == REDIS_REPLY_STRING) {
    return std::string(reply_str(reply->element(0))) + ":" +
           std::string(reply_str(reply->element(1)));
  }
  return std::to_string(reply->size());
}

NodeAddress RedisSentinels::master() const {
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    auto named = parse_node_address(
        sentinel_command(i, {"SENTINEL", "get-master-addr-by-name", kMasterName}));
    if (named) return *named;
  }
  throw std::runtime_error("no sentinel names the master");
}

RedisServer& RedisSentinels::server_at(const NodeAddress& node) {
  if (node.port == first_master_->port()) return *first_master_;
  if (node.port == first_replica_->port()) return *first_replica_;
  throw std::runtime_error("no server on " + node.text());
}

RedisServer& RedisSentinels::replica_of(const NodeAddress& master) {
  return master.port == first_master_->port() ? *first_replica_ : *first_master_;
}

void RedisSentinels::wait_ready() {
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  // The replica has finished its first sync (until then a failover would promote an empty one).
  while (first_master_->command({"INFO", "replication"}).find("state=online") ==
         std::string::npos) {
    if (std::chrono::steady_clock::now() > give_up) throw std::runtime_error("replica not synced");
    std::this_thread::sleep_for(50ms);
  }
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    while (sentinel_command(i, {"SENTINEL", "replicas", kMasterName}) != "1" ||
           sentinel_command(i, {"SENTINEL", "sentinels", kMasterName}) != "2") {
      if (std::chrono::steady_clock::now() > give_up) {
        throw std::runtime_error("sentinels not ready; log:\n" + sentinels_[i].log_tail());
      }
      std::this_thread::sleep_for(100ms);
    }
  }
}

NodeAddress RedisSentinels::fail_over() {
  const NodeAddress before = master();
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  // Refused while the replica is not yet known good ("NOGOODSLAVE"): ask again.
  while (sentinel_command(0, {"SENTINEL", "FAILOVER", kMasterName}) != "OK") {
    if (std::chrono::steady_clock::now() > give_up) throw std::runtime_error("failover refused");
    std::this_thread::sleep_for(200ms);
  }
  return wait_for_new_master(before);
}

NodeAddress RedisSentinels::wait_for_new_master(const NodeAddress& before) {
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (true) {
    bool all_agree = true;
    std::optional<NodeAddress> named;
    for (std::size_t i = 0; i < ports_.size() && all_agree; ++i) {
      auto now = parse_node_address(
          sentinel_command(i, {"SENTINEL", "get-master-addr-by-name", kMasterName}));
      all_agree = now && !(*now == before) && (!named || *named == *now);
      named = now;
    }
    if (all_agree && named) {
      if (role_of(named->port) == "master") return *named;
    }
    if (std::chrono::steady_clock::now() > give_up) throw std::runtime_error("failover stuck");
    std::this_thread::sleep_for(100ms);
  }
}

}  // namespace seckill::test
