#include "proxy/api/api_answer.hpp"

#include <cstdio>
#include <stdexcept>

namespace seckill::proxy {

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_quoted(out, text);
  return out;
}

void append_json_quoted(std::string& out, std::string_view text) {
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

ApiAnswer& ApiAnswer::with_string(std::string_view name, std::string_view value) {
  start_member(name);
  append_json_quoted(data_members, value);
  return *this;
}

ApiAnswer& ApiAnswer::with_int(std::string_view name, std::int64_t value) {
  return with_json(name, std::to_string(value));
}

ApiAnswer& ApiAnswer::with_json(std::string_view name, std::string_view json) {
  start_member(name);
  data_members += json;
  return *this;
}

void ApiAnswer::start_member(std::string_view name) {
  // Room for a purchase's members (order id and stock left) at once: one allocation, not two.
  if (data_members.empty()) data_members.reserve(64);
  if (!data_members.empty()) data_members.push_back(',');
  append_json_quoted(data_members, name);
  data_members.push_back(':');
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
  std::string out;
  append_body(out);
  return out;
}

void ApiAnswer::append_body(std::string& out) const {
  if (!raw_content_type.empty()) {
    out += raw_body;
    return;
  }
  out += "{\"code\":";
  out += std::to_string(static_cast<int>(code));
  out += ",\"message\":";
  append_json_quoted(out, message);
  out += ",\"data\":{";
  out += data_members;
  out += "}}";
}

}  // namespace seckill::proxy
