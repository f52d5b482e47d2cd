// IdLease: a process's claim on its id (proxy id, logic id) in Redis, so that two live
// processes never share one.
//
// Two proxies with one id would take each other's replies off one reply list; two logic
// processes with one id would clear each other's processing lists. The lease is one key that
// names its holder ("<host>:<pid>:<random>") and expires unless renewed. claim() takes it when it
// is free or ours, and when it names a process of this host that no longer exists (a restart
// after a crash need not wait). A lease held by anyone else is waited out for one lease time:
// a dead holder's lease expires within it, a live duplicate keeps renewing and is refused.
// renew() extends the lease only while it still names us (one atomic script), and takes it back
// if it lapsed during an outage. Not thread-safe: one thread claims and renews.
#pragma once

#include <chrono>
#include <string>

#include "common/base/result.hpp"
#include "common/redis/redis_client.hpp"
#include "common/store/lua_script.hpp"

namespace seckill {

class IdLease {
 public:
  /// `key` is the lease's key; `what` names the id in messages ("proxy_id: edge-1").
  IdLease(std::string key, std::string what, std::chrono::milliseconds ttl);

  enum class Claim { kClaimed, kHeldByAnother, kUnreachable };
  /// Takes the lease, waiting up to one lease time for a foreign holder's lease to lapse.
  /// kUnreachable when Redis did not answer within `patience` (the caller may go on and claim
  /// later through renew()).
  Claim claim(RedisClient& redis, std::chrono::milliseconds patience);

  enum class Renewal { kRenewed, kLost, kUnreachable };
  /// Extends the lease; takes it again when it has expired. kLost: another process holds it.
  Renewal renew(RedisClient& redis);

  /// Gives the lease up if it is still ours (a clean stop), so a successor need not wait.
  void release(RedisClient& redis);

  const std::string& holder() const { return holder_; }
  /// The holder named by the lease when the last claim or renewal found another one.
  const std::string& other_holder() const { return other_holder_; }
  const std::string& what() const { return what_; }
  std::chrono::milliseconds ttl() const { return ttl_; }

 private:
  /// One try: 1 taken or renewed, 0 held by another (other_holder_ set), -1 no answer.
  int try_take(RedisClient& redis, const std::string& replaceable);

  std::string key_;
  std::string what_;
  std::chrono::milliseconds ttl_;
  std::string holder_;
  std::string other_holder_;
  LuaScript script_;
};

/// "<host>:<pid>:<random hex>": names this process uniquely, even beside containers that share
/// its hostname and pid.
std::string unique_holder_name();

/// A default process id: "<host>-<pid>-<6 random hex digits>", at most 64 characters of
/// [A-Za-z0-9-.]. The random part keeps ids apart in containers that share a hostname and pid.
std::string default_process_id();

/// Whether `holder` (a unique_holder_name) is a process of this host that no longer runs.
bool holder_is_dead_here(const std::string& holder);

}  // namespace seckill
