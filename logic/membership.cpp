#include "logic/membership.hpp"

#include <glog/logging.h>

#include "common/redis_keys.hpp"

namespace seckill {
extern const std::string_view kRequeueScript;
}

namespace seckill::logic {

Membership::Membership(const LogicConfig& config, WorkerStats& stats)
    : config_(config),
      stats_(stats),
      redis_(config.redis),
      requeue_script_(kRequeueScript),
      thread_(config.heartbeat, [this] { tick(); }) {
  for (int i = 0; i < config.workers; ++i)
    own_lists_.push_back(keys::processing(config.logic_id, i));
}

void Membership::tick() {
  std::vector<std::string> register_lists = {"SADD", keys::logic_lists(config_.logic_id)};
  register_lists.insert(register_lists.end(), own_lists_.begin(), own_lists_.end());
  auto registered = redis_.pipeline({{"SET", keys::logic_alive(config_.logic_id), "1", "PX",
                                      std::to_string(config_.dead_after.count())},
                                     {"SADD", keys::kLogicIds, config_.logic_id},
                                     register_lists,
                                     {"SMEMBERS", keys::kLogicIds}});
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
  LuaScript::Call call{.keys = {keys::kRequests}, .args = {keys::logic_alive(peer)}};
  for (std::size_t i = 0; i < lists->size(); ++i)
    call.keys.emplace_back(reply_str(lists->element(i)));
  auto moved = requeue_script_.run(redis_, call);
  if (!moved || moved->is_error() || moved->integer() < 0) return;  // failed, or alive after all
  // Forget the peer only after its lists are empty; a failure here is retried next tick.
  auto forgotten =
      redis_.pipeline({{"DEL", keys::logic_lists(peer)}, {"SREM", keys::kLogicIds, peer}});
  stats_.requeued.fetch_add(static_cast<std::uint64_t>(moved->integer()));
  LOG(WARNING) << "logic: peer " << peer << " is gone; put back " << moved->integer()
               << " requests it held" << (forgotten ? "" : " (registry cleanup pending)");
}

void Membership::stop() {
  thread_.stop();
  std::vector<std::vector<std::string>> lengths;
  for (const auto& list : own_lists_) lengths.push_back({"LLEN", list});
  auto held = redis_.pipeline(lengths);
  if (!held) return;
  for (const auto& length : *held) {
    if (length.integer() != 0) return;  // leave it to our restart or to a peer
  }
  auto left = redis_.pipeline({{"DEL", keys::logic_alive(config_.logic_id)},
                               {"DEL", keys::logic_lists(config_.logic_id)},
                               {"SREM", keys::kLogicIds, config_.logic_id}});
  if (!left) LOG(WARNING) << "logic: could not leave the registry: " << left.error().message;
}

}  // namespace seckill::logic
