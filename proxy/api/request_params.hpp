// RequestParams: the named parameters of one HTTP request, from wherever the client put them.
//
// Order of precedence: query string, then an application/x-www-form-urlencoded body (POST), then
// cookies (browsers keep user_id and token there). Values are percent-decoded; the first
// occurrence of a name wins. Pure: no I/O, tested on its own.
//
// Built on every request, so it allocates once: the texts given to parse() are copied into one
// buffer, sized for them and for any decoding, and names and values are views into it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seckill::proxy {

class RequestParams {
 public:
  /// `target` is the request target ("/seckill?product_id=1"), `form_body` the body of a form
  /// POST (empty otherwise), `cookie_header` the Cookie header (empty when absent).
  static RequestParams parse(std::string_view target, std::string_view form_body,
                             std::string_view cookie_header);

  std::optional<std::string_view> get(std::string_view name) const;

  RequestParams(RequestParams&&) = default;
  RequestParams& operator=(RequestParams&&) = default;
  // A copy's views would point into the original's decoded storage.
  RequestParams(const RequestParams&) = delete;
  RequestParams& operator=(const RequestParams&) = delete;

 private:
  RequestParams() = default;
  void add_pairs(std::string_view text, char separator, bool trim_spaces);
  std::string_view kept(std::string_view text);
  std::string_view decoded(std::string_view text);

  std::vector<std::pair<std::string_view, std::string_view>> values_;
  // The inputs, then decoded names and values. A vector keeps its buffer when moved; reserved
  // once to twice the inputs' size (decoding never lengthens a text), it never moves while
  // parsing, so every view stays valid.
  std::vector<char> storage_;
};

/// The path part of a request target, without the query string.
std::string_view target_path(std::string_view target);

/// Decodes %XX escapes and '+' (as space). Malformed escapes are kept literally.
std::string percent_decode(std::string_view text);

/// Decodes the %XX escapes of a URL path strictly: '+' stays '+', and a malformed escape makes
/// the whole path invalid (nullopt) rather than something a later check might misread.
std::optional<std::string> percent_decode_path(std::string_view path);

}  // namespace seckill::proxy
