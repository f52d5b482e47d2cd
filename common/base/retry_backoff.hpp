// RetryBackoff: the pause of a loop that keeps getting refusals from Redis.
//
// A transport failure already makes RedisConnection wait before reconnecting, but an error
// reply (OOM at maxmemory, LOADING while Redis replays its AOF, a script Redis refuses) comes
// back at once on a healthy connection: a loop that simply tries again would spin, tens of
// thousands of refusals a second. Each refusal in a row doubles the pause (50 ms up to 1 s);
// the first success resets it. One per loop thread; not thread-safe.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace seckill {

class RetryBackoff {
 public:
  static constexpr std::chrono::milliseconds kFirst{50};
  static constexpr std::chrono::milliseconds kMax{1000};

  /// Sleeps for the current pause (in short steps, so a stop is noticed) and doubles it.
  void pause(const std::atomic<bool>& stopping) {
    next_ = next_.count() == 0 ? kFirst : std::min(next_ * 2, kMax);
    constexpr std::chrono::milliseconds kStep{50};
    for (auto slept = std::chrono::milliseconds(0); slept < next_; slept += kStep) {
      if (stopping.load(std::memory_order_relaxed)) return;
      std::this_thread::sleep_for(std::min(kStep, next_ - slept));
    }
  }
  void reset() { next_ = std::chrono::milliseconds(0); }
  /// The pause the last pause() slept (0 after a reset).
  std::chrono::milliseconds current() const { return next_; }

 private:
  std::chrono::milliseconds next_{0};
};

}  // namespace seckill
