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

#include "common/ids.hpp"

namespace seckill::admin {

struct OrderRecord {
  std::string order_id;
  std::string user_id;
};

struct ProductAuditData {
  ProductId id = 0;
  std::int64_t total = 0;
  std::int64_t left = 0;
  std::int64_t sold = 0;
  std::int64_t per_user_limit = 1;
  std::int64_t stream_length = 0;                          // XLEN
  std::vector<OrderRecord> stream_orders;                  // every entry of the order stream
  std::map<std::string, std::vector<std::string>> buyers;  // user -> order ids
};

struct AuditResult {
  std::vector<std::string> checked;   // what was checked, one line each
  std::vector<std::string> breaches;  // what failed, one line each
  bool ok() const { return breaches.empty(); }
};

AuditResult audit_product(const ProductAuditData& data);

}  // namespace seckill::admin
