// OrderBatch: what one round read from the order streams, shaped for the one statement that
// writes it (order_sink.hpp): one row per order at its latest version, every event, and each
// stream's new read position. Pure: unit tested without Redis or PostgreSQL.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/base/ids.hpp"

namespace seckill::orders {

/// One entry of a product's order stream: its id and field/value pairs.
struct StreamEntry {
  std::string id;  // "<ms>-<seq>"
  std::vector<std::pair<std::string, std::string>> fields;
};

/// An order as the batch leaves it (its last event in the batch wins).
struct OrderRow {
  std::string order_id;
  ProductId product_id = 0;
  std::int64_t user_id = 0;
  std::string request_id;  // only a created event carries it: "" otherwise
  std::string state;
  std::int64_t version = 0;
  std::int64_t pay_by_ms = 0;
  std::string payment_id;
  std::int64_t amount = 0;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  /// Units, from its created event (the only one that carries them; set once, never updated).
  std::int64_t quantity = 1;
  std::string stream;    // where its last event came from
  std::string entry_id;  // that event's entry id
};

struct OrderEventRow {
  std::string stream;
  std::string entry_id;
  std::string order_id;
  std::string event;
  std::int64_t version = 0;
  std::int64_t user_id = 0;
  std::int64_t time_ms = 0;
  std::string payment_id;
  std::int64_t amount = 0;
};

class OrderBatch {
 public:
  /// Adds the entries read from `stream` (product `product`'s), in stream order.
  void add(const std::string& stream, ProductId product, const std::vector<StreamEntry>& entries);

  std::vector<OrderRow> rows() const;
  const std::vector<OrderEventRow>& events() const { return events_; }
  /// Stream -> the last entry id read from it (malformed entries included: they are skipped,
  /// not read again).
  const std::map<std::string, std::string>& positions() const { return positions_; }
  std::size_t malformed() const { return malformed_; }
  bool empty() const { return positions_.empty(); }

 private:
  std::map<std::string, OrderRow> rows_;  // by order id
  std::vector<OrderEventRow> events_;
  std::map<std::string, std::string> positions_;
  std::size_t malformed_ = 0;
};

/// The Unix ms of a stream entry id ("1796000000000-3" -> 1796000000000); 0 when malformed.
std::int64_t entry_ms(const std::string& entry_id);

}  // namespace seckill::orders
