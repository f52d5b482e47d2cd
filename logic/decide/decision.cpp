#include "logic/decide/decision.hpp"

#include <algorithm>
#include <map>

#include <hiredis/hiredis.h>

#include "common/store/redis_keys.hpp"

namespace seckill {
extern const std::string_view kDecideScript;
extern const std::string_view kTakeAndDecideScript;
}  // namespace seckill

namespace seckill::logic {
namespace {

// The requests of one product within a batch, in arrival order, as one script call.
struct ProductGroup {
  std::vector<std::size_t> positions;          // indexes into the batch
  std::vector<std::int64_t> deadline_seconds;  // distinct, in first-seen order
  std::vector<std::string> reply_lists;        // distinct, in first-seen order
  LuaScript::Call call;
};

// 1-based position of `value` in `values`, appended when new (the script's indexes).
template <class T>
std::size_t index_of(std::vector<T>& values, const T& value) {
  auto it = std::find(values.begin(), values.end(), value);
  if (it == values.end()) it = values.insert(values.end(), value);
  return static_cast<std::size_t>(it - values.begin()) + 1;
}

}  // namespace

Decider::Decider(const LogicConfig& config)
    : script_(kDecideScript),
      queue_script_(kTakeAndDecideScript),
      reply_ttl_ms_(std::to_string(config.reply_ttl.count())),
      retention_ms_(std::to_string(config.decision_retention.count())),
      max_ahead_ms_(std::to_string(config.max_deadline_ahead.count())),
      // The script pushes the replies itself unless they must wait for replicas, or the reply
      // lists live on other masters (a cluster: a script only reaches its own slot).
      push_in_script_(config.redis.ack_replicas > 0 || uses_cluster(config.redis) ? "0" : "1") {
  if (config.redis.ack_replicas > 0) {
    // Pipelined right behind the script: one round trip. (WAIT cannot run inside a script.)
    wait_.push_back({"WAIT", std::to_string(config.redis.ack_replicas),
                     std::to_string(config.redis.wait_timeout.count())});
  }
}

namespace {

// WAIT's answer at `index` of `replies` (0 when it is not an integer: nothing confirmed).
std::int64_t acked_at(const std::vector<RedisReply>& replies, std::size_t index) {
  if (index >= replies.size() || !replies[index].is_integer()) return 0;
  return replies[index].integer();
}

}  // namespace

Result<std::vector<Result<PurchaseReply>>> Decider::decide(
    RedisClient& redis, keys::GroupId group_id, const std::vector<PurchaseRequest>& requests) {
  // One script call per product: the group's keys share its hash tag, so each call stays on one
  // slot, and the script applies the rules per request in arrival order.
  std::map<ProductId, ProductGroup> groups;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const PurchaseRequest& request = requests[i];
    ProductGroup& group = groups[request.product_id];
    group.positions.push_back(i);
    const std::int64_t second = request.deadline_ms / 1000;
    group.call.args.insert(
        group.call.args.end(),
        {request.id, std::to_string(request.user_id), std::to_string(request.deadline_ms),
         std::to_string(index_of(group.deadline_seconds, second)),
         std::to_string(index_of(group.reply_lists, request.reply_to)),
         std::to_string(request.quantity)});
  }
  std::vector<LuaScript::Call> calls;
  calls.reserve(groups.size());
  for (auto& [product_id, group] : groups) {
    auto& keys = group.call.keys;
    keys = {keys::product(group_id, product_id), keys::buyers(group_id, product_id),
            keys::orders(group_id, product_id), keys::sales_rate(group_id, product_id)};
    for (std::int64_t second : group.deadline_seconds) {
      keys.push_back(keys::decisions(group_id, product_id, second));
    }
    // The reply lists are names, not keys: under the proxies' tags, outside the group's slot.
    std::vector<std::string> head = {std::to_string(product_id),
                                     reply_ttl_ms_,
                                     retention_ms_,
                                     std::to_string(group.positions.size()),
                                     std::to_string(group.deadline_seconds.size()),
                                     max_ahead_ms_,
                                     push_in_script_,
                                     std::to_string(group.reply_lists.size())};
    head.insert(head.end(), group.reply_lists.begin(), group.reply_lists.end());
    group.call.args.insert(group.call.args.begin(), head.begin(), head.end());
    calls.push_back(std::move(group.call));
  }

  last_acked_.reset();
  auto replies = script_.run_batch(redis, calls, wait_);
  if (!replies) return replies.error();
  if (!wait_.empty()) last_acked_ = acked_at(*replies, calls.size());

  std::vector<Result<PurchaseReply>> decisions(requests.size(), Error{"not decided"});
  std::size_t call_index = 0;
  for (const auto& [product_id, group] : groups) {
    const RedisReply& reply = (*replies)[call_index++];
    for (std::size_t j = 0; j < group.positions.size(); ++j) {
      Result<PurchaseReply>& decision = decisions[group.positions[j]];
      if (reply.is_error()) {
        decision = Error{std::string(kScriptFailed) + std::string(reply.str())};
      } else if (!reply.is_array() || reply.size() != group.positions.size()) {
        decision = Error{"script returned an unexpected reply"};
      } else {
        decision = decode_reply(reply_str(reply.element(j)));
      }
    }
  }
  return decisions;
}

namespace {

// One take_and_decide.lua reply: {taken, stopped, {codes...}, {list, {replies...}, ...}}.
void read_round(const RedisReply& reply, QueueRound& round) {
  if (reply.is_error()) {
    round.script_error = true;
    round.error = std::string(reply.str());
    return;
  }
  auto is = [&](std::size_t i, int type) {
    return reply.size() > i && reply.element(i)->type == type;
  };
  if (!reply.is_array() || reply.size() != 4 || !is(0, REDIS_REPLY_INTEGER) ||
      !is(1, REDIS_REPLY_INTEGER) || !is(2, REDIS_REPLY_ARRAY) || !is(3, REDIS_REPLY_ARRAY)) {
    round.script_error = true;
    round.error = "take_and_decide.lua returned an unexpected reply";
    return;
  }
  round.taken = static_cast<std::size_t>(reply.element(0)->integer);
  round.stopped = reply.element(1)->integer != 0;
  const redisReply* codes = reply.element(2);
  for (std::size_t i = 0; i < codes->elements; ++i) {
    auto code = code_from_int(static_cast<int>(codes->element[i]->integer));
    round.codes.push_back(code ? *code : Code::kUnavailable);
  }
  const redisReply* unpushed = reply.element(3);
  for (std::size_t i = 0; i + 1 < unpushed->elements; i += 2) {
    auto& [list, list_replies] = round.unpushed.emplace_back();
    list = reply_str(unpushed->element[i]);
    const redisReply* texts = unpushed->element[i + 1];
    for (std::size_t j = 0; j < texts->elements; ++j) {
      list_replies.emplace_back(reply_str(texts->element[j]));
    }
  }
}

}  // namespace

Result<std::vector<QueueRound>> Decider::decide_from_queues(
    RedisClient& redis, const std::vector<keys::GroupId>& groups, int max) {
  // One batch of scripts per node (one, outside cluster mode), each with its own WAIT behind
  // it: a WAIT counts the replicas of the node it runs on.
  std::vector<std::pair<std::string, std::vector<std::size_t>>> by_node;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::string node = redis.node_of(keys::requests(groups[i]));
    auto it = std::find_if(by_node.begin(), by_node.end(),
                           [&](const auto& entry) { return entry.first == node; });
    if (it == by_node.end()) it = by_node.insert(by_node.end(), {std::move(node), {}});
    it->second.push_back(i);
  }
  const std::string count = std::to_string(max);
  std::vector<QueueRound> rounds(groups.size());
  std::optional<Error> failure;
  std::size_t failed_nodes = 0;
  for (const auto& [node, indexes] : by_node) {
    std::vector<LuaScript::Call> calls;
    calls.reserve(indexes.size());
    for (std::size_t i : indexes) {
      calls.push_back(
          {.keys = {keys::requests(groups[i])},
           .args = {count, reply_ttl_ms_, retention_ms_, max_ahead_ms_, push_in_script_}});
    }
    auto replies = queue_script_.run_batch(redis, calls, wait_);
    std::optional<std::int64_t> acked;
    if (replies && !wait_.empty()) acked = acked_at(*replies, calls.size());
    for (std::size_t j = 0; j < indexes.size(); ++j) {
      QueueRound& round = rounds[indexes[j]];
      round.group = groups[indexes[j]];
      if (!replies) {
        // This node is away; the others go on. Its scripts ran entirely or not at all.
        round.unavailable = true;
        round.error = replies.error().message;
        continue;
      }
      round.acked = acked;
      read_round((*replies)[j], round);
    }
    if (!replies) {
      ++failed_nodes;
      if (!failure) failure = replies.error();
    }
  }
  if (failed_nodes == by_node.size() && failure) return *failure;
  return rounds;
}

}  // namespace seckill::logic
