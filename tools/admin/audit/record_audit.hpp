// The system of record against Redis (seckill-admin audit --orders-db): every order in both,
// once, in the same state, and PostgreSQL read up to the stream's last entry.
//
// Pure, like audit.hpp: record_store fetches the database's side, this file only judges it.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "tools/admin/audit/audit.hpp"

namespace seckill::admin {

/// One product's orders as PostgreSQL holds them.
struct RecordData {
  std::map<std::string, OrderState> orders;  // order id -> state and buyer
  std::int64_t created_twice = 0;            // orders with more than one created event
  std::int64_t conflicts = 0;                // order ids that arrived with another buyer
  std::string read_position;                 // the stream's committed read position ("": none)
};

/// Compares `record` with the product's Redis data (`redis.orders`, `redis.last_entry_id`).
AuditResult audit_record(const ProductAuditData& redis, const RecordData& record);

/// Whether stream id `a` is at or after `b` ("ms-seq" ids, compared as numbers).
bool stream_id_at_or_after(const std::string& a, const std::string& b);

}  // namespace seckill::admin
