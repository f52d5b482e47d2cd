#include "tools/bench/load/response_parser.hpp"

#include <cctype>
#include <charconv>

namespace seckill::bench {
namespace {

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int body_code(std::string_view body) {
  auto at = body.find("\"code\":");
  if (at == std::string_view::npos) return -1;
  body.remove_prefix(at + 7);
  int code = -1;
  std::from_chars(body.data(), body.data() + body.size(), code);
  return code;
}

}  // namespace

std::optional<ParsedResponse> parse_response(std::string_view data) {
  const auto head_end = data.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return std::nullopt;
  ParsedResponse response;
  std::string_view head = data.substr(0, head_end);
  const auto line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12) {
    response.size = head_end + 4;
    return response;  // status 0: malformed
  }
  std::from_chars(status_line.data() + 9, status_line.data() + 12, response.status);
  std::size_t content_length = 0;
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    auto end = rest.find("\r\n");
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? "" : rest.substr(end + 2);
    if (iequals_prefix(line, "content-length:")) {
      auto value = trim(line.substr(15));
      std::from_chars(value.data(), value.data() + value.size(), content_length);
    } else if (iequals_prefix(line, "connection:")) {
      response.keep_alive = trim(line.substr(11)) != "close";
    }
  }
  if (data.size() < head_end + 4 + content_length) return std::nullopt;
  response.code = body_code(data.substr(head_end + 4, content_length));
  response.size = head_end + 4 + content_length;
  return response;
}

}  // namespace seckill::bench
