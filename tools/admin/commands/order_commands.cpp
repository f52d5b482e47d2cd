#include "tools/admin/commands/order_commands.hpp"

#include <algorithm>
#include <iostream>
#include <map>

#include "common/orders/order_actions.hpp"
#include "common/product.hpp"
#include "common/store/redis_keys.hpp"
#include "tools/admin/exit_codes.hpp"

namespace seckill::admin {
namespace {

// The product's group; an exit code (and its message) when Redis fails or the product is not
// in the store.
struct ProductGroup {
  keys::GroupId group = 0;
  int exit_code = kExitDone;
};

ProductGroup group_of_product(AdminStore& store, ProductId product, const std::string& what) {
  auto listed = store.listed_group(product);
  if (!listed) return {0, redis_error(listed.error())};
  if (!*listed) {
    std::cerr << "seckill-admin: " << what << ": unknown product " << product << "\n";
    return {0, kExitUnknownProduct};
  }
  return {**listed, kExitDone};
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
    place.exit_code = usage_error("ORDER must be an order id such as 42-17, not " + order_id);
    return place;
  }
  place.product = *product;
  const ProductGroup found = group_of_product(store, *product, "order " + order_id);
  place.group = found.group;
  place.exit_code = found.exit_code;
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
  return done ? kExitDone : kExitRefused;
}

}  // namespace

int run_pay(RedisClient& redis, AdminStore& store, const PayRequest& request) {
  if (!is_payment_id(request.payment_id)) {
    return usage_error("pay: --payment-id must be 1-64 letters, digits, - _ . :");
  }
  if (request.amount < 0)
    return usage_error("pay: --amount must be the amount paid, in minor units");
  OrderPlace place = place_of(store, request.order_id);
  if (place.exit_code != 0) return place.exit_code;
  Payment payment{request.order_id, request.payment_id, request.amount, request.currency};
  if (payment.currency.empty()) {
    auto currency = redis.command({"HGET", keys::product(place.group, place.product), "currency"});
    if (!currency) return redis_error(currency.error());
    payment.currency = currency->is_string() ? std::string(currency->str()) : "";
  }
  OrderActions actions(redis);
  auto outcome = actions.pay(place.group, payment);
  if (!outcome) return redis_error(outcome.error());
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
  if (!outcome) return redis_error(outcome.error());
  return report(order_id, *outcome);
}

int run_orders(AdminStore& store, const std::string& product, const std::string& state) {
  auto id = parse_id(product);
  if (!id) return usage_error("orders: PRODUCT must be an id");
  static const char* const kStates[] = {"pending_payment", "paid", "confirmed", "expired",
                                        "cancelled"};
  if (!state.empty() &&
      std::find(std::begin(kStates), std::end(kStates), state) == std::end(kStates)) {
    return usage_error("--state: one of pending_payment, paid, confirmed, expired, cancelled");
  }
  const ProductGroup found = group_of_product(store, *id, "orders");
  if (found.exit_code != kExitDone) return found.exit_code;
  const keys::GroupId group = found.group;
  // Order id -> record, in sequence order (the ids are "<product>-<seq>").
  std::map<std::int64_t, std::pair<std::string, std::string>> orders;
  auto scanned = store.scan_hash(
      keys::order_records(group, *id), [&](std::string_view order, std::string_view record) {
        const auto seq = parse_id(order.substr(order.find('-') + 1));
        orders[seq.value_or(0)] = {std::string(order), std::string(record)};
      });
  if (!scanned) return redis_error(scanned.error());
  std::size_t shown = 0;
  for (const auto& [seq, entry] : orders) {
    const auto& [order, record] = entry;
    // "state|version|user|pay_by_ms|payment_id[|units]"
    std::vector<std::string> parts;
    std::string_view rest = record;
    for (int i = 0; i < 6; ++i) {
      const auto bar = rest.find('|');
      parts.emplace_back(rest.substr(0, bar));
      rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
    }
    if (!state.empty() && parts[0] != state) continue;
    ++shown;
    const std::int64_t pay_by = parse_id(parts[3]).value_or(0);
    std::cout << order << "  " << parts[0] << "  user " << parts[2] << "  version " << parts[1];
    if (!parts[5].empty()) std::cout << "  units " << parts[5];
    if (pay_by > 0) std::cout << "  pay by " << format_iso8601_ms(pay_by);
    if (!parts[4].empty()) std::cout << "  payment " << parts[4];
    std::cout << "\n";
  }
  std::cout << shown << " orders" << (state.empty() ? "" : " " + state) << "\n";
  return kExitDone;
}

}  // namespace seckill::admin
