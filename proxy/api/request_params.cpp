#include "proxy/api/request_params.hpp"

namespace seckill::proxy {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::string> percent_decode_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') {
      out.push_back(path[i]);
      continue;
    }
    if (i + 2 >= path.size()) return std::nullopt;
    const int high = hex_value(path[i + 1]);
    const int low = hex_value(path[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view target_path(std::string_view target) {
  auto question = target.find('?');
  return question == std::string_view::npos ? target : target.substr(0, question);
}

void RequestParams::add_pairs(std::string_view text, char separator, bool trim_spaces) {
  while (!text.empty()) {
    auto end = text.find(separator);
    std::string_view pair = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (trim_spaces) pair = trim(pair);
    if (pair.empty()) continue;
    auto equals = pair.find('=');
    std::string_view name = pair.substr(0, equals);
    std::string_view value =
        equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
    values_.emplace_back(decoded(name), decoded(value));
  }
}

std::string_view RequestParams::kept(std::string_view text) {
  const std::size_t at = storage_.size();
  storage_.insert(storage_.end(), text.begin(), text.end());
  return {storage_.data() + at, text.size()};
}

std::string_view RequestParams::decoded(std::string_view text) {
  // Ids and hex tokens, nearly every value we see, have nothing to decode: a view, no copy.
  if (text.find_first_of("%+") == std::string_view::npos) return text;
  return kept(percent_decode(text));
}

RequestParams RequestParams::parse(std::string_view target, std::string_view form_body,
                                   std::string_view cookie_header) {
  RequestParams params;
  auto question = target.find('?');
  const std::string_view query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  params.storage_.reserve(2 * (query.size() + form_body.size() + cookie_header.size()));
  params.values_.reserve(8);
  params.add_pairs(params.kept(query), '&', false);
  params.add_pairs(params.kept(form_body), '&', false);
  params.add_pairs(params.kept(cookie_header), ';', true);
  return params;
}

std::optional<std::string_view> RequestParams::get(std::string_view name) const {
  for (const auto& [key, value] : values_) {
    if (key == name) return value;
  }
  return std::nullopt;
}

}  // namespace seckill::proxy
