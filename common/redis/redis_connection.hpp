// RedisConnection: one blocking hiredis connection owned by one thread.
//
// hiredis contexts are not thread-safe and cannot be reused after an I/O error, so each Redis
// thread (proxy writer/reader, logic worker, product refresher) owns one of these. Any transport
// failure drops the context; the next call reconnects, but not before a backoff delay (50 ms
// doubling to 1 s, with jitter) has passed: until then calls fail at once with kUnavailable, so an
// outage turns into fast errors instead of threads hammering a dead server.
//
// Errors are classified as kTimeout (the socket timeout expired), kUnavailable (cannot connect,
// connection reset) or kProtocol (a reply we cannot use). A Redis error reply ("-ERR ...") is not
// a transport failure: it comes back as a RedisReply whose is_error() is true.
//
// Connections close under us in production: Redis's idle `timeout`, an error reply followed by a
// close (maxclients), a restart. So a new connection proves itself with one round trip before it
// is used (and, for the logic, checks that Redis will not evict keys), and a connection that sat
// unused or last saw an error reply is probed before a command goes out: one closed meanwhile is
// replaced at once, before anything was sent, instead of failing the command. keep_alive() PINGs
// a connection that would otherwise sit idle long enough to be closed.
//
// In sentinel mode each (re)connect asks the sentinels where the master is (SENTINEL
// get-master-addr-by-name) and the handshake checks ROLE says master there; a READONLY or
// LOADING reply (a failover under way) makes the next call find the master again, and so does
// a sentinel naming another master (asked at most once a second while the connection is used).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/redis/redis_config.hpp"

struct redisContext;
struct redisReply;

namespace seckill {

enum class RedisErrc { kTimeout, kUnavailable, kProtocol };

/// An owned hiredis reply.
class RedisReply {
 public:
  explicit RedisReply(redisReply* reply);

  bool is_error() const;
  bool is_nil() const;
  bool is_string() const;  // bulk string or status
  bool is_integer() const;
  bool is_array() const;

  std::string_view str() const;
  std::int64_t integer() const;
  std::size_t size() const;  // array length
  /// Element `i` of an array reply, borrowed from this reply.
  const redisReply* element(std::size_t i) const;
  const redisReply* raw() const { return reply_.get(); }

 private:
  struct Free {
    void operator()(redisReply* reply) const;
  };
  std::unique_ptr<redisReply, Free> reply_;
};

/// The maxmemory_policy of an INFO (memory) reply's text; empty when it is not there.
std::string_view maxmemory_policy(std::string_view info);

/// Borrowed-element helpers for array replies.
std::string_view reply_str(const redisReply* element);
bool reply_is_nil(const redisReply* element);
/// An integer element's value; 0 for any other kind.
std::int64_t reply_integer(const redisReply* element);
/// A sorted-set score element (Redis writes scores as doubles: "1764770400123", "1.7e12"),
/// truncated to an integer; 0 when it is not a number.
std::int64_t reply_score(const redisReply* element);

class RedisConnection {
 public:
  explicit RedisConnection(RedisConfig config);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;
  RedisConnection(RedisConnection&&) = delete;
  RedisConnection& operator=(RedisConnection&&) = delete;

  /// Runs one command. `extra_timeout` is added to the socket timeout (for BLPOP and friends).
  Result<RedisReply> command(const std::vector<std::string>& argv,
                             std::chrono::milliseconds extra_timeout = {});

  /// Sends all commands in one write and reads every reply: one round trip for a batch.
  /// `extra_timeout` as for command(), when the batch holds a blocking command.
  Result<std::vector<RedisReply>> pipeline(const std::vector<std::vector<std::string>>& commands,
                                           std::chrono::milliseconds extra_timeout = {});
  /// The same for commands already written as RESP (see RespCommand).
  Result<std::vector<RedisReply>> pipeline_resp(const std::vector<std::string_view>& commands,
                                                std::chrono::milliseconds extra_timeout = {});

  /// Connected now, as far as the last call knows.
  bool connected() const { return context_ != nullptr; }
  /// The class of the last failure, valid after a call returned an error.
  RedisErrc last_error_kind() const { return last_error_kind_; }
  /// After a failed call: whether the command may have reached Redis (and so may have been
  /// applied). False when the call failed before anything was written, e.g. cannot connect.
  bool last_failure_maybe_applied() const { return sent_; }

  /// PINGs the connection when it has been unused for the configured keepalive; callers that can
  /// sit idle (a writer with nothing to write) call it while they wait.
  void keep_alive();

  /// Sleeps until a reconnect attempt is allowed (at most `cap`): callers in a loop use it after
  /// a failure so they neither spin nor sleep past the moment Redis could be back.
  void wait_before_retry(std::chrono::milliseconds cap) const;

  const RedisConfig& config() const { return config_; }

 private:
  bool ensure_connected();
  /// Where to connect: the configured Redis, or the master the sentinels name now.
  std::optional<NodeAddress> target();
  /// ensure_connected(), after replacing a connection found closed while it was unused.
  bool ensure_usable();
  /// Proves a new connection (and checks the eviction policy when required); false: dropped.
  bool handshake(redisContext* context, const NodeAddress& node);
  /// Whether the socket is still open with nothing unread (no reply is outstanding here).
  bool socket_looks_open() const;
  /// Bookkeeping after a reply arrived: error replies make the connection suspect.
  void note_reply(const redisReply* reply);
  void set_timeout(std::chrono::milliseconds timeout);
  Error fail(RedisErrc kind, std::string message);
  Error fail_from_context(std::string_view what);

  RedisConfig config_;
  redisContext* context_ = nullptr;
  std::chrono::milliseconds current_timeout_{0};
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{0};
  RedisErrc last_error_kind_ = RedisErrc::kUnavailable;
  std::string last_error_;  // why the last failure happened, for the errors of later calls
  bool sent_ = false;
  // The last reply was an error: Redis may have closed the connection right after it.
  bool suspect_ = false;
  // Sentinel mode, the last reply said this node no longer serves as master (READONLY,
  // LOADING): the next call finds the master again.
  bool find_master_again_ = false;
  std::size_t next_sentinel_ = 0;  // the one to ask first: the last that answered
  NodeAddress connected_to_;       // the node of the open context
  // Sentinel mode: when to ask the sentinels again whether the master is still connected_to_.
  // A demoted master goes on taking writes until Sentinel reconfigures it (up to ~10 s).
  std::chrono::steady_clock::time_point next_master_check_{};
  std::chrono::steady_clock::time_point last_used_{};
  std::minstd_rand jitter_;
};

}  // namespace seckill
