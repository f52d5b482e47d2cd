#include "proxy/http/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <glog/logging.h>

#include "proxy/http/request_view.hpp"
#include "proxy/http/response_writer.hpp"

namespace seckill::proxy {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

std::string peer_address(const net::ip::tcp::socket& socket) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  auto address = endpoint.address();
  // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d: log and limit it as a.b.c.d.
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, Router& router, const HttpLimits& limits)
    : socket_(std::move(socket)),
      idle_timer_(socket_.get_executor()),
      peer_(peer_address(socket_)),
      router_(router),
      limits_(limits) {}

void HttpSession::start() {
  // The acceptor runs on another loop's thread: begin on the session's own.
  net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    self->touch();
    self->arm_idle_timer();
    self->do_read();
  });
}

void HttpSession::arm_idle_timer() {
  idle_timer_.expires_at(idle_deadline_);
  idle_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || !self->socket_.is_open()) return;
    // Activity since the timer was set moved the deadline on: sleep until the new one. A
    // request waiting for its answer is not idle: its own deadline answers it (5004 at worst),
    // and the connection is idle again only from then on.
    if (self->awaiting_ || Clock::now() < self->idle_deadline_) {
      if (self->awaiting_) self->touch();
      return self->arm_idle_timer();
    }
    self->close();  // the pending read or write completes with operation_aborted
  });
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits_.header_limit));
  parser_->body_limit(limits_.body_limit);
  touch();
  http::async_read(socket_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                     self->on_read(ec, bytes);
                   });
}

void HttpSession::on_read(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec == http::error::end_of_stream) return close();
  if (ec) {
    // A request we cannot parse (garbage, oversized header or body) gets a 400 and the
    // connection is closed: after a framing error nothing later on it can be trusted.
    if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
      request_ = {};  // the answer's head must not follow the previous request's method
      keep_alive_ = false;
      linger_ = true;
      if (ec == http::error::body_limit) {
        return answer(
            ApiAnswer::of(Code::kBadRequest,
                          "request body over " + std::to_string(limits_.body_limit) + " bytes"));
      }
      return answer(ApiAnswer::of(Code::kBadRequest, "malformed HTTP request"));
    }
    return fail(ec, "read");
  }
  request_ = parser_->release();
  keep_alive_ = request_.keep_alive();
  const RequestView view = make_request_view(request_, peer_, combined_);
  ticket_ = router_.begin(view);
  // Until its answer is given the session holds itself alive, so the function handed to the
  // router can keep a plain pointer, which std::function stores without an allocation.
  awaiting_answer_ = shared_from_this();
  awaiting_ = true;
  router_.route(view, [this](ApiAnswer answer) { deliver(std::move(answer)); });
}

void HttpSession::deliver(ApiAnswer answer) {
  // Inline when the answer is given on this session's thread; posted from any other. Only this
  // call touches awaiting_answer_ until the answer is written: the router answers once.
  net::dispatch(socket_.get_executor(),
                [self = std::move(awaiting_answer_), answer = std::move(answer)]() mutable {
                  self->awaiting_ = false;
                  self->router_.finish(self->ticket_, answer.code);
                  self->answer(answer);
                });
}

void HttpSession::answer(const ApiAnswer& answer) {
  // Both buffers live as long as the connection: after its first answers they no longer allocate.
  body_.clear();
  answer.append_body(body_);
  const int http_minor = request_.version() == 10 ? 0 : 1;
  const std::string_view cache_control =
      answer.cache_control.empty() ? std::string_view("no-store") : answer.cache_control;
  out_.clear();
  append_response_head(out_, answer.http_status(), body_.size(), http_minor, keep_alive_,
                       answer.content_type(), cache_control, answer.extra_headers);
  // A HEAD answer is the GET answer's head alone (same Content-Length, RFC 9110 9.3.2).
  if (answer.send_body && request_.method() != http::verb::head) out_ += body_;
  touch();
  net::async_write(
      socket_, net::buffer(out_),
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void HttpSession::on_write(beast::error_code ec) {
  // A file of the sale page must not pin its size in every connection that fetched it.
  constexpr std::size_t kKeepBufferBytes = 4096;
  if (out_.capacity() > kKeepBufferBytes) std::string().swap(out_);
  if (body_.capacity() > kKeepBufferBytes) std::string().swap(body_);
  if (ec) return fail(ec, "write");
  if (linger_) return linger();
  if (!keep_alive_) return close();
  do_read();
}

// A client whose body was refused (over the limit, or not HTTP at all) is usually still sending
// it. Closing a socket with unread bytes makes the kernel send a reset, and a reset can make the
// client drop the answer it has not read yet: it would see "connection reset" or "broken pipe"
// instead of the 4000 that names the problem. So the session stops sending (the client sees the
// end of the answer), reads and drops what still arrives, and closes when the client does, after
// kLingerTime, or after kLingerBytes, whichever comes first.
void HttpSession::linger() {
  constexpr auto kLingerTime = std::chrono::seconds(2);
  beast::error_code ignored;
  socket_.shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  buffer_.clear();
  idle_deadline_ = Clock::now() + kLingerTime;  // not moved on by what is drained
  arm_idle_timer();                             // replaces the wait for the later deadline
  drain(0);
}

void HttpSession::drain(std::size_t drained) {
  constexpr std::size_t kLingerBytes = 8u << 20;
  constexpr std::size_t kChunkBytes = 16u << 10;
  if (drained >= kLingerBytes) return close();
  socket_.async_read_some(buffer_.prepare(kChunkBytes), [self = shared_from_this(), drained](
                                                            beast::error_code ec, std::size_t n) {
    if (ec) return self->close();  // the client closed, or the linger timer did
    self->drain(drained + n);
  });
}

void HttpSession::close() {
  beast::error_code ignored;
  socket_.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  idle_timer_.cancel();
}

void HttpSession::fail(beast::error_code ec, const char* what) {
  close();
  // Clients vanish and idle connections time out all the time: not worth more than VLOG.
  if (ec == net::error::operation_aborted) return;
  VLOG(1) << "http " << what << ": " << ec.message();
}

}  // namespace seckill::proxy
