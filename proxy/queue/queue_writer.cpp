#include "proxy/queue/queue_writer.hpp"

#include <glog/logging.h>

#include "common/base/clock.hpp"
#include "common/base/thread_name.hpp"
#include "common/redis/redis_client.hpp"
#include "common/redis/resp_command.hpp"
#include "common/store/redis_keys.hpp"

namespace seckill {
extern const std::string_view kOrderLookupScript;
}

namespace seckill::proxy {

std::vector<OrderView> order_views(const std::vector<std::string>& flat) {
  std::vector<OrderView> views;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) {
    OrderView view;
    view.order_id = flat[i];
    std::string_view record = flat[i + 1];
    std::string_view fields[6];
    for (auto& field : fields) {
      const auto bar = record.find('|');
      field = record.substr(0, bar);
      record = bar == std::string_view::npos ? std::string_view{} : record.substr(bar + 1);
    }
    view.state = fields[0];
    view.pay_by_ms = parse_id(fields[3]).value_or(0);
    view.quantity = parse_id(fields[5]).value_or(1);
    views.push_back(std::move(view));
  }
  return views;
}

namespace {

constexpr std::chrono::milliseconds kPopWait{200};
// A group whose master could not be reached is answered 5003 this long before a batch of its
// purchases tries again: about a reconnect backoff, so a failover costs fast answers, not hangs.
constexpr std::int64_t kGroupRetryAfterMs = 200;

PurchaseReply reply_with(const std::string& id, Code code) {
  PurchaseReply reply;
  reply.id = id;
  reply.code = code;
  return reply;
}

// One batch split by kind and by group, with the commands that carry it, written as RESP. A
// writer keeps one Batch for its whole life, so the buffers are allocated once, not per batch.
struct Batch {
  struct GroupPush {
    keys::GroupId group = 0;
    std::vector<const PurchaseRequest*> purchases;
    std::string queue;  // seckill:{g<N>}:req
    RespCommand push;   // RPUSH queue, one argument per purchase
  };
  std::vector<GroupPush> pushes;  // the first `used` are this batch's, in first-seen order
  std::size_t used = 0;
  std::vector<OrderLookup*> lookups;
  std::vector<PaymentJob*> payments;          // run after the pipeline, one script each
  std::vector<ReservationJob*> reservations;  // the same
  std::vector<RespCommand> gets;              // the lookup script, per lookup
  std::vector<std::string> lookup_keys;       // the buyers hash of each lookup
  std::vector<std::string_view> commands;
  std::vector<std::string_view> routes;  // the key of each command (its slot on a cluster)
  std::size_t purchases = 0;

  GroupPush& push_for(keys::GroupId group) {
    for (std::size_t i = 0; i < used; ++i) {
      if (pushes[i].group == group) return pushes[i];
    }
    if (used == pushes.size()) pushes.emplace_back();
    GroupPush& push = pushes[used++];
    push.group = group;
    push.purchases.clear();
    push.push.clear();
    push.queue = keys::requests(group);
    push.push.arg("RPUSH").arg(push.queue);
    return push;
  }
};

void build_batch(std::vector<OutboundJob>& jobs, Batch& batch) {
  batch.used = 0;
  batch.purchases = 0;
  batch.lookups.clear();
  batch.payments.clear();
  batch.reservations.clear();
  batch.commands.clear();
  batch.routes.clear();
  for (auto& job : jobs) {
    if (auto* purchase = std::get_if<QueuedPurchase>(&job)) {
      Batch::GroupPush& push = batch.push_for(purchase->group);
      push.purchases.push_back(&purchase->request);
      push.push.arg(encode_request_in_place(purchase->request));
      ++batch.purchases;
    } else if (auto* lookup = std::get_if<OrderLookup>(&job)) {
      batch.lookups.push_back(lookup);
    } else if (auto* payment = std::get_if<PaymentJob>(&job)) {
      batch.payments.push_back(payment);
    } else {
      batch.reservations.push_back(&std::get<ReservationJob>(job));
    }
  }
  for (std::size_t i = 0; i < batch.used; ++i) {
    batch.commands.push_back(batch.pushes[i].push.text());
    batch.routes.push_back(batch.pushes[i].queue);
  }
  batch.gets.resize(batch.lookups.size());
  batch.lookup_keys.resize(batch.lookups.size());
  for (std::size_t i = 0; i < batch.lookups.size(); ++i) {
    const OrderLookup& lookup = *batch.lookups[i];
    RespCommand& get = batch.gets[i];
    batch.lookup_keys[i] = keys::buyers(lookup.group, lookup.product_id);
    get.clear();
    // EVAL with the script's text, not EVALSHA: a lookup is rare next to purchases, and so
    // never meets NOSCRIPT after a restart or a failover (Redis caches the compiled script).
    get.arg("EVAL")
        .arg(kOrderLookupScript)
        .arg("2")
        .arg(batch.lookup_keys[i])
        .arg(keys::order_records(lookup.group, lookup.product_id))
        .arg(std::to_string(lookup.user_id));
    batch.commands.push_back(get.text());
    batch.routes.push_back(batch.lookup_keys[i]);
  }
}

}  // namespace

QueueWriter::QueueWriter(RedisConfig redis, int threads, int batch_size,
                         std::chrono::microseconds linger, OutboundChannel& channel,
                         PendingRequests& pending, RedisHealth& health, ProxyStats& stats)
    : redis_(std::move(redis)),
      threads_count_(threads),
      batch_size_(static_cast<std::size_t>(batch_size)),
      linger_(linger),
      channel_(channel),
      pending_(pending),
      health_(health),
      stats_(stats) {}

QueueWriter::~QueueWriter() {
  channel_.close();
  join();
}

void QueueWriter::start() {
  for (int i = 0; i < threads_count_; ++i) {
    threads_.emplace_back([this, i] {
      name_this_thread("writer-" + std::to_string(i));
      run();
    });
  }
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
  RedisClient redis(redis_);
  std::vector<OutboundJob> jobs;
  Batch batch;
  std::vector<bool> maybe_applied;
  const bool cluster = redis.is_cluster();
  OrderActions orders(redis, redis_);
  ReservationBook reservations(redis, redis_);
  while (true) {
    jobs.clear();
    if (channel_.pop_batch(jobs, batch_size_, kPopWait, linger_) == 0) {
      if (channel_.closed()) return;
      // Between sales a writer can sit idle for hours: keep its connection from being closed
      // by Redis's idle timeout, so the first burst finds it open.
      redis.keep_alive();
      continue;
    }
    build_batch(jobs, batch);
    // Payments and reservations are rare: each is one script run of its own, after the
    // batch's pipeline.
    const auto run_one_by_one = [&] {
      for (PaymentJob* job : batch.payments) job->done(orders.pay(job->group, job->payment));
      for (ReservationJob* job : batch.reservations) {
        job->done(job->reserve ? reservations.reserve(job->group, job->product_id, job->user_id)
                               : reservations.status(job->group, job->product_id, job->user_id));
      }
    };
    if (batch.commands.empty()) {
      run_one_by_one();
      continue;
    }
    // Per command: on a cluster, a master that is away (failing over) costs only the purchases
    // of its own groups; the others are queued as usual.
    auto replies = redis.pipeline_resp_each(batch.commands, batch.routes, maybe_applied);
    bool all_sent = true;
    bool any_sent = false;
    for (const auto& reply : replies) {
      all_sent = all_sent && reply.ok();
      any_sent = any_sent || reply.ok();
    }
    // On a cluster the masters fail one at a time: a failed push marks only its group (below),
    // and whether the proxy as a whole is down is the reply readers' to say (a batch of one
    // dead master's purchases alone must not stop the others' sales).
    if (!cluster) {
      health_.report(all_sent);
    } else if (any_sent) {
      health_.report(true);
    }
    if (!all_sent) stats_.redis_errors.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t i = 0; i < batch.used; ++i) {
      const auto& pushed = replies[i];
      const auto& purchases = batch.pushes[i].purchases;
      if (!pushed) {
        LOG_EVERY_T(WARNING, 5) << "proxy: queueing " << purchases.size()
                                << " purchases failed: " << pushed.error().message;
        // Nothing reached Redis: the honest answer is "unavailable". Otherwise the purchases
        // may be queued, and only the deadline may answer them.
        if (!maybe_applied[i]) answer_unavailable(purchases);
        if (cluster) {
          health_.report_group_unreachable(batch.pushes[i].group, unix_ms_now(),
                                           kGroupRetryAfterMs);
        }
      } else if (pushed->is_error()) {
        // Redis refused the RPUSH (out of memory, say): nothing of it was queued.
        LOG_EVERY_T(ERROR, 5) << "proxy: RPUSH refused: " << pushed->str();
        answer_unavailable(purchases);
      } else {
        stats_.queued.fetch_add(purchases.size(), std::memory_order_relaxed);
        if (cluster) health_.report_group_reachable(batch.pushes[i].group);
      }
    }
    const std::size_t first_lookup = batch.used;
    for (std::size_t i = 0; i < batch.lookups.size(); ++i) {
      const auto& reply = replies[first_lookup + i];
      if (!reply) {
        batch.lookups[i]->done(Error{reply.error().message});
      } else if (reply->is_error() || !reply->is_array()) {
        batch.lookups[i]->done(Error{std::string(reply->str())});
      } else {
        std::vector<std::string> flat;
        flat.reserve(reply->size());
        for (std::size_t j = 0; j < reply->size(); ++j)
          flat.emplace_back(reply_str(reply->element(j)));
        batch.lookups[i]->done(order_views(flat));
      }
    }
    run_one_by_one();
  }
}

}  // namespace seckill::proxy
