#include "proxy/api_answer.hpp"

#include <cstdio>
#include <stdexcept>

namespace seckill::proxy {

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
          out += escape;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

ApiAnswer method_not_allowed(std::string_view method) {
  return ApiAnswer::of(Code::kBadRequest, "method " + std::string(method) + " not allowed");
}

ApiAnswer ApiAnswer::of(Code code, std::string message) {
  ApiAnswer answer;
  answer.code = code;
  answer.message = message.empty() ? std::string(default_message(code)) : std::move(message);
  return answer;
}

ApiAnswer ApiAnswer::raw(std::string body, std::string content_type, int http_status) {
  ApiAnswer answer = of(Code::kOk, "ok");
  answer.raw_body = std::move(body);
  answer.raw_content_type = std::move(content_type);
  answer.raw_status = http_status;
  return answer;
}

ApiAnswer& ApiAnswer::with_string(std::string name, std::string_view value) {
  data.push_back({std::move(name), json_quote(value)});
  return *this;
}

ApiAnswer& ApiAnswer::with_int(std::string name, std::int64_t value) {
  data.push_back({std::move(name), std::to_string(value)});
  return *this;
}

ApiAnswer& ApiAnswer::with_json(std::string name, std::string json) {
  data.push_back({std::move(name), std::move(json)});
  return *this;
}

ApiAnswer& ApiAnswer::with_header(std::string_view name, std::string_view value) {
  // A CR or LF would let a value start a header (or a body) of its own: response splitting.
  const bool safe = name.find_first_of("\r\n:") == std::string_view::npos &&
                    value.find_first_of("\r\n") == std::string_view::npos;
  if (!safe) throw std::invalid_argument("header with CR, LF or a colon in its name");
  extra_headers.append(name).append(": ").append(value).append("\r\n");
  return *this;
}

int ApiAnswer::http_status() const {
  if (!raw_content_type.empty()) return raw_status;
  return seckill::http_status(code);
}

std::string ApiAnswer::body() const {
  if (!raw_content_type.empty()) return raw_body;
  std::string out = "{\"code\":" + std::to_string(static_cast<int>(code)) +
                    ",\"message\":" + json_quote(message) + ",\"data\":{";
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += json_quote(data[i].name);
    out.push_back(':');
    out += data[i].json;
  }
  out += "}}";
  return out;
}

}  // namespace seckill::proxy
