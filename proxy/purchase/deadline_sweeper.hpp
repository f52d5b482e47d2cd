// DeadlineSweeper: a thread that answers 5004 to every pending purchase whose deadline passed.
//
// It wakes every `tick` (10 ms by default), so a timed-out client hears within a tick of its
// deadline. One thread for the whole proxy instead of one Asio timer per request: no timer to
// cancel when the reply wins the race, and the cost is O(expired) per tick.
#pragma once

#include <chrono>

#include "common/base/periodic_thread.hpp"
#include "proxy/proxy_stats.hpp"
#include "proxy/purchase/pending_requests.hpp"

namespace seckill::proxy {

class DeadlineSweeper {
 public:
  DeadlineSweeper(PendingRequests& pending, ProxyStats& stats,
                  std::chrono::milliseconds tick = std::chrono::milliseconds(10));

  void start() { thread_.start(); }
  void stop() { thread_.stop(); }
  /// Answers every request expired by `now`; returns how many.
  std::size_t sweep(PendingRequests::Clock::time_point now);

 private:
  PendingRequests& pending_;
  ProxyStats& stats_;
  PeriodicThread thread_;
};

}  // namespace seckill::proxy
