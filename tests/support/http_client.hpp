// HttpClient: a small blocking HTTP/1.1 client over one keep-alive connection, for tests.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace seckill::test {

/// One answer: HTTP status, body, and the fields of the JSON envelope when it has one.
struct HttpAnswer {
  int status = 0;  // 0: transport error (see error)
  std::string error;
  std::string body;
  int code = -1;  // the "code" of the JSON body
  std::string message;
  std::string order_id;  // data.order_id, when present
  /// Response headers by lower-case name; repeated ones (Set-Cookie) joined with "\n".
  std::map<std::string, std::string> headers;
  std::chrono::milliseconds elapsed{0};
};

class HttpClient {
 public:
  explicit HttpClient(int port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpClient(HttpClient&&) = delete;
  HttpClient& operator=(HttpClient&&) = delete;

  /// Sends a request (reconnecting when needed) and reads the answer.
  HttpAnswer request(const std::string& method, const std::string& target,
                     const std::map<std::string, std::string>& headers = {},
                     const std::string& body = {});
  HttpAnswer get(const std::string& target) { return request("GET", target); }

  /// Writes raw bytes and returns whatever the server sends back until it closes or times out.
  std::string raw(const std::string& bytes);

 private:
  bool ensure_connected(std::string& error);

  int port_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context ioc_;
  std::unique_ptr<boost::beast::tcp_stream> stream_;
};

/// Query string for a purchase or lookup by `user` of `product`, with the user's token.
std::string buyer_query(long long product, long long user, const std::string& secret);

}  // namespace seckill::test
