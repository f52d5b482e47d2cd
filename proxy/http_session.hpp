// HttpSession: one client connection: read a request, route it, write the answer, repeat.
//
// Every handler runs on the connection's strand. Answers may come from other threads (reader,
// sweeper, writer); they are posted onto the strand before touching the session, and the
// shared_ptr they hold keeps the session alive until then. One request at a time per connection
// (HTTP/1.1 keep-alive, no pipelining): the next read starts after the answer is written.
#pragma once

#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "proxy/api_answer.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/router.hpp"

namespace seckill::proxy {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, Router& router, const HttpLimits& limits);

  void start();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void answer(ApiAnswer answer);
  void write(boost::beast::http::response<boost::beast::http::string_body> response);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  void do_close();
  void fail(boost::beast::error_code ec, const char* what);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  std::shared_ptr<void> response_;  // the message being written, alive until on_write
  Router& router_;
  const HttpLimits& limits_;
};

}  // namespace seckill::proxy
