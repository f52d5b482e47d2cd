#include "common/cluster/cluster_router.hpp"

#include <algorithm>
#include <optional>
#include <thread>

#include <glog/logging.h>
#include <hiredis/hiredis.h>

#include "common/redis/resp_command.hpp"

namespace seckill {
namespace {

// Redirects and retries of one command, at most: a slot that keeps moving is an outage.
constexpr int kMaxHops = 6;
constexpr std::chrono::milliseconds kTryAgainPause{25};

// "MOVED 3999 127.0.0.1:6381" / "ASK 3999 127.0.0.1:6381": the slot's node. An empty host
// (":6381", a node that does not know its own address) means the node that answered.
std::optional<NodeAddress> redirect_target(std::string_view error, const NodeAddress& answered) {
  const auto space = error.rfind(' ');
  if (space == std::string_view::npos) return std::nullopt;
  auto node = parse_node_address(error.substr(space + 1));
  if (node && node->host.empty()) node->host = answered.host;
  return node;
}

bool starts_with_word(std::string_view error, std::string_view word) {
  return error.starts_with(word) && (error.size() == word.size() || error[word.size()] == ' ');
}

// Replies of a node that cannot serve now: the cluster or the node is not ready.
bool is_unavailable(std::string_view error) {
  return starts_with_word(error, "CLUSTERDOWN") || starts_with_word(error, "LOADING") ||
         starts_with_word(error, "READONLY") || starts_with_word(error, "MASTERDOWN");
}

constexpr std::string_view kAsking = "*1\r\n$6\r\nASKING\r\n";

}  // namespace

ClusterRouter::ClusterRouter(RedisConfig base, std::vector<NodeAddress> seeds,
                             std::chrono::milliseconds refresh_interval)
    : base_(std::move(base)),
      seeds_(std::move(seeds)),
      refresh_interval_(refresh_interval),
      map_(ClusterMap::single(seeds_.empty() ? NodeAddress{base_.host, base_.port}
                                             : seeds_.front())) {
  if (seeds_.empty()) seeds_.push_back({base_.host, base_.port});
}

RedisConnection& ClusterRouter::connection(const NodeAddress& node) {
  auto& slot = connections_[node.text()];
  if (!slot) {
    RedisConfig config = base_;
    config.host = node.host;
    config.port = node.port;
    slot = std::make_unique<RedisConnection>(config);
  }
  return *slot;
}

Error ClusterRouter::fail(RedisErrc kind, bool maybe_applied, std::string message) {
  last_error_kind_ = kind;
  maybe_applied_ = maybe_applied;
  return Error{std::move(message)};
}

namespace {

// Appended piece by piece: GCC 12's -Wrestrict misreads a chain of string + at -O2.
void note_problem(std::string& problems, const NodeAddress& node, std::string_view problem) {
  problems.append(" ").append(node.text()).append(": ").append(problem).append(";");
}

}  // namespace

Status ClusterRouter::refresh() {
  // Known masters first (they are most likely up), then the seeds.
  std::vector<NodeAddress> candidates = map_.masters();
  for (const NodeAddress& seed : seeds_) {
    if (std::find(candidates.begin(), candidates.end(), seed) == candidates.end()) {
      candidates.push_back(seed);
    }
  }
  next_refresh_ = std::chrono::steady_clock::now() + refresh_interval_;
  std::string problems;
  for (const NodeAddress& node : candidates) {
    auto reply = connection(node).command({"CLUSTER", "SHARDS"});
    if (!reply) {
      note_problem(problems, node, reply.error().message);
      continue;
    }
    if (reply->is_error() && reply->str().find("cluster support disabled") != std::string::npos) {
      map_ = ClusterMap::single(node);  // a plain Redis serves every slot
    } else if (auto map = ClusterMap::from_shards(reply->raw())) {
      map_ = std::move(*map);
    } else {
      note_problem(problems, node, reply->str());
      continue;
    }
    map_read_ = true;
    refresh_due_ = false;
    return Done{};
  }
  refresh_due_ = true;
  return Error{"no node gave the slot map:" + problems};
}

void ClusterRouter::refresh_if_due() {
  if (!refresh_due_ && std::chrono::steady_clock::now() < next_refresh_) return;
  if (auto refreshed = refresh(); !refreshed) {
    LOG_EVERY_T(WARNING, 5) << "redis cluster: " << refreshed.error().message;
  }
}

const ClusterMap& ClusterRouter::map() {
  refresh_if_due();
  return map_;
}

bool is_redirect_error(std::string_view error) {
  return starts_with_word(error, "MOVED") || starts_with_word(error, "ASK") ||
         starts_with_word(error, "TRYAGAIN");
}

bool is_slot_unsettled(std::string_view error) {
  return is_redirect_error(error) || starts_with_word(error, "CLUSTERDOWN");
}

Result<RedisReply> ClusterRouter::command(const std::vector<std::string>& argv,
                                          std::string_view routing_key, bool single_key,
                                          std::chrono::milliseconds extra_timeout) {
  RespCommand written;
  for (const auto& argument : argv) written.arg(argument);
  return send_alone(written.text(), routing_key, single_key, extra_timeout);
}

Result<RedisReply> ClusterRouter::command_on(const NodeAddress& node,
                                             const std::vector<std::string>& argv) {
  RedisConnection& redis = connection(node);
  auto reply = redis.command(argv);
  if (!reply) {
    last_failed_ = &redis;
    return fail(redis.last_error_kind(), redis.last_failure_maybe_applied(),
                node.text() + ": " + reply.error().message);
  }
  return reply;
}

Result<RedisReply> ClusterRouter::send_alone(std::string_view resp, std::string_view routing_key,
                                             bool single_key,
                                             std::chrono::milliseconds extra_timeout) {
  refresh_if_due();
  const int slot = cluster_slot(routing_key);
  std::optional<NodeAddress> asking;  // set while following ASK
  for (int hop = 0; hop < kMaxHops; ++hop) {
    const NodeAddress* owner = asking ? &*asking : map_.owner(slot);
    if (owner == nullptr) {
      refresh_due_ = true;
      return fail(RedisErrc::kUnavailable, false,
                  "no master serves slot " + std::to_string(slot) + " now");
    }
    const NodeAddress node = *owner;
    RedisConnection& redis = connection(node);
    Result<RedisReply> reply = Error{""};
    // With ASKING first in the same round trip: ASKING only lasts for the next command.
    std::vector<std::string_view> commands;
    if (asking) commands.push_back(kAsking);
    commands.push_back(resp);
    auto replies = redis.pipeline_resp(commands, extra_timeout);
    if (replies) {
      reply = std::move(replies->back());
    } else {
      reply = replies.error();
    }
    if (!reply) {
      // The node is gone, or the connection broke: the map may be stale (a failover).
      refresh_due_ = true;
      last_failed_ = &redis;
      return fail(redis.last_error_kind(), redis.last_failure_maybe_applied(),
                  node.text() + ": " + reply.error().message);
    }
    if (!reply->is_error()) return reply;
    const std::string_view error = reply->str();
    if (starts_with_word(error, "MOVED")) {
      auto target = redirect_target(error, node);
      if (!target) return fail(RedisErrc::kProtocol, false, std::string(error));
      map_.move(slot, *target);
      refresh_due_ = true;
      asking.reset();
      ++redirects_;
      continue;
    }
    if (starts_with_word(error, "ASK")) {
      auto target = redirect_target(error, node);
      if (!target || !single_key) return reply;  // the caller decides; nothing was applied
      asking = *target;
      ++redirects_;
      continue;
    }
    if (starts_with_word(error, "TRYAGAIN")) {
      ++retries_;
      std::this_thread::sleep_for(kTryAgainPause * (hop + 1));
      continue;
    }
    if (is_unavailable(error)) {
      refresh_due_ = true;
      last_failed_ = &redis;
      return fail(RedisErrc::kUnavailable, false, node.text() + ": " + std::string(error));
    }
    return reply;  // an ordinary error reply: the caller's business
  }
  return fail(RedisErrc::kUnavailable, false,
              "slot " + std::to_string(slot) + " kept moving (" + std::to_string(kMaxHops) +
                  " redirects or retries)");
}

namespace {

// A reply that steers the client elsewhere: the command was not applied where it was sent.
bool is_redirect(const RedisReply& reply) {
  return reply.is_error() && is_redirect_error(reply.str());
}

}  // namespace

Result<std::vector<RedisReply>> ClusterRouter::pipeline(const std::vector<Routed>& commands,
                                                        std::chrono::milliseconds extra_timeout) {
  std::vector<RespCommand> written(commands.size());
  std::vector<RoutedResp> routed;
  routed.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    for (const auto& argument : commands[i].argv) written[i].arg(argument);
    routed.push_back({written[i].text(), commands[i].routing_key, commands[i].single_key});
  }
  return pipeline_resp(routed, extra_timeout);
}

Result<std::vector<RedisReply>> ClusterRouter::pipeline_resp(
    const std::vector<RoutedResp>& commands, std::chrono::milliseconds extra_timeout) {
  std::vector<bool> maybe_applied;
  auto each = pipeline_resp_each(commands, maybe_applied, extra_timeout);
  std::vector<RedisReply> out;
  out.reserve(each.size());
  for (std::size_t i = 0; i < each.size(); ++i) {
    if (!each[i]) {
      // All or nothing here: the call may have been applied when any command was answered or
      // may have been applied.
      bool any_applied = false;
      for (std::size_t j = 0; j < each.size(); ++j) {
        any_applied = any_applied || maybe_applied[j] || each[j].ok();
      }
      return fail(last_error_kind_, any_applied, each[i].error().message);
    }
    out.push_back(std::move(*each[i]));
  }
  return out;
}

std::vector<Result<RedisReply>> ClusterRouter::pipeline_resp_each(
    const std::vector<RoutedResp>& commands, std::vector<bool>& maybe_applied,
    std::chrono::milliseconds extra_timeout) {
  refresh_if_due();
  std::vector<Result<RedisReply>> out;
  out.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) out.emplace_back(Error{"not sent"});
  maybe_applied.assign(commands.size(), false);
  // What routes each command: its key, or for a keyless one the key of the command before it.
  std::vector<std::string_view> route_keys(commands.size());
  // The commands of each node, in their order; nodes in the order they first appear.
  std::vector<std::pair<NodeAddress, std::vector<std::size_t>>> by_node;
  std::vector<bool> sendable(commands.size(), false);
  for (std::size_t i = 0; i < commands.size(); ++i) {
    route_keys[i] = commands[i].routing_key;
    if (route_keys[i].empty() && i > 0) route_keys[i] = route_keys[i - 1];
    const int slot = cluster_slot(route_keys[i]);
    const NodeAddress* owner = map_.owner(slot);
    if (owner == nullptr) {
      refresh_due_ = true;
      last_error_kind_ = RedisErrc::kUnavailable;
      out[i] = Error{"no master serves slot " + std::to_string(slot) + " now"};
      continue;
    }
    sendable[i] = true;
    auto it = std::find_if(by_node.begin(), by_node.end(),
                           [&](const auto& entry) { return entry.first == *owner; });
    if (it == by_node.end()) it = by_node.insert(by_node.end(), {*owner, {}});
    it->second.push_back(i);
  }
  std::vector<std::string_view> batch;
  for (const auto& [node, indexes] : by_node) {
    batch.clear();
    for (std::size_t i : indexes) batch.push_back(commands[i].resp);
    RedisConnection& redis = connection(node);
    auto replies = redis.pipeline_resp(batch, extra_timeout);
    if (!replies) {
      // This node only: the others' commands were (or will be) answered on their own.
      refresh_due_ = true;
      last_failed_ = &redis;
      last_error_kind_ = redis.last_error_kind();
      for (std::size_t i : indexes) {
        out[i] = Error{node.text() + ": " + replies.error().message};
        maybe_applied[i] = redis.last_failure_maybe_applied();
        sendable[i] = false;
      }
      continue;
    }
    for (std::size_t j = 0; j < indexes.size(); ++j) out[indexes[j]] = std::move((*replies)[j]);
  }
  bool resent_previous = false;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (!sendable[i]) {
      resent_previous = false;
      continue;
    }
    // A keyless command that followed a redirected one ran on the wrong node: it goes again,
    // after the command it follows (a WAIT must count the replicas of the node that wrote).
    const bool follows_resent = commands[i].routing_key.empty() && i > 0 && resent_previous;
    resent_previous = false;
    if (is_redirect(*out[i]) || follows_resent) {
      // Not applied where it went: send it alone, following the redirect.
      out[i] = send_alone(commands[i].resp, route_keys[i], commands[i].single_key, extra_timeout);
      if (!out[i]) maybe_applied[i] = maybe_applied_;
      resent_previous = true;
    } else if (out[i]->is_error() && is_unavailable(out[i]->str())) {
      refresh_due_ = true;  // handed back as it is: the caller treats it as unavailable
    }
  }
  return out;
}

std::string ClusterRouter::node_of(std::string_view key) {
  refresh_if_due();
  const NodeAddress* owner = map_.owner(cluster_slot(key));
  return owner == nullptr ? std::string() : owner->text();
}

void ClusterRouter::keep_alive() {
  for (auto& [name, redis] : connections_) redis->keep_alive();
}

void ClusterRouter::wait_before_retry(std::chrono::milliseconds cap) const {
  if (last_failed_ != nullptr) last_failed_->wait_before_retry(cap);
}

}  // namespace seckill
