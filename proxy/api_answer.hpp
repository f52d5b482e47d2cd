// ApiAnswer: what the proxy says to a client, before it becomes an HTTP response.
//
// Every answer is {"code":N,"message":"...","data":{...}} (DESIGN.md); `data` holds the fields
// that go with the code (order_id, start, product info). Pure value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.hpp"

namespace seckill::proxy {

/// One field of `data`: a name and its value already encoded as JSON.
struct DataField {
  std::string name;
  std::string json;
};

struct ApiAnswer {
  Code code = Code::kPurchased;
  std::string message;
  std::vector<DataField> data;

  static ApiAnswer of(Code code, std::string message = {});
  ApiAnswer& with_string(std::string name, std::string_view value);
  ApiAnswer& with_int(std::string name, std::int64_t value);
  ApiAnswer& with_json(std::string name, std::string json);

  int http_status() const;
  /// The JSON body.
  std::string body() const;
};

/// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);

}  // namespace seckill::proxy
