// ClusterRouter: sends each command to the Redis node that serves its key's slot.
//
// A thin router over RedisConnection (hiredis 0.14 has no cluster support): one connection per
// node, the slot map read with CLUSTER SHARDS at start, after MOVED, after connection errors and
// every refresh interval. Replies the cluster uses to steer clients are handled here:
//   MOVED        the slot has a new owner: note it, schedule a full refresh, resend there;
//   ASK          the key is being migrated: ASKING + the command on the target, for commands
//                that touch one key only (a multi-key command or a script is never followed
//                half-way into another node: the caller gets the error and backs off);
//   TRYAGAIN     a multi-key command met a slot mid-migration: short pauses, resend;
//   CLUSTERDOWN, LOADING, READONLY, MASTERDOWN: refresh, and report the node unavailable.
// An I/O error after a command was sent means "maybe applied": it is never resent blindly;
// last_failure_maybe_applied() tells the caller. A plain Redis is the one node that owns every
// slot. Not thread-safe: one router per thread, like its connections.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/cluster/cluster_map.hpp"
#include "common/redis/redis_connection.hpp"

namespace seckill {

/// An error reply by which the cluster sent a command elsewhere (MOVED, ASK, TRYAGAIN): the
/// command was not applied where it went.
bool is_redirect_error(std::string_view error);
/// A redirect, or CLUSTERDOWN: the command's slot is moving or not served now, and nothing was
/// applied; it may go again once the slot has settled.
bool is_slot_unsettled(std::string_view error);

class ClusterRouter {
 public:
  /// `base` gives the timeouts of every node's connection; `seeds` where to read the map from.
  ClusterRouter(RedisConfig base, std::vector<NodeAddress> seeds,
                std::chrono::milliseconds refresh_interval = std::chrono::seconds(10));

  /// Runs `argv` on the node serving `routing_key`'s slot. `single_key`: the command touches
  /// that key alone, so an ASK redirect may be followed. An empty key (a command without one)
  /// goes to the master of slot 0. `extra_timeout` as for RedisConnection::command().
  Result<RedisReply> command(const std::vector<std::string>& argv, std::string_view routing_key,
                             bool single_key = true, std::chrono::milliseconds extra_timeout = {});
  /// Runs `argv` on `node` itself, whatever it serves (INFO, SCAN, CLUSTER ... of each master).
  Result<RedisReply> command_on(const NodeAddress& node, const std::vector<std::string>& argv);

  /// One command of a pipeline and the key that routes it.
  struct Routed {
    std::vector<std::string> argv;
    std::string routing_key;
    bool single_key = true;  // as for command()
  };

  /// Runs `commands` in one round trip per node that serves any of them (the nodes one after
  /// another), and hands the replies back in the order of `commands`. A command answered MOVED,
  /// ASK or TRYAGAIN was not applied and is sent again alone, as command() would. A transport
  /// failure fails the whole call; last_failure_maybe_applied() then says whether any command
  /// may have been applied (on that node, or on a node that answered before it).
  Result<std::vector<RedisReply>> pipeline(const std::vector<Routed>& commands,
                                           std::chrono::milliseconds extra_timeout = {});

  /// A command already written as RESP, and what routes it. An empty key means "where the
  /// command before it went": a WAIT confirms the writes just before it on their own node.
  struct RoutedResp {
    std::string_view resp;
    std::string_view routing_key;
    bool single_key = true;
  };
  /// pipeline() for commands written as RESP (the proxy's big RPUSHes).
  Result<std::vector<RedisReply>> pipeline_resp(const std::vector<RoutedResp>& commands,
                                                std::chrono::milliseconds extra_timeout = {});

  /// pipeline_resp() that lets one node's failure fail only that node's commands: each
  /// command's reply, or the Error of its node; `maybe_applied[i]` then says whether command i
  /// may have been applied. The healthy masters' commands are answered whatever the others do.
  std::vector<Result<RedisReply>> pipeline_resp_each(const std::vector<RoutedResp>& commands,
                                                     std::vector<bool>& maybe_applied,
                                                     std::chrono::milliseconds extra_timeout = {});

  /// The master serving `key` now, as "host:port" (empty when none does).
  std::string node_of(std::string_view key);
  /// PINGs every connection that sat unused for the keepalive (see RedisConnection).
  void keep_alive();
  /// Waits until the node that failed last may be tried again (at most `cap`).
  void wait_before_retry(std::chrono::milliseconds cap) const;

  /// Re-reads the slot map from any node that answers.
  Status refresh();

  /// The map as last read (refreshing first when due).
  const ClusterMap& map();
  /// The class of the last failure, and whether its command may have been applied.
  RedisErrc last_error_kind() const { return last_error_kind_; }
  bool last_failure_maybe_applied() const { return maybe_applied_; }
  /// How many redirects (MOVED, ASK) and retries (TRYAGAIN) the router followed, for tests and
  /// metrics.
  std::uint64_t redirects() const { return redirects_; }
  std::uint64_t retries() const { return retries_; }

 private:
  RedisConnection& connection(const NodeAddress& node);
  /// The loop behind command(): one command, its redirects followed.
  Result<RedisReply> send_alone(std::string_view resp, std::string_view routing_key,
                                bool single_key, std::chrono::milliseconds extra_timeout);
  void refresh_if_due();
  Error fail(RedisErrc kind, bool maybe_applied, std::string message);

  RedisConfig base_;
  std::vector<NodeAddress> seeds_;
  std::chrono::milliseconds refresh_interval_;
  ClusterMap map_;
  bool map_read_ = false;
  bool refresh_due_ = true;
  std::chrono::steady_clock::time_point next_refresh_{};
  std::map<std::string, std::unique_ptr<RedisConnection>> connections_;  // by "host:port"
  RedisErrc last_error_kind_ = RedisErrc::kUnavailable;
  bool maybe_applied_ = false;
  RedisConnection* last_failed_ = nullptr;  // for wait_before_retry()
  std::uint64_t redirects_ = 0;
  std::uint64_t retries_ = 0;
};

}  // namespace seckill
