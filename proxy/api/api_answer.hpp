// ApiAnswer: what the proxy says to a client, before it becomes an HTTP response.
//
// Every answer is {"code":N,"message":"...","data":{...}} (README, HTTP API); `data` holds the
// fields that go with the code (order_id, start, product info). Pure value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/base/status.hpp"

namespace seckill::proxy {

struct ApiAnswer {
  Code code = Code::kPurchased;
  std::string message;
  /// The members of `data` as JSON text, without the braces: "\"left\":3,\"product_id\":7".
  /// One growing string rather than a list of fields: an answer is built on every request.
  std::string data_members;

  static ApiAnswer of(Code code, std::string message = {});
  /// An answer whose body is not the JSON envelope (e.g. /metrics, the sale page's files).
  static ApiAnswer raw(std::string body, std::string content_type, int http_status = 200);
  ApiAnswer& with_string(std::string_view name, std::string_view value);
  ApiAnswer& with_int(std::string_view name, std::int64_t value);
  ApiAnswer& with_json(std::string_view name, std::string_view json);
  /// Adds a response header (Set-Cookie, ETag, ...); `value` must not contain CR or LF.
  ApiAnswer& with_header(std::string_view name, std::string_view value);

  int http_status() const;
  /// The body: the JSON envelope, or the raw body.
  std::string body() const;
  /// Appends body() to `out` (the envelope is written in place, without a copy).
  void append_body(std::string& out) const;
  std::string_view content_type() const {
    return raw_content_type.empty() ? std::string_view("application/json") : raw_content_type;
  }

  std::string raw_body;          // set by raw()
  std::string raw_content_type;  // set by raw()
  int raw_status = 200;          // set by raw()
  /// Empty: "no-store", right for every API answer (each one is about this instant).
  std::string cache_control;
  /// Header lines beyond the fixed ones, each ending in CRLF (see with_header).
  std::string extra_headers;
  /// False for 304 Not Modified: the head says how long the body is, and no body follows.
  bool send_body = true;

 private:
  void start_member(std::string_view name);
};

/// The 4000 answer to a known path asked with a method it does not take.
ApiAnswer method_not_allowed(std::string_view method);

/// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);
/// Appends json_quote(text) to `out`.
void append_json_quoted(std::string& out, std::string_view text);

}  // namespace seckill::proxy
