// Worker: one logic thread: take a batch of requests, decide them, release them, repeat.
//
// Crash-safe hand-off: requests are never only in a worker's memory. The first request of a
// batch is moved from seckill:req to this worker's processing list with BLMOVE, the rest with
// one atomic script (take_batch.lua), and the list is only cleared once every request of the
// batch is decided (the decision already pushed its reply). A worker that dies leaves its list
// behind: its own restart (same logic id) or a live peer (after the heartbeat lapses) puts the
// requests back at the head of seckill:req, and since decisions are idempotent, a request
// decided twice changes nothing the second time.
//
// Under a steady load (the last take filled a whole batch) the worker skips the blocking pop
// and lets the next take clear the decided batch first: two round trips per batch (take,
// decide) instead of four (pop, take, decide, clear). As soon as a take comes back short, it
// clears the list on its own and goes back to waiting on BLMOVE.
//
// A message that cannot be decoded goes straight to the dead-letter list (it never will
// decode); one whose decision keeps failing goes there after max_attempts. Either way it is
// logged and counted and never blocks the queue. When Redis fails mid-batch the requests stay
// held and are decided again once Redis is back, until their deadline has passed.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/lua_script.hpp"
#include "common/redis_connection.hpp"
#include "common/wire.hpp"
#include "logic/decision.hpp"
#include "logic/logic_config.hpp"
#include "logic/logic_stats.hpp"

namespace seckill::logic {

/// Counters shared by all workers of a process.
using WorkerStats = LogicStats;

class Worker {
 public:
  Worker(const LogicConfig& config, int index, const std::atomic<bool>& stopping,
         WorkerStats& stats);

  /// Runs until the stop flag is set; finishes the batch in hand before returning.
  void run();

 private:
  /// Puts back what this worker's list still holds from a previous life; retried until done.
  void recover_own_list();
  /// Takes the next batch into the processing list. `complete` tells whether the returned
  /// messages are known to be everything the list now holds.
  std::vector<std::string> take_batch(bool& complete);
  /// Takes a whole batch without blocking, first clearing the processing list when
  /// `clear_decided` (it then holds decided requests only).
  std::vector<std::string> take_more(bool& complete, bool clear_decided);
  /// Runs take_batch.lua for up to `count` requests, appending them to `messages`; false when
  /// the outcome is unknown (the list may hold requests `messages` does not).
  bool run_take_script(const std::string& count, bool clear_decided,
                       std::vector<std::string>& messages);
  std::vector<PurchaseRequest> decode(const std::vector<std::string>& messages);
  void decide_until_done(std::vector<PurchaseRequest> requests);
  /// Clears the processing list (or, when its content is not known exactly, puts it back),
  /// after pushing the batch's dead letters. Retried until done or stopping.
  void release(bool complete);
  void count(const PurchaseReply& reply, const PurchaseRequest& request);

  const LogicConfig& config_;
  const std::atomic<bool>& stopping_;
  WorkerStats& stats_;
  RedisConnection redis_;
  Decider decider_;
  LuaScript take_script_;
  LuaScript requeue_script_;
  std::string processing_;
  std::string block_seconds_;
  std::string more_count_;
  std::string batch_count_;
  std::vector<std::string> dead_letters_;  // of the batch in hand
};

}  // namespace seckill::logic
