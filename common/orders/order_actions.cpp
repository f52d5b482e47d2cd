#include "common/orders/order_actions.hpp"

namespace seckill {

extern const std::string_view kPayOrderScript;
extern const std::string_view kCancelOrderScript;

OrderActions::OrderActions(RedisClient& redis, const RedisConfig& config)
    : redis_(redis),
      ack_replicas_(config.ack_replicas),
      wait_timeout_(config.wait_timeout),
      pay_script_(kPayOrderScript),
      cancel_script_(kCancelOrderScript) {}

Result<OrderOutcome> OrderActions::pay(keys::GroupId group, const Payment& payment) {
  return run(
      pay_script_, group, payment.order_id,
      {payment.order_id, payment.payment_id, std::to_string(payment.amount), payment.currency});
}

Result<OrderOutcome> OrderActions::cancel(keys::GroupId group, const std::string& order_id) {
  return run(cancel_script_, group, order_id, {order_id});
}

Result<OrderOutcome> OrderActions::run(LuaScript& script, keys::GroupId group,
                                       const std::string& order_id, std::vector<std::string> args) {
  auto product = product_of_order(order_id);
  if (!product) {
    OrderOutcome unknown;
    unknown.outcome = "unknown_order";
    return unknown;
  }
  const std::string records = keys::order_records(group, *product);
  auto reply = script.run(redis_, {.keys = {records}, .args = std::move(args)});
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{std::string(reply->str())};
  if (!reply->is_array() || reply->size() < 3) return Error{"unexpected reply from order script"};
  OrderOutcome outcome;
  outcome.outcome = reply_str(reply->element(0));
  outcome.state = reply_str(reply->element(1));
  outcome.version = reply_integer(reply->element(2));
  if (reply->size() > 3) outcome.detail = reply_str(reply->element(3));
  if (ack_replicas_ > 0) {
    // On the master that ran the script (a keyless WAIT follows the key's node).
    auto acked = redis_.command_beside(
        records, {"WAIT", std::to_string(ack_replicas_), std::to_string(wait_timeout_.count())});
    outcome.confirmed = acked && acked->is_integer() && acked->integer() >= ack_replicas_;
  }
  return outcome;
}

}  // namespace seckill
