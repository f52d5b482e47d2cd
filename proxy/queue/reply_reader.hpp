// ReplyReader: the reader threads that pop decisions off this proxy's reply list and hand each
// to the request waiting for it.
//
// A thread blocks on BLMPOP until a reply is there and takes up to a batch of them at once (a
// burst of decisions costs one round trip per batch, not per reply). A reply whose request is
// no longer pending (answered 5004 already) is late: counted and dropped.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/redis/redis_config.hpp"
#include "proxy/proxy_stats.hpp"
#include "proxy/purchase/pending_requests.hpp"
#include "proxy/state/redis_health.hpp"

namespace seckill::proxy {

class ReplyReader {
 public:
  ReplyReader(RedisConfig redis, std::string reply_list, int threads, int batch_size,
              PendingRequests& pending, RedisHealth& health, ProxyStats& stats);
  ~ReplyReader();
  ReplyReader(const ReplyReader&) = delete;
  ReplyReader& operator=(const ReplyReader&) = delete;
  ReplyReader(ReplyReader&&) = delete;
  ReplyReader& operator=(ReplyReader&&) = delete;

  void start();
  /// Stops the threads within one blocking-pop interval and joins them.
  void stop();

 private:
  void run();
  void deliver(std::string_view message);

  RedisConfig redis_;
  std::string reply_list_;
  int threads_count_;
  std::string batch_count_;
  PendingRequests& pending_;
  RedisHealth& health_;
  ProxyStats& stats_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace seckill::proxy
