// BoundedChannel: a fixed-capacity multi-producer multi-consumer queue.
//
// Producers are Asio event-loop threads and must never block, so the only way in is try_push,
// which fails at once when the channel is full (the caller answers 5003). Consumers are the
// proxy's writer threads: pop_batch blocks until there is work and takes up to `max` items at
// once, so one Redis round trip can carry a whole batch. Given a linger, a consumer that finds
// fewer than `max` items waits up to that long for more (at moderate rates a batch of one costs
// a wake-up and a round trip per item); while it gathers, pushes wake nobody until its batch is
// full, so the other consumers sleep on. close() wakes every consumer; they drain what is left
// and then see 0.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

namespace seckill {

template <class T>
class BoundedChannel {
 public:
  explicit BoundedChannel(std::size_t capacity) : capacity_(capacity) {}

  /// Adds `item` unless the channel is full or closed. Never blocks. A refused `item` is left
  /// untouched.
  bool try_push(T&& item) {
    bool wake_gatherer = false;
    {
      std::lock_guard lock(mutex_);
      if (closed_ || items_.size() >= capacity_) return false;
      items_.push_back(std::move(item));
      if (gathering_) {
        // The gathering consumer takes this item with its batch: wake it only when the batch is
        // full, and nobody else (it may leave a rest behind, and passes the wake on then).
        if (items_.size() < gather_target_) return true;
        wake_gatherer = true;
      }
    }
    if (wake_gatherer) {
      filled_.notify_one();
    } else {
      not_empty_.notify_one();
    }
    return true;
  }

  /// Waits up to `wait` for items; then, when fewer than `max` are there and `linger` is not
  /// zero, up to `linger` more for `max` (one consumer at a time gathers; the others take what
  /// is there at once). Moves up to `max` of them into `out` (appending) and returns how many:
  /// 0 on timeout, or when closed and drained.
  std::size_t pop_batch(std::vector<T>& out, std::size_t max, std::chrono::milliseconds wait,
                        std::chrono::microseconds linger = std::chrono::microseconds(0)) {
    std::unique_lock lock(mutex_);
    not_empty_.wait_for(lock, wait, [this] { return closed_ || !items_.empty(); });
    if (linger.count() > 0 && !gathering_ && !closed_ && !items_.empty() && items_.size() < max) {
      gathering_ = true;
      gather_target_ = max;
      filled_.wait_for(lock, linger, [this, max] { return closed_ || items_.size() >= max; });
      gathering_ = false;
    }
    std::size_t moved = 0;
    while (moved < max && !items_.empty()) {
      out.push_back(std::move(items_.front()));
      items_.pop_front();
      ++moved;
    }
    // Items pushed while this consumer gathered woke nobody: what it leaves is another's.
    const bool rest_left = !items_.empty();
    lock.unlock();
    if (rest_left) not_empty_.notify_one();
    return moved;
  }

  /// Refuses further pushes and wakes every waiting consumer.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_empty_.notify_all();
    filled_.notify_all();
  }

  bool closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }

  std::size_t capacity() const { return capacity_; }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable filled_;  // the gathering consumer's: its batch is full
  std::deque<T> items_;
  bool closed_ = false;
  bool gathering_ = false;  // a consumer lingers for a fuller batch
  std::size_t gather_target_ = 0;
};

}  // namespace seckill
