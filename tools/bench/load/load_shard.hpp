// LoadShard: one generator thread: its io_context, its share of the connections, its counters.
//
// Each connection writes one request, reads its answer, records the latency and the code, and
// writes the next: at once (a closed loop), or at the next request's due time when the run
// offers a fixed rate (an open loop, see SendSchedule). Requests cycle through the users
// (precomputed tokens) via a counter shared by all shards, so every user is used about equally.
// Shards share nothing else.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "tools/bench/bench_options.hpp"
#include "tools/bench/load/send_schedule.hpp"
#include "tools/bench/report/bench_result.hpp"

namespace seckill::bench {

/// What all shards share: the users, the request budget, the stop flag.
struct SharedLoad {
  const BenchOptions& options;
  /// One complete request per user, or a single one for paths without users (/healthz).
  std::vector<std::string> requests;
  std::atomic<std::uint64_t> next_request{0};
  std::atomic<bool> stopping{false};
  std::chrono::steady_clock::time_point started;
  /// Set with `started`, before any shard runs.
  SendSchedule schedule{0, {}};

  explicit SharedLoad(const BenchOptions& opts) : options(opts) {}

  struct NextRequest {
    const std::string* text = nullptr;          // null: the budget or the run's time is spent
    std::chrono::steady_clock::time_point due;  // open loop: when to send it
  };
  /// The next request to send. `requests` is filled before the run and never changed during
  /// it, so connections send from it without a copy.
  NextRequest next_request_to_send();
};

class LoadShard {
 public:
  LoadShard(SharedLoad& shared, int connections, int first_connection_index);

  /// Runs every connection until the shared stop flag is set and all in-flight answers are in.
  void run();
  /// Abandons whatever is still in flight (answers that never come); callable from any thread.
  void stop();
  const BenchCounters& counters() const { return counters_; }

 private:
  class Connection;

  SharedLoad& shared_;
  boost::asio::io_context ioc_;
  std::vector<boost::asio::ip::tcp::endpoint> endpoints_;
  std::vector<std::shared_ptr<Connection>> connections_;
  BenchCounters counters_;
};

}  // namespace seckill::bench
