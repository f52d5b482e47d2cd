// Decider: decides purchase requests with the atomic Lua script (scripts/decide.lua).
//
// A batch of requests is split by product; each product's requests go to one script call that
// checks the window, the per-user limit and the stock per request, in arrival order, records the
// orders and pushes the replies onto the proxies' reply lists, all in one atomic step. The calls
// of a batch travel in one pipelined round trip. The script is idempotent by request id, so a batch
// whose outcome is unknown (the connection broke mid-way) is simply decided again.
// Not thread-safe: each worker owns one Decider.
#pragma once

#include <vector>

#include "common/lua_script.hpp"
#include "common/redis_connection.hpp"
#include "common/wire.hpp"
#include "logic/logic_config.hpp"

namespace seckill::logic {

class Decider {
 public:
  explicit Decider(const LogicConfig& config);

  /// Decides every request. A transport failure fails the batch as a whole; otherwise each
  /// request gets its reply, or an Error when Redis refused that one script call.
  Result<std::vector<Result<PurchaseReply>>> decide(RedisConnection& redis,
                                                    const std::vector<PurchaseRequest>& requests);

 private:
  LuaScript script_;
  std::string reply_ttl_ms_;
  std::string retention_ms_;
};

}  // namespace seckill::logic
