// Listener: accepts connections and starts an HttpSession on its own strand for each.
#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "proxy/proxy_config.hpp"
#include "proxy/router.hpp"

namespace seckill::proxy {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  /// Binds and listens at once; throws boost::system::system_error when it cannot.
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
           Router& router, const HttpLimits& limits);

  void start();
  /// Stops accepting; connections already open carry on.
  void close();
  unsigned short port() const;

 private:
  void do_accept();

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Router& router_;
  const HttpLimits& limits_;
};

}  // namespace seckill::proxy
