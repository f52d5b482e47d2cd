// Worker: one logic thread: wait for requests, decide them straight from the queues, repeat.
//
// A worker serves a share of the groups in use (logic/groups/served_groups.hpp). The usual path
// never hands a request over: take_and_decide.lua takes a batch from the head of a group's queue
// and decides it in the same atomic step; one round trip carries one such script per group of the
// share, so every group gets a batch per round and none starves. Nothing is ever only in a
// worker's memory, and no crash can fall between taking a request and deciding it. When the
// queues are empty the worker blocks on a BLMOVE of a queue onto itself (head to head: a no-op
// that only waits), then goes back to deciding.
//
// The held path, for what the script does not decide itself (a message not in the form the
// proxy writes, or a script Redis refuses): the first request of a batch is moved from the
// group's queue to this worker's processing list of that group with BLMOVE, the rest with one
// atomic script (take_batch.lua); the batch is decoded here and decided request by request
// (decide.lua), and the list is only cleared once every request of it is decided (its reply
// already pushed). A worker that dies leaves its list behind: its own restart (same logic id)
// or a live peer (after the heartbeat lapses) puts the requests back at the head of the queue,
// and since decisions are idempotent, a request decided twice changes nothing the second time.
//
// A message that cannot be decoded goes straight to the dead-letter list (it never will
// decode); one whose decision keeps failing goes there after max_attempts. Either way it is
// logged and counted and never blocks the queue. When Redis fails mid-batch the requests stay
// queued or held and are decided again once Redis is back, until their deadline has passed.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/base/retry_backoff.hpp"
#include "common/redis/redis_client.hpp"
#include "common/store/lua_script.hpp"
#include "common/wire.hpp"
#include "logic/decide/decision.hpp"
#include "logic/groups/group_claims.hpp"
#include "logic/groups/served_groups.hpp"
#include "logic/logic_config.hpp"
#include "logic/logic_stats.hpp"

namespace seckill::logic {

/// Counters shared by all workers of a process.
using WorkerStats = LogicStats;

class Worker {
 public:
  Worker(const LogicConfig& config, int index, const std::atomic<bool>& stopping,
         WorkerStats& stats, const ServedGroups& groups, GroupClaims& claims);

  /// Runs until the stop flag is set; finishes the batch in hand before returning.
  void run();

 private:
  /// Picks up a change of the groups in use: this worker's share, and, for a group it has not
  /// served yet in this life, what its list there still holds from a previous life.
  void follow_groups();
  /// Puts back what this worker's list of `group` still holds; false when it could not be
  /// checked now (follow_groups() tries again next round).
  bool recover_own_list(keys::GroupId group);
  /// Takes the next batch of `group` into the processing list. `complete` tells whether the
  /// returned messages are known to be everything the list now holds.
  std::vector<std::string> take_batch(keys::GroupId group, bool& complete);
  /// Runs take_batch.lua for up to `count` requests, appending them to `messages`; false when
  /// the outcome is unknown (the list may hold requests `messages` does not).
  bool run_take_script(keys::GroupId group, const std::string& count,
                       std::vector<std::string>& messages);
  /// Blocks until a queue of the share holds a request, or the block time passes; returns the
  /// groups whose queues hold requests (empty: none, or Redis is away).
  std::vector<keys::GroupId> wait_for_requests();
  /// Decides a batch from each queue of `groups` with take_and_decide.lua, then sends a group
  /// whose head only the full decoder reads through the held path. Returns the groups that
  /// had work (more is probably waiting there).
  std::vector<keys::GroupId> decide_from_queues(const std::vector<keys::GroupId>& groups);
  /// Takes one batch of `group` into the processing list and decides it request by request.
  void decide_one_held_batch(keys::GroupId group);
  std::vector<PurchaseRequest> decode(const std::vector<std::string>& messages);
  void decide_until_done(keys::GroupId group, std::vector<PurchaseRequest> requests);
  /// Clears the processing list of `group` (or, when its content is not known exactly, puts it
  /// back), after pushing the batch's dead letters. Retried until done or stopping.
  void release(keys::GroupId group, bool complete);
  std::string processing_list(keys::GroupId group) const;
  void count(const PurchaseReply& reply, const PurchaseRequest& request);
  /// After an error reply (OOM, LOADING, a refused script): log it and pause, longer each time
  /// in a row, so a refusing Redis is not asked again at once.
  void refused(std::string_view what, std::string_view error);
  /// Whether a WAIT that counted `acked` replicas lets the replies out (always, without
  /// redis.ack_replicas). Otherwise they are withheld: a failover could take those decisions
  /// back, so their buyers get 5004 and /result tells them.
  bool replicas_have(std::optional<std::int64_t> acked) const;
  void withhold(const ReplyLists& lists);
  /// Counts a round of WAITs that missed (or resets the count when none did).
  void note_wait(bool missed);
  /// Pushes replies the scripts left to the worker onto the proxies' reply lists.
  void push_replies(const ReplyLists& lists);
  /// After wait_failures_to_pause failed WAITs in a row: takes no work until a WAIT reaches
  /// the replicas again, and meanwhile marks its groups in kUnreplicatedGroups.
  void wait_for_replicas();
  /// Sets (or clears) this worker's groups in kUnreplicatedGroups.
  void mark_groups_behind(bool behind);

  const LogicConfig& config_;
  const int index_;
  const std::atomic<bool>& stopping_;
  WorkerStats& stats_;
  const ServedGroups& served_;
  GroupClaims& claims_;
  std::uint64_t served_generation_ = 0;
  bool recovery_pending_ = false;          // a group's old list is still to be put back
  std::vector<keys::GroupId> share_;       // the groups this worker serves
  std::vector<keys::GroupId> held_;        // the groups it gathers rounds for (GroupClaims)
  std::vector<keys::GroupId> recovered_;   // groups whose old list was put back
  std::vector<keys::GroupId> registered_;  // groups whose list is in the registry
  std::size_t next_blocking_group_ = 0;    // the queue a wait blocks on: the last busy one
  std::uint64_t busy_rounds_ = 0;          // rounds in a row that decided something
  bool last_round_full_ = false;           // some group's round took a whole batch: a backlog
  RedisClient redis_;
  Decider decider_;
  LuaScript take_script_;
  LuaScript requeue_script_;
  std::string block_seconds_;
  std::string group_poll_seconds_;
  std::string more_count_;
  std::vector<std::string> dead_letters_;  // of the batch in hand
  RetryBackoff backoff_;                   // grows while Redis keeps refusing
  int wait_failures_in_a_row_ = 0;
};

}  // namespace seckill::logic
