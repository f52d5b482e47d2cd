// Listener: accepts connections and starts an HttpSession for each, handing the connections to
// the event loops round-robin (one io_context per I/O thread, so sessions need no strands).
// When accept() fails (out of file descriptors: the failure repeats until some close) it pauses
// before the next try, 10 ms doubling to 1 s, instead of retrying at once and burning a core;
// each failure is counted in /metrics.
#pragma once

#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "proxy/api/router.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/proxy_stats.hpp"

namespace seckill::proxy {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  /// Binds and listens at once, accepting on the first of `loops`; throws
  /// boost::system::system_error when it cannot.
  Listener(const std::vector<boost::asio::io_context*>& loops,
           const boost::asio::ip::tcp::endpoint& endpoint, Router& router, const HttpLimits& limits,
           ProxyStats& stats);

  void start();
  /// Stops accepting; connections already open carry on.
  void close();
  unsigned short port() const;

 private:
  void do_accept();
  /// After a failed accept: wait, longer each time in a row, then accept again.
  void pause_accepting();

  std::vector<boost::asio::io_context*> loops_;
  std::size_t next_loop_ = 0;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer pause_timer_;
  std::chrono::milliseconds pause_{0};
  Router& router_;
  const HttpLimits& limits_;
  ProxyStats& stats_;
};

}  // namespace seckill::proxy
