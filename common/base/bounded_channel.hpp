// BoundedChannel: a fixed-capacity multi-producer multi-consumer queue.
//
// Producers are Asio event-loop threads and must never block, so the only way in is try_push,
// which fails at once when the channel is full (the caller answers 5003). Consumers are the
// proxy's writer threads: pop_batch blocks until there is work and takes up to `max` items at
// once, so one Redis round trip can carry a whole batch. close() wakes every consumer; they drain
// what is left and then see 0.
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
    {
      std::lock_guard lock(mutex_);
      if (closed_ || items_.size() >= capacity_) return false;
      items_.push_back(std::move(item));
    }
    not_empty_.notify_one();
    return true;
  }

  /// Waits up to `wait` for items and moves up to `max` of them into `out` (appending).
  /// Returns how many were moved: 0 on timeout, or when closed and drained.
  std::size_t pop_batch(std::vector<T>& out, std::size_t max, std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    not_empty_.wait_for(lock, wait, [this] { return closed_ || !items_.empty(); });
    std::size_t moved = 0;
    while (moved < max && !items_.empty()) {
      out.push_back(std::move(items_.front()));
      items_.pop_front();
      ++moved;
    }
    return moved;
  }

  /// Refuses further pushes and wakes every waiting consumer.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_empty_.notify_all();
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
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace seckill
