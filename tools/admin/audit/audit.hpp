// The sale's invariants (README, Operations: audit), checked on one product's data as read from
// Redis.
//
// Pure: fetching the data is audit_fetch's job; this file only judges it, so every breach can be
// tested with hand-made data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/base/ids.hpp"

namespace seckill::admin {

/// One entry of a product's order stream: an order's event (created, paid, expired, cancelled,
/// refund_due).
struct OrderEvent {
  std::string order_id;
  std::string user_id;
  std::string event = "created";
};

/// An order as its record says it is now.
struct OrderState {
  std::string state;  // pending_payment, paid, confirmed, expired, cancelled
  std::string user_id;
  std::int64_t quantity = 1;  // units
};

/// One entry of a buyers-hash value: "<order id>" or "<order id>*<units>".
struct HeldEntry {
  std::string order_id;
  std::int64_t units = 1;  // 0: the units are not a number (a breach)
};
HeldEntry parse_held_entry(std::string_view entry);

/// Whether an order in `state` holds its unit (pending_payment, paid, confirmed).
bool holds_unit(const std::string& state);

struct ProductAuditData {
  ProductId id = 0;
  std::int64_t total = 0;
  std::int64_t left = 0;
  std::int64_t sold = 0;  // units held by orders now (pending, paid, confirmed)
  std::int64_t per_user_limit = 1;
  bool rebuy_after_expiry = false;
  /// Created events trimmed from the stream once PostgreSQL had them (seckill-orders).
  std::int64_t trimmed_created = 0;
  std::string stream_key;     // the product's order stream
  std::string last_entry_id;  // the newest entry the stream ever had, trimmed or not ("": none)
  std::vector<OrderEvent> stream;                          // every entry of the order stream
  std::map<std::string, OrderState> orders;                // order id -> its record
  std::map<std::string, std::vector<std::string>> buyers;  // user -> entries (HeldEntry)
};

struct AuditResult {
  std::vector<std::string> checked;   // what was checked, one line each
  std::vector<std::string> breaches;  // what failed, one line each
  bool ok() const { return breaches.empty(); }
};

AuditResult audit_product(const ProductAuditData& data);

/// Records the check `what` in `result`, and as a breach unless it `holds`.
void expect(AuditResult& result, bool holds, const std::string& what);

}  // namespace seckill::admin
