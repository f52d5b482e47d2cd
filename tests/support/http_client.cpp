#include "tests/support/http_client.hpp"

#include <cctype>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <rapidjson/document.h>

#include "common/token/token.hpp"

namespace seckill::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

HttpClient::HttpClient(int port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(timeout) {}

HttpClient::~HttpClient() = default;

bool HttpClient::ensure_connected(std::string& error) {
  if (stream_ && stream_->socket().is_open()) return true;
  stream_ = std::make_unique<beast::tcp_stream>(ioc_);
  stream_->expires_after(timeout_);
  beast::error_code ec;
  stream_->socket().connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                                   static_cast<unsigned short>(port_)),
                            ec);
  if (ec) {
    error = "connect: " + ec.message();
    stream_.reset();
    return false;
  }
  return true;
}

HttpAnswer HttpClient::request(const std::string& method, const std::string& target,
                               const std::map<std::string, std::string>& headers,
                               const std::string& body) {
  HttpAnswer answer;
  const auto started = std::chrono::steady_clock::now();
  if (!ensure_connected(answer.error)) return answer;
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.keep_alive(true);
  req.prepare_payload();

  // Each step runs the private io_context until its one operation is done, so the stream's
  // timeout applies to every step and a hung server fails the test instead of stalling it.
  beast::error_code ec;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16u << 20);
  // The answer to HEAD has a Content-Length but no body.
  parser.skip(req.method() == http::verb::head);
  stream_->expires_after(timeout_);
  http::async_write(*stream_, req, [&](beast::error_code e, std::size_t) { ec = e; });
  ioc_.restart();
  ioc_.run();
  if (!ec) {
    http::async_read(*stream_, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    ioc_.restart();
    ioc_.run();
  }
  answer.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  if (ec) {
    answer.error = ec.message();
    stream_.reset();
    return answer;
  }
  const auto& res = parser.get();
  answer.status = static_cast<int>(res.result_int());
  answer.body = res.body();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string& value = answer.headers[name];
    if (!value.empty()) value += "\n";
    value += std::string(field.value());
  }
  if (!res.keep_alive()) stream_.reset();
  rapidjson::Document document;
  document.Parse(answer.body.c_str());
  if (!document.HasParseError() && document.IsObject()) {
    if (document.HasMember("code") && document["code"].IsInt())
      answer.code = document["code"].GetInt();
    if (document.HasMember("message") && document["message"].IsString()) {
      answer.message = document["message"].GetString();
    }
    if (document.HasMember("data") && document["data"].IsObject() &&
        document["data"].HasMember("order_id") && document["data"]["order_id"].IsString()) {
      answer.order_id = document["data"]["order_id"].GetString();
    }
  }
  return answer;
}

std::string HttpClient::raw(const std::string& bytes) {
  std::string error;
  stream_.reset();
  if (!ensure_connected(error)) return "";
  beast::error_code ec;
  net::write(stream_->socket(), net::buffer(bytes), ec);
  std::string received;
  char chunk[4096];
  stream_->expires_after(timeout_);
  while (!ec) {
    std::size_t n = 0;
    stream_->async_read_some(net::buffer(chunk), [&](beast::error_code e, std::size_t got) {
      ec = e;
      n = got;
    });
    ioc_.restart();
    ioc_.run();
    received.append(chunk, n);
  }
  stream_.reset();
  return received;
}

std::string buyer_query(long long product, long long user, const std::string& secret) {
  return "product_id=" + std::to_string(product) + "&user_id=" + std::to_string(user) +
         "&token=" + make_token(secret, user);
}

}  // namespace seckill::test
