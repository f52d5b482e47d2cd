// QueueWriter: the writer threads that move purchases from the channel onto seckill:req.
//
// Each thread owns a Redis connection, takes up to batch_size jobs at a time and sends them in
// one round trip: a single RPUSH carrying every purchase of the batch, plus one HGET per /result
// lookup. When Redis cannot be reached before anything was sent, the purchases are answered 5003
// at once. When a send fails half-way, the requests may already be queued, so they are left to
// the deadline (5004, "ask /result") rather than answered with a failure that could be untrue.
#pragma once

#include <chrono>
#include <thread>
#include <vector>

#include "common/redis/redis_config.hpp"
#include "proxy/proxy_stats.hpp"
#include "proxy/purchase/pending_requests.hpp"
#include "proxy/queue/outbound_job.hpp"
#include "proxy/state/redis_health.hpp"

namespace seckill::proxy {

class QueueWriter {
 public:
  /// `linger`: how long a writer waits for a fuller batch (ProxyConfig::writer_linger).
  QueueWriter(RedisConfig redis, int threads, int batch_size, std::chrono::microseconds linger,
              OutboundChannel& channel, PendingRequests& pending, RedisHealth& health,
              ProxyStats& stats);
  ~QueueWriter();
  QueueWriter(const QueueWriter&) = delete;
  QueueWriter& operator=(const QueueWriter&) = delete;
  QueueWriter(QueueWriter&&) = delete;
  QueueWriter& operator=(QueueWriter&&) = delete;

  void start();
  /// Returns once the channel is closed and every thread has drained it.
  void join();

 private:
  void run();
  /// Answers 5003 to purchases known not to have reached the queue.
  void answer_unavailable(const std::vector<const PurchaseRequest*>& purchases);

  RedisConfig redis_;
  int threads_count_;
  std::size_t batch_size_;
  std::chrono::microseconds linger_;
  OutboundChannel& channel_;
  PendingRequests& pending_;
  RedisHealth& health_;
  ProxyStats& stats_;
  std::vector<std::thread> threads_;
};

}  // namespace seckill::proxy
