#include "tools/admin/audit.hpp"

#include <set>

namespace seckill::admin {
namespace {

void expect(AuditResult& result, bool holds, const std::string& what) {
  result.checked.push_back(what);
  if (!holds) result.breaches.push_back(what);
}

}  // namespace

AuditResult audit_product(const ProductAuditData& data) {
  AuditResult result;
  const std::string p = "product " + std::to_string(data.id) + ": ";
  std::int64_t buyer_orders = 0;
  std::int64_t most_held = 0;
  std::string greediest;
  std::map<std::string, std::string> owner_of;  // order id -> user, from the buyers hash
  bool unique_in_buyers = true;
  for (const auto& [user, orders] : data.buyers) {
    buyer_orders += static_cast<std::int64_t>(orders.size());
    if (static_cast<std::int64_t>(orders.size()) > most_held) {
      most_held = static_cast<std::int64_t>(orders.size());
      greediest = user;
    }
    for (const auto& order : orders) unique_in_buyers &= owner_of.emplace(order, user).second;
  }

  expect(result, data.total == data.left + data.sold,
         p + "total " + std::to_string(data.total) + " == left " + std::to_string(data.left) +
             " + sold " + std::to_string(data.sold));
  expect(result, data.left >= 0, p + "left " + std::to_string(data.left) + " >= 0");
  expect(result, data.sold == data.stream_length,
         p + "sold " + std::to_string(data.sold) + " == orders in stream " +
             std::to_string(data.stream_length));
  expect(result, data.sold == buyer_orders,
         p + "sold " + std::to_string(data.sold) + " == orders held by buyers " +
             std::to_string(buyer_orders));
  expect(result, most_held <= data.per_user_limit,
         p + "no user holds more than " + std::to_string(data.per_user_limit) +
             (most_held > data.per_user_limit
                  ? " (user " + greediest + " holds " + std::to_string(most_held) + ")"
                  : std::string()));
  expect(result, unique_in_buyers, p + "every order id is held by one buyer only");

  // The stream and the buyers hash must describe the same orders, owned by the same users.
  std::set<std::string> seen;
  std::int64_t mismatched = 0;
  for (const auto& record : data.stream_orders) {
    auto it = owner_of.find(record.order_id);
    if (!seen.insert(record.order_id).second || it == owner_of.end() ||
        it->second != record.user_id) {
      ++mismatched;
    }
  }
  if (static_cast<std::int64_t>(seen.size()) != buyer_orders) {
    mismatched += std::max<std::int64_t>(buyer_orders - static_cast<std::int64_t>(seen.size()), 1);
  }
  expect(result, mismatched == 0,
         p + "order stream == buyers (" + std::to_string(mismatched) + " mismatched)");
  return result;
}

}  // namespace seckill::admin
