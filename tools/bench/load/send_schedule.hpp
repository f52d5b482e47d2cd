// SendSchedule: when each request of an open-loop run is due.
//
// A closed loop (each connection sends its next request when the last is answered) lets a slow
// server slow the load down, so the cost per request it shows mixes what the server spends with
// how hard it was pushed. An open loop offers a fixed rate whatever the answers: request n is
// due at start + n / rate. A connection takes the next request when it is free and sends it at
// its due time, or at once when that time has passed; its latency counts from the due time, not
// from the send, so a server that falls behind shows it in the percentiles instead of hiding it
// in a smaller load (coordinated omission).
#pragma once

#include <chrono>
#include <cstdint>

namespace seckill::bench {

class SendSchedule {
 public:
  using Clock = std::chrono::steady_clock;

  /// `rate` requests per second in all, from `start`; a rate of 0 is a closed loop.
  SendSchedule(double rate, Clock::time_point start) : rate_(rate), start_(start) {}

  bool open_loop() const { return rate_ > 0; }
  double rate() const { return rate_; }
  /// When request `n` (from 0) is due.
  Clock::time_point due(std::uint64_t n) const;

 private:
  double rate_;
  Clock::time_point start_;
};

}  // namespace seckill::bench
