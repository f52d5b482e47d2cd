// MetricsListener: a small HTTP listener on its own thread that serves GET /metrics (a
// process's counters in the Prometheus text format) and, when given a health check, GET
// /healthz (HEAD too, for probes); nothing else. Low traffic by nature
// (a scraper every few seconds): one thread, one connection at a time is plenty.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace seckill {

class MetricsListener {
 public:
  /// Binds `address`:`port` at once (port 0: any free port); throws when it cannot. With
  /// `healthy`, GET /healthz answers 200 while it says true, else 503.
  MetricsListener(const std::string& address, int port, std::function<std::string()> render,
                  std::function<bool()> healthy = {});
  ~MetricsListener();
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;
  MetricsListener(MetricsListener&&) = delete;
  MetricsListener& operator=(MetricsListener&&) = delete;

  void start();
  void stop();
  unsigned short port() const;

 private:
  void do_accept();

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer pause_{ioc_};  // after a failed accept (out of descriptors)
  std::function<std::string()> render_;
  std::function<bool()> healthy_;
  std::thread thread_;
};

}  // namespace seckill
