#include "tools/admin/audit/record_store.hpp"

#include "common/base/ids.hpp"

namespace seckill::admin {
namespace {

std::int64_t to_count(const orders::PgRows& rows) {
  return rows.size() == 1 ? std::stoll(rows.at(0, 0).value_or("0")) : 0;
}

}  // namespace

Result<RecordData> RecordStore::product(ProductId id, const std::string& stream_key) {
  RecordData data;
  auto orders = db_.query(
      "SELECT order_id, state, user_id, quantity FROM orders WHERE product_id = "
      "$1::bigint",
      {std::to_string(id)});
  if (!orders) return orders.error();
  for (int row = 0; row < orders->size(); ++row) {
    data.orders[orders->at(row, 0).value_or("")] = {
        orders->at(row, 1).value_or(""), orders->at(row, 2).value_or(""),
        parse_id(orders->at(row, 3).value_or("")).value_or(0)};
  }
  auto twice = db_.query(
      "SELECT count(*) FROM (SELECT order_id FROM order_events WHERE stream = $1 AND "
      "event = 'created' GROUP BY order_id HAVING count(*) > 1) AS repeated",
      {stream_key});
  if (!twice) return twice.error();
  data.created_twice = to_count(*twice);
  auto conflicts =
      db_.query("SELECT count(*) FROM order_conflicts WHERE stream = $1", {stream_key});
  if (!conflicts) return conflicts.error();
  data.conflicts = to_count(*conflicts);
  auto position = db_.query("SELECT last_id FROM read_positions WHERE stream = $1", {stream_key});
  if (!position) return position.error();
  if (position->size() == 1) data.read_position = position->at(0, 0).value_or("");
  return data;
}

}  // namespace seckill::admin
