#include "logic/decision.hpp"

#include <algorithm>
#include <map>

#include <hiredis/hiredis.h>

#include "common/redis_keys.hpp"

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
      max_ahead_ms_(std::to_string(config.max_deadline_ahead.count())) {}

Result<std::vector<Result<PurchaseReply>>> Decider::decide(
    RedisConnection& redis, const std::vector<PurchaseRequest>& requests) {
  // One script call per product: a product's keys share a hash tag, so each call stays on one
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
         std::to_string(index_of(group.reply_lists, request.reply_to))});
  }
  std::vector<LuaScript::Call> calls;
  calls.reserve(groups.size());
  for (auto& [product_id, group] : groups) {
    auto& keys = group.call.keys;
    keys = {keys::product(product_id), keys::buyers(product_id), keys::orders(product_id),
            keys::sales_rate(product_id)};
    for (std::int64_t second : group.deadline_seconds) {
      keys.push_back(keys::decisions(product_id, second));
    }
    keys.insert(keys.end(), group.reply_lists.begin(), group.reply_lists.end());
    std::vector<std::string> head = {std::to_string(product_id),
                                     reply_ttl_ms_,
                                     retention_ms_,
                                     std::to_string(group.positions.size()),
                                     std::to_string(group.deadline_seconds.size()),
                                     max_ahead_ms_};
    group.call.args.insert(group.call.args.begin(), head.begin(), head.end());
    calls.push_back(std::move(group.call));
  }

  auto replies = script_.run_batch(redis, calls);
  if (!replies) return replies.error();

  std::vector<Result<PurchaseReply>> decisions(requests.size(), Error{"not decided"});
  std::size_t call_index = 0;
  for (const auto& [product_id, group] : groups) {
    const RedisReply& reply = (*replies)[call_index++];
    for (std::size_t j = 0; j < group.positions.size(); ++j) {
      Result<PurchaseReply>& decision = decisions[group.positions[j]];
      if (reply.is_error()) {
        decision = Error{"script failed: " + std::string(reply.str())};
      } else if (!reply.is_array() || reply.size() != group.positions.size()) {
        decision = Error{"script returned an unexpected reply"};
      } else {
        decision = decode_reply(reply_str(reply.element(j)));
      }
    }
  }
  return decisions;
}

Result<QueueRound> Decider::decide_from_queue(RedisConnection& redis, int max) {
  auto reply = queue_script_.run(
      redis, {.keys = {keys::kRequests},
              .args = {std::to_string(max), reply_ttl_ms_, retention_ms_, max_ahead_ms_}});
  if (!reply) return reply.error();
  QueueRound round;
  if (reply->is_error()) {
    round.script_error = true;
    round.error = std::string(reply->str());
    return round;
  }
  bool well_formed = reply->is_array() && reply->size() >= 2;
  for (std::size_t i = 0; well_formed && i < reply->size(); ++i) {
    well_formed = reply->element(i)->type == REDIS_REPLY_INTEGER;
  }
  if (!well_formed) {
    round.script_error = true;
    round.error = "take_and_decide.lua returned an unexpected reply";
    return round;
  }
  round.taken = static_cast<std::size_t>(reply->element(0)->integer);
  round.stopped = reply->element(1)->integer != 0;
  for (std::size_t i = 2; i < reply->size(); ++i) {
    auto code = code_from_int(static_cast<int>(reply->element(i)->integer));
    round.codes.push_back(code ? *code : Code::kUnavailable);
  }
  return round;
}

}  // namespace seckill::logic
