#include "proxy/http/response_writer.hpp"

namespace seckill::proxy {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Internal Server Error";
  }
}

std::string format_response_head(int status, std::size_t body_size, int http_minor, bool keep_alive,
                                 std::string_view content_type, std::string_view cache_control,
                                 std::string_view extra_headers) {
  std::string head;
  head.reserve(160 + extra_headers.size());
  append_response_head(head, status, body_size, http_minor, keep_alive, content_type, cache_control,
                       extra_headers);
  return head;
}

void append_response_head(std::string& head, int status, std::size_t body_size, int http_minor,
                          bool keep_alive, std::string_view content_type,
                          std::string_view cache_control, std::string_view extra_headers) {
  head += http_minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(status);
  head += ' ';
  head += reason_phrase(status);
  head += "\r\nServer: seckill\r\nContent-Type: ";
  head += content_type;
  head += "\r\nCache-Control: ";
  head += cache_control;
  head += "\r\nContent-Length: ";
  head += std::to_string(body_size);
  // HTTP/1.1 is persistent unless told otherwise; HTTP/1.0 is the other way round.
  if (http_minor == 0 && keep_alive) head += "\r\nConnection: keep-alive";
  if (http_minor != 0 && !keep_alive) head += "\r\nConnection: close";
  head += "\r\n";
  head += extra_headers;
  head += "\r\n";
}

}  // namespace seckill::proxy
