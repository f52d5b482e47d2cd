#include "common/orders/order_actions.hpp"

#include <algorithm>

namespace seckill {

extern const std::string_view kPayOrderScript;
extern const std::string_view kCancelOrderScript;

std::optional<ProductId> product_of_order(std::string_view order_id) {
  const auto dash = order_id.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto product = parse_id(order_id.substr(0, dash));
  auto seq = parse_id(order_id.substr(dash + 1));
  if (!product || !seq || *product < 1 || *seq < 1) return std::nullopt;
  return *product;
}

bool is_payment_id(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

OrderActions::OrderActions(RedisClient& redis)
    : redis_(redis), pay_script_(kPayOrderScript), cancel_script_(kCancelOrderScript) {}

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
  auto reply =
      script.run(redis_, {.keys = {keys::order_records(group, *product)}, .args = std::move(args)});
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{std::string(reply->str())};
  if (!reply->is_array() || reply->size() < 3) return Error{"unexpected reply from order script"};
  OrderOutcome outcome;
  outcome.outcome = reply_str(reply->element(0));
  outcome.state = reply_str(reply->element(1));
  outcome.version = reply_integer(reply->element(2));
  if (reply->size() > 3) outcome.detail = reply_str(reply->element(3));
  return outcome;
}

}  // namespace seckill
