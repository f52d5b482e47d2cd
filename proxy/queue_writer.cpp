#include "proxy/queue_writer.hpp"

#include <glog/logging.h>

#include "common/redis_connection.hpp"
#include "common/redis_keys.hpp"
#include "common/resp_command.hpp"

namespace seckill::proxy {
namespace {

constexpr std::chrono::milliseconds kPopWait{200};

PurchaseReply reply_with(const std::string& id, Code code) {
  PurchaseReply reply;
  reply.id = id;
  reply.code = code;
  return reply;
}

// One batch split by kind, with the commands that carry it, written as RESP. A writer keeps
// one Batch for its whole life, so the buffers are allocated once, not per batch.
struct Batch {
  std::vector<const PurchaseRequest*> purchases;
  std::vector<OrderLookup*> lookups;
  RespCommand push;               // RPUSH seckill:req, one argument per purchase
  std::vector<RespCommand> gets;  // HGET per lookup
  std::vector<std::string_view> commands;
};

void build_batch(std::vector<OutboundJob>& jobs, Batch& batch) {
  batch.purchases.clear();
  batch.lookups.clear();
  batch.commands.clear();
  batch.push.clear();
  batch.push.arg("RPUSH").arg(keys::kRequests);
  for (auto& job : jobs) {
    if (auto* purchase = std::get_if<PurchaseRequest>(&job)) {
      batch.purchases.push_back(purchase);
      batch.push.arg(encode_request_in_place(*purchase));
    } else {
      batch.lookups.push_back(&std::get<OrderLookup>(job));
    }
  }
  if (!batch.purchases.empty()) batch.commands.push_back(batch.push.text());
  batch.gets.resize(batch.lookups.size());
  for (std::size_t i = 0; i < batch.lookups.size(); ++i) {
    const OrderLookup& lookup = *batch.lookups[i];
    RespCommand& get = batch.gets[i];
    get.clear();
    get.arg("HGET").arg(keys::buyers(lookup.product_id)).arg(std::to_string(lookup.user_id));
    batch.commands.push_back(get.text());
  }
}

}  // namespace

QueueWriter::QueueWriter(RedisConfig redis, int threads, int batch_size, OutboundChannel& channel,
                         PendingRequests& pending, RedisHealth& health, ProxyStats& stats)
    : redis_(std::move(redis)),
      threads_count_(threads),
      batch_size_(static_cast<std::size_t>(batch_size)),
      channel_(channel),
      pending_(pending),
      health_(health),
      stats_(stats) {}

QueueWriter::~QueueWriter() {
  channel_.close();
  join();
}

void QueueWriter::start() {
  for (int i = 0; i < threads_count_; ++i) threads_.emplace_back([this] { run(); });
}

void QueueWriter::join() {
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

void QueueWriter::answer_unavailable(const std::vector<const PurchaseRequest*>& purchases) {
  for (const PurchaseRequest* purchase : purchases) {
    if (auto completion = pending_.take(purchase->id)) {
      (*completion)(reply_with(purchase->id, Code::kUnavailable));
    }
  }
}

void QueueWriter::run() {
  RedisConnection redis(redis_);
  std::vector<OutboundJob> jobs;
  Batch batch;
  while (true) {
    jobs.clear();
    if (channel_.pop_batch(jobs, batch_size_, kPopWait) == 0) {
      if (channel_.closed()) return;
      // Between sales a writer can sit idle for hours: keep its connection from being closed
      // by Redis's idle timeout, so the first burst finds it open.
      redis.keep_alive();
      continue;
    }
    build_batch(jobs, batch);
    auto replies = redis.pipeline_resp(batch.commands);
    health_.report(replies.ok());
    if (!replies) {
      stats_.redis_errors.fetch_add(1, std::memory_order_relaxed);
      LOG_EVERY_T(WARNING, 5) << "proxy: queueing " << batch.purchases.size()
                              << " purchases failed: " << replies.error().message;
      // Nothing reached Redis: the honest answer is "unavailable". Otherwise the purchases may be
      // queued, and only the deadline may answer them.
      if (!redis.last_failure_maybe_applied()) answer_unavailable(batch.purchases);
      for (OrderLookup* lookup : batch.lookups) lookup->done(Error{replies.error().message});
      continue;
    }
    if (!batch.purchases.empty() && replies->front().is_error()) {
      // Redis refused the RPUSH (out of memory, say): nothing was queued.
      LOG_EVERY_T(ERROR, 5) << "proxy: RPUSH refused: " << replies->front().str();
      answer_unavailable(batch.purchases);
    } else {
      stats_.queued.fetch_add(batch.purchases.size(), std::memory_order_relaxed);
    }
    std::size_t first_lookup = batch.purchases.empty() ? 0 : 1;
    for (std::size_t i = 0; i < batch.lookups.size(); ++i) {
      const RedisReply& reply = (*replies)[first_lookup + i];
      if (reply.is_error()) {
        batch.lookups[i]->done(Error{std::string(reply.str())});
      } else {
        batch.lookups[i]->done(std::string(reply.is_nil() ? "" : reply.str()));
      }
    }
  }
}

}  // namespace seckill::proxy
