// Listener: accepts connections and starts an HttpSession for each, handing the connections to
// the event loops round-robin (one io_context per I/O thread, so sessions need no strands).
#pragma once

#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "proxy/proxy_config.hpp"
#include "proxy/router.hpp"

namespace seckill::proxy {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  /// Binds and listens at once, accepting on the first of `loops`; throws
  /// boost::system::system_error when it cannot.
  Listener(const std::vector<boost::asio::io_context*>& loops,
           const boost::asio::ip::tcp::endpoint& endpoint, Router& router,
           const HttpLimits& limits);

  void start();
  /// Stops accepting; connections already open carry on.
  void close();
  unsigned short port() const;

 private:
  void do_accept();

  std::vector<boost::asio::io_context*> loops_;
  std::size_t next_loop_ = 0;
  boost::asio::ip::tcp::acceptor acceptor_;
  Router& router_;
  const HttpLimits& limits_;
};

}  // namespace seckill::proxy
