#include "common/program/metrics_listener.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "common/base/thread_name.hpp"

namespace seckill {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// One scrape: read a request, answer it, close.
class Scrape : public std::enable_shared_from_this<Scrape> {
 public:
  Scrape(tcp::socket&& socket, const std::function<std::string()>& render,
         const std::function<bool()>& healthy)
      : stream_(std::move(socket)), render_(render), healthy_(healthy) {}

  void start() {
    stream_.expires_after(std::chrono::seconds(5));
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (!ec) self->answer();
                     });
  }

 private:
  void answer() {
    // HEAD: the headers GET would get (a load balancer's probe), no body.
    const bool head = request_.method() == http::verb::head;
    const bool get = head || request_.method() == http::verb::get;
    const bool metrics = get && request_.target() == "/metrics";
    const bool health = get && request_.target() == "/healthz" && healthy_;
    response_.version(request_.version());
    response_.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    if (metrics) {
      response_.result(http::status::ok);
      response_.body() = render_();
    } else if (health) {
      const bool up = healthy_();
      response_.result(up ? http::status::ok : http::status::service_unavailable);
      response_.body() = up ? "ok\n" : "unhealthy\n";
    } else {
      response_.result(http::status::not_found);
      response_.body() = "only /metrics here\n";
    }
    response_.keep_alive(false);
    response_.prepare_payload();
    if (head) {
      const std::size_t length = response_.body().size();
      response_.body().clear();
      response_.content_length(length);
    }
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code, std::size_t) {
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
                      });
  }

  beast::tcp_stream stream_;
  const std::function<std::string()>& render_;
  const std::function<bool()>& healthy_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

}  // namespace

MetricsListener::MetricsListener(const std::string& address, int port,
                                 std::function<std::string()> render, std::function<bool()> healthy)
    : acceptor_(ioc_,
                tcp::endpoint(net::ip::make_address(address), static_cast<unsigned short>(port))),
      render_(std::move(render)),
      healthy_(std::move(healthy)) {}

MetricsListener::~MetricsListener() {
  stop();
}

unsigned short MetricsListener::port() const {
  return acceptor_.local_endpoint().port();
}

void MetricsListener::start() {
  do_accept();
  thread_ = std::thread([this] {
    name_this_thread("metrics");
    ioc_.run();
  });
}

void MetricsListener::stop() {
  ioc_.stop();
  if (thread_.joinable()) thread_.join();
}

void MetricsListener::do_accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of file descriptors, say: retrying at once would spin until some close.
      pause_.expires_after(std::chrono::milliseconds(100));
      pause_.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) do_accept();
      });
      return;
    }
    std::make_shared<Scrape>(std::move(socket), render_, healthy_)->start();
    do_accept();
  });
}

}  // namespace seckill
