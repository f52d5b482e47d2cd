#include "logic/orders/source/order_batch.hpp"

#include <algorithm>

namespace seckill::orders {
namespace {

std::int64_t number_or(const std::string& text, std::int64_t fallback) {
  if (text.empty() || text.size() > 18) return fallback;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return fallback;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string field(const StreamEntry& entry, const char* name) {
  for (const auto& [key, value] : entry.fields) {
    if (key == name) return value;
  }
  return {};
}

}  // namespace

std::int64_t entry_ms(const std::string& entry_id) {
  return number_or(entry_id.substr(0, entry_id.find('-')), 0);
}

void OrderBatch::add(const std::string& stream, ProductId product,
                     const std::vector<StreamEntry>& entries) {
  for (const StreamEntry& entry : entries) {
    positions_[stream] = entry.id;
    OrderEventRow event;
    event.stream = stream;
    event.entry_id = entry.id;
    event.order_id = field(entry, "order_id");
    // An entry written before orders had events is a purchase: final, at version 1.
    event.event = field(entry, "event");
    if (event.event.empty()) event.event = "created";
    event.version = number_or(field(entry, "version"), 1);
    event.user_id = number_or(field(entry, "user_id"), -1);
    event.time_ms = number_or(field(entry, "time_ms"), entry_ms(entry.id));
    event.payment_id = field(entry, "payment_id");
    event.amount = number_or(field(entry, "amount"), 0);
    if (event.order_id.empty() || event.user_id < 1 || event.version < 1) {
      ++malformed_;
      continue;
    }
    events_.push_back(event);
    if (event.event == "refund_due") continue;  // an event of its own, the order unchanged

    auto [it, fresh] = rows_.try_emplace(event.order_id);
    OrderRow& row = it->second;
    if (!fresh && row.version >= event.version) continue;  // an older event, out of order
    if (fresh) {
      row.order_id = event.order_id;
      row.product_id = product;
      row.user_id = event.user_id;
      row.created_ms = event.time_ms;
    }
    if (event.event == "created") {
      row.request_id = field(entry, "request_id");
      row.state = field(entry, "state");
      if (row.state.empty()) row.state = "confirmed";
      row.pay_by_ms = number_or(field(entry, "pay_by_ms"), 0);
      row.quantity = std::max<std::int64_t>(number_or(field(entry, "quantity"), 1), 1);
      row.created_ms = event.time_ms;
    } else {
      row.state = event.event;
    }
    if (!event.payment_id.empty() && event.event == "paid") {
      row.payment_id = event.payment_id;
      row.amount = event.amount;
    }
    row.version = event.version;
    row.updated_ms = event.time_ms;
    row.stream = stream;
    row.entry_id = entry.id;
  }
}

std::vector<OrderRow> OrderBatch::rows() const {
  std::vector<OrderRow> rows;
  rows.reserve(rows_.size());
  for (const auto& [id, row] : rows_) rows.push_back(row);
  return rows;
}

}  // namespace seckill::orders
