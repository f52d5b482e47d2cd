// Versioned<T>: an immutable value that one thread replaces now and then and many threads read
// on every request.
//
// Readers call current(): each thread keeps its own shared_ptr to the value it saw last and
// only takes the lock when the version has moved on, so the hot path shares no lock and no
// reference count between threads. Versions come from one process-wide counter, so a thread's
// copy can never be mistaken for another Versioned's value.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace seckill {

namespace detail {
inline std::atomic<std::uint64_t> next_version{1};
}  // namespace detail

template <class T>
class Versioned {
 public:
  Versioned() : value_(std::make_shared<const T>()) {}

  /// The current value, shared: callers may keep it as long as they like.
  std::shared_ptr<const T> snapshot() const {
    std::lock_guard lock(mutex_);
    return value_;
  }

  /// The current value as seen by this thread: valid until this thread's next current() of a
  /// Versioned<T>.
  const T& current() const {
    thread_local ThreadCopy copy;
    const std::uint64_t version = version_.load(std::memory_order_acquire);
    if (copy.owner != this || copy.version != version) {
      std::lock_guard lock(mutex_);
      copy = {this, version_.load(std::memory_order_relaxed), value_};
    }
    return *copy.value;
  }

  void replace(std::shared_ptr<const T> value) {
    std::lock_guard lock(mutex_);
    install(std::move(value));
  }

  /// Copies the value, lets `change` edit the copy, and installs it when `change` returns true.
  template <class Change>
  void update(Change&& change) {
    std::lock_guard lock(mutex_);
    auto copy = std::make_shared<T>(*value_);
    if (change(*copy)) install(std::move(copy));
  }

 private:
  struct ThreadCopy {
    const Versioned* owner = nullptr;
    std::uint64_t version = 0;
    std::shared_ptr<const T> value;
  };

  void install(std::shared_ptr<const T> value) {
    value_ = std::move(value);
    version_.store(detail::next_version.fetch_add(1), std::memory_order_release);
  }

  mutable std::mutex mutex_;
  std::shared_ptr<const T> value_;
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace seckill
