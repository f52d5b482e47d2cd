#include "logic/groups/membership.hpp"

#include <map>

#include <glog/logging.h>

#include "common/store/redis_keys.hpp"

namespace seckill {
extern const std::string_view kRequeueScript;
}

namespace seckill::logic {

Membership::Membership(const LogicConfig& config, WorkerStats& stats, ServedGroups& groups)
    : config_(config),
      stats_(stats),
      redis_(config.redis),
      requeue_script_(kRequeueScript),
      lease_(keys::logic_alive(config.logic_id), "logic_id '" + config.logic_id + "'",
             config.dead_after),
      groups_(groups),
      thread_("heartbeat", config.heartbeat, [this] { tick(); }) {}

std::vector<std::string> Membership::lists_in(const std::vector<keys::GroupId>& groups) const {
  std::vector<std::string> lists;
  for (keys::GroupId group : groups) {
    for (int i = 0; i < config_.workers; ++i) {
      lists.push_back(keys::processing(group, config_.logic_id, i));
    }
  }
  return lists;
}

bool Membership::follow_groups() {
  auto directory = redis_.command({"HVALS", keys::kProducts});
  if (!directory || !directory->is_array()) return false;
  std::vector<keys::GroupId> groups;
  for (std::size_t i = 0; i < directory->size(); ++i) {
    // A value that is not a group is skipped: the products it lists are refused (4004).
    auto group = keys::parse_group(reply_str(directory->element(i)));
    if (group) groups.push_back(*group);
  }
  groups_.replace(std::move(groups));
  return true;
}

void Membership::renew_lease() {
  const IdLease::Renewal renewal = lease_.renew(redis_);
  if (renewal == IdLease::Renewal::kUnreachable) return;
  const bool lost = renewal == IdLease::Renewal::kLost;
  if (lost) {
    LOG_EVERY_T(ERROR, 10) << "logic: " << lease_.what() << " is leased by another live process ("
                           << lease_.other_holder() << "); not deciding until it is ours again";
  } else if (stats_.lease_lost.load()) {
    LOG(INFO) << "logic: " << lease_.what() << " is ours again";
  }
  stats_.lease_lost.store(lost);
}

void Membership::check_eviction_policy() {
  auto problem = eviction_problem(redis_);
  if (!problem) return;  // unreachable: the next tick asks again
  const bool unsafe = !problem->empty();
  if (unsafe) {
    LOG_EVERY_T(ERROR, 10) << "logic: Redis maxmemory-policy is " << *problem
                           << ", which may evict orders and stock; not deciding until it is "
                              "noeviction";
  } else if (stats_.eviction_unsafe.load()) {
    LOG(INFO) << "logic: Redis maxmemory-policy is noeviction again";
  }
  stats_.eviction_unsafe.store(unsafe);
}

void Membership::tick() {
  renew_lease();
  if (!follow_groups()) {
    LOG_EVERY_T(WARNING, 5) << "logic: reading the product directory failed";
  }
  check_eviction_policy();
  auto registered =
      redis_.pipeline({{"SADD", keys::kLogicIds, config_.logic_id}, {"SMEMBERS", keys::kLogicIds}});
  if (!registered) {
    LOG_EVERY_T(WARNING, 5) << "logic: heartbeat failed: " << registered.error().message;
    return;
  }
  const RedisReply& peers = registered->back();
  std::vector<std::string> others;
  for (std::size_t i = 0; i < peers.size(); ++i) {
    std::string peer(reply_str(peers.element(i)));
    if (peer != config_.logic_id) others.push_back(std::move(peer));
  }
  if (others.empty()) return;
  std::vector<std::vector<std::string>> checks;
  for (const auto& peer : others) checks.push_back({"EXISTS", keys::logic_alive(peer)});
  auto alive = redis_.pipeline(checks);
  if (!alive) return;
  for (std::size_t i = 0; i < others.size(); ++i) {
    if ((*alive)[i].integer() == 0) recover(others[i]);
  }
}

void Membership::recover(const std::string& peer) {
  auto lists = redis_.command({"SMEMBERS", keys::logic_lists(peer)});
  if (!lists || !lists->is_array()) return;
  // One script per group: a group's lists and queue share its slot.
  std::map<keys::GroupId, LuaScript::Call> by_group;
  for (std::size_t i = 0; i < lists->size(); ++i) {
    std::string list(reply_str(lists->element(i)));
    auto group = keys::group_of_key(list);
    if (!group) continue;  // not a list this version names: nothing to put back
    LuaScript::Call& call = by_group[*group];
    if (call.keys.empty()) call.keys.push_back(keys::requests(*group));
    call.keys.push_back(std::move(list));
  }
  std::int64_t moved = 0;
  for (const auto& [group, call] : by_group) {
    auto put_back = requeue_script_.run(redis_, call);
    if (!put_back || put_back->is_error()) return;  // retried next tick
    moved += put_back->integer();
  }
  // Forget the peer only after its lists are empty; a failure here is retried next tick.
  auto forgotten =
      redis_.pipeline({{"DEL", keys::logic_lists(peer)}, {"SREM", keys::kLogicIds, peer}});
  stats_.requeued.fetch_add(static_cast<std::uint64_t>(moved));
  LOG(WARNING) << "logic: peer " << peer << " is gone; put back " << moved << " requests it held"
               << (forgotten ? "" : " (registry cleanup pending)");
}

void Membership::stop() {
  thread_.stop();
  std::vector<std::vector<std::string>> lengths;
  for (const auto& list : lists_in(groups_.all())) lengths.push_back({"LLEN", list});
  auto held = redis_.pipeline(lengths);
  if (!held) return;
  for (const auto& length : *held) {
    if (length.integer() != 0) return;  // leave it to our restart or to a peer
  }
  lease_.release(redis_);
  auto left = redis_.pipeline(
      {{"DEL", keys::logic_lists(config_.logic_id)}, {"SREM", keys::kLogicIds, config_.logic_id}});
  if (!left) LOG(WARNING) << "logic: could not leave the registry: " << left.error().message;
}

}  // namespace seckill::logic
