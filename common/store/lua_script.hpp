// LuaScript: runs a Lua script by EVALSHA and survives a Redis restart.
//
// The script is loaded with SCRIPT LOAD on first use. A restarted (or failed-over) Redis has an
// empty script cache and answers NOSCRIPT: we load the script again and re-run exactly the calls
// that got NOSCRIPT. Callers must make their scripts safe to re-run (ours are idempotent by
// request id or by design). One instance per thread: it keeps the SHA without locking.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/redis/redis_client.hpp"

namespace seckill {

class LuaScript {
 public:
  explicit LuaScript(std::string_view source) : source_(source) {}

  /// One call: keys and args as EVALSHA takes them.
  struct Call {
    std::vector<std::string> keys;
    std::vector<std::string> args;
  };

  /// Runs every call in one pipelined round trip. A transport failure fails the whole batch (the
  /// caller retries; the scripts are idempotent). Redis error replies come back per call.
  /// `trailing` commands (WAIT, say) follow the calls in the same round trip, after any call
  /// that had to be redone; their replies come last.
  Result<std::vector<RedisReply>> run_batch(
      RedisClient& redis, const std::vector<Call>& calls,
      const std::vector<std::vector<std::string>>& trailing = {});

  /// Runs one call.
  Result<RedisReply> run(RedisClient& redis, const Call& call);

  /// How many times, in this process, a batch met NOSCRIPT and the script was loaded again:
  /// after a restart or a failover each connection reloads each script once (SCRIPT LOAD is
  /// not replicated), which is the whole cost of keeping EVALSHA over FUNCTION.
  static std::atomic<std::uint64_t>& reloads_after_noscript();

 private:
  /// SCRIPT LOAD on the node that serves `beside` (a key of the call that needs it).
  Status load(RedisClient& redis, std::string_view beside);
  static std::string_view first_key(const Call& call);
  std::vector<std::string> evalsha(const Call& call) const;

  std::string source_;
  std::string sha_;
};

}  // namespace seckill
