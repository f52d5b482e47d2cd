// HttpSession: one client connection: read a request, route it, write the answer, repeat.
//
// A session lives on one io_context, run by one thread, so its handlers never run concurrently
// and need no strand. Answers may come from other threads (reader, sweeper, writer): they are
// dispatched onto the session's io_context before touching it (inline when already there, as
// for every answer given from memory). While an answer is awaited the session holds a
// shared_ptr to itself, handed on to the answer, so it stays alive however long that takes.
// One request at a time per connection (HTTP/1.1 keep-alive; pipelined requests wait their
// turn in the read buffer).
//
// Timeouts are lazy: each read or write moves `idle_deadline_` forward, and a single timer per
// session wakes at the old deadline, sees the new one and sleeps again. One timer wait per
// io_timeout instead of a timer set and cancelled around every read and write. A connection
// whose request awaits its answer is never closed by the timer: the request's own deadline
// answers it (the config keeps io_timeout at least as long as the request timeout).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "proxy/api/api_answer.hpp"
#include "proxy/api/router.hpp"
#include "proxy/http/request_view.hpp"
#include "proxy/proxy_config.hpp"

namespace seckill::proxy {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, Router& router, const HttpLimits& limits);

  void start();

 private:
  using Clock = std::chrono::steady_clock;

  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  /// The router's answer to the current request, from any thread, once.
  void deliver(ApiAnswer answer);
  void answer(const ApiAnswer& answer);
  void on_write(boost::beast::error_code ec);
  /// After an answer to a request that could not be framed: stop sending, then read and drop
  /// what the client still sends for a short while before closing (see the .cpp).
  void linger();
  void drain(std::size_t drained);
  void touch() { idle_deadline_ = Clock::now() + limits_.io_timeout; }
  void arm_idle_timer();
  void close();
  void fail(boost::beast::error_code ec, const char* what);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer idle_timer_;
  Clock::time_point idle_deadline_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  std::string out_;          // the response being written, alive until on_write
  std::string body_;         // the answer's body, before it is appended to out_
  std::string peer_;         // the client socket's address
  bool keep_alive_ = false;  // of the current request: false closes after its answer
  bool linger_ = false;      // the answer is to a framing error: linger() instead of close()
  Router::Ticket ticket_;    // of the current request
  std::shared_ptr<HttpSession> awaiting_answer_;  // set while its answer is awaited
  bool awaiting_ = false;    // the same, read by the idle timer (on this session's thread)
  CombinedFields combined_;  // several Cookie or X-Forwarded-For lines, joined (rare)
  Router& router_;
  const HttpLimits& limits_;
};

}  // namespace seckill::proxy
