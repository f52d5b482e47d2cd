#include "common/redis/redis_client.hpp"

#include "common/redis/command_keys.hpp"

namespace seckill {

RedisClient::RedisClient(RedisConfig config) : config_(std::move(config)) {
  if (uses_cluster(config_)) {
    router_ = std::make_unique<ClusterRouter>(config_, config_.cluster_nodes);
  } else {
    single_ = std::make_unique<RedisConnection>(config_);
  }
}

RedisClient::~RedisClient() = default;

Result<RedisReply> RedisClient::command(const std::vector<std::string>& argv,
                                        std::chrono::milliseconds extra_timeout) {
  if (single_) return single_->command(argv, extra_timeout);
  const CommandRoute route = route_of(argv);
  return router_->command(argv, route.key, route.single_key, extra_timeout);
}

Result<RedisReply> RedisClient::command_beside(std::string_view routing_key,
                                               const std::vector<std::string>& argv) {
  if (single_) return single_->command(argv);
  return router_->command(argv, routing_key, false);
}

Result<std::vector<RedisReply>> RedisClient::pipeline(
    const std::vector<std::vector<std::string>>& commands,
    std::chrono::milliseconds extra_timeout) {
  if (single_) return single_->pipeline(commands, extra_timeout);
  std::vector<ClusterRouter::Routed> routed;
  routed.reserve(commands.size());
  for (const auto& argv : commands) {
    const CommandRoute route = route_of(argv);
    routed.push_back({argv, std::string(route.key), route.single_key});
  }
  return router_->pipeline(routed, extra_timeout);
}

std::vector<Result<RedisReply>> RedisClient::pipeline_resp_each(
    const std::vector<std::string_view>& commands,
    const std::vector<std::string_view>& routing_keys, std::vector<bool>& maybe_applied,
    std::chrono::milliseconds extra_timeout) {
  if (router_) {
    std::vector<ClusterRouter::RoutedResp> routed;
    routed.reserve(commands.size());
    for (std::size_t i = 0; i < commands.size(); ++i) {
      routed.push_back({commands[i], i < routing_keys.size() ? routing_keys[i] : "", true});
    }
    return router_->pipeline_resp_each(routed, maybe_applied, extra_timeout);
  }
  std::vector<Result<RedisReply>> out;
  out.reserve(commands.size());
  auto replies = single_->pipeline_resp(commands, extra_timeout);
  maybe_applied.assign(commands.size(), !replies && single_->last_failure_maybe_applied());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (replies) {
      out.emplace_back(std::move((*replies)[i]));
    } else {
      out.emplace_back(replies.error());
    }
  }
  return out;
}

Result<std::vector<RedisClient::NodeReply>> RedisClient::on_every_master(
    const std::vector<std::string>& argv) {
  std::vector<NodeReply> replies;
  if (single_) {
    auto reply = single_->command(argv);
    if (!reply) return reply.error();
    replies.push_back({describe(config_), std::move(*reply)});
    return replies;
  }
  const std::vector<NodeAddress> nodes = router_->map().masters();
  if (nodes.empty()) return Error{"the cluster has no master now"};
  for (const NodeAddress& node : nodes) {
    auto reply = router_->command_on(node, argv);
    if (!reply) return reply.error();
    replies.push_back({node.text(), std::move(*reply)});
  }
  return replies;
}

std::string RedisClient::node_of(std::string_view key) {
  return single_ ? std::string() : router_->node_of(key);
}

RedisErrc RedisClient::last_error_kind() const {
  return single_ ? single_->last_error_kind() : router_->last_error_kind();
}

bool RedisClient::last_failure_maybe_applied() const {
  return single_ ? single_->last_failure_maybe_applied() : router_->last_failure_maybe_applied();
}

void RedisClient::keep_alive() {
  if (single_) {
    single_->keep_alive();
  } else {
    router_->keep_alive();
  }
}

void RedisClient::wait_before_retry(std::chrono::milliseconds cap) const {
  if (single_) {
    single_->wait_before_retry(cap);
  } else {
    router_->wait_before_retry(cap);
  }
}

Result<std::string> eviction_problem(RedisClient& redis) {
  auto infos = redis.on_every_master({"INFO", "memory"});
  if (!infos) return infos.error();
  for (const auto& [node, info] : *infos) {
    if (!info.is_string()) return Error{node + ": INFO refused: " + std::string(info.str())};
    const std::string_view policy = maxmemory_policy(info.str());
    if (policy != "noeviction") {
      std::string problem = node;
      problem.append(": '").append(policy).append("'");
      return problem;
    }
  }
  return std::string();
}

}  // namespace seckill
