#include "proxy/http/listener.hpp"

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "proxy/http/http_session.hpp"

namespace seckill::proxy {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(const std::vector<net::io_context*>& loops, const tcp::endpoint& endpoint,
                   Router& router, const HttpLimits& limits, ProxyStats& stats)
    : loops_(loops),
      acceptor_(*loops.front()),
      pause_timer_(*loops.front()),
      router_(router),
      limits_(limits),
      stats_(stats) {
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
    self->pause_timer_.cancel();
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
          self->stats_.accept_errors.fetch_add(1, std::memory_order_relaxed);
          LOG_EVERY_T(WARNING, 5) << "accept: " << ec.message() << "; pausing accepts";
          return self->pause_accepting();
        }
        self->pause_ = std::chrono::milliseconds(0);
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<HttpSession>(std::move(socket), self->router_, self->limits_)->start();
        self->do_accept();
      });
}

void Listener::pause_accepting() {
  // Out of file descriptors, say: the failure repeats at once until connections close, so an
  // immediate retry would only spin. Connections already open are served meanwhile.
  constexpr std::chrono::milliseconds kFirst{10};
  constexpr std::chrono::milliseconds kMax{1000};
  pause_ = pause_.count() == 0 ? kFirst : std::min(pause_ * 2, kMax);
  pause_timer_.expires_after(pause_);
  pause_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || !self->acceptor_.is_open()) return;
    self->do_accept();
  });
}

}  // namespace seckill::proxy
