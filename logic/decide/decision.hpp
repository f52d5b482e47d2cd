// Decider: decides purchase requests with the atomic Lua scripts (scripts/decide.lua for
// requests in hand, scripts/take_and_decide.lua for requests still on the queue).
//
// A batch of requests is split by product; each product's requests go to one script call that
// checks the window, the per-user limit and the stock per request, in arrival order, records the
// orders and pushes the replies onto the proxies' reply lists, all in one atomic step. The calls
// of a batch travel in one pipelined round trip. The script is idempotent by request id, so a batch
// whose outcome is unknown (the connection broke mid-way) is simply decided again.
// Not thread-safe: each worker owns one Decider.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/redis/redis_client.hpp"
#include "common/store/lua_script.hpp"
#include "common/store/redis_keys.hpp"
#include "common/wire.hpp"
#include "logic/logic_config.hpp"

namespace seckill::logic {

/// How decide() begins the Error of a call Redis answered with an error reply (the reply
/// follows).
inline constexpr std::string_view kScriptFailed = "script failed: ";

/// Replies to deliver, by reply list (list name, replies in order).
using ReplyLists = std::vector<std::pair<std::string, std::vector<std::string>>>;

/// What one take_and_decide.lua call did, for one group's queue.
struct QueueRound {
  keys::GroupId group = 0;
  std::size_t taken = 0;  // requests taken from the head of the queue and decided
  bool stopped = false;   // it stopped at a message only the full decoder can read
  // Redis refused the script or it failed (`error` says why): nothing was taken off the queue
  // (any decision it made before failing stands, and is repeated when decided again).
  bool script_error = false;
  // On a cluster: the group's master could not be reached (the other masters' rounds went on).
  bool unavailable = false;
  std::string error;
  std::vector<Code> codes;  // the decision of each request taken
  /// With redis.ack_replicas: the replies the script left for the worker to push, and how many
  /// replicas WAIT said have the decisions.
  ReplyLists unpushed;
  std::optional<std::int64_t> acked;
};

class Decider {
 public:
  explicit Decider(const LogicConfig& config);

  /// Takes up to `max` requests from the head of each group's queue and decides them, one
  /// atomic script per group, all in one pipelined round trip: no processing list, no round
  /// trip of the requests through this process. Reads only messages in the form the proxy
  /// writes and stops at the first other one, which it leaves at the head for decide(). A
  /// transport failure is an Error (each script then ran entirely or not at all: nothing is
  /// lost either way). The rounds come back in the order of `groups`. On a cluster each master
  /// gets its own round trip, and a master that cannot be reached marks its rounds
  /// `unavailable` rather than failing the others (an Error only when no master answered).
  Result<std::vector<QueueRound>> decide_from_queues(RedisClient& redis,
                                                     const std::vector<keys::GroupId>& groups,
                                                     int max);

  /// Decides every request, taken from the queue of `group`: each request's product is looked
  /// up in that group (a product of another group is unknown there: 4004). A transport
  /// failure fails the batch as a whole; otherwise each request gets its reply, or an Error
  /// when Redis refused that one script call.
  Result<std::vector<Result<PurchaseReply>>> decide(RedisClient& redis, keys::GroupId group,
                                                    const std::vector<PurchaseRequest>& requests);
  /// With redis.ack_replicas, after decide(): the replicas WAIT counted (the replies were not
  /// pushed: the caller pushes them once enough replicas have the decisions).
  std::optional<std::int64_t> last_acked() const { return last_acked_; }
  /// Whether decisions wait for replicas (redis.ack_replicas > 0).
  bool waits_for_replicas() const { return !wait_.empty(); }
  /// Whether the scripts push the replies themselves; if not, the replies come back (in
  /// QueueRound::unpushed, or as decide()'s replies) for the worker to push.
  bool pushes_in_script() const { return push_in_script_ == "1"; }

 private:
  LuaScript script_;
  LuaScript queue_script_;
  std::string reply_ttl_ms_;
  std::string retention_ms_;
  std::string max_ahead_ms_;
  std::string push_in_script_;                  // "1", or "0" when waiting for replicas
  std::vector<std::vector<std::string>> wait_;  // {WAIT n ms}, or nothing
  std::optional<std::int64_t> last_acked_;
};

}  // namespace seckill::logic
