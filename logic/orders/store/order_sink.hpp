// OrderSink: the system of record's side of seckill-orders: the schema, the read positions, and
// the one statement that writes a batch (rows, events, positions, conflicts) atomically.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/base/result.hpp"
#include "logic/orders/source/order_batch.hpp"
#include "logic/orders/store/pg_connection.hpp"

namespace seckill::orders {

/// The schema version this build writes; `--init-schema` brings a database up to it.
inline constexpr int kSchemaVersion = 2;

struct WriteOutcome {
  std::int64_t rows = 0;       // orders inserted or moved to a newer version
  std::int64_t events = 0;     // events stored (a redelivered one is not stored twice)
  std::int64_t conflicts = 0;  // order ids that arrived with another user or request
};

class OrderSink {
 public:
  explicit OrderSink(PgConnection& db) : db_(db) {}

  /// Creates the tables, or migrates them to kSchemaVersion; each step in one transaction.
  /// Returns the version the database had before (0: none).
  Result<int> init_schema();
  /// The schema version the database holds (0: none).
  Result<int> schema_version();
  /// Stream -> the last entry id committed from it.
  Result<std::map<std::string, std::string>> positions();
  /// Writes `batch` in one statement: one transaction, so its rows, events and read positions
  /// are committed together or not at all.
  Result<WriteOutcome> write(const OrderBatch& batch);

 private:
  PgConnection& db_;
};

}  // namespace seckill::orders
