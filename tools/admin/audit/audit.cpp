#include "tools/admin/audit/audit.hpp"

#include <cstdlib>
#include <set>

#include "common/base/ids.hpp"

namespace seckill::admin {

HeldEntry parse_held_entry(std::string_view entry) {
  HeldEntry held;
  const auto star = entry.find('*');
  held.order_id = std::string(entry.substr(0, star));
  if (star != std::string_view::npos) held.units = parse_id(entry.substr(star + 1)).value_or(0);
  return held;
}

void expect(AuditResult& result, bool holds, const std::string& what) {
  result.checked.push_back(what);
  if (!holds) result.breaches.push_back(what);
}

bool holds_unit(const std::string& state) {
  return state == "pending_payment" || state == "paid" || state == "confirmed";
}

AuditResult audit_product(const ProductAuditData& data) {
  AuditResult result;
  const std::string p = "product " + std::to_string(data.id) + ": ";
  std::int64_t held = 0;
  for (const auto& [order, record] : data.orders) {
    held += holds_unit(record.state) ? record.quantity : 0;
  }
  std::int64_t most_held = 0;
  std::string greediest;
  std::map<std::string, HeldEntry> entry_of;    // order id -> its buyers-hash entry
  std::map<std::string, std::string> owner_of;  // order id -> user, from the buyers hash
  bool unique_in_buyers = true;
  for (const auto& [user, entries] : data.buyers) {
    std::int64_t units = 0;
    for (const auto& text : entries) {
      HeldEntry entry = parse_held_entry(text);
      units += entry.units;
      unique_in_buyers &= owner_of.emplace(entry.order_id, user).second;
      entry_of[entry.order_id] = std::move(entry);
    }
    if (units > most_held) {
      most_held = units;
      greediest = user;
    }
  }

  expect(result, data.total == data.left + data.sold,
         p + "total " + std::to_string(data.total) + " == left " + std::to_string(data.left) +
             " + sold " + std::to_string(data.sold));
  expect(result, data.left >= 0, p + "left " + std::to_string(data.left) + " >= 0");
  expect(result, data.sold == held,
         p + "sold " + std::to_string(data.sold) + " == units held by pending, paid and " +
             "confirmed orders " + std::to_string(held));
  expect(result, most_held <= data.per_user_limit,
         p + "no user holds more than " + std::to_string(data.per_user_limit) +
             (most_held > data.per_user_limit
                  ? " (user " + greediest + " holds " + std::to_string(most_held) + " units)"
                  : std::string()));
  expect(result, unique_in_buyers, p + "every order id is held by one buyer only");

  // The stream creates each order once, for the user its record names, and no order was both
  // paid and given back (expired or cancelled).
  std::set<std::string> created;
  std::set<std::string> paid;
  std::set<std::string> given_back;
  std::int64_t stream_mismatched = 0;
  for (const auto& entry : data.stream) {
    if (entry.event == "created") {
      auto it = data.orders.find(entry.order_id);
      if (!created.insert(entry.order_id).second || it == data.orders.end() ||
          it->second.user_id != entry.user_id) {
        ++stream_mismatched;
      }
    } else if (entry.event == "paid") {
      paid.insert(entry.order_id);
    } else if (entry.event == "expired" || entry.event == "cancelled") {
      given_back.insert(entry.order_id);
    }
  }
  // Orders whose created event was trimmed (committed to PostgreSQL) are counted, not named.
  std::int64_t not_in_stream = 0;
  for (const auto& [order, record] : data.orders) not_in_stream += created.count(order) ? 0 : 1;
  stream_mismatched += std::abs(not_in_stream - data.trimmed_created);
  expect(result, stream_mismatched == 0,
         p + "order stream (" + std::to_string(data.trimmed_created) +
             " created events trimmed) == order records (" + std::to_string(stream_mismatched) +
             " mismatched)");
  std::int64_t both = 0;
  for (const auto& order : paid) both += given_back.count(order) ? 1 : 0;
  expect(result, both == 0,
         p + "no order both paid and expired or cancelled (" + std::to_string(both) + ")");

  // The buyers hash holds every order that holds a unit, under its user and with its units; an
  // order that ended unpaid stays there (the buyer's turn is used) unless the product allows
  // buying again.
  std::int64_t buyers_mismatched = 0;
  for (const auto& [order, record] : data.orders) {
    auto it = owner_of.find(order);
    const bool listed = it != owner_of.end() && it->second == record.user_id &&
                        entry_of[order].units == record.quantity;
    const bool should_be = holds_unit(record.state) || !data.rebuy_after_expiry;
    if (listed != should_be) ++buyers_mismatched;
  }
  for (const auto& [order, user] : owner_of) buyers_mismatched += data.orders.count(order) ? 0 : 1;
  expect(result, buyers_mismatched == 0,
         p + "order records == buyers (" + std::to_string(buyers_mismatched) + " mismatched)");
  return result;
}

}  // namespace seckill::admin
