// ProxyServer: one seckill-proxy process: the parts, their threads, and their order of shutdown.
//
//   I/O threads (io_threads)   one io_context each: HTTP sessions, Router, PurchaseService
//                              (never block)
//   writer threads             channel -> RPUSH seckill:req
//   reader threads             BLPOP seckill:reply:<proxy id> -> PendingRequests -> sessions
//   sweeper thread             deadline passed -> 5004
//   refresher thread           products and Redis health, every product_refresh
//   ban sync thread            bans out to Redis, lifts in, every product_refresh
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/program/metrics_listener.hpp"
#include "common/store/lease_keeper.hpp"
#include "proxy/api/router.hpp"
#include "proxy/guard/ban_sync.hpp"
#include "proxy/http/listener.hpp"
#include "proxy/metrics.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/proxy_stats.hpp"
#include "proxy/purchase/deadline_sweeper.hpp"
#include "proxy/purchase/pending_requests.hpp"
#include "proxy/purchase/purchase_service.hpp"
#include "proxy/queue/outbound_job.hpp"
#include "proxy/queue/queue_writer.hpp"
#include "proxy/queue/reply_reader.hpp"
#include "proxy/state/product_cache.hpp"
#include "proxy/state/product_refresher.hpp"
#include "proxy/state/redis_health.hpp"

namespace seckill::proxy {

class ProxyServer {
 public:
  /// Binds the port at once; throws on a bind failure.
  explicit ProxyServer(ProxyConfig config);
  ~ProxyServer();
  ProxyServer(const ProxyServer&) = delete;
  ProxyServer& operator=(const ProxyServer&) = delete;
  ProxyServer(ProxyServer&&) = delete;
  ProxyServer& operator=(ProxyServer&&) = delete;

  /// Claims the proxy id (throws ConfigError when a live proxy holds it), then starts serving.
  void start();
  /// Stops accepting, waits (up to the request timeout) until every waiting purchase has been
  /// answered, then stops every thread. Idempotent.
  void stop();

  unsigned short port() const { return listener_->port(); }
  /// The admin listener's port, 0 without one.
  unsigned short metrics_port() const { return admin_listener_ ? admin_listener_->port() : 0; }
  const ProxyStats& stats() const { return stats_; }
  /// The /metrics page, as served.
  std::string render_metrics() const;

 private:
  // Declared first so they are destroyed last: sessions, and the completions that hold them,
  // must all be gone before the io_contexts their sockets belong to. One per I/O thread.
  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
  ProxyConfig config_;
  ProxyStats stats_;
  ProxyMetrics metrics_;
  RedisHealth health_;
  ProductCache products_;
  Versioned<Blocklist> blocklist_;
  Guard guard_;
  OutboundChannel channel_;
  PendingRequests pending_;
  PurchaseService purchases_;
  PaymentService payments_;
  Router router_;
  std::shared_ptr<Listener> listener_;
  std::unique_ptr<MetricsListener> admin_listener_;  // with metrics_port: /metrics, /healthz
  LeaseKeeper lease_;
  ProductRefresher refresher_;
  BanSync ban_sync_;
  QueueWriter writer_;
  ReplyReader reader_;
  DeadlineSweeper sweeper_;
  std::vector<std::thread> io_threads_;
  bool stopped_ = false;
};

}  // namespace seckill::proxy
