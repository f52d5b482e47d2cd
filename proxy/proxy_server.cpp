#include "proxy/proxy_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <glog/logging.h>

#include "common/base/clock.hpp"
#include "common/base/thread_name.hpp"
#include "common/store/redis_keys.hpp"

namespace seckill::proxy {

namespace net = boost::asio;

namespace {

// A proxy's lease on its id: a crashed proxy's id is free again this long after its last
// renewal (at once for a restart on the same machine).
constexpr std::chrono::milliseconds kIdLeaseTime{5000};
// How long start() waits for Redis to answer the claim before it goes on without it.
constexpr std::chrono::milliseconds kClaimPatience{2000};

std::vector<std::unique_ptr<net::io_context>> make_loops(int count) {
  std::vector<std::unique_ptr<net::io_context>> loops;
  // Concurrency hint 1: each io_context is run by exactly one thread.
  for (int i = 0; i < count; ++i) loops.push_back(std::make_unique<net::io_context>(1));
  return loops;
}

std::vector<net::io_context*> pointers(const std::vector<std::unique_ptr<net::io_context>>& loops) {
  std::vector<net::io_context*> raw;
  for (const auto& loop : loops) raw.push_back(loop.get());
  return raw;
}

}  // namespace

ProxyServer::ProxyServer(ProxyConfig config)
    : loops_(make_loops(config.io_threads)),
      config_(std::move(config)),
      guard_(config_.guard, blocklist_, stats_),
      channel_(config_.channel_capacity),
      // proxy id + start time: request ids stay unique across proxies and restarts.
      pending_(config_.max_pending, config_.proxy_id + "-" + std::to_string(unix_ms_now()) + "-"),
      purchases_(config_, products_, health_, channel_, pending_, stats_, guard_),
      payments_(config_, products_, health_, channel_),
      router_(products_, health_, purchases_, metrics_,
              config_.metrics_port > 0
                  ? std::function<std::string()>{}
                  : std::function<std::string()>{[this] { return render_metrics(); }},
              config_.access_log_sample, WebRoutes::from_config(config_), &payments_),
      listener_(std::make_shared<Listener>(
          pointers(loops_),
          net::ip::tcp::endpoint(net::ip::make_address(config_.listen_address),
                                 static_cast<unsigned short>(config_.port)),
          router_, config_.http, stats_)),
      lease_(config_.redis,
             IdLease(keys::proxy_lease(config_.proxy_id), "proxy_id '" + config_.proxy_id + "'",
                     kIdLeaseTime),
             [this](bool held) { health_.report_id_held(held); }),
      refresher_(config_.redis, config_.product_refresh, products_, blocklist_, health_),
      ban_sync_(config_.redis, config_.product_refresh, guard_),
      writer_(config_.redis, config_.writer_threads, config_.batch_size, config_.writer_linger,
              channel_, pending_, health_, stats_),
      reader_(config_.redis, keys::reply_list(config_.proxy_id), config_.reader_threads,
              config_.batch_size, pending_, health_, stats_),
      sweeper_(pending_, stats_) {}

ProxyServer::~ProxyServer() {
  stop();
}

std::string ProxyServer::render_metrics() const {
  ProxyGauges gauges;
  gauges.channel_depth = channel_.size();
  gauges.channel_capacity = channel_.capacity();
  gauges.pending = pending_.size();
  gauges.pending_capacity = config_.max_pending;
  gauges.redis_up = health_.up();
  return metrics_.render(stats_, gauges);
}

void ProxyServer::start() {
  lease_.claim(kClaimPatience);
  lease_.start();
  refresher_.start();
  ban_sync_.start();
  writer_.start();
  reader_.start();
  sweeper_.start();
  if (config_.metrics_port > 0) {
    admin_listener_ = std::make_unique<MetricsListener>(
        config_.metrics_address, config_.metrics_port, [this] { return render_metrics(); },
        [this] { return health_.up(); });
    admin_listener_->start();
    LOG(INFO) << "proxy: /metrics and /healthz on " << config_.metrics_address << ":"
              << admin_listener_->port();
  }
  listener_->start();
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    // Keep each loop running while it has no session yet.
    io_threads_.emplace_back([&loop = loops_[i], i] {
      name_this_thread("io-" + std::to_string(i));
      auto guard = net::make_work_guard(*loop);
      loop->run();
    });
  }
  LOG(INFO) << "proxy " << config_.proxy_id << " listening on " << config_.listen_address << ":"
            << port() << ", redis " << describe(config_.redis) << ", timeout "
            << config_.request_timeout.count() << " ms, io " << config_.io_threads << ", writers "
            << config_.writer_threads << ", readers " << config_.reader_threads;
}

void ProxyServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  listener_->close();
  if (admin_listener_) admin_listener_->stop();
  purchases_.stop_accepting();
  // Every waiting purchase is answered by its reply or by the sweeper within the timeout.
  const auto give_up =
      std::chrono::steady_clock::now() + config_.request_timeout + std::chrono::milliseconds(500);
  while (pending_.size() > 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  channel_.close();
  writer_.join();
  reader_.stop();
  sweeper_.stop();
  refresher_.stop();
  ban_sync_.stop();
  lease_.stop();
  // Nothing answers from here on: whatever still waits (queued just before the channel closed)
  // is told 5004, which is the truth: it may or may not be decided.
  sweeper_.sweep(PendingRequests::Clock::time_point::max());
  // Give the posted answers a moment to be written, then stop the event loop.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (auto& loop : loops_) loop->stop();
  for (auto& thread : io_threads_) thread.join();
  io_threads_.clear();
  LOG(INFO) << "proxy " << config_.proxy_id << " stopped; queued " << stats_.queued.load()
            << ", replies " << stats_.replies.load() << ", timeouts " << stats_.timeouts.load()
            << ", late " << stats_.late_replies.load() << ", overloaded "
            << stats_.overloaded.load();
}

}  // namespace seckill::proxy
