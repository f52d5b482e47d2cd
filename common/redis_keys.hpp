// Names of every Redis key seckill uses, in one place.
//
// A product's keys share the hash tag {P}, so the decision script touches one cluster slot.
#pragma once

#include <cstdint>
#include <string>

#include "common/ids.hpp"

namespace seckill::keys {

inline constexpr const char* kProducts = "seckill:products";  // set of product ids
inline constexpr const char* kRequests = "seckill:req";       // list of purchase requests
/// Blocklists: entry (user id, or address / CIDR range) -> expiry in Unix ms, 0 for none.
inline constexpr const char* kBlockedUsers = "seckill:blocked:users";
inline constexpr const char* kBlockedAddresses = "seckill:blocked:ips";

inline std::string product(ProductId id) {
  return "seckill:product:{" + std::to_string(id) + "}";
}
inline std::string buyers(ProductId id) {
  return "seckill:buyers:{" + std::to_string(id) + "}";
}
inline std::string orders(ProductId id) {
  return "seckill:orders:{" + std::to_string(id) + "}";
}
/// Log of stock additions (seckill-admin add-stock).
inline std::string stock_log(ProductId id) {
  return "seckill:stock:{" + std::to_string(id) + "}";
}
/// Units sold in the current second (for max_per_second).
inline std::string sales_rate(ProductId id) {
  return "seckill:rate:{" + std::to_string(id) + "}";
}
/// Decisions of the requests whose deadline falls in one second (request id -> reply), kept a
/// little past those deadlines for idempotent redelivery.
inline std::string decisions(ProductId id, std::int64_t deadline_second) {
  return "seckill:decided:{" + std::to_string(id) + "}:" + std::to_string(deadline_second);
}
inline std::string reply_list(const std::string& proxy_id) {
  return "seckill:reply:" + proxy_id;
}
/// A proxy's lease on its id (common/id_lease.hpp): names the live process that holds it.
inline std::string proxy_lease(const std::string& proxy_id) {
  return "seckill:proxy:" + proxy_id + ":lease";
}

inline constexpr const char* kLogicIds = "seckill:logics";   // set of registered logic ids
inline constexpr const char* kDeadLetters = "seckill:dead";  // list of requests given up on
/// A logic process's heartbeat and its lease on its id: names the live process that holds it,
/// and exists while that process lives.
inline std::string logic_alive(const std::string& logic_id) {
  return "seckill:logic:" + logic_id + ":alive";
}
/// The set of a logic process's processing lists, so others can find them when it dies.
inline std::string logic_lists(const std::string& logic_id) {
  return "seckill:logic:" + logic_id + ":lists";
}
/// The requests one worker holds: moved here from seckill:req, removed once decided.
inline std::string processing(const std::string& logic_id, int worker) {
  return "seckill:processing:" + logic_id + ":" + std::to_string(worker);
}

}  // namespace seckill::keys
