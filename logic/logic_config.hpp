// Configuration of seckill-logic (config/logic.json), with the defaults a demo runs on.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "common/redis/redis_config.hpp"

namespace seckill::logic {

struct LogicConfig {
  RedisConfig redis;
  /// Names this process's processing lists; keep it across restarts so a restarted process
  /// finds its own lists at once. Leased in Redis while the process lives: a second live process
  /// with the same id is refused. Empty: host-pid-random (lists are then recovered by others).
  std::string logic_id;
  /// How often this process proves it lives (heartbeat) and looks for dead peers.
  std::chrono::milliseconds heartbeat{1000};
  /// A peer silent this long is dead: its processing lists go back to the request list.
  std::chrono::milliseconds dead_after{5000};
  /// Tries of a request whose decision keeps failing before it goes to the dead-letter list.
  int max_attempts = 3;
  /// Serves GET /metrics on this port (0: off) and address.
  int metrics_port = 0;
  std::string metrics_address = "127.0.0.1";
  /// Worker threads; each owns one Redis connection. Two keep Redis busy: every batch is one
  /// script run, and Redis runs one at a time; more only shrink the batches (measured: 4 workers
  /// 48k purchases/s, 2 workers 55k on a 2-core host). Scale out with more logic processes.
  int workers = 2;
  /// Most requests a worker takes and decides in one pipelined round trip.
  int batch_size = 64;
  /// How long one blocking pop waits; bounds how fast a worker notices shutdown.
  std::chrono::milliseconds pop_block{1000};
  /// A worker that serves several groups cannot block on all their queues at once (a blocking
  /// command takes one slot): when they are all empty it blocks this long on one of them, then
  /// looks at the others (one LLEN each, in the same round trip). Bounds the wait a request of
  /// an idle group can see; a worker with one group blocks for pop_block instead.
  std::chrono::milliseconds group_poll{2};
  /// How long a worker lets requests gather before a round, unless its last round took a full
  /// batch (a backlog: it goes at once). A round costs Redis about as much as four requests
  /// decided in it, so at moderate rates rounds of one or two requests spent most of Redis's
  /// time on the rounds themselves; this many µs of extra latency buy bigger rounds. 0: none.
  std::chrono::microseconds batch_linger{1000};
  /// How often the reaper looks for orders whose pay-by time has passed unpaid (each group
  /// in use; the units of those orders go back on sale).
  std::chrono::milliseconds reaper_interval{250};
  /// How long a reply list lives after the last reply pushed onto it (a dead proxy's list expires).
  std::chrono::milliseconds reply_ttl{60000};
  /// How long a decision is remembered after its request's deadline, for redelivery. Past the
  /// deadline a redelivered request is judged expired and changes nothing, so this only needs to
  /// cover redeliveries racing the deadline; memory grows with rate x (timeout + this).
  std::chrono::milliseconds decision_retention{5000};
  /// A request whose deadline lies further ahead than this (by Redis's clock) is refused and
  /// dead-lettered: no proxy sets one (request_timeout_ms is at most 600000; 10 s more allow
  /// for clock skew), and its decision would be remembered until then.
  std::chrono::milliseconds max_deadline_ahead{610000};
  /// With redis.ack_replicas: after this many WAITs in a row that did not reach enough replicas
  /// a worker stops taking work (its buyers would only get 5004) until WAIT succeeds again.
  int wait_failures_to_pause = 3;
};

/// Reads `file` into a LogicConfig; throws ConfigError naming the bad key.
LogicConfig load_logic_config(const std::string& file);

/// Fills the default logic id and checks it; throws ConfigError.
void finalize_logic_config(LogicConfig& config);

}  // namespace seckill::logic
