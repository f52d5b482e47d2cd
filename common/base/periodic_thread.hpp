// PeriodicThread: runs a function every `interval` on a thread of its own (named `name`, see
// thread_name.hpp) until stopped. stop() wakes the thread at once instead of waiting out the
// interval.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/base/thread_name.hpp"

namespace seckill {

class PeriodicThread {
 public:
  PeriodicThread(std::string name, std::chrono::milliseconds interval, std::function<void()> tick)
      : name_(std::move(name)), interval_(interval), tick_(std::move(tick)) {}
  ~PeriodicThread() { stop(); }
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;
  PeriodicThread(PeriodicThread&&) = delete;
  PeriodicThread& operator=(PeriodicThread&&) = delete;

  void start() {
    thread_ = std::thread([this] {
      name_this_thread(name_);
      std::unique_lock lock(mutex_);
      while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        tick_();
        lock.lock();
      }
    });
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  const std::string name_;
  const std::chrono::milliseconds interval_;
  const std::function<void()> tick_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace seckill
