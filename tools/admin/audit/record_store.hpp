// RecordStore: the system of record's side of `seckill-admin audit --orders-db`: one product's
// orders, creations and conflicts as PostgreSQL holds them (read-only).
#pragma once

#include <string>

#include "common/base/ids.hpp"
#include "common/base/result.hpp"
#include "logic/orders/store/pg_connection.hpp"
#include "tools/admin/audit/record_audit.hpp"

namespace seckill::admin {

class RecordStore {
 public:
  explicit RecordStore(std::string dsn) : db_(std::move(dsn)) {}

  /// Product `id`'s orders, read from the tables seckill-orders writes; `stream_key` names the
  /// product's order stream (events, conflicts and read positions are kept per stream).
  Result<RecordData> product(ProductId id, const std::string& stream_key);

 private:
  orders::PgConnection db_;
};

}  // namespace seckill::admin
