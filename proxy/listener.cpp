#include "proxy/listener.hpp"

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "proxy/http_session.hpp"

namespace seckill::proxy {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(const std::vector<net::io_context*>& loops, const tcp::endpoint& endpoint,
                   Router& router, const HttpLimits& limits)
    : loops_(loops), acceptor_(*loops.front()), router_(router), limits_(limits) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(limits.backlog);
}

void Listener::start() {
  do_accept();
}

void Listener::close() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
  });
}

unsigned short Listener::port() const {
  return acceptor_.local_endpoint().port();
}

void Listener::do_accept() {
  net::io_context& loop = *loops_[next_loop_++ % loops_.size()];
  acceptor_.async_accept(
      loop, [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
        if (ec) {
          // Out of file descriptors, say: keep accepting, the next try may succeed.
          LOG_EVERY_T(WARNING, 5) << "accept: " << ec.message();
        } else {
          socket.set_option(tcp::no_delay(true), ec);
          std::make_shared<HttpSession>(std::move(socket), self->router_, self->limits_)->start();
        }
        self->do_accept();
      });
}

}  // namespace seckill::proxy
