#include "proxy/queue/reply_reader.hpp"

#include <glog/logging.h>
#include <hiredis/hiredis.h>

#include "common/base/retry_backoff.hpp"
#include "common/base/thread_name.hpp"
#include "common/redis/redis_client.hpp"

namespace seckill::proxy {
namespace {

// Short, so that stop() returns quickly; an idle BLPOP costs Redis nothing.
constexpr std::chrono::milliseconds kBlock{500};
constexpr std::chrono::milliseconds kRetryPause{100};

}  // namespace

ReplyReader::ReplyReader(RedisConfig redis, std::string reply_list, int threads, int batch_size,
                         PendingRequests& pending, RedisHealth& health, ProxyStats& stats)
    : redis_(std::move(redis)),
      reply_list_(std::move(reply_list)),
      threads_count_(threads),
      batch_count_(std::to_string(std::max(batch_size, 1))),
      pending_(pending),
      health_(health),
      stats_(stats) {}

ReplyReader::~ReplyReader() {
  stop();
}

void ReplyReader::start() {
  for (int i = 0; i < threads_count_; ++i) {
    threads_.emplace_back([this, i] {
      name_this_thread("reader-" + std::to_string(i));
      run();
    });
  }
}

void ReplyReader::stop() {
  stopping_.store(true);
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

void ReplyReader::run() {
  RedisClient redis(redis_);
  RetryBackoff backoff;
  while (!stopping_.load(std::memory_order_relaxed)) {
    // One round trip per batch: waits for the first reply, takes up to a batch (Redis 7).
    auto popped =
        redis.command({"BLMPOP", "0.5", "1", reply_list_, "LEFT", "COUNT", batch_count_}, kBlock);
    health_.report(popped.ok());
    if (!popped) {
      LOG_EVERY_T(WARNING, 5) << "proxy: reading replies failed: " << popped.error().message;
      redis.wait_before_retry(kRetryPause);
      continue;
    }
    if (popped->is_error()) {
      // LOADING, say: Redis answers but cannot serve. Not healthy, and not worth a spin.
      health_.report(false);
      LOG_EVERY_T(WARNING, 5) << "proxy: reading replies refused: " << popped->str();
      backoff.pause(stopping_);
      continue;
    }
    backoff.reset();
    // nil: nothing within the block time; else [list name, [replies...]].
    if (!popped->is_array() || popped->size() != 2) continue;
    const redisReply* replies = popped->element(1);
    if (replies->type != REDIS_REPLY_ARRAY) continue;
    for (std::size_t i = 0; i < replies->elements; ++i) deliver(reply_str(replies->element[i]));
  }
}

void ReplyReader::deliver(std::string_view message) {
  auto reply = decode_reply(message);
  if (!reply) {
    stats_.malformed_replies.fetch_add(1, std::memory_order_relaxed);
    LOG_EVERY_T(ERROR, 5) << "proxy: dropping malformed reply: " << reply.error().message;
    return;
  }
  auto completion = pending_.take(reply->id);
  if (!completion) {
    stats_.late_replies.fetch_add(1, std::memory_order_relaxed);
    VLOG(1) << "proxy: late reply req=" << reply->id;
    return;
  }
  stats_.replies.fetch_add(1, std::memory_order_relaxed);
  (*completion)(*reply);
}

}  // namespace seckill::proxy
