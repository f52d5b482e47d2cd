#include "common/store/lua_script.hpp"

#include <algorithm>

namespace seckill {
namespace {

bool is_noscript(const RedisReply& reply) {
  return reply.is_error() && reply.str().starts_with("NOSCRIPT");
}

}  // namespace

std::atomic<std::uint64_t>& LuaScript::reloads_after_noscript() {
  static std::atomic<std::uint64_t> reloads{0};
  return reloads;
}

std::string_view LuaScript::first_key(const Call& call) {
  return call.keys.empty() ? std::string_view() : std::string_view(call.keys.front());
}

Status LuaScript::load(RedisClient& redis, std::string_view beside) {
  // On a cluster each master has its own script cache: load it where the call goes.
  auto reply = redis.command_beside(beside, {"SCRIPT", "LOAD", source_});
  if (!reply) return reply.error();
  if (!reply->is_string()) return Error{"SCRIPT LOAD failed: " + std::string(reply->str())};
  sha_ = reply->str();
  return Done{};
}

std::vector<std::string> LuaScript::evalsha(const Call& call) const {
  std::vector<std::string> command;
  command.reserve(3 + call.keys.size() + call.args.size());
  command.emplace_back("EVALSHA");
  command.push_back(sha_);
  command.push_back(std::to_string(call.keys.size()));
  command.insert(command.end(), call.keys.begin(), call.keys.end());
  command.insert(command.end(), call.args.begin(), call.args.end());
  return command;
}

Result<std::vector<RedisReply>> LuaScript::run_batch(
    RedisClient& redis, const std::vector<Call>& calls,
    const std::vector<std::vector<std::string>>& trailing) {
  if (sha_.empty() && !calls.empty()) {
    if (auto loaded = load(redis, first_key(calls.front())); !loaded) return loaded.error();
  }
  std::vector<std::vector<std::string>> commands;
  commands.reserve(calls.size() + trailing.size());
  for (const auto& call : calls) commands.push_back(evalsha(call));
  commands.insert(commands.end(), trailing.begin(), trailing.end());
  auto replies = redis.pipeline(commands);
  if (!replies) return replies.error();

  // Redis lost its script cache (restart, failover, SCRIPT FLUSH): load and redo those calls,
  // and the trailing commands after them (a WAIT must follow the writes it confirms).
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (is_noscript((*replies)[i])) missing.push_back(i);
  }
  if (missing.empty()) return replies;
  reloads_after_noscript().fetch_add(1, std::memory_order_relaxed);
  std::vector<std::string> loaded_on;  // nodes (one, "", outside cluster mode)
  for (std::size_t i : missing) {
    std::string node = redis.node_of(first_key(calls[i]));
    if (std::find(loaded_on.begin(), loaded_on.end(), node) != loaded_on.end()) continue;
    if (auto loaded = load(redis, first_key(calls[i])); !loaded) return loaded.error();
    loaded_on.push_back(std::move(node));
  }
  std::vector<std::vector<std::string>> retries;
  for (std::size_t i : missing) retries.push_back(evalsha(calls[i]));
  retries.insert(retries.end(), trailing.begin(), trailing.end());
  auto retried = redis.pipeline(retries);
  if (!retried) return retried.error();
  for (std::size_t j = 0; j < missing.size(); ++j) {
    (*replies)[missing[j]] = std::move((*retried)[j]);
  }
  for (std::size_t j = 0; j < trailing.size(); ++j) {
    (*replies)[calls.size() + j] = std::move((*retried)[missing.size() + j]);
  }
  return replies;
}

Result<RedisReply> LuaScript::run(RedisClient& redis, const Call& call) {
  auto replies = run_batch(redis, {call});
  if (!replies) return replies.error();
  return std::move(replies->front());
}

}  // namespace seckill
