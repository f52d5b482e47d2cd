#include "proxy/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <glog/logging.h>

namespace seckill::proxy {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

HttpSession::HttpSession(net::ip::tcp::socket&& socket, Router& router, const HttpLimits& limits)
    : stream_(std::move(socket)), router_(router), limits_(limits) {}

void HttpSession::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits_.header_limit));
  parser_->body_limit(limits_.body_limit);
  stream_.expires_after(limits_.io_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                     self->on_read(ec, bytes);
                   });
}

void HttpSession::on_read(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec == http::error::end_of_stream) return do_close();
  if (ec) {
    // A request we cannot parse (garbage, oversized header or body) gets a 400 and the
    // connection is closed: after a framing error nothing later on it can be trusted.
    if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
      http::response<http::string_body> response{http::status::bad_request, 11};
      response.set(http::field::content_type, "application/json");
      response.body() = ApiAnswer::of(Code::kBadRequest, "malformed HTTP request").body();
      response.keep_alive(false);
      response.prepare_payload();
      return write(std::move(response));
    }
    return fail(ec, "read");
  }
  request_ = parser_->release();
  RequestView view{
      .method = std::string_view(request_.method_string().data(), request_.method_string().size()),
      .target = std::string_view(request_.target().data(), request_.target().size()),
      .content_type = std::string_view(request_[http::field::content_type].data(),
                                       request_[http::field::content_type].size()),
      .body = request_.body(),
      .cookie = std::string_view(request_[http::field::cookie].data(),
                                 request_[http::field::cookie].size()),
  };
  router_.handle(view, [self = shared_from_this()](ApiAnswer answer) {
    net::post(self->stream_.get_executor(),
              [self, answer = std::move(answer)]() mutable { self->answer(std::move(answer)); });
  });
}

void HttpSession::answer(ApiAnswer answer) {
  http::response<http::string_body> response{static_cast<http::status>(answer.http_status()),
                                             request_.version()};
  response.set(http::field::server, "seckill");
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request_.keep_alive());
  response.body() = answer.body();
  response.prepare_payload();
  write(std::move(response));
}

void HttpSession::write(http::response<http::string_body> response) {
  auto message = std::make_shared<http::response<http::string_body>>(std::move(response));
  response_ = message;
  const bool keep_alive = message->keep_alive();
  stream_.expires_after(limits_.io_timeout);
  http::async_write(stream_, *message,
                    [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t n) {
                      self->on_write(keep_alive, ec, n);
                    });
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t /*bytes*/) {
  response_.reset();
  if (ec) return fail(ec, "write");
  if (!keep_alive) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
}

void HttpSession::fail(beast::error_code ec, const char* what) {
  // Clients vanish and idle connections time out all the time: not worth more than VLOG.
  if (ec == net::error::operation_aborted || ec == beast::error::timeout) return;
  VLOG(1) << "http " << what << ": " << ec.message();
}

}  // namespace seckill::proxy
