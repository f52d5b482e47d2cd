#include "tools/admin/order_commands.hpp"

#include <algorithm>
#include <iostream>
#include <map>

#include "common/orders/order_actions.hpp"
#include "common/product.hpp"
#include "common/redis_keys.hpp"

namespace seckill::admin {
namespace {

int usage(const std::string& message) {
  std::cerr << "seckill-admin: " << message << "\n";
  return 2;
}

int redis_failed(const Error& error) {
  std::cerr << "seckill-admin: redis: " << error.message << "\n";
  return 3;
}

// The group of the product an order id names; an exit code when there is none.
struct OrderPlace {
  ProductId product = 0;
  keys::GroupId group = 0;
  int exit_code = 0;
};

OrderPlace place_of(AdminStore& store, const std::string& order_id) {
  OrderPlace place;
  auto product = product_of_order(order_id);
  if (!product) {
    place.exit_code = usage("ORDER must be an order id such as 42-17, not " + order_id);
    return place;
  }
  place.product = *product;
  auto group = store.group_of(*product);
  if (!group) {
    std::cerr << "seckill-admin: order " << order_id << ": " << group.error().message << "\n";
    place.exit_code = 1;
    return place;
  }
  place.group = *group;
  return place;
}

int report(const std::string& order_id, const OrderOutcome& outcome) {
  std::cout << "order " << order_id << ": " << outcome.outcome;
  if (!outcome.state.empty())
    std::cout << ", state " << outcome.state << " (version " << outcome.version << ")";
  if (!outcome.detail.empty()) std::cout << ", " << outcome.detail;
  std::cout << "\n";
  const bool done = outcome.outcome == "paid" || outcome.outcome == "cancelled" ||
                    (outcome.outcome == "duplicate" && outcome.detail == "paid");
  return done ? 0 : 1;
}

}  // namespace

int run_pay(RedisClient& redis, AdminStore& store, const PayRequest& request) {
  if (!is_payment_id(request.payment_id)) {
    return usage("pay: --payment-id must be 1-64 letters, digits, - _ . :");
  }
  if (request.amount < 0) return usage("pay: --amount must be the amount paid, in minor units");
  OrderPlace place = place_of(store, request.order_id);
  if (place.exit_code != 0) return place.exit_code;
  Payment payment{request.order_id, request.payment_id, request.amount, request.currency};
  if (payment.currency.empty()) {
    auto currency = redis.command({"HGET", keys::product(place.group, place.product), "currency"});
    if (!currency) return redis_failed(currency.error());
    payment.currency = currency->is_string() ? std::string(currency->str()) : "";
  }
  OrderActions actions(redis);
  auto outcome = actions.pay(place.group, payment);
  if (!outcome) return redis_failed(outcome.error());
  if (outcome->outcome == "refund_due") {
    std::cout << "payment " << payment.payment_id << " not applied: the order is " << outcome->state
              << "; recorded as a refund due\n";
  }
  return report(request.order_id, *outcome);
}

int run_cancel(RedisClient& redis, AdminStore& store, const std::string& order_id) {
  OrderPlace place = place_of(store, order_id);
  if (place.exit_code != 0) return place.exit_code;
  OrderActions actions(redis);
  auto outcome = actions.cancel(place.group, order_id);
  if (!outcome) return redis_failed(outcome.error());
  return report(order_id, *outcome);
}

int run_orders(AdminStore& store, const std::string& product, const std::string& state) {
  auto id = parse_id(product);
  if (!id) return usage("orders: PRODUCT must be an id");
  static const char* const kStates[] = {"pending_payment", "paid", "confirmed", "expired",
                                        "cancelled"};
  if (!state.empty() &&
      std::find(std::begin(kStates), std::end(kStates), state) == std::end(kStates)) {
    return usage("--state: one of pending_payment, paid, confirmed, expired, cancelled");
  }
  auto group = store.group_of(*id);
  if (!group) {
    std::cerr << "seckill-admin: " << group.error().message << "\n";
    return 1;
  }
  // Order id -> record, in sequence order (the ids are "<product>-<seq>").
  std::map<std::int64_t, std::pair<std::string, std::string>> orders;
  auto scanned = store.scan_hash(
      keys::order_records(*group, *id), [&](std::string_view order, std::string_view record) {
        const auto seq = parse_id(order.substr(order.find('-') + 1));
        orders[seq.value_or(0)] = {std::string(order), std::string(record)};
      });
  if (!scanned) return redis_failed(scanned.error());
  std::size_t shown = 0;
  for (const auto& [seq, entry] : orders) {
    const auto& [order, record] = entry;
    // "state|version|user|pay_by_ms|payment_id"
    std::vector<std::string> parts;
    std::string_view rest = record;
    for (int i = 0; i < 4; ++i) {
      const auto bar = rest.find('|');
      parts.emplace_back(rest.substr(0, bar));
      rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
    }
    parts.emplace_back(rest);
    if (!state.empty() && parts[0] != state) continue;
    ++shown;
    const std::int64_t pay_by = parse_id(parts[3]).value_or(0);
    std::cout << order << "  " << parts[0] << "  user " << parts[2] << "  version " << parts[1];
    if (pay_by > 0) std::cout << "  pay by " << format_iso8601_ms(pay_by);
    if (!parts[4].empty()) std::cout << "  payment " << parts[4];
    std::cout << "\n";
  }
  std::cout << shown << " orders" << (state.empty() ? "" : " " + state) << "\n";
  return 0;
}

}  // namespace seckill::admin
