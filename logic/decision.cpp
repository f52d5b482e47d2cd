#include "logic/decision.hpp"

#include "common/redis_keys.hpp"

namespace seckill {
extern const std::string_view kDecideScript;
}

namespace seckill::logic {

Decider::Decider(const LogicConfig& config)
    : script_(kDecideScript),
      reply_ttl_ms_(std::to_string(config.reply_ttl.count())),
      retention_ms_(std::to_string(config.decision_retention.count())) {}

Result<std::vector<Result<PurchaseReply>>> Decider::decide(
    RedisConnection& redis, const std::vector<PurchaseRequest>& requests) {
  std::vector<LuaScript::Call> calls;
  calls.reserve(requests.size());
  for (const auto& request : requests) {
    calls.push_back(LuaScript::Call{
        .keys = {keys::product(request.product_id), keys::buyers(request.product_id),
                 keys::orders(request.product_id), keys::decision(request.product_id, request.id),
                 request.reply_to},
        .args = {request.id, std::to_string(request.user_id), std::to_string(request.deadline_ms),
                 reply_ttl_ms_, retention_ms_, std::to_string(request.product_id)},
    });
  }
  auto replies = script_.run_batch(redis, calls);
  if (!replies) return replies.error();

  std::vector<Result<PurchaseReply>> decisions;
  decisions.reserve(replies->size());
  for (const auto& reply : *replies) {
    if (!reply.is_string() || reply.is_error()) {
      decisions.emplace_back(Error{"script failed: " + std::string(reply.str())});
    } else {
      decisions.push_back(decode_reply(reply.str()));
    }
  }
  return decisions;
}

}  // namespace seckill::logic
