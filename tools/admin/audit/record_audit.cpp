#include "tools/admin/audit/record_audit.hpp"

#include <charconv>
#include <utility>

namespace seckill::admin {
namespace {

// "ms-seq" as a pair of numbers; an id without a dash has sequence 0.
std::pair<std::uint64_t, std::uint64_t> parse_stream_id(const std::string& id) {
  std::uint64_t ms = 0;
  std::uint64_t seq = 0;
  const auto dash = id.find('-');
  std::from_chars(id.data(), id.data() + (dash == std::string::npos ? id.size() : dash), ms);
  if (dash != std::string::npos) std::from_chars(id.data() + dash + 1, id.data() + id.size(), seq);
  return {ms, seq};
}

}  // namespace

bool stream_id_at_or_after(const std::string& a, const std::string& b) {
  return parse_stream_id(a) >= parse_stream_id(b);
}

AuditResult audit_record(const ProductAuditData& redis, const RecordData& record) {
  AuditResult result;
  const std::string p = "product " + std::to_string(redis.id) + ": ";
  // Behind the stream, every difference below may only be lag: this line says which it is.
  const bool caught_up = redis.last_entry_id.empty() ||
                         (!record.read_position.empty() &&
                          stream_id_at_or_after(record.read_position, redis.last_entry_id));
  expect(result, caught_up,
         p + "PostgreSQL has read the order stream to its last entry " +
             (redis.last_entry_id.empty() ? "(none)" : redis.last_entry_id) + " (read to " +
             (record.read_position.empty() ? "nothing" : record.read_position) + ")");

  std::int64_t missing = 0;
  std::int64_t differing = 0;
  for (const auto& [order, state] : redis.orders) {
    auto stored = record.orders.find(order);
    if (stored == record.orders.end()) {
      ++missing;
    } else if (stored->second.state != state.state || stored->second.user_id != state.user_id ||
               stored->second.quantity != state.quantity) {
      ++differing;
    }
  }
  std::int64_t unknown = 0;
  for (const auto& [order, state] : record.orders) unknown += redis.orders.count(order) ? 0 : 1;
  expect(result, missing == 0,
         p + "every order in Redis is in PostgreSQL (" + std::to_string(redis.orders.size()) +
             " orders, " + std::to_string(missing) + " missing)");
  expect(result, unknown == 0,
         p + "every order in PostgreSQL is in Redis (" + std::to_string(unknown) + " unknown)");
  expect(result, differing == 0,
         p + "each order has the same state, buyer and units in both (" +
             std::to_string(differing) + " differ)");
  expect(result, record.created_twice == 0,
         p + "PostgreSQL recorded each order's creation once (" +
             std::to_string(record.created_twice) + " twice)");
  expect(result, record.conflicts == 0,
         p + "no order id arrived with another buyer (" + std::to_string(record.conflicts) +
             " conflicts)");
  return result;
}

}  // namespace seckill::admin
