// Names of every Redis key seckill uses, in one place.
//
// The data is split into groups. Every key of a group starts with the group's hash tag
// (seckill:{g7}:...), so everything the decision script touches for a batch (the group's queue
// and the keys of its products) sits in one Redis Cluster slot, and so on one master. A
// product's group is stored in the product directory; the global keys (the directory, the
// blocklists, the logic registry) share the fixed tag {global}. A proxy's reply list carries the
// proxy's own tag, so one blocking reader serves it wherever its slot lives.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/ids.hpp"

namespace seckill::keys {

/// A group's number: 0 .. kMaxGroups - 1.
using GroupId = int;
inline constexpr GroupId kMaxGroups = 1024;
inline constexpr GroupId kDefaultGroups = 16;

/// The group of a product that does not pin one: a hash of its id (CRC16 of its decimal text),
/// so neighbouring ids spread over the groups.
GroupId default_group(ProductId id, GroupId groups);

/// "seckill:{g7}:", the start of every key of group 7.
std::string group_prefix(GroupId group);
/// The group of a key that starts with a group's prefix, or nothing.
std::optional<GroupId> group_of_key(std::string_view key);
/// A group number written in decimal ("7"), as the product directory holds it, or nothing.
std::optional<GroupId> parse_group(std::string_view digits);

// ---- global keys
/// The product directory: product id -> its group.
inline constexpr const char* kProducts = "seckill:{global}:products";
/// The layout: field "groups", the number of groups products are spread over by default.
inline constexpr const char* kLayout = "seckill:{global}:layout";
/// Blocklists: entry (user id, or address / CIDR range) -> expiry in Unix ms, 0 for none.
inline constexpr const char* kBlockedUsers = "seckill:{global}:blocked:users";
inline constexpr const char* kBlockedAddresses = "seckill:{global}:blocked:ips";
/// Temporary bans the proxies' rate limits began: "user:42" or "ip:198.51.100.7" -> scored by
/// when the ban ends (Unix ms, the latest of any proxy's). Ended ones are pruned by the proxies.
inline constexpr const char* kBans = "seckill:{global}:bans";
/// Bans lifted by seckill-admin unblock: the same members, scored by when (Redis's clock, Unix
/// ms). Every proxy applies each lift once; the admin prunes lifts older than an hour.
inline constexpr const char* kBanLifts = "seckill:{global}:ban-lifts";
inline constexpr const char* kLogicIds = "seckill:{global}:logics";   // registered logic ids
inline constexpr const char* kDeadLetters = "seckill:{global}:dead";  // requests given up on
/// Groups whose decisions are not reaching the replicas (redis.ack_replicas): group -> until
/// when (Unix ms) the logic says so. Proxies answer 5003 for their products meanwhile.
inline constexpr const char* kUnreplicatedGroups = "seckill:{global}:unreplicated";

/// A logic process's heartbeat and its lease on its id: names the live process that holds it,
/// and exists while that process lives.
inline std::string logic_alive(const std::string& logic_id) {
  return "seckill:{global}:logic:" + logic_id + ":alive";
}
/// The set of a logic process's processing lists, so others can find them when it dies.
inline std::string logic_lists(const std::string& logic_id) {
  return "seckill:{global}:logic:" + logic_id + ":lists";
}

// ---- a group's keys
/// The group's queue of purchase requests.
inline std::string requests(GroupId group) {
  return group_prefix(group) + "req";
}
/// The product hash (total left sold seq start_ms end_ms ...).
inline std::string product(GroupId group, ProductId id) {
  return group_prefix(group) + "product:" + std::to_string(id);
}
/// User id -> the comma-separated ids of the orders the user holds.
inline std::string buyers(GroupId group, ProductId id) {
  return group_prefix(group) + "buyers:" + std::to_string(id);
}
/// The product's order stream.
inline std::string orders(GroupId group, ProductId id) {
  return group_prefix(group) + "orders:" + std::to_string(id);
}
/// Order id -> the order's record, "state|version|user|pay_by_ms|payment_id"
/// (common/orders/order_rules.lua).
inline std::string order_records(GroupId group, ProductId id) {
  return group_prefix(group) + "order:" + std::to_string(id);
}
/// Payment id -> "order id|outcome|amount|currency|time ms": every payment seen, once.
inline std::string payments(GroupId group, ProductId id) {
  return group_prefix(group) + "payments:" + std::to_string(id);
}
/// The group's orders awaiting payment, scored by their pay-by Unix ms: the reaper's index.
inline std::string pending_orders(GroupId group) {
  return group_prefix(group) + "pending";
}
/// The users who reserved the product (a set of user ids): with a reservation, only they may buy.
inline std::string reserved(GroupId group, ProductId id) {
  return group_prefix(group) + "reserved:" + std::to_string(id);
}
/// The users the reservation draw picked (a set of user ids): with a draw, only they may buy.
inline std::string drawn(GroupId group, ProductId id) {
  return group_prefix(group) + "drawn:" + std::to_string(id);
}
/// The group's products whose reservation draw is still to be made, scored by the Unix ms their
/// reservation closes: the drawer's index.
inline std::string pending_draws(GroupId group) {
  return group_prefix(group) + "draws";
}
/// Log of stock additions (seckill-admin add-stock).
inline std::string stock_log(GroupId group, ProductId id) {
  return group_prefix(group) + "stock:" + std::to_string(id);
}
/// Units sold in the current second (for max_per_second).
inline std::string sales_rate(GroupId group, ProductId id) {
  return group_prefix(group) + "rate:" + std::to_string(id);
}
/// Decisions of the requests whose deadline falls in one second (request id -> reply), kept a
/// little past those deadlines for idempotent redelivery.
inline std::string decisions(GroupId group, ProductId id, std::int64_t deadline_second) {
  return group_prefix(group) + "decided:" + std::to_string(id) + ":" +
         std::to_string(deadline_second);
}
/// The requests one worker holds from the group's queue: moved here, removed once decided.
inline std::string processing(GroupId group, const std::string& logic_id, int worker) {
  return group_prefix(group) + "processing:" + logic_id + ":" + std::to_string(worker);
}

// ---- a proxy's keys, under the proxy's own tag
inline std::string reply_list(const std::string& proxy_id) {
  return "seckill:reply:{" + proxy_id + "}";
}
/// A proxy's lease on its id (common/store/id_lease.hpp): names the live process that holds it.
inline std::string proxy_lease(const std::string& proxy_id) {
  return "seckill:proxy:{" + proxy_id + "}:lease";
}

}  // namespace seckill::keys
