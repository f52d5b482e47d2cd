#include "proxy/state/product_refresher.hpp"

#include <algorithm>
#include <charconv>

#include <glog/logging.h>

#include "common/base/clock.hpp"
#include "common/product.hpp"
#include "common/store/redis_keys.hpp"

namespace seckill::proxy {
namespace {

std::int64_t to_int(const redisReply* element, std::int64_t fallback) {
  std::string_view text = reply_str(element);
  std::int64_t value = fallback;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

HashEntries hash_entries(const RedisReply& reply) {
  HashEntries entries;
  for (std::size_t i = 0; i + 1 < reply.size(); i += 2) {
    entries.emplace_back(reply_str(reply.element(i)), reply_str(reply.element(i + 1)));
  }
  return entries;
}

// The eviction policy is re-read every this many refreshes (every few seconds), and after
// every failed refresh (the Redis that comes back may be another one).
constexpr int kRefreshesPerPolicyCheck = 25;

// Fields read per product, in this order.
const std::vector<std::string> kFields = {
    "name", "total", "left", "start_ms", "end_ms", "enabled", "price", "currency", "pay_within_s",
    "per_user_limit", "description", "image_url", "challenge", "pow_bits", "challenge_lead_ms",
    // The reservation, and its counts and draw once there are any.
    "reservation_opens_ms", "reservation_closes_ms", "reservation_draw", "reserved", "draw_seed",
    "drawn"};

// The groups of a kUnreplicatedGroups reply (group -> until, Unix ms) still behind at `now`.
std::vector<keys::GroupId> groups_behind(const RedisReply& reply, std::int64_t now) {
  std::vector<keys::GroupId> behind;
  if (!reply.is_array()) return behind;
  for (std::size_t i = 0; i + 1 < reply.size(); i += 2) {
    auto group = keys::parse_group(reply_str(reply.element(i)));
    if (group && to_int(reply.element(i + 1), 0) > now) behind.push_back(*group);
  }
  return behind;
}

}  // namespace

ProductRefresher::ProductRefresher(RedisConfig redis, std::chrono::milliseconds interval,
                                   ProductCache& cache, Versioned<Blocklist>& blocklist,
                                   RedisHealth& health)
    : redis_(std::move(redis)),
      cache_(cache),
      blocklist_(blocklist),
      health_(health),
      thread_("refresher", interval, [this] { refresh_once(); }) {}

void ProductRefresher::start() {
  refresh_once();
  thread_.start();
}

void ProductRefresher::check_eviction_policy() {
  auto problem = eviction_problem(redis_);
  if (!problem) return;  // retried after the next failed or 25th refresh
  refreshes_until_policy_check_ = kRefreshesPerPolicyCheck;
  const bool safe = problem->empty();
  if (!safe) {
    LOG_EVERY_T(ERROR, 10) << "proxy: Redis maxmemory-policy is " << *problem
                           << ", which may evict orders and stock: reporting unhealthy and "
                              "refusing purchases until it is noeviction";
  } else if (!health_.eviction_safe()) {
    LOG(INFO) << "proxy: Redis maxmemory-policy is noeviction again";
  }
  health_.report_eviction_safe(safe);
}

bool ProductRefresher::refresh_once() {
  if (refreshes_until_policy_check_-- <= 0) check_eviction_policy();
  auto directory = redis_.command({"HGETALL", keys::kProducts});
  if (!directory || !directory->is_array()) {
    if (!redis_.is_cluster()) health_.report(false);
    refreshes_until_policy_check_ = 0;
    return false;
  }
  std::vector<std::pair<ProductId, keys::GroupId>> listed;
  std::vector<std::vector<std::string>> commands;
  for (std::size_t i = 0; i + 1 < directory->size(); i += 2) {
    auto id = parse_id(reply_str(directory->element(i)));
    auto group = keys::parse_group(reply_str(directory->element(i + 1)));
    if (!id || !group) continue;
    listed.emplace_back(*id, *group);
    std::vector<std::string> command = {"HMGET", keys::product(*group, *id)};
    command.insert(command.end(), kFields.begin(), kFields.end());
    commands.push_back(std::move(command));
  }
  // The blocklists and the groups behind on replication ride along in the same round trip.
  commands.push_back({"HGETALL", keys::kBlockedUsers});
  commands.push_back({"HGETALL", keys::kBlockedAddresses});
  commands.push_back({"HGETALL", keys::kUnreplicatedGroups});
  auto replies = redis_.pipeline(commands);
  if (!replies) {
    // On a cluster one master failing over leaves the others selling: the writers and the
    // reply readers judge reachability there, and the products stay as last read.
    if (!redis_.is_cluster()) health_.report(false);
    refreshes_until_policy_check_ = 0;
    return false;
  }
  const std::int64_t now = unix_ms_now();
  const std::vector<keys::GroupId> behind = groups_behind((*replies)[listed.size() + 2], now);
  auto products = std::make_shared<ProductMap>();
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const RedisReply& reply = (*replies)[i];
    if (!reply.is_array() || reply.size() != kFields.size() || reply_is_nil(reply.element(1))) {
      continue;  // listed but not (or no longer) loaded
    }
    ProductState state;
    state.id = listed[i].first;
    state.group = listed[i].second;
    state.replicas_behind = std::find(behind.begin(), behind.end(), state.group) != behind.end();
    state.name = reply_str(reply.element(0));
    state.total = to_int(reply.element(1), 0);
    state.left = to_int(reply.element(2), 0);
    state.start_ms = to_int(reply.element(3), 0);
    state.end_ms = to_int(reply.element(4), 0);
    state.enabled = reply_str(reply.element(5)) != "0";
    state.price = to_int(reply.element(6), 0);
    state.currency = reply_str(reply.element(7));
    state.pay_within_s = to_int(reply.element(8), 0);
    state.per_user_limit = to_int(reply.element(9), 1);
    state.description = reply_str(reply.element(10));
    state.image_url = reply_str(reply.element(11));
    state.challenge = reply_str(reply.element(12)) == "1";
    state.pow_bits =
        static_cast<int>(std::clamp<std::int64_t>(to_int(reply.element(13), 0), 0, kMaxPowBits));
    state.challenge_lead_ms = to_int(reply.element(14), 0);
    state.reservation.opens_ms = to_int(reply.element(15), 0);
    state.reservation.closes_ms = to_int(reply.element(16), 0);
    state.reservation.draw = to_int(reply.element(17), 0);
    state.reservation.reserved = to_int(reply.element(18), 0);
    state.reservation.seed = reply_str(reply.element(19));
    state.reservation.drawn = to_int(reply.element(20), 0);
    products->emplace(state.id, std::move(state));
  }
  cache_.replace(std::move(products));
  const RedisReply& users = (*replies)[listed.size()];
  const RedisReply& addresses = (*replies)[listed.size() + 1];
  if (users.is_array() && addresses.is_array()) {
    blocklist_.replace(std::make_shared<const Blocklist>(
        make_blocklist(hash_entries(users), hash_entries(addresses), now)));
  }
  health_.report(true);
  return true;
}

}  // namespace seckill::proxy
