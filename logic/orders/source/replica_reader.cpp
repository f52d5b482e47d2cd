#include "logic/orders/source/replica_reader.hpp"

#include <charconv>

#include <glog/logging.h>

namespace seckill::orders {
namespace {

// The value of `name` in "a=1,b=2" ("" when absent).
std::string_view field(std::string_view fields, std::string_view name) {
  while (!fields.empty()) {
    const auto comma = fields.find(',');
    const std::string_view item = fields.substr(0, comma);
    if (item.size() > name.size() && item.substr(0, name.size()) == name &&
        item[name.size()] == '=') {
      return item.substr(name.size() + 1);
    }
    if (comma == std::string_view::npos) break;
    fields.remove_prefix(comma + 1);
  }
  return {};
}

std::int64_t to_number(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

}  // namespace

std::vector<ReplicaInfo> parse_replicas(std::string_view info) {
  std::vector<ReplicaInfo> replicas;
  while (!info.empty()) {
    const auto end = info.find('\n');
    std::string_view line = info.substr(0, end);
    info.remove_prefix(end == std::string_view::npos ? info.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // "slave<N>:" then the fields; "slave_read_only:1" and friends are not replicas.
    if (line.substr(0, 5) != "slave") continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 5) continue;
    const std::string_view number = line.substr(5, colon - 5);
    if (number.find_first_not_of("0123456789") != std::string_view::npos) continue;
    const std::string_view fields = line.substr(colon + 1);
    ReplicaInfo replica;
    replica.address.host = std::string(field(fields, "ip"));
    replica.address.port = static_cast<int>(to_number(field(fields, "port")));
    replica.online = field(fields, "state") == "online";
    replica.offset = to_number(field(fields, "offset"));
    if (!replica.address.host.empty() && replica.address.port > 0) replicas.push_back(replica);
  }
  return replicas;
}

ReplicaReader::ReplicaReader(RedisClient& masters) : masters_(masters) {}

ReplicaReader::~ReplicaReader() = default;

Result<RedisConnection*> ReplicaReader::replica_of(const std::string& key) {
  auto info = masters_.command_beside(key, {"INFO", "replication"});
  if (!info) return info.error();
  if (info->is_error()) return Error{"INFO replication: " + std::string(info->str())};
  // The replica furthest behind: what it has, every online replica has, so whichever a
  // failover promotes holds every entry read.
  const ReplicaInfo* best = nullptr;
  const auto replicas = parse_replicas(info->str());
  for (const auto& replica : replicas) {
    if (replica.online && (best == nullptr || replica.offset < best->offset)) best = &replica;
  }
  const std::string master = masters_.is_cluster() ? masters_.node_of(key) : "the master";
  if (best == nullptr) return Error{"no online replica of " + master + " to read from"};
  if (auto& chosen = chosen_[master]; chosen != best->address.text()) {
    LOG(INFO) << "orders: reading the streams of " << master << " on its replica "
              << best->address.text();
    chosen = best->address.text();
  }
  auto& connection = replicas_[best->address.text()];
  if (!connection) {
    RedisConfig config;
    config.host = best->address.host;
    config.port = best->address.port;
    config.connect_timeout = masters_.config().connect_timeout;
    config.socket_timeout = masters_.config().socket_timeout;
    connection = std::make_unique<RedisConnection>(config);
  }
  return connection.get();
}

Result<std::vector<RedisReply>> ReplicaReader::pipeline(
    const std::vector<std::string>& keys, const std::vector<std::vector<std::string>>& commands) {
  // The commands of each master, in order; one round trip to its replica each.
  std::map<std::string, std::vector<std::size_t>> by_master;
  for (std::size_t i = 0; i < keys.size(); ++i) by_master[masters_.node_of(keys[i])].push_back(i);
  std::vector<std::optional<RedisReply>> replies(commands.size());
  for (const auto& [master, indexes] : by_master) {
    auto replica = replica_of(keys[indexes.front()]);
    if (!replica) return replica.error();
    std::vector<std::vector<std::string>> batch;
    // A cluster replica serves its master's slots only to a connection that said READONLY; said
    // on every batch, so a reconnect in between cannot lose it.
    if (masters_.is_cluster()) batch.push_back({"READONLY"});
    for (auto i : indexes) batch.push_back(commands[i]);
    auto answered = (*replica)->pipeline(batch);
    if (!answered)
      return Error{"replica " + (*replica)->config().host + ":" +
                   std::to_string((*replica)->config().port) + ": " + answered.error().message};
    std::size_t next = masters_.is_cluster() ? 1 : 0;
    for (auto i : indexes) replies[i] = std::move((*answered)[next++]);
  }
  std::vector<RedisReply> ordered;
  ordered.reserve(replies.size());
  for (auto& reply : replies) ordered.push_back(std::move(*reply));
  return ordered;
}

}  // namespace seckill::orders
