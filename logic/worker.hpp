// Worker: one logic thread: pop a batch of requests from seckill:req, decide them, repeat.
//
// Each worker owns its Redis connection and its Decider, and shares nothing with other workers
// but the stop flag and the counters. A malformed message is logged and dropped. When Redis
// fails mid-batch the requests stay in memory and are decided again once Redis is back (the
// script is idempotent), until their deadline has passed: after that the script would only
// answer "expired", and the proxy has answered 5004 already.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/redis_connection.hpp"
#include "common/wire.hpp"
#include "logic/decision.hpp"
#include "logic/logic_config.hpp"

namespace seckill::logic {

/// Counters shared by all workers of a process.
struct WorkerStats {
  std::atomic<std::uint64_t> decided{0};
  std::atomic<std::uint64_t> purchased{0};
  std::atomic<std::uint64_t> malformed{0};
  std::atomic<std::uint64_t> script_errors{0};
  std::atomic<std::uint64_t> abandoned{0};
};

class Worker {
 public:
  Worker(const LogicConfig& config, const std::atomic<bool>& stopping, WorkerStats& stats);

  /// Runs until the stop flag is set; finishes the batch in hand before returning.
  void run();

 private:
  /// Blocks up to pop_block for the first message, then takes what else is queued.
  std::vector<std::string> pop_messages();
  std::vector<PurchaseRequest> decode(const std::vector<std::string>& messages);
  void decide_until_done(std::vector<PurchaseRequest> requests);
  void count(const std::vector<Result<PurchaseReply>>& decisions,
             const std::vector<PurchaseRequest>& requests);

  const LogicConfig& config_;
  const std::atomic<bool>& stopping_;
  WorkerStats& stats_;
  RedisConnection redis_;
  Decider decider_;
  std::string block_seconds_;
  std::string more_count_;
};

}  // namespace seckill::logic
